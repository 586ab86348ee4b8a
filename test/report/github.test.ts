import { describe, expect, it } from 'vitest';
import { checkGithub } from '../../src/report/check/github.js';
import { palette } from '../../src/report/color.js';
import { driftReport, errorReport, fullReport, nastyReport } from './fixtures.js';

const github = (input: Parameters<typeof checkGithub>[0]) => checkGithub(input, palette(true)).split('\n');

/** The runner's reading of one line: command, properties (decoded), message (decoded). */
function parse(line: string) {
  const match = /^::(error|warning|notice)(?: ([^]*?))?::([^]*)$/.exec(line);
  if (!match) return null;
  const decode = (text: string) => text.replace(/%(25|0D|0A|3A|2C)/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    properties[pair.slice(0, at)] = decode(pair.slice(at + 1));
  }
  return { level: match[1]!, properties, message: decode(match[3]!) };
}

describe('GitHub Actions annotations', () => {
  it('writes exactly this for a drift with an undeclared destination', () => {
    expect(github(driftReport)).toEqual([
      '::error file=manifests/helloworld.yaml,line=14,title=mesh-split drift%3A default/helloworld-vs mesh http[0]::helloworld.default/v1: declared 80.0%25, actual 68.2%25 (-11.8 points, interval 66.7–69.8%25), 3,413 of 5,000 requests; tolerance ±5 points',
      '::error file=manifests/helloworld.yaml,line=3,title=mesh-split drift%3A default/helloworld-vs mesh http[0]::helloworld.default/v3 (undeclared): declared 0.0%25, actual 11.5%25 (+11.5 points, interval 10.5–12.6%25), 575 of 5,000 requests; tolerance ±5 points',
      'DRIFT: 1 drift of 1 route (window 5m, at 2025-05-01T12:00:00.000Z, http://prometheus.istio-system:9090) → exit 1',
    ]);
  });

  const lines = github(fullReport);
  const annotations = lines.slice(0, -1).map(parse);

  it('annotates drift on each drifting weight line, unsettled routes on their route line, and not passes', () => {
    expect(annotations.every(Boolean)).toBe(true);
    const where = annotations.map((annotation) => `${annotation!.level} ${annotation!.properties.file ?? '-'}:${annotation!.properties.line ?? '-'}`);
    expect(where).toEqual([
      'error manifests/helloworld.yaml:14',
      'error manifests/helloworld.yaml:3',
      'warning manifests/gateway.yaml:31',
      'warning manifests/ratings.yaml:8',
      'warning manifests/helloworld.yaml:3',
      'notice manifests/reviews.yaml:9',
      'warning manifests/other.yaml:5',
      'warning -:-',
    ]);
    expect(lines.join('\n')).not.toContain('subsets.yaml');
    expect(annotations[2]!.properties.title).toBe('mesh-split inconclusive: default/helloworld-gw istio-system/helloworld-gateway http[0] canary');
    expect(annotations[2]!.message.split('\n')).toEqual([
      '71 requests, fewer than the 100 required; about 6,900 more needed to settle',
      'helloworld.default/v1: declared 50.0%, actual 56.3%',
      'helloworld.default/v2: declared 50.0%, actual 43.7%',
      'tolerance ±5 points, min 100 requests',
    ]);
  });

  it('turns findings into annotations by level, with code and title', () => {
    expect(annotations[4]).toEqual({
      level: 'warning',
      properties: { file: 'manifests/helloworld.yaml', line: '3', title: 'mesh-split MS106: mesh-bound VirtualServices share destinations' },
      message: 'VirtualService default/helloworld-vs: shares destinations with VirtualService default/helloworld-subsets; attribution is ambiguous',
    });
    expect(annotations[7]).toEqual({ level: 'warning', properties: { title: 'Prometheus warning' }, message: 'query returned partial data' });
    expect(github(errorReport).slice(0, -1).map((line) => parse(line)!.level)).toEqual(['error', 'error', 'notice']);
  });

  it('ends with the plain summary line', () => {
    expect(lines.at(-1)).toBe(
      'DRIFT: 1 drift, 1 inconclusive, 1 no-traffic, 2 pass of 5 routes (window 5m, at 2025-05-01T12:00:00.000Z, http://prometheus.istio-system:9090) → exit 1',
    );
    expect(parse(lines.at(-1)!)).toBeNull();
  });

  it('keeps hostile file names and messages on one line and decodable', () => {
    const nasty = github(nastyReport);
    expect(nasty).toHaveLength(5);
    for (const line of nasty.slice(0, -1)) {
      expect(line).toMatch(/^::(error|warning) /);
      expect(line).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/);
    }
    const first = parse(nasty[0]!)!;
    expect(first.properties.file).toBe('dir,with:odd/%20<&>"\'.yaml');
    expect(first.properties.line).toBe('14');
    expect(parse(nasty[1]!)!.properties.line).toBe('7');
    expect(parse(nasty[2]!)!.message).toContain('::colon, 100% `tick`');
    expect(parse(nasty[2]!)!.message).toContain('#1\r\nline2');
  });
});
