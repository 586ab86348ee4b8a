/**
 * From PromQL text to the small expression tree this mock evaluates, using Prometheus' own
 * grammar (@prometheus-io/lezer-promql). lezer recovers from syntax errors by inserting error
 * nodes, so any error node is a parse error; and since lezer's grammar is that of a newer
 * Prometheus than 2.42 (quoted label names, duration arithmetic, …), only the node types below
 * are accepted, and every other construct is refused by name — never evaluated approximately.
 * Checks Prometheus 2.42 makes while parsing (promql/parser/parse.go checkAST,
 * newVectorSelector) are repeated with its wording.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { parseError, unsupported } from './errors.js';
import { compileMatcher, type CompiledMatcher } from './matchers.js';
import { parseNumber } from './numbers.js';
import { unquoteString } from './strings.js';
import { parseDurationMs } from './time.js';
import type { LabelMatcher } from './types.js';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

export interface SelectorExpr {
  kind: 'selector';
  matchers: CompiledMatcher[];
}

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'negate'; expr: Expr }
  | SelectorExpr
  | { kind: 'call'; fn: 'rate' | 'increase'; selector: SelectorExpr; rangeMs: number }
  | { kind: 'aggregate'; op: 'sum' | 'count'; without: boolean; grouping: string[]; expr: Expr };

export type ValueType = 'scalar' | 'vector' | 'matrix';

/** Prometheus' names of value types in its error messages. */
const TYPE_NAMES: Record<ValueType, string> = { scalar: 'scalar', vector: 'instant vector', matrix: 'range vector' };

export function typeOf(expr: Expr): ValueType {
  return expr.kind === 'number' || expr.kind === 'negate' ? 'scalar' : 'vector';
}

/** What lezer names a node that the mock refuses, in words a user recognises. */
const REFUSED: Record<string, string> = {
  BinaryExpr: 'binary operators',
  OffsetExpr: 'the offset modifier',
  StepInvariantExpr: 'the @ modifier',
  SubqueryExpr: 'subqueries',
  StringLiteral: 'string literals as expressions',
  AnchoredExpr: 'the anchored modifier',
  SmoothedExpr: 'the smoothed modifier',
};

class Parser {
  constructor(private readonly query: string) {}

  private text(node: SyntaxNode): string {
    return this.query.slice(node.from, node.to);
  }

  /** Children without comments (lezer keeps `# …` as LineComment nodes anywhere). */
  private children(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name !== 'LineComment') out.push(child);
    }
    return out;
  }

  private fail(node: SyntaxNode, message: string): never {
    throw parseError(this.query, node.from, message);
  }

  private refuse(node: SyntaxNode, what: string): never {
    throw unsupported(this.query, node.from, what);
  }

  parse(): Expr {
    const tree = parser.parse(this.query);
    // Nothing but blanks and comments (lezer marks it as an error).
    const meaningful = this.children(tree.topNode).filter((n) => !(n.type.isError && this.text(n).trim() === ''));
    if (meaningful.length === 0) throw parseError(this.query, 0, 'no expression found in input');
    let errorNode: SyntaxNode | null = null;
    tree.iterate({
      enter: (ref) => {
        if (ref.type.isError && errorNode === null) errorNode = ref.node;
        return errorNode === null;
      },
    });
    if (errorNode !== null) {
      const node: SyntaxNode = errorNode;
      // lezer only knows Prometheus' function names: `foo(` parses as a selector and an error.
      const before = node.prevSibling;
      if (before?.name === 'Identifier' && this.query[node.from] === '(') {
        this.fail(before, `unknown function with name ${JSON.stringify(this.text(before))}`);
      }
      const near = this.query.slice(node.from, Math.max(node.to, node.from + 1)).trim();
      this.fail(node, near === '' ? 'unexpected end of input' : `unexpected ${JSON.stringify(near)}`);
    }
    const top = this.children(tree.topNode);
    const [expression] = top;
    if (!expression) throw parseError(this.query, 0, 'no expression found in input');
    if (top.length > 1) this.fail(top[1] as SyntaxNode, `unexpected ${JSON.stringify(this.text(top[1] as SyntaxNode))}`);
    if (expression.name === 'MatrixSelector') {
      this.refuse(expression, 'range vector selectors outside rate() and increase()');
    }
    return this.expr(expression);
  }

  private expr(node: SyntaxNode): Expr {
    switch (node.name) {
      case 'NumberDurationLiteral': {
        const parsed = parseNumber(this.text(node));
        if ('error' in parsed) this.fail(node, parsed.error);
        return { kind: 'number', value: parsed.value };
      }
      case 'ParenExpr':
        return this.expr(this.only(node));
      case 'UnaryExpr':
        return this.unary(node);
      case 'VectorSelector':
        return this.selector(node);
      case 'MatrixSelector':
        return this.refuse(node, 'range vector selectors outside rate() and increase()');
      case 'FunctionCall':
        return this.call(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      default:
        return this.refuse(node, REFUSED[node.name] ?? `${node.name} (${JSON.stringify(this.text(node))})`);
    }
  }

  private only(node: SyntaxNode): SyntaxNode {
    const children = this.children(node);
    if (children.length !== 1) this.fail(node, `unexpected ${JSON.stringify(this.text(node))}`);
    return children[0] as SyntaxNode;
  }

  /** `-1`, `-(1)`: Prometheus folds the sign into number literals; on vectors it is refused. */
  private unary(node: SyntaxNode): Expr {
    const [op, operand] = this.children(node);
    if (!op || !operand) return this.fail(node, `unexpected ${JSON.stringify(this.text(node))}`);
    const expr = this.expr(operand);
    if (typeOf(expr) !== 'scalar') return this.refuse(node, 'unary operators on vectors');
    return this.text(op) === '-' ? { kind: 'negate', expr } : expr;
  }

  private selector(node: SyntaxNode): SelectorExpr {
    const matchers: LabelMatcher[] = [];
    const compiled: CompiledMatcher[] = [];
    let metricName: string | undefined;
    for (const child of this.children(node)) {
      if (child.name === 'Identifier') {
        metricName = this.text(child);
      } else if (child.name === 'LabelMatchers') {
        for (const matcherNode of this.children(child)) {
          const matcher = this.matcher(matcherNode);
          matchers.push(matcher);
          compiled.push(this.compile(matcherNode, matcher));
        }
      } else {
        this.fail(child, `unexpected ${JSON.stringify(this.text(child))}`);
      }
    }
    if (metricName !== undefined) {
      // newVectorSelector appends the name matcher last; checkAST refuses a second name.
      const other = matchers.find((m) => m.name === '__name__');
      if (other) this.fail(node, `metric name must not be set twice: ${JSON.stringify(metricName)} or ${JSON.stringify(other.value)}`);
      const nameMatcher: LabelMatcher = { name: '__name__', op: '=', value: metricName };
      compiled.push(this.compile(node, nameMatcher));
    }
    // checkAST: at least one matcher must not match the empty string, so that no selector
    // selects every series by accident.
    if (!compiled.some((m) => !m.matches(''))) this.fail(node, 'vector selector must contain at least one non-empty matcher');
    return { kind: 'selector', matchers: compiled };
  }

  private matcher(node: SyntaxNode): LabelMatcher {
    if (node.name !== 'UnquotedLabelMatcher') {
      // Quoted label names ({"a.b"="c"}) are Prometheus 3 syntax.
      this.fail(node, `unexpected ${JSON.stringify(this.text(node))} (quoted label names need Prometheus 3)`);
    }
    const [name, op, value] = this.children(node);
    if (!name || name.name !== 'LabelName' || !op || op.name !== 'MatchOp' || !value || value.name !== 'StringLiteral') {
      return this.fail(node, `unexpected ${JSON.stringify(this.text(node))}`);
    }
    return { name: this.text(name), op: this.text(op) as LabelMatcher['op'], value: this.string(value) };
  }

  private string(node: SyntaxNode): string {
    const unquoted = unquoteString(this.text(node));
    if ('error' in unquoted) {
      if (unquoted.unsupported) this.refuse(node, unquoted.error);
      this.fail(node, unquoted.error);
    }
    return unquoted.value;
  }

  private compile(node: SyntaxNode, matcher: LabelMatcher): CompiledMatcher {
    const result = compileMatcher(matcher);
    if ('error' in result) {
      if (result.unsupported) this.refuse(node, result.error);
      this.fail(node, result.error);
    }
    return result.matcher;
  }

  /** rate(x[d]) and increase(x[d]); every other function is refused. */
  private call(node: SyntaxNode): Expr {
    const [identifier, body] = this.children(node);
    if (!identifier || !body) return this.fail(node, `unexpected ${JSON.stringify(this.text(node))}`);
    const name = this.text(identifier);
    if (name !== 'rate' && name !== 'increase') return this.refuse(node, `the function ${name}()`);
    const args = this.children(body);
    if (args.length !== 1) this.fail(node, `expected 1 argument(s) in call to ${JSON.stringify(name)}, got ${args.length}`);
    let arg = args[0] as SyntaxNode;
    while (arg.name === 'ParenExpr') arg = this.only(arg);
    if (arg.name === 'SubqueryExpr' || arg.name === 'OffsetExpr' || arg.name === 'StepInvariantExpr') {
      return this.refuse(arg, REFUSED[arg.name] as string);
    }
    if (arg.name !== 'MatrixSelector') {
      const type = typeOf(this.expr(arg));
      return this.fail(args[0] as SyntaxNode, `expected type range vector in call to function ${JSON.stringify(name)}, got ${TYPE_NAMES[type]}`);
    }
    const [selectorNode, durationNode] = this.children(arg);
    if (!selectorNode || selectorNode.name !== 'VectorSelector' || !durationNode) {
      return this.fail(arg, `unexpected ${JSON.stringify(this.text(arg))}`);
    }
    const selector = this.selector(selectorNode);
    return { kind: 'call', fn: name, selector, rangeMs: this.duration(durationNode) };
  }

  /** A plain duration (`5m`, `1h30m`); lezer also parses duration arithmetic, which 2.42 lacks. */
  private duration(node: SyntaxNode): number {
    const parts = this.children(node);
    if (node.name !== 'DurationExpr' || parts.length !== 1 || parts[0]?.name !== 'NumberDurationLiteralInDurationContext') {
      return this.refuse(node, `duration expressions (${JSON.stringify(this.text(node))})`);
    }
    const ms = parseDurationMs(this.text(node));
    if (typeof ms === 'string') return this.fail(node, ms);
    if (ms <= 0) return this.fail(node, 'duration must be greater than 0');
    return ms;
  }

  /** sum and count, with by/without before or after the argument. */
  private aggregate(node: SyntaxNode): Expr {
    const parts = this.children(node);
    const opNode = parts.find((p) => p.name === 'AggregateOp');
    const modifier = parts.find((p) => p.name === 'AggregateModifier');
    const body = parts.find((p) => p.name === 'FunctionCallBody');
    if (!opNode || !body) return this.fail(node, `unexpected ${JSON.stringify(this.text(node))}`);
    const op = this.text(opNode).toLowerCase(); // keywords are case-insensitive in PromQL
    if (op !== 'sum' && op !== 'count') return this.refuse(opNode, `the aggregation ${op}()`);
    let without = false;
    const grouping: string[] = [];
    if (modifier) {
      for (const child of this.children(modifier)) {
        if (child.name === 'Without') without = true;
        else if (child.name === 'GroupingLabels') {
          for (const label of this.children(child)) {
            if (label.name !== 'LabelName') this.fail(label, `unexpected ${JSON.stringify(this.text(label))} in grouping opts`);
            grouping.push(this.text(label));
          }
        } else if (child.name !== 'By') this.fail(child, `unexpected ${JSON.stringify(this.text(child))}`);
      }
    }
    const args = this.children(body);
    if (args.length !== 1) {
      this.fail(node, `wrong number of arguments for aggregate expression provided, expected 1, got ${args.length}`);
    }
    const argNode = args[0] as SyntaxNode;
    let inner = argNode;
    while (inner.name === 'ParenExpr') inner = this.only(inner);
    if (inner.name === 'MatrixSelector') this.fail(argNode, 'expected type instant vector in aggregation expression, got range vector');
    const expr = this.expr(argNode);
    const type = typeOf(expr);
    if (type !== 'vector') this.fail(argNode, `expected type instant vector in aggregation expression, got ${TYPE_NAMES[type]}`);
    return { kind: 'aggregate', op, without, grouping, expr };
  }
}

/** Parses and checks a query; throws PromQLError (bad_data) for errors and refused constructs. */
export function parseQuery(query: string): Expr {
  return new Parser(query).parse();
}
