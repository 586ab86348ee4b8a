import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';
import type { SyntaxProblem } from './errors.js';
import { defineKey, mergeInto } from './mappings.js';
import { LIMITS } from './limits.js';
import type { ParsedDocument } from './parse.js';
import { mayComeFirst, type PositionIndex } from './positions.js';
import type { KubernetesReadings } from './yaml-1-1.js';

/*
 * YAML the fast way: js-yaml's parser (several times faster than the `yaml` package, which
 * keeps a full CST) turns the text into a flat stream of events carrying source offsets, and
 * one pass over that stream builds the plain values and records the line of every mapping,
 * sequence, key and item. Plain scalars resolve by the YAML 1.2 core schema exactly as the
 * `yaml` package resolves them. Whatever this path is not sure about (a parse error, tags other
 * than `!!str`/`!!map`/`!!seq`, directives, complex, duplicate or over-long keys, inline merge
 * sources, empty nodes without a position, an alias count over the limit) makes it give up and
 * leaves the text to the `yaml` package path, whose findings carry the exact messages and lines.
 * Property tests hold the two to the same values and lines.
 */

const require = createRequire(import.meta.url);
let jsYaml: typeof JsYaml | undefined;

/** Loaded on first YAML input: JSON-only runs never pay for it. */
function library(): typeof JsYaml {
  return (jsYaml ??= require('js-yaml') as typeof JsYaml);
}

const DOCUMENT = 1;
const SEQUENCE = 2;
const MAPPING = 3;
const SCALAR = 4;
const ALIAS = 5;
const POP = 6;
const PLAIN = 1;
const DOUBLE_QUOTED = 3;
const LITERAL_BLOCK = 4;
const FOLDED_BLOCK = 5;

/** Why the fast path stepped aside; only ever caught inside this module. */
class GiveUp extends Error {}

/**
 * Parses `text` as multi-document YAML with positions, or returns null when the `yaml` package
 * path must decide (constructs this path does not mirror exactly), or js-yaml's syntax error,
 * which the `yaml` package path decides too where the text is small enough for it.
 */
export function parseYamlWithPositions(text: string, positions: PositionIndex, readings: KubernetesReadings): ParsedDocument[] | SyntaxProblem | null {
  // js-yaml reads a lone CR as a line break; the `yaml` package does not, and lines count LFs.
  if (/\r(?!\n)/.test(text)) return null;
  const yaml = library();
  let events: JsYaml.Event[];
  try {
    events = yaml.parseEvents(text, { maxDepth: LIMITS.depth });
  } catch (error) {
    // What js-yaml said, for text too big for the careful path (which would say it better).
    const { reason, mark } = error as { reason?: unknown; mark?: { line?: unknown } };
    return typeof reason === 'string' && typeof mark?.line === 'number' ? { error: reason, line: mark.line + 1 } : null;
  }
  try {
    return new Builder(text, events, positions, readings, yaml.getScalarValue).documents();
  } catch (error) {
    if (error instanceof GiveUp) return null;
    throw error;
  }
}

class Builder {
  private readonly anchors = new Map<string, { value: unknown; size: number }>();
  private readonly lines: LineCursor;
  /** Index of the event being read. */
  private at = 0;
  /** Nodes built so far in this document, aliases counted at their full size. */
  private size = 0;
  private aliasExpansion = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly events: JsYaml.Event[],
    private readonly positions: PositionIndex,
    private readonly readings: KubernetesReadings,
    private readonly scalarText: typeof JsYaml.getScalarValue,
  ) {
    this.lines = new LineCursor(text);
  }

  documents(): ParsedDocument[] {
    const documents: ParsedDocument[] = [];
    for (; this.at < this.events.length; this.at += 1) {
      const event = this.events[this.at]!;
      if (event.type === POP) continue;
      if (event.type !== DOCUMENT) throw new GiveUp();
      // `%YAML 1.1` switches the `yaml` package to YAML 1.1's schema (`yes`, `0777`, `1_000`).
      if (event.directives.length > 0) throw new GiveUp();
      // Anchors never reach across documents, as in YAML itself.
      this.anchors.clear();
      this.aliasExpansion = 0;
      this.size = 0;
      this.at += 1;
      const root = this.events[this.at]!;
      // An empty document holds no object; its line is never used.
      const line = isEmpty(root) ? 1 : this.lines.at(this.start(root));
      documents.push({ line, value: this.node() });
    }
    return documents;
  }

  /** Builds the node whose event is at `this.at`, leaving `this.at` on its last event. */
  private node(): unknown {
    const event = this.events[this.at]!;
    switch (event.type) {
      case SCALAR: {
        const value = this.scalar(event);
        this.size += 1;
        if (event.anchorStart >= 0) this.anchors.set(this.text.slice(event.anchorStart, event.anchorEnd), { value, size: 1 });
        return value;
      }
      case ALIAS:
        return this.alias(event);
      case MAPPING:
      case SEQUENCE: {
        if (event.tagStart >= 0 && this.tag(event) !== (event.type === MAPPING ? '!!map' : '!!seq')) throw new GiveUp();
        if (++this.depth > LIMITS.depth) throw new GiveUp();
        const sizeBefore = this.size;
        this.size += 1;
        const value = event.type === MAPPING ? this.mapping(event) : this.sequence(event);
        this.depth -= 1;
        if (event.anchorStart >= 0) {
          this.anchors.set(this.text.slice(event.anchorStart, event.anchorEnd), { value, size: this.size - sizeBefore });
        }
        return value;
      }
      default:
        throw new GiveUp();
    }
  }

  private sequence(event: JsYaml.SequenceEvent): unknown[] {
    const list: unknown[] = [];
    const lines: number[] = [];
    const line = this.lines.at(event.start);
    for (this.at += 1; this.events[this.at]!.type !== POP; this.at += 1) {
      lines.push(this.lines.at(this.start(this.events[this.at]!)));
      list.push(this.node());
    }
    this.positions.recordSequence(list, line, lines);
    return list;
  }

  private mapping(event: JsYaml.MappingEvent): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    const names: string[] = [];
    const lines: number[] = [];
    let merged: unknown[] | undefined;
    // Object.keys lists integer-like keys first; otherwise, without merges, it keeps `names`' order.
    let ordered = true;
    const line = this.lines.at(event.start);
    for (this.at += 1; this.events[this.at]!.type !== POP; this.at += 1) {
      const keyEvent = this.events[this.at]!;
      if (keyEvent.type !== SCALAR || isBlock(keyEvent) || keyEvent.tagStart >= 0 || keyEvent.anchorStart >= 0) throw new GiveUp();
      const text = this.scalarText(this.text, keyEvent);
      // YAML allows an implicit key of at most 1024 characters; the `yaml` package says so, and
      // after an empty value it counts from the line break before the key: so do we, to be sure.
      if (keyEvent.valueEnd + 1 - this.text.lastIndexOf('\n', keyEvent.valueStart) > 1024) throw new GiveUp();
      this.at += 1;
      if (text === '<<' && keyEvent.style === PLAIN) {
        // A second `<<` is a duplicate key, which the `yaml` package path reports.
        if (merged) throw new GiveUp();
        merged = this.mergeSources();
        continue;
      }
      // Keys are strings, as the `yaml` package path makes them (`1.0:` → "1", `~:` → "null").
      const keyLine = this.lines.at(this.start(keyEvent));
      const key = keyEvent.style === PLAIN ? String(this.readings.value(text, resolvePlain(text, keyEvent.valueStart < 0), keyLine)) : text;
      // A duplicate key is an error the `yaml` package path names with its line.
      if (Object.hasOwn(map, key)) throw new GiveUp();
      if (mayComeFirst(key)) ordered = false;
      names.push(key);
      lines.push(keyLine);
      defineKey(map, key, this.node());
    }
    if (merged) mergeInto(map, merged, this.positions, names, lines);
    this.positions.recordMapping(map, line, names, lines, ordered && !merged);
    return map;
  }

  /**
   * `<<: *base` or `<<: [*a, *b]`: only aliases, whose values (and lines) are known. Counted and
   * spread as the `yaml` package path does (an alias to a list merges the list's mappings).
   */
  private mergeSources(): unknown[] {
    const event = this.events[this.at]!;
    if (event.type === ALIAS) {
      const value = this.alias(event);
      return Array.isArray(value) ? value : [value];
    }
    if (event.type !== SEQUENCE || event.anchorStart >= 0 || event.tagStart >= 0) throw new GiveUp();
    this.size += 1;
    const sources: unknown[] = [];
    for (this.at += 1; this.events[this.at]!.type !== POP; this.at += 1) {
      const item = this.events[this.at]!;
      if (item.type !== ALIAS) throw new GiveUp();
      sources.push(this.alias(item));
    }
    return sources;
  }

  /** The anchored value, shared (memory stays flat), counted at its full size. */
  private alias(event: JsYaml.AliasEvent): unknown {
    const anchored = this.anchors.get(this.text.slice(event.anchorStart, event.anchorEnd));
    if (!anchored) throw new GiveUp();
    this.aliasExpansion += anchored.size;
    this.size += anchored.size;
    // Over the limit: the `yaml` package path refuses it with MS002.
    if (this.aliasExpansion > LIMITS.aliasExpansion) throw new GiveUp();
    return anchored.value;
  }

  private scalar(event: JsYaml.ScalarEvent): unknown {
    if (isBlock(event) && this.explicitIndentation(event)) throw new GiveUp();
    // js-yaml decodes an escape beyond Unicode (`"\U00110000"`) that the `yaml` package refuses.
    if (event.style === DOUBLE_QUOTED && this.text.slice(event.valueStart, event.valueEnd).includes('\\U')) throw new GiveUp();
    // `!!str 42` is the one tag manifests use; any other is the `yaml` package path's to read.
    if (event.tagStart >= 0) {
      if (this.tag(event) !== '!!str' || event.valueStart < 0) throw new GiveUp();
      return this.scalarText(this.text, event);
    }
    const text = this.scalarText(this.text, event);
    return event.style === PLAIN ? this.readings.value(text, resolvePlain(text, event.valueStart < 0), () => this.lines.at(this.start(event))) : text;
  }

  private tag(event: { tagStart: number; tagEnd: number }): string {
    return this.text.slice(event.tagStart, event.tagEnd);
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
        if (isBlock(event)) return this.blockIndicator(event);
        if (event.valueStart >= 0) return event.valueStart;
        // An empty value (a bare `-`, `: v`) has no offset of its own; its tag or anchor may.
        if (event.tagStart >= 0 || event.anchorStart >= 0) return Math.max(event.tagStart, event.anchorStart);
        throw new GiveUp();
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

function isEmpty(event: JsYaml.Event): boolean {
  return event.type === SCALAR && event.valueStart < 0 && event.tagStart < 0 && event.anchorStart < 0;
}

function isBlock(event: JsYaml.ScalarEvent): boolean {
  return event.style === LITERAL_BLOCK || event.style === FOLDED_BLOCK;
}

/**
 * A plain scalar by the YAML 1.2 core schema, with the `yaml` package's own tests and
 * conversions (`yaml/dist/schema/core`): null, booleans, decimal/octal/hex integers, floats.
 */
export function resolvePlain(text: string, empty = false): unknown {
  if (empty) return null;
  const first = text.charCodeAt(0);
  // Most plain scalars are words: nothing below can match one that starts with a letter other
  // than those of null, true and false.
  const maybeKeyword = first === 126 || first === 110 || first === 78 || first === 116 || first === 84 || first === 102 || first === 70;
  if (maybeKeyword) {
    if (/^(?:~|[Nn]ull|NULL)$/.test(text)) return null;
    if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text)) return first === 116 || first === 84;
    return text;
  }
  const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
  if (!numeric) return text;
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) {
    return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text)) return parseFloat(text);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text)) return parseFloat(text);
  return text;
}

/** Offset → line, cheap for offsets that mostly move forward (as events do). */
class LineCursor {
  private offset = 0;
  private line = 1;
  /**
   * Where line `line` ends (its newline; -1 on the last line), kept: searched afresh for every
   * event, a line holding 500,000 flow items was scanned 500,000 times.
   */
  private end: number;

  constructor(private readonly text: string) {
    this.end = text.indexOf('\n');
  }

  at(offset: number): number {
    // `offset` (the start of line `line`) moves back a line at a time when asked for an earlier one.
    while (offset < this.offset) {
      this.end = this.offset - 1;
      this.offset = this.offset >= 2 ? this.text.lastIndexOf('\n', this.offset - 2) + 1 : 0;
      this.line -= 1;
    }
    while (this.end !== -1 && this.end < offset) {
      this.line += 1;
      this.offset = this.end + 1;
      this.end = this.text.indexOf('\n', this.offset);
    }
    return this.line;
  }
}
