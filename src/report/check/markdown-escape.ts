/**
 * Text from manifests and Prometheus, made inert in GitHub Flavored Markdown
 * (https://github.github.com/gfm/).
 */

/**
 * Characters that could start markup inside a line, each backslash-escaped (GFM §6.1 Backslash
 * escapes: any ASCII punctuation may be). The backslash itself comes first so an escape already
 * in the text stays literal; `|` per §4.10 Tables ("include a pipe in a cell's content by
 * escaping it, including inside other inline spans"); `` ` `` code spans; `* _ ~` emphasis and
 * strikethrough; `[ ]` links; `< > &` raw HTML, autolinks and entity references; `@ #`
 * GitHub's mentions and issue references.
 */
const MARKUP = /[\\`*_~[\]<>&|@#]/g;

/** Other control characters (NUL, ESC, …; tab stays) have no business in a comment: U+FFFD. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * A table cell (GFM §4.10): a row is one line, so CR/LF become spaces, and every character
 * that could end the cell or start markup is backslash-escaped. Safe in list items and
 * paragraphs too.
 */
export function escapeTableCell(text: string): string {
  return text
    .replace(/\r\n|[\r\n]/g, ' ')
    .replace(CONTROL, '\uFFFD')
    .replace(MARKUP, (char) => `\\${char}`);
}
