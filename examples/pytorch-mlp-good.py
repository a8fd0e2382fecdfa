"""The same MNIST classifier with He initialization for its ReLU layers."""
import torch
import torch.nn as nn
import torch.nn.functional as F

IMAGE_SIZE = 28 * 28
NUM_CLASSES = 10


class MnistMlp(nn.Module):
    def __init__(self, hidden=512):
        super().__init__()
        self.fc1 = nn.Linear(IMAGE_SIZE, hidden)
        self.fc2 = nn.Linear(hidden, 256)
        self.fc3 = nn.Linear(256, 128)
        self.out = nn.Linear(128, NUM_CLASSES)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module):
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = F.relu(self.fc3(x))
        return self.out(x)
