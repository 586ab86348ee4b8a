// Bundles the built CLI (dist/src/cli/main.js, from tsc) into dist/bin/: a few files instead of
// ~250 modules, so every run spends less of its start-up resolving and compiling modules.
// Command pipelines stay behind dynamic imports (esbuild splits them into chunks), so `check`
// still never loads Ink or React; dist/bin/meta.json says which sources each chunk holds.
//
//   node scripts/bundle.mjs        (run by `npm run build`, after tsc)
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bin`;
rmSync(outdir, { recursive: true, force: true });

/**
 * Ink memoises text measurement and wrapping in module-level caches that are never emptied:
 * fine for a prompt, a leak for `watch`, whose lines change with every refresh (some 50 new
 * strings a refresh on a full screen: roughly 10 MB an hour at 5 s, for as long as it runs).
 * The bundle bounds both caches (at most a few MB); the build fails if either file is not found
 * or no longer matches, so an upgrade cannot drop the bound silently.
 */
const CACHE_LIMIT = 4096;
const boundedInkCaches = {
  name: 'bounded-ink-caches',
  setup(builder) {
    const patches = {
      'measure-text.js': [['    cache.set(text, dimensions);', `    if (cache.size >= ${CACHE_LIMIT}) cache.clear();\n    cache.set(text, dimensions);`]],
      'wrap-text.js': [
        ['const cache = {};', 'let cache = {};\nlet cacheSize = 0;'],
        ['    cache[cacheKey] = wrappedText;', `    if (++cacheSize > ${CACHE_LIMIT}) {\n        cache = {};\n        cacheSize = 1;\n    }\n    cache[cacheKey] = wrappedText;`],
      ],
    };
    const patched = new Set();
    builder.onEnd((result) => {
      if (result.errors.length === 0 && patched.size !== Object.keys(patches).length) {
        throw new Error(`bundle: bounded ${[...patched].join(', ') || 'none'} of Ink's caches, not ${Object.keys(patches).join(' and ')}; did Ink move them?`);
      }
    });
    builder.onLoad({ filter: /[\\/]ink[\\/]build[\\/](measure-text|wrap-text)\.js$/ }, ({ path }) => {
      let contents = readFileSync(path, 'utf8');
      const name = path.split(/[\\/]/).pop();
      patched.add(name);
      for (const [from, to] of patches[name]) {
        if (!contents.includes(from)) throw new Error(`bundle: ${path} changed; cannot bound its cache (looked for ${JSON.stringify(from)})`);
        contents = contents.replace(from, to);
      }
      return { contents, loader: 'js' };
    });
  },
};

const result = await build({
  plugins: [boundedInkCaches],
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
// The bin must be executable for `npx mesh-split`; so must the tsc entry, the bin of earlier
// versions, which npx caches made then still link to (tsc writes it with mode 644).
chmodSync(`${outdir}/mesh-split.js`, 0o755);
chmodSync(`${root}dist/src/cli/main.js`, 0o755);
