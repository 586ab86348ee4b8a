/**
 * Bounds on what we accept, so hostile or absurd inputs are refused quickly and in bounded
 * memory instead of hanging a CI job. Real manifests are far below each of them.
 */
export const LIMITS = {
  /** Bytes read from one file or from stdin. */
  sourceBytes: 64 * 1024 * 1024,
  /**
   * Bytes the `yaml` package may parse (the careful path: directives, tags, errors): its tree
   * takes ~100 bytes of memory a byte of input, so 64 MB would need more than node's heap.
   */
  carefulBytes: 16 * 1024 * 1024,
  /** Nesting depth of mappings and sequences. */
  depth: 200,
  /** Nodes reachable through YAML aliases in one document (a "billion laughs" stays far above). */
  aliasExpansion: 100_000,
} as const;
