// Pure text edits: applies safe fixes to a text (used by the CLI's --fix and the server's fix-all).
import type { Span } from './ir';
import type { EngineDiagnostic, Fix, TextEdit } from './types';

/** The smallest span covering every edit of a fix (an insertion-only fix yields an empty span). */
export function fixSpan(fix: Fix): Span {
  let start = Infinity;
  let end = -Infinity;
  for (const edit of fix.edits) {
    start = Math.min(start, edit.span.start);
    end = Math.max(end, edit.span.end);
  }
  return fix.edits.length === 0 ? { start: 0, end: 0 } : { start, end };
}

/**
 * Applies non-overlapping edits to a text. Edits are applied from the end so earlier offsets stay valid;
 * throws when two edits overlap, because the result would depend on their order.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].span.start < sorted[i - 1].span.end) {
      throw new Error(`overlapping edits at offsets ${sorted[i - 1].span.start}-${sorted[i - 1].span.end} and ${sorted[i].span.start}-${sorted[i].span.end}`);
    }
  }
  let result = text;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const { span, text: replacement } = sorted[i];
    result = result.slice(0, span.start) + replacement + result.slice(span.end);
  }
  return result;
}

/** One edit equivalent to a whole fix: its covering span, replaced by that span's text with all edits applied. */
export function mergeFixEdits(text: string, fix: Fix): TextEdit {
  if (fix.edits.length === 1) return fix.edits[0];
  const span = fixSpan(fix);
  const shifted = fix.edits.map((edit) => ({ span: { start: edit.span.start - span.start, end: edit.span.end - span.start }, text: edit.text }));
  return { span, text: applyEdits(text.slice(span.start, span.end), shifted) };
}

function spansConflict(a: Span, b: Span): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  // Two edits touching at one offset where one is an insertion: their relative order is ambiguous.
  const touching = a.end === b.start || b.end === a.start;
  return touching && (a.start === a.end || b.start === b.end);
}

/** Result of applying one round of fixes. */
export interface AppliedFixes {
  text: string;
  applied: Fix[];
  /** Fixes left out because they overlap one applied earlier; a later pass may apply them. */
  skipped: Fix[];
}

/** Applies as many fixes as do not conflict with each other, in text order. Fixes with no edit are ignored. */
export function applyFixes(text: string, fixes: readonly Fix[]): AppliedFixes {
  const ordered = fixes
    .filter((fix) => fix.edits.length > 0)
    .map((fix) => ({ fix, span: fixSpan(fix) }))
    .sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  const takenSpans: Span[] = [];
  const edits: TextEdit[] = [];
  for (const { fix, span } of ordered) {
    const ownEditsOverlap = fix.edits.some((edit, i) => fix.edits.some((other, j) => i < j && edit.span.start < other.span.end && other.span.start < edit.span.end));
    if (ownEditsOverlap || takenSpans.some((taken) => spansConflict(taken, span))) {
      skipped.push(fix);
      continue;
    }
    takenSpans.push(span);
    applied.push(fix);
    edits.push(...fix.edits);
  }
  return { text: applyEdits(text, edits), applied, skipped };
}

/** Outcome of fixing a text until no safe fix is left. */
export interface FixLoopResult {
  text: string;
  /** Number of fixes applied over all passes. */
  fixCount: number;
  /** Passes that applied at least one fix. */
  passes: number;
  /** Diagnostics of the final text. */
  diagnostics: EngineDiagnostic[];
}

/**
 * Applies every safe fix, re-analysing after each pass (a fix may change what other rules see),
 * until nothing is left to fix, the text stops changing, or maxPasses is reached.
 */
export function fixUntilStable(text: string, diagnose: (text: string) => EngineDiagnostic[], maxPasses = 10): FixLoopResult {
  let current = text;
  let fixCount = 0;
  let passes = 0;
  let diagnostics = diagnose(current);
  while (passes < maxPasses) {
    const fixes = diagnostics.map((d) => d.fix).filter((fix): fix is Fix => fix !== null);
    if (fixes.length === 0) break;
    const round = applyFixes(current, fixes);
    if (round.applied.length === 0 || round.text === current) break;
    current = round.text;
    fixCount += round.applied.length;
    passes++;
    diagnostics = diagnose(current);
  }
  return { text: current, fixCount, passes, diagnostics };
}
