import { Box, Text } from 'ink';
import type { RowStatus } from '../model.js';
import { STATUS_ORDER, STATUS_STYLE, STATUS_SYMBOL, styled, useTheme } from '../theme.js';
import { clean, clock, countdown } from './text.js';

export interface HeaderProps {
  /** Prometheus URL, already without credentials. */
  prometheus: string;
  window: string;
  intervalSeconds: number;
  lastGoodAt: Date | null;
  counts: Record<RowStatus, number>;
  paused: boolean;
  evaluating: boolean;
  /** Set by `mesh-split demo`: the metrics are simulated. */
  demoScenario?: string;
  width: number;
}

/** Always two lines, so the caller can count: what is watched, then the verdicts. */
export const HEADER_HEIGHT = 2;

export function demoBanner(scenario: string): string {
  return ` DEMO — simulated metrics (scenario ${clean(scenario)}) `;
}

/** `updated 12:00:05 · every 10s · window 5m · http://prometheus:9090` — the URL last, as it is the longest. */
export function watchLine({ prometheus, window, intervalSeconds, lastGoodAt }: Pick<HeaderProps, 'prometheus' | 'window' | 'intervalSeconds' | 'lastGoodAt'>): string {
  return [`updated ${clock(lastGoodAt)}`, `every ${countdown(intervalSeconds)}`, `window ${clean(window)}`, clean(prometheus)].join(' · ');
}

const COUNT_SEPARATOR = '   ';

/** `✗ 1 drift`, in display order; just `✗ 1` when the labelled line would not fit in `width`. */
export function countCells(counts: Record<RowStatus, number>, width: number): { status: RowStatus; text: string; count: number }[] {
  const long = STATUS_ORDER.map((status) => ({ status, count: counts[status], text: `${STATUS_SYMBOL[status]} ${counts[status]} ${status}` }));
  const length = long.reduce((sum, cell) => sum + [...cell.text].length, 0) + COUNT_SEPARATOR.length * (long.length - 1);
  return length <= width ? long : long.map((cell) => ({ ...cell, text: `${STATUS_SYMBOL[cell.status]} ${cell.count}` }));
}

export function Header({ prometheus, window, intervalSeconds, lastGoodAt, counts, paused, evaluating, demoScenario, width }: HeaderProps) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text {...styled(theme, { bold: true })}>mesh-split</Text>
        {demoScenario !== undefined ? (
          <>
            {' '}
            <Text {...styled(theme, { color: 'black', backgroundColor: 'magenta', bold: true })}>{demoBanner(demoScenario)}</Text>
          </>
        ) : null}
        {paused ? (
          <>
            {' '}
            <Text {...styled(theme, { color: 'black', backgroundColor: 'yellow', bold: true })}> PAUSED </Text>
          </>
        ) : null}
        {evaluating ? <Text {...styled(theme, { color: 'cyan' })}> ⟳ refreshing…</Text> : null}
        {'  '}
        {watchLine({ prometheus, window, intervalSeconds, lastGoodAt })}
      </Text>
      <Text wrap="truncate">
        {countCells(counts, width).map(({ status, text, count }, index) => (
          <Text key={status}>
            {index > 0 ? COUNT_SEPARATOR : ''}
            <Text {...styled(theme, count > 0 ? STATUS_STYLE[status] : { dimColor: true })}>{text}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
