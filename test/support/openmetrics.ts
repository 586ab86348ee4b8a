/**
 * A small OpenMetrics text writer for backfilling a real Prometheus in tests
 * (`promtool tsdb create-blocks-from openmetrics`).
 *
 * What promtool 2.42 actually does with the text (checked by hand against the
 * Debian `prometheus` 2.42 package, with `promtool tsdb dump`):
 *
 * - The TSDB series name is the name on the SAMPLE line; the `# TYPE` line is
 *   metadata only (backfill does not even store it). The OpenMetrics spec wants
 *   a counter family named `istio_requests` (`# TYPE istio_requests counter`)
 *   whose samples are named `istio_requests_total`; that is what we emit, and
 *   the series in the TSDB is then exactly `istio_requests_total`. (Prometheus'
 *   parser is lax: `# TYPE istio_requests_total counter` followed by
 *   `istio_requests_total ...` is accepted too, and so is a counter sample
 *   without `_total`, which would be stored under that bare name. We do not
 *   rely on either.) Hence: counter series passed here MUST be named `..._total`.
 * - Every sample needs a timestamp ("expected timestamp for series got none"),
 *   and the text must end with `# EOF` ("data does not end with # EOF"); a
 *   newline after `# EOF` is optional.
 * - Timestamps are float SECONDS; Prometheus stores `int64(ts * 1000)`, i.e.
 *   milliseconds. We only accept timestamps with at most millisecond precision.
 * - Out-of-order samples of a series within one 2 h block, and a second sample
 *   at an already used timestamp, are DROPPED SILENTLY by promtool (exit code
 *   0; the first value at a timestamp wins). The writer therefore sorts the
 *   samples of each series by time and rejects duplicate timestamps, and
 *   `startPrometheus` cross-checks the number of samples promtool reports.
 * - Label values are escaped as `\\`, `\"` and `\n` (OpenMetrics ABNF
 *   `escaped-string`); everything else, including non-ASCII UTF-8, is literal.
 *   Verified to round-trip through promtool + the HTTP API.
 */

export interface Sample {
  /** Unix time in seconds; at most millisecond precision (e.g. 1700000000.25). */
  t: number;
  v: number;
}

export interface Series {
  /** Sample name as stored in the TSDB. For counters it must end in `_total`. */
  name: string;
  labels?: Record<string, string>;
  samples: Sample[];
  /** Optional `# HELP` text for the family (the first one seen wins). */
  help?: string;
}

export type MetricType = 'counter' | 'gauge';

export interface OpenMetricsInput {
  counters?: Series[];
  gauges?: Series[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** OpenMetrics `escaped-string`: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text uses the same escaping as label values in OpenMetrics. */
export function escapeHelp(text: string): string {
  return escapeLabelValue(text);
}

/** Numbers as OpenMetrics `realnumber` (Go's ParseFloat reads JS' `1e+21` fine). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Seconds with at most millisecond precision, the way Prometheus stores them. */
export function formatTimestamp(t: number): string {
  if (!Number.isFinite(t)) throw new Error(`OpenMetrics: timestamp must be finite, got ${t}`);
  const ms = Math.round(t * 1000);
  if (Math.abs(ms / 1000 - t) > 1e-6) {
    throw new Error(`OpenMetrics: timestamp ${t} has sub-millisecond precision; Prometheus stores milliseconds`);
  }
  return String(ms / 1000);
}

function checkText(what: string, s: string): void {
  if (LONE_SURROGATE.test(s)) throw new Error(`OpenMetrics: ${what} is not valid UTF-8 (lone surrogate)`);
}

function formatLabels(labels: Record<string, string> | undefined, where: string): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return '';
  const parts = entries.map(([k, v]) => {
    if (!LABEL_NAME.test(k)) throw new Error(`OpenMetrics: invalid label name ${JSON.stringify(k)} in ${where}`);
    if (k.startsWith('__')) throw new Error(`OpenMetrics: label names starting with __ are reserved (${k} in ${where})`);
    if (typeof v !== 'string') throw new Error(`OpenMetrics: label ${k} in ${where} must be a string`);
    checkText(`label ${k} in ${where}`, v);
    return `${k}="${escapeLabelValue(v)}"`;
  });
  return `{${parts.join(',')}}`;
}

interface Family {
  type: MetricType;
  name: string;
  help?: string;
  lines: string[];
  seriesKeys: Set<string>;
}

function familyName(type: MetricType, sampleName: string): string {
  if (type === 'counter') {
    if (!sampleName.endsWith('_total') || sampleName === '_total') {
      throw new Error(
        `OpenMetrics: counter sample names must end in _total (got ${JSON.stringify(sampleName)}); ` +
          `the family is the name without _total and the TSDB series keeps the _total name`,
      );
    }
    return sampleName.slice(0, -'_total'.length);
  }
  return sampleName;
}

/**
 * Render counters and gauges as one OpenMetrics exposition ending in `# EOF\n`.
 * Series with the same name are grouped into one family (families are emitted
 * contiguously, as the spec requires). Samples of each series are sorted by
 * time; duplicate timestamps, duplicate series and invalid names throw.
 */
export function toOpenMetrics(input: OpenMetricsInput): string {
  const families = new Map<string, Family>();
  const owner = new Map<string, string>(); // family or sample name -> family name
  const add = (type: MetricType, s: Series): void => {
    if (!METRIC_NAME.test(s.name)) throw new Error(`OpenMetrics: invalid metric name ${JSON.stringify(s.name)}`);
    const fam = familyName(type, s.name);
    let family = families.get(fam);
    if (!family) {
      for (const n of [fam, s.name]) {
        const other = owner.get(n);
        if (other !== undefined) throw new Error(`OpenMetrics: metric name ${s.name} clashes with family ${other}`);
      }
      family = { type, name: fam, lines: [], seriesKeys: new Set() };
      if (s.help !== undefined) {
        checkText(`HELP of ${fam}`, s.help);
        family.help = s.help;
      }
      families.set(fam, family);
      owner.set(fam, fam);
      owner.set(s.name, fam);
    } else if (family.type !== type) {
      throw new Error(`OpenMetrics: ${s.name} declared both as ${family.type} and ${type}`);
    }
    const labelText = formatLabels(s.labels, s.name);
    const key = JSON.stringify(Object.entries(s.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (family.seriesKeys.has(key)) throw new Error(`OpenMetrics: duplicate series ${s.name}${labelText}`);
    family.seriesKeys.add(key);
    const samples = [...s.samples].sort((a, b) => a.t - b.t);
    let prevMs: number | undefined;
    for (const sample of samples) {
      const ts = formatTimestamp(sample.t);
      const ms = Math.round(sample.t * 1000);
      if (ms === prevMs) {
        throw new Error(`OpenMetrics: duplicate timestamp ${ts} in ${s.name}${labelText} (promtool would drop it silently)`);
      }
      prevMs = ms;
      if (type === 'counter' && !(sample.v >= 0)) {
        throw new Error(`OpenMetrics: counter ${s.name}${labelText} has invalid value ${sample.v} at ${ts} (must be >= 0, not NaN)`);
      }
      family.lines.push(`${s.name}${labelText} ${formatValue(sample.v)} ${ts}`);
    }
  };
  for (const s of input.counters ?? []) add('counter', s);
  for (const s of input.gauges ?? []) add('gauge', s);

  const out: string[] = [];
  for (const f of families.values()) {
    if (f.help !== undefined) out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`);
    out.push(`# TYPE ${f.name} ${f.type}`);
    out.push(...f.lines);
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

/** Shorthand for a single counter family. */
export function countersToOpenMetrics(series: Series[]): string {
  return toOpenMetrics({ counters: series });
}

/** Shorthand for a single gauge family. */
export function gaugesToOpenMetrics(series: Series[]): string {
  return toOpenMetrics({ gauges: series });
}

/** Number of sample lines in an OpenMetrics text (what promtool should ingest). */
export function countSampleLines(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) {
    if (line.length > 0 && !line.startsWith('#')) n++;
  }
  return n;
}
