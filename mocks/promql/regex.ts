/**
 * RE2 → JavaScript translation for `=~` / `!~` matchers.
 *
 * Prometheus 2.42 (model/labels/regexp.go NewFastRegexMatcher) compiles a matcher's value
 * with Go's regexp package as `^(?:value)$` — fully anchored — with syntax.Perl flags:
 * `.` does not match `\n` (no DotNL), `^`/`$` are text anchors (OneLine), Perl extensions.
 * Go's RE2 dialect and JS' differ in many places (`\s`, `\w` and `.` cover other characters,
 * `[]a]` is a class containing `]`, `a{,2}` and `a{` are literals, `\1` is an error and not a
 * back-reference, lookarounds are errors, …), so the value is parsed here with the rules of
 * Go's regexp/syntax/parse.go and re-emitted as an unambiguous JS pattern (`u` flag, every
 * character class spelled out as code point ranges).
 *
 * Constructs whose JS meaning could differ and that are not translated are REFUSED, never
 * guessed: case folding `(?i)` (Unicode fold tables differ between Go and V8, and Node 20 has
 * no scoped flags) and Unicode classes `\pL`, `\p{Greek}` (table versions differ).
 * Syntax Go rejects is an error with Go's wording.
 */

export type RegexResult = { regexp: RegExp } | { error: string; unsupported?: true };

type Range = [number, number];

type Node =
  | { op: 'literal'; codePoint: number }
  | { op: 'class'; ranges: Range[] }
  | { op: 'any'; newline: boolean }
  | { op: 'assert'; js: string }
  | { op: 'concat'; subs: Node[] }
  | { op: 'alternate'; subs: Node[] }
  | { op: 'group'; sub: Node }
  /** `*` `+` `?` (counted: false) or `{min,max}` (counted: true); max -1 is unbounded. */
  | { op: 'repeat'; min: number; max: number; counted: boolean; sub: Node };

interface Flags {
  /** (?s): `.` matches `\n` too. */
  dotNewline: boolean;
  /** (?m): `^` and `$` match at line breaks (`\n` only, as in Go). */
  multiLine: boolean;
}

class RegexSyntaxError extends Error {
  constructor(
    message: string,
    readonly unsupported = false,
  ) {
    super(message);
  }
}

const MAX_RUNE = 0x10ffff;
const MAX_REPEAT = 1000;
/** Go 1.19 regexp/syntax refuses deeper nesting ("expression nests too deeply"). */
const MAX_DEPTH = 1000;

// Go's regexp/syntax/perl_groups.go.
const PERL_GROUPS: Record<string, Range[]> = {
  d: [[0x30, 0x39]],
  s: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]], // no \v, unlike JS' \s
  w: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
};
const POSIX_GROUPS: Record<string, Range[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

function normalize(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function negate(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isAsciiAlnum = (c: string): boolean => /^[0-9A-Za-z]$/.test(c);
const hexValue = (c: string | undefined): number => (c !== undefined && /^[0-9A-Fa-f]$/.test(c) ? parseInt(c, 16) : -1);

/** Recursive descent over the pattern with Go's rules; positions are UTF-16 indexes. */
class Re2Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): Node {
    const node = this.alternation({ dotNewline: false, multiLine: false });
    if (this.pos < this.text.length) {
      // alternation() only stops early at a `)` without its `(`.
      throw new RegexSyntaxError(`unexpected ): \`${this.text}\``);
    }
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  /** The next code point (Go reads runes, so astral characters are one literal). */
  private nextCodePoint(): number {
    const codePoint = this.text.codePointAt(this.pos);
    if (codePoint === undefined) throw new Error('unreachable: read past the end');
    this.pos += codePoint > 0xffff ? 2 : 1;
    return codePoint;
  }

  /** `a|b|…` up to the end or a `)`; `flags` is the state at the start of the group. */
  private alternation(groupFlags: Flags): Node {
    const branches: Node[] = [];
    // (?flags) inside a group lasts until the group's end, across `|`.
    const flags = { ...groupFlags };
    for (;;) {
      branches.push(this.concatenation(flags));
      if (this.peek() !== '|') break;
      this.pos++;
    }
    return branches.length === 1 ? (branches[0] as Node) : { op: 'alternate', subs: branches };
  }

  private concatenation(flags: Flags): Node {
    const items: Node[] = [];
    let lastWasRepeat = false;
    while (this.pos < this.text.length) {
      const c = this.peek() as string;
      if (c === '|' || c === ')') break;
      const start = this.pos;
      if (c === '*' || c === '+' || c === '?' || (c === '{' && this.countedRepeatAhead())) {
        this.repetition(items, lastWasRepeat, start);
        lastWasRepeat = true;
        continue;
      }
      lastWasRepeat = false;
      if (c === '(') {
        const group = this.group(flags);
        if (group) items.push(group);
        continue;
      }
      if (c === '[') {
        items.push({ op: 'class', ranges: this.characterClass() });
        continue;
      }
      if (c === '.') {
        this.pos++;
        items.push({ op: 'any', newline: flags.dotNewline });
        continue;
      }
      if (c === '^') {
        this.pos++;
        items.push({ op: 'assert', js: flags.multiLine ? '(?<![^\\n])' : '^' });
        continue;
      }
      if (c === '$') {
        this.pos++;
        items.push({ op: 'assert', js: flags.multiLine ? '(?![^\\n])' : '$' });
        continue;
      }
      if (c === '\\') {
        items.push(...this.escapeOutsideClass());
        continue;
      }
      items.push({ op: 'literal', codePoint: this.nextCodePoint() });
    }
    return { op: 'concat', subs: items };
  }

  /** Whether `{` starts a valid `{n}`, `{n,}` or `{n,m}` (Go parseRepeat); otherwise it is a literal. */
  private countedRepeatAhead(): boolean {
    return this.parseCounted(false) !== null;
  }

  /**
   * Go's parseRepeat: digits without leading zeros; a number over 1e8 reads as -1.
   * Returns [min, max, length] or null when this is no repetition.
   */
  private parseCounted(consume: boolean): [number, number] | null {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.text.slice(this.pos));
    if (!match) return null;
    const number = (digits: string): number | null => {
      if (digits.length >= 2 && digits[0] === '0') return null;
      const value = Number(digits);
      return value >= 1e8 ? -1 : value;
    };
    let min = number(match[1] as string);
    if (min === null) return null;
    let max: number | null;
    if (match[2] === undefined) max = min;
    else if (match[3] === '') max = -1;
    else {
      max = number(match[3] as string);
      if (max === null) return null;
      if (max < 0) min = -1;
    }
    if (consume) this.pos += match[0].length;
    return [min, max];
  }

  private repetition(items: Node[], lastWasRepeat: boolean, start: number): void {
    const c = this.peek() as string;
    let min: number;
    let max: number;
    let counted = false;
    if (c === '{') {
      [min, max] = this.parseCounted(true) as [number, number];
      counted = true;
      if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
        throw new RegexSyntaxError(`invalid repeat count: \`${this.text.slice(start, this.pos)}\``);
      }
    } else {
      this.pos++;
      [min, max] = c === '*' ? [0, -1] : c === '+' ? [1, -1] : [0, 1];
    }
    if (this.peek() === '?') this.pos++; // non-greedy: irrelevant for a whole-string match
    const operator = this.text.slice(start, this.pos);
    if (lastWasRepeat) throw new RegexSyntaxError(`invalid nested repetition operator: \`${operator}\``);
    const sub = items.pop();
    if (!sub) throw new RegexSyntaxError(`missing argument to repetition operator: \`${operator}\``);
    const node: Node = { op: 'repeat', min, max, counted, sub };
    // Go's repeatIsValid: nested counted repetitions may not exceed 1000 copies in total.
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      throw new RegexSyntaxError(`invalid repeat count: \`${operator}\``);
    }
    items.push(node);
  }

  /** `(…)`, `(?:…)`, `(?P<name>…)`, `(?flags)` (returns null) and `(?flags:…)`. */
  private group(flags: Flags): Node | null {
    const start = this.pos;
    this.pos++; // (
    let inner = flags;
    if (this.peek() === '?') {
      if (this.peek(1) === 'P' && this.peek(2) === '<') {
        const end = this.text.indexOf('>', this.pos);
        const name = end < 0 ? null : this.text.slice(this.pos + 3, end);
        if (name === null || !/^[A-Za-z0-9_]+$/.test(name)) {
          throw new RegexSyntaxError(`invalid named capture: \`${this.text.slice(start, end < 0 ? undefined : end + 1)}\``);
        }
        this.pos = end + 1;
      } else {
        const parsed = this.perlFlags(flags, start);
        if (parsed.directive) {
          // (?s) changes the flags of the rest of the enclosing group.
          Object.assign(flags, parsed.flags);
          return null;
        }
        inner = parsed.flags;
      }
    }
    if (++this.depth > MAX_DEPTH) throw new RegexSyntaxError('expression nests too deeply');
    const sub = this.alternation(inner);
    this.depth--;
    if (this.peek() !== ')') throw new RegexSyntaxError(`missing closing ): \`${this.text}\``);
    this.pos++;
    return { op: 'group', sub };
  }

  /** Go's parsePerlFlags after `(?`: flags i m s U, `-` to clear, then `)` or `:`. */
  private perlFlags(flags: Flags, start: number): { flags: Flags; directive: boolean } {
    this.pos++; // ?
    const next = { ...flags };
    let sign = 1;
    let sawFlag = false;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++] as string;
      if (c === 'i') {
        throw new RegexSyntaxError('case-insensitive matching (?i) in a regex matcher', true);
      } else if (c === 'm') {
        next.multiLine = sign > 0;
        sawFlag = true;
      } else if (c === 's') {
        next.dotNewline = sign > 0;
        sawFlag = true;
      } else if (c === 'U') {
        sawFlag = true; // non-greedy by default: irrelevant for a whole-string match
      } else if (c === '-' && sign > 0) {
        sign = -1;
        sawFlag = false;
      } else if ((c === ':' || c === ')') && !(sign < 0 && !sawFlag)) {
        return { flags: next, directive: c === ')' };
      } else {
        break;
      }
    }
    throw new RegexSyntaxError(`invalid or unsupported Perl syntax: \`${this.text.slice(start, this.pos)}\``);
  }

  /** A backslash outside a class: assertions, \Q…\E, Perl classes, or one character. */
  private escapeOutsideClass(): Node[] {
    const c = this.peek(1);
    if (c === undefined) throw new RegexSyntaxError('trailing backslash at end of expression');
    const simple: Record<string, string> = { A: '^', z: '$', b: '\\b', B: '\\B' };
    const assertion = simple[c];
    if (assertion !== undefined) {
      // JS' \b without the i flag uses ASCII word characters, as Go's does.
      this.pos += 2;
      return [{ op: 'assert', js: assertion }];
    }
    if (c === 'Q') {
      // \Q…\E: everything up to \E (or the end) is literal.
      const end = this.text.indexOf('\\E', this.pos + 2);
      const literal = this.text.slice(this.pos + 2, end < 0 ? undefined : end);
      this.pos = end < 0 ? this.text.length : end + 2;
      return [...literal].map((ch) => ({ op: 'literal', codePoint: ch.codePointAt(0) ?? 0 }));
    }
    const perl = this.perlClass();
    if (perl) return [{ op: 'class', ranges: perl }];
    return [{ op: 'literal', codePoint: this.escapedCharacter() }];
  }

  /** \d \D \s \S \w \W as ranges, refusing \p / \P; null when the escape is something else. */
  private perlClass(): Range[] | null {
    const c = this.peek(1);
    if (c === 'p' || c === 'P') {
      throw new RegexSyntaxError(`Unicode character class \\${c} in a regex matcher`, true);
    }
    if (c === undefined) return null;
    const ranges = PERL_GROUPS[c.toLowerCase()];
    if (!ranges || !/[dswDSW]/.test(c)) return null;
    this.pos += 2;
    return c === c.toUpperCase() ? negate(ranges) : ranges;
  }

  /** Go's parseEscape: octal, \x, control letters, escaped punctuation; anything else is an error. */
  private escapedCharacter(): number {
    const start = this.pos;
    this.pos++; // backslash
    if (this.pos >= this.text.length) throw new RegexSyntaxError('trailing backslash at end of expression');
    const c = this.text[this.pos++] as string;
    const invalid = (): never => {
      throw new RegexSyntaxError(`invalid escape sequence: \`${this.text.slice(start, this.pos)}\``);
    };
    if (c >= '1' && c <= '7' && !isOctal(this.peek())) invalid(); // \1 would be a back-reference
    if (c >= '0' && c <= '7') {
      let value = c.charCodeAt(0) - 48;
      for (let i = 1; i < 3 && isOctal(this.peek()); i++) value = value * 8 + (this.text.charCodeAt(this.pos++) - 48);
      return value;
    }
    if (c === 'x') {
      if (this.peek() === '{') {
        this.pos++;
        let value = 0;
        let digits = 0;
        for (;;) {
          const d = this.peek();
          if (d === undefined) invalid();
          this.pos++;
          if (d === '}') break;
          const v = hexValue(d);
          if (v < 0) invalid();
          value = value * 16 + v;
          if (value > MAX_RUNE) invalid();
          digits++;
        }
        if (digits === 0) invalid();
        return value;
      }
      const x = hexValue(this.peek());
      const y = hexValue(this.peek(1));
      if (x < 0 || y < 0) {
        this.pos = Math.min(this.text.length, this.pos + 2);
        invalid();
      }
      this.pos += 2;
      return x * 16 + y;
    }
    const controls: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    const control = controls[c];
    if (control !== undefined) return control;
    // "Escaped non-word characters are always themselves" (ASCII punctuation, `_` included).
    if (c.charCodeAt(0) < 0x80 && !isAsciiAlnum(c)) return c.charCodeAt(0);
    return invalid();
  }

  /** Go's parseClass: `[]a]` holds `]`, `-` is literal where it cannot form a range. */
  private characterClass(): Range[] {
    const start = this.pos;
    this.pos++; // [
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const ranges: Range[] = [];
    let first = true;
    for (;;) {
      if (this.pos >= this.text.length) throw new RegexSyntaxError(`missing closing ]: \`${this.text.slice(start)}\``);
      if (this.peek() === ']' && !first) break;
      first = false;
      // POSIX [:alpha:] / [:^alpha:]; Go looks for the next ":]" anywhere after "[:".
      if (this.peek() === '[' && this.peek(1) === ':') {
        const end = this.text.indexOf(':]', this.pos + 2);
        if (end >= 0) {
          const name = this.text.slice(this.pos + 2, end);
          const group = POSIX_GROUPS[name.replace(/^\^/, '')];
          if (!group) throw new RegexSyntaxError(`invalid character class range: \`${this.text.slice(this.pos, end + 2)}\``);
          ranges.push(...(name.startsWith('^') ? negate(group) : group));
          this.pos = end + 2;
          continue;
        }
      }
      if (this.peek() === '\\') {
        const perl = this.perlClass();
        if (perl) {
          ranges.push(...perl);
          continue;
        }
      }
      const rangeStart = this.pos;
      const lo = this.classCharacter();
      let hi = lo;
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        this.pos++;
        hi = this.classCharacter();
        if (hi < lo) throw new RegexSyntaxError(`invalid character class range: \`${this.text.slice(rangeStart, this.pos)}\``);
      }
      ranges.push([lo, hi]);
    }
    this.pos++; // ]
    return normalize(negated ? negate(ranges) : ranges);
  }

  private classCharacter(): number {
    if (this.peek() === '\\') return this.escapedCharacter();
    return this.nextCodePoint();
  }
}

/** Go's repeatIsValid: walks the new repetition and everything under it. */
function repeatIsValid(node: Node, n: number): boolean {
  let budget = n;
  if (node.op === 'repeat' && node.counted) {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > budget) return false;
    if (m > 0) budget = Math.trunc(budget / m);
  }
  switch (node.op) {
    case 'concat':
    case 'alternate':
      return node.subs.every((sub) => repeatIsValid(sub, budget));
    case 'group':
    case 'repeat':
      return repeatIsValid(node.sub, budget);
    default:
      return true;
  }
}

const hex = (codePoint: number): string => `\\u{${codePoint.toString(16)}}`;

function emitCodePoint(codePoint: number): string {
  return /^[A-Za-z0-9_]$/.test(String.fromCodePoint(codePoint)) ? String.fromCodePoint(codePoint) : hex(codePoint);
}

/** The JS pattern (for the `u` flag): every construct spelled so that JS reads it one way only. */
function emit(node: Node): string {
  switch (node.op) {
    case 'literal':
      return emitCodePoint(node.codePoint);
    case 'class':
      return `[${node.ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('')}]`;
    case 'any':
      return node.newline ? '[^]' : '[^\\n]';
    case 'assert':
      return node.js;
    case 'concat':
      return node.subs.map(emit).join('');
    case 'alternate':
      return node.subs.map(emit).join('|');
    case 'group':
      return `(?:${emit(node.sub)})`;
    case 'repeat': {
      const quantifier =
        node.min === 0 && node.max === -1 ? '*'
        : node.min === 1 && node.max === -1 ? '+'
        : node.min === 0 && node.max === 1 ? '?'
        : node.max === -1 ? `{${node.min},}`
        : `{${node.min},${node.max}}`;
      return `(?:${emit(node.sub)})${quantifier}`;
    }
  }
}

/**
 * The JS RegExp that matches exactly the strings Prometheus' `=~ "pattern"` matches
 * (anchored at both ends), or why there is none.
 */
export function translateRegex(pattern: string): RegexResult {
  let node: Node;
  try {
    node = new Re2Parser(pattern).parse();
  } catch (error) {
    if (error instanceof RegexSyntaxError) {
      return error.unsupported
        ? { error: error.message, unsupported: true }
        : { error: `error parsing regexp: ${error.message}` };
    }
    throw error;
  }
  const source = `^(?:${emit(node)})$`;
  try {
    return { regexp: new RegExp(source, 'u') };
  } catch (error) {
    // Should not happen: every emitted construct is valid JS. Refuse rather than guess.
    return { error: `regex ${JSON.stringify(pattern)} could not be translated (${(error as Error).message})`, unsupported: true };
  }
}
