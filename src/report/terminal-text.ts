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
 * For reports, where colour is added after cleaning and only by us: every C0 and C1 control
 * character (ECMA-48 §5) but the tab, ESC and line breaks included, becomes U+FFFD, so a label
 * value or a manifest cannot colour, hide or move text, retitle the window, clear the screen or
 * start a line that looks like one of ours. (Keeping "colour codes" here would keep the input's
 * too: `ESC[8m` hides the rest of a line.)
 */
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

export function oneLine(text: string): string {
  return text.replace(CONTROL_BUT_TAB, '\uFFFD');
}

/** A table cell of at most this many characters: each row is padded to the widest, so one huge label would multiply into every row. */
export const MAX_CELL_WIDTH = 160;

/** `oneLine`, cut to `MAX_CELL_WIDTH` characters with an ellipsis. */
export function tableCell(text: string): string {
  const safe = oneLine(text);
  return safe.length <= MAX_CELL_WIDTH ? safe : `${safe.slice(0, MAX_CELL_WIDTH - 1)}…`;
}
