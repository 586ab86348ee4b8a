import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_SCENARIO, ScenarioError, scenarioNames, scenariosDirectory } from './names.js';
import { scenarioSchema, type Scenario } from './schema.js';

export { DEFAULT_SCENARIO, ScenarioError, scenarioNames, scenariosDirectory };

function readScenario(name: string): Scenario {
  if (!scenarioNames().includes(name)) {
    throw new ScenarioError(`no scenario "${name}"; choose one of ${scenarioNames().join(', ')}`);
  }
  const file = join(scenariosDirectory(), `${name}.yaml`);
  const result = scenarioSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ScenarioError(`${file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
  }
  const { data } = result;
  // Every controller change belongs to the scenario it was written in.
  const events = data.events.map((event) => (event.kind === 'weights' ? { ...event, section: event.section ?? name } : event));
  return { ...data, events, sections: [{ name, manifests: data.manifests }] };
}

/**
 * Loads a scenario with its `include`s merged in. Flow ids are prefixed with the included
 * scenario's name so that merged scenarios never collide.
 */
export function loadScenario(name: string, seen: readonly string[] = []): Scenario {
  if (seen.includes(name)) throw new ScenarioError(`scenario "${name}" includes itself`);
  const scenario = readScenario(name);
  const parts = scenario.include.map((included) => prefixed(loadScenario(included, [...seen, name])));
  if (parts.length === 0) return scenario;
  return {
    ...scenario,
    sections: [...scenario.sections, ...parts.flatMap((part) => part.sections)].filter((section) => section.manifests.trim() !== ''),
    flows: [...scenario.flows, ...parts.flatMap((part) => part.flows)],
    events: [...scenario.events, ...parts.flatMap((part) => part.events)],
  };
}

function prefixed(scenario: Scenario): Scenario {
  const id = (flow: string) => `${scenario.name}/${flow}`;
  return {
    ...scenario,
    flows: scenario.flows.map((flow) => ({ ...flow, id: id(flow.id) })),
    events: scenario.events.map((event) => {
      switch (event.kind) {
        case 'split':
        case 'rate':
        case 'reset':
          return { ...event, flow: id(event.flow) };
        case 'weights':
          return { ...event, flows: event.flows.map((change) => ({ ...change, flow: id(change.flow) })) };
        default:
          return event;
      }
    }),
  };
}
