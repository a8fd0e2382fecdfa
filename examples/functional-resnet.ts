// A small residual CNN for 32x32 RGB images (CIFAR-10) built with the functional API.
import * as tf from '@tensorflow/tfjs';

const FILTERS = 32;

const input = tf.input({ shape: [32, 32, 3] });
const stem = tf.layers.conv2d({ filters: FILTERS, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: 'heNormal' }).apply(input) as tf.SymbolicTensor;
const stemNorm = tf.layers.batchNormalization().apply(stem) as tf.SymbolicTensor;
const stemOut = tf.layers.activation({ activation: 'relu' }).apply(stemNorm) as tf.SymbolicTensor;

// Residual block: conv-bn-relu-conv-bn added to its input.
const branchConv1 = tf.layers.conv2d({ filters: FILTERS, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: 'heNormal' }).apply(stemOut) as tf.SymbolicTensor;
const branchNorm1 = tf.layers.batchNormalization().apply(branchConv1) as tf.SymbolicTensor;
const branchRelu = tf.layers.activation({ activation: 'relu' }).apply(branchNorm1) as tf.SymbolicTensor;
const branchConv2 = tf.layers.conv2d({ filters: FILTERS, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: 'glorotUniform' }).apply(branchRelu) as tf.SymbolicTensor;
const branchNorm2 = tf.layers.batchNormalization().apply(branchConv2) as tf.SymbolicTensor;
const residual = tf.layers.add().apply([stemOut, branchNorm2]) as tf.SymbolicTensor;
const blockOut = tf.layers.activation({ activation: 'relu' }).apply(residual) as tf.SymbolicTensor;

const pooled = tf.layers.globalAveragePooling2d({}).apply(blockOut) as tf.SymbolicTensor;
const logits = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor;

/** The compiled residual network. */
export const resnet = tf.model({ inputs: input, outputs: logits, name: 'cifar_resnet' });
resnet.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
