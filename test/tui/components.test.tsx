import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import chalk from 'chalk';
import { Box, render as inkRender, Text, type Instance } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport, RouteResult } from '../../src/model/check.js';
import { finding } from '../../src/model/findings.js';
import { Details } from '../../src/tui/components/Details.js';
import { FilterPrompt } from '../../src/tui/components/FilterPrompt.js';
import { Header } from '../../src/tui/components/Header.js';
import { Help } from '../../src/tui/components/Help.js';
import { KeyLine } from '../../src/tui/components/KeyLine.js';
import { RouteTable, rowText, tableColumns } from '../../src/tui/components/RouteTable.js';
import { StaleBanner } from '../../src/tui/components/StaleBanner.js';
import { clean, countdown } from '../../src/tui/components/text.js';
import { emptyWatchData, routeKey, type RowStatus, type ScreenRow, type WatchData } from '../../src/tui/model.js';
import { buildRows, sortRows } from '../../src/tui/rows.js';
import { paint, STATUS_STYLE, ThemeContext, type Style } from '../../src/tui/theme.js';
import { driftResult, fullReport, inconclusiveResult, mixResult, nastyReport, noTrafficResult, passResult, report } from '../report/fixtures.js';

/*
 * Ink colours through the `chalk` singleton, whose level supports-color guesses once at import
 * (0 here: no TTY, unless FORCE_COLOR leaks in). Pin it to 16 colours so the escapes are
 * deterministic; "colour off" is then the theme's doing alone, which is what we want to prove.
 */
let savedLevel: typeof chalk.level;
beforeAll(() => {
  savedLevel = chalk.level;
  chalk.level = 1;
});
afterAll(() => {
  chalk.level = savedLevel;
});
afterEach(() => {
  cleanup();
  for (const instance of mounted.splice(0)) instance.unmount();
});

const RED = '\u001b[31m';
const BOLD = '\u001b[1m';
const INVERSE = '\u001b[7m';
const CYAN = '\u001b[36m';
const ESC = '\u001b';

const NOW_SECONDS = Date.UTC(2025, 4, 1, 12, 0, 10) / 1000;
/** Local wall-clock times, so HH:MM:SS does not depend on TZ. */
const LAST_GOOD = new Date(2025, 4, 1, 12, 0, 5);
const NOW = new Date(2025, 4, 1, 12, 0, 10);

function data(source: CheckReport, fields: Partial<WatchData> = {}): WatchData {
  return { ...emptyWatchData(), report: source, lastGoodAt: LAST_GOOD, findings: source.findings, ...fields };
}

/** Every verdict on screen: fullReport plus the pass route settling for another 3m12s. */
function allRows(): ScreenRow[] {
  const trends = new Map<string, number[]>();
  const rows = buildRows(data(fullReport), NOW_SECONDS);
  for (const row of rows) trends.set(row.key, [10, 30, 50, 70, 90, row.actualPercent ?? 0]);
  const settling = new Map([[routeKey(passResult), NOW_SECONDS + 192]]);
  return sortRows(buildRows(data(fullReport, { trends, settlingUntil: settling }), NOW_SECONDS), 'drift');
}

function themed(color: boolean, tree: ReactElement): ReactElement {
  return <ThemeContext value={{ color }}>{tree}</ThemeContext>;
}

const mounted: Instance[] = [];

/** ink-testing-library's stdout is always 100 columns; this one is `columns` wide. */
function renderAt(tree: ReactElement, columns: number): string {
  let last = '';
  const stdout = Object.assign(new EventEmitter(), {
    columns,
    rows: 50,
    write: (frame: string) => {
      last = frame;
      return true;
    },
  });
  const stdin = Object.assign(new EventEmitter(), { isTTY: false, setRawMode() {}, setEncoding() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null });
  const stream = (value: unknown) => value as NodeJS.WriteStream;
  mounted.push(
    inkRender(tree, {
      stdout: stream(stdout),
      stderr: stream(Object.assign(new EventEmitter(), { write: () => true })),
      stdin: stdin as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    }),
  );
  return last;
}

function lines(frame: string | undefined): string[] {
  return stripVTControlCharacters(frame ?? '').split('\n');
}

function expectWithin(frame: string | undefined, width: number): void {
  for (const line of lines(frame)) expect([...line].length, JSON.stringify(line)).toBeLessThanOrEqual(width);
}

const COUNTS: Record<RowStatus, number> = { drift: 1, settling: 1, inconclusive: 1, 'no-traffic': 1, pass: 1 };

function screen(width: number, color: boolean, rows = allRows()): ReactElement {
  return themed(
    color,
    <Box flexDirection="column">
      <Header prometheus="http://prometheus.istio-system:9090" window="5m" intervalSeconds={10} lastGoodAt={LAST_GOOD} counts={COUNTS} paused={false} evaluating={false} width={width} />
      <StaleBanner error="Prometheus http://prometheus.istio-system:9090 unreachable: connect ECONNREFUSED 10.0.0.1:9090" nextRetryAt={new Date(NOW.getTime() + 8000)} lastGoodAt={LAST_GOOD} now={NOW} />
      <RouteTable rows={rows} columns={tableColumns(width, rows)} selected={1} offset={0} height={20} />
      <KeyLine sort="drift" paused={false} filter="" />
    </Box>,
  );
}

describe('RouteTable', () => {
  it('shows drift with ✗, red and bold, when colour is on', () => {
    const rows = allRows();
    const frame = renderAt(themed(true, <RouteTable rows={rows} columns={tableColumns(200, rows)} selected={5} offset={0} height={20} />), 200);
    const driftLine = frame.split('\n').find((line) => line.includes('✗ drift'));
    expect(driftLine).toBeDefined();
    expect(driftLine).toContain(RED);
    expect(driftLine).toContain(BOLD);
    // The drifting route comes first; its first row holds the route cells.
    expect(lines(frame)[1]).toMatch(/^ {2}✗ drift +default\/helloworld-vs +mesh +http\[0\] +helloworld\.default\/v1 +80\.0% +68\.2% +-11\.8 +11\.4 [█░│]{16} /);
  });

  it('marks every verdict by symbol, and the selection by ›, with no escape at all when colour is off', () => {
    const rows = allRows();
    const frame = render(themed(false, <RouteTable rows={rows} columns={tableColumns(100, rows)} selected={5} offset={0} height={20} />)).lastFrame() ?? '';
    expect(frame).not.toContain(ESC);
    for (const symbol of ['✗ drift', '◷ settling 3m12s', '? inconclusive', '∅ no-traffic', '✓ pass']) expect(frame).toContain(symbol);
    const selected = frame.split('\n').filter((line) => line.startsWith('›'));
    expect(selected).toHaveLength(1);
    expect(selected[0]).toContain('? inconclusive');
  });

  it('paints the selected row inverse and settling cyan with a countdown', () => {
    const rows = allRows();
    const frame = render(themed(true, <RouteTable rows={rows} columns={tableColumns(100, rows)} selected={0} offset={0} height={20} />)).lastFrame() ?? '';
    const [, first] = frame.split('\n');
    expect(first).toContain(INVERSE);
    expect(stripVTControlCharacters(first ?? '')).toMatch(/^› ✗ drift/);
    const settling = frame.split('\n').find((line) => line.includes('◷ settling 3m12s'));
    expect(settling).toContain(CYAN);
  });

  it('shows route cells on the first row of a route only, with the bar and the trend', () => {
    const rows = allRows();
    const frame = lines(render(themed(false, <RouteTable rows={rows} columns={tableColumns(100, rows)} selected={-1} offset={0} height={20} />)).lastFrame());
    expect(frame.filter((line) => line.includes('default/helloworld-vs'))).toHaveLength(1);
    // The second destination of the drifting route: blank route cells, then the destination.
    expect(frame[2]).toMatch(/^ {30,}helloworld\.default\/v2 +20\.0% +20\.2%/);
    const wide = lines(renderAt(themed(false, <RouteTable rows={rows} columns={tableColumns(200, rows)} selected={-1} offset={0} height={20} />), 200));
    // 68 % actual of 16 cells filled, the declared 80 % marked.
    expect(wide[1]).toContain(`${'█'.repeat(11)}░░│░░`);
    expect(wide[1]).toContain('│');
    expect(wide[1]).toMatch(/ {6}▁▃▅▆█▆$/u);
  });

  it('slices rows by offset and height and says how many are cut off', () => {
    const results: RouteResult[] = Array.from({ length: 20 }, (_, index) => ({
      ...passResult,
      virtualService: { ...passResult.virtualService, name: `vs-${String(index).padStart(2, '0')}` },
      destinations: [passResult.destinations[0]!],
    }));
    const rows = buildRows(data(report({ results })), NOW_SECONDS);
    const frame = lines(render(themed(false, <RouteTable rows={rows} columns={tableColumns(100, rows)} selected={6} offset={5} height={4} />)).lastFrame());
    expect(frame).toHaveLength(6);
    expect(frame.slice(1, 5).map((line) => /vs-\d\d/.exec(line)?.[0])).toEqual(['vs-05', 'vs-06', 'vs-07', 'vs-08']);
    expect(frame[2]).toMatch(/^› /);
    expect(frame[5]).toBe('  ↑ 5 above · ↓ 11 more');
    const end = lines(render(themed(false, <RouteTable rows={rows} columns={tableColumns(100, rows)} selected={0} offset={0} height={20} />)).lastFrame());
    expect(end).toHaveLength(21);
    expect(end.join('\n')).not.toContain('more');
  });

  it('drops columns on a narrow terminal and never draws past its width', () => {
    const rows = allRows();
    const columns = tableColumns(60, rows).map((column) => column.id);
    expect(columns).not.toContain('trend');
    expect(columns).not.toContain('bar');
    expect(columns).toContain('status');
    expect(columns).toContain('actual');
    for (const width of [40, 60, 80, 120, 160]) {
      for (const color of [false, true]) {
        const frame = renderAt(screen(width, color), width);
        expectWithin(frame, width);
        expect(frame).toContain('✗');
        if (!color) expect(frame).not.toContain(ESC);
      }
    }
  });
});

describe('Header', () => {
  it('shows what is watched, when it was last good, and the counts with symbols', () => {
    const frame = lines(
      render(themed(false, <Header prometheus="http://prom:9090" window="5m" intervalSeconds={10} lastGoodAt={LAST_GOOD} counts={{ ...COUNTS, pass: 3, settling: 0 }} paused evaluating width={100} />)).lastFrame(),
    );
    expect(frame).toHaveLength(2);
    expect(frame[0]).toContain('mesh-split');
    expect(frame[0]).toContain('PAUSED');
    expect(frame[0]).toContain('updated 12:00:05 · every 10s · window 5m · http://prom:9090');
    expect(frame[1]).toBe('✗ 1 drift   ◷ 0 settling   ? 1 inconclusive   ∅ 1 no-traffic   ✓ 3 pass');
  });

  it('announces the demo, and keeps it visible on a narrow terminal', () => {
    const wide = render(themed(false, <Header prometheus="http://127.0.0.1:45678" window="5m" intervalSeconds={5} lastGoodAt={null} counts={COUNTS} paused={false} evaluating={false} demoScenario="canary" width={100} />)).lastFrame();
    expect(wide).toContain('DEMO — simulated metrics (scenario canary)   updated – · every 5s');
    const tree = <Header prometheus="http://127.0.0.1:45678" window="5m" intervalSeconds={5} lastGoodAt={null} counts={COUNTS} paused={false} evaluating={false} demoScenario="canary" width={60} />;
    const frame = renderAt(themed(true, tree), 60);
    expect(lines(frame)[0]).toMatch(/^mesh-split {2}DEMO — simulated metrics \(scenario canary\) {3}up…$/);
    expect(frame).toContain('\u001b[45m');
    // The counts lose their labels rather than their symbols.
    expect(lines(frame)[1]).toBe('✗ 1   ◷ 1   ? 1   ∅ 1   ✓ 1');
    expectWithin(frame, 60);
  });
});

describe('StaleBanner', () => {
  const error = 'Prometheus http://prometheus.istio-system:9090 unreachable: connect ECONNREFUSED 10.0.0.1:9090';

  it('shows the error, the age of the data and the retry countdown on one line', () => {
    const frame = renderAt(themed(false, <StaleBanner error={error} nextRetryAt={new Date(NOW.getTime() + 7200)} lastGoodAt={LAST_GOOD} now={NOW} />), 160);
    expect(frame).toBe(`⚠ STALE — data from 12:00:05 · ${error} · retrying in 8s`);
  });

  it('cuts the error, not the countdown, on a narrow terminal, and is red and yellow with colour', () => {
    const frame = renderAt(themed(true, <StaleBanner error={`${error}\nsecond line\u001b[2J`} nextRetryAt={new Date(NOW.getTime() + 125_000)} lastGoodAt={null} now={NOW} />), 60);
    expect(frame).toContain(RED);
    expect(frame).toContain('\u001b[33m');
    expect(frame).not.toContain('\u001b[2J');
    const [line, ...rest] = lines(frame);
    expect(rest).toEqual([]);
    expect(line).toMatch(/^⚠ STALE — no data yet · Prometheus .*… · retrying in 2m05s$/);
    expectWithin(frame, 60);
  });

  it('says when the retry is due now', () => {
    const frame = render(themed(false, <StaleBanner error="timeout" nextRetryAt={NOW} lastGoodAt={LAST_GOOD} now={NOW} />)).lastFrame();
    expect(frame).toBe('⚠ STALE — data from 12:00:05 · timeout · retrying now');
  });
});

describe('Details', () => {
  const queries = [
    { template: 'requests', promql: '# comment\nsum by (destination_service) (\n  increase(istio_requests_total{reporter="source"}[5m])\n)' },
    { template: 'tcp-connections', promql: 'sum(increase(istio_tcp_connections_opened_total[5m]))' },
  ];
  const findings = fullReport.findings;

  it('shows the verdict, intervals, counts, the PromQL and the findings of the route', () => {
    const frame = renderAt(themed(false, <Details result={driftResult} queries={queries} findings={findings} settlingSeconds={null} width={160} />), 160);
    expect(frame).not.toContain(ESC);
    expect(frame).toContain('VirtualService default/helloworld-vs · mesh · http[0]');
    expect(frame).toContain('✗ drift — helloworld/v3 (undeclared) at 11.5% is outside 0% ± 5');
    expect(frame).toContain('5,000 requests · tolerance ±5 points, min 100 requests');
    expect(frame).toMatch(/helloworld\.default\/v1 +80\.0% +68\.2% +-11\.8 +3,413 +66\.7–69\.8% +✗ drift +14$/m);
    expect(frame).toMatch(/helloworld\.default\/v2 +20\.0% +20\.2% +\+0\.2 +1,012 +18\.9–21\.6% +✓ pass/);
    expect(frame).toMatch(/helloworld\.default\/v3 \(undeclared\) +0\.0% +11\.5% +\+11\.5 +575 +10\.5–12\.6% +✗ drift +–/);
    expect(frame).toContain('PromQL (requests)');
    expect(frame).toContain('increase(istio_requests_total{reporter="source"}[5m])');
    expect(frame).not.toContain('# comment');
    expect(frame).toContain('Warning [MS106] (VirtualService default/helloworld-vs manifests/helloworld.yaml:3) shares destinations');
    expect(frame).not.toContain('MS203');
    expect(frame).toContain('Esc/Enter close');
  });

  it('shows requests still needed, the mix, the TCP query, and the settling state', () => {
    const inconclusive = render(themed(false, <Details result={inconclusiveResult} queries={queries} findings={[]} settlingSeconds={null} width={100} />)).lastFrame();
    expect(inconclusive).toContain('71 requests · about 6,875 more requests needed');
    expect(inconclusive).toContain('none for VirtualService default/helloworld-gw');
    const tcp = render(themed(false, <Details result={noTrafficResult} queries={queries} findings={[]} settlingSeconds={null} width={100} />)).lastFrame();
    expect(tcp).toContain('PromQL (tcp-connections)');
    expect(tcp).toContain('istio_tcp_connections_opened_total');
    expect(tcp).toMatch(/DESTINATION +DECLARED +ACTUAL +DELTA +CONNECTIONS/);
    const mix = render(themed(true, <Details result={mixResult} queries={queries} findings={findings} settlingSeconds={75} width={100} />)).lastFrame() ?? '';
    expect(mix).toContain('mix (fitted): http[0] jason 26.0%, http[1] 74.0%');
    expect(mix).toContain('◷ settling 1m15s — so far ✓ pass');
    expect(mix).toContain(`${CYAN}◷ settling`);
    expect(mix).toContain(`${CYAN}Info [MS203]`);
  });

  it('stays within a narrow width, one destination at a time, losing nothing', () => {
    const frame = renderAt(themed(true, <Details result={driftResult} queries={queries} findings={findings} settlingSeconds={null} width={60} />), 60);
    expectWithin(frame, 60);
    const text = stripVTControlCharacters(frame);
    expect(text).not.toContain('DESTINATION');
    expect(text).toContain('✗ drift helloworld.default/v1 · line 14\n  declared 80.0% · actual 68.2% (-11.8) · 3,413 requests ·');
    expect(text).toContain('interval 66.7–69.8%');
    expect(text).toContain('(interval 10.5–12.6%)');
    expect(text).toContain('increase(istio_requests_total');
  });
});

describe('key line, filter prompt, help', () => {
  it('shows the current sort, filter and pause state', () => {
    const frame = render(themed(false, <KeyLine sort="traffic" paused filter="reviews" />)).lastFrame();
    expect(frame).toBe('? help  q quit  ↑↓ select  ⏎ details  s sort:traffic  / filter:reviews  p resume  r refresh');
    const narrow = renderAt(themed(true, <KeyLine sort="drift" paused={false} filter="" />), 30);
    expect(lines(narrow)).toHaveLength(1);
    expectWithin(narrow, 30);
  });

  it('prompts for the filter with a cursor', () => {
    expect(render(themed(false, <FilterPrompt value="reviews" />)).lastFrame()).toBe('/reviews█');
  });

  it('lists every key and every symbol', () => {
    const frame = render(themed(false, <Help />)).lastFrame() ?? '';
    for (const text of ['↑/↓  j/k', 'Enter', '/', 's ', 'drift → name → traffic', 'p ', 'r ', '?', 'q  Esc', '✗ drift', '◷ settling', '? inconclusive', '∅ no-traffic', '✓ pass']) expect(frame).toContain(text);
    expect(frame).not.toContain(ESC);
  });
});

describe('painted lines', () => {
  it('paint() gives the bytes Ink gives a <Text> with the same style, and none without colour', () => {
    const styles: Style[] = [
      ...Object.values(STATUS_STYLE),
      { color: 'black', backgroundColor: 'magenta', bold: true },
      { color: 'black', backgroundColor: 'yellow', bold: true },
      { color: 'cyan', bold: true },
      { bold: true },
      { inverse: true },
      { dimColor: true, inverse: true },
    ];
    for (const style of styles) {
      const viaInk = renderAt(themed(true, <Text {...style}>✗ drift x</Text>), 40);
      const viaPaint = renderAt(themed(true, <Text>{paint({ color: true }, style, '✗ drift x')}</Text>), 40);
      expect(viaPaint, JSON.stringify(style)).toBe(viaInk);
      expect(viaInk).toContain(ESC);
      expect(paint({ color: false }, style, '✗ drift x')).toBe('✗ drift x');
    }
  });

  it('a table row is one line: the marker, then the route and the destination in their colours', () => {
    const rows = allRows();
    const columns = tableColumns(200, rows);
    const drift = rowText(rows[0]!, columns, false, { color: true });
    expect(drift.startsWith(`  ${BOLD}${RED}✗ drift`)).toBe(true);
    expect(stripVTControlCharacters(drift)).toBe(stripVTControlCharacters(rowText(rows[0]!, columns, false, { color: false })));
    expect(rowText(rows[0]!, columns, true, { color: false })).toMatch(/^› ✗ drift /);
    expect(rowText(rows[0]!, columns, false, { color: false })).not.toContain(ESC);
  });
});

describe('text from manifests cannot reach the terminal raw', () => {
  it('replaces control characters in names and messages', () => {
    expect(clean('a\u001b[31mb\r\nc\u009bd')).toBe('a\uFFFD[31mb  c\uFFFDd');
    const rows = buildRows(data(nastyReport), NOW_SECONDS);
    const table = render(themed(false, <RouteTable rows={rows} columns={tableColumns(100, rows)} selected={0} offset={0} height={10} />)).lastFrame() ?? '';
    const details = render(themed(false, <Details result={nastyReport.results[0]!} queries={[]} findings={nastyReport.findings} settlingSeconds={null} width={100} />)).lastFrame() ?? '';
    for (const frame of [table, details]) {
      expect(frame).not.toContain(ESC);
      expect(frame).not.toContain('\r');
    }
    expect(lines(table)).toHaveLength(1 + rows.length);
  });

  it('counts down compactly', () => {
    expect([0, 8, 59.2, 60, 192, 3599, 3600, 7260].map(countdown)).toEqual(['0s', '8s', '1m00s', '1m00s', '3m12s', '59m59s', '1h00m', '2h01m']);
  });
});
