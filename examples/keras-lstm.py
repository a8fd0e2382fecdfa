"""A Keras sentiment classifier over token ids with a functional API LSTM (recurrent init problems)."""
import tensorflow as tf

VOCAB = 20000

inputs = tf.keras.Input(shape=(200,), dtype="int32")
x = tf.keras.layers.Embedding(VOCAB, 128)(inputs)
x = tf.keras.layers.LSTM(64, recurrent_initializer="glorot_uniform")(x)
outputs = tf.keras.layers.Dense(1, activation="sigmoid")(x)
model = tf.keras.Model(inputs, outputs)
