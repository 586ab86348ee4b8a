// Bundles the built CLI (dist/src/cli/main.js, from tsc) into dist/bin/: a few files instead of
// ~250 modules, so every run spends less of its start-up resolving and compiling modules.
// Command pipelines stay behind dynamic imports (esbuild splits them into chunks), so `check`
// still never loads Ink or React; dist/bin/meta.json says which sources each chunk holds.
//
//   node scripts/bundle.mjs          (run by `npm run build`, after tsc)
//   node scripts/bundle.mjs --bench  (run by `npm run bench`): the watch internals that
//                                    bench/watch-inproc.mjs measures, into dist/bench/
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Ink's caches, made right for a long-running full screen (proper fixes belong upstream in Ink):
 * - it memoises text measurement and wrapping in module-level caches that are never emptied:
 *   fine for a prompt, a leak for `watch`, whose lines change with every refresh (some 50 new
 *   strings a refresh on a full screen: roughly 10 MB an hour at 5 s, for as long as it runs).
 *   The bundle bounds both (at most a few MB);
 * - it tokenises every line of the screen into styled characters, and measures each character,
 *   into caches made afresh for every frame, so a refresh that changes a few lines pays for all
 *   fifty. The bundle keeps those caches from frame to frame, bounded the same way (Ink only
 *   reads what they hold).
 * The build fails if a file is not found or no longer matches, so an upgrade cannot drop a
 * bound silently.
 */
const CACHE_LIMIT = 4096;
/** A tokenised line is an object per character (some 10 KB for 160 columns): a few screens' worth. */
const STYLED_LINES_LIMIT = 256;
const boundedInkCaches = {
  name: 'bounded-ink-caches',
  setup(builder) {
    const patches = {
      'measure-text.js': [['    cache.set(text, dimensions);', `    if (cache.size >= ${CACHE_LIMIT}) cache.clear();\n    cache.set(text, dimensions);`]],
      'wrap-text.js': [
        ['const cache = {};', 'let cache = {};\nlet cacheSize = 0;'],
        ['    cache[cacheKey] = wrappedText;', `    if (++cacheSize > ${CACHE_LIMIT}) {\n        cache = {};\n        cacheSize = 1;\n    }\n    cache[cacheKey] = wrappedText;`],
      ],
      'output.js': [
        [
          'export default class Output {',
          `let sharedCaches = new OutputCaches();\nfunction frameCaches() {\n    if (sharedCaches.styledChars.size > ${STYLED_LINES_LIMIT} || sharedCaches.widths.size + sharedCaches.blockWidths.size > ${CACHE_LIMIT}) {\n        sharedCaches = new OutputCaches();\n    }\n    return sharedCaches;\n}\nexport default class Output {`,
        ],
        ['    caches = new OutputCaches();', '    caches = frameCaches();'],
      ],
    };
    const patched = new Set();
    builder.onEnd((result) => {
      if (result.errors.length === 0 && patched.size !== Object.keys(patches).length) {
        throw new Error(`bundle: patched ${[...patched].join(', ') || 'none'} of Ink's caches, not ${Object.keys(patches).join(', ')}; did Ink move them?`);
      }
    });
    builder.onLoad({ filter: /[\\/]ink[\\/]build[\\/](measure-text|wrap-text|output)\.js$/ }, ({ path }) => {
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

/**
 * Every copy of string-width builds an `Intl.Segmenter` as it loads (ICU's break data, some
 * 15 ms), and yargs renders its whole help text with it on every run (it caches the help of
 * the command it runs, in case the command fails). Each import of string-width gets a stand-in
 * that answers printable ASCII itself (its width is its length, whatever the options) and
 * loads the real module on the first other string (esbuild turns a `require` of a bundled ES
 * module into a lazy initialiser). The answers are the same; plain-ASCII runs never pay.
 */
const asciiStringWidth = {
  name: 'ascii-string-width',
  setup(builder) {
    builder.onResolve({ filter: /^string-width$/ }, async ({ path, importer, resolveDir, kind, pluginData }) => {
      if (pluginData?.real) return undefined; // the lookup of the real module, below
      const real = await builder.resolve(path, { importer, resolveDir, kind, pluginData: { real: true } });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'ascii-string-width' };
    });
    builder.onLoad({ filter: /.*/, namespace: 'ascii-string-width' }, ({ path }) => ({
      contents: [
        'let real;',
        'export default function stringWidth(text, options) {',
        "  if (typeof text === 'string' && /^[\\x20-\\x7e]*$/.test(text)) return text.length;",
        `  real ??= require(${JSON.stringify(path)}).default;`,
        '  return real(text, options);',
        '}',
        '',
      ].join('\n'),
      loader: 'js',
      resolveDir: root,
    }));
  },
};

const common = {
  plugins: [boundedInkCaches, asciiStringWidth],
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // The YAML parsers load on demand through createRequire (JSON input never needs them), and
  // Ink's optional devtools only when asked for; all three stay ordinary packages.
  external: ['js-yaml', 'yaml', 'react-devtools-core'],
  // Bundled CommonJS packages (React, yargs' helpers) call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};
if (process.argv.includes('--bench')) {
  // Bundled the same way as the bin, in a directory of their own (the bin's chunking does not
  // depend on them), so the in-process figures are those of the code users run.
  rmSync(`${root}dist/bench`, { recursive: true, force: true });
  await build({ ...common, entryPoints: { watch: 'bench/watch-entry.mjs' }, splitting: true, outdir: `${root}dist/bench`, chunkNames: 'chunks/[name]-[hash]' });
  process.exit(0);
}

const outdir = `${root}dist/bin`;
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  ...common,
  entryPoints: { 'mesh-split': 'dist/src/cli/main.js' },
  splitting: true,
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
});
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));
// The bin must be executable for `npx mesh-split`; so must the tsc entry, the bin of earlier
// versions, which npx caches made then still link to (tsc writes it with mode 644).
chmodSync(`${outdir}/mesh-split.js`, 0o755);
chmodSync(`${root}dist/src/cli/main.js`, 0o755);
