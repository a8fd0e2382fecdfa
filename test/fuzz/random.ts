// Seeded randomness of the fuzzer: every input is a pure function of (seed, index), so any one can be made again.

/** A deterministic generator of numbers in [0, 1) with helpers to pick from lists. */
export interface Random {
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
}

/** mulberry32: small, fast and good enough to spread inputs; not for anything secret. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return { next, int, pick: (items) => items[Math.floor(next() * items.length)], chance: (p) => next() < p };
}

/** The seed of input `index` of a run with `seed`, mixed so neighbouring indexes get unrelated streams. */
export function inputSeed(seed: number, index: number): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/** Names that are keys of Object.prototype: a lookup table indexed by user text must not find these. */
export const PROTOTYPE_KEYS = [
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  'isPrototypeOf',
  '__defineGetter__',
];

/** Numbers that break arithmetic written for ordinary configs. */
export const HOSTILE_NUMBERS = ['0', '-1', '1e308', 'NaN', 'Infinity', '-Infinity', '1e-320', '0.5', '-0', '2147483648'];
