// The PyTorch idioms of test/fixtures/python/torch_*.py read into the IR: the key facts asserted by hand, beside the
// goldens (python-golden.test.ts), so a wrong golden cannot pass unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUnknown, type InitializerSpec, type Layer } from '../../../../server/src/engine/ir';
import { fixtureModels, initSource, layerNamed, modelNamed, outline, pythonFixture } from './pythonGolden';

const TORCH_DEFAULT_WEIGHT: InitializerSpec = { kind: 'varianceScaling', scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' };
const uniform = (bound: number): InitializerSpec => ({ kind: 'randomUniform', minval: -bound, maxval: bound });
const fans = (layer: Layer): [number | null, number | null] => [layer.fanIn, layer.fanOut];
const dense = (layers: Layer[]): Layer[] => layers.filter((l) => l.type === 'dense');

/** Rounds the numbers of a spec to 12 significant digits (gain² of √2 is 2.0000000000000004). */
function rounded(spec: InitializerSpec | undefined): unknown {
  return spec === undefined
    ? undefined
    : Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(12)) : v]));
}

function assertClose(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} ≠ ${expected}`,
  );
}

test('import forms: full paths, aliases, from-imports and renamed modules all read as torch.nn', () => {
  const text = pythonFixture('torch_imports.py');
  const models = fixtureModels('torch_imports.py');
  assert.deepEqual(
    models.map((m) => m.name),
    ['full_paths', 'aliased', 'renamed_module', 'imported_names', 'UsesFunctionalAlias'],
  );
  assert.ok(
    models.every((m) => m.dialect === 'pytorch' && m.notes.length === 0),
    'pytorch dialect, nothing left unread',
  );
  const full = modelNamed(models, 'full_paths');
  assert.deepEqual(outline(full), [
    ['full_paths[0]', 'dense', 'relu'],
    ['full_paths[1]', 'activation', 'relu'],
    ['full_paths[2]', 'dense', 'linear'],
  ]);
  assert.deepEqual(fans(full.layers[0]), [10, 20]);
  assert.deepEqual(full.layers[0].kernelInitializer?.spec, TORCH_DEFAULT_WEIGHT);
  assert.equal(full.layers[0].kernelInitializer?.explicit, false);
  assert.deepEqual(full.layers[0].biasInitializer?.spec, uniform(1 / Math.sqrt(10)));
  assert.deepEqual(
    outline(modelNamed(models, 'aliased')).map((l) => l[2]),
    ['tanh', 'tanh', 'linear'],
  );
  assert.deepEqual(
    outline(modelNamed(models, 'renamed_module')).map((l) => l[2]),
    ['sigmoid', 'sigmoid'],
  );

  const named = modelNamed(models, 'imported_names');
  const first = named.layers[0].kernelInitializer!;
  assert.deepEqual(rounded(first.spec), { kind: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'untruncatedNormal' });
  assert.equal(initSource(text, first), "I.kaiming_normal_(imported_names[0].weight, nonlinearity='relu')");
  assert.deepEqual(named.layers[2].kernelInitializer?.spec, { kind: 'zeros' });
  assert.equal(initSource(text, named.layers[2].kernelInitializer), 'init.zeros_(imported_names[2].weight)');

  const module = modelNamed(models, 'UsesFunctionalAlias');
  assert.deepEqual(outline(module), [
    ['fc', 'dense', 'relu'],
    ['relu#1', 'activation', 'relu'],
    ['out', 'dense', 'linear'],
  ]);
});

test('nn.Sequential: positional, OrderedDict names, helper-function blocks and a spread list built in a loop', () => {
  const models = fixtureModels('torch_sequential.py');
  const positional = modelNamed(models, 'positional');
  assert.deepEqual(
    positional.layers.map((l) => l.type),
    ['dense', 'activation', 'dropout', 'dense'],
  );
  assert.equal(positional.layers[2].config.rate, 0.2);
  assert.deepEqual(positional.inputShape, [784]);
  assert.deepEqual(fans(positional.layers[3]), [256, 10]);

  const ordered = modelNamed(models, 'ordered');
  assert.deepEqual(outline(ordered), [
    ['fc1', 'dense', 'relu'],
    ['act1', 'activation', 'relu'],
    ['fc2', 'dense', 'tanh'],
    ['act2', 'activation', 'tanh'],
    ['head', 'dense', 'linear'],
  ]);

  const helper = modelNamed(models, 'helper_blocks');
  assert.deepEqual(
    helper.layers.map((l) => l.name),
    ['helper_blocks[0][0]', 'helper_blocks[0][1]', 'helper_blocks[1][0]', 'helper_blocks[1][1]', 'helper_blocks[2]'],
    'named as Python indexes them',
  );
  assert.deepEqual(helper.layers.filter((l) => l.type === 'dense').map(fans), [
    [32, 64],
    [64, 64],
    [64, 1],
  ]);

  const spread = modelNamed(models, 'spread');
  assert.deepEqual(spread.layers.filter((l) => l.type === 'dense').map(fans), [
    [256, 128],
    [128, 64],
    [64, 2],
  ]);
  assert.deepEqual(
    spread.layers.filter((l) => l.type === 'dense').map((l) => [l.activation.name, l.activation.alpha]),
    [
      ['elu', 1],
      ['elu', 1],
      ['linear', undefined],
    ],
  );
  assert.ok(models.every((m) => m.notes.length === 0 && m.kind === 'sequential'));
});

test('forward: F.relu, torch.tanh, x.relu(), self.act(x), an nn.ReLU module and nn.functional.gelu give each layer its activation', () => {
  const [net] = fixtureModels('torch_forward.py');
  assert.equal(net.name, 'net');
  const dense = net.layers.filter((l) => l.type === 'dense');
  assert.deepEqual(
    dense.map((l) => l.name),
    ['fc1', 'fc2', 'fc3', 'fc4', 'fc5', 'fc6', 'fc7'],
  );
  assert.deepEqual(
    dense.map((l) => l.activation.name),
    ['relu', 'tanh', 'relu', 'leakyRelu', 'relu', 'gelu', 'linear'],
  );
  assert.equal(layerNamed(net, 'fc4').activation.alpha, 0.2);
  assert.deepEqual(dense.map(fans), [
    [784, 512],
    [512, 256],
    [256, 128],
    [128, 64],
    [64, 32],
    [32, 16],
    [16, 10],
  ]);
  const last = net.layers[net.layers.length - 1];
  assert.equal(last.className, 'log_softmax');
  assert.equal(last.activation.name, null, 'log_softmax has no mean-field model: unknown, not guessed');
  assert.equal(net.layers[0].type, 'flatten', 'x.view(…) flattens');
});

test('containers: ModuleList from a comprehension and a loop, ModuleDict, helper methods, nested module classes', () => {
  const models = fixtureModels('torch_containers.py');
  assert.deepEqual(
    models.map((m) => m.name),
    ['tower', 'residual'],
  );
  const tower = modelNamed(models, 'tower');
  assert.deepEqual(
    tower.layers.filter((l) => l.type === 'dense').map((l) => l.name),
    [
      'stem',
      'blocks.0.up',
      'blocks.0.down',
      'blocks.1.up',
      'blocks.1.down',
      'blocks.2.up',
      'blocks.2.down',
      'extra.0',
      'extra.1',
      'proj.0',
      'heads.cls',
    ],
  );
  assert.deepEqual(fans(layerNamed(tower, 'stem')), [64, 128], 'in_dim from the default argument, WIDTH from the module constant');
  assert.deepEqual(fans(layerNamed(tower, 'blocks.1.up')), [128, 256], "Block's hidden default");
  assert.equal(layerNamed(tower, 'blocks.2.up').activation.name, 'relu', "F.relu inside the nested Block's forward");
  assert.equal(layerNamed(tower, 'blocks.2.down').activation.name, 'linear');
  assert.equal(layerNamed(tower, 'proj.0').activation.name, 'tanh');
  assert.ok(!tower.layers.some((l) => l.name === 'heads.reg'), 'the ModuleDict head forward does not use is not in the graph');
  assert.deepEqual(tower.notes, []);
});

test('a residual x + f(x) on the model input keeps both inputs of the add', () => {
  const residual = modelNamed(fixtureModels('torch_containers.py'), 'residual');
  const add = residual.layers.find((l) => l.type === 'add');
  assert.ok(add, 'an add layer');
  assert.equal(add.inbound.length, 2, `the add reads the model input and the block: ${JSON.stringify(add.inbound)}`);
  assert.equal(residual.kind, 'functional');
  assert.deepEqual(residual.inputShape, [32]);
  const input = residual.layers.find((l) => add.inbound.includes(l.id) && l.type === 'input');
  assert.ok(input, 'the model input is a layer the add reads');
  assert.deepEqual(layerNamed(residual, 'inner.up').inbound, [input.id]);
  assert.deepEqual(fans(layerNamed(residual, 'inner.up')), [32, 64]);
});

test('every layer class: conv fans as torch computes them (transposed and grouped), recurrent stacks, attention projections', () => {
  const models = fixtureModels('torch_layers.py');
  const conv1d = modelNamed(models, 'conv1d');
  assert.deepEqual(
    conv1d.layers.filter((l) => l.kernelInitializer).map((l) => [l.type, ...fans(l)]),
    [
      ['conv1d', 15, 80],
      ['conv2dTranspose', 32, 64],
    ],
  );
  const conv2d = modelNamed(models, 'conv2d');
  assert.deepEqual(
    conv2d.layers.map((l) => l.type),
    ['conv2d', 'batchNormalization', 'activation', 'conv2d', 'conv2dTranspose'],
  );
  assert.deepEqual(conv2d.layers.filter((l) => l.kernelInitializer).map(fans), [
    [27, 288],
    [400, 1600],
    [144, 576],
  ]);
  assert.equal(conv2d.layers[0].config.padding, 'same');
  assert.deepEqual(conv2d.layers[3].biasInitializer?.spec, uniform(1 / 20), 'bias bound 1/√fan_in with fan_in = 32/2 · 25');
  const conv3d = modelNamed(models, 'conv3d');
  assert.deepEqual(conv3d.layers.filter((l) => l.kernelInitializer).map(fans), [
    [27, 216],
    [32, 64],
  ]);

  const norms = modelNamed(models, 'norms');
  assert.deepEqual(
    norms.layers.map((l) => l.type),
    ['dense', 'layerNormalization', 'dropout', 'dense', 'batchNormalization', 'activation', 'alphaDropout', 'dense'],
  );
  assert.equal(norms.layers[7].biasInitializer, undefined, 'bias=False');
  assert.equal(norms.layers[5].activation.name, 'selu');

  const text = modelNamed(models, 'text');
  assert.deepEqual(
    text.layers.map((l) => l.name),
    ['embed', 'lstm.l0', 'lstm.l1', 'fc'],
  );
  assert.deepEqual(layerNamed(text, 'embed').kernelInitializer?.spec, { kind: 'randomNormal', mean: 0, stddev: 1 });
  const [l0, l1] = [layerNamed(text, 'lstm.l0'), layerNamed(text, 'lstm.l1')];
  assert.deepEqual(
    [fans(l0), fans(l1)],
    [
      [128, 1024],
      [512, 1024],
    ],
    'the second layer reads both directions',
  );
  assert.equal(l0.wrapper, 'Bidirectional');
  assert.deepEqual(l0.kernelInitializer?.spec, uniform(1 / 16));
  assert.deepEqual(l0.recurrentInitializer?.spec, uniform(1 / 16));
  assertClose((l0.biasInitializer?.spec as { maxval: number }).maxval, Math.SQRT2 / 16, 'b_ih + b_hh as one bias of twice the variance');
  assert.equal(l0.config.unitForgetBias, false);
  assert.deepEqual(fans(layerNamed(text, 'fc')), [512, 5]);

  const recurrent = modelNamed(models, 'recurrent');
  assert.deepEqual(
    recurrent.layers.map((l) => [l.name, l.type, ...fans(l)]),
    [
      ['gru.l0', 'gru', 32, 192],
      ['gru.l1', 'gru', 64, 192],
      ['gru.l2', 'gru', 64, 192],
      ['rnn', 'simpleRNN', 64, 16],
      ['head', 'dense', 16, 1],
    ],
  );
  assert.equal(layerNamed(recurrent, 'rnn').activation.name, 'relu');

  const attention = modelNamed(models, 'attention');
  assert.deepEqual(
    attention.layers.map((l) => [l.name, ...fans(l)]),
    [
      ['attn.in_proj', 128, 384],
      ['attn.out_proj', 128, 128],
      ['ff', 128, 128],
    ],
  );
  assert.equal(layerNamed(attention, 'attn.in_proj').kernelInitializer?.alias, 'glorotUniform');
  assert.deepEqual(layerNamed(attention, 'attn.out_proj').kernelInitializer?.spec, TORCH_DEFAULT_WEIGHT);
  assert.deepEqual(layerNamed(attention, 'attn.out_proj').biasInitializer?.spec, { kind: 'zeros' });
});

test('init idioms: nn.init with gain / a / mode / nonlinearity, calculate_gain, apply, modules(), in-place methods, no_grad, Parameter, init after construction', () => {
  const text = pythonFixture('torch_init.py');
  const models = fixtureModels('torch_init.py');
  assert.deepEqual(models.map((m) => m.name).sort(), ['ApplyNet', 'Gains', 'InPlace', 'ModulesLoop', 'model']);

  const apply = modelNamed(models, 'ApplyNet');
  const fc = layerNamed(apply, 'fc');
  assertClose((fc.kernelInitializer?.spec as { scale: number }).scale, (5 / 3) ** 2, 'xavier gain calculate_gain(tanh)');
  assert.equal((fc.kernelInitializer?.spec as { mode: string }).mode, 'fanAvg');
  assert.match(fc.kernelInitializer?.label ?? '', /`nn\.init\.xavier_uniform_` on line 10, via `self\.apply\(init_weights\)` on line 22/);
  assert.deepEqual(fc.biasInitializer?.spec, { kind: 'constant', value: 0.01 });
  assert.equal(fc.activation.name, 'tanh');
  const conv = layerNamed(apply, 'conv');
  assert.deepEqual(rounded(conv.kernelInitializer?.spec), {
    kind: 'varianceScaling',
    scale: 2,
    mode: 'fanOut',
    distribution: 'untruncatedNormal',
  });
  assert.deepEqual(fans(conv), [27, 144]);
  assert.equal(conv.biasInitializer?.explicit, false, 'the isinstance branch for Conv2d leaves the bias alone');

  const loop = modelNamed(models, 'ModulesLoop');
  for (const name of ['layers.0', 'layers.2']) {
    const layer = layerNamed(loop, name);
    assertClose((layer.kernelInitializer?.spec as { scale: number }).scale, 2 / (1 + 0.01), `${name}: kaiming a=0.1`);
    assert.deepEqual(layer.biasInitializer?.spec, { kind: 'zeros' });
  }

  const inPlace = modelNamed(models, 'InPlace');
  assert.deepEqual(layerNamed(inPlace, 'a').kernelInitializer?.spec, { kind: 'zeros' });
  assert.equal(initSource(text, layerNamed(inPlace, 'a').kernelInitializer), 'self.a.weight.data.zero_()');
  assert.deepEqual(layerNamed(inPlace, 'b').kernelInitializer?.spec, { kind: 'randomNormal', mean: 0, stddev: 0.01 });
  assert.deepEqual(layerNamed(inPlace, 'b').biasInitializer?.spec, { kind: 'constant', value: 0 });
  assertClose(
    (layerNamed(inPlace, 'c').kernelInitializer?.spec as { maxval: number }).maxval,
    1 / Math.sqrt(50),
    'uniform_(-bound, bound) inside torch.no_grad()',
  );
  assert.equal(layerNamed(inPlace, 'd').kernelInitializer?.spec.kind, 'unknown', 'copy_ is never guessed');
  assert.equal(layerNamed(inPlace, 'd').kernelInitializer?.explicit, true);
  assert.deepEqual(layerNamed(inPlace, 'e').biasInitializer?.spec, { kind: 'zeros' });
  assert.equal(initSource(text, layerNamed(inPlace, 'e').biasInitializer), 'torch.zeros(10)');
  assert.deepEqual(layerNamed(inPlace, 'e').kernelInitializer?.spec, TORCH_DEFAULT_WEIGHT);

  const gains = modelNamed(models, 'Gains');
  assertClose((layerNamed(gains, 'h1').kernelInitializer?.spec as { scale: number }).scale, 2 / 1.04, 'kaiming_normal_ a=0.2');
  assertClose(
    (layerNamed(gains, 'h2').kernelInitializer?.spec as { scale: number }).scale,
    2 / 1.04,
    'xavier_normal_ gain=calculate_gain(leaky_relu, 0.2)',
  );
  assertClose((layerNamed(gains, 'h3').kernelInitializer?.spec as { gain: number }).gain, Math.SQRT2, 'orthogonal_ gain=2 ** 0.5');
  assert.deepEqual(layerNamed(gains, 'h4').kernelInitializer?.spec, { kind: 'randomNormal', mean: 0, stddev: 0.02 });
  assert.deepEqual(layerNamed(gains, 'rnn').recurrentInitializer?.spec, { kind: 'orthogonal', gain: 1 });
  assert.equal(layerNamed(gains, 'rnn').kernelInitializer?.alias, 'glorotUniform');
  assert.deepEqual(layerNamed(gains, 'h1').activation, { ...layerNamed(gains, 'h1').activation, name: 'leakyRelu', alpha: 0.2 });

  const later = modelNamed(models, 'model');
  assert.deepEqual(layerNamed(later, 'fc').kernelInitializer?.spec, { kind: 'zeros' });
  assert.equal(initSource(text, layerNamed(later, 'fc').kernelInitializer), 'nn.init.zeros_(model.fc.weight)');
  assert.equal(layerNamed(later, 'hidden').kernelInitializer?.alias, 'heNormal');
});

test('values: argparse and a config read at run time stay unknown; module constants and default arguments are known', () => {
  const models = fixtureModels('torch_values.py');
  const fromArgs = modelNamed(models, 'from_args');
  assert.deepEqual(fans(fromArgs.layers[0]), [784, null]);
  assert.ok(isUnknown(fromArgs.layers[0].config.units), 'out_features from argparse is unknown');
  assert.deepEqual(fans(fromArgs.layers[2]), [null, 10]);

  const fromConfig = modelNamed(models, 'from_config');
  assert.deepEqual(fans(fromConfig.layers[0]), [null, null]);
  assert.deepEqual(
    fromConfig.layers[0].kernelInitializer?.spec,
    { kind: 'randomNormal', mean: 0, stddev: null },
    'std from the config: unknown, never a default',
  );

  const fromConstants = modelNamed(models, 'from_constants');
  assert.deepEqual(fromConstants.layers.filter((l) => l.type === 'dense').map(fans), [
    [784, 256],
    [256, 10],
  ]);
  assert.equal(fromConstants.layers[2].config.rate, 0.25);
  assert.deepEqual(fromConstants.layers[3].kernelInitializer?.spec, { kind: 'randomNormal', mean: 0, stddev: 0.02 });

  const fromDefaults = modelNamed(models, 'from_defaults');
  assert.deepEqual(outline(fromDefaults), [
    ['from_defaults[0]', 'dense', 'relu'],
    ['from_defaults[1]', 'activation', 'relu'],
    ['from_defaults[2]', 'dense', 'relu'],
    ['from_defaults[3]', 'activation', 'relu'],
  ]);

  const unknownDepth = modelNamed(models, 'unknown_depth');
  assert.equal(unknownDepth.layers.length, 0);
  assert.ok(
    unknownDepth.notes.some((note) => /spread model-lint cannot read \('range\(args\.depth\)' cannot be iterated/.test(note)),
    `says why: ${JSON.stringify(unknownDepth.notes)}`,
  );
  for (const model of [fromArgs, fromConfig, fromConstants, fromDefaults]) {
    assert.deepEqual(model.notes, [], `${model.name} carries no note of another model`);
  }
});

test('activation modules and functionals: each maps to its mean-field id (alpha kept), unmodelled ones stay unknown', () => {
  const models = fixtureModels('torch_activations.py');
  const modules = modelNamed(models, 'modules');
  const activationLayers = modules.layers.filter((l) => l.type === 'activation');
  assert.deepEqual(
    activationLayers.map((l) => [l.className, l.activation.name, l.activation.alpha]),
    [
      ['ReLU', 'relu', undefined],
      ['ReLU6', 'relu6', undefined],
      ['LeakyReLU', 'leakyRelu', 0.1],
      ['ELU', 'elu', 0.5],
      ['SELU', 'selu', undefined],
      ['GELU', 'gelu', undefined],
      ['Tanh', 'tanh', undefined],
      ['Sigmoid', 'sigmoid', undefined],
      ['Softplus', 'softplus', undefined],
      ['Softsign', 'softsign', undefined],
      ['SiLU', 'swish', undefined],
      ['Mish', 'mish', undefined],
      ['Hardsigmoid', 'hardSigmoid', undefined],
      ['PReLU', 'prelu', undefined],
      ['Identity', 'linear', undefined],
      ['Hardtanh', null, undefined],
      ['Softmax', 'softmax', undefined],
    ],
  );
  const linears = dense(modules.layers);
  assert.equal(linears[15].activation.name, 'linear', 'an unknown activation is not folded into the Linear before it');
  assert.equal(linears[3].activation.alpha, 0.5, 'ELU(alpha=0.5) folded with its alpha');

  const functional = modelNamed(models, 'functional');
  assert.deepEqual(
    dense(functional.layers).map((l) => [l.name, l.activation.name, l.activation.alpha]),
    [
      ['layers.0', 'relu', undefined],
      ['layers.1', 'leakyRelu', 0.3],
      ['layers.2', 'elu', 1],
      ['layers.3', 'selu', undefined],
      ['layers.4', 'gelu', undefined],
      ['layers.5', 'swish', undefined],
      ['layers.6', 'softplus', undefined],
      ['layers.7', 'sigmoid', undefined],
      ['layers.8', 'selu', undefined],
      ['layers.9', 'linear', undefined],
      ['layers.10', 'tanh', undefined],
      ['layers.11', 'linear', undefined],
    ],
  );
  const dropout = functional.layers.find((l) => l.type === 'dropout');
  assert.equal(dropout?.config.rate, 0.5, 'F.dropout(…, p=0.5) is a dropout layer');
  assert.equal(functional.layers[functional.layers.length - 1].activation.name, 'softmax');
});
