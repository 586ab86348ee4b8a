/**
 * Escaping for values placed into PromQL.
 *
 * String literals: PromQL strings in double or single quotes use Go's escapes
 * (https://prometheus.io/docs/prometheus/latest/querying/basics/#string-literals),
 * so a backslash, the quote and line breaks must be escaped. Raw strings (backticks) have no
 * escapes at all: the template renderer places values there as they are.
 */
export function promqlString(value: string, quote: '"' | "'" = '"'): string {
  return value.replace(quote === '"' ? /[\\"\n\r\t]/g : /[\\'\n\r\t]/g, (character) => {
    switch (character) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\${character}`;
    }
  });
}

/**
 * Regex matchers use RE2 syntax, fully anchored (https://github.com/google/re2/wiki/Syntax):
 * escape every metacharacter so `reviews.default.svc.cluster.local` matches only itself.
 */
export function regexLiteral(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** `a|b|c` matching exactly these values, sorted so equal inputs render equal queries. */
export function regexAlternation(values: Iterable<string>): string {
  return [...new Set(values)].sort().map(regexLiteral).join('|');
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isLabelName(value: string): boolean {
  return LABEL_NAME.test(value);
}
