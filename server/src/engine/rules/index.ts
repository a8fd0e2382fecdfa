// The rule registry, sorted by id.
import type { Rule } from './rule';
import { rule as explodingGradientPredicted } from './exploding-gradient-predicted';
import { rule as glorotWithRelu } from './glorot-with-relu';
import { rule as heWithSaturating } from './he-with-saturating';
import { rule as initScaleMismatch } from './init-scale-mismatch';
import { rule as inputSignalLost } from './input-signal-lost';
import { rule as invalidConfig } from './invalid-config';
import { rule as lstmForgetBias } from './lstm-forget-bias';
import { rule as recurrentInit } from './recurrent-init';
import { rule as seluWithoutLecun } from './selu-without-lecun';
import { rule as symmetricInit } from './symmetric-init';
import { rule as vanishingGradientPredicted } from './vanishing-gradient-predicted';

/**
 * A rule whose reports on one span are kept once per model: a layer written once inside a loop is unrolled into
 * several IR layers with the same source span, and one problem (with one fix) at that place is enough.
 */
function oncePerSpan(rule: Rule): Rule {
  return {
    meta: rule.meta,
    check(context) {
      const seen = new Set<string>();
      rule.check({
        ...context,
        report(problem) {
          const key = `${problem.span.start}:${problem.span.end}`;
          if (seen.has(key)) return;
          seen.add(key);
          context.report(problem);
        },
      });
    },
  };
}

/** All rules, sorted by id. */
export const RULES: readonly Rule[] = [
  explodingGradientPredicted,
  glorotWithRelu,
  heWithSaturating,
  initScaleMismatch,
  inputSignalLost,
  invalidConfig,
  lstmForgetBias,
  recurrentInit,
  seluWithoutLecun,
  symmetricInit,
  vanishingGradientPredicted,
].map(oncePerSpan);

/** The rule with this id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
