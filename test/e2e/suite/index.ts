// Mocha entry the extension host loads (extensionTestsPath): runs every *.test.js beside this file.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

/** Runs the suites; resolves when all passed, rejects with the failure count otherwise. */
export function run(): Promise<void> {
  // MODEL_LINT_E2E_GREP (a regular expression over suite and test titles) runs a part while working on it.
  const grep = process.env.MODEL_LINT_E2E_GREP || undefined;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000, reporter: 'spec', ...(grep ? { grep: new RegExp(grep) } : {}) });
  for (const file of readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The runner's own count: with a grep, the suite's total would count the tests left out too.
      console.log(`${runner.stats?.passes ?? mocha.suite.total() - failures} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} real-editor test(s) failed`));
      else resolve();
    });
  });
}
