import type { ChalkInstance } from 'chalk';
import type { Resolution } from '../../model/split.js';

/** One output format of `mesh-split routes`. */
export type RoutesFormatter = (resolution: Resolution, color: ChalkInstance) => string;
