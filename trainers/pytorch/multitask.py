"""Multi-task training for the PyTorch reference trainer, with the tfjs trainer's semantics
(docs/multitask.md): one base, one head per task; the first `shareDepth` base layers with weights
are shared, the rest are copied into one tower per task; the loss is Σ wᵢ·Lᵢ (or Kendall et al.'s
uncertainty weighting with `taskWeights: auto`), plus, with `sharing: soft`, softPenalty · Σ over
task pairs of ‖W_a − W_b‖² over corresponding tower parameters. A missing label (MISSING) counts
in neither its task's loss nor its accuracy.
"""

from __future__ import annotations

import copy
import math
import os
import re
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from multitask_data import MISSING, MultiData, cap_per_class, load_multitask
from torch import nn

import train as T  # train.py registers itself as `train` when it runs as the script

TASK_NAME = re.compile(r"^[a-z][a-z0-9]*$")  # TASK_NAME_PATTERN of libs/core/src/metrics/per-task.ts
PARAMS = ("tasks", "taskWeights", "shareDepth", "sharing", "softPenalty")


@dataclass
class MultiParams:
    tasks: list[str]
    weights: list[float] | None  # None: `auto` (learned uncertainty weighting)
    share_depth: int | None  # None: the whole base (resolved against the base by MultiNet)
    sharing: str
    soft_penalty: float


def is_multitask(raw: dict) -> bool:
    return isinstance(raw.get("tasks"), str) and raw["tasks"].strip() != ""


def parse_weights(raw, n: int) -> list[float] | None:
    if raw is None:
        return [1.0] * n
    if raw == "auto":
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        values = [1.0] + [float(raw)] * (n - 1)  # a single number: the other tasks' (auxiliary) weight
    elif isinstance(raw, str):
        try:
            values = [float(w) for w in raw.split(",")]
        except ValueError:
            raise T.InputError(f"params.taskWeights: expected numbers, one per task, or 'auto'; got {raw!r}") from None
        if len(values) == 1:
            values = [1.0] + values * (n - 1)
        elif len(values) != n:
            raise T.InputError(
                f"params.taskWeights: {len(values)} weights for {n} tasks; give one per task or a single number"
            )
    else:
        raise T.InputError(f"params.taskWeights: expected numbers, one per task, or 'auto'; got {raw!r}")
    if any(not math.isfinite(w) or w < 0 for w in values):
        raise T.InputError(f"params.taskWeights: weights must be finite and ≥ 0, got {raw!r}")
    if not any(values):
        raise T.InputError("params.taskWeights: at least one weight must be > 0")
    return values


def parse_multi_params(raw: dict) -> MultiParams:
    tasks = [t.strip() for t in str(raw["tasks"]).split(",") if t.strip()]
    bad = [t for t in tasks if not TASK_NAME.match(t)]
    if bad:
        raise T.InputError(f"params.tasks: {bad[0]!r} is not a task name (lower-case letters and digits)")
    if len(set(tasks)) != len(tasks):
        raise T.InputError(f"params.tasks: a task is listed twice in {raw['tasks']!r}")
    depth = raw.get("shareDepth")
    if depth is not None and (isinstance(depth, bool) or not isinstance(depth, (int, float)) or depth != int(depth) or depth < 0):
        raise T.InputError(f"params.shareDepth: expected a layer count ≥ 0, got {depth!r}")
    sharing = raw.get("sharing", "hard")
    if sharing not in ("hard", "soft"):
        raise T.InputError(f"params.sharing: expected 'hard' or 'soft', got {sharing!r}")
    penalty = raw.get("softPenalty", 0.01)
    if isinstance(penalty, bool) or not isinstance(penalty, (int, float)) or not penalty >= 0:
        raise T.InputError(f"params.softPenalty: expected a number ≥ 0, got {penalty!r}")
    weights = parse_weights(raw.get("taskWeights"), len(tasks))
    return MultiParams(tasks, weights, None if depth is None else int(depth), sharing, float(penalty))


# --- model -------------------------------------------------------------------------------------


def split_base(module: nn.Module, k: int, offset: int = 0) -> tuple[list[nn.Module], list[nn.Module]]:
    """The modules before and after the k-th freeze unit (a flat list each, applied in order).
    Only Sequentials are opened; a block with a skip connection (an MBConv) is split at its edges."""
    units = len(T.freeze_units(module))
    if k == 0:
        return [], [module]
    if k == units:
        return [module], []
    if not isinstance(module, nn.Sequential):
        raise T.InputError(
            f"params.shareDepth: {offset + k} would cut inside a {type(module).__name__} (a block with a "
            f"skip connection); use {offset} or {offset + units}"
        )
    front: list[nn.Module] = []
    for i, child in enumerate(module):
        n = len(T.freeze_units(child))
        if k < n:
            a, b = split_base(child, k, offset)
            return front + a, b + list(module)[i + 1 :]
        front.append(child)
        k, offset = k - n, offset + n
    return front, []


class MultiNet(nn.Module):
    """prep → trunk (shared) → one tower per task → one head per task. `layers[i]` holds the i-th
    base layer with weights: one module when shared, one copy per task when in the towers."""

    def __init__(self, net: "T.Net", share_depth: int, num_classes: list[int], units: int, dropout: float):
        super().__init__()
        n = len(net.units)
        if not 0 <= share_depth <= n:
            raise T.InputError(f"params.shareDepth: {share_depth} is outside [0, {n}] (this base has {n} layers with weights)")
        front, back = split_base(net.base, share_depth)
        self.prep, self.trunk = net.prep, nn.Sequential(*front)
        self.towers = nn.ModuleList(nn.Sequential(*copy.deepcopy(back)) for _ in num_classes)
        features = net.head[1].in_features
        self.heads = nn.ModuleList(
            nn.Sequential(nn.Flatten(), nn.Linear(features, units), nn.ReLU(), nn.Dropout(dropout), nn.Linear(units, k))
            for k in num_classes
        )
        self.log_vars = nn.Parameter(torch.zeros(len(num_classes)))  # sᵢ of `auto` weighting
        shared = T.freeze_units(self.trunk)
        per_tower = [T.freeze_units(t) for t in self.towers]
        self.layers = [[u] for u in shared] + [list(copies) for copies in zip(*per_tower)]
        self.share_depth, self.frozen, self.bn_mode = share_depth, 0, "train"

    def forward(self, x) -> list[torch.Tensor]:
        z = self.trunk(self.prep(x))
        return [head(tower(z)) for tower, head in zip(self.towers, self.heads)]

    def freeze(self, n: int) -> None:
        """Freezes the first n base layers with weights, in the trunk and in every tower alike."""
        self.frozen = n
        for i, copies in enumerate(self.layers):
            for unit in copies:
                for prm in unit.parameters():
                    prm.requires_grad = i >= n
        self.train(self.training)

    def train(self, mode: bool = True):
        super().train(mode)
        for i, copies in enumerate(self.layers):
            for unit in copies:
                if isinstance(unit, nn.modules.batchnorm._BatchNorm) and (i < self.frozen or self.bn_mode == "frozen"):
                    unit.eval()
        return self

    def tower_distance(self) -> torch.Tensor:
        """Σ over task pairs Σ over corresponding tower parameters ‖W_a − W_b‖²."""
        total = torch.zeros((), device=self.log_vars.device)
        params = [list(t.parameters()) for t in self.towers]
        for a in range(len(params)):
            for b in range(a + 1, len(params)):
                for wa, wb in zip(params[a], params[b]):
                    total = total + (wa - wb).pow(2).sum()
        return total


# --- loss --------------------------------------------------------------------------------------


def task_losses(outs: list[torch.Tensor], y: torch.Tensor) -> list[torch.Tensor | None]:
    """Each task's mean cross-entropy over its labelled rows; None when none is labelled."""
    losses = []
    for t, out in enumerate(outs):
        present = y[:, t] != MISSING
        losses.append(F.cross_entropy(out[present], y[present, t]) if present.any() else None)
    return losses


def effective_weights(model: MultiNet, weights: list[float] | None) -> list[float]:
    if weights is None:
        return torch.exp(-model.log_vars.detach()).tolist()
    return list(weights)


def total_loss(model: MultiNet, losses: list[torch.Tensor | None], mp: MultiParams) -> torch.Tensor:
    """Σ wᵢ·Lᵢ (auto: Σ exp(−sᵢ)·Lᵢ + sᵢ) over tasks labelled in the batch, + the soft penalty."""
    total = torch.zeros((), device=model.log_vars.device)
    for t, loss in enumerate(losses):
        if loss is None:
            continue
        if mp.weights is None:
            s = model.log_vars[t]
            total = total + torch.exp(-s) * loss + s
        else:
            total = total + mp.weights[t] * loss
    if mp.sharing == "soft":
        total = total + mp.soft_penalty * model.tower_distance()
    return total


# --- training ----------------------------------------------------------------------------------


def load_data(trial, p: dict, mp: MultiParams, device: torch.device):
    """The dataset, and its capped train/val tensors on `device` (labels [N, tasks])."""
    data = load_multitask(trial.dataset, mp.tasks, p["dataSeed"])
    for s in data.skipped[:10]:
        T.log(trial, f"skipped unreadable image {s}", "warn")
    tx, ty = cap_per_class(data.train_x, data.train_y, p["trainPerClass"], p["dataSeed"])
    vx, vy = cap_per_class(data.val_x, data.val_y, p["valPerClass"], p["dataSeed"])
    tasks = ", ".join(f"{t} ({len(data.class_names[t])} classes)" for t in mp.tasks)
    T.log(trial, f"dataset {trial.dataset}: tasks {tasks}, {len(tx)} train / {len(vx)} val images on {device}")
    return data, [torch.as_tensor(a).to(device) for a in (tx, ty, vx, vy)]


def build(trial, p: dict, mp: MultiParams, data: MultiData, device: torch.device):
    net = T.Net(2, p["units"], p["dropout"], *T.base_arch(trial.base_model, trial.params, p))
    T.log(trial, T.load_base(net, trial.base_model, "cpu"))
    n = len(net.units)
    depth = n if mp.share_depth is None else mp.share_depth
    if mp.sharing == "soft" and depth >= n:
        raise T.InputError(
            f"params.sharing: soft sharing needs towers, but shareDepth {depth} shares all {n} base layers "
            f"with weights; set shareDepth below {n} or use sharing: hard"
        )
    classes = [len(data.class_names[t]) for t in mp.tasks]
    model = MultiNet(net, depth, classes, p["units"], p["dropout"]).to(device)
    model.bn_mode = p["bnMode"] or ("frozen" if T.is_pretrained(trial.base_model) else "train")
    base = [*model.trunk.parameters(), *model.towers.parameters()]
    groups = [{"params": list(model.heads.parameters()), "lr": p["headLr"]}, {"params": base, "lr": p["baseLr"]}]
    if mp.weights is None:
        groups.append({"params": [model.log_vars], "lr": p["headLr"]})
    if p["optimizer"] == "adam":
        return model, torch.optim.Adam(groups)
    return model, torch.optim.SGD(groups, momentum=p["momentum"])


class TaskTally:
    """Per task: summed loss, correct and labelled counts over an epoch."""

    def __init__(self, tasks: list[str]):
        self.tasks, self.loss, self.correct, self.count = tasks, [0.0] * len(tasks), [0] * len(tasks), [0] * len(tasks)

    def add(self, outs: list[torch.Tensor], y: torch.Tensor) -> None:
        for t, out in enumerate(outs):
            present = y[:, t] != MISSING
            if present.any():
                self.loss[t] += F.cross_entropy(out[present], y[present, t], reduction="sum").item()
                self.correct[t] += (out[present].argmax(1) == y[present, t]).sum().item()
                self.count[t] += int(present.sum().item())

    def means(self) -> dict[str, tuple[float, float]]:
        """task -> (mean loss, accuracy), for tasks with any label."""
        return {
            task: (self.loss[t] / self.count[t], self.correct[t] / self.count[t])
            for t, task in enumerate(self.tasks)
            if self.count[t]
        }


def train_epoch(trial, model: MultiNet, opt, tx, ty, p: dict, mp: MultiParams, seed: int) -> dict | None:
    """The epoch's mean total loss and per-task (loss, acc); None when the worker stopped the trial."""
    torch.manual_seed(seed)  # as in train.py: every epoch's randomness derives from (seed, epoch)
    g = torch.Generator().manual_seed(seed)
    model.train()
    order = torch.randperm(len(tx), generator=g).to(tx.device)
    tally, total, bs = TaskTally(mp.tasks), 0.0, p["batchSize"]
    for i in range(0, len(tx), bs):
        if trial.should_stop:
            return None
        idx = order[i : i + bs]
        xb, yb = T.augment(tx[idx], p["aug"], g), ty[idx]
        outs = model(xb)
        loss = total_loss(model, task_losses(outs, yb), mp)
        if loss.requires_grad:  # not when no task has a label in this batch
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        total += loss.item() * len(idx)
        tally.add([o.detach() for o in outs], yb)
    return {"loss": total / len(tx), "tasks": tally.means()}


def evaluate(model: MultiNet, x, y, bs: int, tasks: list[str]) -> dict[str, tuple[float, float]]:
    model.eval()
    tally = TaskTally(tasks)
    with torch.no_grad():
        for i in range(0, len(x), bs):
            tally.add(model(x[i : i + bs]), y[i : i + bs])
    return tally.means()


def epoch_values(model: MultiNet, mp: MultiParams, trained: dict, val: dict) -> dict[str, float]:
    """The epoch's metrics under the names of libs/core/src/metrics/per-task.ts."""
    if not val:
        raise T.DataError("no validation image has a label for any of the tasks")
    w = effective_weights(model, mp.weights)
    v = {"loss": trained["loss"], "acc": float(np.mean([a for _, a in trained["tasks"].values()] or [0.0]))}
    for t, task in enumerate(mp.tasks):
        v[f"task_weight_{task}"] = w[t]
        if task in trained["tasks"]:
            v[f"loss_{task}"] = trained["tasks"][task][0]
        if task in val:
            v[f"val_loss_{task}"], v[f"val_acc_{task}"] = val[task]
    labelled = [t for t, task in enumerate(mp.tasks) if task in val]
    # With `auto` the +sᵢ regulariser is left out of the report, as in the tfjs trainer.
    v["val_loss"] = sum(w[t] * val[mp.tasks[t]][0] for t in labelled)
    v["val_acc"] = float(np.mean([val[mp.tasks[t]][1] for t in labelled]))
    return v


def resume(trial, model: MultiNet, opt, data: MultiData, device) -> tuple[int, float, int, dict]:
    """(first epoch, best val_acc, its epoch, best val_acc per task), from `resume_from` if it exists."""
    path = trial.resume_from
    if not path or not os.path.isfile(path):
        if path:
            T.log(trial, f"resumeFrom {path} does not exist; starting from scratch", "warn")
        return 0, -1.0, -1, {}
    ck = torch.load(path, map_location=device, weights_only=True)
    if ck.get("classNames") != data.class_names:
        raise T.InputError(f"checkpoint {path} was trained on tasks/classes {ck.get('classNames')}, not {data.class_names}")
    model.load_state_dict(ck["model"])
    opt.load_state_dict(ck["optimizer"])
    T.log(trial, f"resumed from {path} at epoch {ck['epoch'] + 1}")
    return ck["epoch"] + 1, ck["bestValAcc"], ck["bestEpoch"], ck["bestTaskAcc"]


def main(trial) -> int:
    mp = parse_multi_params(trial.params)
    p, unknown = T.parse_params({k: v for k, v in trial.params.items() if k not in PARAMS})
    if unknown:
        T.log(trial, f"ignoring unknown params: {', '.join(unknown)}", "warn")
    device = T.pick_device(trial)
    facts = T.device_facts(device)
    T.log(trial, f"{facts['backend']} on {facts['device']} (torch {facts['frameworkVersion']})", device=facts)
    torch.manual_seed(trial.seed)
    np.random.seed(trial.seed % 2**32)
    torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = True, False

    data, (tx, ty, vx, vy) = load_data(trial, p, mp, device)
    model, opt = build(trial, p, mp, data, device)
    n_layers = len(model.layers)
    depth0 = T.frozen_blocks(p["freezeDepth"], n_layers)
    # Gradual unfreezing as in train.py's main: unfreezeLayers more every unfreezeEvery epochs.
    depth_at = lambda e: max(0, depth0 - (e // p["unfreezeEvery"] if p["unfreezeEvery"] else 0) * p["unfreezeLayers"])
    weights = "auto" if mp.weights is None else ",".join(f"{w:g}" for w in mp.weights)
    T.log(trial, f"{mp.sharing} sharing: {model.share_depth}/{n_layers} base layers shared, task weights {weights}")

    os.makedirs(trial.checkpoint_dir, exist_ok=True)
    start, best, best_epoch, best_tasks = resume(trial, model, opt, data, device)
    last, steps = None, math.ceil(len(tx) / p["batchSize"])
    for epoch in range(start, p["epochs"]):
        if trial.should_stop:
            return T.stopped(trial, epoch)
        if epoch == start or depth_at(epoch) != depth_at(epoch - 1):
            model.freeze(depth_at(epoch))
            trainable = sum(q.numel() for q in model.parameters() if q.requires_grad)
            T.log(trial, f"epoch {epoch}: {model.frozen}/{n_layers} base layers frozen, {trainable} trainable params")
        trained = train_epoch(trial, model, opt, tx, ty, p, mp, trial.seed * 100_003 + epoch)
        if trained is None:
            return T.stopped(trial, epoch)
        values = epoch_values(model, mp, trained, evaluate(model, vx, vy, max(p["batchSize"], 256), mp.tasks))
        if not all(math.isfinite(v) for v in values.values()):
            raise RuntimeError(f"training diverged at epoch {epoch}: {values}")
        values = {k: round(v, 6) for k, v in values.items()}
        trial.report(epoch, step=(epoch + 1) * steps, **values)
        last = values
        if values["val_acc"] > best:
            best, best_epoch = values["val_acc"], epoch
        for task in mp.tasks:
            if f"val_acc_{task}" in values:
                best_tasks[task] = max(best_tasks.get(task, -1.0), values[f"val_acc_{task}"])
        path = os.path.join(trial.checkpoint_dir, f"epoch-{epoch}.pt")
        state = {"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict()}
        marks = {"bestValAcc": best, "bestEpoch": best_epoch, "bestTaskAcc": best_tasks}
        T.save_atomic({**state, **marks, "classNames": data.class_names}, path)
        trial.checkpoint(path, epoch)

    if last is None:
        raise T.InputError(f"nothing to train: resumed at epoch {start} with epochs={p['epochs']}")
    artifact = os.path.join(trial.checkpoint_dir, "model.pt")
    meta = {"tasks": mp.tasks, "classNames": data.class_names, "shareDepth": model.share_depth}
    T.save_atomic({"model": model.state_dict(), **meta, "units": p["units"], "epoch": p["epochs"] - 1}, artifact)
    per_task = {k: v for k, v in last.items() if k.startswith(("val_acc_", "val_loss_"))}
    best_per_task = {f"best_val_acc_{t}": round(a, 6) for t, a in best_tasks.items()}
    trial.result(
        artifact=artifact,
        val_acc=last["val_acc"],
        val_loss=last["val_loss"],
        best_val_acc=round(best, 6),
        best_epoch=best_epoch,
        skipped_images=len(data.skipped),
        **per_task,
        **best_per_task,
    )
    return 0
