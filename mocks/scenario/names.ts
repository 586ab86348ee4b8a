import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';

/** What the CLI needs to know about scenarios before loading one (kept light for start-up). */
export const DEFAULT_SCENARIO = 'all';

export function scenariosDirectory(): string {
  return join(packageRoot(), 'mocks', 'scenarios');
}

export function scenarioNames(): string[] {
  return readdirSync(scenariosDirectory())
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}

/** A scenario that does not exist or does not validate. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}
