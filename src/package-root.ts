import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root (where package.json, queries/ and mocks/scenarios/ live),
 * found by walking up from this module: the same answer from src/ under tests and from dist/.
 */
export function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('mesh-split: cannot find its package.json');
    directory = parent;
  }
  return directory;
}
