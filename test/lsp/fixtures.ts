// Inline model sources for the protocol tests: TS, Keras JSON and Keras Python models with known problems.
import * as ts from 'typescript';

/** A TF.js model: a zeros kernel feeding further layers (symmetric-init) and explicit Glorot before relu (glorot-with-relu). */
export const TS_MODEL = `import * as tf from '@tensorflow/tfjs';

export const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu', kernelInitializer: 'zeros' }),
    tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: 'glorotNormal' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
`;

/** A Keras 2 model.to_json(): He before tanh (he-with-saturating). */
export const JSON_MODEL = `{
  "class_name": "Sequential",
  "config": {
    "name": "classifier",
    "layers": [
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 32], "dtype": "float32", "name": "input"}},
      {"class_name": "Dense", "config": {"name": "hidden", "units": 64, "activation": "tanh",
        "kernel_initializer": {"class_name": "HeNormal", "config": {"seed": null}}}},
      {"class_name": "Dense", "config": {"name": "out", "units": 10, "activation": "softmax"}}
    ]
  },
  "keras_version": "2.15.0",
  "backend": "tensorflow"
}
`;

/** A Keras model in Python: He before tanh (he-with-saturating) and a zeros kernel before relu (symmetric-init). */
export const PY_MODEL = `import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(784,)),
    layers.Dense(256, activation='tanh', kernel_initializer='he_normal'),
    layers.Dense(128, activation='relu', kernel_initializer='zeros'),
    layers.Dense(10, activation='softmax'),
])
`;

/** A TS file without any model: must cost nothing and get no diagnostics. */
export const TS_NOT_A_MODEL = `export function add(a: number, b: number): number {\n  return a + b;\n}\n`;

/** Syntax problems TypeScript reports for a text (empty = it parses). */
export function typescriptSyntaxErrors(text: string, fileName = 'model.ts'): string[] {
  const output = ts.transpileModule(text, { fileName, reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  return (output.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** A deep sigmoid stack in TS: the propagation predicts vanishing gradients. */
export function deepSigmoidModel(depth: number): string {
  const hidden = Array.from({ length: depth }, () => `    tf.layers.dense({ units: 64, activation: 'sigmoid' }),`).join('\n');
  return `import * as tf from '@tensorflow/tfjs';\n\nexport const deep = tf.sequential({\n  layers: [\n    tf.layers.dense({ inputShape: [64], units: 64, activation: 'sigmoid' }),\n${hidden}\n    tf.layers.dense({ units: 1 }),\n  ],\n});\n`;
}
