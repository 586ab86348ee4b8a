import type { Flow, Scenario, ScenarioEvent, SplitShare } from './schema.js';

/** What a scenario says at one instant of its own time (seconds since it began). */
export class Timeline {
  private readonly events: ScenarioEvent[];

  constructor(readonly scenario: Scenario) {
    this.events = [...scenario.events].sort((a, b) => a.at - b.at);
  }

  /** Rate and true split of a flow at scenario time `at`, after every event up to then. */
  flowState(flow: Flow, at: number): { rate: number; split: SplitShare[] } {
    let { rate, split } = flow;
    for (const event of this.events) {
      if (event.at > at) break;
      if (event.kind === 'split' && event.flow === flow.id) split = event.split;
      else if (event.kind === 'rate' && event.flow === flow.id) rate = event.rate;
      else if (event.kind === 'weights') split = event.flows.find((change) => change.flow === flow.id)?.split ?? split;
    }
    return { rate, split };
  }

  /** Every destination a flow ever sends to, in first-seen order (one series each). */
  destinations(flow: Flow): SplitShare[] {
    const seen = new Map<string, SplitShare>();
    const add = (split: SplitShare[]) => split.forEach((share) => seen.set(`${share.service}|${share.version}`, share));
    add(flow.split);
    for (const event of this.events) {
      if (event.kind === 'split' && event.flow === flow.id) add(event.split);
      if (event.kind === 'weights') add(event.flows.find((change) => change.flow === flow.id)?.split ?? []);
    }
    return [...seen.values()];
  }

  /**
   * The manifests in force at `at`: each section as written, or as its latest controller
   * change left it; `since` is when the manifests last changed.
   */
  manifestsAt(at: number): { text: string; since: number } {
    let since = 0;
    const texts = this.scenario.sections.map((section) => {
      let text = section.manifests;
      for (const event of this.events) {
        if (event.at > at) break;
        if (event.kind === 'weights' && event.section === section.name) {
          text = event.manifests;
          since = Math.max(since, event.at);
        }
      }
      return text;
    });
    return { text: texts.join('\n---\n'), since };
  }

  /** HTTP status the API answers with during an outage at `at`, or null. */
  outageAt(at: number): number | null {
    const outage = this.events.find((event) => event.kind === 'outage' && at >= event.at && at < event.at + event.duration);
    return outage?.kind === 'outage' ? outage.status : null;
  }

  /** Scenario times at which a flow's counters restart from zero. */
  resets(flow: Flow): number[] {
    return this.events.filter((event) => event.kind === 'reset' && event.flow === flow.id).map((event) => event.at);
  }
}
