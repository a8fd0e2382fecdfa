// Gaussian expectations by Gauss-Hermite quadrature, nodes computed once (Golub-Welsch) and cached.

/** Nodes and weights of a probabilists' Gauss-Hermite rule: E_z[f(z)] ≈ Σ w_i f(x_i), z ~ N(0, 1), Σ w_i = 1. */
export interface GaussHermiteRule {
  nodes: Float64Array;
  weights: Float64Array;
}

/** Default node count: exact for polynomials up to degree 95, and fine for the kinks of relu-like functions. */
export const DEFAULT_NODE_COUNT = 48;

const rules = new Map<number, GaussHermiteRule>();

/**
 * The n-point rule for the standard normal weight. Golub-Welsch: the nodes are the eigenvalues of the
 * Jacobi matrix of the monic probabilists' Hermite recurrence (zero diagonal, off-diagonal sqrt(k)), and each
 * weight is the squared first component of the normalized eigenvector (the weight function has total mass 1).
 */
export function gaussHermiteRule(n: number = DEFAULT_NODE_COUNT): GaussHermiteRule {
  const cached = rules.get(n);
  if (cached) return cached;
  if (!Number.isInteger(n) || n < 1 || n > 400) throw new RangeError(`node count must be an integer in 1..400, got ${n}`);
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n); // offDiagonal[i] couples i and i+1; the last entry stays 0
  for (let k = 1; k < n; k++) offDiagonal[k - 1] = Math.sqrt(k);
  const firstRow = new Float64Array(n);
  firstRow[0] = 1;
  symmetricTridiagonalEigen(diagonal, offDiagonal, firstRow);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => diagonal[a] - diagonal[b]);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  let total = 0;
  order.forEach((from, to) => {
    nodes[to] = diagonal[from];
    weights[to] = firstRow[from] * firstRow[from];
    total += weights[to];
  });
  for (let i = 0; i < n; i++) weights[i] /= total; // removes the rounding drift of the rotations
  const rule = { nodes, weights };
  rules.set(n, rule);
  return rule;
}

/**
 * Implicit QL with Wilkinson shifts on a symmetric tridiagonal matrix, in place: `diagonal` ends as the
 * eigenvalues. Only the first row of the eigenvector matrix is needed for the weights, so only that row
 * (`firstRow`, starting as e_1) receives the rotations: O(n^2) instead of O(n^3).
 */
function symmetricTridiagonalEigen(diagonal: Float64Array, offDiagonal: Float64Array, firstRow: Float64Array): void {
  const n = diagonal.length;
  for (let l = 0; l < n; l++) {
    for (let iteration = 0; ; iteration++) {
      let m = l;
      for (; m < n - 1; m++) {
        const scale = Math.abs(diagonal[m]) + Math.abs(diagonal[m + 1]);
        if (Math.abs(offDiagonal[m]) <= Number.EPSILON * scale) break;
      }
      if (m === l) break;
      if (iteration > 60) throw new Error('Gauss-Hermite eigenvalue iteration did not converge');
      let g = (diagonal[l + 1] - diagonal[l]) / (2 * offDiagonal[l]);
      let r = Math.hypot(g, 1);
      g = diagonal[m] - diagonal[l] + offDiagonal[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * offDiagonal[i];
        const b = c * offDiagonal[i];
        r = Math.hypot(f, g);
        offDiagonal[i + 1] = r;
        if (r === 0) {
          diagonal[i + 1] -= p;
          offDiagonal[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = diagonal[i + 1] - p;
        r = (diagonal[i] - g) * s + 2 * c * b;
        p = s * r;
        diagonal[i + 1] = g + p;
        g = c * r - b;
        const next = firstRow[i + 1];
        firstRow[i + 1] = s * firstRow[i] + c * next;
        firstRow[i] = c * firstRow[i] - s * next;
      }
      if (deflated) continue;
      diagonal[l] -= p;
      offDiagonal[l] = g;
      offDiagonal[m] = 0;
    }
  }
}

/** E_z[f(sqrt(q) z)] for z ~ N(0, 1): the expectation of f over a centred Gaussian of second moment q. */
export function gaussianExpectation(f: (x: number) => number, q: number, rule: GaussHermiteRule = gaussHermiteRule()): number {
  if (!(q >= 0)) return Number.NaN;
  const { nodes, weights } = rule;
  const sd = Math.sqrt(q);
  let sum = 0;
  for (let i = 0; i < nodes.length; i++) sum += weights[i] * f(sd * nodes[i]);
  return sum;
}

/** E_z[f(sqrt(q) z)^2]: the second moment of f over a centred Gaussian of second moment q. */
export function gaussianSecondMoment(f: (x: number) => number, q: number, rule: GaussHermiteRule = gaussHermiteRule()): number {
  if (!(q >= 0)) return Number.NaN;
  const { nodes, weights } = rule;
  const sd = Math.sqrt(q);
  let sum = 0;
  for (let i = 0; i < nodes.length; i++) {
    const value = f(sd * nodes[i]);
    sum += weights[i] * value * value;
  }
  return sum;
}
