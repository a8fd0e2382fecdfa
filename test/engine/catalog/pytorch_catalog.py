"""Oracle for the PyTorch catalog: realized weight statistics from real PyTorch.

Reads a JSON request on stdin (cases written by test/engine/catalog/catalog-vs-pytorch.test.ts), builds each layer or
applies each init call with torch.manual_seed, and prints one JSON object with the realized mean and variance of
every case, plus calculate_gain values. Sampling repeats a draw until at least `min_samples` values are collected,
so means and variances are good to well under 1 %.
"""
import json
import sys
import warnings

import torch
from torch import nn


def moments(draw, min_samples):
    """Mean and variance (float64) of the values of repeated draws, until min_samples values are seen."""
    chunks = []
    count = 0
    while count < min_samples:
        values = draw().detach().to(torch.float64).flatten()
        chunks.append(values)
        count += values.numel()
        if values.numel() == 0:
            raise ValueError('empty draw')
    values = torch.cat(chunks)
    mean = values.mean().item()
    variance = values.var(unbiased=False).item()
    return {'mean': mean, 'variance': variance, 'samples': values.numel()}


def layer_draw(case):
    """A draw of one layer parameter (or the sum of several, e.g. an RNN's two biases) of a freshly built module."""
    def draw():
        module = getattr(nn, case['module'])(*case.get('args', []), **case.get('kwargs', {}))
        total = None
        for name in case['parameters']:
            target = module
            for part in name.split('.'):
                target = getattr(target, part)
            total = target.clone() if total is None else total + target
        return total
    return draw


def init_draw(case):
    """A draw of an nn.init function (current or deprecated name) applied to a float64 tensor of the given shape."""
    function = getattr(nn.init, case['function'])

    def draw():
        tensor = torch.empty(case['shape'], dtype=torch.float64)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # the deprecated names warn on every call
            function(tensor, *case.get('args', []), **case.get('kwargs', {}))
        return tensor
    return draw


def method_draw(case):
    """A draw of an in-place tensor method on a float64 tensor of the given shape."""
    def draw():
        tensor = torch.empty(case['shape'], dtype=torch.float64)
        getattr(tensor, case['method'])(*case.get('args', []), **case.get('kwargs', {}))
        return tensor
    return draw


def main():
    request = json.load(sys.stdin)
    torch.manual_seed(request.get('seed', 0))
    min_samples = request.get('min_samples', 400000)
    result = {'torch': torch.__version__, 'layers': {}, 'inits': {}, 'methods': {}, 'gains': {}}
    for case in request.get('layers', []):
        result['layers'][case['id']] = moments(layer_draw(case), case.get('min_samples', min_samples))
    for case in request.get('inits', []):
        result['inits'][case['id']] = moments(init_draw(case), case.get('min_samples', min_samples))
    for case in request.get('methods', []):
        result['methods'][case['id']] = moments(method_draw(case), case.get('min_samples', min_samples))
    for case in request.get('gains', []):
        try:
            value = nn.init.calculate_gain(*case['args'])
        except ValueError:
            value = None
        result['gains'][case['id']] = value
    json.dump(result, sys.stdout)


if __name__ == '__main__':
    main()
