// Table-driven rule tests: runs analyze() with one rule on, checks ranges and messages, applies fixes, re-parses and re-lints.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ts from 'typescript';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { parsePythonTree } from '../../../server/src/engine/frontends/python/syntax';
import { analyze } from '../../../server/src/engine/analyze';
import { applyEdits, applyFixes } from '../../../server/src/engine/applyFixes';
import { RULES } from '../../../server/src/engine/rules';
import type { AnalyzeOptions, EngineDiagnostic, Severity, Thresholds } from '../../../server/src/engine/types';

/** One problem an invalid case expects, in text order. */
export interface ExpectedProblem {
  /** The exact flagged source text. */
  text: string;
  /** 1-based line of the range start. */
  line: number;
  /** 1-based column of the range start, when the case wants to pin it. */
  column?: number;
  /** Parts the message must contain (the numbers and the advice). */
  message?: (string | RegExp)[];
  severity?: Severity;
}

/** A snippet the rule must flag. `output` is the text after every safe fix; null when the rule offers no safe fix here. */
export interface InvalidCase {
  name: string;
  fileName: string;
  code: string;
  errors: ExpectedProblem[];
  output: string | null;
  thresholds?: Partial<Thresholds>;
}

/** A snippet the rule must not flag. */
export interface ValidCase {
  name: string;
  fileName: string;
  code: string;
  thresholds?: Partial<Thresholds>;
}

/** Options that turn every rule off except `ruleId`. */
export function onlyRule(ruleId: string, thresholds?: Partial<Thresholds>): AnalyzeOptions {
  const rules: Record<string, 'off'> = {};
  for (const rule of RULES) if (rule.meta.id !== ruleId) rules[rule.meta.id] = 'off';
  return { rules, thresholds };
}

/** Diagnostics of one rule on a text. */
export function lintWith(ruleId: string, code: string, fileName: string, thresholds?: Partial<Thresholds>): EngineDiagnostic[] {
  return analyze(code, fileName, onlyRule(ruleId, thresholds)).diagnostics.filter((d) => d.ruleId === ruleId);
}

/** Syntax errors of a text as its language sees them: TypeScript's parse diagnostics, or JSON parse errors. */
export function syntaxErrors(code: string, fileName: string): string[] {
  if (/\.py$/i.test(fileName)) {
    const errors: string[] = [];
    parsePythonTree(code).iterate({
      enter: (node) => {
        if (node.type.isError) errors.push(`Python syntax error at ${node.from}`);
      },
    });
    return errors;
  }
  if (/\.json$/i.test(fileName)) {
    try {
      JSON.parse(code);
      return [];
    } catch (error) {
      const errors: ParseError[] = [];
      parseJsonc(code, errors, { allowTrailingComma: true });
      return [`JSON.parse: ${(error as Error).message}`, ...errors.map((e) => `jsonc error ${e.error} at ${e.offset}`)];
    }
  }
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** 1-based line and column of an offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function checkProblem(code: string, actual: EngineDiagnostic, expected: ExpectedProblem, label: string): void {
  assert.equal(code.slice(actual.span.start, actual.span.end), expected.text, `${label}: flagged text`);
  const position = positionOf(code, actual.span.start);
  assert.equal(position.line, expected.line, `${label}: line`);
  if (expected.column !== undefined) assert.equal(position.column, expected.column, `${label}: column`);
  if (expected.severity) assert.equal(actual.severity, expected.severity, `${label}: severity`);
  for (const part of expected.message ?? []) {
    if (typeof part === 'string')
      assert.ok(actual.message.includes(part), `${label}: message lacks ${JSON.stringify(part)}:\n${actual.message}`);
    else assert.match(actual.message, part, `${label}: message`);
  }
}

/** Checks that a fixed text parses as cleanly as the original did. */
function assertParses(original: string, fixed: string, fileName: string, label: string): void {
  const before = syntaxErrors(original, fileName).length;
  const after = syntaxErrors(fixed, fileName);
  assert.ok(after.length <= before, `${label}: the fixed text has syntax errors: ${after.join('; ')}\n${fixed}`);
}

/** Registers node:test cases for one rule's tables. */
export function runRuleTests(ruleId: string, tables: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    test('is registered', () => {
      assert.ok(
        RULES.some((rule) => rule.meta.id === ruleId),
        `${ruleId} is not in the registry`,
      );
    });

    for (const item of tables.valid) {
      test(`valid: ${item.name}`, () => {
        const result = analyze(item.code, item.fileName, onlyRule(ruleId, item.thresholds));
        assert.ok(result.models.length > 0, 'the snippet must hold a model, or the case proves nothing');
        const found = result.diagnostics.filter((d) => d.ruleId === ruleId);
        assert.deepEqual(
          found.map((d) => d.message),
          [],
          'expected no problem',
        );
      });
    }

    for (const item of tables.invalid) {
      test(`invalid: ${item.name}`, () => {
        assert.deepEqual(syntaxErrors(item.code, item.fileName), [], 'the case itself must parse');
        const found = lintWith(ruleId, item.code, item.fileName, item.thresholds);
        assert.equal(found.length, item.errors.length, `problem count; got:\n${found.map((d) => d.message).join('\n')}`);
        found.forEach((actual, i) => {
          checkProblem(item.code, actual, item.errors[i], `problem ${i + 1}`);
          assert.ok(actual.message.length > 40, 'a message says what, why and what to use');
        });

        // Every suggestion must also leave a text that parses.
        for (const suggestion of found.flatMap((d) => d.suggestions)) {
          assertParses(item.code, applyEdits(item.code, suggestion.edits), item.fileName, `suggestion "${suggestion.title}"`);
        }

        const fixes = found.map((d) => d.fix).filter((fix) => fix !== null);
        if (item.output === null) {
          assert.equal(fixes.length, 0, 'no safe fix expected');
          return;
        }
        const { text: fixed, skipped } = applyFixes(item.code, fixes);
        assert.equal(skipped.length, 0, 'fixes of one case must not overlap');
        assert.equal(fixed, item.output, 'text after the fix');
        assertParses(item.code, fixed, item.fileName, 'fix');
        const after = lintWith(ruleId, fixed, item.fileName, item.thresholds);
        const unfixable = found.filter((d) => d.fix === null).length;
        assert.equal(after.length, unfixable, `the fixed problems must be gone; left:\n${after.map((d) => d.message).join('\n')}`);
      });
    }
  });
}

/** A TF.js sequential model in a TS file, one layer expression per line (line 4 is the first layer). */
export function tsSequential(...layers: string[]): string {
  return `import * as tf from '@tensorflow/tfjs';\n\nconst model = tf.sequential({layers: [\n${layers.map((l) => `  ${l},`).join('\n')}\n]});\n`;
}

/** A Keras 2 Sequential model.to_json() text, one layer object per line (line 6 is the first layer). */
export function keras2Sequential(...layers: string[]): string {
  return `{\n  "class_name": "Sequential",\n  "config": {\n    "name": "model",\n    "layers": [\n${layers.map((l) => `      ${l}`).join(',\n')}\n    ]\n  },\n  "keras_version": "2.15.0",\n  "backend": "tensorflow"\n}\n`;
}

/** A Keras 3 Sequential model JSON text, one layer object per line (line 7 is the first layer). */
export function keras3Sequential(...layers: string[]): string {
  return `{\n  "module": "keras",\n  "class_name": "Sequential",\n  "config": {\n    "name": "model",\n    "layers": [\n${layers.map((l) => `      ${l}`).join(',\n')}\n    ]\n  },\n  "registered_name": null\n}\n`;
}

/** A TF.js model.json (modelTopology) text, one layer object per line (line 8 is the first layer). */
export function tfjsModelJson(...layers: string[]): string {
  return `{\n  "format": "layers-model",\n  "generatedBy": "TensorFlow.js tfjs-layers v4.22.0",\n  "modelTopology": {\n    "class_name": "Sequential",\n    "config": {\n      "name": "model", "layers": [\n${layers.map((l) => `        ${l}`).join(',\n')}\n      ]\n    }\n  },\n  "weightsManifest": []\n}\n`;
}
