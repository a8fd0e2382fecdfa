// Checks that what the engine says to a person can be read: no NaN, Infinity, undefined, [object …] or source code of a
// function in a message, spans inside the text, and no function smuggled into a layer's config.
import assert from 'node:assert/strict';
import type { ConfigValue } from '../../server/src/engine/ir';
import type { AnalysisResult } from '../../server/src/engine/types';

/** Words that mean a number or a value leaked into a message unformatted. */
export const UNREADABLE = /NaN|infinity|undefined|\[object|variance (of )?-\d|second moment (of )?-\d/i;

/** A message with its quotes of the user's own code ('…') taken out: those may say anything. */
function ownWords(message: string): string {
  return message.replace(/'[^'\n]*'/g, "''");
}

function assertPlainValue(value: ConfigValue | undefined, where: string, depth = 0): void {
  if (depth > 50 || value === undefined || value === null) return;
  assert.notEqual(typeof value, 'function', `${where} holds a function`);
  if (typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) assertPlainValue(child as ConfigValue, `${where}.${key}`, depth + 1);
}

/** Asserts that every message, note and span of an analysis is readable and in range, and configs hold only data. */
export function assertReadable(result: AnalysisResult, text: string, label: string): void {
  for (const d of result.diagnostics) {
    assert.doesNotMatch(ownWords(d.message), UNREADABLE, `${label}: ${d.ruleId}: ${d.message}`);
    assert.ok(
      d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length,
      `${label}: span of ${d.ruleId} out of the text`,
    );
  }
  for (const note of result.notes) {
    assert.doesNotMatch(ownWords(note.message), UNREADABLE, `${label}: note: ${note.message}`);
    if (note.span) assert.ok(note.span.start >= 0 && note.span.end <= text.length, `${label}: note span out of the text`);
  }
  for (const { model, signal } of result.models) {
    for (const note of [...model.notes, ...signal.notes]) assert.doesNotMatch(ownWords(note), UNREADABLE, `${label}: model note: ${note}`);
    for (const layer of model.layers) {
      assert.ok(
        layer.activation.name === null || typeof layer.activation.name === 'string',
        `${label}: activation of ${layer.name} is not a name`,
      );
      assertPlainValue(layer.config as ConfigValue, `${label}: ${layer.name} config`);
    }
    for (const s of signal.layers) {
      assert.ok(
        !(s.forwardVariance < 0) && s.forwardVariance !== Infinity,
        `${label}: forward variance ${s.forwardVariance} of ${s.layerId}`,
      );
    }
  }
}
