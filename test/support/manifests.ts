/** Manifest builders for tests (the integration scenarios, the watch loop); each scenario uses Services of its own. */
export const service = (name: string, namespace = 'default', version?: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {app: ${name.replace(/-v\d+$/, '')}${version ? `, version: ${version}` : ''}}
`;

export const virtualService = (
  name: string,
  host: string,
  destinations: { host: string; subset?: string; weight: number }[],
  options: { gateways?: string[]; protocol?: 'http' | 'tcp'; annotations?: Record<string, string> } = {},
) => `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: default${options.annotations ? `\n  annotations:\n${Object.entries(options.annotations).map(([k, v]) => `    ${k}: "${v}"`).join('\n')}` : ''}
spec:
  hosts: ["${host}"]${options.gateways ? `\n  gateways: [${options.gateways.join(', ')}]` : ''}
  ${options.protocol ?? 'http'}:
  - route:
${destinations.map((d) => `    - destination: {host: ${d.host}${d.subset ? `, subset: ${d.subset}` : ''}}\n      weight: ${d.weight}`).join('\n')}
`;

export const destinationRule = (name: string, host: string, subsets: Record<string, string>) => `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: default}
spec:
  host: ${host}
  subsets:
${Object.entries(subsets).map(([subset, version]) => `  - {name: ${subset}, labels: {version: ${version}}}`).join('\n')}
`;

export const gateway = (name: string, selector = 'ingressgateway') => `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: default}
spec:
  selector: {istio: ${selector}}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
`;
