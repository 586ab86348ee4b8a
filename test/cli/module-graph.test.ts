import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';
import { scratchDirectory } from '../support/scratch.js';

/** Records every module the program resolves, through a Node module-resolution hook. */
function tracer(): { env: Record<string, string>; modules: () => string[] } {
  const dir = scratchDirectory('mesh-split-trace-');
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
    const loaded = sourcesOf(modules());
    expect(loaded.some((path) => path.includes('node_modules/yargs/'))).toBe(true);
    expect(loaded.some((path) => path.includes('/evaluate/evaluate.js'))).toBe(true);
    expect(loaded.filter((path) => /node_modules\/(ink|react|react-reconciler)\//.test(path))).toEqual([]);
  });
});

/**
 * The bin is a bundle: each loaded file of dist/bin stands for the sources esbuild put in it
 * (dist/bin/meta.json); anything else loaded (an external package) stands for itself.
 */
function sourcesOf(urls: readonly string[]): string[] {
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist/bin/meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  return urls.flatMap((url) => {
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    const output = meta.outputs[relative(ROOT, path)];
    return output ? Object.keys(output.inputs) : [path];
  });
}

describe('the installed bin', () => {
  it('stays executable after a build, so `npx mesh-split` runs it', async () => {
    const { statSync } = await import('node:fs');
    const { CLI } = await import('../support/cli.js');
    expect(statSync(CLI).mode & 0o111).not.toBe(0);
    // The bin of earlier versions, which existing npx caches still link to.
    expect(statSync(join(ROOT, 'dist/src/cli/main.js')).mode & 0o111).not.toBe(0);
  });
});
