// The rule registry, sorted by id.
import type { Rule } from './rule';
import { rule as explodingGradientPredicted } from './exploding-gradient-predicted';
import { rule as glorotWithRelu } from './glorot-with-relu';
import { rule as heWithSaturating } from './he-with-saturating';
import { rule as initScaleMismatch } from './init-scale-mismatch';
import { rule as lstmForgetBias } from './lstm-forget-bias';
import { rule as recurrentInit } from './recurrent-init';
import { rule as seluWithoutLecun } from './selu-without-lecun';
import { rule as symmetricInit } from './symmetric-init';
import { rule as vanishingGradientPredicted } from './vanishing-gradient-predicted';

/** All rules, sorted by id. */
export const RULES: readonly Rule[] = [
  explodingGradientPredicted,
  glorotWithRelu,
  heWithSaturating,
  initScaleMismatch,
  lstmForgetBias,
  recurrentInit,
  seluWithoutLecun,
  symmetricInit,
  vanishingGradientPredicted,
];

/** The rule with this id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
