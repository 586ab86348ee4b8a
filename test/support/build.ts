import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Tests drive the built CLI, so build once before any test runs. */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // tsc writes files afresh (mode 644); the bin must stay executable for `npx mesh-split`.
  chmodSync(`${root}/dist/src/cli/main.js`, 0o755);
}
