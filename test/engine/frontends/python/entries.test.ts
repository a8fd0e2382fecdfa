// Top-level definitions nothing else names are read on their own (entries): the one-pass name search for ASCII files
// must find what the name-by-name search finds, which non-ASCII files still use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../../../server/src/engine/analyze';

const ROOT = join(__dirname, '../../../../..');
const sources = [
  ...readdirSync(join(ROOT, 'examples'))
    .filter((name) => name.endsWith('.py'))
    .map((name) => readFileSync(join(ROOT, 'examples', name), 'utf8')),
  ...readdirSync(join(ROOT, 'test/fixtures/python'))
    .filter((name) => name.endsWith('.py'))
    .map((name) => readFileSync(join(ROOT, 'test/fixtures/python', name), 'utf8')),
];

/** The names of a module's top-level functions and classes. */
function namesOf(text: string): string[] {
  return [...text.matchAll(/^(?:def|class) (\w+)/gm)].map((match) => match[1]!);
}

test('a definition counts as named elsewhere alike in an ASCII file (one search) and a non-ASCII one (a search per name)', () => {
  assert.ok(sources.length >= 10, 'examples and fixtures are there');
  const mention = (name: string) =>
    fc.constantFrom(
      `_ = ${name}\n`,
      `# ${name}\n`,
      `x = '${name}'\n`,
      `${name}_v2 = 1\n`,
      `v${name} = 1\n`,
      `y = ${name}.x\n`,
      `${name}\n`,
    );
  fc.assert(
    fc.property(
      fc.constantFrom(...sources).chain((source) =>
        fc.tuple(
          fc.constant(source),
          fc.array(fc.tuple(fc.nat(), namesOf(source).length > 0 ? fc.constantFrom(...namesOf(source)).chain(mention) : fc.constant('')), {
            maxLength: 4,
          }),
        ),
      ),
      ([source, mentions]) => {
        let text = source;
        for (const [at, line] of mentions) {
          // At a line start, so the mention is a statement of its own (or a comment).
          const starts = [0, ...[...text.matchAll(/\n/g)].map((match) => match.index! + 1)];
          const start = starts[at % starts.length]!;
          text = text.slice(0, start) + line + text.slice(start);
        }
        const ascii = analyze(text, 'm.py');
        const nonAscii = analyze(`${text}\n# é\n`, 'm.py');
        assert.deepEqual(nonAscii, ascii);
      },
    ),
    { numRuns: 120, seed: 41 },
  );
});
