/**
 * Solves the square system A·x = b by Gaussian elimination with partial pivoting.
 * Returns null when A is singular or too close to it for the answer to mean anything
 * (a pivot below `relativePivotFloor` times A's largest entry).
 */
export function solveLinearSystem(
  matrix: readonly (readonly number[])[],
  rhs: readonly number[],
  relativePivotFloor = 1e-13,
): number[] | null {
  const size = rhs.length;
  const rows = matrix.map((row, i) => [...row, rhs[i] ?? 0]);
  const scale = Math.max(0, ...matrix.flatMap((row) => row.map(Math.abs)));
  if (scale === 0) return null;
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let r = col + 1; r < size; r++) {
      if (Math.abs(rows[r]?.[col] ?? 0) > Math.abs(rows[pivot]?.[col] ?? 0)) pivot = r;
    }
    const pivotRow = rows[pivot];
    const pivotValue = pivotRow?.[col] ?? 0;
    if (!pivotRow || Math.abs(pivotValue) <= relativePivotFloor * scale) return null;
    [rows[col], rows[pivot]] = [pivotRow, rows[col] ?? pivotRow];
    for (let r = col + 1; r < size; r++) {
      const row = rows[r];
      if (!row) continue;
      const factor = (row[col] ?? 0) / pivotValue;
      for (let c = col; c <= size; c++) row[c] = (row[c] ?? 0) - factor * (pivotRow[c] ?? 0);
    }
  }
  const solution = new Array<number>(size).fill(0);
  for (let r = size - 1; r >= 0; r--) {
    const row = rows[r] ?? [];
    let value = row[size] ?? 0;
    for (let c = r + 1; c < size; c++) value -= (row[c] ?? 0) * (solution[c] ?? 0);
    solution[r] = value / (row[r] ?? 1);
  }
  return solution;
}
