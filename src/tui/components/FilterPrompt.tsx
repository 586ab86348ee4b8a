import { Text } from 'ink';
import { styled, useTheme } from '../theme.js';
import { clean } from './text.js';

export interface FilterPromptProps {
  value: string;
}

/** `/reviews█`: the filter being typed, with a block cursor where the next character goes. */
export function FilterPrompt({ value }: FilterPromptProps) {
  const theme = useTheme();
  return (
    <Text wrap="truncate">
      <Text {...styled(theme, { color: 'cyan', bold: true })}>/</Text>
      {clean(value)}
      <Text {...styled(theme, { color: 'cyan' })}>█</Text>
    </Text>
  );
}
