import { append } from '../../arrays.js';
import type { CheckReport, RouteResult } from '../../model/check.js';
import type { Finding } from '../../model/findings.js';
import { palette } from '../color.js';
import { formatFinding } from '../findings-text.js';
import { destinationTable, limitsLabel, mixLabel, objectLabel, routeTitle } from './describe.js';
import type { CheckFormatter } from './report.js';
import { escapeXmlText, xmlAttributes } from './xml.js';

/**
 * JUnit XML as Jenkins (Ant/Surefire schema), GitLab and GitHub test reporters read it.
 *
 * One `<testsuite>` per VirtualService (HTTPRoute), one `<testcase>` per compared route. Those
 * UIs list suites as the top-level groups with their own pass/fail counts, so a reader sees at
 * once which object drifts; `classname` is the object too, for Jenkins' package/class tree.
 * drift → `<failure>` with the destinations as a table; inconclusive and no-traffic →
 * `<skipped>`; pass → a plain test case. A report with nothing compared (input errors) is one
 * `<error>` test case. Findings and Prometheus warnings go to `<system-out>` of the object's
 * suite, or of a trailing `mesh-split` suite when they are not about a compared object.
 */

const REPORT_SUITE = 'mesh-split';
const plain = palette(false);

interface Suite {
  name: string;
  file: string | null;
  cases: string[];
  tests: number;
  failures: number;
  skipped: number;
  errors: number;
  output: string[];
}

function newSuite(name: string, file: string | null): Suite {
  return { name, file, cases: [], tests: 0, failures: 0, skipped: 0, errors: 0, output: [] };
}

function routeDetails(result: RouteResult, report: CheckReport): string {
  const mix = mixLabel(result);
  return [
    result.message,
    `${limitsLabel(result)}; window ${report.window} at ${report.evaluatedAt}, ${report.prometheus}`,
    ...(mix ? [`fitted mix: ${mix}`] : []),
    '',
    destinationTable(result),
  ].join('\n');
}

function testCase(result: RouteResult, report: CheckReport): string {
  const open = `    <testcase${xmlAttributes({
    name: routeTitle(result),
    classname: objectLabel(result),
    file: result.virtualService.file,
    line: result.route.line,
    time: 0,
  })}`;
  const details = escapeXmlText(routeDetails(result, report));
  switch (result.status) {
    case 'drift':
      return `${open}>\n      <failure${xmlAttributes({ message: result.message, type: 'drift' })}>${details}</failure>\n    </testcase>`;
    case 'inconclusive':
    case 'no-traffic':
      return `${open}>\n      <skipped${xmlAttributes({ message: `${result.status}: ${result.message}` })}/>\n      <system-out>${details}</system-out>\n    </testcase>`;
    case 'pass':
      return `${open}>\n      <system-out>${details}</system-out>\n    </testcase>`;
  }
}

/** The findings that stopped the evaluation: errors, or warnings under `--fail-on warning`. */
function failing(findings: readonly Finding[]): Finding[] {
  const errors = findings.filter((item) => item.level === 'error');
  return errors.length > 0 ? errors : findings.filter((item) => item.level === 'warning');
}

function errorCase(report: CheckReport): string {
  const stopping = failing(report.findings);
  const first = stopping[0];
  const message = first
    ? `${stopping.length} ${first.level === 'error' ? 'input error' : 'warning'}${stopping.length === 1 ? '' : 's'}; first: [${first.code}] ${first.message}`
    : 'nothing to compare';
  const body = report.findings.length > 0 ? report.findings.map((item) => formatFinding(item, plain)).join('\n') : message;
  return (
    `    <testcase${xmlAttributes({ name: 'manifests', classname: REPORT_SUITE, file: first?.file, line: first?.line, time: 0 })}>\n` +
    `      <error${xmlAttributes({ message, type: first?.code ?? 'input' })}>${escapeXmlText(body)}</error>\n    </testcase>`
  );
}

function suiteXml(suite: Suite, report: CheckReport): string {
  const attributes = xmlAttributes({
    name: suite.name,
    tests: suite.tests,
    failures: suite.failures,
    errors: suite.errors,
    skipped: suite.skipped,
    time: 0,
    timestamp: report.evaluatedAt,
    file: suite.file,
  });
  const body = [...suite.cases];
  if (suite.output.length > 0) body.push(`    <system-out>${escapeXmlText(suite.output.join('\n'))}</system-out>`);
  return `  <testsuite${attributes}>\n${body.join('\n')}\n  </testsuite>`;
}

export const checkJunit: CheckFormatter = (report) => {
  const suites = new Map<string, Suite>();
  for (const result of report.results) {
    const name = objectLabel(result);
    const suite = suites.get(name) ?? newSuite(name, result.virtualService.file);
    suites.set(name, suite);
    suite.cases.push(testCase(result, report));
    suite.tests += 1;
    if (result.status === 'drift') suite.failures += 1;
    if (result.status === 'inconclusive' || result.status === 'no-traffic') suite.skipped += 1;
  }

  const reportSuite = newSuite(REPORT_SUITE, null);
  if (report.results.length === 0 || report.status === 'error') {
    reportSuite.cases.push(errorCase(report));
    reportSuite.tests += 1;
    reportSuite.errors += 1;
  } else {
    for (const item of report.findings) {
      const target = (item.object !== null && suites.get(item.object)) || reportSuite;
      target.output.push(formatFinding(item, plain));
    }
  }
  append(reportSuite.output, report.warnings.map((warning) => `Prometheus warning: ${warning}`));
  const all = [...suites.values()];
  if (reportSuite.tests > 0 || reportSuite.output.length > 0) all.push(reportSuite);

  const total = (key: 'tests' | 'failures' | 'errors' | 'skipped') => all.reduce((sum, suite) => sum + suite[key], 0);
  const root = xmlAttributes({
    name: 'mesh-split check',
    tests: total('tests'),
    failures: total('failures'),
    errors: total('errors'),
    skipped: total('skipped'),
    time: 0,
    timestamp: report.evaluatedAt,
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${root}>\n${all.map((suite) => suiteXml(suite, report)).join('\n')}\n</testsuites>`;
};
