import { translateRegex } from './regex.js';
import type { LabelMatcher } from './types.js';

/**
 * Label matchers as Prometheus applies them (model/labels/matcher.go): a missing label has the
 * value "", `=~` / `!~` match the whole value (see regex.ts).
 */
export interface CompiledMatcher extends LabelMatcher {
  matches(value: string): boolean;
}

export type CompileResult = { matcher: CompiledMatcher } | { error: string; unsupported?: true };

export function compileMatcher(matcher: LabelMatcher): CompileResult {
  const { op, value } = matcher;
  switch (op) {
    case '=':
      return { matcher: { ...matcher, matches: (v) => v === value } };
    case '!=':
      return { matcher: { ...matcher, matches: (v) => v !== value } };
    case '=~':
    case '!~': {
      const translated = translateRegex(value);
      if (!('regexp' in translated)) return translated;
      const { regexp } = translated;
      return { matcher: { ...matcher, matches: op === '=~' ? (v) => regexp.test(v) : (v) => !regexp.test(v) } };
    }
    default:
      return { error: `unknown match operator ${JSON.stringify(op)}` };
  }
}

/** Compiles or throws (for callers that were handed matchers the evaluator already checked). */
export function compileMatcherOrThrow(matcher: LabelMatcher): CompiledMatcher {
  const result = compileMatcher(matcher);
  if ('error' in result) throw new Error(`label matcher ${matcher.name}${matcher.op}${JSON.stringify(matcher.value)}: ${result.error}`);
  return result.matcher;
}

export function matchesAll(labels: Record<string, string>, matchers: readonly CompiledMatcher[]): boolean {
  return matchers.every((m) => m.matches(labels[m.name] ?? ''));
}
