import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/** Records every module the program resolves, through a Node module-resolution hook. */
function tracer(): { env: Record<string, string>; modules: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-split-trace-'));
  const trace = join(dir, 'modules.txt');
  writeFileSync(trace, '');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(trace)}, result.url + '\\n');
  return result;
}
`,
  );
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
  return {
    env: { NODE_OPTIONS: `--import=${join(dir, 'register.mjs')}` },
    modules: () => readFileSync(trace, 'utf8').split('\n').filter(Boolean),
  };
}

describe('start-up cost', () => {
  it('check never loads Ink or React (SPEC §10)', async () => {
    const { env, modules } = tracer();
    const result = await runCli(['check', '-f', 'examples/helloworld', '--prometheus', 'http://127.0.0.1:1', '--timeout', '1s'], { env });
    expect(result.code).toBe(69);
    const loaded = modules();
    expect(loaded.some((url) => url.includes('/node_modules/yargs/'))).toBe(true);
    expect(loaded.some((url) => url.includes('/evaluate/evaluate.js'))).toBe(true);
    expect(loaded.filter((url) => /\/node_modules\/(ink|react|react-reconciler)\//.test(url))).toEqual([]);
  });
});

describe('the installed bin', () => {
  it('stays executable after a build, so `npx mesh-split` runs it', async () => {
    const { statSync } = await import('node:fs');
    const { CLI } = await import('../support/cli.js');
    expect(statSync(CLI).mode & 0o111).not.toBe(0);
  });
});
