/**
 * Where every mapping, sequence and key of a parsed document came from. Positions live beside
 * the plain JavaScript values (a Map keyed by the object) so the resolver works on ordinary
 * data and still points findings at a file and line.
 */
export interface NodePosition {
  line: number;
  /**
   * Mappings: the keys in source order, each key's line at the same index of `lines`.
   * Sequences: absent, and `lines[i]` is item i's line. (Two arrays per node, not a Map: a
   * big List has hundreds of thousands of nodes, and Maps cost allocation and GC time.)
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

  record(node: object, position: NodePosition): void {
    this.nodes.set(node, position);
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
    const line = key === undefined ? position.line : (position.lines[indexOf(position, key)] ?? position.line);
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

function indexOf(position: NodePosition, key: string | number): number {
  // The last of a repeated key: its value is the one kept (JSON.parse, YAML `1:` and `"1":`).
  return position.names ? position.names.lastIndexOf(String(key)) : Number(key);
}
