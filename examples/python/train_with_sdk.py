"""A trainer on the Retune SDK: run it by hand (`python train_with_sdk.py`: defaults, metrics
printed) or from a sweep (`trainer: { command: [python3, examples/python/train_with_sdk.py] }`).
It fits y = 3x + noise by gradient descent, standing in for real training."""

import json
import math
import os
import random

import retune

trial = retune.trial({"lr": 0.05, "epochs": 20})
rng = random.Random(trial.seed)
data = [(x, 3 * x + rng.gauss(0, 0.1)) for x in (rng.uniform(-1, 1) for _ in range(256))]
w, start = 0.0, 0
if trial.resume_from:  # an earlier attempt died: carry on from its last checkpoint
    with open(trial.resume_from) as f:
        saved = json.load(f)
    w, start = saved["w"], saved["epoch"] + 1
path = os.path.join(trial.checkpoint_dir, "last.json")
loss = sum((w * x - y) ** 2 for x, y in data) / len(data)

for epoch in range(start, int(trial.params["epochs"])):
    if trial.should_stop:  # pruned or cancelled: the worker will not read more lines
        break
    grad = sum(2 * (w * x - y) * x for x, y in data) / len(data)
    w -= float(trial.params["lr"]) * grad
    loss = sum((w * x - y) ** 2 for x, y in data) / len(data)
    if not math.isfinite(loss):
        raise SystemExit(f"diverged at epoch {epoch}: lower lr")
    trial.report(epoch, loss=loss, val_acc=1 / (1 + loss))
    os.makedirs(trial.checkpoint_dir, exist_ok=True)
    with open(path, "w") as f:
        json.dump({"w": w, "epoch": epoch}, f)
    trial.checkpoint(path, epoch)
else:
    trial.result(val_acc=1 / (1 + loss), loss=loss, artifact=path)
