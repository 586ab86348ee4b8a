import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { colorEnabled } from '../../src/report/color.js';
import { runCli, ROOT, type CliResult } from '../support/cli.js';
import { scratchDirectory } from '../support/scratch.js';

/** `mesh-split routes` and the CLI around it, driven as a user would (SPEC §3, §4, §7). */
const FIXTURES = 'test/fixtures/cli';
const fixture = (name: string) => `${FIXTURES}/${name}`;

const ANSI = /\u001b\[/;
const STACK_LINE = /^\s{4}at /m;

interface Json {
  schemaVersion: number;
  results: {
    virtualService: { kind: string; name: string; namespace: string; file: string; line: number };
    binding: string;
    route: { index: number; name: string | null; protocol: string; conditional: boolean };
    destinations: { host: string; subset: string | null; version: string | null; weight: number; declaredPercent: number; line: number }[];
  }[];
  findings: { code: string; level: string; object: string | null; file: string | null; line: number | null; message: string }[];
}

function json(result: CliResult): Json {
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Json;
}

/** A usage error: exit 64, nothing on stdout, one reason line and one hint line on stderr. */
function expectUsageError(result: CliResult, reason: RegExp, command?: string): void {
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n');
  expect(lines, result.stderr).toHaveLength(3);
  expect(lines[0]).toMatch(/^mesh-split: \S/);
  expect(lines[0]).toMatch(reason);
  expect(lines[1]).toBe(`Run 'mesh-split ${command ? `${command} ` : ''}--help' for usage.`);
  expect(lines[2]).toBe('');
  expect(result.code, result.stderr).toBe(64);
}

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mesh-split-cli-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function scratchFile(name: string, text: string): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, text);
  return path;
}

describe.concurrent('help, version, completion', () => {
  test('--help exits 0 and lists the routes command', async () => {
    for (const flag of ['--help', '-h']) {
      const result = await runCli([flag]);
      expect(result.code, flag).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/mesh-split routes\s+Show the declared traffic splits/);
      expect(result.stdout).toContain('completion');
    }
  });

  test('routes --help lists its options', async () => {
    const result = await runCli(['routes', '--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const option of ['--filename', '--output', '--kube', '--context', '--namespace', '--all-namespaces', '--fail-on', '--color']) {
      expect(result.stdout).toContain(option);
    }
  });

  test('--version prints package.json\'s version', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
    expect(result.stderr).toBe('');
  });

  test('completion prints a shell completion script', async () => {
    const result = await runCli(['completion']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('###-begin-mesh-split-completions-###');
    expect(result.stdout).toContain('mesh-split --get-yargs-completions');
    expect(result.stdout).toContain('###-end-mesh-split-completions-###');
  });
});

describe.concurrent('usage errors exit 64 with one reason line and a hint', () => {
  const split = fixture('split.yaml');
  test.each([
    { name: 'unknown command', args: ['bogus'], reason: /unknown command "bogus".*routes/, command: undefined },
    { name: 'no command', args: [], reason: /command/, command: undefined },
    { name: 'unknown flag', args: ['routes', '-f', split, '--bogus'], reason: /Unknown argument: bogus/, command: 'routes' },
    // yargs lists it camel-cased too ("allow-inconclusive, allowInconclusive"); the user typed one.
    { name: 'unknown kebab-case flag', args: ['routes', '-f', split, '--allow-inconclusive'], reason: /Unknown argument: allow-inconclusive$/, command: 'routes' },
    { name: 'a number option given text', args: ['check', '-f', split, '--tolerance', 'abc'], reason: /--tolerance must be .* \(got not a number\)$/, command: 'check' },
    { name: 'bad -o value', args: ['routes', '-f', split, '-o', 'xml'], reason: /output.*"xml".*text.*json/, command: 'routes' },
    { name: 'bad --fail-on value', args: ['routes', '-f', split, '--fail-on', 'info'], reason: /fail-on.*"info"/, command: 'routes' },
    { name: 'missing -f', args: ['routes'], reason: /no manifests.*-f/, command: 'routes' },
    { name: 'missing -f with only -o', args: ['routes', '-o', 'json'], reason: /no manifests/, command: 'routes' },
    { name: '--context without --kube', args: ['routes', '-f', split, '--context', 'prod'], reason: /--context/, command: 'routes' },
    { name: '-A without --kube', args: ['routes', '-f', split, '-A'], reason: /--all-namespaces/, command: 'routes' },
    // yargs' own parser refuses this one; it is still the user's mistake, not a bug of ours.
    { name: '-f without a value', args: ['routes', '-f'], reason: /\bf\b|filename/, command: 'routes' },
  ])('$name', async ({ args, reason, command }) => {
    expectUsageError(await runCli(args), reason, command);
  });

  // An unquoted header spills its value into stray words; yargs would list them, token and all.
  test.each([
    { args: ['--header', 'Authorization:', 'Bearer', 'SECRET-TOKEN'], reason: /Unknown argument: 2 words after a --header value \(not shown; quote/ },
    { args: ['--header=X-Auth:', 'SECRET-TOKEN', '--bogus'], reason: /Unknown arguments?: bogus and a word after a --header value/ },
    // A token that starts with a dash: yargs reads short options and would name every letter.
    { args: ['--header', 'Authorization:', 'Bearer', '-SECRET-TOKEN'], reason: /Unknown arguments?: \d+ words after a --header value/ },
  ])('words spilt from an unquoted --header are not echoed: $args', async ({ args, reason }) => {
    const result = await runCli(['check', '-f', split, '--prometheus', 'http://127.0.0.1:9', ...args]);
    expectUsageError(result, reason, 'check');
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/SECRET-TOKEN|Bearer/);
    // Nor the token's letters one by one.
    expect(result.stderr).not.toMatch(/\b[SECRTOKN], [SECRTOKN]\b/);
  });

  test('before the command, an option\'s value or a spilt header word is not taken for an unknown command', async () => {
    for (const args of [
      ['--prometheus', 'http://admin:PASSWORD-X@127.0.0.1:9', 'check', '-f', split, '--bogus'],
      ['--prometheus', 'http://admin:PASSWORD-X@127.0.0.1:9', 'bogus'],
      ['--header=X-Api-Key:', 'PASSWORD-X', 'check', '-f', split, '--prometheus', 'http://127.0.0.1:9'],
      ['--header', 'X:', 'PASSWORD-X'],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(64);
      expect(`${result.stdout}${result.stderr}`, args.join(' ')).not.toContain('PASSWORD-X');
    }
  });

  test('a stray word elsewhere is still named', async () => {
    expectUsageError(await runCli(['check', 'stray', '-f', split, '--header', 'X-Scope-OrgID: t1', '--prometheus', 'http://127.0.0.1:9']), /Unknown argument: stray$/, 'check');
  });

  test('bad values from the environment are usage errors too', async () => {
    expectUsageError(await runCli(['routes', '-f', split], { env: { MESH_SPLIT_OUTPUT: 'xml' } }), /output.*"xml"/, 'routes');
    expectUsageError(await runCli(['routes', '-f', split], { env: { MESH_SPLIT_CONTEXT: 'prod' } }), /--context/, 'routes');
  });
});

describe.concurrent('options from MESH_SPLIT_* variables', () => {
  test('MESH_SPLIT_FILENAME and MESH_SPLIT_OUTPUT', async () => {
    const result = await runCli(['routes'], { env: { MESH_SPLIT_FILENAME: fixture('tree'), MESH_SPLIT_OUTPUT: 'json' } });
    expect(result.code).toBe(0);
    expect(json(result).results.map((r) => r.virtualService.name)).toEqual(['reviews']);
  });

  test('a flag on the command line beats the variable', async () => {
    const result = await runCli(['routes', '-f', fixture('split.yaml'), '-o', 'text'], { env: { MESH_SPLIT_OUTPUT: 'json' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^VIRTUALSERVICE\s+BINDING/);
  });

  test('MESH_SPLIT_FAIL_ON=warning', async () => {
    const warned = await runCli(['routes', '-f', fixture('warning.yaml')], { env: { MESH_SPLIT_FAIL_ON: 'warning' } });
    expect(warned.stdout).toContain('[MS109]');
    expect(warned.code).toBe(65);
  });

  test('MESH_SPLIT_NAMESPACE (and -n) is the namespace of objects without one', async () => {
    for (const options of [{ args: [], env: { MESH_SPLIT_NAMESPACE: 'ratings-team' } }, { args: ['-n', 'ratings-team'], env: {} }]) {
      const result = await runCli(['routes', '-f', fixture('split.json'), '-o', 'json', ...options.args], { env: options.env });
      expect(result.code).toBe(0);
      const [split] = json(result).results;
      expect(split?.virtualService.namespace).toBe('ratings-team');
      // The short name follows the namespace; a name with a dot is taken as written.
      expect(split?.destinations.map((d) => d.host)).toEqual([
        'ratings-v1.ratings-team.svc.cluster.local',
        'ratings-v2.default.svc.cluster.local',
      ]);
    }
  });
});

describe('colour precedence (src/report/color.ts): --no-color > NO_COLOR > FORCE_COLOR > TERM=dumb > TTY', () => {
  test.each([
    { name: 'a TTY', flag: true, isTTY: true, env: {}, coloured: true },
    { name: 'not a TTY', flag: true, isTTY: false, env: {}, coloured: false },
    { name: '--no-color on a TTY', flag: false, isTTY: true, env: {}, coloured: false },
    { name: '--no-color beats FORCE_COLOR', flag: false, isTTY: true, env: { FORCE_COLOR: '1' }, coloured: false },
    { name: 'NO_COLOR beats FORCE_COLOR', flag: true, isTTY: true, env: { FORCE_COLOR: '1', NO_COLOR: '1' }, coloured: false },
    { name: 'any non-empty NO_COLOR counts', flag: true, isTTY: true, env: { NO_COLOR: 'false' }, coloured: false },
    { name: 'an empty NO_COLOR is ignored (no-color.org)', flag: true, isTTY: false, env: { NO_COLOR: '', FORCE_COLOR: '1' }, coloured: true },
    { name: 'FORCE_COLOR without a TTY', flag: true, isTTY: false, env: { FORCE_COLOR: '1' }, coloured: true },
    { name: 'FORCE_COLOR beats TERM=dumb', flag: true, isTTY: false, env: { FORCE_COLOR: '1', TERM: 'dumb' }, coloured: true },
    { name: 'FORCE_COLOR=0 is not forcing', flag: true, isTTY: false, env: { FORCE_COLOR: '0' }, coloured: false },
    { name: 'FORCE_COLOR=false is not forcing', flag: true, isTTY: false, env: { FORCE_COLOR: 'false' }, coloured: false },
    { name: 'TERM=dumb on a TTY', flag: true, isTTY: true, env: { TERM: 'dumb' }, coloured: false },
  ])('$name', ({ flag, isTTY, env, coloured }) => {
    expect(colorEnabled({ flag, isTTY, env })).toBe(coloured);
  });
});

describe.concurrent('colour in the CLI', () => {
  // warning.yaml yields a warning finding, which is coloured whenever colour is on.
  test.each([
    { name: 'not a TTY, no variables', args: [], env: {}, coloured: false },
    { name: 'FORCE_COLOR=1', args: [], env: { FORCE_COLOR: '1' }, coloured: true },
    { name: 'FORCE_COLOR=1 with --no-color', args: ['--no-color'], env: { FORCE_COLOR: '1' }, coloured: false },
    { name: 'FORCE_COLOR=1 with NO_COLOR=1', args: [], env: { FORCE_COLOR: '1', NO_COLOR: '1' }, coloured: false },
    { name: 'FORCE_COLOR=1 with MESH_SPLIT_COLOR=false', args: [], env: { FORCE_COLOR: '1', MESH_SPLIT_COLOR: 'false' }, coloured: false },
  ])('$name', async ({ args, env, coloured }) => {
    const result = await runCli(['routes', '-f', fixture('warning.yaml'), ...args], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('[MS109]');
    if (coloured) expect(result.stdout).toMatch(ANSI);
    else expect(result.stdout).not.toMatch(ANSI);
    expect(result.stderr).not.toMatch(ANSI);
  });

  test('JSON is never coloured', async () => {
    const result = await runCli(['routes', '-f', fixture('warning.yaml'), '-o', 'json'], { env: { FORCE_COLOR: '1' } });
    expect(result.stdout).not.toMatch(ANSI);
    expect(json(result).findings.map((f) => f.code)).toEqual(['MS109']);
  });
});

describe.concurrent('--fail-on and exit codes', () => {
  test('--fail-on warning fails on a warning and still prints the report', async () => {
    const failing = await runCli(['routes', '-f', fixture('warning.yaml'), '--fail-on', 'warning']);
    expect(failing.code).toBe(65);
    expect(failing.stdout).toContain('Warning [MS109]');
    expect(failing.stderr).toBe('');
  });

  test.each([
    { name: 'clean input', args: ['-f', fixture('split.yaml')], code: 0 },
    { name: 'a warning (default --fail-on error)', args: ['-f', fixture('warning.yaml')], code: 0 },
    { name: 'a warning with --fail-on error', args: ['-f', fixture('warning.yaml'), '--fail-on', 'error'], code: 0 },
    { name: 'a warning with --fail-on warning', args: ['-f', fixture('warning.yaml'), '--fail-on', 'warning'], code: 65 },
    { name: 'malformed YAML', args: ['-f', fixture('malformed.yaml')], code: 65 },
    { name: 'a directory of ignored files only', args: ['-f', fixture('ignored-only')], code: 65 },
    { name: 'a missing path', args: ['-f', fixture('does-not-exist.yaml')], code: 65 },
    { name: 'a usage error', args: ['-f', fixture('split.yaml'), '--bogus'], code: 64 },
  ])('the same exit code for -o text and -o json: $name', async ({ args, code }) => {
    const [text, asJson] = await Promise.all([runCli(['routes', ...args, '-o', 'text']), runCli(['routes', ...args, '-o', 'json'])]);
    expect(text.code, text.stderr).toBe(code);
    expect(asJson.code, asJson.stderr).toBe(code);
  });

  test('nothing to compare (an empty directory) is an input error', async () => {
    const empty = join(scratch, 'empty');
    await mkdir(empty, { recursive: true });
    const result = await runCli(['routes', '-f', empty, '-o', 'json']);
    expect(result.code).toBe(65);
    expect(json(result).findings.map((f) => f.code)).toEqual(['MS004']);
  });
});

describe.concurrent('inputs', () => {
  test('a weight kubectl reads as YAML 1.1 (`070` is octal 56): the cluster\'s value is declared, with MS006 at its line', async () => {
    const file = fixture('yaml-1-1-weight.yaml');
    const result = await runCli(['routes', '-f', file, '-o', 'json']);
    expect(result.code).toBe(0);
    const out = json(result);
    expect(out.results[0]!.destinations.map((d) => [d.weight, d.line])).toEqual([[56, 13], [30, 17]]);
    expect(out.findings).toContainEqual({
      code: 'MS006',
      level: 'warning',
      object: 'VirtualService default/reviews',
      file,
      line: 13,
      message: '"070" is read as 56, as kubectl reads it (a leading 0 makes it octal in YAML 1.1); YAML 1.2 reads 70: write 70 or 56, whichever is meant',
    });
    expect((await runCli(['routes', '-f', file, '--fail-on', 'warning'])).code).toBe(65);
  });

  test('multi-document YAML: objects from every document, lines within the file, other kinds skipped', async () => {
    const result = await runCli(['routes', '-f', fixture('split.yaml'), '-o', 'json']);
    expect(result.code).toBe(0);
    const out = json(result);
    expect(out.schemaVersion).toBe(1);
    expect(out.findings).toEqual([]);
    expect(out.results).toEqual([
      {
        virtualService: { kind: 'VirtualService', name: 'reviews', namespace: 'bookinfo', file: fixture('split.yaml'), line: 33 },
        binding: 'mesh',
        route: { index: 0, name: null, protocol: 'http', conditional: false },
        destinations: [
          { host: 'reviews.bookinfo.svc.cluster.local', subset: 'v1', version: 'v1', weight: 25, declaredPercent: 25, line: 46 },
          { host: 'reviews.bookinfo.svc.cluster.local', subset: 'v2', version: 'v2', weight: 75, declaredPercent: 75, line: 50 },
        ],
      },
    ]);
  });

  test('a JSON file', async () => {
    const result = await runCli(['routes', '-f', fixture('split.json'), '-o', 'json']);
    expect(result.code).toBe(0);
    const out = json(result);
    expect(out.results).toHaveLength(1);
    expect(out.results[0]?.virtualService).toEqual({ kind: 'VirtualService', name: 'ratings', namespace: 'default', file: fixture('split.json'), line: 1 });
    expect(out.results[0]?.destinations.map((d) => [d.host, d.declaredPercent, d.line])).toEqual([
      ['ratings-v1.default.svc.cluster.local', 90, 14],
      ['ratings-v2.default.svc.cluster.local', 10, 18],
    ]);
  });

  test('several -f, text output', async () => {
    const result = await runCli(['routes', '-f', fixture('split.yaml'), '-f', fixture('split.json')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/bookinfo\/reviews\s+mesh\s+http\[0\]\s+reviews\.bookinfo\.svc\.cluster\.local\s+v1\s+v1\s+25%/);
    expect(result.stdout).toMatch(/default\/ratings\s+mesh\s+http\[0\]\s+ratings-v1\.default\.svc\.cluster\.local\s+-\s+any\s+90%/);
    expect(result.stdout).toContain('2 routes in 2 objects');
  });

  const listExpectations = {
    'list.yaml': { vs: 3, weights: [16, 20] },
    'list.json': { vs: 4, weights: [23, 30] },
  } as const;

  for (const [name, lines] of Object.entries(listExpectations)) {
    test(`kind: List (${name}) piped on stdin with -f -`, async () => {
      const stdin = await readFile(join(ROOT, fixture(name)));
      const result = await runCli(['routes', '-f', '-', '-o', 'json'], { stdin });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const out = json(result);
      expect(out.findings).toEqual([]);
      expect(out.results).toHaveLength(1);
      expect(out.results[0]?.virtualService).toEqual({ kind: 'VirtualService', name: 'reviews', namespace: 'bookinfo', file: '<stdin>', line: lines.vs });
      expect(out.results[0]?.destinations.map((d) => [d.subset, d.version, d.declaredPercent, d.line])).toEqual([
        ['v1', 'v1', 25, lines.weights[0]],
        ['v2', 'v2', 75, lines.weights[1]],
      ]);
    });

    test(`kind: List (${name}) on stdin with --filename=-, and as a file`, async () => {
      const stdin = await readFile(join(ROOT, fixture(name)));
      const piped = await runCli(['routes', '--filename=-', '-o', 'json'], { stdin });
      expect(piped.code, piped.stderr).toBe(0);
      const fromStdin = json(piped);
      expect(fromStdin.results[0]?.virtualService).toMatchObject({ file: '<stdin>', line: lines.vs });
      expect(fromStdin.results[0]?.destinations.map((d) => d.line)).toEqual(lines.weights);

      const fromFile = json(await runCli(['routes', '-f', fixture(name), '-o', 'json']));
      expect(fromFile.results[0]?.virtualService).toMatchObject({ file: fixture(name), line: lines.vs });
      expect(fromFile.results[0]?.destinations.map((d) => d.line)).toEqual(lines.weights);
    });
  }

  test('stdin and files together', async () => {
    const stdin = await readFile(join(ROOT, fixture('list.yaml')));
    const result = await runCli(['routes', '-f', fixture('split.json'), '-f', '-', '-o', 'json'], { stdin });
    expect(result.code, result.stderr).toBe(0);
    expect(json(result).results.map((r) => r.virtualService.file).sort()).toEqual(['<stdin>', fixture('split.json')]);
  });

  test('a directory is read recursively, .yaml/.yml/.json only', async () => {
    const result = await runCli(['routes', '-f', fixture('tree'), '-o', 'json']);
    expect(result.code).toBe(0);
    const out = json(result);
    // README.md, notes.txt, *.bak and *.orig would add objects or MS001 errors if they were read.
    expect(out.findings).toEqual([]);
    expect(out.results).toHaveLength(1);
    const [split] = out.results;
    expect(split?.virtualService).toMatchObject({ name: 'reviews', file: `${fixture('tree')}/nested/deeper/virtual-service.yml`, line: 1 });
    // The subset's version comes from the DestinationRule in nested/destination-rule.json.
    expect(split?.destinations.map((d) => [d.subset, d.version, d.declaredPercent, d.line])).toEqual([
      ['v1', 'v1', 40, 14],
      ['v3', 'v3', 60, 18],
    ]);
  });

  test('a nonexistent path: exit 65, one clean line', async () => {
    const result = await runCli(['routes', '-f', 'no/such/manifests.yaml']);
    expect(result.code).toBe(65);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('mesh-split: the path "no/such/manifests.yaml" does not exist\n');
  });

  test('malformed YAML: exit 65, a finding at file:line, no stack trace', async () => {
    const text = await runCli(['routes', '-f', fixture('malformed.yaml')]);
    expect(text.code).toBe(65);
    expect(text.stdout).toMatch(new RegExp(`Error \\[MS001\\] \\(${fixture('malformed.yaml').replace(/[.]/g, '\\.')}:12\\) cannot parse`));
    expect(text.stdout).not.toMatch(STACK_LINE);
    expect(text.stderr).not.toMatch(STACK_LINE);

    const asJson = await runCli(['routes', '-f', fixture('malformed.yaml'), '-o', 'json']);
    expect(asJson.code).toBe(65);
    expect(json(asJson).findings).toEqual([
      expect.objectContaining({ code: 'MS001', level: 'error', file: fixture('malformed.yaml'), line: 12 }),
    ]);
  });

  test('a file that cannot be parsed does not hide the others', async () => {
    const result = await runCli(['routes', '-f', fixture('malformed.yaml'), '-f', fixture('split.yaml'), '-o', 'json']);
    expect(result.code).toBe(65);
    const out = json(result);
    expect(out.results.map((r) => r.virtualService.name)).toEqual(['reviews']);
    expect(out.findings.map((f) => f.code)).toEqual(['MS001']);
  });

  test('a billion-laughs alias bomb (9 levels × 9) is refused with MS002, quickly', async () => {
    const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    const names = 'abcdefghi';
    for (let level = 1; level < 9; level++) {
      lines.push(`${names[level]}: &${names[level]} [${Array(9).fill(`*${names[level - 1]}`).join(', ')}]`);
    }
    const bomb = await scratchFile('bomb.yaml', `${lines.join('\n')}\n`);
    const started = performance.now();
    const result = await runCli(['routes', '-f', bomb, '-o', 'json']);
    const elapsed = performance.now() - started;
    expect(result.code).toBe(65);
    const out = json(result);
    expect(out.findings).toEqual([expect.objectContaining({ code: 'MS002', file: bomb, line: 1 })]);
    expect(out.findings[0]?.message).toMatch(/alias/);
    expect(elapsed).toBeLessThan(5_000);
  });

  test('a "quadratic" bomb (many aliases to one big anchor) is refused with MS002, quickly', async () => {
    const big = `big: &big [${Array.from({ length: 5_000 }, (_, i) => `"item-${i}"`).join(', ')}]`;
    const uses = Array.from({ length: 2_000 }, (_, i) => `use${i}: *big`);
    const bomb = await scratchFile('quadratic.yaml', `${big}\n${uses.join('\n')}\n`);
    const started = performance.now();
    const result = await runCli(['routes', '-f', bomb, '-o', 'json']);
    const elapsed = performance.now() - started;
    expect(result.code).toBe(65);
    expect(json(result).findings.map((f) => f.code)).toEqual(['MS002']);
    expect(elapsed).toBeLessThan(5_000);
  });

  test.each([
    { name: '100,000 [', text: '['.repeat(100_000) },
    { name: '100,000 nested JSON objects', text: `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}` },
    { name: '300 nested block mappings', text: Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n' },
  ])('deeply nested input ($name): a clean MS001/MS002, no crash', async ({ name, text }) => {
    const file = await scratchFile(`deep-${name.replace(/\W+/g, '-')}.yaml`, text);
    const started = performance.now();
    const result = await runCli(['routes', '-f', file, '-o', 'json']);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.code).toBe(65);
    expect(result.stdout).not.toMatch(STACK_LINE);
    const out = json(result);
    expect(out.findings).toHaveLength(1);
    expect(['MS001', 'MS002']).toContain(out.findings[0]?.code);
    expect(out.findings[0]).toMatchObject({ level: 'error', file, line: 1 });
  });

  test('__proto__ keys are plain data', async () => {
    const result = await runCli(['routes', '-f', fixture('proto.yaml'), '-o', 'json']);
    expect(result.code).toBe(0);
    const out = json(result);
    expect(out.findings).toEqual([]);
    expect(out.results[0]?.destinations).toEqual([expect.objectContaining({ host: 'proto.default.svc.cluster.local', declaredPercent: 100 })]);
  });

  test('the same object in two files: an MS005 warning, the later one is used', async () => {
    const result = await runCli(['routes', '-f', fixture('dup'), '-o', 'json']);
    expect(result.code).toBe(0);
    const out = json(result);
    expect(out.findings).toEqual([
      expect.objectContaining({
        code: 'MS005',
        level: 'warning',
        object: 'VirtualService default/details',
        file: fixture('dup/two.yaml'),
        line: 2,
      }),
    ]);
    expect(out.findings[0]?.message).toContain(`${fixture('dup/one.yaml')}:1`);
    expect(out.results).toHaveLength(1);
    expect(out.results[0]?.destinations.map((d) => d.declaredPercent)).toEqual([10, 90]);
  });

  test('a file named twice (or inside a named directory) is read once, with no MS005', async () => {
    const result = await runCli(['routes', '-f', fixture('dup/one.yaml'), '-f', fixture('dup/one.yaml'), '-o', 'json']);
    expect(result.code).toBe(0);
    expect(json(result).findings).toEqual([]);
  });
});

describe('MESH_SPLIT_* variables that name no option of the command', () => {
  test('are ignored rather than fatal (a harness variable, or one meant for check)', async () => {
    const result = await runCli(['routes', '-f', 'examples/helloworld', '-o', 'json'], {
      env: { MESH_SPLIT_REQUIRE_PROMETHEUS: '1', MESH_SPLIT_PROMETHEUS: 'http://127.0.0.1:9', MESH_SPLIT_OUTPUT: 'text' },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).results).toHaveLength(3);
    const typo = await runCli(['routes', '-f', 'examples/helloworld', '--outptu', 'json']);
    expect(typo.code).toBe(64);
  });

  test('whatever their spelling: single letters, digits, lower case, doubled or trailing underscores', async () => {
    // Their camel-cased keys (aBC, foo1, …) could not be turned back into the names: exit 64.
    const env = { MESH_SPLIT_A_B_C: '1', MESH_SPLIT_FOO_1: '1', MESH_SPLIT_Foo: '1', MESH_SPLIT_BAR_: '1', MESH_SPLIT__: '1', MESH_SPLIT_FOO__BAR: '1', MESH_SPLIT___X: '1' };
    const result = await runCli(['routes', '-f', 'examples/helloworld', '-o', 'json'], { env });
    expect(result.code, result.stderr).toBe(0);
    // The same name typed on the command line is still the user's mistake.
    expect((await runCli(['routes', '-f', 'examples/helloworld', '--foo-1'], { env })).code).toBe(64);
  });

  test('a stray variable never takes a real one with it (MESH_SPLIT_FAILON beside MESH_SPLIT_FAIL_ON)', async () => {
    // Two mesh-bound VirtualServices sending to one Service: a warning, which --fail-on warning fails.
    const vs = (name: string, host: string) => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ${name}, namespace: default}\nspec:\n  hosts: [${host}]\n  http: [{route: [{destination: {host: w}}]}]\n`;
    const file = join(scratchDirectory('env-twin'), 'warn.yaml');
    writeFileSync(file, `${vs('a', 'w')}---\n${vs('b', 'x')}`);
    const result = await runCli(['routes', '-f', file], { env: { MESH_SPLIT_FAIL_ON: 'warning', MESH_SPLIT_FAILON: 'warning' } });
    expect(result.code, result.stdout).toBe(65);
  });
});
