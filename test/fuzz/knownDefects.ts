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
 * Ordered: the first match names a failure's defect. Fixed defects leave this list, so their failures count as new
 * ones and fail the suite. Every defect the fuzzer found so far is fixed (deep nesting, prototype keys, non-finite
 * numbers in messages, the PyTorch init-scale fix, fixes inside half-typed TS configs): the list is empty.
 */
export const KNOWN_DEFECTS: readonly KnownDefect[] = [];

/** The known defect a failure belongs to, or null when it is a new one. */
export function knownDefectOf(failure: Failure, text: string): KnownDefect | null {
  return KNOWN_DEFECTS.find((defect) => defect.matches(failure, text)) ?? null;
}
