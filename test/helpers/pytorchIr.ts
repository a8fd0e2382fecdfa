// Builds PyTorch models' IR by hand, with the initializer specs the PyTorch catalog gives (for probe tests).
import type { InitializerAttr, InitializerSpec, Layer, Model } from '../../server/src/engine/ir';
import { activationAttr, layer, sequential } from './irBuilder';

/** PyTorch's default Linear/Conv weight: kaiming_uniform_(a=√5) = U(±1/√fan_in), variance 1/(3 fan_in). */
export const PYTORCH_DEFAULT_WEIGHT: InitializerSpec = { kind: 'varianceScaling', scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' };

/** PyTorch's default Linear/Conv bias: U(±1/√fan_in), as numbers. */
export function pytorchDefaultBias(fanIn: number): InitializerSpec {
  const bound = 1 / Math.sqrt(fanIn);
  return { kind: 'randomUniform', minval: -bound, maxval: bound };
}

/** nn.init.xavier_uniform_(w, gain). */
export function xavierUniform(gain = 1): InitializerSpec {
  return { kind: 'varianceScaling', scale: gain * gain, mode: 'fanAvg', distribution: 'uniform' };
}

/** nn.init.kaiming_normal_(w, nonlinearity=...) with the gain of that nonlinearity (linear 1, relu √2). */
export function kaimingNormal(gain: number): InitializerSpec {
  return { kind: 'varianceScaling', scale: gain * gain, mode: 'fanIn', distribution: 'untruncatedNormal' };
}

function attr(key: string, spec: InitializerSpec, explicit: boolean): InitializerAttr {
  return { key, spec, explicit, alias: null, form: explicit ? 'call' : 'default' };
}

/** Initializers of one layer: PyTorch's defaults unless a spec is given (an nn.init call). */
export interface TorchInit {
  weight?: InitializerSpec;
  bias?: InitializerSpec;
}

/** nn.Linear(inFeatures, outFeatures) with an activation folded in ('linear' when none follows). */
export function torchLinear(id: string, inFeatures: number, outFeatures: number, activation: string, init: TorchInit = {}): Layer {
  return layer({
    id, type: 'dense', className: 'Linear',
    config: { units: outFeatures },
    activation: activation === 'linear' ? activationAttr('linear', 'default') : activationAttr(activation, 'own'),
    kernelInitializer: attr('kernelInitializer', init.weight ?? PYTORCH_DEFAULT_WEIGHT, init.weight !== undefined),
    biasInitializer: attr('biasInitializer', init.bias ?? pytorchDefaultBias(inFeatures), init.bias !== undefined),
    fanIn: inFeatures, fanOut: outFeatures, outputSize: outFeatures, outputShape: [outFeatures],
  });
}

/** nn.Conv2d(inChannels, outChannels, k, stride, padding=k//2) on a square channels-last input, activation folded in. */
export function torchConv2d(id: string, inChannels: number, outChannels: number, kernelSize: number, stride: number, inputSize: number, activation: string): Layer {
  const fanIn = inChannels * kernelSize * kernelSize;
  const size = Math.ceil(inputSize / stride);
  return layer({
    id, type: 'conv2d', className: 'Conv2d',
    config: { filters: outChannels, kernelSize, strides: stride, padding: 'same' },
    activation: activationAttr(activation, 'own'),
    kernelInitializer: attr('kernelInitializer', PYTORCH_DEFAULT_WEIGHT, false),
    biasInitializer: attr('biasInitializer', pytorchDefaultBias(fanIn), false),
    fanIn, fanOut: outChannels * kernelSize * kernelSize, outputSize: outChannels, outputShape: [size, size, outChannels],
  });
}

/** nn.Flatten(). */
export function torchFlatten(id: string, size: number): Layer {
  return layer({ id, type: 'flatten', className: 'Flatten', outputSize: size, outputShape: [size] });
}

/** An nn.Sequential of Linear layers (widths[0] is the input), every hidden layer followed by `activation`. */
export function torchMlp(name: string, widths: number[], activation: string, init: (index: number) => TorchInit = () => ({})): Model {
  const layers = widths.slice(1).map((width, i) => torchLinear(`linear_${i + 1}`, widths[i], width, i === widths.length - 2 ? 'linear' : activation, init(i)));
  return torchModel(name, layers, [widths[0]]);
}

/** A PyTorch sequential model of the given layers (channels-last input shape). */
export function torchModel(name: string, layers: Layer[], inputShape: number[]): Model {
  const model = sequential(layers, { inputDim: null, dialect: 'pytorch', name });
  return { ...model, inputShape };
}
