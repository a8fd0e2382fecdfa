// Builds PyTorch layers' IR by hand, with the PyTorch catalog's specs, for probe tests that need layers no fixture has.
import { torchDefaultSpec } from '../../server/src/engine/catalog/pytorchDefaults';
import type { InitializerAttr, InitializerSpec, Layer, Model } from '../../server/src/engine/ir';
import { activationAttr, layer, sequential } from './irBuilder';

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
  const defaults = (key: string): InitializerSpec => torchDefaultSpec('dense', key, { fanIn: inFeatures })!;
  return layer({
    id,
    type: 'dense',
    className: 'Linear',
    config: { units: outFeatures },
    activation: activation === 'linear' ? activationAttr('linear', 'default') : activationAttr(activation, 'own'),
    kernelInitializer: attr('kernelInitializer', init.weight ?? defaults('kernelInitializer'), init.weight !== undefined),
    biasInitializer: attr('biasInitializer', init.bias ?? defaults('biasInitializer'), init.bias !== undefined),
    fanIn: inFeatures,
    fanOut: outFeatures,
    outputSize: outFeatures,
    outputShape: [outFeatures],
  });
}

/** A PyTorch sequential model of the given layers (channels-last input shape). */
export function torchModel(name: string, layers: Layer[], inputShape: number[]): Model {
  const model = sequential(layers, { inputDim: null, dialect: 'pytorch', name });
  return { ...model, inputShape };
}
