// Seeded random numbers for the probe, so the same seed gives the same weights, data and numbers.

/** A deterministic uniform generator in [0, 1) (mulberry32: small state, good enough for synthetic data). */
export function seededUniform(seed: number): () => number {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills an array with standard normal draws (Box-Muller on a seeded uniform source). */
export function gaussianArray(uniform: () => number, length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i += 2) {
    const u1 = Math.max(uniform(), 1e-12);
    const u2 = uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    out[i] = radius * Math.cos(2 * Math.PI * u2);
    if (i + 1 < length) out[i + 1] = radius * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/**
 * Runs `body` with Math.random replaced by a seeded generator. TF.js initializers, dropout and random ops
 * without an explicit seed draw their seed from Math.random, and the orthogonal initializer ignores its
 * seed option; seeding Math.random is the one way to make all of them repeatable without editing the model.
 */
export function withSeededMathRandom<T>(seed: number, body: () => T): T {
  const original = Math.random;
  Math.random = seededUniform(seed);
  try {
    return body();
  } finally {
    Math.random = original;
  }
}
