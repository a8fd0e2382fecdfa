"""The same Keras classifier with initializers that fit its activations."""
import keras
from keras import layers, initializers

model = keras.Sequential([
    keras.Input(shape=(784,)),
    layers.Dense(256, activation="relu", kernel_initializer="he_uniform"),
    layers.Dense(256, activation="tanh", kernel_initializer=initializers.GlorotNormal()),
    layers.Dense(128, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
