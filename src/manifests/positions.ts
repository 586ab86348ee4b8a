import { LIMITS, TooManyContainers } from './limits.js';

/**
 * Where every mapping, sequence and key of a parsed document came from. Positions live beside
 * the plain JavaScript values (a Map keyed by the object) so the resolver works on ordinary
 * data and still points findings at a file and line.
 *
 * A big List has some 100,000 nodes, so the lines are packed: each node's entry in the Map is
 * an offset into one shared Int32Array holding the node's own line, its count of keys or items,
 * and their lines (a mapping's in source order, a sequence's by index). No object per node,
 * nothing for the garbage collector to trace; before they were packed, positions were two
 * thirds of the parsed heap and a good share of the collector's work.
 */
class PackedLines {
  /** node → offset of its record in `lines`. A Map, not a WeakMap: the index lives exactly as
   * long as the documents it describes, and WeakMap entries cost several times more. */
  readonly offsets = new Map<object, number>();
  /**
   * Mappings' keys in source order, for the few whose order `Object.keys` does not give
   * (integer-like or repeated keys, merged keys without a line), and, once first looked up, for
   * the others (from `Object.keys`); a key → index Map instead for mappings of many keys.
   */
  readonly names = new Map<object, readonly string[] | KeyIndex>();
  // Small to start: every source gets its own (a directory may hold thousands of small files).
  lines = new Int32Array(256);
  length = 0;

  add(node: object, line: number, lines: readonly number[]): void {
    const at = this.reserve(node, line, lines.length);
    for (let index = 0; index < lines.length; index++) this.lines[at + 2 + index] = lines[index] ?? line;
  }

  /**
   * A record for `node` with `count` entries, each at the node's own line until set. A node
   * recorded again with as many entries (a JSON mapping whose keys stopped following
   * `Object.keys`, recorded as written when it closes) gets its record back to fill.
   */
  reserve(node: object, line: number, count: number): number {
    const known = this.offsets.get(node);
    if (known !== undefined && this.lines[known + 1] === count) {
      this.lines[known] = line;
      if (this.names.size > 0) this.names.delete(node);
      return known;
    }
    if (this.offsets.size >= LIMITS.containers) throw new TooManyContainers();
    const needed = this.length + 2 + count;
    if (needed > this.lines.length) {
      const grown = new Int32Array(Math.max(needed, this.lines.length * 2));
      grown.set(this.lines.subarray(0, this.length));
      this.lines = grown;
    }
    const at = this.length;
    this.lines[at] = line;
    this.lines[at + 1] = count;
    this.lines.fill(line, at + 2, needed);
    this.length = needed;
    this.offsets.set(node, at);
    // A node recorded again takes its keys from the last record, as its lines.
    if (this.names.size > 0) this.names.delete(node);
    return at;
  }
}

export class PositionIndex {
  /** `lineOffset` re-bases lines, e.g. to make a kubectl List item's lines its own. */
  constructor(
    private readonly packed = new PackedLines(),
    private readonly lineOffset = 0,
  ) {}

  /**
   * `names[i]` is the key at `lines[i]`, in source order; both arrays may be reused after.
   * `knownInOrder`: the caller knows that Object.keys(map) lists exactly `names` (saves comparing).
   */
  recordMapping(map: object, line: number, names: readonly string[], lines: readonly number[], knownInOrder = false): void {
    this.packed.add(map, line, lines);
    if (!knownInOrder && !inObjectKeysOrder(map, names)) this.packed.names.set(map, names.slice());
  }

  /** `recordMapping` for keys known not to follow `Object.keys`: their names are kept as given. */
  recordMappingAsWritten(map: object, line: number, names: readonly string[], lines: readonly number[]): void {
    this.packed.add(map, line, lines);
    this.packed.names.set(map, names.slice());
  }

  /** `lines[i]` is item i's line; the array may be reused after. */
  recordSequence(list: readonly unknown[], line: number, lines: readonly number[]): void {
    this.packed.add(list, line, lines);
  }

  /**
   * For a reader that knows how many keys or items a container has as it opens it (the JSON
   * pass: the parsed value is at hand): reserves the record, to be filled by `setEntryLine`
   * without an array per container. A mapping recorded so lists its keys in `Object.keys` order.
   */
  reserve(node: object, line: number, count: number): number {
    return this.packed.reserve(node, line, count);
  }

  /** Line of entry `index` (an item, or the index-th key in `Object.keys` order) of a reserved record. */
  setEntryLine(record: number, index: number, line: number): void {
    this.packed.lines[record + 2 + index] = line;
  }

  /** Line of entry `index` of a reserved record (undefined for no record). */
  entryLine(record: number, index: number): number | undefined {
    return record < 0 ? undefined : this.packed.lines[record + 2 + index];
  }

  /** A view of the same positions with lines counted from `firstLine` (which becomes line 1). */
  rebased(firstLine: number): PositionIndex {
    return new PositionIndex(this.packed, this.lineOffset + firstLine - 1);
  }

  /** Line of `node`, or of its `key` when given and known. */
  lineOf(node: unknown, key?: string | number): number | undefined {
    if (node === null || typeof node !== 'object') return undefined;
    const at = this.packed.offsets.get(node);
    if (at === undefined) return undefined;
    const { lines } = this.packed;
    let line = lines[at]!;
    if (key !== undefined) {
      const index = this.indexOf(node, key);
      if (Number.isInteger(index) && index >= 0 && index < lines[at + 1]!) line = lines[at + 2 + index]!;
    }
    return line - this.lineOffset;
  }

  /** Line of the deepest node along `path` from `root` that has a known position. */
  lineOfPath(root: unknown, path: readonly PropertyKey[]): number | undefined {
    let line = this.lineOf(root);
    let node: unknown = root;
    for (const step of path) {
      if (node === null || typeof node !== 'object' || typeof step === 'symbol') break;
      line = this.lineOf(node, step) ?? line;
      node = (node as Record<string | number, unknown>)[step];
    }
    return line;
  }

  private indexOf(node: object, key: string | number): number {
    if (Array.isArray(node)) return Number(key);
    const stored = this.packed.names.get(node);
    let names = stored ?? Object.keys(node);
    // A big mapping (thousands of annotations, say) is looked up key by key: a scan per lookup
    // would be quadratic there, so it gets a Map once.
    if (Array.isArray(names) && names.length > KEY_INDEX_FROM) names = new KeyIndex(names);
    if (names !== stored) this.packed.names.set(node, names);
    // The last of a repeated key: its value is the one kept (JSON.parse, YAML `1:` and `"1":`).
    return names instanceof KeyIndex ? (names.get(String(key)) ?? -1) : names.lastIndexOf(String(key));
  }
}

const KEY_INDEX_FROM = 32;

/**
 * Whether `Object.keys` may list `key` before keys set earlier: it lists integer-like keys
 * first, and those start with a digit. A reader whose keys never do may record a mapping as
 * `knownInOrder`.
 */
export function mayComeFirst(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57;
}

/** Key → index of its last occurrence. */
class KeyIndex extends Map<string, number> {
  constructor(names: readonly string[]) {
    super();
    names.forEach((name, index) => this.set(name, index));
  }
}

function inObjectKeysOrder(map: object, names: readonly string[]): boolean {
  const keys = Object.keys(map);
  return keys.length === names.length && keys.every((key, index) => key === names[index]);
}
