// Bundles the built CLI (dist/src/cli/main.js, from tsc) into dist/bin/: a few files instead of
// ~250 modules, so every run spends less of its start-up resolving and compiling modules.
// Command pipelines stay behind dynamic imports (esbuild splits them into chunks), so `check`
// still never loads Ink or React; dist/bin/meta.json says which sources each chunk holds.
//
//   node scripts/bundle.mjs        (run by `npm run build`, after tsc)
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bin`;
rmSync(outdir, { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { 'mesh-split': 'dist/src/cli/main.js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  // The YAML parsers load on demand through createRequire (JSON input never needs them), and
  // Ink's optional devtools only when asked for; all three stay ordinary packages.
  external: ['js-yaml', 'yaml', 'react-devtools-core'],
  // Bundled CommonJS packages (React, yargs' helpers) call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));
// The bin must be executable for `npx mesh-split`.
chmodSync(`${outdir}/mesh-split.js`, 0o755);
