/** Pod labels that carry the version Istio's metrics report, in the order Istio prefers them. */
export const VERSION_LABELS = ['version', 'app.kubernetes.io/version', 'service.istio.io/canonical-revision'] as const;

export function versionOf(labels: Record<string, string> | null | undefined): string | null {
  if (!labels) return null;
  for (const key of VERSION_LABELS) {
    const value = labels[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}
