/**
 * Text from manifests and Prometheus answers, made safe for a terminal or a CI log: two
 * policies, one per kind of output.
 */

/**
 * For the terminal UI, which paints after cleaning: every C0 and C1 control character (ECMA-48
 * §5), ESC included, goes; line breaks and tabs read as a space, the others as U+FFFD.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

export function clean(text: string): string {
  return text.replace(CONTROL, (char) => (char === '\t' || char === '\n' || char === '\r' ? ' ' : '\uFFFD'));
}

/**
 * For reports, whose lines are painted before they are made safe: our own
 * colour codes (SGR, `ESC [ params m`, ECMA-48 §8.3.117) stay; every other C0 or C1 control
 * character (ECMA-48 §5), line breaks included, becomes U+FFFD, so a label value cannot move
 * the cursor, retitle the window, clear the screen or start a line that looks like one of ours.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_OR_SGR = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

export function oneLine(text: string): string {
  return text.replace(CONTROL_OR_SGR, (match) => (match.length > 1 ? match : '\uFFFD'));
}

/** A table cell of at most this many characters: each row is padded to the widest, so one huge label would multiply into every row. */
export const MAX_CELL_WIDTH = 160;

/** `oneLine`, cut to `MAX_CELL_WIDTH` visible characters with an ellipsis (colour dropped from a cell that long). */
export function tableCell(text: string): string {
  const safe = oneLine(text);
  if (safe.length <= MAX_CELL_WIDTH) return safe;
  // eslint-disable-next-line no-control-regex
  const plain = safe.replace(/\u001b\[[0-9;]*m/g, '');
  return plain.length <= MAX_CELL_WIDTH ? safe : `${plain.slice(0, MAX_CELL_WIDTH - 1)}…`;
}
