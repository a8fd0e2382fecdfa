// Defects of issue 11 that the fuzzer finds and that are being fixed elsewhere: each is named, so a failing slice
// or regression is marked `todo` with its defect instead of hiding among unknown failures.
import type { Failure } from './checks';
import { PROTOTYPE_KEYS } from './random';

/** A known defect and how to recognise its failures. */
export interface KnownDefect {
  id: string;
  description: string;
  matches(failure: Failure, text: string): boolean;
}

const PROTOTYPE_KEY_IN_TEXT = new RegExp(`(?:^|[^\\w$])(${PROTOTYPE_KEYS.join('|')})(?![\\w$])`);

/** Ordered: the first match names a failure's defect. The last two were found by this fuzzer, not listed in issue 11. */
export const KNOWN_DEFECTS: readonly KnownDefect[] = [
  {
    id: 'deep-nesting',
    description: 'stack overflow on deeply nested TS or JSON (issue 11: iterative or depth-capped walking)',
    matches: (failure) => /Maximum call stack size exceeded/.test(failure.detail),
  },
  {
    id: 'prototype-keys',
    description: 'a name that is an Object.prototype key found in a lookup table (issue 11: prototype-key lookups)',
    matches: (failure, text) => (failure.check === 'exception' || failure.check === 'message' || failure.check === 'determinism') && PROTOTYPE_KEY_IN_TEXT.test(text)
      && /is not a function|is not iterable|Cannot read propert|\[object|undefined|function /.test(failure.detail),
  },
  {
    id: 'non-finite-numbers',
    description: 'NaN, Infinity or a negative scale in a message (issue 11: invalid-config diagnostics instead of propagation)',
    matches: (failure) => failure.check === 'message',
  },
  {
    id: 'pytorch-init-scale-fix',
    description: "init-scale-mismatch on PyTorch code: the fix's nn.init.xavier_normal_ call is read as a fixed scale and flagged again when fan-in and fan-out differ (found by the fuzzer)",
    matches: (failure) => failure.check === 'fix' && /^init-scale-mismatch fix .*(nn\.init\.|\.normal_\(\)|\.uniform_\(\))/.test(failure.detail),
  },
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
