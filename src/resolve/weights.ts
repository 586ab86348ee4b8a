/**
 * Istio's weight rule: weights are relative. One destination gets 100 % whatever its weight;
 * among several an omitted weight is 0; all zero is invalid (null here).
 */
export function declaredPercents(weights: readonly (number | null | undefined)[]): number[] | null {
  if (weights.length === 1) return [100];
  const values = weights.map((weight) => weight ?? 0);
  const sum = values.reduce((total, weight) => total + weight, 0);
  if (sum <= 0) return null;
  return values.map((weight) => (weight * 100) / sum);
}

/**
 * Gateway API backendRefs: an omitted weight means 1, and a weight of 0 always means no
 * traffic — even for a lone backend (the route then answers 500).
 */
export function backendPercents(weights: readonly (number | null | undefined)[]): number[] | null {
  const values = weights.map((weight) => weight ?? 1);
  const sum = values.reduce((total, weight) => total + weight, 0);
  if (sum <= 0) return null;
  return values.map((weight) => (weight * 100) / sum);
}
