import { Box, Text } from 'ink';
import type { SortOrder } from '../model.js';
import { styled, useTheme } from '../theme.js';
import { clean } from './text.js';

export interface KeyLineProps {
  sort: SortOrder;
  paused: boolean;
  filter: string;
  width: number;
}

/** `[key, what it does]`, current state included: `s sort:drift`, `/ filter:reviews`, `p resume`. */
export function keyHints({ sort, paused, filter }: Pick<KeyLineProps, 'sort' | 'paused' | 'filter'>): [string, string][] {
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

/** One line; what does not fit is cut at the right edge (help and quit come first). */
export function KeyLine({ sort, paused, filter, width }: KeyLineProps) {
  const theme = useTheme();
  return (
    <Box width={width}>
      <Text wrap="truncate">
        {keyHints({ sort, paused, filter }).map(([key, action], index) => (
          <Text key={key}>
            {index > 0 ? '  ' : ''}
            <Text {...styled(theme, { color: 'cyan', bold: true })}>{key}</Text> {action}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
