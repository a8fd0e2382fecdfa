// Pure text edits: applies safe fixes to a text (CLI --fix, the server's fix-all) and, on request, suggestions (the probe's what-if).
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
      throw new Error(
        `overlapping edits at offsets ${sorted[i - 1].span.start}-${sorted[i - 1].span.end} and ${sorted[i].span.start}-${sorted[i].span.end}`,
      );
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
  const shifted = fix.edits.map((edit) => ({
    span: { start: edit.span.start - span.start, end: edit.span.end - span.start },
    text: edit.text,
  }));
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
    const ownEditsOverlap = fix.edits.some((edit, i) =>
      fix.edits.some((other, j) => i < j && edit.span.start < other.span.end && other.span.start < edit.span.end),
    );
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

/** One change the fix loop applied: a rule's safe fix, or a suggestion (a design change the user has to accept). */
export interface AppliedChange {
  ruleId: string;
  title: string;
  kind: 'safe fix' | 'suggestion';
}

/** What the fix loop may apply beyond safe fixes. */
export interface FixLoopOptions {
  /**
   * Also apply a problem's first suggestion when it has no safe fix. Suggestions change the model's design, so this
   * is for what-if comparisons (the probe's fixed variant), never for fix-on-save or --fix.
   */
  includeSuggestions?: boolean;
}

/** Outcome of fixing a text until no fix (or suggestion, when included) is left. */
export interface FixLoopResult {
  text: string;
  /** Number of fixes applied over all passes. */
  fixCount: number;
  /** Passes that applied at least one fix. */
  passes: number;
  /** Diagnostics of the final text. */
  diagnostics: EngineDiagnostic[];
  /** Every change applied, in pass order, labelled safe fix or suggestion. */
  applied: AppliedChange[];
}

/** The change a problem gets from the loop: its safe fix, else (when allowed) its first suggestion. */
function changeFor(diagnostic: EngineDiagnostic, includeSuggestions: boolean): Fix | null {
  return diagnostic.fix ?? (includeSuggestions ? (diagnostic.suggestions[0] ?? null) : null);
}

/**
 * Applies every safe fix, re-analysing after each pass (a fix may change what other rules see),
 * until nothing is left to fix, the text stops changing, or maxPasses is reached.
 */
export function fixUntilStable(
  text: string,
  diagnose: (text: string) => EngineDiagnostic[],
  maxPasses = 10,
  options: FixLoopOptions = {},
): FixLoopResult {
  const includeSuggestions = options.includeSuggestions === true;
  let current = text;
  let passes = 0;
  const applied: AppliedChange[] = [];
  let diagnostics = diagnose(current);
  while (passes < maxPasses) {
    const sourceOf = new Map<Fix, EngineDiagnostic>();
    for (const diagnostic of diagnostics) {
      const change = changeFor(diagnostic, includeSuggestions);
      if (change !== null && !sourceOf.has(change)) sourceOf.set(change, diagnostic);
    }
    if (sourceOf.size === 0) break;
    const round = applyFixes(current, [...sourceOf.keys()]);
    if (round.applied.length === 0 || round.text === current) break;
    for (const fix of round.applied) {
      const source = sourceOf.get(fix)!;
      applied.push({ ruleId: source.ruleId, title: fix.title, kind: source.fix === fix ? 'safe fix' : 'suggestion' });
    }
    current = round.text;
    passes++;
    diagnostics = diagnose(current);
  }
  return { text: current, fixCount: applied.length, passes, diagnostics, applied };
}
