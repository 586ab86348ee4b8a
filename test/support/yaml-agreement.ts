import fc from 'fast-check';
import { expect } from 'vitest';
import { parseYamlCarefully, type ParsedDocument, type ParsedSource } from '../../src/manifests/parse.js';
import { PositionIndex } from '../../src/manifests/positions.js';
import { KubernetesReadings } from '../../src/manifests/yaml-1-1.js';

// Shared by the tests of the fast YAML readers: each is held to the `yaml` package path.

/** Every (container, key) → line pair of every document, by path. */
export function lines(source: ParsedSource): Map<string, number | undefined> {
  const result = new Map<string, number | undefined>();
  const walk = (node: unknown, path: string) => {
    if (node === null || typeof node !== 'object') return;
    result.set(path, source.positions.lineOf(node));
    for (const [key, child] of Object.entries(node)) {
      const index = Array.isArray(node) ? Number(key) : key;
      result.set(`${path}/${key}@`, source.positions.lineOf(node, index));
      walk(child, `${path}/${key}`);
    }
  };
  // Empty documents hold no object and are skipped downstream; the parsers count them differently
  // (a lone `...`), and js-yaml gives them no offset.
  source.documents.filter((document) => document.value !== null).forEach((document, index) => {
    result.set(`#${index}`, document.line);
    walk(document.value, `#${index}`);
  });
  return result;
}

/** A fast reader: documents with positions, or null when it steps aside. */
export type FastReader = (text: string, positions: PositionIndex, readings: KubernetesReadings) => ParsedDocument[] | null;

export function readWith(reader: FastReader, text: string): ParsedSource | null {
  const positions = new PositionIndex();
  const readings = new KubernetesReadings();
  const documents = reader(text, positions, readings);
  return documents && { file: 'x.yaml', documents, positions, findings: [], readings };
}

export function careful(text: string): ParsedSource {
  const result: ParsedSource = { file: 'x.yaml', documents: [], positions: new PositionIndex(), findings: [], readings: new KubernetesReadings() };
  parseYamlCarefully(text, result);
  return result;
}

/**
 * The fast reader either steps aside or agrees with the `yaml` package on values and lines.
 * Returns whether it answered.
 */
export function expectAgreement(reader: FastReader, text: string, mustBeFast = false): boolean {
  const quick = readWith(reader, text);
  if (mustBeFast) expect(quick, text).not.toBeNull();
  if (!quick) return false;
  const slow = careful(text);
  expect(slow.findings, text).toEqual([]);
  // Scalars kubectl reads otherwise (MS006) are noted alike, at the same lines.
  expect(quick.readings.list(), text).toEqual(slow.readings.list());
  const values = (source: ParsedSource) => source.documents.map((d) => d.value).filter((value) => value !== null);
  expect(values(quick), text).toEqual(values(slow));
  expect(lines(quick), text).toEqual(lines(slow));
  return true;
}

export const key = fc.oneof(fc.stringMatching(/^[a-z][a-zA-Z0-9.\/-]{0,8}$/), fc.string({ maxLength: 6 }), fc.constantFrom('1', 'true', 'null', '~', '01', 'on', '<<', '0b1', 'y'));
export const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.constantFrom('yes', '0x1F', '1e3', '.inf', 'a: b', '- x', '#c', "it's", 'multi\nline\n', '0b11', '1_000', 'n', 'Off'));
export const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('tree'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
}));
