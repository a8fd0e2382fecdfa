// headSpan's token scan for JSON must name the same span as the full tree lookup it short-cuts, on valid and broken JSON alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { headSpan } from '../../server/src/engine/rules/ruleSupport';
import type { Span } from '../../server/src/engine/ir';

/** The lookup headSpan used before the scan: parse the whole span, take the string value of its first complete "class_name". */
function byTree(text: string, span: Span): Span {
  const tree = parseTree(text.slice(span.start, span.end));
  const node = tree ? findNodeAtLocation(tree, ['class_name']) : undefined;
  if (node && node.type === 'string') return { start: span.start + node.offset, end: span.start + node.offset + node.length };
  return span;
}

const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('class_name', 'config', 'name', 'a'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** A layer-like object with class_name somewhere (or nowhere), pretty-printed or not, with a prefix so spans do not start at 0. */
const layerText = fc
  .record({
    before: fc.dictionary(fc.constantFrom('module', 'config', 'name', 'x'), jsonValue, { maxKeys: 3 }),
    className: fc.option(fc.oneof(fc.constantFrom('Dense', 'Conv2D', 'Functional'), jsonValue), { nil: undefined }),
    after: fc.dictionary(fc.constantFrom('config', 'name', 'class_name', 'inbound_nodes'), jsonValue, { maxKeys: 3 }),
    indent: fc.constantFrom(0, 2),
  })
  .map(({ before, className, after, indent }) => {
    const object: Record<string, unknown> = { ...before };
    if (className !== undefined) object.class_name = className;
    for (const [key, value] of Object.entries(after)) if (!(key in object)) object[key] = value;
    return JSON.stringify(object, null, indent);
  });

/** Damage the way typing does: cut it short, drop a character, insert a stray token, add a comment. */
const damage = fc.record({
  kind: fc.constantFrom('none', 'cut', 'drop', 'insert', 'comment'),
  at: fc.nat(),
  insert: fc.constantFrom(',', ':', '}', ']', '{', '"', '1', 'x', ' ', '/*c*/', '//c\n', '-', 'tru'),
});

test('headSpan on JSON names the same span as the tree lookup, for valid and damaged objects', () => {
  fc.assert(
    fc.property(layerText, damage, fc.constantFrom('', '[\n  ', '{"layers": ['), (object, change, prefix) => {
      let body = object;
      const at = body.length === 0 ? 0 : change.at % body.length;
      if (change.kind === 'cut') body = body.slice(0, Math.max(1, at));
      else if (change.kind === 'drop') body = body.slice(0, at) + body.slice(at + 1);
      else if (change.kind === 'insert') body = body.slice(0, at) + change.insert + body.slice(at);
      else if (change.kind === 'comment') body = body.slice(0, at) + ' /* note */ ' + body.slice(at);
      const text = `${prefix}${body}\n]`;
      const span = { start: prefix.length, end: prefix.length + body.length };
      assert.deepEqual(headSpan(text, span, 'json'), byTree(text, span));
    }),
    { numRuns: 3000, seed: 20261129 },
  );
});

test('headSpan finds a leading class_name of a large object without reading the rest', () => {
  const layers = Array.from({ length: 2000 }, (_, i) => ({ class_name: 'Dense', config: { name: `d${i}`, units: 8 } }));
  const text = JSON.stringify({ class_name: 'Sequential', config: { name: 'big', layers } }, null, 2);
  const span = { start: 0, end: text.length };
  const found = headSpan(text, span, 'json');
  assert.equal(text.slice(found.start, found.end), '"Sequential"');
  assert.deepEqual(found, byTree(text, span));
});

test('headSpan on TS stops at the first parenthesis inside the span only', () => {
  const text = 'const m = tf.sequential ({layers: []}); f(1)';
  const start = text.indexOf('tf.');
  assert.equal(
    text.slice(...(Object.values(headSpan(text, { start, end: text.indexOf(';') }, 'typescript')) as [number, number])),
    'tf.sequential',
  );
  // No parenthesis inside the span: the whole span, even though one follows it.
  const plain = { start: text.indexOf('f(1)') - 2, end: text.indexOf('f(1)') };
  assert.deepEqual(headSpan(text, plain, 'typescript'), plain);
});
