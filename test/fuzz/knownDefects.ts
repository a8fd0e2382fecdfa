// Defects of issue 11 that the fuzzer finds and that are being fixed elsewhere: each is named, so a failing slice
// or regression is marked `todo` with its defect instead of hiding among unknown failures.
import type { Failure } from './checks';

/** A known defect and how to recognise its failures. */
export interface KnownDefect {
  id: string;
  description: string;
  matches(failure: Failure, text: string): boolean;
}

/**
 * Ordered: the first match names a failure's defect. Fixed defects leave this list (their failures then count as new
 * ones and fail the suite): deep nesting, prototype keys, non-finite numbers in
 * messages and the PyTorch init-scale fix are fixed.
 */
export const KNOWN_DEFECTS: readonly KnownDefect[] = [
  {
    id: 'fix-in-broken-syntax',
    description: 'a fix offered inside half-typed TS (a config cut off in a string or left open) adds a syntax error (found by the fuzzer)',
    matches: (failure) => failure.check === 'fix' && /breaks the syntax/.test(failure.detail),
  },
];

/** The known defect a failure belongs to, or null when it is a new one. */
export function knownDefectOf(failure: Failure, text: string): KnownDefect | null {
  return KNOWN_DEFECTS.find((defect) => defect.matches(failure, text)) ?? null;
}
