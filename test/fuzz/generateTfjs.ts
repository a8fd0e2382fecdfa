// Generated TF.js programs for the fuzzer: the styles users write (add calls, layers arrays, functional apply chains,
// helpers, loops), with config values that are usually sensible and sometimes hostile.
import { HOSTILE_NUMBERS, PROTOTYPE_KEYS, type Random } from './random';

const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'selu', 'elu', 'linear', 'softmax', 'relu6', 'swish', 'gelu', 'softplus', 'mish'];
const INITIALIZERS = [
  'heNormal',
  'heUniform',
  'glorotNormal',
  'glorotUniform',
  'leCunNormal',
  'leCunUniform',
  'zeros',
  'ones',
  'orthogonal',
  'randomNormal',
  'truncatedNormal',
  'identity',
];
const INITIALIZER_CALLS = [
  (r: Random) => `tf.initializers.randomNormal({ mean: 0, stddev: ${number(r, '0.05')} })`,
  (r: Random) => `tf.initializers.randomUniform({ minval: -${number(r, '0.1')}, maxval: ${number(r, '0.1')} })`,
  (r: Random) =>
    `tf.initializers.varianceScaling({ scale: ${number(r, '2')}, mode: '${r.pick(['fanIn', 'fanOut', 'fanAvg'])}', distribution: '${r.pick(['normal', 'uniform', 'truncatedNormal'])}' })`,
  (r: Random) => `tf.initializers.constant({ value: ${number(r, '0.1')} })`,
  (r: Random) => `tf.initializers.orthogonal({ gain: ${number(r, '1')} })`,
  (r: Random) => `tf.initializers.${r.pick(['heNormal', 'glorotUniform', 'leCunNormal'])}({ seed: ${r.int(0, 99)} })`,
];

/** A plausible value most of the time, a hostile one sometimes. */
function number(r: Random, usual: string): string {
  return r.chance(0.08) ? r.pick(HOSTILE_NUMBERS) : usual;
}

function units(r: Random): string {
  return r.chance(0.06) ? r.pick(HOSTILE_NUMBERS) : String(r.pick([1, 4, 8, 16, 32, 64, 128, 256, 512]));
}

/** A name from the catalog, rarely an unknown or prototype-key one. */
function name(r: Random, known: readonly string[]): string {
  if (r.chance(0.05)) return r.pick(PROTOTYPE_KEYS);
  if (r.chance(0.03)) return r.pick(['notAnInit', 'Relu', 'he_normal', '']);
  return r.pick(known);
}

function initializer(r: Random): string {
  return r.chance(0.25) ? r.pick(INITIALIZER_CALLS)(r) : `'${name(r, INITIALIZERS)}'`;
}

/** One layer factory call with a config object; `first` adds the input shape. */
function layerCall(r: Random, first: boolean, prefix: string): string {
  const props: string[] = [];
  if (first && r.chance(0.9)) props.push(`inputShape: [${r.chance(0.3) ? `${units(r)}, ${units(r)}` : units(r)}]`);
  const kind = r.pick([
    'dense',
    'dense',
    'dense',
    'conv2d',
    'lstm',
    'gru',
    'simpleRNN',
    'dropout',
    'batchNormalization',
    'activation',
    'embedding',
    'flatten',
  ]);
  switch (kind) {
    case 'conv2d':
      props.push(
        `filters: ${units(r)}`,
        `kernelSize: ${r.pick(['3', '[3, 3]', '1', number(r, '5')])}`,
        `padding: '${r.pick(['same', 'valid'])}'`,
      );
      break;
    case 'lstm':
    case 'gru':
    case 'simpleRNN':
      props.push(`units: ${units(r)}`);
      if (r.chance(0.5)) props.push(`recurrentInitializer: ${initializer(r)}`);
      if (kind === 'lstm' && r.chance(0.4)) props.push(`unitForgetBias: ${r.pick(['true', 'false'])}`);
      if (r.chance(0.3)) props.push(`returnSequences: ${r.pick(['true', 'false'])}`);
      break;
    case 'dropout':
      return `${prefix}dropout({ rate: ${number(r, String(r.pick([0.1, 0.25, 0.5])))} })`;
    case 'batchNormalization':
      return `${prefix}batchNormalization(${r.chance(0.5) ? '' : `{ epsilon: ${number(r, '1e-3')} }`})`;
    case 'activation':
      return `${prefix}activation({ activation: '${name(r, ACTIVATIONS)}' })`;
    case 'flatten':
      return `${prefix}flatten()`;
    case 'embedding':
      props.push(`inputDim: ${units(r)}`, `outputDim: ${units(r)}`, `embeddingsInitializer: ${initializer(r)}`);
      return `${prefix}embedding({ ${props.join(', ')} })`;
    default:
      props.push(`units: ${units(r)}`);
  }
  if (r.chance(0.8)) props.push(`activation: '${name(r, ACTIVATIONS)}'`);
  if (r.chance(0.7)) props.push(`kernelInitializer: ${initializer(r)}`);
  if (r.chance(0.2)) props.push(`useBias: ${r.pick(['true', 'false'])}`);
  if (r.chance(0.15)) props.push(`biasInitializer: ${initializer(r)}`);
  const multiline = r.chance(0.4);
  return multiline ? `${prefix}${kind}({\n    ${props.join(',\n    ')},\n  })` : `${prefix}${kind}({ ${props.join(', ')} })`;
}

/** A TS/JS program of 1 to 4 models in mixed styles. Returns the text and a file name with the right extension. */
export function generateTfjsProgram(r: Random): { text: string; fileName: string } {
  const typed = r.chance(0.7);
  const named = r.chance(0.2);
  const prefix = named ? 'layers.' : 'tf.layers.';
  const lines = [
    named
      ? "import { layers, sequential, model, input, initializers } from '@tensorflow/tfjs';"
      : "import * as tf from '@tensorflow/tfjs';",
    '',
  ];
  const fix = (code: string): string =>
    named ? code.replace(/tf\.(sequential|model|input)\(/g, '$1(').replace(/tf\.initializers\./g, 'initializers.') : code;
  const models = r.int(1, 4);
  for (let m = 0; m < models; m++) {
    const depth = r.int(1, r.chance(0.1) ? 40 : 8);
    const style = r.int(0, 4);
    if (style === 0) {
      lines.push(
        `${typed ? 'export ' : ''}function build${m}()${typed ? ': tf.Sequential' : ''} {`,
        `  const model${m} = tf.sequential();`,
      );
      for (let l = 0; l < depth; l++) lines.push(`  model${m}.add(${layerCall(r, l === 0, prefix)});`);
      lines.push(`  return model${m};`, '}');
    } else if (style === 1) {
      lines.push(`export const net${m} = tf.sequential({`, '  layers: [');
      for (let l = 0; l < depth; l++) lines.push(`    ${layerCall(r, l === 0, prefix)},`);
      lines.push('  ],', '});');
    } else if (style === 2) {
      lines.push(`const in${m} = tf.input({ shape: [${units(r)}] });`);
      let previous = `in${m}`;
      for (let l = 0; l < depth; l++) {
        const next = `h${m}_${l}`;
        lines.push(`const ${next} = ${layerCall(r, false, prefix)}.apply(${previous})${typed ? ' as tf.SymbolicTensor' : ''};`);
        if (r.chance(0.15) && l > 0) {
          lines.push(`const sum${m}_${l} = ${prefix}add().apply([${next}, ${previous}])${typed ? ' as tf.SymbolicTensor' : ''};`);
          previous = `sum${m}_${l}`;
        } else previous = next;
      }
      lines.push(
        `export const functional${m} = tf.model({ inputs: in${m}, outputs: ${previous}${r.chance(0.5) ? `, name: 'model_${m}'` : ''} });`,
      );
    } else if (style === 3) {
      // A helper that returns a layer, called in a loop: the interpreter follows both.
      lines.push(
        `const WIDTH${m} = ${units(r)};`,
        `function block${m}(size${typed ? ': number' : ''}) {`,
        `  return ${layerCall(r, false, prefix).replace(/units: [^,}]+/, 'units: size')};`,
        '}',
      );
      lines.push(`const looped${m} = tf.sequential();`, `looped${m}.add(${layerCall(r, true, prefix)});`);
      lines.push(
        `for (let i = 0; i < ${r.chance(0.1) ? r.pick(HOSTILE_NUMBERS) : r.int(0, 12)}; i++) {`,
        `  looped${m}.add(block${m}(WIDTH${m}));`,
        '}',
      );
    } else {
      // Config objects kept in variables and spread, as larger code bases do.
      lines.push(`const base${m} = { activation: '${name(r, ACTIVATIONS)}', kernelInitializer: ${initializer(r)} };`);
      lines.push(`export const spread${m} = tf.sequential();`);
      for (let l = 0; l < depth; l++)
        lines.push(`spread${m}.add(${prefix}dense({ ...base${m}, units: ${units(r)}${l === 0 ? `, inputShape: [${units(r)}]` : ''} }));`);
    }
    if (r.chance(0.3)) lines.push(`// model-lint-disable-next-line ${r.pick(['symmetric-init', 'vanishing-gradient-predicted', ''])}`);
    lines.push('');
  }
  return { text: fix(lines.join('\n')), fileName: `generated.${typed ? 'ts' : 'js'}` };
}
