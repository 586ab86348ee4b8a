/**
 * Where every mapping, sequence and key of a parsed document came from. Positions live beside
 * the plain JavaScript values (a WeakMap keyed by the object) so the resolver works on ordinary
 * data and still points findings at a file and line.
 */
export interface NodePosition {
  line: number;
  /** Line of each key (mappings) or item (sequences). */
  keys: Map<string | number, number>;
}

export class PositionIndex {
  /** `lineOffset` re-bases lines, e.g. to make a kubectl List item's lines its own. */
  constructor(
    private readonly nodes = new WeakMap<object, NodePosition>(),
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
    const line = key === undefined ? position.line : (position.keys.get(key) ?? position.line);
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
