import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/query/duration.js';
import { promqlString, regexAlternation, regexLiteral } from '../../src/query/escape.js';
import { checkTemplate, loadTemplate, QueryTemplateError, renderTemplate } from '../../src/query/template.js';
import { scratchDirectory } from '../support/scratch.js';

const hasError = (promql: string) => {
  let error = false;
  parser.parse(promql).iterate({ enter: (node) => { if (node.type.isError) error = true; } });
  return error;
};

/** Reads a PromQL double-quoted string back (Go's escapes agree with JSON's for \\ \" \n \r \t). */
const unquote = (literal: string) => JSON.parse(`"${literal}"`) as string;

describe('escaping', () => {
  it('dots in FQDNs are escaped in regex matchers, and the string literal escapes the backslashes', () => {
    expect(regexLiteral('reviews.default.svc.cluster.local')).toBe('reviews\\.default\\.svc\\.cluster\\.local');
    expect(promqlString(regexAlternation(['b.x', 'a.x', 'a.x']))).toBe('a\\\\.x|b\\\\.x');
  });

  it('a regex literal matches exactly its input (RE2 ≈ JS for these metacharacters)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (value, other) => {
        const regex = new RegExp(`^(?:${regexLiteral(value)})$`, 'u');
        expect(regex.test(value)).toBe(true);
        if (other !== value) expect(regex.test(other)).toBe(false);
      }),
    );
  });

  it('a PromQL string literal round-trips and keeps the query parseable', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const literal = promqlString(value);
        expect(unquote(literal)).toBe(value);
        expect(hasError(`x{a="${literal}"}`)).toBe(false);
      }),
    );
  });
});

describe('durations', () => {
  it('parses Prometheus durations and refuses others', () => {
    expect(parseDuration('5m')).toBe(300);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('500ms')).toBe(0.5);
    for (const bad of ['', '5', 'm5', '5 m', '-5m', '0s', '1.5h', '5m1h']) expect(parseDuration(bad)).toBeNull();
  });
  it('formats whole seconds back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (seconds) => {
        expect(parseDuration(formatDuration(seconds))).toBe(seconds);
      }),
    );
  });
});

describe('templates', () => {
  const values = { reporter: 'source' as const, versionLabel: 'destination_version', window: '5m', destinationServices: ['b.default.svc.cluster.local', 'a.default.svc.cluster.local'] };

  it('the shipped templates render to valid PromQL with every label attribution needs', async () => {
    for (const name of ['requests', 'tcp-connections'] as const) {
      const template = await loadTemplate(name);
      expect(() => checkTemplate(template, 'destination_version')).not.toThrow();
      const promql = renderTemplate(template, values);
      expect(hasError(promql)).toBe(false);
      expect(promql).toContain('reporter="source"');
      expect(promql).toContain('destination_service=~"a\\\\.default\\\\.svc\\\\.cluster\\\\.local|b\\\\.default\\\\.svc\\\\.cluster\\\\.local"');
      expect(promql).toContain('[5m]');
      expect(promql).not.toContain('#');
    }
  });

  const write = (text: string) => {
    const file = join(scratchDirectory('mesh-split-query-'), 'q.promql');
    writeFileSync(file, text);
    return file;
  };

  it('--query-file: refuses what is not PromQL, drops needed labels, or uses unknown placeholders', async () => {
    const broken = await loadTemplate('requests', write('sum by (source_workload (increase(x[5m])'));
    expect(() => checkTemplate(broken, 'destination_version')).toThrow(/not valid PromQL/);
    const dropping = await loadTemplate('requests', write('sum by (destination_service) (increase(istio_requests_total[{{window}}]))'));
    expect(() => checkTemplate(dropping, 'destination_version')).toThrow(/drops the labels source_workload, source_workload_namespace, destination_version/);
    const without = await loadTemplate('requests', write('sum without (source_workload) (increase(istio_requests_total[5m]))'));
    expect(() => checkTemplate(without, 'destination_version')).toThrow(QueryTemplateError);
    const unknown = await loadTemplate('requests', write('sum by (source_workload, destination_service, destination_version) (increase(x{a="{{nope}}"}[5m]))'));
    expect(() => checkTemplate(unknown, 'destination_version')).toThrow(/unknown placeholder/);
    const fine = await loadTemplate('requests', write('sum by (source_workload, source_workload_namespace, destination_service, destination_canonical_revision) (rate(istio_requests_total{reporter="{{reporter}}"}[{{window}}]) * 300)'));
    expect(() => checkTemplate(fine, 'destination_canonical_revision')).not.toThrow();
    await expect(loadTemplate('requests', '/nonexistent/q.promql')).rejects.toThrow(QueryTemplateError);
  });

  const KEEP = 'source_workload, source_workload_namespace, destination_service, destination_version';
  const refusal = async (query: string) => {
    try {
      checkTemplate(await loadTemplate('requests', write(query)), 'destination_version');
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(QueryTemplateError);
      return (error as Error).message;
    }
  };

  it('--query-file: the labels its result keeps are read through parentheses, arithmetic, joins and functions', async () => {
    const selector = 'istio_requests_total{reporter="{{reporter}}", destination_service=~"{{destinationServices}}"}[{{window}}]';
    const dropping = `sum by (destination_service) (increase(${selector}))`;
    // Each of these loses source_workload (and more): once only a bare top-level `sum` was read.
    for (const query of [
      `(${dropping})`,
      `${dropping} * 1`,
      `2 * (${dropping})`,
      `${dropping} > 0`,
      `-${dropping}`,
      `sum by (${KEEP}) (increase(${selector})) or ${dropping}`,
      `sum by (${KEEP}) (increase(${selector})) * on (destination_service) sum by (${KEEP}) (increase(${selector}))`,
      `sum by (${KEEP}) (increase(${selector})) / ignoring (source_workload) sum by (${KEEP}) (increase(${selector}))`,
      `abs(${dropping})`,
      `sum without (source_workload_namespace) (increase(${selector}))`,
      `sum(increase(${selector}))`,
      `vector(1)`,
    ]) {
      expect(await refusal(query), query).toMatch(/drops the labels? .*source_workload/);
    }
    expect(await refusal('scalar(sum(increase(x[5m])))')).toMatch(/a single number/);
    expect(await refusal('42')).toMatch(/a single number/);
    expect(await refusal(`sum by (${KEEP}) (istio_requests_total)[5m:1m]`)).toMatch(/ranges of samples/);
    expect(await refusal(`(istio_requests_total[5m] offset 1m)`)).toMatch(/ranges of samples/);
    // label_replace from a label the sum dropped writes an empty value: the label is deleted.
    expect(await refusal(`label_replace(sum by (source_workload, source_workload_namespace, destination_service) (increase(${selector})), "destination_version", "$1", "destination_canonical_revision", "(.*)")`)).toMatch(/drops the label destination_version/);

    // And these keep every label mesh-split needs.
    for (const query of [
      `(sum by (${KEEP}) (increase(${selector})))`,
      `sum by (${KEEP}) (increase(${selector})) * 1`,
      `sum by (${KEEP}, extra) (increase(${selector})) > 0`,
      `increase(${selector})`,
      `sum without (instance, pod) (increase(${selector}))`,
      `topk(100, sum by (${KEEP}) (increase(${selector})))`,
      `sum by (${KEEP}) (increase(${selector})) or sum by (${KEEP}) (increase(${selector.replace('istio_requests_total', 'other_total')}))`,
      `sum by (${KEEP}) (increase(${selector})) and on (destination_service) up`,
      `sum by (${KEEP}) (increase(${selector})) * on (destination_service) group_left (team) sum by (destination_service, team) (x)`,
      `label_replace(sum by (source_workload, source_workload_namespace, destination_service, destination_canonical_revision) (increase(${selector})), "destination_version", "$1", "destination_canonical_revision", "(.*)")`,
      `sum by (${KEEP}) (increase(${selector}) offset 1m)`,
    ]) {
      expect(await refusal(query), query).toBeNull();
    }
  });

  it('--query-file: placeholders are escaped for the string they sit in', async () => {
    const template = (text: string) => ({ name: 'requests' as const, file: 'q.promql', source: text });
    const hosts = ["a.default.svc.cluster.local", "o'brien\\x.default"];
    const render = (text: string) => renderTemplate(template(text), { ...values, destinationServices: hosts });
    const alternation = regexAlternation(hosts);
    // Raw strings take no escapes: the regex goes in as it is (escaping it again matched nothing).
    expect(render('x{d=~`{{destinationServices}}`}')).toBe(`x{d=~\`${alternation}\`}`);
    expect(render('x{d=~"{{destinationServices}}"}')).toBe(`x{d=~"${promqlString(alternation)}"}`);
    expect(render("x{d=~'{{destinationServices}}'}")).toBe(`x{d=~'${promqlString(alternation, "'")}'}`);
    for (const rendered of [render('x{d=~`{{destinationServices}}`}'), render("x{d=~'{{destinationServices}}'}"), render('x{d=~"{{destinationServices}}"}')]) {
      expect(hasError(rendered)).toBe(false);
    }
    // Quotes of the other kind, escapes and comments do not end a string or start one.
    expect(render('x{a="it\'s \\" `{{reporter}}`", r="{{reporter}}"} # "{{reporter}}')).toBe('x{a="it\'s \\" `source`", r="source"} # "source');
    expect(() => render('x{r={{reporter}}}')).toThrow(/must sit inside a string/);
    expect(() => renderTemplate(template('x{d=~`{{destinationServices}}`}'), { ...values, destinationServices: ['a`b'] })).toThrow(/raw string/);
  });

  it('property: whatever the hosts, a placeholder in any quoting renders parseable PromQL that reads back to the regex', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), fc.constantFrom('"', "'", '`'), (hosts, quote) => {
        fc.pre(quote !== '`' || !hosts.some((host) => host.includes('`')));
        const rendered = renderTemplate({ name: 'requests', file: 'q', source: `x{d=~${quote}{{destinationServices}}${quote}}` }, { ...values, destinationServices: hosts });
        expect(hasError(rendered)).toBe(false);
        const literal = rendered.slice('x{d=~'.length + 1, -2);
        const read = quote === '`' ? literal : quote === '"' ? unquote(literal) : unquote(literal.replace(/\\'/g, "'").replace(/"/g, '\\"'));
        expect(read).toBe(regexAlternation(hosts));
      }),
      { numRuns: 500 },
    );
  });
});
