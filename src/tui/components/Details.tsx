import { Box, Text } from 'ink';
import { memo } from 'react';
import type { DestinationResult, RouteResult } from '../../model/check.js';
import type { Finding } from '../../model/findings.js';
import { palette } from '../../report/color.js';
import { destinationLabel, limitsLabel, mixLabel, objectLabel } from '../../report/check/describe.js';
import { routeLabel } from '../../report/check/text.js';
import { formatFinding } from '../../report/findings-text.js';
import { formatCount, formatInterval, formatPoints, formatShare } from '../../report/format.js';
import { fit } from '../layout.js';
import type { RowStatus } from '../model.js';
import { STATUS_STYLE, STATUS_SYMBOL, styled, useTheme, type Style } from '../theme.js';
import { clean, countdown } from './text.js';

export interface DetailsProps {
  result: RouteResult;
  /** The queries of the evaluation; the one for the route's unit is shown. */
  queries: { template: string; promql: string }[];
  /** Findings of the evaluation; those about this route's object are shown. */
  findings: Finding[];
  settlingSeconds: number | null;
  width: number;
}

const TEMPLATE_FOR_UNIT: Record<RouteResult['unit'], string> = { requests: 'requests', connections: 'tcp-connections' };
const PLAIN = palette(false);
const FINDING_STYLE: Record<Finding['level'], Style> = { error: { color: 'red', bold: true }, warning: { color: 'yellow' }, info: { color: 'cyan' } };

/** The query that counted this route's traffic, without its comment lines. */
export function queryFor(result: RouteResult, queries: readonly { template: string; promql: string }[]): { template: string; lines: string[] } | null {
  const query = queries.find((candidate) => candidate.template === TEMPLATE_FOR_UNIT[result.unit]);
  if (!query) return null;
  const lines = query.promql
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .map((line) => clean(line).trimEnd());
  return { template: query.template, lines };
}

/** Findings whose object is this route's VirtualService (or HTTPRoute). */
export function findingsFor(result: RouteResult, findings: readonly Finding[]): Finding[] {
  const label = objectLabel(result);
  return findings.filter((item) => item.object === label);
}

/** `formatFinding` without colour, split where its coloured label ends. */
export function findingParts(item: Finding): { label: string; rest: string } {
  const text = clean(formatFinding(item, PLAIN));
  const end = text.indexOf(']') + 1;
  return { label: text.slice(0, end), rest: text.slice(end) };
}

/**
 * `✗ drift — message`. While settling the verdict is provisional, so it is shown as such:
 * `◷ settling 3m12s — so far ✗ drift — message`.
 */
export function verdictLine(result: RouteResult, settlingSeconds: number | null): { status: RowStatus; text: string } {
  const verdict = `${STATUS_SYMBOL[result.status]} ${result.status} — ${clean(result.message)}`;
  if (settlingSeconds === null) return { status: result.status, text: verdict };
  return { status: 'settling', text: `${STATUS_SYMBOL.settling} settling ${countdown(settlingSeconds)} — so far ${verdict}` };
}

export function volumeLine(result: RouteResult): string {
  const needed = result.requestsNeeded !== null ? ` · about ${formatCount(result.requestsNeeded)} more ${result.unit} needed` : '';
  return `${formatCount(result.requests)} ${result.unit}${needed} · ${limitsLabel(result)}`;
}

interface TableColumn {
  header: string;
  align: 'left' | 'right';
  cell: (destination: DestinationResult) => string;
}

/** LINE is a line of the object's file, named above the table. */
function tableColumns(result: RouteResult): TableColumn[] {
  return [
    { header: 'DESTINATION', align: 'left', cell: (d) => clean(destinationLabel(d)) },
    { header: 'DECLARED', align: 'right', cell: (d) => formatShare(d.declaredPercent) },
    { header: 'ACTUAL', align: 'right', cell: (d) => formatShare(d.actualPercent) },
    { header: 'DELTA', align: 'right', cell: (d) => formatPoints(d.deltaPoints) },
    { header: result.unit.toUpperCase(), align: 'right', cell: (d) => formatCount(d.requests) },
    { header: 'INTERVAL', align: 'right', cell: (d) => formatInterval(d.interval) },
    { header: 'STATUS', align: 'left', cell: (d) => `${STATUS_SYMBOL[d.status]} ${d.status}` },
    { header: 'LINE', align: 'left', cell: (d) => (d.line === null ? '–' : String(d.line)) },
  ];
}

/** The destination table as cells fitted to their column (the status column is index 6), and its width. */
export function destinationTable(result: RouteResult): { header: string; width: number; rows: { status: DestinationResult['status']; cells: string[] }[] } {
  const columns = tableColumns(result);
  const raw = result.destinations.map((destination) => columns.map((column) => column.cell(destination)));
  const sizes = columns.map((column, i) => Math.max([...column.header].length, ...raw.map((cells) => [...(cells[i] ?? '')].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => fit(cell, sizes[i] ?? 0, columns[i]?.align));
  const header = line(columns.map((column) => column.header)).join(CELL_GAP).trimEnd();
  return {
    header,
    width: sizes.reduce((sum, size) => sum + size, 0) + CELL_GAP.length * (sizes.length - 1),
    rows: raw.map((cells, i) => ({ status: result.destinations[i]!.status, cells: line(cells) })),
  };
}

/** Too narrow for the table: each destination on its own, its numbers on a wrapped line below. */
export function destinationCard(result: RouteResult, destination: DestinationResult): { title: string; numbers: string } {
  const line = destination.line === null ? '' : ` · line ${destination.line}`;
  const actual = destination.actualPercent === null ? 'no traffic' : `actual ${formatShare(destination.actualPercent)} (${formatPoints(destination.deltaPoints)})`;
  return {
    title: `${clean(destinationLabel(destination))}${line}`,
    numbers: `declared ${formatShare(destination.declaredPercent)} · ${actual} · ${formatCount(destination.requests)} ${result.unit} · interval ${formatInterval(destination.interval)}`,
  };
}

const STATUS_COLUMN = 6;
const CELL_GAP = '  ';

export const Details = memo(function Details({ result, queries, findings, settlingSeconds, width }: DetailsProps) {
  const theme = useTheme();
  const verdict = verdictLine(result, settlingSeconds);
  const mix = mixLabel(result);
  const query = queryFor(result, queries);
  const own = findingsFor(result, findings);
  const table = destinationTable(result);
  const source = result.virtualService;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" {...styled(theme, { bold: true })}>
        {clean(`${objectLabel(result)} · ${result.binding} · ${routeLabel(result)}`)}
      </Text>
      <Text wrap="truncate" {...styled(theme, { dimColor: true })}>
        {clean(`${source.file}:${source.line} · route at line ${result.route.line}`)}
      </Text>
      {mix ? <Text wrap="truncate">{clean(`mix (fitted): ${mix}`)}</Text> : null}
      <Text wrap="wrap" {...styled(theme, STATUS_STYLE[verdict.status])}>
        {verdict.text}
      </Text>
      {settlingSeconds !== null ? (
        <Text wrap="truncate" {...styled(theme, STATUS_STYLE.settling)}>
          declared weights changed: the window still holds traffic sent under the old ones
        </Text>
      ) : null}
      <Text wrap="truncate">{volumeLine(result)}</Text>
      {table.width <= width ? (
        <Box marginTop={1} flexDirection="column">
          <Text wrap="truncate" {...styled(theme, { bold: true })}>
            {table.header}
          </Text>
          {table.rows.map((row, index) => (
            <Text key={index} wrap="truncate">
              {row.cells.slice(0, STATUS_COLUMN).join(CELL_GAP)}
              {CELL_GAP}
              <Text {...styled(theme, STATUS_STYLE[row.status])}>{row.cells[STATUS_COLUMN]}</Text>
              {CELL_GAP}
              {row.cells.slice(STATUS_COLUMN + 1).join(CELL_GAP).trimEnd()}
            </Text>
          ))}
        </Box>
      ) : (
        result.destinations.map((destination, index) => {
          const card = destinationCard(result, destination);
          return (
            <Box key={index} marginTop={index === 0 ? 1 : 0} flexDirection="column">
              <Text wrap="truncate">
                <Text {...styled(theme, STATUS_STYLE[destination.status])}>{`${STATUS_SYMBOL[destination.status]} ${destination.status}`}</Text> {card.title}
              </Text>
              <Box paddingLeft={2}>
                <Text wrap="wrap">{card.numbers}</Text>
              </Box>
            </Box>
          );
        })
      )}
      <Box marginTop={1} flexDirection="column">
        <Text wrap="truncate" {...styled(theme, { bold: true })}>
          PromQL{query ? ` (${query.template})` : ''}
        </Text>
        {query ? (
          query.lines.map((line, index) => (
            <Text key={index} wrap="wrap">
              {line}
            </Text>
          ))
        ) : (
          <Text wrap="truncate" {...styled(theme, { dimColor: true })}>
            no query for {result.unit}
          </Text>
        )}
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text wrap="truncate" {...styled(theme, { bold: true })}>
          Findings
        </Text>
        {own.length === 0 ? (
          <Text wrap="truncate" {...styled(theme, { dimColor: true })}>
            none for {clean(objectLabel(result))}
          </Text>
        ) : (
          own.map((item, index) => {
            const parts = findingParts(item);
            return (
              <Text key={index} wrap="wrap">
                <Text {...styled(theme, FINDING_STYLE[item.level])}>{parts.label}</Text>
                {parts.rest}
              </Text>
            );
          })
        )}
      </Box>
      <Box marginTop={1}>
        <Text wrap="truncate" {...styled(theme, { dimColor: true })}>
          Esc/Enter close
        </Text>
      </Box>
    </Box>
  );
});
