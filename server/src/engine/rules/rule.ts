// The rule contract: metadata plus a check over one analysed model.
import type { Model } from '../ir';
import type { EngineDiagnostic, ModelSignal, Severity, Thresholds } from '../types';

/** Static description of a rule. */
export interface RuleMeta {
  /** Public id, kebab-case; users put it in settings, never rename. */
  id: string;
  defaultSeverity: Severity;
  /** One-line description. */
  description: string;
  /** 'safe' = has a fix applied by --fix / fix-all; 'suggestion' = only offered; false = none. */
  fixable: 'safe' | 'suggestion' | false;
}

/** What a rule may report: the engine fills ruleId and the configured severity. */
export type RuleReport = Omit<EngineDiagnostic, 'ruleId' | 'severity' | 'suggestions'> & {
  /** Override of the severity for this report (e.g. information when only a library default is involved); the configured severity still applies when the user set one. */
  severity?: Severity;
  suggestions?: EngineDiagnostic['suggestions'];
};

/** Everything a rule sees for one model. */
export interface RuleContext {
  text: string;
  /** Which front end produced the model: fixes write TS/JS syntax or JSON. */
  language: 'typescript' | 'json' | 'python';
  model: Model;
  signal: ModelSignal;
  thresholds: Thresholds;
  report(problem: RuleReport): void;
}

/** A rule: metadata and a check. */
export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}
