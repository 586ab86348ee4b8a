import { solveLinearSystem } from './linear-system.js';
import { projectOntoSimplex } from './simplex.js';

/** Stop once f(α) − min f is certified below this (fractions squared; 1e-10 in percent²). */
const GAP_TOLERANCE = 1e-14;
/** …or once a projected step no longer moves any weight by more than this (float precision reached). */
const STEP_TOLERANCE = 1e-15;
/** Bounds the work on near-degenerate inputs (routes with almost identical splits). */
const MAX_ITERATIONS = 20_000;

/**
 * argmin ‖Pα − q‖² over the probability simplex {α ≥ 0, Σα = 1}, P's columns being `columns`.
 *
 * Accelerated projected gradient (FISTA, Beck & Teboulle 2009) with adaptive restart
 * (O'Donoghue & Candès 2015), stopped by the Frank–Wolfe duality gap, which bounds the distance
 * to the optimum from above; then the equality-constrained problem on the weights found non-zero
 * is solved exactly, so a well-posed fit lands on the optimum to rounding error rather than to
 * the iteration's tolerance. Only the R×R Gram matrix is used: the cost does not grow with the
 * number of destinations. Starts from the even mix, so identical columns share weight evenly.
 */
export function leastSquaresOnSimplex(columns: readonly (readonly number[])[], target: readonly number[]): number[] {
  const problem = gramForm(columns, target);
  const routes = columns.length;
  // 2·trace(PᵀP) bounds the gradient's Lipschitz constant 2·λmax(PᵀP) without an eigen-solver.
  const lipschitz = 2 * problem.gram.reduce((sum, row, r) => sum + (row[r] ?? 0), 0);
  let alpha = new Array<number>(routes).fill(1 / routes);
  if (lipschitz === 0) return alpha;

  let lookahead = alpha;
  let momentum = 1;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const gradientAhead = gradient(problem, lookahead);
    const next = projectOntoSimplex(lookahead.map((x, r) => x - (gradientAhead[r] ?? 0) / lipschitz));
    const done = dualityGap(problem, next) <= GAP_TOLERANCE || maxAbsDifference(next, lookahead) <= STEP_TOLERANCE;
    const previous = alpha;
    alpha = next;
    if (done) break;
    // Restart when the momentum points uphill; this keeps the convergence linear on this problem.
    if (dot(subtract(lookahead, next), subtract(next, previous)) > 0) {
      momentum = 1;
      lookahead = next;
    } else {
      const nextMomentum = (1 + Math.sqrt(1 + 4 * momentum * momentum)) / 2;
      const pull = (momentum - 1) / nextMomentum;
      lookahead = next.map((x, r) => x + pull * (x - (previous[r] ?? 0)));
      momentum = nextMomentum;
    }
  }
  const polished = solveOnSupport(problem, alpha);
  return polished !== null && objective(problem, polished) <= objective(problem, alpha) ? polished : alpha;
}

/** ‖Pα − q‖² = αᵀGα − 2bᵀα + ‖q‖², with G = PᵀP and b = Pᵀq. */
interface GramForm {
  gram: number[][];
  projectedTarget: number[];
}

function gramForm(columns: readonly (readonly number[])[], target: readonly number[]): GramForm {
  return {
    gram: columns.map((a) => columns.map((b) => dot(a, b))),
    projectedTarget: columns.map((a) => dot(a, target)),
  };
}

/** f(α) up to the constant ‖q‖², which no comparison needs. */
function objective({ gram, projectedTarget }: GramForm, alpha: readonly number[]): number {
  return gram.reduce((sum, row, r) => sum + (alpha[r] ?? 0) * (dot(row, alpha) - 2 * (projectedTarget[r] ?? 0)), 0);
}

function gradient({ gram, projectedTarget }: GramForm, alpha: readonly number[]): number[] {
  return gram.map((row, r) => 2 * (dot(row, alpha) - (projectedTarget[r] ?? 0)));
}

/** ∇f(α)ᵀα − minᵣ ∇f(α)ᵣ ≥ f(α) − f*: by convexity, no vertex direction improves f by more. */
function dualityGap(problem: GramForm, alpha: readonly number[]): number {
  const g = gradient(problem, alpha);
  return dot(g, alpha) - Math.min(...g);
}

/**
 * Minimises f on the face spanned by α's non-zero weights (KKT: G_SS·β + λ·1 = b_S, Σβ = 1).
 * Null when that system is singular (identical routes) or its answer leaves the simplex.
 */
function solveOnSupport(problem: GramForm, alpha: readonly number[]): number[] | null {
  const support = alpha.flatMap((a, r) => (a > 0 ? [r] : []));
  const matrix = [
    ...support.map((r) => [...support.map((s) => problem.gram[r]?.[s] ?? 0), 1]),
    [...support.map(() => 1), 0],
  ];
  const rhs = [...support.map((r) => problem.projectedTarget[r] ?? 0), 1];
  const solution = solveLinearSystem(matrix, rhs);
  if (solution === null) return null;
  const weights = solution.slice(0, support.length);
  if (weights.some((w) => !(w >= 0))) return null;
  const total = weights.reduce((sum, w) => sum + w, 0);
  const polished = new Array<number>(alpha.length).fill(0);
  for (const [i, r] of support.entries()) polished[r] = (weights[i] ?? 0) / total;
  return polished;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (const [i, x] of a.entries()) sum += x * (b[i] ?? 0);
  return sum;
}

function subtract(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x - (b[i] ?? 0));
}

function maxAbsDifference(a: readonly number[], b: readonly number[]): number {
  let max = 0;
  for (const [i, x] of a.entries()) max = Math.max(max, Math.abs(x - (b[i] ?? 0)));
  return max;
}
