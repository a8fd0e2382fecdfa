// Generated PyTorch and Keras Python for the fuzzer: nn.Module classes with nn.init calls, nn.Sequential factories,
// Keras Sequential and functional models, with hostile values and names now and then.
import { HOSTILE_NUMBERS, PROTOTYPE_KEYS, type Random } from './random';

const PY_HOSTILE = [...HOSTILE_NUMBERS.filter((n) => /^-?[\d.e]+$/.test(n)), "float('nan')", "float('inf')", 'math.inf', '-1e400'];
const TORCH_ACTIVATIONS = [
  'nn.ReLU()',
  'nn.Tanh()',
  'nn.Sigmoid()',
  'nn.GELU()',
  'nn.SELU()',
  'nn.SiLU()',
  'nn.LeakyReLU(0.2)',
  'nn.ELU()',
];
const NONLINEARITIES = ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'linear', 'selu'];
const KERAS_INITIALIZERS = ['he_normal', 'glorot_uniform', 'lecun_normal', 'zeros', 'ones', 'random_normal', 'orthogonal', 'HeNormal'];
const KERAS_ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'selu', 'elu', 'linear', 'softmax', 'gelu'];

function num(r: Random, usual: string): string {
  return r.chance(0.08) ? r.pick(PY_HOSTILE) : usual;
}

function width(r: Random): string {
  return r.chance(0.05) ? r.pick(PY_HOSTILE) : String(r.pick([1, 8, 16, 32, 64, 128, 256]));
}

function name(r: Random, known: readonly string[]): string {
  return r.chance(0.05) ? r.pick(PROTOTYPE_KEYS) : r.pick(known);
}

function torchInit(r: Random, target: string): string {
  return r.pick([
    () => `nn.init.kaiming_normal_(${target}.weight, mode='${r.pick(['fan_in', 'fan_out'])}', nonlinearity='${name(r, NONLINEARITIES)}')`,
    () => `nn.init.xavier_uniform_(${target}.weight, gain=nn.init.calculate_gain('${name(r, NONLINEARITIES)}'))`,
    () => `nn.init.normal_(${target}.weight, mean=0.0, std=${num(r, '0.02')})`,
    () => `nn.init.uniform_(${target}.weight, -${num(r, '0.1')}, ${num(r, '0.1')})`,
    () => `nn.init.constant_(${target}.weight, ${num(r, '0.0')})`,
    () => `nn.init.orthogonal_(${target}.weight, gain=${num(r, '1.0')})`,
    () => `${target}.weight.data.normal_(0, ${num(r, '0.01')})`,
    () => `nn.init.zeros_(${target}.bias)`,
  ])();
}

function torchLayer(r: Random, previous: string): { code: string; out: string } {
  const out = width(r);
  switch (r.int(0, 5)) {
    case 0:
      return { code: `nn.Conv2d(${previous}, ${out}, kernel_size=${r.pick(['3', '1', '(3, 3)', num(r, '5')])}, padding=1)`, out };
    case 1:
      return { code: `nn.LSTM(${previous}, ${out}, batch_first=True)`, out };
    case 2:
      return { code: `nn.Embedding(${num(r, '1000')}, ${out})`, out };
    default:
      return { code: `nn.Linear(${previous}, ${out}${r.chance(0.2) ? ', bias=False' : ''})`, out };
  }
}

/** A Python module of one to three PyTorch or Keras models. */
export function generatePythonProgram(r: Random): { text: string; fileName: string } {
  const lines = [
    'import math',
    'import torch',
    'import torch.nn as nn',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    '',
  ];
  for (let m = r.int(1, 3); m > 0; m--) {
    const depth = r.int(1, r.chance(0.1) ? 30 : 6);
    const style = r.int(0, 3);
    if (style === 0) {
      lines.push(`class Net${m}(nn.Module):`, '    def __init__(self):', '        super().__init__()');
      const inits: string[] = [];
      let previous = width(r);
      for (let l = 0; l < depth; l++) {
        const layer = torchLayer(r, previous);
        lines.push(`        self.layer${l} = ${layer.code}`);
        if (r.chance(0.6)) inits.push(`        ${torchInit(r, `self.layer${l}`)}`);
        previous = layer.out;
      }
      lines.push(...inits, '', '    def forward(self, x):');
      for (let l = 0; l < depth; l++)
        lines.push(
          `        x = ${r.chance(0.4) ? `torch.${r.pick(['relu', 'tanh', 'sigmoid'])}(self.layer${l}(x))` : `self.layer${l}(x)`}`,
        );
      lines.push('        return x', '');
    } else if (style === 1) {
      lines.push(`def make_net${m}():`, '    model = nn.Sequential(');
      let previous = width(r);
      for (let l = 0; l < depth; l++) {
        const layer = torchLayer(r, previous);
        lines.push(`        ${layer.code},`, `        ${r.pick(TORCH_ACTIVATIONS)},`);
        previous = layer.out;
      }
      lines.push('    )');
      if (r.chance(0.5))
        lines.push(
          '    for module in model.modules():',
          '        if isinstance(module, nn.Linear):',
          `            ${torchInit(r, 'module')}`,
        );
      lines.push('    return model', '');
    } else if (style === 2) {
      lines.push(`def build_keras${m}():`, '    return keras.Sequential([', `        keras.Input(shape=(${width(r)},)),`);
      for (let l = 0; l < depth; l++) {
        const initializer = r.chance(0.3)
          ? `keras.initializers.RandomNormal(stddev=${num(r, '0.05')})`
          : `'${name(r, KERAS_INITIALIZERS)}'`;
        lines.push(`        layers.Dense(${width(r)}, activation='${name(r, KERAS_ACTIVATIONS)}', kernel_initializer=${initializer}),`);
      }
      lines.push('    ])', '');
    } else {
      lines.push(`inputs${m} = keras.Input(shape=(${width(r)},))`, `x = inputs${m}`);
      for (let l = 0; l < depth; l++) {
        lines.push(
          `x = layers.Dense(${width(r)}, activation='${name(r, KERAS_ACTIVATIONS)}', kernel_initializer='${name(r, KERAS_INITIALIZERS)}')(x)`,
        );
        if (r.chance(0.2)) lines.push(`x = layers.Dropout(${num(r, '0.5')})(x)`);
      }
      lines.push(`model${m} = keras.Model(inputs${m}, x)`, '');
    }
    lines.push('');
  }
  return { text: lines.join('\n'), fileName: 'generated_model.py' };
}
