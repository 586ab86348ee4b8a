import type { parser } from '@prometheus-io/lezer-promql';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/**
 * Which labels the series of a PromQL expression's result carry, read from its syntax tree, so
 * a `--query-file` that loses a label attribution needs is refused before anything is sent,
 * however it is written (in parentheses, times a number, joined with `or`, …).
 *
 * `except` (every label of the input series but these) or `only` (at most these); `scalar` for
 * a number or string, which has no series at all. Where PromQL's rules are subtle the answer
 * errs towards "dropped": refusing a template that would have worked is a clear message, and
 * accepting one that drops a label is a silent wrong verdict.
 */
export type KeptLabels = { except: ReadonlySet<string> } | { only: ReadonlySet<string> } | 'scalar';

const ALL: KeptLabels = { except: new Set() };
const NONE: KeptLabels = { only: new Set() };

/** Expression nodes of @prometheus-io/lezer-promql's grammar. */
const EXPRESSIONS = new Set([
  'AggregateExpr', 'BinaryExpr', 'FunctionCall', 'MatrixSelector', 'NumberDurationLiteral', 'NumberLiteral', 'OffsetExpr',
  'ParenExpr', 'StepInvariantExpr', 'StringLiteral', 'SubqueryExpr', 'UnaryExpr', 'VectorSelector',
]);

/** Aggregations that select series rather than merge them: each keeps its own labels. */
const SELECTING = new Set(['topk', 'bottomk', 'limitk', 'limit_ratio']);

/** Functions whose result is a number or carries no labels of its input. */
const SCALAR_FUNCTIONS = new Set(['scalar', 'time', 'pi']);
const UNLABELLED_FUNCTIONS = new Set(['vector', 'absent', 'absent_over_time']);
const LABEL_WRITERS = new Set(['label_replace', 'label_join']);

/** Nodes whose value is that of the one expression they hold (a range's labels are its series'). */
const WRAPPERS = new Set(['PromQL', 'ParenExpr', 'UnaryExpr', 'OffsetExpr', 'StepInvariantExpr', 'SubqueryExpr', 'MatrixSelector']);

export function keptLabels(node: SyntaxNode, text: string): KeptLabels {
  if (WRAPPERS.has(node.name)) {
    const inner = expressions(node)[0];
    return inner ? keptLabels(inner, text) : NONE;
  }
  switch (node.name) {
    case 'VectorSelector':
      return ALL;
    case 'NumberDurationLiteral':
    case 'NumberLiteral':
    case 'StringLiteral':
      return 'scalar';
    case 'AggregateExpr':
      return aggregated(node, text);
    case 'FunctionCall':
      return called(node, text);
    case 'BinaryExpr':
      return combined(node, text);
    default:
      return NONE;
  }
}

/** Whether an expression gives ranges of samples (`x[5m]`), which an instant query cannot judge. */
export function isRange(node: SyntaxNode): boolean {
  if (node.name === 'MatrixSelector' || node.name === 'SubqueryExpr') return true;
  if (!WRAPPERS.has(node.name)) return false;
  const inner = expressions(node)[0];
  return inner !== undefined && isRange(inner);
}

/** The labels the template's query loses of those it must keep, or `scalar` for a number. */
export function missingLabels(kept: KeptLabels, required: readonly string[]): string[] | 'scalar' {
  if (kept === 'scalar') return 'scalar';
  return required.filter((label) => !keeps(kept, label));
}

function keeps(kept: Exclude<KeptLabels, 'scalar'>, label: string): boolean {
  return 'only' in kept ? kept.only.has(label) : !kept.except.has(label);
}

function expressions(node: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) if (EXPRESSIONS.has(child.name)) found.push(child);
  return found;
}

function labelNames(node: SyntaxNode | null, text: string): string[] {
  return node ? node.getChildren('LabelName').map((name) => text.slice(name.from, name.to)) : [];
}

function aggregated(node: SyntaxNode, text: string): KeptLabels {
  const op = node.getChild('AggregateOp');
  const operands = expressions(node.getChild('FunctionCallBody') ?? node);
  // The series operand comes last: `topk(3, v)`, `quantile(0.9, v)`, `count_values("l", v)`.
  const operand = operands.at(-1);
  const inner = operand ? keptLabels(operand, text) : NONE;
  if (op && SELECTING.has(text.slice(op.from, op.to).toLowerCase())) return inner;
  const modifier = node.getChild('AggregateModifier');
  const grouping = labelNames(modifier?.getChild('GroupingLabels') ?? null, text);
  if (modifier?.getChild('Without')) return without(inner, grouping);
  return modifier?.getChild('By') ? meet(inner, { only: new Set(grouping) }) : NONE;
}

function called(node: SyntaxNode, text: string): KeptLabels {
  const identifier = node.getChild('FunctionIdentifier');
  const name = identifier ? text.slice(identifier.from, identifier.to) : '';
  if (SCALAR_FUNCTIONS.has(name)) return 'scalar';
  if (UNLABELLED_FUNCTIONS.has(name)) return NONE;
  const operandNodes = expressions(node.getChild('FunctionCallBody') ?? node);
  const series = operandNodes.map((operand) => keptLabels(operand, text)).find((operand) => operand !== 'scalar');
  // Functions of no series (`day_of_week()`) read the evaluation time: one series, no labels.
  if (!series) return NONE;
  if (!LABEL_WRITERS.has(name)) return series;
  return writtenLabel(name, operandNodes, series, text);
}

function combined(node: SyntaxNode, text: string): KeptLabels {
  const [leftNode, rightNode] = expressions(node);
  const left = leftNode ? keptLabels(leftNode, text) : NONE;
  const right = rightNode ? keptLabels(rightNode, text) : NONE;
  if (left === 'scalar') return right;
  if (right === 'scalar') return left;
  if (node.getChild('Or')) return meet(left, right);
  if (node.getChild('And') || node.getChild('Unless')) return left;
  // Vector to vector: Prometheus' resultMetric keeps the "one" side's labels plus those
  // group_x includes; one-to-one matching keeps only on(…)'s labels, or drops ignoring(…)'s.
  const matching = node.getChild('MatchingModifierClause');
  const named = matching?.getChildren('GroupingLabels') ?? [];
  const groupLeft = matching?.getChild('GroupLeft');
  const groupRight = matching?.getChild('GroupRight');
  // group_x(…) copies each listed label from the other side, and deletes it where that side has none.
  if (groupLeft || groupRight) {
    const copied = labelNames(named[1] ?? null, text);
    const [one, other] = groupLeft ? [left, right] : [right, left];
    return including(without(one, copied), copied.filter((label) => keeps(other, label)));
  }
  const listed = labelNames(named[0] ?? null, text);
  if (matching?.getChild('On')) return meet(left, { only: new Set(listed) });
  if (matching?.getChild('Ignoring')) return without(left, listed);
  return left;
}

/**
 * label_replace(v, "dst", "replacement", "src", "regex") and label_join(v, "dst", "sep", "src"…)
 * set dst from source labels, and an empty result deletes it: dst is sure only when a source
 * label is. (A regex that does not match leaves dst as it was: templates are not that subtle.)
 */
function writtenLabel(name: string, operands: readonly SyntaxNode[], series: Exclude<KeptLabels, 'scalar'>, text: string): KeptLabels {
  // The string arguments are label names and short patterns; none needs unescaping to be compared.
  const strings = operands.filter((operand) => operand.name === 'StringLiteral').map((operand) => text.slice(operand.from + 1, operand.to - 1));
  const destination = strings[0];
  if (destination === undefined) return series;
  const sources = name === 'label_replace' ? strings.slice(2, 3) : strings.slice(2);
  // A missing source reads as "", which `(.*)` matches: dst is then written empty, i.e. deleted.
  const sure = sources.some((source) => keeps(series, source));
  return sure ? including(series, [destination]) : without(series, [destination]);
}

/** Labels both keep: what an `or` of the two, or a grouping of one, is sure to carry. */
function meet(a: KeptLabels, b: KeptLabels): KeptLabels {
  if (a === 'scalar') return b;
  if (b === 'scalar') return a;
  if ('only' in a && 'only' in b) return { only: new Set([...a.only].filter((label) => b.only.has(label))) };
  if ('only' in a) return { only: new Set([...a.only].filter((label) => keeps(b, label))) };
  if ('only' in b) return meet(b, a);
  return { except: new Set([...a.except, ...b.except]) };
}

function without(kept: KeptLabels, labels: readonly string[]): KeptLabels {
  return meet(kept, { except: new Set(labels) });
}

function including(kept: KeptLabels, labels: readonly string[]): KeptLabels {
  if (kept === 'scalar') return kept;
  if ('only' in kept) return { only: new Set([...kept.only, ...labels]) };
  return { except: new Set([...kept.except].filter((label) => !labels.includes(label))) };
}
