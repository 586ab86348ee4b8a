import { Box } from 'ink';
import { memo } from 'react';
import type { RowStatus } from '../model.js';
import { paint, STATUS_ORDER, STATUS_STYLE, STATUS_SYMBOL, useTheme, type Style, type Theme } from '../theme.js';
import { Line } from './Line.js';
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

const TITLE: Style = { bold: true };
const DEMO: Style = { color: 'black', backgroundColor: 'magenta', bold: true };
const PAUSED: Style = { color: 'black', backgroundColor: 'yellow', bold: true };
const REFRESHING: Style = { color: 'cyan' };
const NONE_YET: Style = { dimColor: true };

/** `mesh-split  DEMO …  PAUSED  ⟳ refreshing…  updated …`, painted. */
function titleText(props: Omit<HeaderProps, 'counts' | 'width'>, theme: Theme): string {
  const { demoScenario, paused, evaluating } = props;
  return [
    paint(theme, TITLE, 'mesh-split'),
    demoScenario !== undefined ? ` ${paint(theme, DEMO, demoBanner(demoScenario))}` : '',
    paused ? ` ${paint(theme, PAUSED, ' PAUSED ')}` : '',
    evaluating ? paint(theme, REFRESHING, ' ⟳ refreshing…') : '',
    '  ',
    watchLine(props),
  ].join('');
}

/** The counts line, painted: a status with none is dim. */
function countsText(counts: Record<RowStatus, number>, width: number, theme: Theme): string {
  return countCells(counts, width)
    .map(({ status, text, count }) => paint(theme, count > 0 ? STATUS_STYLE[status] : NONE_YET, text))
    .join(COUNT_SEPARATOR);
}

/** Rendered again only when its props change (the counts do with every refresh); each `Line` then redraws only if its text changed. */
export const Header = memo(function Header({ counts, width, ...title }: HeaderProps) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      <Line text={titleText(title, theme)} />
      <Line text={countsText(counts, width, theme)} />
    </Box>
  );
});
