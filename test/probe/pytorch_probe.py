"""Measures, in real PyTorch, what model-lint's probe measures at its first step, for the probe parity test.

Each model file defines build() -> (model, input_shape) in plain PyTorch (input_shape without the batch
dimension, as PyTorch lays it out). The data follow the probe's recipe in distribution (not its random
stream): inputs N(0, 1), targets N(0, 1) shaped like the output, mean squared error over every element.
Per seed the model is built after torch.manual_seed(seed), so its initialization is PyTorch's own.

The probe's layers are the model's leaf modules in call order, as model-lint's Python front end reads an
nn.Sequential: each Linear, Conv, activation module, Flatten or Dropout is one layer.

Prints JSON: for every model and seed, per layer the weight-gradient norm, the population std of the
layer's output, the second moment of a Linear's or Conv's output (the pre-activation of the activation
after it), and for the model's output the variance across inputs (per unit, averaged) and the squared mean.

Usage: python3 pytorch_probe.py --batch 32 --seeds 1,2,3 model_a.py model_b.py ...
"""
import argparse
import importlib.util
import json
import os
import sys

import torch

# Loading the model files must leave nothing behind in the checkout.
sys.dont_write_bytecode = True


def load_build(path):
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location('parity_' + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return name, module.build


def leaf_modules(model):
    return [m for m in model.modules() if len(list(m.children())) == 0]


def measure(build, batch, seed):
    torch.manual_seed(seed)
    model, input_shape = build()
    model.train()
    calls = []
    hooks = [m.register_forward_hook(lambda module, _inputs, output: calls.append((module, output)))
             for m in leaf_modules(model)]
    # Inputs and targets from a generator of their own, so the weights' draws come first as in the probe.
    data = torch.Generator().manual_seed(seed * 7919 + 17)
    x = torch.randn((batch,) + tuple(input_shape), generator=data)
    y_pred = model(x)
    y_true = torch.randn(y_pred.shape, generator=data)
    loss = torch.mean((y_pred - y_true) ** 2)
    loss.backward()
    for hook in hooks:
        hook.remove()

    result = []
    for index, (module, output) in enumerate(calls):
        output = output.detach().double()
        weight = getattr(module, 'weight', None)
        weight = weight if isinstance(weight, torch.Tensor) else None
        result.append({
            'index': index,
            'module': type(module).__name__,
            'gradNorm': None if weight is None or weight.grad is None else float(weight.grad.double().norm()),
            'weightNorm': None if weight is None else float(weight.detach().double().norm()),
            'outputStd': float(output.std(unbiased=False)),
            'outputMean': float(output.mean()),
            # For a Linear or Conv, its output is the pre-activation of the activation after it.
            'preSecondMoment': None if weight is None else float((output ** 2).mean()),
        })
    out = y_pred.detach().double().reshape(batch, -1)
    return {
        'loss': float(loss),
        'layers': result,
        'output': {
            'acrossInputVariance': float(out.var(dim=0, unbiased=False).mean()),
            'squaredMean': float((out.mean(dim=0) ** 2).mean()),
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--seeds', default='1,2,3')
    parser.add_argument('files', nargs='+')
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(',') if s]
    torch.set_num_threads(1)
    report = {'torch': torch.__version__, 'batch': args.batch, 'seeds': seeds, 'models': {}}
    for path in args.files:
        name, build = load_build(path)
        report['models'][name] = [measure(build, args.batch, seed) for seed in seeds]
    json.dump(report, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
