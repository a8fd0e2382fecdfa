// Tests of the shared shape module both front ends use: channels_first, wrappers, unknown flags, declared inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declaredInputShape, irOutputShape, layerShape } from '../../server/src/engine/shapes';
import { unknown } from '../../server/src/engine/frontends/ts/evalContext';

test('a channels_first convolution reads channels first and gives the IR its shape channels last', () => {
  const config = { filters: 8, kernelSize: 3, dataFormat: 'channels_first' };
  const result = layerShape('conv2d', 'Conv2D', config, [{ dims: [3, 32, 32], exactRank: true }]);
  assert.deepEqual(result.output, { dims: [8, 30, 30], exactRank: true });
  assert.deepEqual([result.fanIn, result.fanOut, result.outputSize], [27, 72, 8]);
  assert.deepEqual(irOutputShape(result.output, config), [30, 30, 8]);
  const wrapped = layerShape('conv2d', 'Conv2D', config, [{ dims: [5, 3, 32, 32], exactRank: true }], { wrapper: 'TimeDistributed' });
  assert.deepEqual(irOutputShape(wrapped.output, config, 'TimeDistributed'), [5, 30, 30, 8], 'the time axis stays first');
});

test('an LSTM whose returnSequences is not statically known has a known last dim but no known rank', () => {
  const result = layerShape('lstm', 'lstm', { units: 8, returnSequences: unknown('a parameter') }, [{ dims: [10, 4], exactRank: true }]);
  assert.deepEqual(result.output, { dims: [8], exactRank: false });
  assert.deepEqual([result.fanIn, result.fanOut], [4, 4 * 8]);
  assert.equal(irOutputShape(result.output, {}), null);
  const next = layerShape('gru', 'gru', { units: 2 }, [result.output]);
  assert.deepEqual([next.fanIn, next.fanOut], [8, 3 * 2]);
});

test('Bidirectional merge modes set the output size; an unknown merge mode leaves it unknown', () => {
  const input = { dims: [10, 4], exactRank: true };
  const size = (mergeMode: unknown): number | null =>
    layerShape('gru', 'GRU', { units: 6 }, [input], {
      wrapper: 'Bidirectional',
      wrapperConfig: mergeMode === undefined ? {} : { mergeMode: mergeMode as string },
    }).outputSize;
  assert.deepEqual([size(undefined), size('concat'), size('sum'), size('ave')], [12, 12, 6, 6]);
  assert.equal(
    layerShape('gru', 'GRU', { units: 6 }, [input], { wrapper: 'Bidirectional', wrapperConfig: { mergeMode: unknown('a variable') } })
      .outputSize,
    null,
  );
});

test('declared input shapes: batchInputShape wins, tf.input shape, embedding length, inputDim per layer kind', () => {
  assert.deepEqual(declaredInputShape('dense', { batchInputShape: [null, 7], inputShape: [3] })?.dims, [7]);
  assert.deepEqual(declaredInputShape('input', { shape: [28, 28, 1] })?.dims, [28, 28, 1]);
  assert.deepEqual(declaredInputShape('embedding', { inputDim: 1000, inputLength: 20 })?.dims, [20]);
  assert.equal(declaredInputShape('embedding', { inputDim: 1000 }), null, 'an embedding inputDim is the vocabulary, not a shape');
  assert.deepEqual(declaredInputShape('dense', { inputDim: 5 })?.dims, [5]);
  assert.deepEqual(declaredInputShape('lstm', { inputDim: 5 })?.dims, [null, 5]);
});

test('reshape infers its -1 dimension; concatenate on a middle axis adds that axis', () => {
  const reshaped = layerShape('reshape', 'Reshape', { targetShape: [-1, 4] }, [{ dims: [6, 6, 2], exactRank: true }]);
  assert.deepEqual(reshaped.output?.dims, [18, 4]);
  const joined = layerShape('concatenate', 'Concatenate', { axis: 1 }, [
    { dims: [5, 3], exactRank: true },
    { dims: [2, 3], exactRank: true },
  ]);
  assert.deepEqual(joined.output?.dims, [7, 3]);
});
