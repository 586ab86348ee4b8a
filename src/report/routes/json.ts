import { SCHEMA_VERSION, splitJson } from '../split-json.js';
import type { RoutesFormatter } from './report.js';

/** `{schemaVersion, results[], findings[]}`: one JSON object, colour never applies. */
export const routesJson: RoutesFormatter = (resolution) =>
  JSON.stringify(
    {
      schemaVersion: SCHEMA_VERSION,
      results: resolution.splits.map(splitJson),
      findings: resolution.findings,
    },
    null,
    2,
  );
