import { Box, Text } from 'ink';
import { styled, useTheme } from '../theme.js';
import { clean, clock, countdown } from './text.js';

export interface StaleBannerProps {
  /** Why the last attempt failed, one line. */
  error: string;
  nextRetryAt: Date | null;
  lastGoodAt: Date | null;
  now: Date;
}

/** `⚠ STALE — data from 12:00:05` (`— no data yet` before the first good evaluation). */
export function staleLead(lastGoodAt: Date | null): string {
  return `⚠ STALE — ${lastGoodAt ? `data from ${clock(lastGoodAt)}` : 'no data yet'}`;
}

/** `retrying in 8s`, `retrying now`, or null when no retry is scheduled. */
export function retryText(nextRetryAt: Date | null, now: Date): string | null {
  if (!nextRetryAt) return null;
  const seconds = Math.ceil((nextRetryAt.getTime() - now.getTime()) / 1000);
  return seconds > 0 ? `retrying in ${countdown(seconds)}` : 'retrying now';
}

/**
 * One line that never wraps. The error gives way first: it is truncated in the middle of the
 * line, so the retry countdown at the end stays visible however narrow the terminal.
 */
export function StaleBanner({ error, nextRetryAt, lastGoodAt, now }: StaleBannerProps) {
  const theme = useTheme();
  const retry = retryText(nextRetryAt, now);
  return (
    <Box flexDirection="row" height={1} overflow="hidden">
      <Box flexShrink={0}>
        <Text {...styled(theme, { color: 'red', bold: true })}>{staleLead(lastGoodAt)}</Text>
      </Box>
      <Box flexShrink={1}>
        <Text wrap="truncate" {...styled(theme, { color: 'yellow' })}>
          {' · '}
          {clean(error)}
        </Text>
      </Box>
      {retry ? (
        <Box flexShrink={0}>
          <Text {...styled(theme, { color: 'yellow' })}> · {retry}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
