"""Measures what real Keras 3 does, for test/engine/catalog/catalog-vs-keras.test.ts to compare with the catalog.

Run with the oracle venv's python and KERAS_BACKEND=numpy. Prints one JSON document on stdout:
- layers: each layer built with its default initializers, the realized mean / variance of every weight
  (the LSTM forget-gate bias slice on its own), the serialized default initializers and activations;
- initializer_names: every name keras.initializers.get accepts as a string (enumerated from Keras itself) plus
  spellings that it rejects, each with the class and config it resolves to;
- initializers: realized moments of every accepted name and of instances with arguments on kernels of known fans;
- activations: every name keras.activations.get accepts, with phi and a central-difference phi' on fixed points
  (float32, as Keras computes them).
"""
import json
import math
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "numpy")

import numpy as np  # noqa: E402
import keras  # noqa: E402

SEED = 1234


def moments(values, shape=None):
    """Mean, variance, second moment and count of an array, in float64."""
    array = np.asarray(values, dtype=np.float64)
    mean = float(array.mean())
    second = float((array * array).mean())
    return {
        "shape": list(shape if shape is not None else array.shape),
        "count": int(array.size),
        "mean": mean,
        "variance": float(array.var()),
        "secondMoment": second,
    }


def serialized(config_value):
    """The class name and config of a serialized initializer in a layer's get_config()."""
    if isinstance(config_value, dict):
        return {"className": config_value.get("class_name"), "config": config_value.get("config") or {}}
    return {"className": config_value, "config": {}}


# (engine layer type, Keras class, constructor kwargs, input shape without batch). Sizes are chosen so that every
# randomly drawn weight has at least 32k entries: its sampled variance is then within ~0.8% (one standard error).
LAYERS = [
    ("dense", "Dense", {"units": 256}, [256]),
    ("conv1d", "Conv1D", {"filters": 128, "kernel_size": 5}, [20, 64]),
    ("conv2d", "Conv2D", {"filters": 64, "kernel_size": 3}, [8, 8, 64]),
    ("conv3d", "Conv3D", {"filters": 32, "kernel_size": 3}, [5, 5, 5, 48]),
    ("conv2dTranspose", "Conv2DTranspose", {"filters": 96, "kernel_size": 3}, [6, 6, 48]),
    ("separableConv2d", "SeparableConv2D", {"filters": 256, "kernel_size": 5, "depth_multiplier": 8}, [10, 10, 160]),
    ("depthwiseConv2d", "DepthwiseConv2D", {"kernel_size": 5, "depth_multiplier": 8}, [10, 10, 160]),
    ("lstm", "LSTM", {"units": 96}, [4, 96]),
    ("gru", "GRU", {"units": 96}, [4, 128]),
    ("simpleRNN", "SimpleRNN", {"units": 192}, [4, 192]),
    ("embedding", "Embedding", {"input_dim": 1000, "output_dim": 64}, [7]),
    ("batchNormalization", "BatchNormalization", {}, [16]),
    ("layerNormalization", "LayerNormalization", {}, [16]),
]


def measure_layers():
    out = []
    for layer_type, class_name, kwargs, input_shape in LAYERS:
        keras.utils.set_random_seed(SEED)
        layer = getattr(keras.layers, class_name)(**kwargs)
        layer.build(tuple([None] + input_shape))
        config = layer.get_config()
        weights = []
        for variable in layer.weights:
            name = variable.path.split("/")[-1]
            values = np.asarray(keras.ops.convert_to_numpy(variable.value))
            if layer_type == "lstm" and name == "bias":
                units = kwargs["units"]
                forget = values[units:2 * units]
                other = np.concatenate([values[:units], values[2 * units:]])
                weights.append({"name": "bias[forget]", **moments(forget)})
                weights.append({"name": "bias[input,cell,output]", **moments(other)})
            else:
                weights.append({"name": name, **moments(values)})
        initializers = {key: serialized(value) for key, value in config.items() if key.endswith("_initializer")}
        out.append({
            "type": layer_type,
            "className": class_name,
            "kwargs": kwargs,
            "inputShape": input_shape,
            "weights": weights,
            "initializers": initializers,
            "activation": config.get("activation"),
            "recurrentActivation": config.get("recurrent_activation"),
            "unitForgetBias": config.get("unit_forget_bias"),
        })
    return out


# Spellings Keras might or might not accept: TF.js camelCase ids, PyTorch names, case variants.
REJECTED_CANDIDATES = [
    "glorotNormal", "glorotUniform", "heNormal", "heUniform", "leCunNormal", "leCunUniform", "lecunNormal",
    "randomNormal", "randomUniform", "truncatedNormal", "varianceScaling", "xavier_normal", "xavier_uniform",
    "kaiming_normal", "kaiming_uniform", "Glorot_Uniform", "he-normal", "HENORMAL", "LeCunNormal",
]


def initializer_names():
    """Every string keras.initializers.get resolves, from Keras's own table, and the candidate spellings it rejects."""
    from keras.src import initializers as internal  # the public module has no list of its names

    names = sorted(internal.ALL_OBJECTS_DICT.keys()) + REJECTED_CANDIDATES
    out = []
    for name in names:
        try:
            instance = keras.initializers.get(name)
        except Exception as error:  # Keras raises ValueError / TypeError for unknown ids
            out.append({"name": name, "accepted": False, "error": type(error).__name__})
            continue
        if instance is None or not isinstance(instance, keras.initializers.Initializer):
            out.append({"name": name, "accepted": False, "error": "not an initializer"})
            continue
        out.append({
            "name": name,
            "accepted": True,
            "className": type(instance).__name__,
            "config": instance.get_config(),
        })
    return out


# Kernel shapes with fans that tell fan_in, fan_out and fan_avg apart.
DENSE_SHAPE = [200, 300]
CONV_SHAPE = [5, 5, 32, 64]


def draw(initializer, shape):
    return keras.ops.convert_to_numpy(initializer(tuple(shape), dtype="float32"))


# Instances with arguments: (label, class name, kwargs as Python writes them, shapes).
INSTANCES = [
    ("RandomNormal(stddev=0.05)", "RandomNormal", {"stddev": 0.05}, [DENSE_SHAPE]),
    ("RandomNormal(mean=0.1, stddev=0.2)", "RandomNormal", {"mean": 0.1, "stddev": 0.2}, [DENSE_SHAPE]),
    ("RandomNormal(stddev=0)", "RandomNormal", {"stddev": 0.0}, [DENSE_SHAPE]),
    ("RandomUniform(-0.1, 0.3)", "RandomUniform", {"minval": -0.1, "maxval": 0.3}, [DENSE_SHAPE]),
    ("RandomUniform(minval=0)", "RandomUniform", {"minval": 0.0}, [DENSE_SHAPE]),
    ("TruncatedNormal(stddev=0.5)", "TruncatedNormal", {"stddev": 0.5}, [DENSE_SHAPE]),
    ("TruncatedNormal(mean=-0.2, stddev=0.1)", "TruncatedNormal", {"mean": -0.2, "stddev": 0.1}, [DENSE_SHAPE]),
    ("VarianceScaling(scale=2, mode='fan_out', distribution='uniform')", "VarianceScaling",
     {"scale": 2.0, "mode": "fan_out", "distribution": "uniform"}, [DENSE_SHAPE, CONV_SHAPE]),
    ("VarianceScaling(scale=3, mode='fan_avg', distribution='normal')", "VarianceScaling",
     {"scale": 3.0, "mode": "fan_avg", "distribution": "normal"}, [DENSE_SHAPE, CONV_SHAPE]),
    ("VarianceScaling(mode='fan_out', distribution='untruncated_normal')", "VarianceScaling",
     {"mode": "fan_out", "distribution": "untruncated_normal"}, [DENSE_SHAPE]),
    ("VarianceScaling(scale=0.5, distribution='truncated_normal')", "VarianceScaling",
     {"scale": 0.5, "distribution": "truncated_normal"}, [DENSE_SHAPE]),
    ("VarianceScaling(input_axes=[0], output_axes=[1, 2])", "VarianceScaling",
     {"input_axes": [0], "output_axes": [1, 2]}, [[8, 40, 30]]),
    ("Orthogonal(gain=2)", "Orthogonal", {"gain": 2.0}, [DENSE_SHAPE, CONV_SHAPE]),
    ("Orthogonal(gain=0.5)", "Orthogonal", {"gain": 0.5}, [[300, 200]]),
    ("Constant(3)", "Constant", {"value": 3.0}, [DENSE_SHAPE]),
    ("Constant(-0.25)", "Constant", {"value": -0.25}, [CONV_SHAPE]),
    ("Identity()", "Identity", {}, [DENSE_SHAPE]),
    ("Identity(gain=2)", "Identity", {"gain": 2.0}, [[150, 150]]),
]


def measure_initializers(names):
    out = []
    for entry in names:
        if not entry["accepted"]:
            continue
        # Identity is 2-D only; STFT needs a window shape of its own and is not a weight initializer for kernels.
        shapes = [DENSE_SHAPE] if entry["className"] in ("Identity",) else [DENSE_SHAPE, CONV_SHAPE]
        for shape in shapes:
            keras.utils.set_random_seed(SEED)
            try:
                values = draw(keras.initializers.get(entry["name"]), shape)
            except Exception as error:
                out.append({"label": entry["name"], "name": entry["name"], "kwargs": {}, "shape": shape, "error": str(error)})
                continue
            out.append({"label": entry["name"], "name": entry["name"], "kwargs": {}, **moments(values, shape)})
    for label, class_name, kwargs, shapes in INSTANCES:
        instance = getattr(keras.initializers, class_name)(**kwargs)
        for shape in shapes:
            keras.utils.set_random_seed(SEED)
            values = draw(instance, shape)
            out.append({
                "label": label,
                "name": class_name,
                "kwargs": kwargs,
                "config": instance.get_config(),
                **moments(values, shape),
            })
    return out


POINTS = [-8 + i * 0.05 + 0.0123 for i in range(321)]
# Keras's numpy backend computes most activations in float32 whatever floatx says (its dtype promotion maps float64
# inputs to float32), so the slope is a central difference over a step large enough for float32 values.
STEP = 1e-3


def measure_activations():
    from keras.src import activations as internal

    x = np.asarray(POINTS, dtype=np.float32)
    above = (x + np.float32(STEP)).astype(np.float32)
    below = (x - np.float32(STEP)).astype(np.float32)
    width = above.astype(np.float64) - below.astype(np.float64)  # the step float32 really took
    out = []
    for name in sorted(internal.ALL_OBJECTS_DICT.keys()):
        fn = keras.activations.get(name)

        def apply(values):
            return np.asarray(keras.ops.convert_to_numpy(fn(keras.ops.convert_to_tensor(values[None, :]))), dtype=np.float64)[0]

        entry = {"name": name}
        try:
            y = apply(x)
            slope = (apply(above) - apply(below)) / width
            entry["points"] = [float(v) for v in x]
            entry["phi"] = [float(v) for v in y]
            entry["slope"] = [float(v) for v in slope]
        except Exception as error:  # glu halves its last axis, threshold needs arguments: not plain elementwise functions
            entry["error"] = f"{type(error).__name__}: {error}"
        out.append(entry)
    return out


def advanced_layers():
    """Default slopes of the activation layers (they differ from the activation functions' defaults)."""
    return {
        "LeakyReLU.negative_slope": keras.layers.LeakyReLU().get_config()["negative_slope"],
        "ELU.alpha": keras.layers.ELU().get_config().get("alpha", 1.0),
        "leaky_relu.negative_slope": float(
            keras.ops.convert_to_numpy(keras.activations.leaky_relu(np.asarray([-1.0], dtype=np.float32)))[0] * -1
        ),
    }


def main():
    names = initializer_names()
    document = {
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "layers": measure_layers(),
        "initializerNames": names,
        "initializers": measure_initializers(names),
        "activations": measure_activations(),
        "activationLayers": advanced_layers(),
    }
    json.dump(document, sys.stdout, allow_nan=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
