/**
 * Bounds on what we accept, so hostile or absurd inputs are refused quickly and in bounded
 * memory instead of hanging a CI job. Real manifests are far below each of them.
 */
export const LIMITS = {
  /** Bytes read from one file or from stdin. */
  sourceBytes: 64 * 1024 * 1024,
  /**
   * Bytes of YAML that the block reader (kubectl's and Helm's style, any size) does not take,
   * read by js-yaml's events: 60–200 bytes of memory a byte of input (37 MB took 3.9 GB), so
   * the input limit would be more than node's heap.
   */
  slowYamlBytes: 8 * 1024 * 1024,
  /**
   * Bytes of YAML that neither fast reader takes (an error, constructs they do not mirror), for
   * the `yaml` package's tree: up to ~450 bytes a byte on dense broken input (`[[],[],…` with an
   * error at the end: 7.5 MB took 3.1 GB and 23 s; at 2 MiB, 0.9 GB and 5 s).
   */
  carefulYamlBytes: 2 * 1024 * 1024,
  /** Nesting depth of mappings and sequences. */
  depth: 200,
  /** Nodes reachable through YAML aliases in one document (a "billion laughs" stays far above). */
  aliasExpansion: 100_000,
  /**
   * Mappings and sequences in one source. Each costs memory however short its text (`[],` is
   * three bytes): 10 million took 1.8 GB. kubectl's List of 2,000 VirtualServices with their
   * DestinationRules and Services, 10 MB, holds 84,000.
   */
  containers: 3_000_000,
} as const;

/** A source holds more mappings and sequences than `LIMITS.containers`. */
export class TooManyContainers extends Error {
  constructor() {
    super(`more than ${LIMITS.containers.toLocaleString('en-US')} mappings and sequences in one input refused; split it`);
  }
}
