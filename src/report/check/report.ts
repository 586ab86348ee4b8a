import type { ChalkInstance } from 'chalk';
import type { CheckReport } from '../../model/check.js';

/** One output format of `mesh-split check`. */
export type CheckFormatter = (report: CheckReport, color: ChalkInstance) => string;
