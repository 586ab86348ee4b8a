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
  color?: string;
  backgroundColor?: string;
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
