import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Tests drive the built CLI, so build once before any test runs (as `npm run build` does). */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [`${root}/scripts/bundle.mjs`], { cwd: root, stdio: 'inherit' });
}
