// Hand-made IR models for the probe's tests, its bench and the static-vs-measured correlation zoo.
import type { InitializerAttr, InitializerSpec, Layer, Model } from '../../server/src/engine/ir';

/** How a generated layer stack is initialised: a TF.js alias or a spec. */
export type InitChoice = string | InitializerSpec;

const ALIAS_SPECS: Record<string, InitializerSpec> = {
  glorotNormal: { kind: 'varianceScaling', scale: 1, mode: 'fanAvg', distribution: 'normal' },
  glorotUniform: { kind: 'varianceScaling', scale: 1, mode: 'fanAvg', distribution: 'uniform' },
  heNormal: { kind: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'normal' },
  heUniform: { kind: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'uniform' },
  leCunNormal: { kind: 'varianceScaling', scale: 1, mode: 'fanIn', distribution: 'normal' },
  leCunUniform: { kind: 'varianceScaling', scale: 1, mode: 'fanIn', distribution: 'uniform' },
  zeros: { kind: 'zeros' },
  ones: { kind: 'ones' },
  orthogonal: { kind: 'orthogonal', gain: 1 },
};

/** An initializer attribute as a front end would produce it. */
export function initAttr(choice: InitChoice, key = 'kernelInitializer', explicit = true): InitializerAttr {
  if (typeof choice === 'string') {
    const spec = ALIAS_SPECS[choice];
    if (!spec) throw new Error(`no spec for alias ${choice}`);
    return { key, spec, explicit, alias: choice, form: explicit ? 'string' : 'default' };
  }
  return { key, spec: choice, explicit, alias: null, form: 'object' };
}

let spanCursor = 0;
function span(): { start: number; end: number } {
  spanCursor += 10;
  return { start: spanCursor, end: spanCursor + 5 };
}

/** A layer of the IR with the fields the probe reads. */
export function irLayer(partial: Partial<Layer> & Pick<Layer, 'type' | 'className'>, index: number): Layer {
  return {
    id: partial.id ?? `${partial.type}_${index}`,
    name: partial.name ?? `${partial.className}#${index}`,
    config: {},
    activation: { name: 'linear', explicit: false, source: 'default' },
    fanIn: null,
    fanOut: null,
    outputSize: null,
    span: span(),
    properties: {},
    inbound: [],
    ...partial,
  };
}

/** Options of a generated dense stack. */
export interface MlpSpec {
  inputSize: number;
  widths: number[];
  activation: string;
  init: InitChoice;
  outputUnits?: number;
  outputActivation?: string;
  /** Kernel init of the output layer (default: the same as the hidden layers). */
  outputInit?: InitChoice;
  /** Insert a batchNormalization after every hidden dense layer (before its activation). */
  batchNorm?: boolean;
  name?: string;
}

/** A sequential dense model in the IR. */
export function mlp(spec: MlpSpec): Model {
  const layers: Layer[] = [];
  let fanIn = spec.inputSize;
  spec.widths.forEach((width, i) => {
    const bn = spec.batchNorm === true;
    layers.push(
      irLayer(
        {
          type: 'dense',
          className: 'dense',
          name: `hidden${i + 1}`,
          config: { units: width, ...(i === 0 ? { inputShape: [spec.inputSize] } : {}), ...(bn ? {} : { activation: spec.activation }) },
          activation: bn
            ? { name: 'linear', explicit: false, source: 'default' }
            : { name: spec.activation, explicit: true, source: 'own' },
          kernelInitializer: initAttr(spec.init),
          biasInitializer: initAttr('zeros', 'biasInitializer', false),
          fanIn,
          fanOut: width,
          outputSize: width,
        },
        layers.length,
      ),
    );
    if (bn) {
      layers.push(
        irLayer(
          { type: 'batchNormalization', className: 'batchNormalization', name: `bn${i + 1}`, config: {}, outputSize: width },
          layers.length,
        ),
      );
      layers.push(
        irLayer(
          {
            type: 'activation',
            className: 'activation',
            name: `act${i + 1}`,
            config: { activation: spec.activation },
            activation: { name: spec.activation, explicit: true, source: 'own' },
          },
          layers.length,
        ),
      );
    }
    fanIn = width;
  });
  const outputUnits = spec.outputUnits ?? 10;
  const outputActivation = spec.outputActivation ?? 'softmax';
  layers.push(
    irLayer(
      {
        type: 'dense',
        className: 'dense',
        name: 'output',
        config: { units: outputUnits, activation: outputActivation },
        activation: { name: outputActivation, explicit: true, source: 'own' },
        kernelInitializer: initAttr(spec.outputInit ?? spec.init),
        biasInitializer: initAttr('zeros', 'biasInitializer', false),
        fanIn,
        fanOut: outputUnits,
        outputSize: outputUnits,
      },
      layers.length,
    ),
  );
  return {
    name: spec.name ?? 'model',
    kind: 'sequential',
    dialect: 'tfjs',
    span: { start: 0, end: 1 },
    layers,
    inputShape: [spec.inputSize],
    loss: null,
    notes: [],
  };
}

/** Options of a generated conv stack. */
export interface CnnSpec {
  convLayers: number;
  filters: number;
  inputShape: [number, number, number];
  activation: string;
  init: InitChoice;
  classes?: number;
}

/** A sequential conv2d stack (3x3, same padding), flatten, softmax dense. */
export function cnn(spec: CnnSpec): Model {
  const layers: Layer[] = [];
  let channels = spec.inputShape[2];
  for (let i = 0; i < spec.convLayers; i++) {
    layers.push(
      irLayer(
        {
          type: 'conv2d',
          className: 'conv2d',
          name: `conv${i + 1}`,
          config: {
            filters: spec.filters,
            kernelSize: 3,
            padding: 'same',
            activation: spec.activation,
            ...(i === 0 ? { inputShape: spec.inputShape } : {}),
          },
          activation: { name: spec.activation, explicit: true, source: 'own' },
          kernelInitializer: initAttr(spec.init),
          biasInitializer: initAttr('zeros', 'biasInitializer', false),
          fanIn: 9 * channels,
          fanOut: 9 * spec.filters,
          outputSize: spec.filters,
        },
        layers.length,
      ),
    );
    channels = spec.filters;
  }
  layers.push(irLayer({ type: 'flatten', className: 'flatten', name: 'flatten', config: {} }, layers.length));
  const classes = spec.classes ?? 10;
  const flat = spec.inputShape[0] * spec.inputShape[1] * channels;
  layers.push(
    irLayer(
      {
        type: 'dense',
        className: 'dense',
        name: 'output',
        config: { units: classes, activation: 'softmax' },
        activation: { name: 'softmax', explicit: true, source: 'own' },
        kernelInitializer: initAttr('glorotNormal', 'kernelInitializer', false),
        biasInitializer: initAttr('zeros', 'biasInitializer', false),
        fanIn: flat,
        fanOut: classes,
        outputSize: classes,
      },
      layers.length,
    ),
  );
  return {
    name: 'cnn',
    kind: 'sequential',
    dialect: 'tfjs',
    span: { start: 0, end: 1 },
    layers,
    inputShape: spec.inputShape,
    loss: null,
    notes: [],
  };
}
