import { Box, useApp, useInput } from 'ink';
import { useMemo, useRef, useState } from 'react';
import { Details } from './components/Details.js';
import { FilterPrompt } from './components/FilterPrompt.js';
import { Header, HEADER_HEIGHT } from './components/Header.js';
import { Help } from './components/Help.js';
import { KeyLine } from './components/KeyLine.js';
import { RouteTable, tableColumns } from './components/RouteTable.js';
import { StaleBanner } from './components/StaleBanner.js';
import { useNow } from './hooks/use-now.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { useWatch } from './hooks/use-watch.js';
import type { WatchLoop } from './loop.js';
import { INITIAL_UI, onKey, splitChunk, type UiState } from './keys.js';
import { buildRows, filterRows, scrollOffset, settlingAt, sortRows, statusCounts } from './rows.js';
import { routeKey } from './model.js';

const NO_QUERIES: { template: string; promql: string }[] = [];

export interface AppProps {
  loop: WatchLoop;
  prometheus: string;
  window: string;
  intervalSeconds: number;
  demoScenario?: string;
}

/** The watch screen: wires the data loop, the keys and the components; no logic of its own. */
export function App({ loop, prometheus, window, intervalSeconds, demoScenario }: AppProps) {
  const { exit } = useApp();
  const data = useWatch(loop);
  const now = useNow(data.error !== null || settlingAt(data.settlingUntil, Date.now() / 1000));
  const { columns: width, rows: height } = useTerminalSize();
  const [ui, setUi] = useState<UiState>(INITIAL_UI);
  const latest = useRef(ui);
  const { view, sort, filter, selectedKey } = ui;
  const [offset, setOffset] = useState(0);

  // Rows, columns and counts change only with the data (or the sort, the filter, the width):
  // the "refreshing…" update or a key press leaves them, and the table, as they are. The time
  // matters only while a route settles (its countdown, in whole seconds); once none does, later
  // times give the same rows.
  const { report, trends, settlingUntil } = data;
  const rowsTime = settlingAt(settlingUntil, now / 1000) ? Math.floor(now / 1000) : null;
  const rows = useMemo(
    () => filterRows(sortRows(buildRows({ report, trends, settlingUntil }, now / 1000), sort), filter),
    // `now` counts through rowsTime (see above).
    [report, trends, settlingUntil, rowsTime, sort, filter],
  );
  const columns = useMemo(() => tableColumns(width, rows), [width, rows]);
  const counts = useMemo(() => statusCounts(rows), [rows]);
  const selected = Math.max(0, rows.findIndex((row) => row.key === selectedKey));
  const selectedRow = rows[selected];

  const chrome = HEADER_HEIGHT + (data.error ? 1 : 0) + 1 + (view === 'filter' ? 1 : 0);
  const tableHeight = Math.max(1, height - chrome - 3);
  const visibleOffset = scrollOffset(selected, offset, tableHeight, rows.length);
  if (visibleOffset !== offset) setOffset(visibleOffset);

  useInput((chunk, flags) => {
    for (const [input, key] of splitChunk(chunk, flags)) {
      const { state, effect } = onKey(latest.current, input, key, rows, tableHeight);
      latest.current = state;
      setUi(state);
      if (effect === 'quit') return exit();
      if (effect === 'refresh') void loop.refresh();
      else if (effect === 'toggle-pause') loop.setPaused(!loop.state.paused);
    }
  });

  const result = view === 'details' && selectedRow ? report?.results.find((candidate) => routeKey(candidate) === selectedRow.routeKey) : undefined;

  return (
    // No width of its own: Ink gives the root the terminal's width as soon as it changes, so the
    // frame it draws before this state catches up is cut there rather than wrapped.
    <Box flexDirection="column">
      <Header
        prometheus={prometheus}
        window={window}
        intervalSeconds={intervalSeconds}
        lastGoodAt={data.lastGoodAt}
        counts={counts}
        paused={data.paused}
        evaluating={data.evaluating}
        demoScenario={demoScenario}
        width={width}
      />
      {data.error ? <StaleBanner error={data.error} nextRetryAt={data.nextRetryAt} lastGoodAt={data.lastGoodAt} now={new Date(now)} /> : null}
      {view === 'help' ? (
        <Help />
      ) : view === 'details' && result ? (
        <Details result={result} queries={report?.queries ?? NO_QUERIES} findings={data.findings} settlingSeconds={selectedRow?.settlingSeconds ?? null} width={width} />
      ) : (
        <RouteTable rows={rows} columns={columns} selected={selected} offset={visibleOffset} height={tableHeight} />
      )}
      {view === 'filter' ? <FilterPrompt value={filter} /> : null}
      <KeyLine sort={sort} paused={data.paused} filter={filter} />
    </Box>
  );
}
