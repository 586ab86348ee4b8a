import type { PositionIndex } from './positions.js';

/** Assigns without letting a `__proto__` key replace the object's prototype. */
export function defineKey(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    map[key] = value;
  }
}

/**
 * YAML 1.1 merge keys (`<<: *base`, which Kubernetes' YAML reader honours), shared by both YAML
 * paths: every key of the sources that `map` does not have yet — explicit keys win, then the
 * earlier source — keeping the line it has in its source (appended to `names`/`lines`).
 */
export function mergeInto(
  map: Record<string, unknown>,
  sources: readonly unknown[],
  positions: PositionIndex,
  names: string[],
  lines: number[],
): void {
  for (const source of sources) {
    if (source === null || typeof source !== 'object' || Array.isArray(source)) continue;
    for (const [key, value] of Object.entries(source)) {
      if (Object.hasOwn(map, key)) continue;
      defineKey(map, key, value);
      const line = positions.lineOf(source, key);
      if (line === undefined) continue;
      names.push(key);
      lines.push(line);
    }
  }
}
