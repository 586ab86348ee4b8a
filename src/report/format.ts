import type { Interval } from '../model/check.js';
import { CLUSTER_DOMAIN } from '../resolve/hosts.js';

/** Counts from increase() are extrapolated, so fractional: round for people. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatPoints(delta: number | null): string {
  if (delta === null) return '–';
  const rounded = delta.toFixed(1);
  return `${delta > 0 && rounded !== '0.0' ? '+' : ''}${rounded === '-0.0' ? '0.0' : rounded}`;
}

export function formatShare(percent: number | null): string {
  return percent === null ? '–' : `${percent.toFixed(1)}%`;
}

export function formatInterval(interval: Interval | null): string {
  return interval ? `${interval[0].toFixed(1)}–${interval[1].toFixed(1)}%` : '–';
}

/** `reviews.bookinfo` for `reviews.bookinfo.svc.cluster.local`: tables need the width. */
export function shortHost(host: string): string {
  const suffix = `.${CLUSTER_DOMAIN}`;
  return host.endsWith(suffix) ? host.slice(0, -suffix.length) : host;
}
