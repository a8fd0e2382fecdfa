"""MNIST digit classifier as a PyTorch multilayer perceptron on flattened 28x28 images (has initialization bugs).

The images come in flattened, so the first layer's fan-in is the model's input size (the probe needs no shape)."""
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
        nn.init.xavier_uniform_(self.fc1.weight)
        with torch.no_grad():
            self.fc2.weight.data.zero_()
            self.fc3.weight.normal_(0, 1)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = F.relu(self.fc3(x))
        return self.out(x)


def train(model, loader, epochs=5):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        for images, labels in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(images), labels)
            loss.backward()
            optimizer.step()
