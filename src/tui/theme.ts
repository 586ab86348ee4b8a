import chalk, { type BackgroundColorName, type ForegroundColorName } from 'chalk';
import { createContext, useContext } from 'react';
import { VERDICT_SYMBOL } from '../report/verdict-style.js';
import type { RowStatus } from './model.js';

/** Whether the screen may use colour; the command decides (`--no-color`, NO_COLOR, TERM=dumb). */
export interface Theme {
  color: boolean;
}

/** Without a provider nothing is styled: colour is opt-in. */
export const ThemeContext = createContext<Theme>({ color: false });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** The Ink `<Text>` props a component may ask for. */
export interface Style {
  color?: ForegroundColorName;
  backgroundColor?: ForegroundColorName;
  bold?: boolean;
  dimColor?: boolean;
  inverse?: boolean;
}

/**
 * The props to spread on `<Text>`: `style` with colour on, nothing at all with it off — not even
 * bold, dim or inverse, so a NO_COLOR screen carries no escape sequence; symbols say it instead.
 */
export function styled(theme: Theme, style: Style): Style {
  return theme.color ? style : {};
}

/** No style at all, and inverse: shared objects, so memoised lines compare props by reference. */
export const NO_STYLE: Style = {};
export const INVERSE: Style = { inverse: true };

/** `magenta` → `bgMagenta`, as Ink names a background colour. */
function background(color: ForegroundColorName): BackgroundColorName {
  return `bg${color[0]!.toUpperCase()}${color.slice(1)}` as BackgroundColorName;
}

/**
 * `text` as `<Text {...styled(theme, style)}>` would draw it: Ink's own steps in Ink's order
 * (dim, colour, background, bold, inverse) through the same shared chalk instance, so the bytes
 * are the same. A line can then be one string drawn by one `<Text>` instead of a tree of them.
 */
export function paint(theme: Theme, style: Style, text: string): string {
  if (!theme.color || text.length === 0) return text;
  let out = text;
  if (style.dimColor) out = chalk.dim(out);
  if (style.color) out = chalk[style.color](out);
  if (style.backgroundColor) out = chalk[background(style.backgroundColor)](out);
  if (style.bold) out = chalk.bold(out);
  if (style.inverse) out = chalk.inverse(out);
  return out;
}

/**
 * One symbol per row status, so colour is never the only signal. `settling` (◷, a clock face)
 * marks a route whose declared weights just changed: the window still holds traffic sent under
 * the old weights, so its verdict waits until a full window of new traffic has passed.
 */
export const STATUS_SYMBOL: Record<RowStatus, string> = {
  drift: VERDICT_SYMBOL.drift,
  settling: '◷',
  inconclusive: VERDICT_SYMBOL.inconclusive,
  'no-traffic': VERDICT_SYMBOL['no-traffic'],
  pass: VERDICT_SYMBOL.pass,
};

/** Colours as in the text report (paintVerdict), plus cyan for settling. */
export const STATUS_STYLE: Record<RowStatus, Style> = {
  drift: { color: 'red', bold: true },
  settling: { color: 'cyan' },
  inconclusive: { color: 'yellow' },
  'no-traffic': { dimColor: true },
  pass: { color: 'green' },
};

/** Display order everywhere: the most urgent first. */
export const STATUS_ORDER: readonly RowStatus[] = ['drift', 'settling', 'inconclusive', 'no-traffic', 'pass'];
