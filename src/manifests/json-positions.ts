import { LIMITS } from './limits.js';
import type { SyntaxProblem } from './errors.js';
import type { PositionIndex } from './positions.js';
import { isEscaped } from './scan.js';

/**
 * JSON (what `kubectl get -o json` prints) the fast way: the values from the native
 * `JSON.parse`, and positions from one structural pass over the text that never builds a
 * value — it only follows brackets, keys and items, in step with the parsed tree. Several times
 * faster than a YAML parser on the same text, with the same file and line for every key and item.
 * When the text is not JSON, returns what JSON.parse said and where (the caller tries the YAML
 * readers first, whose errors are more precise, and uses this where the text is too big for
 * them). Throws RepeatedKey at the first key written twice in one mapping.
 */
export function parseJsonWithPositions(text: string, positions: PositionIndex): { value: unknown; line: number } | SyntaxProblem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return brokenJson(text, error as SyntaxError);
  }
  if (value === null || typeof value !== 'object') return { value, line: 1 };
  return { value, line: indexPositions(text, value as object, positions) };
}

/**
 * V8's message, its "at position N" turned into a line. Without a position, V8 either ran out of
 * text (the last line) or quotes the text around the error ("Unexpected token 'x', …"name": x"s…
 * is not valid JSON"), which is looked up; failing that, line 1.
 */
function brokenJson(text: string, error: SyntaxError): SyntaxProblem {
  const at = /\s*in JSON at position (\d+)/.exec(error.message);
  if (at) return { error: error.message.replace(at[0], ' in JSON'), line: lineAt(text, Math.min(Number(at[1]), text.length)) };
  if (/^Unexpected end of JSON input/.test(error.message)) return { error: error.message, line: lineAt(text, text.length) };
  // V8 quotes up to 10 characters either side of the error (json-parser.cc), after "..." when cut.
  const quoted = /^Unexpected token .*?, (\.\.\.)?"(.+?)"(?:\.\.\.)? is not valid JSON$/s.exec(error.message);
  const found = quoted ? text.indexOf(quoted[2]!) : -1;
  return { error: error.message, line: found === -1 ? 1 : lineAt(text, found + (quoted![1] ? 10 : 0)) };
}

/** The line of `offset` in `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * A key written twice in one mapping. JSON.parse keeps the last value without a word; the YAML
 * readers refuse the same text (YAML requires unique keys), and so does Kubernetes' strict field
 * validation, so JSON is held to the same rule: one reading of a manifest, whatever its syntax.
 */
export class RepeatedKey extends Error {
  constructor(readonly line: number) {
    super('Map keys must be unique');
  }
}

/**
 * One open container of the pass. Frames are kept by depth and reused, so the pass allocates
 * nothing per container but the `Object.keys` array it needs to follow a mapping's keys.
 */
class Frame {
  node: unknown = undefined;
  mapping = false;
  line = 0;
  /** The reserved record (see PositionIndex.reserve), or -1 where the text holds no parsed value. */
  record = -1;
  /** Entries the record holds. */
  size = 0;
  /** A mapping's keys as `Object.keys` lists them: the text's keys in order, in the usual case. */
  keys: readonly string[] = NO_KEYS;
  /** Keys seen (a mapping), or the current item's index (a sequence). */
  count = 0;
  /** The current key of a mapping. */
  key: string | undefined = undefined;
  /**
   * Names and lines as written, once the text's keys stop following `keys` (integer-like keys,
   * escapes; a repeated key, which ends the pass): recorded the general way when the mapping closes.
   */
  names: string[] | null = null;
  lines: number[] | null = null;
  /** The names read so far once they stop following `keys`, to stop at the first repeat. */
  written: Set<string> | null = null;
}

const NO_KEYS: readonly string[] = [];
const QUOTE = 34;
const BACKSLASH = '\\';
const NEWLINE = 10;

/** Walks the text's structure alongside the parsed tree; returns the root's line. */
function indexPositions(text: string, root: object, positions: PositionIndex): number {
  const frames: Frame[] = [];
  let depth = 0;
  let line = 1;
  let rootLine = 1;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Most characters of indented JSON are spaces: the cheapest test comes first.
    if (code <= 32) {
      if (code === NEWLINE) line++;
      continue;
    }
    const frame = depth > 0 ? frames[depth - 1]! : undefined;
    if (code === QUOTE) {
      // A string: a key where one is expected, otherwise a value (perhaps an item).
      if (frame && expectKey) {
        i = readKey(text, i, frame, line, positions);
        expectKey = false;
        continue;
      }
      if (frame && !frame.mapping) noteItem(frame, line, positions);
      i = closingQuote(text, i);
      continue;
    }
    if (code === 123 || code === 91) {
      // { or [: the container is the parsed value at this place in the parent.
      let node: unknown;
      if (!frame) {
        node = root;
        rootLine = line;
      } else if (!frame.mapping) {
        node = Array.isArray(frame.node) ? frame.node[frame.count] : undefined;
        noteItem(frame, line, positions);
      } else {
        node = childOf(frame);
      }
      if (depth >= LIMITS.depth) throw new RangeError('nesting too deep');
      const opened = (frames[depth] ??= new Frame());
      depth++;
      open(opened, node, code === 123, line, positions);
      expectKey = code === 123;
      continue;
    }
    if (code === 125 || code === 93) {
      if (frame) {
        depth--;
        if (frame.names && frame.node !== null && typeof frame.node === 'object') positions.recordMappingAsWritten(frame.node, frame.line, frame.names, frame.lines!);
      }
      expectKey = false;
      continue;
    }
    if (code === 44) {
      // ,: the next key, or the next item.
      if (frame && !frame.mapping) frame.count++;
      else expectKey = true;
      continue;
    }
    if (code !== 58) {
      // A number, true, false or null: perhaps an item; its other characters are skipped.
      if (frame && !frame.mapping) noteItem(frame, line, positions);
      while (i + 1 < text.length && isLiteralPart(text.charCodeAt(i + 1))) i++;
    }
  }
  return rootLine;
}

function open(frame: Frame, node: unknown, mapping: boolean, line: number, positions: PositionIndex): void {
  const isObject = node !== null && typeof node === 'object';
  frame.node = node;
  frame.mapping = mapping;
  frame.line = line;
  frame.count = 0;
  frame.key = undefined;
  frame.names = null;
  frame.lines = null;
  frame.written = null;
  if (mapping) {
    frame.keys = isObject && !Array.isArray(node) ? Object.keys(node) : NO_KEYS;
    frame.size = frame.keys.length;
    frame.record = frame.keys === NO_KEYS ? -1 : positions.reserve(node as object, line, frame.size);
  } else {
    frame.keys = NO_KEYS;
    frame.size = Array.isArray(node) ? node.length : 0;
    frame.record = Array.isArray(node) ? positions.reserve(node, line, frame.size) : -1;
  }
}

/**
 * The parsed value of the mapping's current key: never one its prototype lends. Before a
 * repeated key is met (and the pass ends), the earlier value is walked against the kept one,
 * which may lack its keys: `{"a": {"constructor": …}, "a": {}}` would reach `Object`.
 */
function childOf(frame: Frame): unknown {
  const { node, key } = frame;
  if (key === undefined || node === null || typeof node !== 'object') return undefined;
  // Keys that follow `Object.keys` are the node's own.
  if (frame.names !== null && !Object.hasOwn(node, key)) return undefined;
  return (node as Record<string, unknown>)[key];
}

function noteItem(frame: Frame, line: number, positions: PositionIndex): void {
  if (frame.record >= 0 && frame.count < frame.size) positions.setEntryLine(frame.record, frame.count, line);
}

/**
 * A key at the quote `at`; returns its closing quote. The usual key is the next one
 * `Object.keys` lists, compared in place (no copy of it is made); the first that is not turns
 * the mapping to names as written.
 */
function readKey(text: string, at: number, frame: Frame, line: number, positions: PositionIndex): number {
  if (frame.names === null) {
    const expected = frame.keys[frame.count];
    // Without a backslash in it, a key that matches up to a quote is that key, unescaped.
    if (expected !== undefined && text.startsWith(expected, at + 1) && text.charCodeAt(at + 1 + expected.length) === QUOTE && !expected.includes(BACKSLASH)) {
      frame.key = expected;
      if (frame.record >= 0) positions.setEntryLine(frame.record, frame.count, line);
      frame.count++;
      return at + 1 + expected.length;
    }
    frame.names = frame.keys.slice(0, frame.count);
    frame.lines = frame.names.map((_, index) => positions.entryLine(frame.record, index) ?? frame.line);
    frame.written = new Set(frame.names);
  }
  const end = closingQuote(text, at);
  frame.key = keyText(text, at, end);
  if (frame.written!.has(frame.key)) throw new RepeatedKey(line);
  frame.written!.add(frame.key);
  frame.names.push(frame.key);
  frame.lines!.push(line);
  frame.count++;
  return end;
}

/** The key whose quotes are at `at` and `end`, unescaped. */
function keyText(text: string, at: number, end: number): string {
  const raw = text.slice(at + 1, end);
  return raw.includes(BACKSLASH) ? (JSON.parse(`"${raw}"`) as string) : raw;
}

/** The closing quote of the string opening at `at`: the next one not escaped by an odd run of
 * backslashes (indexOf is native and fast; JSON strings hold no raw newlines, so no line is skipped). */
function closingQuote(text: string, at: number): number {
  let end = text.indexOf('"', at + 1);
  while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
  return end === -1 ? text.length : end;
}

/** Characters of a JSON number or of true, false and null. */
function isLiteralPart(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 43 || code === 45 || code === 46;
}
