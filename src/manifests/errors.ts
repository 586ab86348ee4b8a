/**
 * The one error loading throws: the input as a whole cannot be read (missing file, kubectl
 * failing). Problems inside readable input are findings instead, so every file still reports.
 */
export class ManifestInputError extends Error {
  override readonly name = 'ManifestInputError';
}
