import { finding, type Finding } from '../model/findings.js';
import type { ObjectSpan } from './objects.js';

/**
 * kubectl turns YAML into JSON with sigs.k8s.io/yaml, which reads plain scalars with
 * gopkg.in/yaml.v2: YAML 1.1 as Go parses numbers. Where that reading differs from YAML 1.2's
 * core schema (the one the readers here follow), the cluster holds the YAML 1.1 value:
 * `weight: 010` is 8 there, not 10. mesh-split judges what the cluster holds, so it takes
 * that value and says so (MS006).
 */

/** A plain scalar read as Kubernetes reads it, where YAML 1.2 reads it otherwise. */
export interface KubernetesReading {
  line: number;
  text: string;
  value: boolean | number;
  /** What YAML 1.2 makes of it. */
  yaml12: unknown;
}

/**
 * The readings of one source, in the order met: the line of each, and the whole reading for the
 * first KEPT (a file of a million `y` scalars must not hold a million records; four bytes each
 * is fine). Each reader gets its own, as it gets its own positions: a reader that steps aside
 * late leaves nothing behind.
 */
export class KubernetesReadings {
  private readonly kept: KubernetesReading[] = [];
  private lines = new Int32Array(16);
  private count = 0;

  /**
   * `yaml12`, YAML 1.2's value of the plain scalar `text`, or kubectl's where it differs (noted at
   * `line`). A reader that must look its line up passes a function: called only for such a scalar (rare).
   */
  value(text: string, yaml12: unknown, line: number | (() => number)): unknown {
    const value = kubernetesValue(text, yaml12);
    if (value === undefined) return yaml12;
    const at = typeof line === 'number' ? line : line();
    if (this.kept.length < KEPT) this.kept.push({ line: at, text, value, yaml12 });
    if (this.count === this.lines.length) {
      const grown = new Int32Array(this.lines.length * 2);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.lines[this.count++] = at;
    return value;
  }

  /** A point to go back to: a document the reader then refuses keeps none of its readings. */
  mark(): number {
    return this.count;
  }

  rewind(mark: number): void {
    this.count = mark;
    if (this.kept.length > mark) this.kept.length = mark;
  }

  /** The readings kept whole (all of them, up to KEPT). */
  list(): readonly KubernetesReading[] {
    return this.kept;
  }

  get size(): number {
    return this.count;
  }

  lineOf(index: number): number {
    return this.lines[index]!;
  }
}

const KEPT = 10_000;

/**
 * MS006 warnings of one source, each named after the object it falls in (`spans`, in text
 * order). A reading inside anything mesh-split does not read is dropped: a Deployment's
 * `defaultMode: 0644` or `hostNetwork: yes` means what its author meant, and is not ours to warn
 * about (nor to fail `--fail-on warning` on). At most SHOWN_PER_SOURCE, then one that counts the rest.
 */
export function readingFindings(readings: KubernetesReadings, file: string, spans: readonly ObjectSpan[]): Finding[] {
  const findings: Finding[] = [];
  const kept = readings.list();
  let more = 0;
  let moreLine = 0;
  for (let index = 0; index < readings.size; index++) {
    const line = readings.lineOf(index);
    // Every document and List item has a span: one that is not ours is not ours to warn about.
    const object = spans[lastAtOrBefore(spans, line)]?.object;
    if (!object) continue;
    if (findings.length === SHOWN_PER_SOURCE) {
      if (more++ === 0) moreLine = line;
      continue;
    }
    findings.push(finding('MS006', { object, file, line }, readingMessage(kept[index])));
  }
  if (more > 0) {
    findings.push(finding('MS006', { file, line: moreLine }, `${more} more plain scalars from here on are read as kubectl reads them (YAML 1.1), not as YAML 1.2 does`));
  }
  return findings;
}

/** What was read and what to write instead; past the readings kept whole, only that it was. */
function readingMessage(reading: KubernetesReading | undefined): string {
  if (!reading) return 'a plain scalar here is read as kubectl reads it (YAML 1.1), not as YAML 1.2 does';
  const { text, value, yaml12 } = reading;
  const fix = typeof yaml12 === 'string' ? `quote it if the string is meant, or write ${String(value)}` : `write ${String(yaml12)} or ${String(value)}, whichever is meant`;
  return `"${text}" is read as ${String(value)}, as kubectl reads it (${reason(text, value)}); YAML 1.2 reads ${JSON.stringify(yaml12)}: ${fix}`;
}

/** Index of the last span starting at or before `line`, or -1. */
function lastAtOrBefore(spans: readonly ObjectSpan[], line: number): number {
  let low = 0;
  let high = spans.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (spans[middle]!.line <= line) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** go-yaml v2's booleans beyond YAML 1.2's true/false (its `resolveMapList`). */
const YAML_1_1_BOOLEANS = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((word) => [word, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((word) => [word, false] as const),
]);

/** Go's `strconv.ParseInt(s, 0, 64)` syntax: a sign, then 0x/0o/0b, a leading 0 (octal) or decimal. */
const GO_INTEGER = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$/;
/** go-yaml v2's `yamlStyleFloat`. */
const GO_YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** Where the two readings of a scalar that starts like a number can part: `_`, or a 0 then more. */
const MAY_DIFFER = /_|^[-+]?0[0-9a-zA-Z]/;

/**
 * go-yaml v2's value of a plain scalar, when it is not `yaml12` (the YAML 1.2 reading);
 * undefined when both agree. Cheap for the usual scalar: one character code, or one test.
 */
export function kubernetesValue(text: string, yaml12: unknown): boolean | number | undefined {
  const first = text.charCodeAt(0);
  // y Y n N o O: the only letters a YAML 1.1 boolean starts with.
  if (first === 121 || first === 89 || first === 110 || first === 78 || first === 111 || first === 79) {
    return YAML_1_1_BOOLEANS.get(text);
  }
  const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45;
  if (!numeric || !MAY_DIFFER.test(text)) return undefined;
  const value = goYamlNumber(text.replaceAll('_', ''));
  // `===`: Go has no -0, so `-00` (YAML 1.2: -0) reads alike.
  return value === undefined || value === yaml12 ? undefined : value;
}

/** go-yaml v2's `resolve` for a scalar that starts with a digit or a sign, `_` removed. */
function goYamlNumber(plain: string): number | undefined {
  const integer = GO_INTEGER.exec(plain);
  if (integer) {
    const [, sign, hex, octal, binary, legacyOctal, decimal] = integer;
    // Exact, so the int64/uint64 bounds are Go's own (a double rounds 2^64 - 1 up to 2^64).
    const magnitude = BigInt(hex !== undefined ? `0x${hex}` : octal !== undefined ? `0o${octal}` : binary !== undefined ? `0b${binary}` : legacyOctal !== undefined ? `0o${legacyOctal}` : decimal!);
    // Past int64 (uint64 for a positive number) Go's ParseInt fails and the float test decides.
    if (sign === '-' ? magnitude <= INT64_LIMIT : magnitude < UINT64_LIMIT) return Number(sign === '-' ? -magnitude : magnitude);
  }
  if (!GO_YAML_FLOAT.test(plain)) return undefined;
  // Out of range, Go's ParseFloat fails and the scalar stays a string; not worth a warning.
  const float = parseFloat(plain);
  return Number.isFinite(float) ? float : undefined;
}

const INT64_LIMIT = 2n ** 63n;
const UINT64_LIMIT = 2n ** 64n;

/** Why go-yaml v2 reads `text` as it does, for the message. */
function reason(text: string, value: boolean | number): string {
  if (typeof value === 'boolean') return 'a YAML 1.1 boolean';
  if (text.includes('_')) return "YAML 1.1 ignores '_' in numbers";
  if (/^[-+]?0[bB]/.test(text)) return 'a YAML 1.1 binary number';
  if (/^[-+]?0[0-7]/.test(text)) return 'a leading 0 makes it octal in YAML 1.1';
  return 'Go takes a sign before, and capitals in, 0x and 0o';
}

/** At most this many MS006 a source: a file of a million `y` scalars gets a count, not a million findings. */
const SHOWN_PER_SOURCE = 10;
