// Per-step reductions of the probe over read-back tensor values (norms, moments, dead and saturated fractions) and the
// kernel-symmetry measure.

/*
 * Why in JS: a probe step needs ~8 scalars per layer. As tensor ops that is several hundred tiny kernels per
 * step, and on the wasm backend each costs more in dispatch than its arithmetic; reading each tensor back once
 * (a heap copy) and reducing it here in float64 is cheaper and more accurate.
 */

/** Sum of squares and of absolute values (a non-finite element makes them non-finite, as on device). */
export function normSums(values: ArrayLike<number>): { sumSquares: number; sumAbs: number } {
  let sumSquares = 0;
  let sumAbs = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    sumSquares += v * v;
    sumAbs += Math.abs(v);
  }
  return { sumSquares, sumAbs };
}

/** Gradient sums (squares, absolute values) and the kernel's sum of squares in one pass over both arrays. */
export function gradientAndWeightSums(
  gradient: ArrayLike<number>,
  kernel: ArrayLike<number>,
): { sumSquares: number; sumAbs: number; weightSquares: number } {
  if (gradient.length !== kernel.length) return { ...normSums(gradient), weightSquares: normSums(kernel).sumSquares };
  let sumSquares = 0;
  let sumAbs = 0;
  let weightSquares = 0;
  for (let i = 0; i < gradient.length; i++) {
    const g = gradient[i];
    const w = kernel[i];
    sumSquares += g * g;
    // Math.abs compiles to a sign mask; a `g < 0 ? -g : g` branch mispredicts on random signs (measured ~4x slower).
    sumAbs += Math.abs(g);
    weightSquares += w * w;
  }
  return { sumSquares, sumAbs, weightSquares };
}

/** Mean, population standard deviation and largest |x| (NaN when any element is NaN). */
export function moments(values: ArrayLike<number>): { mean: number; std: number; maxAbs: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, maxAbs: NaN };
  let sum = 0;
  let maxAbs = 0;
  let sawNaN = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    sum += v;
    // A comparison with NaN is false, so NaN is tracked on its own and must surface as non-finite.
    if (v !== v) sawNaN = true;
    else if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
  }
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    squares += d * d;
  }
  return { mean, std: Math.sqrt(squares / n), maxAbs: sawNaN ? NaN : maxAbs };
}

/** Fraction of units (last axis) whose pre-activation is never above 0 over all other positions. */
export function deadUnitFraction(values: ArrayLike<number>, units: number): number {
  if (units < 1 || values.length === 0) return NaN;
  // Unit by unit with an early exit: a live unit is usually found positive in its first rows, so a healthy layer
  // is read only a few rows deep (a row-major scan reads every element and mispredicts on random signs).
  let alive = 0;
  for (let u = 0; u < units; u++) {
    for (let i = u; i < values.length; i += units) {
      if (values[i] > 0) {
        alive++;
        break;
      }
    }
  }
  return 1 - alive / units;
}

/** Fraction of elements with |x| >= bound. */
export function saturatedFraction(values: ArrayLike<number>, bound: number): number {
  if (values.length === 0) return NaN;
  let saturated = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) >= bound) saturated++;
  return saturated / values.length;
}

/**
 * How much a [rows, columns] tensor varies across its rows (the batch's inputs): the variance over rows of each
 * column, averaged over columns, beside the columns' squared means averaged likewise (population statistics).
 */
export function variationAcrossRows(values: ArrayLike<number>, rows: number): { acrossRows: number; squaredMean: number } {
  const columns = rows > 0 ? Math.floor(values.length / rows) : 0;
  if (columns === 0) return { acrossRows: NaN, squaredMean: NaN };
  const sums = new Float64Array(columns);
  const squares = new Float64Array(columns);
  for (let row = 0, at = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++, at++) {
      const v = values[at];
      sums[column] += v;
      squares[column] += v * v;
    }
  }
  let acrossRows = 0;
  let squaredMean = 0;
  for (let column = 0; column < columns; column++) {
    const mean = sums[column] / rows;
    acrossRows += Math.max(0, squares[column] / rows - mean * mean);
    squaredMean += mean * mean;
  }
  return { acrossRows: acrossRows / columns, squaredMean: squaredMean / columns };
}

/** Fraction of a kernel's output units (its last axis, `units` wide) whose weights equal another unit's (symmetry never broken). */
export function duplicateUnitFraction(values: ArrayLike<number>, units: number): number | null {
  if (units < 2) return null;
  const rows = values.length / units;
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]));
  const quantum = maxAbs * 1e-6 || 1e-30;
  // A numeric hash per unit first (cheap), exact comparison only among units whose hashes collide.
  const quantized = (unit: number, row: number): number => Math.round(values[row * units + unit] / quantum);
  // All units' hashes advance together row by row, so the kernel is read in memory order (not strided by units).
  const hashes = new Int32Array(units).fill(2166136261 | 0);
  for (let row = 0, at = 0; row < rows; row++) {
    for (let unit = 0; unit < units; unit++, at++)
      hashes[unit] = Math.imul(hashes[unit] ^ (Math.round(values[at] / quantum) | 0), 16777619);
  }
  const byHash = new Map<number, number[]>();
  for (let unit = 0; unit < units; unit++) {
    const hash = hashes[unit];
    const bucket = byHash.get(hash);
    if (bucket) bucket.push(unit);
    else byHash.set(hash, [unit]);
  }
  let duplicated = 0;
  for (const bucket of byHash.values()) {
    if (bucket.length < 2) continue;
    for (const unit of bucket) {
      const twin = bucket.some(
        (other) => other !== unit && [...Array(rows).keys()].every((row) => quantized(unit, row) === quantized(other, row)),
      );
      if (twin) duplicated++;
    }
  }
  return duplicated / units;
}
