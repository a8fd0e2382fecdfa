"""Two small PyTorch regressors: a tanh network initialized for ReLU, and a SELU network with plain dropout."""
import torch.nn as nn


def init_for_relu(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight)
        nn.init.zeros_(m.bias)


tanh_net = nn.Sequential(
    nn.Linear(64, 128), nn.Tanh(),
    nn.Linear(128, 128), nn.Tanh(),
    nn.Linear(128, 1),
)
tanh_net.apply(init_for_relu)

selu_net = nn.Sequential(
    nn.Linear(64, 256), nn.SELU(), nn.Dropout(0.1),
    nn.Linear(256, 256), nn.SELU(),
    nn.Linear(256, 1),
)
