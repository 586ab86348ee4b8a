import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { append } from '../arrays.js';
import { finding, type Finding } from '../model/findings.js';
import type { SyntaxProblem } from './errors.js';
import { parseJsonWithPositions, RepeatedKey } from './json-positions.js';
import { defineKey, mergeInto } from './mappings.js';
import { LIMITS, TooManyContainers } from './limits.js';
import { PositionIndex } from './positions.js';
import { parseBlockYaml } from './yaml-blocks.js';
import { parseYamlWithPositions } from './yaml-events.js';
import { kubernetesValue, KubernetesReadings } from './yaml-1-1.js';

const require = createRequire(import.meta.url);
let yamlPackage: typeof Yaml | undefined;
/** The `yaml` package is the careful path (exact errors and lines); loaded only when needed. */
const careful = (): typeof Yaml => (yamlPackage ??= require('yaml') as typeof Yaml);

/** One YAML/JSON document of a source, as plain data. */
export interface ParsedDocument {
  value: unknown;
  line: number;
}

export interface ParsedSource {
  file: string;
  documents: ParsedDocument[];
  positions: PositionIndex;
  findings: Finding[];
  /** Plain scalars read as kubectl reads them; their findings (MS006) need the objects they fall in. */
  readings: KubernetesReadings;
}

/** Input we will not process (too deep, an alias bomb): MS002. */
class RefusedInput extends Error {}
/** Input that is not valid YAML in a way the parser lets through: MS001. */
class InvalidInput extends Error {}

/**
 * Parses multi-document YAML (JSON is YAML) into plain values while recording the line of
 * every mapping, sequence, key and item. Never throws: problems become MS001/MS002 findings.
 */
export function parseSource(text: string, file: string): ParsedSource {
  try {
    return parseAnyWay(text, file);
  } catch (error) {
    // Every reader records each container's position as it goes: the count is kept there.
    if (!(error instanceof TooManyContainers)) throw error;
    return { file, documents: [], positions: new PositionIndex(), findings: [finding('MS002', { file, line: 1 }, error.message)], readings: new KubernetesReadings() };
  }
}

function parseAnyWay(text: string, file: string): ParsedSource {
  const positions = new PositionIndex();
  const result: ParsedSource = { file, documents: [], positions, findings: [], readings: new KubernetesReadings() };
  if (text.length > LIMITS.sourceBytes) {
    result.findings.push(
      finding('MS002', { file, line: 1 }, `input larger than ${LIMITS.sourceBytes} bytes refused`),
    );
    return result;
  }
  // kubectl's JSON takes the fast path; anything else (or broken JSON) the YAML parser.
  let broken: SyntaxProblem | undefined;
  if (/^\s*[[{]/.test(text)) {
    try {
      const json = parseJsonWithPositions(text, positions);
      if (!('error' in json)) {
        result.documents.push(json);
        return result;
      }
      broken = json;
    } catch (error) {
      // The message and line the YAML readers give for the same text.
      if (error instanceof RepeatedKey) {
        result.findings.push(finding('MS001', { file, line: error.line }, `cannot parse: ${error.message}`));
        return result;
      }
      // V8's JSON.parse recurses too: absurd nesting is refused like in YAML.
      if (!(error instanceof RangeError)) throw error;
      result.findings.push(finding('MS002', { file, line: 1 }, 'input nested too deeply; refused'));
      return result;
    }
  }
  // The fastest reader that is sure of the text answers; each steps aside for the next. Each
  // has its own index: a late give-up must not leave the abandoned tree's positions behind.
  const blockPositions = new PositionIndex();
  const blockReadings = new KubernetesReadings();
  const blocks = parseBlockYaml(text, blockPositions, blockReadings);
  if (blocks) return { ...result, documents: blocks, positions: blockPositions, readings: blockReadings };
  // Past the block reader, memory grows with the text: js-yaml's events 60–200 bytes a byte…
  if (text.length > LIMITS.slowYamlBytes) {
    return refused(result, broken, `YAML over ${mebibytes(LIMITS.slowYamlBytes)} is read only in the block style kubectl and Helm print; this has something else (flow collections, anchors, directives, tags or an error) and was refused: split it`);
  }
  const eventPositions = new PositionIndex();
  const eventReadings = new KubernetesReadings();
  const events = parseYamlWithPositions(text, eventPositions, eventReadings);
  if (Array.isArray(events)) return { ...result, documents: events, positions: eventPositions, readings: eventReadings };
  broken ??= events ?? undefined;
  // …and the `yaml` package's tree up to ~450 on dense broken input.
  if (text.length > LIMITS.carefulYamlBytes) {
    return refused(result, broken, `YAML over ${mebibytes(LIMITS.carefulYamlBytes)} is read only by the fast readers; this has something they do not take (a lone CR line break, or a construct they do not mirror exactly) and was refused: split it`);
  }
  parseYamlCarefully(text, result);
  return result;
}

/**
 * Text too big for the next reader: a syntax error a fast reader met is told as it told it (a
 * truncated `kubectl -o json`, say); otherwise the text is refused (MS002) with `refusal`.
 */
function refused(result: ParsedSource, broken: SyntaxProblem | undefined, refusal: string): ParsedSource {
  const { file } = result;
  result.findings.push(broken ? finding('MS001', { file, line: broken.line }, `cannot parse: ${broken.error}`) : finding('MS002', { file, line: 1 }, refusal));
  return result;
}

const mebibytes = (bytes: number) => `${bytes / (1024 * 1024)} MiB`;

/**
 * The `yaml` package path: slower, but every error in every document becomes a finding with
 * its own message and line, and documents before a broken one still count.
 */
export function parseYamlCarefully(text: string, result: ParsedSource): void {
  const { file, positions } = result;
  const yaml = careful();
  const { LineCounter, parseAllDocuments } = yaml;
  const lineCounter = new LineCounter();
  let documents;
  try {
    // Keys are checked for repeats below, in one pass: the package's own check scans a mapping's
    // keys before adding each (seconds for a broken 20,000-key mapping, hours for a big one).
    documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    // The YAML composer recurses; absurd nesting overflows the stack before our own check.
    if (error instanceof RangeError) {
      result.findings.push(finding('MS002', { file, line: 1 }, 'input nested too deeply; refused'));
      return;
    }
    throw error;
  }
  if (!Array.isArray(documents)) return;

  const lineAt = (offset: number): number => Math.max(1, lineCounter.linePos(offset).line);
  const { readings } = result;
  for (const document of documents) {
    const parseError = document.errors[0];
    const repeated = firstRepeatedKey(yaml, document.contents);
    // Whichever comes first in the text, as the package's own check would have listed them.
    const firstError = repeated !== undefined && !(parseError && parseError.pos[0] <= repeated) ? { pos: [repeated], message: 'Map keys must be unique' } : parseError;
    if (firstError) {
      const message = firstError.message.split('\n')[0] ?? 'invalid YAML';
      // The YAML composer recurses and records a stack overflow as a document error.
      const tooDeep = /call stack/i.test(message);
      result.findings.push(
        tooDeep
          ? finding('MS002', { file, line: lineAt(firstError.pos[0]) }, 'input nested too deeply; refused')
          : finding('MS001', { file, line: lineAt(firstError.pos[0]) }, `cannot parse: ${message}`),
      );
      continue;
    }
    const contents = document.contents as Yaml.Node | null;
    if (contents === null) continue;
    const mark = readings.mark();
    try {
      const value = new Converter(yaml, positions, readings, lineAt).convert(contents, 0);
      result.documents.push({ value, line: lineAt(contents.range?.[0] ?? 0) });
    } catch (error) {
      if (!(error instanceof RefusedInput || error instanceof InvalidInput)) throw error;
      // A refused document is not read, so neither are its scalars.
      readings.rewind(mark);
      const code = error instanceof RefusedInput ? 'MS002' : 'MS001';
      result.findings.push(finding(code, { file, line: lineAt(contents.range?.[0] ?? 0) }, error.message));
    }
  }
}

/**
 * Where the first repeated key of the tree is (the `yaml` package's `uniqueKeys` rule: two scalar
 * keys of one mapping with the same value, by `===`, so `1` and `"1"` differ), each plain key
 * valued as kubectl reads it: `on:` beside `true:` is a repeat (kubectl: "key true already set
 * in map"), `010:` beside `10:` is not (8 and 10). A stack, not recursion: the tree may be as
 * deep as the composer allowed.
 */
function firstRepeatedKey(yaml: typeof Yaml, root: unknown): number | undefined {
  const { isMap, isPair, isScalar, isSeq } = yaml;
  let first: number | undefined;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && !Number.isNaN(key.value)) {
          const text = plainText(key);
          const value = (text === undefined ? undefined : kubernetesValue(text, key.value)) ?? key.value;
          if (seen.has(value)) first = Math.min(first ?? Infinity, key.range?.[0] ?? 0);
          seen.add(value);
        }
        stack.push(key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) stack.push(item.key, item.value);
        else stack.push(item);
      }
    }
  }
  return first;
}

/** YAML AST → plain values with positions; resolves anchors in document order, as YAML does. */
class Converter {
  private readonly anchors = new Map<string, { value: unknown; size: number }>();
  private aliasExpansion = 0;
  private size = 0;

  constructor(
    private readonly yaml: typeof Yaml,
    private readonly positions: PositionIndex,
    private readonly readings: KubernetesReadings,
    private readonly lineAt: (offset: number) => number,
  ) {}

  convert(node: unknown, depth: number): unknown {
    const { isAlias, isMap, isScalar, isSeq } = this.yaml;
    // A key without a value (`{a, b}`, `? k`) has no node at all.
    if (node === null || node === undefined) return null;
    if (depth > LIMITS.depth) {
      throw new RefusedInput(`nesting deeper than ${LIMITS.depth} levels refused`);
    }
    if (isAlias(node)) return this.resolveAlias(node.source);
    const sizeBefore = this.size;
    this.size += 1;
    let value: unknown;
    if (isScalar(node)) {
      value = this.scalar(node);
    } else if (isMap(node)) {
      value = this.convertMap(node.items, node.range?.[0] ?? 0, depth);
    } else if (isSeq(node)) {
      value = this.convertSeq(node.items, node.range?.[0] ?? 0, depth);
    } else {
      value = null;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, { value, size: this.size - sizeBefore });
    return value;
  }

  /** A plain untagged scalar as kubectl reads it; any other as the package resolved it. */
  private scalar(node: Yaml.Scalar): unknown {
    const text = plainText(node);
    return text === undefined ? node.value : this.readings.value(text, node.value, () => this.lineAt(nodeStart(node, 0)));
  }

  private resolveAlias(name: string): unknown {
    const anchored = this.anchors.get(name);
    // Anchors never reach across documents, as in YAML itself.
    if (!anchored) throw new InvalidInput(`cannot parse: alias *${name} refers to no anchor earlier in this document`);
    // Shared references keep memory flat; the count stops documents that expand absurdly.
    this.aliasExpansion += anchored.size;
    this.size += anchored.size;
    if (this.aliasExpansion > LIMITS.aliasExpansion) {
      throw new RefusedInput(
        `YAML aliases expand to more than ${LIMITS.aliasExpansion} nodes (an alias bomb?); refused`,
      );
    }
    return anchored.value;
  }

  private convertMap(
    items: readonly { key: unknown; value: unknown }[],
    offset: number,
    depth: number,
  ): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    const names: string[] = [];
    const lines: number[] = [];
    const merged: unknown[] = [];
    const { isScalar } = this.yaml;
    for (const pair of items) {
      const keyNode = pair.key;
      const key = isScalar(keyNode) ? String(this.scalar(keyNode)) : complexKey(this.convert(keyNode, depth + 1));
      const value = this.convert(pair.value, depth + 1);
      if (key === '<<' && isScalar(keyNode) && plainText(keyNode) === '<<') {
        // YAML 1.1 merge key, which Kubernetes' YAML reader honours.
        append(merged, Array.isArray(value) ? value : [value]);
        continue;
      }
      defineKey(map, key, value);
      names.push(key);
      lines.push(this.lineAt(nodeStart(keyNode, offset)));
    }
    mergeInto(map, merged, this.positions, names, lines);
    this.positions.recordMapping(map, this.lineAt(offset), names, lines);
    return map;
  }

  private convertSeq(items: readonly unknown[], offset: number, depth: number): unknown[] {
    const list: unknown[] = [];
    const lines: number[] = [];
    for (const item of items) {
      list.push(this.convert(item, depth + 1));
      lines.push(this.lineAt(nodeStart(item, offset)));
    }
    this.positions.recordSequence(list, this.lineAt(offset), lines);
    return list;
  }
}

/** The text of a plain, untagged scalar (the only kind kubectl may read otherwise), else undefined. */
function plainText(node: Yaml.Scalar): string | undefined {
  return node.type === 'PLAIN' && !node.tag && typeof node.source === 'string' ? node.source : undefined;
}

/** Kubernetes keys are strings; a complex key (`? {a: 1}`) gets a stable text form. */
function complexKey(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(null);
  } catch {
    return '[complex key]';
  }
}

function nodeStart(node: unknown, fallback: number): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : fallback;
}
