// Standard normal functions (erf, pdf, cdf) and the variance factor of a normal truncated at ±a std.

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * The error function to ~1e-15. Series erf(x) = 2/sqrt(pi) e^{-x^2} Σ (2x^2)^k x / (1·3·…·(2k+1)):
 * all terms positive (no cancellation); beyond |x| = 6 erf is ±1 in double precision.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return x > 0 ? 1 : -1;
  const twoXSquared = 2 * ax * ax;
  let term = ax;
  let sum = ax;
  for (let k = 1; k < 200; k++) {
    term *= twoXSquared / (2 * k + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  const value = TWO_OVER_SQRT_PI * Math.exp(-ax * ax) * sum;
  return x < 0 ? -value : value;
}

/** Density of N(0, 1). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Distribution function of N(0, 1). */
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

/**
 * Var(X) / sigma^2 for X ~ N(0, sigma^2) conditioned on |X| <= a sigma (resampled outside):
 * 1 - 2 a pdf(a) / (2 cdf(a) - 1). For a = 2 (what TF.js and Keras truncate at) this is 0.7737...
 */
export function truncatedNormalVarianceFactor(a: number): number {
  return 1 - (2 * a * normalPdf(a)) / (2 * normalCdf(a) - 1);
}

/** Both TF.js (`truncatedNormal`) and Keras (`TruncatedNormal`) resample values beyond 2 standard deviations. */
export const TRUNCATION_BOUND = 2;

/** The realized variance of a 2-std truncated normal relative to the std it was given (≈ 0.774). */
export const TRUNCATED_VARIANCE_FACTOR = truncatedNormalVarianceFactor(TRUNCATION_BOUND);

/**
 * Mean and standard deviation of X ~ N(mean, std^2) conditioned on lower <= X <= upper (absolute bounds, as PyTorch's
 * `trunc_normal_` takes them); null when std is not positive or the interval holds no probability mass.
 */
export function truncatedNormalMoments(mean: number, std: number, lower: number, upper: number): { mean: number; stddev: number } | null {
  if (!(std > 0) || !(upper > lower)) return null;
  const alpha = (lower - mean) / std;
  const beta = (upper - mean) / std;
  const mass = normalCdf(beta) - normalCdf(alpha);
  if (!(mass > 0)) return null;
  // x·pdf(x) is 0 at ±infinity, where the product would be NaN.
  const xPdf = (x: number): number => (Number.isFinite(x) ? x * normalPdf(x) : 0);
  const shift = (normalPdf(alpha) - normalPdf(beta)) / mass;
  const varianceFactor = 1 + (xPdf(alpha) - xPdf(beta)) / mass - shift * shift;
  return { mean: mean + std * shift, stddev: std * Math.sqrt(Math.max(0, varianceFactor)) };
}
