import { describe, expect, it } from 'vitest';
import { checkJunit } from '../../src/report/check/junit.js';
import { palette } from '../../src/report/color.js';
import { replaceInvalidXmlChars } from '../../src/report/check/xml.js';
import { driftReport, errorReport, fullReport, NASTY, nastyReport, report } from './fixtures.js';
import { findAll, parseXml, type XmlElement } from './xml-check.js';

const junit = (input: Parameters<typeof checkJunit>[0]) => checkJunit(input, palette(true));
const counts = (element: XmlElement) =>
  Object.fromEntries(['tests', 'failures', 'errors', 'skipped'].map((key) => [key, Number(element.attributes[key])]));

describe('the well-formedness check itself', () => {
  it.each([
    ['<a><b></a></b>', /closes/],
    ['<a>', /unclosed/],
    ['<a/><b/>', /more than one root/],
    ['<a>x & y</a>', /bare &/],
    ['<a t="<"/>', /raw </],
    ['<a t="1" t="2"/>', /duplicate/],
    ['<a>\u0001</a>', /not allowed/],
    ['<a t=x/>', /malformed tag/],
    ['text<a/>', /outside the root/],
  ])('rejects %j', (xml, error) => {
    expect(() => parseXml(xml)).toThrow(error);
  });

  it('decodes as a parser does', () => {
    const element = parseXml('<a t="x&#10;y\tz&amp;">1 &lt; 2\r\n&#13;</a>');
    expect(element.attributes.t).toBe('x\ny z&');
    expect(element.text).toBe('1 < 2\n\r');
  });
});

describe('JUnit XML', () => {
  const xml = junit(fullReport);
  const root = parseXml(xml);
  const cases = findAll(root, 'testcase');
  const byName = (name: string) => {
    const found = cases.find((testcase) => testcase.attributes.name === name);
    if (!found) throw new Error(`no test case ${name}`);
    return found;
  };

  it('is well-formed, with the declaration and a <testsuites> root', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    expect(root.name).toBe('testsuites');
    expect(xml).not.toContain('\u001b');
  });

  it('counts routes, drift as failures and unsettled routes as skipped, with the evaluation time', () => {
    expect(counts(root)).toEqual({ tests: 5, failures: 1, errors: 0, skipped: 2 });
    expect(root.attributes.timestamp).toBe(fullReport.evaluatedAt);
    expect(root.attributes.time).toBe('0');
    for (const suite of findAll(root, 'testsuite')) {
      const suiteCases = suite.children.filter((child) => child.name === 'testcase');
      expect(counts(suite)).toEqual({
        tests: suiteCases.length,
        failures: suiteCases.filter((testcase) => findAll(testcase, 'failure').length).length,
        errors: suiteCases.filter((testcase) => findAll(testcase, 'error').length).length,
        skipped: suiteCases.filter((testcase) => findAll(testcase, 'skipped').length).length,
      });
      expect(suite.attributes.timestamp).toBe(fullReport.evaluatedAt);
    }
  });

  it('has one suite per VirtualService, in report order, and a trailing one for the rest', () => {
    expect(findAll(root, 'testsuite').map((suite) => suite.attributes.name)).toEqual([
      'VirtualService default/helloworld-vs',
      'VirtualService default/helloworld-gw',
      'VirtualService bookinfo/ratings',
      'VirtualService default/helloworld-subsets',
      'VirtualService bookinfo/reviews',
      'mesh-split',
    ]);
    expect(cases.map((testcase) => testcase.attributes.name)).toEqual([
      'default/helloworld-vs mesh http[0]',
      'default/helloworld-gw istio-system/helloworld-gateway http[0] canary',
      'bookinfo/ratings mesh tcp[0]',
      'default/helloworld-subsets mesh http[0]',
      'bookinfo/reviews mesh http[0,1] (mix)',
    ]);
  });

  it('reports drift as a failure with the destinations as a table', () => {
    const testcase = byName('default/helloworld-vs mesh http[0]');
    expect(testcase.attributes).toMatchObject({ classname: 'VirtualService default/helloworld-vs', file: 'manifests/helloworld.yaml', line: '9' });
    const [failure] = findAll(testcase, 'failure');
    expect(failure?.attributes).toEqual({ message: 'helloworld/v3 (undeclared) at 11.5% is outside 0% ± 5 (interval 10.5–12.6%)', type: 'drift' });
    const body = failure!.text.split('\n');
    expect(body).toContain('helloworld.default/v1                  80.0%   68.2%  -11.8     3,413  66.7–69.8%  drift   manifests/helloworld.yaml:14');
    expect(body).toContain('helloworld.default/v3 (undeclared)      0.0%   11.5%  +11.5       575  10.5–12.6%  drift   –');
    expect(findAll(testcase, 'skipped')).toEqual([]);
  });

  it('skips inconclusive and no-traffic routes with the reason', () => {
    const [inconclusive] = findAll(byName('default/helloworld-gw istio-system/helloworld-gateway http[0] canary'), 'skipped');
    expect(inconclusive?.attributes.message).toBe('inconclusive: 71 requests, fewer than the 100 required; about 6,900 more needed to settle');
    const [idle] = findAll(byName('bookinfo/ratings mesh tcp[0]'), 'skipped');
    expect(idle?.attributes.message).toBe('no-traffic: no requests in the window');
    expect(findAll(byName('bookinfo/ratings mesh tcp[0]'), 'system-out')[0]?.text).toContain('CONNECTIONS');
  });

  it('leaves passing routes plain, with the fitted mix of a conditional group in its output', () => {
    const mix = byName('bookinfo/reviews mesh http[0,1] (mix)');
    expect(mix.children.map((child) => child.name)).toEqual(['system-out']);
    expect(mix.children[0]?.text).toContain('fitted mix: http[0] jason 26.0%, http[1] 74.0%');
  });

  it('puts findings beside their object and the rest, with Prometheus warnings, in the mesh-split suite', () => {
    const suites = findAll(root, 'testsuite');
    const suiteOut = (name: string) => suites.find((suite) => suite.attributes.name === name)!.children.filter((child) => child.name === 'system-out').map((child) => child.text);
    expect(suiteOut('VirtualService bookinfo/reviews')).toEqual(['Info [MS203] (VirtualService bookinfo/reviews manifests/reviews.yaml:9) routes with match conditions are compared as a mix']);
    expect(suiteOut('mesh-split')[0]).toBe(
      'Warning [MS102] (DestinationRule default/other manifests/other.yaml:5) host other.default matches no Service\nPrometheus warning: query returned partial data',
    );
  });

  it('leaves the mesh-split suite out when it would be empty', () => {
    expect(findAll(parseXml(junit(driftReport)), 'testsuite')).toHaveLength(1);
  });

  it('turns a report with nothing compared into one test case with an <error>', () => {
    const errorRoot = parseXml(junit(errorReport));
    expect(counts(errorRoot)).toEqual({ tests: 1, failures: 0, errors: 1, skipped: 0 });
    const [testcase] = findAll(errorRoot, 'testcase');
    expect(testcase?.attributes).toMatchObject({ name: 'manifests', classname: 'mesh-split', file: 'manifests/bad.yaml', line: '12' });
    const [error] = findAll(errorRoot, 'error');
    expect(error?.attributes).toEqual({ message: '2 input errors; first: [MS003] weight must be a non-negative integer, got -5', type: 'MS003' });
    expect(error?.text.split('\n')).toHaveLength(3);
    const empty = parseXml(junit(report({ status: 'error', exitCode: 65 })));
    expect(findAll(empty, 'error')[0]?.attributes.message).toBe('nothing to compare');
  });

  it('keeps hostile names intact (less what XML 1.0 cannot carry) and well-formed', () => {
    const nasty = junit(nastyReport);
    const nastyRoot = parseXml(nasty);
    const clean = replaceInvalidXmlChars(NASTY);
    const [testcase] = findAll(nastyRoot, 'testcase');
    expect(testcase?.attributes.name).toBe(`ns/we-ird gw|ns/${clean} http[0] ${clean}`);
    expect(testcase?.attributes.file).toBe('dir,with:odd/%20<&>"\'.yaml');
    const [failure] = findAll(nastyRoot, 'failure');
    expect(failure?.attributes.message).toBe(clean);
    // Text content: the CR survives as &#13;, CRLF is not folded into LF.
    expect(failure?.text.startsWith(clean)).toBe(true);
    expect(nasty).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(nasty).toContain('&lt;&amp;&gt;&quot;&apos;');
  });
});
