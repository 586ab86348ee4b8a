// Summarises a V8 CPU profile (`node --cpu-prof`, or inspector Profiler.stop()): where the
// samples are, by function (self time) and by file or package (inclusive: a sample counts for
// every file on its stack once).
//
//   node bench/cpuprofile-top.mjs FILE.cpuprofile [TOP]
import { readFileSync } from 'node:fs';

const ROOT = new URL('..', import.meta.url).pathname;

/** A short name for where a function lives: a package, one of our files, or Node itself. */
export function place(url) {
  if (!url) return '(native/VM)';
  const path = url.replace(/^file:\/\//, '');
  const pkg = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/);
  if (pkg) return `${pkg[1]} (${pkg[2]})`;
  // The benchmark measures a snapshot of dist/ (bench/.dist-snapshot/dist/…): name it dist/….
  if (path.startsWith(ROOT)) return path.slice(ROOT.length).replace(/^bench\/\.dist-snapshot\//, '');
  if (url.startsWith('node:')) return url;
  return path;
}

function packageOf(url) {
  const p = place(url);
  const pkg = p.match(/^((?:@[^/]+\/)?[^ ]+) \(/);
  if (pkg) return `npm:${pkg[1]}`;
  return p;
}

/** `skipMs`: leave out the samples of the first milliseconds of the profile (a warm-up). */
export function summarize(profile, top = 12, { skipMs = 0 } = {}) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  const inclusiveFile = new Map();
  const inclusivePackage = new Map();
  let total = 0;
  let idle = 0;
  const deltas = profile.timeDeltas ?? [];
  let clock = 0;
  profile.samples.forEach((id, i) => {
    clock += (deltas[i] ?? 0) / 1000;
    if (clock < skipMs) return;
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    const node = nodes.get(id);
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') {
      idle += ms;
      return;
    }
    total += ms;
    const key = `${frame.functionName || '(anonymous)'}  ${place(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + ms);
    const files = new Set();
    const packages = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const f = nodes.get(at).callFrame;
      if (f.functionName === '(root)') continue;
      const p = f.url ? place(f.url) : f.functionName;
      files.add(p.replace(/ \(.*\)$/, (m) => m));
      packages.add(f.url ? packageOf(f.url) : f.functionName);
    }
    for (const f of files) inclusiveFile.set(f, (inclusiveFile.get(f) ?? 0) + ms);
    for (const p of packages) inclusivePackage.set(p, (inclusivePackage.get(p) ?? 0) + ms);
  });
  const rank = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), pct: total ? Math.round((1000 * ms) / total) / 10 : 0 }));
  return { totalMs: Math.round(total), idleMs: Math.round(idle), skippedMs: Math.round(skipMs), self: rank(self), files: rank(inclusiveFile), packages: rank(inclusivePackage) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const summary = summarize(JSON.parse(readFileSync(process.argv[2], 'utf8')), Number(process.argv[3] ?? 15));
  console.log(`busy ${summary.totalMs} ms (idle ${summary.idleMs} ms)\n\nself time:`);
  for (const row of summary.self) console.log(`  ${String(row.ms).padStart(6)} ms ${String(row.pct).padStart(5)} %  ${row.name}`);
  console.log('\ninclusive, by package / file:');
  for (const row of summary.packages) console.log(`  ${String(row.ms).padStart(6)} ms ${String(row.pct).padStart(5)} %  ${row.name}`);
  console.log('\ninclusive, by file:');
  for (const row of summary.files) console.log(`  ${String(row.ms).padStart(6)} ms ${String(row.pct).padStart(5)} %  ${row.name}`);
}
