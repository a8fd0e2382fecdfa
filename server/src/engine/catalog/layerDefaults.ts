// Layer facts of TF.js and Keras: defaults (they differ) used when the config omits them, and the gate count of recurrent layers.
import type { Dialect, LayerType } from '../ir';
import type { InitializerId } from './names';
import { ownValue } from '../ownKeys';

/** Default initializers of one layer type, by camelCase config key. */
export type InitializerDefaults = Partial<Record<string, InitializerId>>;

const KERNEL_LAYERS: LayerType[] = ['dense', 'conv1d', 'conv2d', 'conv3d', 'conv2dTranspose'];

/** Default initializer ids per config key for a layer type in a dialect. */
export function defaultInitializers(type: LayerType, dialect: Dialect): InitializerDefaults {
  const glorot: InitializerId = dialect === 'tfjs' ? 'glorotNormal' : 'glorotUniform';
  if (KERNEL_LAYERS.includes(type)) return { kernelInitializer: glorot, biasInitializer: 'zeros' };
  switch (type) {
    // TF.js's SeparableConv defaults both kernels to glorotUniform (unlike its other conv layers): checked against getConfig().
    case 'separableConv2d':
      return { depthwiseInitializer: 'glorotUniform', pointwiseInitializer: 'glorotUniform', biasInitializer: 'zeros' };
    case 'depthwiseConv2d':
      return { depthwiseInitializer: glorot, biasInitializer: 'zeros' };
    case 'lstm':
    case 'gru':
    case 'simpleRNN':
      return { kernelInitializer: glorot, recurrentInitializer: 'orthogonal', biasInitializer: 'zeros' };
    case 'embedding':
      return { embeddingsInitializer: 'randomUniform' };
    case 'batchNormalization':
      return { betaInitializer: 'zeros', gammaInitializer: 'ones', movingMeanInitializer: 'zeros', movingVarianceInitializer: 'ones' };
    case 'layerNormalization':
      return { betaInitializer: 'zeros', gammaInitializer: 'ones' };
    default:
      return {};
  }
}

/** Default output activation of a layer type (null when it has no activation config). */
export function defaultActivation(type: LayerType): string | null {
  if (KERNEL_LAYERS.includes(type) || type === 'separableConv2d' || type === 'depthwiseConv2d') return 'linear';
  if (type === 'lstm' || type === 'gru' || type === 'simpleRNN') return 'tanh';
  return null;
}

/** Default recurrent (gate) activation: TF.js hardSigmoid, Keras sigmoid. */
export function defaultRecurrentActivation(dialect: Dialect): string {
  return dialect === 'tfjs' ? 'hardSigmoid' : 'sigmoid';
}

/** Default of the LSTM forget-gate bias +1: TF.js off (unitForgetBias undefined), Keras on. */
export function defaultUnitForgetBias(dialect: Dialect): boolean {
  return dialect !== 'tfjs';
}

/** The config key of a layer's main kernel initializer ('kernelInitializer', 'depthwiseInitializer', 'embeddingsInitializer'). */
export function kernelKeyOf(type: LayerType): string | null {
  if (KERNEL_LAYERS.includes(type) || type === 'lstm' || type === 'gru' || type === 'simpleRNN') return 'kernelInitializer';
  if (type === 'separableConv2d' || type === 'depthwiseConv2d') return 'depthwiseInitializer';
  if (type === 'embedding') return 'embeddingsInitializer';
  return null;
}

/** Gate blocks of the recurrent layers: each kernel is [rows, gates * units] (LSTM input/forget/cell/output, GRU update/reset/candidate). */
const RECURRENT_GATES: Partial<Record<LayerType, number>> = { lstm: 4, gru: 3, simpleRNN: 1 };

/** The number of gate blocks in a recurrent layer's kernels (LSTM 4, GRU 3, SimpleRNN 1); null for a layer that is not recurrent. */
export function recurrentGateCount(type: LayerType): number | null {
  return ownValue(RECURRENT_GATES, type) ?? null;
}
