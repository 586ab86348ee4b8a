// Bundles the built CLI (dist/src/cli/main.js, from tsc) into dist/bin/: a few files instead of
// ~250 modules, so every run spends less of its start-up resolving and compiling modules.
// Command pipelines stay behind dynamic imports (esbuild splits them into chunks), so `check`
// still never loads Ink or React; dist/bin/meta.json says which sources each chunk holds.
//
//   node scripts/bundle.mjs          (run by `npm run build`, after tsc)
//   node scripts/bundle.mjs --bench  (run by `npm run bench`): the watch internals that
//                                    bench/watch-inproc.mjs measures, into dist/bench/
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Ink made right for a long-running full screen, by checked patches (the proper fixes belong
 * upstream, in Ink and in @alcalzone/ansi-tokenize):
 * - it memoises text measurement and wrapping in module-level caches that are never emptied:
 *   fine for a prompt, a leak for `watch`, whose lines change with every refresh (some 50 new
 *   strings a refresh on a full screen: roughly 10 MB an hour at 5 s, for as long as it runs).
 *   The bundle bounds both (at most a few MB);
 * - it tokenises every line of the screen into styled characters, and measures each character,
 *   into caches made afresh for every frame, so a refresh that changes a few lines pays for all
 *   fifty. The bundle keeps those caches from frame to frame, bounded the same way (Ink only
 *   reads what they hold);
 * - every frame it fills a 160 × 50 screen with a new blank-cell object per cell, then writes
 *   each line back out by diffing the styles of every pair of neighbouring characters (four
 *   Sets and some nine arrays a pair, even when both are unstyled or styled alike): some 14 MB of
 *   garbage a refresh, half of all that a `watch` refresh allocated. The
 *   bundle shares one frozen blank cell (cells are replaced, never changed) and skips the diff
 *   when two neighbours carry the same codes in the same order (the diff is then empty).
 * The build fails if a file is not found or no longer matches, so an upgrade cannot drop a
 * patch silently.
 */
const CACHE_LIMIT = 4096;
/** A tokenised line is an object per character (some 10 KB for 160 columns): a few screens' worth. */
const STYLED_LINES_LIMIT = 256;
/** File (inside node_modules) → [text to find, its replacement]. */
const INK_PATCHES = {
  'ink/build/measure-text.js': [['    cache.set(text, dimensions);', `    if (cache.size >= ${CACHE_LIMIT}) cache.clear();\n    cache.set(text, dimensions);`]],
  'ink/build/wrap-text.js': [
    ['const cache = {};', 'let cache = {};\nlet cacheSize = 0;'],
    ['    cache[cacheKey] = wrappedText;', `    if (++cacheSize > ${CACHE_LIMIT}) {\n        cache = {};\n        cacheSize = 1;\n    }\n    cache[cacheKey] = wrappedText;`],
  ],
  'ink/build/output.js': [
    [
      'export default class Output {',
      `let sharedCaches = new OutputCaches();\nfunction frameCaches() {\n    if (sharedCaches.styledChars.size > ${STYLED_LINES_LIMIT} || sharedCaches.widths.size + sharedCaches.blockWidths.size > ${CACHE_LIMIT}) {\n        sharedCaches = new OutputCaches();\n    }\n    return sharedCaches;\n}\nconst BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });\nexport default class Output {`,
    ],
    ['    caches = new OutputCaches();', '    caches = frameCaches();'],
    ["                row.push({\n                    type: 'char',\n                    value: ' ',\n                    fullWidth: false,\n                    styles: [],\n                });", '                row.push(BLANK_CELL);'],
  ],
  '@alcalzone/ansi-tokenize/build/styledChars.js': [
    [
      '        else {\n            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
      '        else if (!sameCodes(chars[i - 1].styles, char.styles)) {\n            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
    ],
    [
      'export function styledCharsToString(chars) {',
      'function sameCodes(a, b) {\n    if (a === b) return true;\n    if (a.length !== b.length) return false;\n    for (let i = 0; i < a.length; i++) {\n        if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;\n    }\n    return true;\n}\nexport function styledCharsToString(chars) {',
    ],
  ],
};
const inkPatches = {
  name: 'ink-patches',
  setup(builder) {
    const patched = new Set();
    builder.onEnd((result) => {
      const missing = Object.keys(INK_PATCHES).filter((file) => !patched.has(file));
      if (result.errors.length === 0 && missing.length > 0) {
        throw new Error(`bundle: did not patch ${missing.join(', ')}; did Ink or ansi-tokenize move them?`);
      }
    });
    builder.onLoad({ filter: /[\\/]node_modules[\\/](ink[\\/]build[\\/](measure-text|wrap-text|output)|@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars)\.js$/ }, ({ path }) => {
      const file = path.split(/[\\/]node_modules[\\/]/).pop().replaceAll('\\', '/');
      let contents = readFileSync(path, 'utf8');
      patched.add(file);
      for (const [from, to] of INK_PATCHES[file]) {
        if (!contents.includes(from)) throw new Error(`bundle: ${path} changed; cannot patch it (looked for ${JSON.stringify(from)})`);
        contents = contents.replace(from, to);
      }
      return { contents, loader: 'js' };
    });
  },
};

/**
 * Every copy of string-width builds an `Intl.Segmenter` as it loads (ICU's break data, some
 * 15 ms), and yargs renders its whole help text with it on every run (it caches the help of
 * the command it runs, in case the command fails); Ink measures every text of the screen with it
 * on every frame, and with colour on those texts hold escape codes, which the real module strips
 * and segments grapheme by grapheme (a few MB of garbage a `watch` refresh). Each import of
 * string-width gets a stand-in that answers the plain cases itself and loads the real module on
 * the first other string (esbuild turns a `require` of a bundled ES module into a lazy
 * initialiser):
 * - printable ASCII: its width is its length, whatever the options;
 * - printable ASCII, the narrow glyphs of NARROW_GLYPHS and SGR colour codes, with default
 *   options: the length without the codes.
 * The bundle asks each real copy about every glyph and a set of colour codes as it builds, and
 * fails if one answers otherwise, so the answers are the same; plain runs never pay.
 */
/**
 * Code points the screen draws (bars, sparklines, symbols, rules, dashes, Δ) that every copy calls
 * one cell wide; those a copy calls wide (⚠ in string-width 7) and emoji are left to the real module.
 */
const NARROW_GLYPHS = [[0xa7, 0xa7], [0xb1, 0xb1], [0xb7, 0xb7], [0xd7, 0xd7], [0x394, 0x394], [0x2013, 0x2014], [0x2026, 0x2026], [0x203a, 0x203a], [0x2190, 0x2193], [0x2205, 0x2205], [0x23ce, 0x23ce], [0x2500, 0x259f], [0x25b2, 0x25b2], [0x25bc, 0x25bc], [0x25f7, 0x25f7], [0x2713, 0x2713], [0x2717, 0x2717], [0x27f3, 0x27f3]];
const glyphClass = NARROW_GLYPHS.map(([from, to]) => (from === to ? `\\u${hex(from)}` : `\\u${hex(from)}-\\u${hex(to)}`)).join('');
/** SGR with at most three digits a parameter: what chalk writes, and what ansi-regex strips whole. */
const SGR = '\\x1b\\[(?:\\d{1,3}(?:;\\d{1,3})*)?m';
function hex(codePoint) {
  return codePoint.toString(16).padStart(4, '0');
}

async function checkStandIn(path) {
  const real = (await import(pathToFileURL(path).href)).default;
  for (const [from, to] of NARROW_GLYPHS) {
    for (let codePoint = from; codePoint <= to; codePoint++) {
      if (real(String.fromCodePoint(codePoint)) !== 1) throw new Error(`bundle: ${path} says U+${hex(codePoint)} is not one cell wide; take it out of NARROW_GLYPHS`);
    }
  }
  for (const code of ['\x1b[m', '\x1b[0m', '\x1b[1;31m', '\x1b[38;5;208m', '\x1b[38;2;255;128;0m', '\x1b[999;999m']) {
    if (real(`a${code}b\u2588${code}`) !== 3) throw new Error(`bundle: ${path} does not strip ${JSON.stringify(code)} whole`);
  }
}

const asciiStringWidth = {
  name: 'ascii-string-width',
  setup(builder) {
    builder.onResolve({ filter: /^string-width$/ }, async ({ path, importer, resolveDir, kind, pluginData }) => {
      if (pluginData?.real) return undefined; // the lookup of the real module, below
      const real = await builder.resolve(path, { importer, resolveDir, kind, pluginData: { real: true } });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'ascii-string-width' };
    });
    builder.onLoad({ filter: /.*/, namespace: 'ascii-string-width' }, async ({ path }) => {
      await checkStandIn(path);
      return {
        contents: [
          'let real;',
          `const PLAIN = /^(?:[\\x20-\\x7e${glyphClass}]|${SGR})*$/;`,
          `const CODES = /${SGR}/g;`,
          'export default function stringWidth(text, options) {',
          '  if (typeof text === "string") {',
          '    if (/^[\\x20-\\x7e]*$/.test(text)) return text.length;',
          '    if ((options === undefined || ((options.ambiguousIsNarrow === undefined || options.ambiguousIsNarrow) && !options.countAnsiEscapeCodes)) && PLAIN.test(text)) {',
          '      return text.includes("\\x1b") ? text.replace(CODES, "").length : text.length;',
          '    }',
          '  }',
          `  real ??= require(${JSON.stringify(path)}).default;`,
          '  return real(text, options);',
          '}',
          '',
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};

const common = {
  plugins: [inkPatches, asciiStringWidth],
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
