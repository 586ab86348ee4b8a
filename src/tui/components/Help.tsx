import { Box, Text } from 'ink';
import { memo } from 'react';
import { STATUS_ORDER, STATUS_STYLE, STATUS_SYMBOL, styled, useTheme } from '../theme.js';

/** Keys and what they do, as the App binds them. */
export const KEY_BINDINGS: readonly { keys: string; action: string }[] = [
  { keys: '↑/↓  j/k', action: 'select a row' },
  { keys: 'Enter', action: 'details of the selected route (Esc/Enter closes)' },
  { keys: '/', action: 'filter by object, binding, route, destination' },
  { keys: 's', action: 'sort: drift → name → traffic' },
  { keys: 'p', action: 'pause / resume refreshing' },
  { keys: 'r', action: 'refresh now' },
  { keys: '?', action: 'this help' },
  { keys: 'q  Esc', action: 'quit' },
];

const STATUS_MEANING: Record<(typeof STATUS_ORDER)[number], string> = {
  drift: 'outside the declared share ± tolerance',
  settling: 'weights changed; waiting for new traffic',
  inconclusive: 'too few requests to tell',
  'no-traffic': 'no requests in the window',
  pass: 'within tolerance of the declared split',
};

const KEY_WIDTH = Math.max(...KEY_BINDINGS.map((binding) => [...binding.keys].length)) + 2;

/** Static: drawn once when opened, not again on every refresh behind it. */
export const Help = memo(function Help() {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" {...styled(theme, { bold: true })}>
        Keys
      </Text>
      {KEY_BINDINGS.map(({ keys, action }) => (
        <Text key={keys} wrap="truncate">
          {'  '}
          <Text {...styled(theme, { color: 'cyan', bold: true })}>{keys.padEnd(KEY_WIDTH)}</Text>
          {action}
        </Text>
      ))}
      <Box marginTop={1}>
        <Text wrap="truncate" {...styled(theme, { bold: true })}>
          Symbols
        </Text>
      </Box>
      {STATUS_ORDER.map((status) => (
        <Text key={status} wrap="truncate">
          {'  '}
          <Text {...styled(theme, STATUS_STYLE[status])}>{`${STATUS_SYMBOL[status]} ${status}`.padEnd(KEY_WIDTH + 6)}</Text>
          {STATUS_MEANING[status]}
        </Text>
      ))}
      <Box marginTop={1}>
        <Text wrap="truncate" {...styled(theme, { dimColor: true })}>
          ? closes this help
        </Text>
      </Box>
    </Box>
  );
});
