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

/** Nodes and weights on [-1, 1] of the n-point Gauss-Legendre rule (Golub-Welsch, weights summing to 2). */
function gaussLegendreUnit(n: number): GaussHermiteRule {
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  for (let k = 1; k < n; k++) offDiagonal[k - 1] = k / Math.sqrt(4 * k * k - 1);
  const firstRow = new Float64Array(n);
  firstRow[0] = 1;
  symmetricTridiagonalEigen(diagonal, offDiagonal, firstRow);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => diagonal[a] - diagonal[b]);
  return {
    nodes: Float64Array.from(order, (i) => diagonal[i]),
    weights: Float64Array.from(order, (i) => 2 * firstRow[i] * firstRow[i]),
  };
}

const LEGENDRE = gaussLegendreUnit(8);
/** Above this standard deviation the Hermite nodes (spacing ~0.35 sd near 0) under-resolve features of width ~1 (tanh'^2 is a peak of width ~1 at 0). */
const HERMITE_MAX_SD = 1.5;
const CORE_PANELS = 32;
const TAIL_PANELS = 12;
const panelRules = new Map<number, GaussHermiteRule>();

/**
 * A rule for E[f(x)], x ~ N(0, q), in x-space: Gauss-Hermite while sqrt(q) <= 1.5, else composite 8-point
 * Gauss-Legendre over [-8 sd, 8 sd] with panels of width <= 0.5 in the core |x| <= 8 (where activations have
 * their kinks and bends; 0 is a panel edge) and wider panels in the tails, where activations are smooth.
 */
export function gaussianRule(q: number): GaussHermiteRule {
  const sd = Math.sqrt(q);
  if (sd <= HERMITE_MAX_SD) {
    const unit = gaussHermiteRule();
    return { nodes: unit.nodes.map((z) => z * sd), weights: unit.weights };
  }
  const cached = panelRules.get(q);
  if (cached) return cached;
  const edges: number[] = [];
  const core = Math.min(8, 8 * sd);
  const outer = 8 * sd;
  for (let i = 0; i <= CORE_PANELS; i++) edges.push(-core + (2 * core * i) / CORE_PANELS);
  for (let i = 1; i <= TAIL_PANELS && outer > core; i++) {
    const edge = core + ((outer - core) * i) / TAIL_PANELS;
    edges.push(edge);
    edges.unshift(-edge);
  }
  const count = (edges.length - 1) * LEGENDRE.nodes.length;
  const nodes = new Float64Array(count);
  const weights = new Float64Array(count);
  const density = 1 / (sd * Math.sqrt(2 * Math.PI));
  let k = 0;
  let total = 0;
  for (let p = 0; p + 1 < edges.length; p++) {
    const half = (edges[p + 1] - edges[p]) / 2;
    const middle = (edges[p + 1] + edges[p]) / 2;
    for (let j = 0; j < LEGENDRE.nodes.length; j++, k++) {
      const x = middle + half * LEGENDRE.nodes[j];
      nodes[k] = x;
      weights[k] = LEGENDRE.weights[j] * half * density * Math.exp((-0.5 * x * x) / q);
      total += weights[k];
    }
  }
  for (let i = 0; i < count; i++) weights[i] /= total; // the mass beyond 8 sd (1e-15) is dropped
  const rule = { nodes, weights };
  if (panelRules.size > 512) panelRules.clear();
  panelRules.set(q, rule);
  return rule;
}

/** E_z[f(sqrt(q) z)] for z ~ N(0, 1): the expectation of f over a centred Gaussian of second moment q. */
export function gaussianExpectation(f: (x: number) => number, q: number): number {
  if (!(q >= 0) || !Number.isFinite(q)) return Number.NaN;
  const { nodes, weights } = gaussianRule(q);
  let sum = 0;
  for (let i = 0; i < nodes.length; i++) sum += weights[i] * f(nodes[i]);
  return sum;
}

/** E_z[f(sqrt(q) z)^2]: the second moment of f over a centred Gaussian of second moment q. */
export function gaussianSecondMoment(f: (x: number) => number, q: number): number {
  if (!(q >= 0) || !Number.isFinite(q)) return Number.NaN;
  const { nodes, weights } = gaussianRule(q);
  let sum = 0;
  for (let i = 0; i < nodes.length; i++) {
    const value = f(nodes[i]);
    sum += weights[i] * value * value;
  }
  return sum;
}
