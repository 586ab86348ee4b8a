import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/report/check/text.js';
import { checkJunit } from '../../src/report/check/junit.js';
import { MAX_CELL_WIDTH, oneLine, tableCell } from '../../src/report/terminal-text.js';
import { driftResult, report } from './fixtures.js';

const NASTY = ['\u001b', '[', ']', '0', ';', 'm', 'J', '\u0007', '\n', '\r', '\u0000', '\u009b', '\u0085', '\u007f', '\t', 'a', ' ', 'é', '😀'];
const nasty = fc.oneof(fc.string({ unit: fc.constantFrom(...NASTY), maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }));
/** Any control character but the tab, ESC included (the reports below run without colour). */
// eslint-disable-next-line no-control-regex
const stray = (text: string) => text.match(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);

describe('text for a terminal or a CI log (ECMA-48 controls)', () => {
  it('one line, no control character (ESC included) whatever the input', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        expect(stray(oneLine(text))).toBeNull();
        expect(stray(tableCell(text))).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps text without controls as it is; the input\'s colour codes go like any other control', () => {
    expect(oneLine('v1 é😀\tx')).toBe('v1 é😀\tx');
    expect(oneLine('\u001b]0;pwned\u0007\u001b[2J\nFAKE')).toBe('\uFFFD]0;pwned\uFFFD\uFFFD[2J\uFFFDFAKE');
    expect(oneLine('a\u001b[8mhidden\u001b[30;40m')).toBe('a\uFFFD[8mhidden\uFFFD[30;40m');
  });

  it('cuts a table cell to its width limit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        const cell = tableCell(text);
        expect(cell.length).toBeLessThanOrEqual(Math.max(MAX_CELL_WIDTH, 0));
        if (text.length <= MAX_CELL_WIDTH) expect(cell).toBe(oneLine(text));
      }),
    );
  });

  it('a Prometheus label value cannot write escapes or forge a line in the text and JUnit reports', () => {
    const hostile = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mEVIL\nFAKE: PASS';
    const huge = 'L'.repeat(200_000);
    const result = {
      ...driftResult,
      destinations: driftResult.destinations.map((destination, index) => ({ ...destination, version: index === 0 ? hostile : huge })),
    };
    const plain = new Chalk({ level: 0 });
    // JUnit's free text (system-out) may hold a line break, escaped for XML; its tables may not.
    for (const [format, warnings] of [[checkText, [`warning ${hostile}`]], [checkJunit, []]] as const) {
      const output = format(report({ results: [result], warnings: [...warnings] }), plain);
      expect(stray(output.replaceAll('\n', ''))).toBeNull();
      expect(output.split('\n').some((line) => line.startsWith('FAKE'))).toBe(false);
      // One cut cell, not 200,000 characters of padding on every row.
      expect(output.length).toBeLessThan(20_000);
    }
  });

  it('in colour, the only escapes in the text reports are our own colours around our own words', () => {
    const hidden = 'v1\u001b[8m';
    const result = { ...driftResult, message: `drifted \u001b[30;40m`, destinations: driftResult.destinations.map((destination) => ({ ...destination, version: hidden, host: `h\u001b[31m.ns.svc.cluster.local` })) };
    const red = new Chalk({ level: 1 });
    const output = checkText(report({ results: [result], findings: [{ level: 'error', code: 'MS003', object: null, message: 'bad \u001b[8m', file: 'f\u001b[1m.yaml', line: 1 }] }), red);
    // Colour is still there, ours; the input's codes are all defused (8 and 30;40 are no palette
    // colour, so none may appear; the input's 31 and 1 are checked defused by their text).
    expect(output).toMatch(/\u001b\[[0-9;]*m/);
    expect(output).not.toMatch(/\u001b\[(8|30;40)m/);
    expect(output).toContain('v1\uFFFD[8m');
    expect(output).toContain('h\uFFFD[31m.ns');
    expect(output).toContain('bad \uFFFD[8m');
    expect(output).toContain('f\uFFFD[1m.yaml');
  });
});
