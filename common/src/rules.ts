// What the engine, the faces and the VS Code client all know about rules: severities, the thresholds' shape, each rule's docs page.

/** Severity of a reported problem. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';
/** Severity a user may configure for a rule, or 'off'. */
export type SeveritySetting = Severity | 'off';

/** Numeric options of rules and the engine. */
export interface Thresholds {
  /** vanishing-gradient-predicted fires below this ratio. */
  vanishingRatio: number;
  /** exploding-gradient-predicted fires above this ratio. */
  explodingRatio: number;
  /** init-scale-mismatch fires when the per-layer gain is off the ideal by more than this factor. */
  scaleMismatchFactor: number;
}

/** Base address of the rule documentation pages. */
export const DOCS_BASE_URL = 'https://github.com/model-lint/model-lint/blob/main/docs/rules/';

/** Docs page address of a rule, derived from its id. */
export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}
