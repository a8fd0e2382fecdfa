// Every example file, cut at each point as if being typed, is analysed without an exception and with in-range findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze } from '../../server/src/engine/analyze';

const EXAMPLES = join(__dirname, '../../../examples');

function exampleFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = join(directory, name);
    if (statSync(full).isDirectory()) return exampleFiles(full);
    return /\.(ts|js|json)$/.test(name) ? [full] : [];
  });
}

/** Cut points: every character of code; for the larger JSON files every 4th character plus every structural character. */
function cutPoints(text: string, isJson: boolean): number[] {
  const points: number[] = [];
  for (let i = 0; i <= text.length; i++) {
    if (!isJson || i % 4 === 0 || i === text.length || '{}[],:"'.includes(text[i - 1] ?? '')) points.push(i);
  }
  return points;
}

test('every prefix of every example analyses without an exception; spans and fixes stay inside the text', () => {
  const files = exampleFiles(EXAMPLES);
  assert.ok(files.length >= 9, 'the examples are there');
  let prefixes = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const name = relative(EXAMPLES, file);
    for (const cut of cutPoints(text, file.endsWith('.json'))) {
      const prefix = text.slice(0, cut);
      let result;
      try {
        result = analyze(prefix, file);
      } catch (error) {
        assert.fail(`${name} cut at ${cut}: ${error instanceof Error ? error.stack : String(error)}`);
      }
      prefixes++;
      for (const diagnostic of result.diagnostics) {
        assert.ok(
          diagnostic.span.start >= 0 && diagnostic.span.start <= diagnostic.span.end && diagnostic.span.end <= cut,
          `${name} cut at ${cut}: ${diagnostic.ruleId} span`,
        );
        for (const edit of diagnostic.fix?.edits ?? []) {
          assert.ok(
            edit.span.start >= 0 && edit.span.start <= edit.span.end && edit.span.end <= cut,
            `${name} cut at ${cut}: ${diagnostic.ruleId} fix`,
          );
        }
      }
    }
    // The whole file holds at least one model (the cut at full length is included above).
    assert.ok(analyze(text, file).models.length >= 1, `${name} holds a model`);
  }
  assert.ok(prefixes > 10_000, `${prefixes} prefixes`);
});
