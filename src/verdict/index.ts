// The statistics core of mesh-split: pure functions, no I/O (SPEC §6).
export { bonferroniConfidence, wilsonInterval } from './wilson.js';
export { judgeSplit } from './judge.js';
export { fitMix, judgeMix } from './mix.js';
export type { MixFit, MixInput, MixVerdict } from './mix.js';
export type { DestinationVerdict, Interval, SplitInput, SplitVerdict, Verdict } from './types.js';
