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
    expect(() => checkTemplate(dropping, 'destination_version')).toThrow(/drops the labels source_workload, destination_version/);
    const without = await loadTemplate('requests', write('sum without (source_workload) (increase(istio_requests_total[5m]))'));
    expect(() => checkTemplate(without, 'destination_version')).toThrow(QueryTemplateError);
    const unknown = await loadTemplate('requests', write('sum by (source_workload, destination_service, destination_version) (increase(x{a="{{nope}}"}[5m]))'));
    expect(() => checkTemplate(unknown, 'destination_version')).toThrow(/unknown placeholder/);
    const fine = await loadTemplate('requests', write('sum by (source_workload, destination_service, destination_canonical_revision) (rate(istio_requests_total{reporter="{{reporter}}"}[{{window}}]) * 300)'));
    expect(() => checkTemplate(fine, 'destination_canonical_revision')).not.toThrow();
    await expect(loadTemplate('requests', '/nonexistent/q.promql')).rejects.toThrow(QueryTemplateError);
  });
});
