import { defineKey } from './mappings.js';
import { LIMITS } from './limits.js';
import type { ParsedDocument } from './parse.js';
import { mayComeFirst, type PositionIndex } from './positions.js';
import { isEscaped } from './scan.js';
import { resolvePlain } from './yaml-events.js';
import type { KubernetesReadings } from './yaml-1-1.js';

/*
 * The YAML that `kubectl get -o yaml` and Helm print, read line by line: block mappings and
 * sequences (a sequence may sit at its key's indentation), one-line plain, single- and
 * double-quoted scalars, `|` and `|-` literal blocks, `{}` and `[]`, comments and `---`.
 * A big List is nothing else, and reading it a line at a time, with the line number in hand,
 * costs a fraction of a general YAML parser's character-by-character state machine.
 *
 * Anything outside that subset — flow collections with content, anchors, aliases, tags,
 * directives, `>` and `|+` blocks, multi-line or escaped-beyond-JSON scalars, quoted or complex
 * keys, merge keys, duplicate keys, tabs, CRs, non-printable or astral characters, empty
 * documents or items, and every error — makes it step aside (null) for the js-yaml events path,
 * which steps aside in turn for the `yaml` package. Values and lines are those of both (the
 * property tests hold all three to the `yaml` package).
 */

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DOT = 46;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;
const PIPE = 124;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;

/**
 * What the subset never holds: tabs, CRs, a byte-order mark, characters YAML forbids or js-yaml
 * and the `yaml` package read differently (C0/C1 controls, U+FFFE/F), and surrogates.
 */
const OUTSIDE = /[\t\r\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]/;
/** Characters that cannot start a plain scalar or a key here (YAML indicators, or not mirrored). */
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));
/** Escapes a double-quoted scalar may hold to be read as JSON reads them (YAML has more). */
const JSON_ESCAPES = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/g;
/** `\ud83d`: surrogate pairs are read differently; conservative (a `\\ud8` also steps aside). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** Why the subset reader stepped aside; only ever caught inside this module. */
class OutsideSubset extends Error {}

export function parseBlockYaml(text: string, positions: PositionIndex, readings: KubernetesReadings): ParsedDocument[] | null {
  if (OUTSIDE.test(text)) return null;
  try {
    return new BlockReader(text, positions, readings).documents();
  } catch (error) {
    if (error instanceof OutsideSubset) return null;
    throw error;
  }
}

const isQuote = (code: number): boolean => code === SINGLE_QUOTE || code === DOUBLE_QUOTE;

const outside = (): never => {
  throw new OutsideSubset();
};

class BlockReader {
  /** Offset where the current line starts. */
  private start = 0;
  /** Offset of its line break (or the text's end). */
  private end = 0;
  /** 1-based number of the current line. */
  private line = 1;
  /**
   * Column of the node being read on this line: the line's indentation, or further in for a
   * node after `- ` (a compact mapping or sequence starts there, and continues at that column).
   */
  private column = 0;
  /** No more content in this document: the end of the text, or a `---`/`...` line. */
  private atBoundary = false;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly positions: PositionIndex,
    private readonly readings: KubernetesReadings,
  ) {
    this.load();
    this.skipToContent();
  }

  documents(): ParsedDocument[] {
    const documents: ParsedDocument[] = [];
    while (this.start < this.text.length) {
      if (this.atBoundary) {
        // `--- # note` is fine; content after the marker (`--- !tag`, `--- {}`) is not mirrored.
        if (!this.isMarker('---') || !this.restIsEmpty(this.afterSpaces(this.start + 3))) outside();
        this.nextLine();
        this.skipToContent();
        // An empty document: the parsers count those differently.
        if (this.atBoundary) outside();
      }
      // An indented root is not mirrored; neither a directive (`%YAML 1.1` changes the schema)
      // nor a root scalar is a block node, so blockNode steps aside for those.
      if (this.column !== 0) outside();
      const line = this.line;
      documents.push({ line, value: this.blockNode(-1, false) });
      // The root ends at a `---`, a `...` or the end, never at a sibling (`- a` then `b: 1`).
      if (!this.atBoundary) outside();
    }
    return documents.length > 0 ? documents : outside();
  }

  /**
   * The node that begins on the current content line at `this.column`, which must be deeper
   * than `parent` (or at it, for a sequence under a mapping key): a block sequence or mapping;
   * a scalar on a line of its own is outside the subset.
   */
  private blockNode(parent: number, underKey: boolean): unknown {
    if (this.atBoundary) return null;
    const at = this.start + this.column;
    if (this.column > parent) {
      if (this.isEntry(at)) return this.sequence();
      if (this.keyEnd(at) >= 0) return this.mapping();
      return outside();
    }
    // `key:` then `- item` at the key's own indentation, as kubectl prints lists.
    if (underKey && this.column === parent && this.isEntry(at)) return this.sequence();
    return null;
  }

  private sequence(): unknown[] {
    if (++this.depth > LIMITS.depth) outside();
    const column = this.column;
    const list: unknown[] = [];
    const lines: number[] = [];
    const line = this.line;
    while (!this.atBoundary && this.column === column && this.isEntry(this.start + column)) {
      const value = this.afterSpaces(this.start + column + 1);
      if (this.restIsEmpty(value)) {
        this.nextLine();
        this.skipToContent();
        // A bare `-` followed by its sibling or less: an empty item.
        if (this.atBoundary || this.column <= column) outside();
        lines.push(this.line);
        list.push(this.blockNode(column, false));
      } else {
        lines.push(this.line);
        list.push(this.inlineNode(value, column, true));
      }
    }
    if (!this.atBoundary && this.column > column) outside();
    this.positions.recordSequence(list, line, lines);
    this.depth -= 1;
    return list;
  }

  private mapping(): Record<string, unknown> {
    if (++this.depth > LIMITS.depth) outside();
    const column = this.column;
    const map: Record<string, unknown> = {};
    const names: string[] = [];
    const lines: number[] = [];
    // Object.keys lists integer-like keys first; otherwise it keeps `names`' order.
    let ordered = true;
    const line = this.line;
    while (!this.atBoundary && this.column === column) {
      const keyStart = this.start + column;
      const colon = this.keyEnd(keyStart);
      if (colon < 0) outside();
      const quoted = isQuote(this.text.charCodeAt(keyStart));
      const keyText = quoted ? this.unquote(keyStart, colon - 1) : this.text.slice(keyStart, colon);
      // Merge keys, and over-long keys, are for the other paths. The `yaml` package refuses a `:`
      // over 1024 characters from the key's start, which it may count from the line break
      // before (after an empty value): measured from there, to be sure.
      if ((keyText === '<<' && !quoted) || colon - this.start + 1 > 1024) outside();
      // Plain keys resolve as scalars do, then become strings (`1.0:` → "1", `~:` → "null").
      const key = quoted ? keyText : String(this.readings.value(keyText, resolvePlain(keyText), this.line));
      if (Object.hasOwn(map, key)) outside();
      if (mayComeFirst(key)) ordered = false;
      names.push(key);
      lines.push(this.line);
      const value = this.afterSpaces(colon + 1);
      if (this.restIsEmpty(value)) {
        this.nextLine();
        this.skipToContent();
        defineKey(map, key, this.blockNode(column, true));
      } else {
        defineKey(map, key, this.inlineNode(value, column, false));
      }
    }
    if (!this.atBoundary && this.column > column) outside();
    this.positions.recordMapping(map, line, names, lines, ordered);
    this.depth -= 1;
    return map;
  }

  /**
   * A node that starts mid-line at `at`, inside a block at `parent`: after `- ` a compact
   * sequence or mapping may start there; otherwise a scalar, `{}` or `[]`. Leaves the reader
   * on the next content line.
   */
  private inlineNode(at: number, parent: number, afterDash: boolean): unknown {
    if (afterDash && (this.isEntry(at) || this.keyEnd(at) >= 0)) {
      this.column = at - this.start;
      return this.isEntry(at) ? this.sequence() : this.mapping();
    }
    const code = this.text.charCodeAt(at);
    let value: unknown;
    if (code === PIPE) return this.literalBlock(at, parent);
    if (isQuote(code)) {
      const close = this.closingQuote(at);
      if (close < 0 || !this.restIsEmpty(this.afterSpaces(close + 1))) outside();
      value = this.unquote(at, close);
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) value = this.emptyCollection(at, code);
    else value = this.plain(at);
    this.nextLine();
    this.skipToContent();
    return value;
  }

  private plain(at: number): unknown {
    const code = this.text.charCodeAt(at);
    if (INDICATORS.has(code)) {
      // `-1`, `-x`, `:x` and `?x` are plain; `- `, `: `, `? ` and the other indicators are not.
      const next = this.text.charCodeAt(at + 1);
      if (!(code === DASH || code === COLON || code === 63) || next === SPACE || at + 1 >= this.end) outside();
    }
    let stop = this.comment(at);
    while (stop > at && this.text.charCodeAt(stop - 1) === SPACE) stop -= 1;
    const scalar = this.text.slice(at, stop);
    // `a: b: c` and `a: b:` are errors (a mapping cannot start mid-line after a key).
    if (scalar.includes(': ') || scalar.charCodeAt(scalar.length - 1) === COLON) outside();
    return this.readings.value(scalar, resolvePlain(scalar), this.line);
  }

  /** The quote closing the one at `at` on this line, or -1 (a multi-line scalar is not mirrored). */
  private closingQuote(at: number): number {
    const { text, end } = this;
    const quote = text.charCodeAt(at);
    for (let i = at + 1; i < end; i++) {
      if (text.charCodeAt(i) !== quote) continue;
      if (quote === SINGLE_QUOTE) {
        // `''` is a quote inside single quotes.
        if (text.charCodeAt(i + 1) !== SINGLE_QUOTE) return i;
        i += 1;
      } else if (!isEscaped(text, i)) {
        return i;
      }
    }
    return -1;
  }

  /** The text between the quotes at `at` and `close`, unescaped. */
  private unquote(at: number, close: number): string {
    const raw = this.text.slice(at + 1, close);
    if (this.text.charCodeAt(at) === SINGLE_QUOTE) return raw.replaceAll("''", "'");
    if (!raw.includes('\\')) return raw;
    // Escapes match pair by pair from the left: a doubled backslash is one, a stray one is left over.
    if (raw.replace(JSON_ESCAPES, '').includes('\\') || SURROGATE_ESCAPE.test(raw)) outside();
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return outside();
    }
  }

  /** `{}` or `[]`, which kubectl prints for empty fields (`status: {}`). */
  private emptyCollection(at: number, code: number): unknown {
    const closing = code === OPEN_BRACE ? 125 : 93;
    if (this.text.charCodeAt(at + 1) !== closing || !this.restIsEmpty(this.afterSpaces(at + 2))) outside();
    if (code === OPEN_BRACE) {
      const map = {};
      this.positions.recordMapping(map, this.line, [], [], true);
      return map;
    }
    const list: unknown[] = [];
    this.positions.recordSequence(list, this.line, []);
    return list;
  }

  /**
   * `|` (clip) or `|-` (strip), its content indented past `parent` by the first content line.
   * Other headers, content that ends the text without a line break, and lines of spaces
   * beyond the indentation are the other paths' (they read those corners differently).
   */
  private literalBlock(at: number, parent: number): string {
    const strip = this.text.charCodeAt(at + 1) === DASH;
    if (!this.restIsEmpty(this.afterSpaces(at + (strip ? 2 : 1)))) outside();
    const content: string[] = [];
    let indent = -1;
    let trailingEmpty = 0;
    for (;;) {
      this.nextLine();
      if (this.start >= this.text.length) break;
      const spaces = this.column;
      if (this.start + spaces === this.end) {
        // An empty line belongs to the block; spaces past its indentation are not mirrored.
        if (spaces > 0 && (indent < 0 || spaces > indent)) outside();
        content.push('');
        trailingEmpty += 1;
        continue;
      }
      if (indent < 0) {
        if (spaces <= parent) break;
        indent = spaces;
      } else if (spaces < indent) {
        break;
      }
      // The last line without a line break: the parsers disagree on what clipping keeps.
      if (this.end === this.text.length) outside();
      content.push(this.text.slice(this.start + indent, this.end));
      trailingEmpty = 0;
    }
    if (indent < 0) outside();
    content.length -= trailingEmpty;
    // The loop stopped on the first line past the block (or the end).
    this.skipToContent();
    return strip ? content.join('\n') : `${content.join('\n')}\n`;
  }

  /** A `- ` or a `-` ending the line at `at`. */
  private isEntry(at: number): boolean {
    return this.text.charCodeAt(at) === DASH && (at + 1 === this.end || this.text.charCodeAt(at + 1) === SPACE);
  }

  /**
   * The offset of the `:` ending a key (plain, or quoted on one line) that starts at `at` on
   * this line, or -1 when the line holds none; a complex or unusual key is outside the subset.
   */
  private keyEnd(at: number): number {
    const { text, end } = this;
    const code = text.charCodeAt(at);
    if (isQuote(code)) {
      // `"key": value`: the colon right after the closing quote.
      const close = this.closingQuote(at);
      if (close < 0) return -1;
      const colon = close + 1;
      return text.charCodeAt(colon) === COLON && (colon + 1 === end || text.charCodeAt(colon + 1) === SPACE) ? colon : -1;
    }
    if (INDICATORS.has(code)) return -1;
    let colon = at;
    while (colon < end && !(text.charCodeAt(colon) === COLON && (colon + 1 === end || text.charCodeAt(colon + 1) === SPACE))) {
      colon += 1;
    }
    if (colon === end) return -1;
    // `k :` (a space before the colon) and `a #b: c` (a comment first) are not mirrored.
    if (text.charCodeAt(colon - 1) === SPACE || this.comment(at) < colon) outside();
    return colon;
  }

  /** Where a comment (` #`) starts on this line after `at`, or the line's end. */
  private comment(at: number): number {
    const { text, end } = this;
    for (let i = at + 1; i < end; i++) {
      if (text.charCodeAt(i) === HASH && text.charCodeAt(i - 1) === SPACE) return i - 1;
    }
    return end;
  }

  private afterSpaces(at: number): number {
    while (this.text.charCodeAt(at) === SPACE) at += 1;
    return at;
  }

  /** Nothing but an end of line or a comment from `at` (which follows a space or starts the rest). */
  private restIsEmpty(at: number): boolean {
    if (at >= this.end) return true;
    return this.text.charCodeAt(at) === HASH && this.text.charCodeAt(at - 1) === SPACE;
  }

  private isMarker(marker: '---' | '...'): boolean {
    const { text, start } = this;
    return text.startsWith(marker, start) && (start + 3 === this.end || text.charCodeAt(start + 3) === SPACE);
  }

  private load(): void {
    const end = this.text.indexOf('\n', this.start);
    this.end = end < 0 ? this.text.length : end;
    this.column = this.afterSpaces(this.start) - this.start;
    this.atBoundary = this.start >= this.text.length;
  }

  private nextLine(): void {
    this.start = this.end + 1;
    this.line += 1;
    this.load();
  }

  /** On to the first line holding something other than spaces or a comment. */
  private skipToContent(): void {
    for (;;) {
      if (this.start >= this.text.length) {
        this.atBoundary = true;
        return;
      }
      const at = this.start + this.column;
      if (at < this.end && this.text.charCodeAt(at) !== HASH) break;
      this.nextLine();
    }
    // `---` and `...` at the start of a line end the document's blocks.
    const first = this.text.charCodeAt(this.start);
    this.atBoundary = this.column === 0 && (first === DASH || first === DOT) && (this.isMarker('---') || this.isMarker('...'));
  }
}
