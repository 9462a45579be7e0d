"""A trainer written with the SDK, run by the real worker in test_stack.py. Params: quality
("good" finishes 3 epochs; "bad" reports low values, slowly, until it is pruned), markerDir."""

import os
import time

import retune

trial = retune.trial({"quality": "good", "markerDir": "."})
good = trial.params["quality"] == "good"
epochs = 3 if good else 300
stopped_at = None
for epoch in range(epochs):
    if trial.should_stop:
        stopped_at = epoch
        break
    acc = 0.5 + 0.1 * epoch if good else 0.05
    trial.report(epoch, val_acc=acc, loss=1.0 - acc)
    path = os.path.join(trial.checkpoint_dir, f"epoch-{epoch}.ckpt")
    os.makedirs(trial.checkpoint_dir, exist_ok=True)
    with open(path, "w") as f:
        f.write(str(epoch))
    trial.checkpoint(path, epoch)
    if not good:
        time.sleep(0.2)  # slow enough that pruning arrives while it runs

if stopped_at is not None or trial.should_stop:
    # Pruned or cancelled: what a real trainer would do is save; here, leave a mark for the test.
    with open(os.path.join(trial.params["markerDir"], f"{trial.id}.stopped"), "w") as f:
        f.write(f"{trial.stop_reason} at epoch {stopped_at}")
else:
    trial.result(val_acc=0.5 + 0.1 * (epochs - 1))
