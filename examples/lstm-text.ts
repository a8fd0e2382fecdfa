// Sentiment classifier for tokenised movie reviews: embedding, LSTM, dense output.
import * as tf from '@tensorflow/tfjs';

const VOCABULARY_SIZE = 10000;
const SEQUENCE_LENGTH = 200;
const EMBEDDING_SIZE = 64;

/** Binary sentiment model; TF.js leaves the LSTM forget-gate bias at 0 unless asked. */
export function buildSentimentModel(): tf.Sequential {
  const model = tf.sequential({ name: 'sentiment_lstm' });
  model.add(tf.layers.embedding({ inputDim: VOCABULARY_SIZE, outputDim: EMBEDDING_SIZE, inputLength: SEQUENCE_LENGTH }));
  model.add(tf.layers.lstm({ units: 128, recurrentInitializer: 'glorotNormal', returnSequences: false }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}
