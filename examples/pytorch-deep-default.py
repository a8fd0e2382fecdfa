"""A deep ReLU MLP left at PyTorch's default init: U(±1/sqrt(fan_in)) weights and biases in every nn.Linear."""
import torch.nn as nn


class DeepMlp(nn.Module):
    def __init__(self, features=512, depth=10, classes=10):
        super().__init__()
        self.hidden = nn.ModuleList([nn.Linear(features, features) for _ in range(depth)])
        self.act = nn.ReLU()
        self.head = nn.Linear(features, classes)

    def forward(self, x):
        for layer in self.hidden:
            x = self.act(layer(x))
        return self.head(x)
