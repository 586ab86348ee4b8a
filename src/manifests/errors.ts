/**
 * The one error loading throws: the input as a whole cannot be read (missing file, kubectl
 * failing). Problems inside readable input are findings instead, so every file still reports.
 */
export class ManifestInputError extends Error {
  override readonly name = 'ManifestInputError';
}

/**
 * What a fast reader's parser said of text it could not read, and where: used for input too big
 * for the careful path, whose own messages are more precise.
 */
export interface SyntaxProblem {
  error: string;
  line: number;
}
