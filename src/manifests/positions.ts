/**
 * Where every mapping, sequence and key of a parsed document came from. Positions live beside
 * the plain JavaScript values (a Map keyed by the object) so the resolver works on ordinary
 * data and still points findings at a file and line.
 */
export interface NodePosition {
  line: number;
  /**
   * Mappings: the keys in source order when `Object.keys` does not give that order (integer-like
   * or repeated keys, merged keys without a line), each key's line at the same index of
   * `lines`; otherwise absent until a key of the mapping is first looked up. Sequences: absent, and `lines[i]` is
   * item i's line. (Exact-size arrays, not Maps: a big List has some 100,000 nodes, and their
   * positions were two thirds of the parsed heap before they were trimmed.)
   */
  names?: string[];
  lines: number[];
}

export class PositionIndex {
  /**
   * `lineOffset` re-bases lines, e.g. to make a kubectl List item's lines its own. A Map, not a
   * WeakMap: the index lives exactly as long as the documents it describes, and a WeakMap's
   * entries cost several times more to add and to collect (hundreds of thousands in a big List).
   */
  constructor(
    private readonly nodes = new Map<object, NodePosition>(),
    private readonly lineOffset = 0,
  ) {}

  /**
   * `names[i]` is the key at `lines[i]`, in source order; both arrays may be reused after.
   * `knownInOrder`: the caller knows that Object.keys(map) lists exactly `names` (saves comparing).
   */
  recordMapping(map: object, line: number, names: readonly string[], lines: readonly number[], knownInOrder = false): void {
    const inOrder = knownInOrder || inObjectKeysOrder(map, names);
    this.nodes.set(map, inOrder ? { line, lines: lines.slice() } : { line, names: names.slice(), lines: lines.slice() });
  }

  /** `lines[i]` is item i's line; the array may be reused after. */
  recordSequence(list: readonly unknown[], line: number, lines: readonly number[]): void {
    this.nodes.set(list, { line, lines: lines.slice() });
  }

  /** A view of the same positions with lines counted from `firstLine` (which becomes line 1). */
  rebased(firstLine: number): PositionIndex {
    return new PositionIndex(this.nodes, this.lineOffset + firstLine - 1);
  }

  /** Line of `node`, or of its `key` when given and known. */
  lineOf(node: unknown, key?: string | number): number | undefined {
    if (node === null || typeof node !== 'object') return undefined;
    const position = this.nodes.get(node);
    if (!position) return undefined;
    const line = key === undefined ? position.line : (position.lines[indexOf(node, position, key)] ?? position.line);
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
}

function inObjectKeysOrder(map: object, names: readonly string[]): boolean {
  const keys = Object.keys(map);
  return keys.length === names.length && keys.every((key, index) => key === names[index]);
}

function indexOf(node: object, position: NodePosition, key: string | number): number {
  // The last of a repeated key: its value is the one kept (JSON.parse, YAML `1:` and `"1":`).
  if (Array.isArray(node)) return Number(key);
  // Keys in Object.keys order were not stored; they are taken once, for mappings asked about.
  position.names ??= Object.keys(node);
  return position.names.lastIndexOf(String(key));
}
