"""A trainer written with the SDK, run by the real worker in test_stack.py. Params: markerDir,
and quality: "good" finishes 3 epochs at once; "bad" reports low values, slowly, until it is
pruned; "slow" takes 10 epochs of 0.4 s, resuming from its checkpoint on a retried attempt."""

import os
import time

import retune

trial = retune.trial({"quality": "good", "markerDir": "."})
quality = trial.params["quality"]
epochs, pause = {"good": (3, 0.0), "bad": (300, 0.2), "slow": (10, 0.4)}[quality]
marker = os.path.join(trial.params["markerDir"], trial.id)


def accuracy(epoch):
    return 0.05 if quality == "bad" else 0.5 + 0.1 * epoch


start = 0
if trial.resume_from:
    with open(trial.resume_from) as f:
        start = int(f.read()) + 1
    with open(f"{marker}.resumed", "w") as f:
        f.write(trial.resume_from)

stopped_at = None
for epoch in range(start, epochs):
    if trial.should_stop:
        stopped_at = epoch
        break
    trial.report(epoch, val_acc=accuracy(epoch), loss=1.0 - accuracy(epoch))
    path = os.path.join(trial.checkpoint_dir, f"epoch-{epoch}.ckpt")
    os.makedirs(trial.checkpoint_dir, exist_ok=True)
    with open(path, "w") as f:
        f.write(str(epoch))
    trial.checkpoint(path, epoch)
    time.sleep(pause)  # slow enough that pruning, or a test killing the worker, comes first

if stopped_at is not None or trial.should_stop:
    # Pruned, cancelled or orphaned: a real trainer would save; this one leaves a mark.
    with open(f"{marker}.stopped", "w") as f:
        f.write(f"{trial.stop_reason} at epoch {stopped_at}")
else:
    trial.result(val_acc=accuracy(epochs - 1))
