import { memo } from 'react';
import type { SortOrder } from '../model.js';
import { paint, useTheme, type Style, type Theme } from '../theme.js';
import { Line } from './Line.js';
import { clean } from './text.js';

export interface KeyLineProps {
  sort: SortOrder;
  paused: boolean;
  filter: string;
}

/** `[key, what it does]`, current state included: `s sort:drift`, `/ filter:reviews`, `p resume`. */
export function keyHints({ sort, paused, filter }: KeyLineProps): [string, string][] {
  return [
    ['?', 'help'],
    ['q', 'quit'],
    ['↑↓', 'select'],
    ['⏎', 'details'],
    ['s', `sort:${sort}`],
    ['/', filter ? `filter:${clean(filter)}` : 'filter'],
    ['p', paused ? 'resume' : 'pause'],
    ['r', 'refresh'],
  ];
}

const KEY: Style = { color: 'cyan', bold: true };

/** The hints as one painted line: `? help  q quit  …`. */
function keyLineText(props: KeyLineProps, theme: Theme): string {
  return keyHints(props)
    .map(([key, action]) => `${paint(theme, KEY, key)} ${action}`)
    .join('  ');
}

/** One line; what does not fit is cut at the right edge (help and quit come first). */
export const KeyLine = memo(function KeyLine(props: KeyLineProps) {
  return <Line text={keyLineText(props, useTheme())} />;
});
