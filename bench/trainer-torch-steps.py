"""bench/trainer-data-parallel.ts's PyTorch row: EfficientNet-Lite0 (ImageNet weights, the PyTorch
trainer's network, BatchNorm in inference mode as bnMode frozen), a GAP + dropout 0.3 + 5-class
head, full fine-tuning with Adam, on the replicas' pixel pattern. Prints one JSON line per epoch.

    PYTHONPATH=trainers/pytorch python bench/trainer-torch-steps.py SIZE IMAGES BATCH EPOCHS
"""

import json
import sys
import time

import numpy as np
import torch
from torch import nn

import efficientnet

size, images, batch, epochs = (int(a) for a in sys.argv[1:5])
torch.manual_seed(1)
base = efficientnet.base(pretrained=True)
model = nn.Sequential(base, nn.Flatten(), nn.Dropout(0.3), nn.Linear(1280, 5))
model.train()
for m in base.modules():
    if isinstance(m, nn.modules.batchnorm._BatchNorm):
        m.eval()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
i = np.arange(images * size * size * 3, dtype=np.uint64)
pixels = ((i * 2654435761) % 256).astype(np.float32).reshape(images, size, size, 3)
x_all = torch.from_numpy((pixels - 127.0) / 128.0).permute(0, 3, 1, 2).contiguous()
y_all = torch.arange(images) % 5
for epoch in range(epochs):
    t, c = time.perf_counter(), time.process_time()
    order = torch.randperm(images)
    loss_sum = 0.0
    for start in range(0, images, batch):
        idx = order[start : start + batch]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x_all[idx]), y_all[idx])
        loss.backward()
        opt.step()
        loss_sum += loss.item() * len(idx)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    print(json.dumps({"type": "epoch", "epoch": epoch, "wallS": wall, "cpuS": cpu, "loss": loss_sum / images}))
