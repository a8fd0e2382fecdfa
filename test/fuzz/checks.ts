// The fuzzer's checks of one input: no exception, spans inside the text, readable numbers in messages, fixes that
// re-parse and remove their own problem, and the same result twice.
import { performance } from 'node:perf_hooks';
import { analyze } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/applyFixes';
import type { AnalysisResult, EngineDiagnostic } from '../../server/src/engine/types';
import { syntaxErrors } from '../engine/rules/ruleTester';

/** Which check an input failed. `hang` and `crash` are decided by the worker pool, the others here. */
export type CheckName = 'exception' | 'hang' | 'crash' | 'span' | 'message' | 'fix' | 'determinism';

/** One failed check with what was seen. */
export interface Failure {
  check: CheckName;
  detail: string;
}

/** What checking one input found. */
export interface CheckResult {
  failures: Failure[];
  /** Wall time of the first analyze() call. */
  analysisMs: number;
  diagnostics: number;
  fixesChecked: number;
}

/** Fixes re-linted per input; each costs one more analysis, and the first few show a broken fix as well as all. */
const MAX_FIXES_CHECKED = 8;
const WORDS_NO_ONE_CAN_READ = /\bNaN\b|infinity|\bundefined\b|\[object/i;
const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;
/** Quoted text is the user's own (a layer name, a value the message repeats), not a number the engine computed. */
const QUOTED = /(?<![\w'])'[^'\n]*'(?![\w'])|"[^"\n]*"|`[^`\n]*`|‘[^’\n]*’|“[^”\n]*”/g;

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The first frame names the function; only the file's base name is kept, never a folder of this machine.
  const frame = (
    error.stack
      ?.split('\n')
      .find((line) => line.trim().startsWith('at '))
      ?.trim() ?? ''
  ).replace(/(\(|at )[^()]*[\\/]([^\\/()]+:\d+:\d+)/, '$1$2');
  return `${error.name}: ${error.message} ${frame}`.trim();
}

/** Every span anywhere in the result (diagnostics, fixes, notes, the IR) must lie inside the text. */
function checkSpans(result: AnalysisResult, length: number, failures: Failure[]): void {
  const stack: { value: unknown; path: string }[] = [{ value: result, path: 'result' }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (typeof record.start === 'number' && typeof record.end === 'number') {
      const { start, end } = record as { start: number; end: number };
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > length) {
        failures.push({ check: 'span', detail: `${path} = ${start}..${end} outside 0..${length}` });
        if (failures.length > 20) return;
      }
    }
    for (const [key, child] of Object.entries(record)) {
      if (child !== null && typeof child === 'object')
        stack.push({ value: child, path: Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}` });
    }
  }
}

/** Messages and fix titles shown to a person: no NaN, Infinity, undefined or [object, every number finite. */
function checkMessages(result: AnalysisResult, failures: Failure[]): void {
  const shown: string[] = [
    ...result.diagnostics.flatMap((d) => [d.message, d.fix?.title ?? '', ...d.suggestions.map((s) => s.title)]),
    ...result.notes.map((note) => note.message),
  ];
  for (const text of shown) {
    if (typeof text !== 'string') {
      failures.push({ check: 'message', detail: `a message is ${typeof text}, not text` });
      continue;
    }
    const problem = unreadablePart(text);
    if (problem) failures.push({ check: 'message', detail: `${problem} in: ${text}` });
  }
}

/** What makes a message unreadable (`"NaN"`, `non-finite number 1e999`), or null; quoted text is the user's and is skipped. */
export function unreadablePart(message: string): string | null {
  const unquoted = message.replace(QUOTED, "''");
  const word = WORDS_NO_ONE_CAN_READ.exec(unquoted);
  if (word) return `"${word[0]}"`;
  const badNumber = [...unquoted.matchAll(NUMBER)].find((m) => !Number.isFinite(Number.parseFloat(m[0])));
  return badNumber ? `non-finite number ${badNumber[0]}` : null;
}

/** How many problems a rule reports on a layer: the identity of "that diagnostic" across a re-lint, where spans move. */
function countOf(diagnostics: readonly EngineDiagnostic[], target: EngineDiagnostic): number {
  return diagnostics.filter((d) => d.ruleId === target.ruleId && d.layerId === target.layerId && d.modelName === target.modelName).length;
}

function checkFixes(text: string, fileName: string, result: AnalysisResult, failures: Failure[]): number {
  const fixable = result.diagnostics.filter((d) => d.fix !== null).slice(0, MAX_FIXES_CHECKED);
  if (fixable.length === 0) return 0;
  const baseErrors = syntaxErrors(text, fileName).length;
  for (const diagnostic of fixable) {
    const label = `${diagnostic.ruleId} fix "${diagnostic.fix?.title}"`;
    try {
      const fixed = applyEdits(text, diagnostic.fix?.edits ?? []);
      const errors = syntaxErrors(fixed, fileName);
      if (errors.length > baseErrors) {
        failures.push({ check: 'fix', detail: `${label} breaks the syntax: ${errors[0]}` });
        continue;
      }
      const after = analyze(fixed, fileName);
      if (countOf(after.diagnostics, diagnostic) !== countOf(result.diagnostics, diagnostic) - 1) {
        failures.push({ check: 'fix', detail: `${label} does not remove its problem: ${diagnostic.message}` });
      }
    } catch (error) {
      failures.push({ check: 'exception', detail: `after ${label}: ${errorText(error)}` });
    }
  }
  return fixable.length;
}

/**
 * The path of the first difference between two results, or null when they are equal (NaN equals NaN). Iterative,
 * so the IR of a deeply nested model cannot overflow the checker's own stack.
 */
function firstDifference(first: unknown, second: unknown): string | null {
  const stack: [unknown, unknown, string][] = [[first, second, 'result']];
  while (stack.length > 0) {
    const [a, b, path] = stack.pop() as [unknown, unknown, string];
    if (Object.is(a, b)) continue;
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return `${path}: ${String(a)} then ${String(b)}`;
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    if (keysA.join() !== keysB.join()) return `${path}: keys ${keysA.join()} then ${keysB.join()}`;
    for (const key of keysA) stack.push([(a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`]);
  }
  return null;
}

/** Runs every check on one input. Never throws: what goes wrong is a failure in the result. */
export function checkInput(text: string, fileName: string): CheckResult {
  const failures: Failure[] = [];
  const start = performance.now();
  let result: AnalysisResult;
  try {
    result = analyze(text, fileName);
  } catch (error) {
    return {
      failures: [{ check: 'exception', detail: errorText(error) }],
      analysisMs: performance.now() - start,
      diagnostics: 0,
      fixesChecked: 0,
    };
  }
  const analysisMs = performance.now() - start;
  checkSpans(result, text.length, failures);
  checkMessages(result, failures);
  const fixesChecked = checkFixes(text, fileName, result, failures);
  try {
    const difference = firstDifference(result, analyze(text, fileName));
    if (difference !== null) failures.push({ check: 'determinism', detail: `the second analysis differs at ${difference}` });
  } catch (error) {
    failures.push({ check: 'exception', detail: `second analysis: ${errorText(error)}` });
  }
  return { failures, analysisMs, diagnostics: result.diagnostics.length, fixesChecked };
}

/** A failure's kind without the numbers and names of one input, so the same defect found twice is saved once. */
export function failureSignature(failure: Failure): string {
  const detail = failure.detail
    .replace(QUOTED, "''")
    .replace(/\([^()]*:\d+:\d+\)/g, '')
    .replace(NUMBER, '#');
  return `${failure.check}: ${detail}`.slice(0, 200);
}

/**
 * A failure's family, coarser than its signature: the check and what went wrong, without the message around it
 * (a message's offending word, an exception's type and text). Minimizing keeps the family, and a run saves one
 * input per family.
 */
export function failureFamily(failure: Failure): string {
  if (failure.check === 'message') return `message: ${/^"([^"]+)"|^non-finite number/.exec(failure.detail)?.[1] ?? 'non-finite number'}`;
  if (failure.check === 'exception' || failure.check === 'crash') {
    return `${failure.check}: ${failure.detail
      .replace(/ at .*$/, '')
      .replace(QUOTED, "''")
      .replace(NUMBER, '#')}`.slice(0, 160);
  }
  if (failure.check === 'fix')
    return `fix: ${failure.detail.split(' ')[0]} ${/breaks the syntax/.test(failure.detail) ? 'breaks the syntax' : 'keeps its problem'}`;
  return failure.check;
}
