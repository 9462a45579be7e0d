"""Multi-task datasets for the PyTorch reference trainer (docs/multitask.md, "Data").

An image folder with a `labels.csv` (header `file,<task1>,<task2>,…`; `file` relative to the csv's
folder; an empty cell = that task's label is missing), as `DIR/train/labels.csv` (+ optional
`DIR/val/labels.csv`) or one `DIR/labels.csv` split with valFraction (stratified by the first task); or the generated demo
`demo:synthetic-digits-multitask` (tasks `digit` and `parity`), or `demo:fashion-multitask` (tasks
`item` and `group`: the same images and labels as the tfjs trainer's, from Debian's Fashion-MNIST).

Labels are int64 arrays of shape [N, tasks], MISSING (-1) where a task has no label for an image.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field

import numpy as np
import demo_fashion
from data import DataError, read_image, synthetic_digits, unit_images

MISSING = -1
DEMO = "demo:synthetic-digits-multitask"
FASHION_DEMO = "demo:fashion-multitask"
# Fashion-MNIST class index -> group (as libs/trainer/src/data/demo-multitask.ts): bag 8, footwear
# sandal 5 / sneaker 7 / ankle-boot 9, the rest clothing; group names sorted like a labels.csv's.
FASHION_GROUPS = ["bag", "clothing", "footwear"]


@dataclass
class MultiData:
    tasks: list[str]
    class_names: dict[str, list[str]]  # per task, sorted
    train_x: np.ndarray
    train_y: np.ndarray  # [N, len(tasks)], MISSING where unlabelled
    val_x: np.ndarray | None
    val_y: np.ndarray | None
    skipped: list[str] = field(default_factory=list)


def load_multitask(spec: str, tasks: list[str], seed: int, val_fraction: float = 0.2) -> MultiData:
    if spec == DEMO:
        return _select(_digits_and_parity(seed, val_fraction), tasks, spec)
    if spec == FASHION_DEMO:
        return _select(_fashion_item_and_group(seed), tasks, spec)
    if spec.startswith("demo:"):
        raise DataError(
            f"dataset {spec}: no multi-task demo of that name in this trainer (it has {DEMO}, {FASHION_DEMO})"
        )
    d = _select(_labels_csv_folder(spec), tasks, spec)
    if d.val_x is None:  # one labels.csv: split by the first requested (primary) task
        tr, va = _split_by_first_task(d.train_y[:, 0], seed, val_fraction, spec)
        d = MultiData(d.tasks, d.class_names, d.train_x[tr], d.train_y[tr], d.train_x[va], d.train_y[va], d.skipped)
    return d


def _select(d: MultiData, tasks: list[str], spec: str) -> MultiData:
    """The requested tasks' columns, in the requested order; an unknown task names the known ones."""
    unknown = [t for t in tasks if t not in d.tasks]
    if unknown:
        raise DataError(
            f"params.tasks: {', '.join(unknown)} not in dataset {spec} (its tasks: {', '.join(d.tasks)})"
        )
    cols = [d.tasks.index(t) for t in tasks]
    names = {t: d.class_names[t] for t in tasks}
    val_y = None if d.val_y is None else d.val_y[:, cols]
    return MultiData(tasks, names, d.train_x, d.train_y[:, cols], d.val_x, val_y, d.skipped)


def _digits_and_parity(seed: int, val_fraction: float) -> MultiData:
    d = synthetic_digits(list(range(10)), seed, val_fraction)
    both = lambda y: np.stack([y, y % 2], 1).astype(np.int64)
    names = {"digit": [str(k) for k in range(10)], "parity": ["even", "odd"]}
    return MultiData(["digit", "parity"], names, d.train_x, both(d.train_y), d.val_x, both(d.val_y))


def _fashion_item_and_group(seed: int) -> MultiData:
    """All ten Fashion classes, 20 training images each (trainPerClass caps later), as the tfjs
    trainer's demo:fashion-multitask selects them."""
    try:
        tx, ty, vx, vy, names = demo_fashion.load_fashion_demo("demo:fashion", seed)
    except demo_fashion.FashionError as e:
        raise DataError(str(e)) from None
    group = lambda k: 0 if k == 8 else 2 if k in (5, 7, 9) else 1
    both = lambda y: np.stack([y, np.vectorize(group)(y)], 1).astype(np.int64)
    tasks = {"item": names, "group": FASHION_GROUPS}
    return MultiData(["item", "group"], tasks, unit_images(tx), both(ty), unit_images(vx), both(vy))


# --- labels.csv ----------------------------------------------------------------------------------


def _read_csv(path: str) -> tuple[list[str], list[str], list[list[str]]]:
    """(task columns, image paths, label cells per row)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
    if not rows or not rows[0] or rows[0][0].strip() != "file" or len(rows[0]) < 2:
        raise DataError(f"{path}: the header must be file,<task1>,<task2>,… (got {rows[0] if rows else 'nothing'})")
    tasks = [c.strip() for c in rows[0][1:]]
    here = os.path.dirname(path)
    files, cells = [], []
    for n, r in enumerate(rows[1:], 2):
        if len(r) != len(rows[0]):
            raise DataError(f"{path}:{n}: {len(r)} cells, the header has {len(rows[0])}")
        files.append(os.path.join(here, r[0].strip()))
        cells.append([c.strip() for c in r[1:]])
    return tasks, files, cells


def _read_split(path: str) -> tuple[list[str], np.ndarray, list[list[str]], list[str]]:
    tasks, files, cells = _read_csv(path)
    imgs, kept, skipped = [], [], []
    for f, c in zip(files, cells):
        try:
            imgs.append(read_image(f))
            kept.append(c)
        except Exception as e:  # PIL raises many types for broken or absent files
            skipped.append(f"{f}: {type(e).__name__}: {e}")
    if not imgs:
        raise DataError(f"{path}: no readable images ({len(files)} listed)")
    return tasks, np.stack(imgs)[:, None], kept, skipped


def _encode(cells: list[list[str]], names: dict[str, list[str]], tasks: list[str]) -> np.ndarray:
    index = {t: {c: k for k, c in enumerate(names[t])} for t in tasks}
    return np.array(
        [[index[t][row[j]] if row[j] else MISSING for j, t in enumerate(tasks)] for row in cells], np.int64
    ).reshape(len(cells), len(tasks))


def _labels_csv_folder(root: str) -> MultiData:
    """The folder's images and labels; val_x/val_y None when it has one labels.csv to split."""
    train_csv, own_csv = os.path.join(root, "train", "labels.csv"), os.path.join(root, "labels.csv")
    if not os.path.isdir(root):
        raise DataError(f"dataset folder not found: {root}")
    path = train_csv if os.path.isfile(train_csv) else own_csv
    if not os.path.isfile(path):
        raise DataError(f"dataset {root}: a multi-task dataset needs {train_csv} or {own_csv}")
    tasks, x, cells, skipped = _read_split(path)
    val_csv = os.path.join(root, "val", "labels.csv")
    val = _read_split(val_csv) if path == train_csv and os.path.isfile(val_csv) else None
    if val and val[0] != tasks:
        raise DataError(f"{val_csv}: tasks {val[0]} differ from {path}'s {tasks}")
    all_cells = cells + (val[2] if val else [])
    names = {t: sorted({row[j] for row in all_cells if row[j]}) for j, t in enumerate(tasks)}
    y = _encode(cells, names, tasks)
    if val:
        return MultiData(tasks, names, x, y, val[1], _encode(val[2], names, tasks), skipped + val[3])
    return MultiData(tasks, names, x, y, None, None, skipped)


def _split_by_first_task(first: np.ndarray, seed: int, val_fraction: float, path: str):
    """Seeded split stratified by the first task (unlabelled images as one more class), as
    data.py splits a class folder: each class gives round(fraction × count) (≥ 1) images to val."""
    if len(first) < 2:
        raise DataError(f"{path}: {len(first)} readable image(s); a train/val split needs at least 2")
    rng = np.random.default_rng(seed)
    tr, va = [], []
    for k in np.unique(first):
        idx = rng.permutation(np.flatnonzero(first == k))
        n_val = min(len(idx) - 1, max(1, round(len(idx) * val_fraction))) if len(idx) > 1 else 0
        va.extend(idx[:n_val])
        tr.extend(idx[n_val:])
    if not va:
        raise DataError(f"{path}: too few images per class of the first task for a validation split")
    return np.sort(np.array(tr, np.int64)), np.sort(np.array(va, np.int64))


def cap_per_class(x: np.ndarray, y: np.ndarray, n: int | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """At most n images per class of the FIRST task (images without a first-task label: n too)."""
    if n is None:
        return x, y
    rng = np.random.default_rng(seed)
    first = y[:, 0]
    keep = np.concatenate([rng.permutation(np.flatnonzero(first == k))[:n] for k in np.unique(first)])
    keep.sort()
    return x[keep], y[keep]
