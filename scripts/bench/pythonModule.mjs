// Deterministic generator of a Python module of PyTorch and Keras models, the shared input of the Python benchmarks.

/** Deterministic pseudo-random numbers, so every run (and every test) sees the same text. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const TORCH_INITS = [
  (target) => `nn.init.kaiming_normal_(${target}.weight, mode='fan_in', nonlinearity='relu')`,
  (target) => `nn.init.xavier_uniform_(${target}.weight)`,
  (target) => `nn.init.normal_(${target}.weight, mean=0.0, std=0.02)`,
  (target) => `nn.init.kaiming_uniform_(${target}.weight, a=math.sqrt(5))`,
  (target) => `nn.init.orthogonal_(${target}.weight, gain=nn.init.calculate_gain('tanh'))`,
  (target) => `nn.init.zeros_(${target}.weight)`,
];
const TORCH_ACTIVATIONS = ['nn.ReLU()', 'nn.Tanh()', 'nn.GELU()', 'nn.SiLU()', 'nn.LeakyReLU(0.1)', 'nn.Sigmoid()'];
const KERAS_INITIALIZERS = ['he_normal', 'glorot_uniform', 'lecun_normal', 'glorot_normal', 'he_uniform', 'zeros', 'random_normal'];
const KERAS_ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'selu', 'gelu', 'linear'];

const pick = (random, items) => items[Math.floor(random() * items.length)];
const width = (random) => 16 * (1 + Math.floor(random() * 32));

/** Helper functions that return blocks; the CNN models call them. */
function helperFunctions() {
  return [
    'def conv_block(in_channels: int, out_channels: int, stride: int = 1) -> nn.Sequential:',
    '    """3x3 convolution, batch norm and ReLU, as most CNN code writes it."""',
    '    block = nn.Sequential(',
    '        nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False),',
    '        nn.BatchNorm2d(out_channels),',
    '        nn.ReLU(inplace=True),',
    '    )',
    "    nn.init.kaiming_normal_(block[0].weight, mode='fan_out', nonlinearity='relu')",
    '    return block',
    '',
    '',
    'def mlp_block(in_features, out_features, activation=None, dropout=0.0):',
    '    layers = [nn.Linear(in_features, out_features)]',
    '    if activation is not None:',
    '        layers.append(activation)',
    '    if dropout > 0:',
    '        layers.append(nn.Dropout(p=dropout))',
    '    return nn.Sequential(*layers)',
    '',
    '',
  ];
}

/** A PyTorch nn.Module with attribute layers, a forward pass and an explicit init method. */
function torchModuleClass(random, name, targetLines) {
  const head = [
    `class ${name}(nn.Module):`,
    `    """Fully connected network ${name}: ${Math.floor(random() * 90) + 10} hidden units on average."""`,
    '',
  ];
  const init = ['    def __init__(self, in_features: int = 784, num_classes: int = 10):', '        super().__init__()'];
  const forward = ['    def forward(self, x: torch.Tensor) -> torch.Tensor:', '        x = torch.flatten(x, 1)'];
  const reset = ['    def reset_parameters(self) -> None:'];
  let previous = 'in_features';
  let layer = 0;
  // Each layer costs 6 lines: two in __init__, two in forward, two in reset_parameters.
  while (head.length + init.length + forward.length + reset.length + 12 < targetLines) {
    const units = width(random);
    init.push(
      `        self.fc${layer} = nn.Linear(${previous}, ${units})`,
      `        self.act${layer} = ${pick(random, TORCH_ACTIVATIONS)}`,
    );
    forward.push(`        x = self.fc${layer}(x)`, `        x = self.act${layer}(x)`);
    reset.push(`        ${pick(random, TORCH_INITS)(`self.fc${layer}`)}`, `        nn.init.zeros_(self.fc${layer}.bias)`);
    previous = String(units);
    layer++;
  }
  init.push(`        self.head = nn.Linear(${previous}, num_classes)`, '        self.reset_parameters()', '');
  forward.push('        return self.head(x)', '');
  reset.push('        nn.init.xavier_normal_(self.head.weight)', '');
  return [...head, ...init, ...forward, ...reset, ''];
}

/** A PyTorch CNN built from helper blocks, initialised by a loop over self.modules(). */
function torchConvClass(random, name, targetLines) {
  const lines = [
    `class ${name}(nn.Module):`,
    '    def __init__(self, in_channels=3, num_classes=100):',
    '        super(' + name + ', self).__init__()',
    '        self.features = nn.Sequential(',
  ];
  let channels = 'in_channels';
  const tail = 22;
  while (lines.length + tail < targetLines) {
    const next = 16 * (1 + Math.floor(random() * 8));
    lines.push(`            conv_block(${channels}, ${next}, stride=${random() < 0.3 ? 2 : 1}),`);
    if (random() < 0.25) lines.push('            nn.MaxPool2d(kernel_size=2),');
    channels = String(next);
  }
  lines.push(
    '        )',
    '        self.pool = nn.AdaptiveAvgPool2d((1, 1))',
    `        self.classifier = mlp_block(${channels}, num_classes, dropout=${(random() * 0.5).toFixed(2)})`,
    '        self._init_weights()',
    '',
    '    def _init_weights(self):',
    '        for m in self.modules():',
    '            if isinstance(m, nn.Conv2d):',
    "                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')",
    '            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):',
    '                nn.init.constant_(m.weight, 1)',
    '                nn.init.constant_(m.bias, 0)',
    '            elif isinstance(m, nn.Linear):',
    `                nn.init.normal_(m.weight, 0, ${pick(random, ['0.01', '0.02', '1.0', '0.001'])})`,
    '',
    '    def forward(self, x):',
    '        x = self.features(x)',
    '        x = self.pool(x).flatten(1)',
    '        return self.classifier(x)',
    '',
    '',
  );
  return lines;
}

/** A function returning nn.Sequential, with init calls on indexed layers after it. */
function torchSequentialFunction(random, name, targetLines) {
  const lines = [`def ${name}(in_features=128, out_features=10):`, '    model = nn.Sequential(', '        nn.Flatten(),'];
  const inits = [];
  let previous = 'in_features';
  let index = 1;
  while (lines.length + inits.length + 7 < targetLines) {
    const units = width(random);
    lines.push(`        nn.Linear(${previous}, ${units}),`, `        ${pick(random, TORCH_ACTIVATIONS)},`);
    inits.push(`    ${pick(random, TORCH_INITS)(`model[${index}]`)}`);
    previous = String(units);
    index += 2;
  }
  lines.push(`        nn.Linear(${previous}, out_features),`, '    )', ...inits, '    return model', '', '');
  return lines;
}

/** A Keras Sequential model with kernel_initializer strings, one argument per line as formatters write it. */
function kerasSequentialFunction(random, name, targetLines) {
  const lines = [
    `def ${name}(input_dim=${32 + Math.floor(random() * 256)}):`,
    '    model = keras.Sequential([',
    '        keras.Input(shape=(input_dim,)),',
  ];
  while (lines.length + 8 < targetLines) {
    lines.push(
      '        layers.Dense(',
      `            ${width(random)},`,
      `            activation='${pick(random, KERAS_ACTIVATIONS)}',`,
      `            kernel_initializer='${pick(random, KERAS_INITIALIZERS)}',`,
      '        ),',
    );
    if (random() < 0.2) lines.push(`        layers.Dropout(${(random() * 0.5).toFixed(2)}),`);
  }
  lines.push(
    "        layers.Dense(10, activation='softmax'),",
    `    ], name='${name}')`,
    "    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])",
    '    return model',
    '',
    '',
  );
  return lines;
}

/** A Keras functional model: tensors threaded through layer calls, initializers as strings and objects. */
function kerasFunctionalFunction(random, name, targetLines) {
  const lines = [
    `def ${name}():`,
    `    inputs = keras.Input(shape=(${32 + Math.floor(random() * 64)},), name='features')`,
    '    x = inputs',
  ];
  let layer = 0;
  while (lines.length + 6 < targetLines) {
    const initializer = random() < 0.7 ? `'${pick(random, KERAS_INITIALIZERS)}'` : `keras.initializers.HeNormal(seed=${layer})`;
    lines.push(
      `    x = layers.Dense(${width(random)}, activation='${pick(random, KERAS_ACTIVATIONS)}', kernel_initializer=${initializer}, name='dense_${layer}')(x)`,
    );
    if (random() < 0.3) lines.push(`    x = layers.BatchNormalization(name='bn_${layer}')(x)`);
    if (random() < 0.15) lines.push(`    # layer ${layer}: keep the residual path linear`);
    layer++;
  }
  lines.push(
    "    outputs = layers.Dense(1, activation='sigmoid', kernel_initializer='glorot_uniform')(x)",
    `    return keras.Model(inputs=inputs, outputs=outputs, name='${name}')`,
    '',
    '',
  );
  return lines;
}

const STYLES = [
  { kind: 'class', make: torchModuleClass, prefix: 'DenseNet' },
  { kind: 'function', make: kerasSequentialFunction, prefix: 'build_keras_mlp_' },
  { kind: 'class', make: torchConvClass, prefix: 'ConvNet' },
  { kind: 'function', make: torchSequentialFunction, prefix: 'make_sequential_' },
  { kind: 'function', make: kerasFunctionalFunction, prefix: 'build_functional_' },
];

/**
 * A realistic Python module of about `lines` lines holding `models` model definitions (PyTorch classes with
 * __init__/forward and nn.init calls, functions returning nn.Sequential, Keras Sequential and functional models).
 * Returns the text and, per model, its name, whether it is a `class` or a `function`, and its 0-based first line.
 */
export function generatePythonModule({ lines = 2000, models = 20, seed = 7 } = {}) {
  const random = seededRandom(seed);
  const out = [
    '"""Generated benchmark input: PyTorch and Keras models in one module."""',
    'import math',
    'from collections import OrderedDict',
    '',
    'import torch',
    'import torch.nn as nn',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    '',
    '',
    ...helperFunctions(),
  ];
  const perModel = Math.floor((lines - out.length - 8) / models);
  const found = [];
  for (let m = 0; m < models; m++) {
    const style = STYLES[m % STYLES.length];
    const name = `${style.prefix}${m}`;
    found.push({ name, kind: style.kind, line: out.length });
    out.push(...style.make(random, name, perModel));
  }
  out.push(
    "if __name__ == '__main__':",
    `    for factory in (${found
      .filter((model) => model.kind === 'class')
      .map((model) => model.name)
      .slice(0, 3)
      .join(', ')}):`,
    '        net = factory()',
    '        print(type(net).__name__, sum(p.numel() for p in net.parameters()))',
  );
  while (out.length < lines) out.push(`# end of generated module, line ${out.length + 1}`);
  return { text: out.join('\n') + '\n', models: found };
}
