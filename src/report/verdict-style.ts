import type { ChalkInstance } from 'chalk';
import type { ReportStatus } from '../model/check.js';

/** Every verdict has its own symbol, so colour is never the only signal (NO_COLOR loses nothing). */
export const VERDICT_SYMBOL: Record<ReportStatus, string> = {
  drift: '✗',
  inconclusive: '?',
  'no-traffic': '∅',
  pass: '✓',
  error: '!',
};

export function paintVerdict(status: ReportStatus, color: ChalkInstance): (text: string) => string {
  switch (status) {
    case 'drift':
    case 'error':
      return color.red.bold;
    case 'inconclusive':
      return color.yellow;
    case 'no-traffic':
      return color.dim;
    case 'pass':
      return color.green;
  }
}
