import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';
import { LIMITS } from './limits.js';
import type { ParsedDocument } from './parse.js';
import type { PositionIndex } from './positions.js';

/*
 * YAML the fast way: js-yaml builds the values (it is several times faster than the `yaml`
 * package, which keeps a full CST), and one pass over js-yaml's flat event stream — which
 * carries source offsets — walks in step with the built tree to record the line of every
 * mapping, sequence, key and item. Whatever this path is not sure about (a parse error,
 * complex or non-string keys, inline merge sources, tags that build something else, an alias
 * count over the limit) makes it give up and leaves the text to the `yaml` package path, whose
 * findings carry the exact messages and lines. A property test holds the two to the same values
 * and lines.
 */

const require = createRequire(import.meta.url);
let jsYaml: typeof JsYaml | undefined;
let schema: JsYaml.Schema | undefined;

/** Loaded on first YAML input: JSON-only runs never pay for it. */
function library(): { yaml: typeof JsYaml; schema: JsYaml.Schema } {
  jsYaml ??= require('js-yaml') as typeof JsYaml;
  // YAML 1.2 core schema plus YAML 1.1's merge key, which Kubernetes' YAML reader honours.
  schema ??= jsYaml.CORE_SCHEMA.withTags(jsYaml.mergeTag);
  return { yaml: jsYaml, schema };
}

const DOCUMENT = 1;
const SEQUENCE = 2;
const MAPPING = 3;
const SCALAR = 4;
const ALIAS = 5;
const POP = 6;
const PLAIN = 1;
const LITERAL_BLOCK = 4;
const FOLDED_BLOCK = 5;

/** Why the fast path stepped aside; only ever caught inside this module. */
class GiveUp extends Error {}

interface Frame {
  value: Record<string, unknown> | unknown[];
  sequence: boolean;
  keys: Map<string | number, number>;
  index: number;
  /** The key whose value comes next (mappings); `undefined` while a key is expected. */
  key: string | undefined;
  /** Merge sources (`<<: *base`), applied to the key lines when the mapping closes. */
  merged: object[];
  anchor: string | undefined;
  sizeBefore: number;
}

const MERGE = '\u0000<<';

/**
 * Parses `text` as multi-document YAML with positions, or returns null when the `yaml` package
 * path must decide (errors, or constructs this path does not mirror exactly).
 */
export function parseYamlWithPositions(text: string, positions: PositionIndex): ParsedDocument[] | null {
  const { yaml, schema } = library();
  let events: JsYaml.Event[];
  let values: unknown[];
  try {
    events = yaml.parseEvents(text, { maxDepth: LIMITS.depth });
    values = yaml.constructFromEvents(events, { source: text, schema });
  } catch {
    return null;
  }
  try {
    return new EventWalk(text, events, values, positions, yaml.getScalarValue).documents();
  } catch (error) {
    if (error instanceof GiveUp) return null;
    throw error;
  }
}

class EventWalk {
  private readonly stack: Frame[] = [];
  private readonly anchors = new Map<string, { value: unknown; size: number }>();
  private readonly lines: LineCursor;
  private size = 0;
  private aliasExpansion = 0;

  constructor(
    private readonly text: string,
    private readonly events: JsYaml.Event[],
    private readonly values: unknown[],
    private readonly positions: PositionIndex,
    private readonly scalarText: typeof JsYaml.getScalarValue,
  ) {
    this.lines = new LineCursor(text);
  }

  documents(): ParsedDocument[] {
    const documents: ParsedDocument[] = [];
    let index = -1;
    for (let i = 0; i < this.events.length; i += 1) {
      const event = this.events[i]!;
      if (event.type === DOCUMENT) {
        index += 1;
        // Anchors never reach across documents, as in YAML itself.
        this.anchors.clear();
        this.aliasExpansion = 0;
        const root = this.events[i + 1]!;
        const value = this.values[index];
        documents.push({ value, line: this.lines.at(this.start(root)) });
        i = this.node(i + 1, value);
        continue;
      }
      if (event.type !== POP) throw new GiveUp();
    }
    if (index + 1 !== this.values.length) throw new GiveUp();
    return documents;
  }

  /** Walks the node whose event is at `i`, built as `value`; returns the index of its last event. */
  private node(i: number, value: unknown): number {
    const event = this.events[i]!;
    if (event.type === ALIAS) {
      this.alias(event, value);
      return i;
    }
    const sizeBefore = this.size;
    this.size += 1;
    if (event.type === SCALAR) {
      if (isBlock(event) && this.explicitIndentation(event)) throw new GiveUp();
      if (event.tagStart >= 0 && value !== null && typeof value === 'object') throw new GiveUp();
      if (event.anchorStart >= 0) this.anchor(event, value, sizeBefore);
      return i;
    }
    if (event.type !== MAPPING && event.type !== SEQUENCE) throw new GiveUp();
    const sequence = event.type === SEQUENCE;
    if (value === null || typeof value !== 'object' || Array.isArray(value) !== sequence) throw new GiveUp();
    if (this.stack.length >= LIMITS.depth) throw new GiveUp();
    const keys = new Map<string | number, number>();
    this.positions.record(value, { line: this.lines.at(event.start), keys });
    const frame: Frame = {
      value: value as Frame['value'],
      sequence,
      keys,
      index: 0,
      key: undefined,
      merged: [],
      anchor: event.anchorStart >= 0 ? this.text.slice(event.anchorStart, event.anchorEnd) : undefined,
      sizeBefore,
    };
    return sequence ? this.sequence(i, frame) : this.mapping(i, frame);
  }

  private sequence(i: number, frame: Frame): number {
    const list = frame.value as unknown[];
    for (i += 1; this.events[i]!.type !== POP; i += 1) {
      const index = frame.index++;
      frame.keys.set(index, this.lines.at(this.start(this.events[i]!)));
      i = this.node(i, list[index]);
    }
    if (frame.index !== list.length) throw new GiveUp();
    this.close(frame);
    return i;
  }

  private mapping(i: number, frame: Frame): number {
    const map = frame.value as Record<string, unknown>;
    for (i += 1; this.events[i]!.type !== POP; i += 1) {
      const keyEvent = this.events[i]!;
      if (keyEvent.type !== SCALAR || isBlock(keyEvent)) throw new GiveUp();
      const key = this.scalarText(this.text, keyEvent);
      i += 1;
      if (key === '<<' && keyEvent.style === PLAIN && keyEvent.tagStart < 0) {
        i = this.merge(i, frame);
        continue;
      }
      // A plain key the schema turned into something else (`1.0`, `~`) is the slow path's to name.
      // (Every other key of the built mapping came from an event: js-yaml refuses duplicates.)
      if (!Object.hasOwn(map, key)) throw new GiveUp();
      frame.keys.set(key, this.lines.at(this.start(keyEvent)));
      i = this.node(i, map[key]);
    }
    for (const source of frame.merged) {
      for (const key of Object.keys(source)) {
        if (frame.keys.has(key)) continue;
        const line = this.positions.lineOf(source, key);
        if (line !== undefined) frame.keys.set(key, line);
      }
    }
    this.close(frame);
    return i;
  }

  /** `<<: *base` or `<<: [*a, *b]`: only aliases, whose values (and lines) are known. */
  private merge(i: number, frame: Frame): number {
    const event = this.events[i]!;
    if (event.type === ALIAS) {
      frame.merged.push(this.alias(event, undefined));
      return i;
    }
    if (event.type !== SEQUENCE || event.anchorStart >= 0) throw new GiveUp();
    for (i += 1; this.events[i]!.type !== POP; i += 1) {
      const item = this.events[i]!;
      if (item.type !== ALIAS) throw new GiveUp();
      frame.merged.push(this.alias(item, undefined));
    }
    return i;
  }

  /** Counts what the alias stands for; returns the anchored value. */
  private alias(event: JsYaml.AliasEvent, value: unknown): object {
    const anchored = this.anchors.get(this.text.slice(event.anchorStart, event.anchorEnd));
    if (!anchored) throw new GiveUp();
    // The built tree shares one value per anchor; the count stops documents that expand absurdly.
    this.aliasExpansion += anchored.size;
    this.size += anchored.size;
    if (this.aliasExpansion > LIMITS.aliasExpansion) throw new GiveUp();
    if (value !== undefined && value !== anchored.value) throw new GiveUp();
    return anchored.value as object;
  }

  private anchor(event: { anchorStart: number; anchorEnd: number }, value: unknown, sizeBefore: number): void {
    this.anchors.set(this.text.slice(event.anchorStart, event.anchorEnd), { value, size: this.size - sizeBefore });
  }

  private close(frame: Frame): void {
    if (frame.anchor !== undefined) {
      this.anchors.set(frame.anchor, { value: frame.value, size: this.size - frame.sizeBefore });
    }
  }

  /** Where a node begins, as the `yaml` package counts it (a block scalar at its `|` or `>`). */
  private start(event: JsYaml.Event): number {
    switch (event.type) {
      case MAPPING:
      case SEQUENCE:
        return event.start;
      case ALIAS:
        return event.anchorStart;
      case SCALAR:
        return isBlock(event) ? this.blockIndicator(event) : Math.max(0, event.valueStart);
      default:
        throw new GiveUp();
    }
  }

  /** The `|` or `>` before the content (which starts on a later line and may hold either). */
  private blockIndicator(event: JsYaml.ScalarEvent): number {
    if (event.valueStart <= 0) throw new GiveUp();
    return Math.max(0, this.text.lastIndexOf(event.style === LITERAL_BLOCK ? '|' : '>', event.valueStart - 1));
  }

  /**
   * `|2-`: the two parsers read an explicit indentation indicator differently at the top level
   * (js-yaml keeps a space the `yaml` package drops); manifests never need one.
   */
  private explicitIndentation(event: JsYaml.ScalarEvent): boolean {
    const indicator = this.blockIndicator(event);
    const lineEnd = this.text.indexOf('\n', indicator);
    return /[1-9]/.test(this.text.slice(indicator, lineEnd < 0 ? undefined : lineEnd).replace(/#.*/, ''));
  }
}

function isBlock(event: JsYaml.ScalarEvent): boolean {
  return event.style === LITERAL_BLOCK || event.style === FOLDED_BLOCK;
}

/** Offset → line, cheap for offsets that mostly move forward (as events do). */
class LineCursor {
  private offset = 0;
  private line = 1;

  constructor(private readonly text: string) {}

  at(offset: number): number {
    // `offset` (the start of line `line`) moves back a line at a time when asked for an earlier one.
    while (offset < this.offset) {
      this.offset = this.offset >= 2 ? this.text.lastIndexOf('\n', this.offset - 2) + 1 : 0;
      this.line -= 1;
    }
    let next = this.text.indexOf('\n', this.offset);
    while (next !== -1 && next < offset) {
      this.line += 1;
      this.offset = next + 1;
      next = this.text.indexOf('\n', this.offset);
    }
    return this.line;
  }
}
