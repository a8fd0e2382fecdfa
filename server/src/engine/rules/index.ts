// The rule registry, sorted by id.
import type { Rule } from './rule';

/** All rules, sorted by id. */
export const RULES: readonly Rule[] = [];
