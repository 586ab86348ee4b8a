import { paint, useTheme, type Style, type Theme } from '../theme.js';
import { Line } from './Line.js';
import { clean } from './text.js';

export interface FilterPromptProps {
  value: string;
}

const SLASH: Style = { color: 'cyan', bold: true };
const CURSOR: Style = { color: 'cyan' };

/** `/reviews█`: the filter being typed, with a block cursor where the next character goes. */
function filterPromptText(value: string, theme: Theme): string {
  return `${paint(theme, SLASH, '/')}${clean(value)}${paint(theme, CURSOR, '█')}`;
}

export function FilterPrompt({ value }: FilterPromptProps) {
  const theme = useTheme();
  return <Line text={filterPromptText(value, theme)} />;
}
