// One golden IR per Python fixture (test/fixtures/python/<name>.ir.json); the key facts of each idiom are asserted by
// hand in python-torch.test.ts and python-keras.test.ts, so a wrong golden cannot pass unnoticed.
import { test } from 'node:test';
import { checkGolden, PYTHON_FIXTURE_NAMES } from './pythonGolden';

for (const name of PYTHON_FIXTURE_NAMES) {
  test(`golden IR: ${name}`, () => checkGolden(name));
}
