import { describe, expect, it } from 'vitest';
import { checkMarkdown, MARKDOWN_MARKER } from '../../src/report/check/markdown.js';
import { palette } from '../../src/report/color.js';
import { errorReport, fullReport, nastyReport, passResult, report } from './fixtures.js';

const markdown = (input: Parameters<typeof checkMarkdown>[0]) => checkMarkdown(input, palette(true));

/** Cells of a table row as GFM splits them: on pipes not preceded by an odd run of backslashes. */
function cells(row: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 1; i < row.length - 1; i += 1) {
    const char = row[i]!;
    if (char === '\\') {
      current += char + (row[i + 1] ?? '');
      i += 1;
    } else if (char === '|') {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  parts.push(current.trim());
  return parts;
}

describe('Markdown pull-request comment', () => {
  const text = markdown(fullReport);
  const lines = text.split('\n');
  const rows = lines.filter((line) => line.startsWith('| '));

  it('starts with the marker, a heading with the verdict, and the summary', () => {
    expect(lines.slice(0, 4)).toEqual([
      MARKDOWN_MARKER,
      '## ❌ drift — mesh-split check',
      '',
      '**1 drift · 1 inconclusive · 1 no-traffic · 2 pass** of 5 routes · window 5m · Prometheus http://prometheus.istio-system:9090 · evaluated 2025-05-01T12:00:00.000Z · exit 1',
    ]);
  });

  it('has a row per destination, drift first, every row as wide as the header', () => {
    expect(rows.every((row) => cells(row).length === 11)).toBe(true);
    expect(rows[0]).toBe('| Verdict | VirtualService | Binding | Route | Destination | Declared | Actual | Δ points | Requests | Interval | Status |');
    expect(rows[2]).toBe('| ❌ drift | default/helloworld-vs | mesh | http\\[0\\] | helloworld.default/v1 | 80.0% | 68.2% | -11.8 | 3,413 | 66.7–69.8% | ❌ drift |');
    expect(rows[4]).toBe('|  |  |  |  | helloworld.default/v3 (undeclared) | 0.0% | 11.5% | +11.5 | 575 | 10.5–12.6% | ❌ drift |');
    expect(rows[5]).toMatch(/^\| ⚠️ inconclusive \| default\/helloworld-gw /);
    expect(rows[7]).toBe('| 💤 no-traffic | bookinfo/ratings | mesh | tcp\\[0\\] | ratings.bookinfo/v1 | 90.0% | – | – | 0 | – | 💤 no-traffic |');
  });

  it('says what to do about unsettled routes and folds passing ones, mix included', () => {
    expect(text).toContain('- ⚠️ **default/helloworld-gw istio-system/helloworld-gateway http\\[0\\] canary** (manifests/gateway.yaml:31): 71 requests, fewer than the 100 required; about 6,900 more needed to settle');
    const details = text.slice(text.indexOf('<details>'), text.indexOf('</details>'));
    expect(details).toContain('<summary>✅ 2 passing routes</summary>\n\n| Verdict');
    expect(details).toContain('| ✅ pass | default/helloworld-subsets | mesh | http\\[0\\] | helloworld.default/v1 | 70.0% | 70.2% | +0.2 | 7,021 | 69.2–71.2% | ✅ pass |');
    expect(details).toContain('fitted mix http\\[0\\] jason 26.0%, http\\[1\\] 74.0%');
    expect(text.indexOf('❌ drift |')).toBeLessThan(text.indexOf('<details>'));
  });

  it('shows passing routes unfolded when nothing else needs attention', () => {
    const all = markdown(report({ results: [passResult] }));
    expect(all).not.toContain('<details>');
    expect(all).toContain('## ✅ pass — mesh-split check');
  });

  it('lists findings and Prometheus warnings', () => {
    expect(text).toContain(
      '### Findings\n\n- ⚠️ **warning** MS106 (VirtualService default/helloworld-vs manifests/helloworld.yaml:3): shares destinations with VirtualService default/helloworld-subsets; attribution is ambiguous',
    );
    expect(text).toContain('### Prometheus warnings\n\n- query returned partial data');
    const error = markdown(errorReport);
    expect(error).toContain('## 🛑 error — mesh-split check');
    expect(error).toContain('**nothing compared**');
    expect(error).toContain('- 🛑 **error** MS003 (VirtualService default/bad manifests/bad.yaml:12): weight must be a non-negative integer, got -5');
  });

  it('keeps hostile names inside their cell and inert', () => {
    const nasty = markdown(nastyReport);
    const nastyRows = nasty.split('\n').filter((line) => line.startsWith('| '));
    expect(nastyRows.every((row) => cells(row).length === 11)).toBe(true);
    const binding = cells(nastyRows[2]!)[2]!;
    expect(binding).toBe('gw\\|ns/\\<\\&\\>"\' \\|pipe\\| ::colon, 100% \\`tick\\` \\*star\\* \\[link\\](x) \\@user \\#1 line2\uFFFD\uFFFD\uFFFD\\[31m\uFFFE\uD800end');
    expect(nasty).not.toMatch(/[\r\u0000\u0007\u001b]/);
    expect(nasty).toContain('Prometheus http://prom:9090/?a=1\\&b=\\<x\\>');
  });
});
