// Replays every minimized input the fuzzer saved (test/fuzz/regressions/*.json) through the fuzzer's checks, in a
// worker with the same deadline. A record whose `defect` names a known defect of issue 11 still being fixed runs as
// `todo`; once that defect is fixed and the case passes, drop the record's `defect` so it guards for good.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWN_DEFECTS } from './knownDefects';
import { CheckPool } from './pool';

const regressions = join(__dirname, '..', '..', '..', 'test', 'fuzz', 'regressions');

/** A saved failing input, as the fuzzer writes it. */
interface Regression {
  fileName: string;
  check: string;
  defect: string | null;
  found: string;
  detail: string;
  text: string;
}

const files = existsSync(regressions)
  ? readdirSync(regressions)
      .filter((name) => name.endsWith('.json'))
      .sort()
  : [];

describe('fuzz regressions', () => {
  const pool = new CheckPool({ workers: 1, deadlineMs: 10_000 });
  after(() => pool.close());

  test('the saved regressions are readable and name their origin', () => {
    for (const name of files) {
      const record = JSON.parse(readFileSync(join(regressions, name), 'utf8')) as Regression;
      assert.equal(typeof record.text, 'string', name);
      assert.match(record.fileName, /\.(ts|js|mjs|cjs|json|py)$/, name);
      assert.ok(record.found.startsWith('seed '), name);
      if (record.defect !== null)
        assert.ok(
          KNOWN_DEFECTS.some((d) => d.id === record.defect),
          `${name}: unknown defect id ${record.defect}`,
        );
    }
  });

  for (const name of files) {
    const record = JSON.parse(readFileSync(join(regressions, name), 'utf8')) as Regression;
    const defect = KNOWN_DEFECTS.find((d) => d.id === record.defect);
    test(
      `${name}: ${record.check} (${record.found})`,
      { todo: defect ? `known defect ${defect.id}: ${defect.description}` : undefined },
      async () => {
        const result = await pool.check(record.text, record.fileName);
        assert.deepEqual(result.failures, [], `first seen as: ${record.detail}`);
      },
    );
  }
});
