"""A Keras classifier for 784-feature inputs (has initialization bugs)."""
import keras
from keras import layers, initializers

model = keras.Sequential([
    keras.Input(shape=(784,)),
    layers.Dense(256, activation="relu", kernel_initializer="glorot_uniform"),
    layers.Dense(256, activation="tanh", kernel_initializer=initializers.HeNormal()),
    layers.Dense(128, activation="relu", kernel_initializer="zeros"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
