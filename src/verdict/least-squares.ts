import { solveLinearSystem } from './linear-system.js';
import { projectOntoSimplex } from './simplex.js';

/** Stop once f(α) − min f is certified below this (in fractions²; 1e-8 in percent², so the fitted split is within 1e-4 points of the best). */
const GAP_TOLERANCE = 1e-12;
/** …or once a projected step no longer moves any weight by more than this (float precision reached). */
const STEP_TOLERANCE = 1e-15;
/** Bounds the work on near-degenerate inputs (routes with almost identical splits). */
const MAX_ITERATIONS = 20_000;

/**
 * argmin ‖Pα − q‖² over the probability simplex {α ≥ 0, Σα = 1}, P's columns being `columns`.
 *
 * Accelerated projected gradient (FISTA, Beck & Teboulle 2009) with adaptive restart
 * (O'Donoghue & Candès 2015), stopped by the Frank–Wolfe duality gap, an upper bound on how far
 * f(α) is from its minimum; then the equality-constrained problem on the weights found non-zero
 * is solved exactly, so a well-posed fit lands on the optimum to rounding error rather than to
 * the iteration's tolerance. Only the R×R Gram matrix is used: the cost does not grow with the
 * number of destinations. Starts from the even mix, so identical columns share weight evenly
 * (their system is singular, so the direct solve below never decides for them).
 */
export function leastSquaresOnSimplex(columns: readonly (readonly number[])[], target: readonly number[]): number[] {
  const problem = gramForm(columns, target);
  const routes = columns.length;
  // 2·trace(PᵀP) bounds the gradient's Lipschitz constant 2·λmax(PᵀP) without an eigen-solver.
  const lipschitz = 2 * problem.gram.reduce((sum, row, r) => sum + (row[r] ?? 0), 0);
  let alpha = new Array<number>(routes).fill(1 / routes);
  if (lipschitz === 0) return alpha;
  // Most fits are settled by one small linear solve on all routes (dropping those that come out
  // negative): taken when it carries the optimality certificate. The iteration is for the rest,
  // and its convergence is slowest exactly where this is quickest: routes with close splits.
  const direct = solveOnSupport(problem, alpha);
  if (direct !== null && dualityGap(problem, direct) <= GAP_TOLERANCE) return direct;

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
  // The exact face solution is kept only if it carries the same optimality certificate.
  const polished = solveOnSupport(problem, alpha);
  return polished !== null && dualityGap(problem, polished) <= GAP_TOLERANCE ? polished : alpha;
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

function gradient({ gram, projectedTarget }: GramForm, alpha: readonly number[]): number[] {
  return gram.map((row, r) => 2 * (dot(row, alpha) - (projectedTarget[r] ?? 0)));
}

/**
 * Frank–Wolfe gap ∇f(α)ᵀα − minᵣ ∇f(α)ᵣ. By convexity f* ≥ f(α) + min over the simplex of
 * ∇f(α)ᵀ(s − α), and that minimum sits at a vertex, so the gap bounds f(α) − f* from above.
 */
function dualityGap(problem: GramForm, alpha: readonly number[]): number {
  const g = gradient(problem, alpha);
  return dot(g, alpha) - Math.min(...g);
}

/**
 * Minimises f exactly on the face spanned by α's non-zero weights (KKT: G_SS·β + λ·1 = b_S,
 * Σβ = 1). Weights the iteration left barely positive where the optimum has 0 come out ≤ 0 there;
 * those are dropped and the face re-solved. Null when a system is singular (identical routes).
 */
function solveOnSupport(problem: GramForm, alpha: readonly number[]): number[] | null {
  let support = alpha.flatMap((a, r) => (a > 0 ? [r] : []));
  while (support.length > 0) {
    const weights = solveOnFace(problem, support);
    if (weights === null) return null;
    if (weights.every((w) => w > 0)) {
      const total = weights.reduce((sum, w) => sum + w, 0);
      const polished = new Array<number>(alpha.length).fill(0);
      for (const [i, r] of support.entries()) polished[r] = (weights[i] ?? 0) / total;
      return polished;
    }
    support = support.filter((_, i) => (weights[i] ?? 0) > 0);
  }
  return null;
}

/** The equality-constrained minimiser on one face: weights for `support`, in its order. */
function solveOnFace({ gram, projectedTarget }: GramForm, support: readonly number[]): number[] | null {
  const matrix = [
    ...support.map((r) => [...support.map((s) => gram[r]?.[s] ?? 0), 1]),
    [...support.map(() => 1), 0],
  ];
  const rhs = [...support.map((r) => projectedTarget[r] ?? 0), 1];
  return solveLinearSystem(matrix, rhs)?.slice(0, support.length) ?? null;
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
