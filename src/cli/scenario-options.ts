import type { Argv } from 'yargs';
import { DEFAULT_SCENARIO, scenarioNames } from '../../mocks/scenario/names.js';
import { single } from './manifest-options.js';
import { shownNumber, UsageError } from './usage.js';

/** The options of the commands that run a built-in scenario: `demo` and `mock-prometheus`. */
export function withScenarioOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('scenario', { ...single, type: 'string', default: DEFAULT_SCENARIO, requiresArg: true, describe: `Scenario: ${scenarioNames().join(', ')}` })
    .option('speed', { ...single, type: 'number', default: 1, requiresArg: true, describe: 'How many times faster than real time the scenario runs' });
}

/** --speed, checked: a scenario runs at most 1000× real time. */
export function speedFrom(speed: number): number {
  if (!(speed > 0 && speed <= 1000)) throw new UsageError(`--speed must be above 0 and at most 1000 (got ${shownNumber(speed)})`);
  return speed;
}
