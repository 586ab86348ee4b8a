import type { CheckReport, RouteResult } from '../../model/check.js';
import { routeJson, sourceJson } from '../split-json.js';
import type { CheckFormatter } from './report.js';

/** SPEC §7's field names exactly; one JSON object, colour never applies. */
export function checkReportJson(report: CheckReport) {
  return {
    schemaVersion: report.schemaVersion,
    status: report.status,
    exitCode: report.exitCode,
    evaluatedAt: report.evaluatedAt,
    window: report.window,
    prometheus: report.prometheus,
    settings: report.settings,
    results: report.results.map(resultJson),
    findings: report.findings,
    queries: report.queries,
    warnings: report.warnings,
  };
}

function resultJson(result: RouteResult) {
  return {
    virtualService: sourceJson(result.virtualService),
    binding: result.binding,
    route: routeJson(result.route),
    status: result.status,
    requests: result.requests,
    requestsNeeded: result.requestsNeeded,
    unit: result.unit,
    tolerance: result.tolerance,
    minRequests: result.minRequests,
    destinations: result.destinations,
    mix: result.mix,
    message: result.message,
  };
}

export const checkJson: CheckFormatter = (report) => JSON.stringify(checkReportJson(report), null, 2);
