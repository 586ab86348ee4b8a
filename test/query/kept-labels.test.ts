import { parser } from '@prometheus-io/lezer-promql';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keptLabels, missingLabels } from '../../src/query/labels.js';
import { toOpenMetrics, type Series } from '../support/openmetrics.js';
import { describeWithPrometheus, instantQuery, startPrometheus, type RunningPrometheus } from '../support/prometheus.js';

/**
 * What `checkTemplate` believes a query keeps, held to what a real Prometheus returns: random
 * expressions over series that all carry every label, and each label said to be kept must be on
 * every series of the answer. (A label said to be dropped may still be there: the reading errs
 * towards "dropped", which only refuses a template.)
 */
const LABELS = ['source_workload', 'source_workload_namespace', 'destination_service', 'destination_version', 'team'] as const;
const START = 1_700_000_000;
const EVAL = START + 600;

function series(name: string, index: number, labels: Record<(typeof LABELS)[number], string>): Series {
  const samples = [];
  for (let t = START; t <= EVAL; t += 15) samples.push({ t, v: (t - START) * (index + 1) });
  return { name, labels, samples };
}

const DATA = [
  series('a_total', 0, { source_workload: 'sleep', source_workload_namespace: 'default', destination_service: 'x', destination_version: 'v1', team: 'red' }),
  series('a_total', 1, { source_workload: 'sleep', source_workload_namespace: 'default', destination_service: 'x', destination_version: 'v2', team: 'red' }),
  series('a_total', 2, { source_workload: 'gw', source_workload_namespace: 'edge', destination_service: 'y', destination_version: 'v1', team: 'blue' }),
  series('a_total', 3, { source_workload: 'web', source_workload_namespace: 'shop', destination_service: 'y', destination_version: 'v2', team: 'blue' }),
  series('b_total', 4, { source_workload: 'sleep', source_workload_namespace: 'default', destination_service: 'x', destination_version: 'v1', team: 'green' }),
  series('b_total', 5, { source_workload: 'web', source_workload_namespace: 'shop', destination_service: 'y', destination_version: 'v9', team: 'green' }),
];

const label = fc.constantFrom(...LABELS);
const labelList = fc.uniqueArray(label, { maxLength: 3 }).map((labels) => labels.join(', '));

const { expression } = fc.letrec<{ expression: string }>((tie) => {
  const e = tie('expression') as fc.Arbitrary<string>;
  return {
    expression: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'promql' },
      fc.constantFrom('a_total', 'b_total', 'increase(a_total[5m])', 'vector(1)'),
      e.map((x) => `(${x})`),
      e.map((x) => `-(${x})`),
      fc.tuple(fc.constantFrom('sum', 'max', 'count'), fc.constantFrom('by', 'without'), labelList, e).map(([op, how, labels, x]) => `${op} ${how} (${labels}) (${x})`),
      e.map((x) => `sum(${x})`),
      e.map((x) => `topk(2, ${x})`),
      fc.tuple(e, fc.constantFrom('* 2', '> bool 0', '> 0', 'offset 1m')).map(([x, tail]) => (tail.startsWith('offset') ? `(${x})` : `(${x}) ${tail}`)),
      e.map((x) => `2 * (${x})`),
      e.map((x) => `abs(${x})`),
      e.map((x) => `clamp_min(${x}, 0)`),
      fc.tuple(e, e).map(([x, y]) => `scalar(${x}) * (${y})`),
      fc.tuple(e, label, label).map(([x, dst, src]) => `label_replace(${x}, "${dst}", "$1", "${src}", "(.*)")`),
      fc.tuple(e, label, label, label).map(([x, dst, a, b]) => `label_join(${x}, "${dst}", "-", "${a}", "${b}")`),
      fc
        .tuple(
          e,
          fc.constantFrom('+', '/', 'or', 'and', 'unless', '>'),
          fc.constantFrom('', 'on', 'ignoring'),
          labelList,
          fc.constantFrom('', 'group_left', 'group_right'),
          labelList,
          e,
        )
        .map(([x, op, matching, on, group, included, y]) => {
          const set = op === 'or' || op === 'and' || op === 'unless';
          const modifier = matching === '' ? '' : `${matching} (${on})${!set && group !== '' ? ` ${group} (${included})` : ''}`;
          return `(${x}) ${op} ${modifier} (${y})`;
        }),
    ),
  };
});

describeWithPrometheus('the labels a query keeps, against a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  beforeAll(async () => {
    prometheus = await startPrometheus({ openMetrics: toOpenMetrics({ counters: DATA }) });
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
  });

  it('property: every label read as kept is on every series Prometheus answers with', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(expression, async (query) => {
        const kept = keptLabels(parser.parse(query).topNode, query);
        let answer;
        try {
          answer = await instantQuery(prometheus.url, query, EVAL);
        } catch {
          // Queries Prometheus refuses (many-to-many matching, a range at the top) say nothing here.
          return;
        }
        answered += 1;
        const missing = missingLabels(kept, LABELS);
        if (missing === 'scalar') {
          expect(answer).toHaveLength(1);
          expect(answer[0]!.metric).toEqual({});
          return;
        }
        const sure = LABELS.filter((name) => !missing.includes(name));
        for (const sample of answer) {
          for (const name of sure) expect(sample.metric, `${query}: ${name}`).toHaveProperty(name);
        }
      }),
      { numRuns: 400 },
    );
    // Most random queries must reach Prometheus, or the property says little.
    expect(answered).toBeGreaterThan(200);
  }, 120_000);
});
