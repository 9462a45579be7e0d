"""Datasets for the PyTorch reference trainer: an image folder, a generated demo set, or the tfjs
trainer's Fashion-MNIST demos (demo_fashion.py).

Every loader returns a `Data` with images as float32 arrays of shape [N, 1, 28, 28] in [0, 1].
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import numpy as np

import demo_fashion

SIZE = 28
IMAGE_EXTS = (".png", ".jpg", ".jpeg")


class DataError(Exception):
    """A problem with the dataset that the user must fix (reported without a traceback)."""


@dataclass
class Data:
    train_x: np.ndarray
    train_y: np.ndarray
    val_x: np.ndarray
    val_y: np.ndarray
    class_names: list[str]
    skipped: list[str] = field(default_factory=list)  # unreadable image files


def load_dataset(
    spec: str,
    data_seed: int,
    val_fraction: float = 0.2,
    train_per_class: int | None = None,
    val_per_class: int | None = None,
) -> Data:
    """`train_per_class`/`val_per_class` select the Fashion demos' images (as in the tfjs trainer);
    other datasets are capped afterwards by the trainer."""
    m = re.fullmatch(r"demo:synthetic-digits(?:-(\d)-(\d))?", spec)
    if m:
        lo, hi = (int(m[1]), int(m[2])) if m[1] else (0, 9)
        if lo > hi:
            raise DataError(f"dataset {spec}: empty digit range {lo}-{hi}")
        return synthetic_digits(list(range(lo, hi + 1)), data_seed, val_fraction)
    if demo_fashion.is_fashion_demo(spec):
        try:
            tx, ty, vx, vy, names = demo_fashion.load_fashion_demo(spec, data_seed, train_per_class, val_per_class)
        except demo_fashion.FashionError as e:
            raise DataError(str(e)) from None
        return Data(unit_images(tx), ty, unit_images(vx), vy, names)
    if spec.startswith("demo:"):
        known = ", ".join(["demo:synthetic-digits[-LO-HI]", *demo_fashion.DEMOS])
        raise DataError(f"unknown demo dataset {spec!r} (this trainer has {known})")
    return image_folder(spec, data_seed, val_fraction)


# --- generated digits ------------------------------------------------------------------------

# Seven-segment layout: a, b, c, d, e, f, g = top, top-right, bottom-right, bottom, bottom-left,
# top-left, middle.
_SEGMENTS = {
    0: "abcdef", 1: "bc", 2: "abged", 3: "abgcd", 4: "fgbc",
    5: "afgcd", 6: "afgedc", 7: "abc", 8: "abcdefg", 9: "abcdfg",
}  # fmt: skip


def _render_digit(d: int, rng: np.random.Generator) -> np.ndarray:
    img = np.zeros((SIZE, SIZE), np.float32)
    w, h = rng.integers(9, 13), rng.integers(14, 19)  # glyph box
    t = int(rng.integers(2, 4))  # stroke thickness
    x0 = int(rng.integers(3, SIZE - w - 3))
    y0 = int(rng.integers(2, SIZE - h - 2))
    mid = y0 + h // 2
    boxes = {
        "a": (y0, y0 + t, x0, x0 + w),
        "d": (y0 + h - t, y0 + h, x0, x0 + w),
        "g": (mid - t // 2, mid - t // 2 + t, x0, x0 + w),
        "f": (y0, mid + 1, x0, x0 + t),
        "b": (y0, mid + 1, x0 + w - t, x0 + w),
        "e": (mid, y0 + h, x0, x0 + t),
        "c": (mid, y0 + h, x0 + w - t, x0 + w),
    }
    for s in _SEGMENTS[d]:
        r0, r1, c0, c1 = boxes[s]
        img[r0:r1, c0:c1] = rng.uniform(0.7, 1.0)
    shear = rng.uniform(-0.25, 0.25)  # slant: shift each row by shear × distance from centre
    for r in range(SIZE):
        img[r] = np.roll(img[r], int(round(shear * (SIZE / 2 - r))))
    img += rng.normal(0, 0.08, img.shape).astype(np.float32)
    return np.clip(img, 0, 1)


def synthetic_digits(digits: list[int], seed: int, val_fraction: float, per_class: int = 100) -> Data:
    rng = np.random.default_rng(seed)
    x = np.stack([_render_digit(d, rng) for d in digits for _ in range(per_class)])[:, None]
    y = np.repeat(np.arange(len(digits)), per_class)
    return _split(x, y, [str(d) for d in digits], seed, val_fraction, skipped=[])


# --- image folders -----------------------------------------------------------------------------


def read_image(path: str) -> np.ndarray:
    """One image file as the trainer sees it: grey, SIZE×SIZE, float32 in [0, 1]."""
    from PIL import Image

    with Image.open(path) as im:
        im = im.convert("L").resize((SIZE, SIZE), Image.BILINEAR)
        return np.asarray(im, np.float32) / 255.0


def unit_images(a: np.ndarray) -> np.ndarray:
    """uint8 [N, H, W] images as the trainer's float32 [N, 1, H, W] in [0, 1]."""
    return a[:, None].astype(np.float32) / 255.0


def _read_class_dirs(root: str) -> tuple[list[np.ndarray], list[str], list[str]]:
    """One array per class subfolder (sorted by name), the class names, and skipped files."""
    names = sorted(e.name for e in os.scandir(root) if e.is_dir() and not e.name.startswith("."))
    if not names:
        raise DataError(f"dataset folder {root} has no class subfolders (expected root/<class>/*.png)")
    per_class, skipped = [], []
    for name in names:
        d = os.path.join(root, name)
        files = sorted(f for f in os.listdir(d) if f.lower().endswith(IMAGE_EXTS))
        imgs = []
        for f in files:
            path = os.path.join(d, f)
            try:
                imgs.append(read_image(path))
            except Exception as e:  # PIL raises many types for broken files
                skipped.append(f"{path}: {type(e).__name__}: {e}")
        if not imgs:
            why = f"{len(files)} unreadable" if files else "no .png/.jpg files"
            raise DataError(f"dataset class {name!r} in {root} has no images ({why})")
        per_class.append(np.stack(imgs)[:, None])
    return per_class, names, skipped


def image_folder(root: str, seed: int, val_fraction: float) -> Data:
    if not os.path.isdir(root):
        raise DataError(f"dataset folder not found: {root}")
    train_dir, val_dir = os.path.join(root, "train"), os.path.join(root, "val")
    if os.path.isdir(train_dir) and os.path.isdir(val_dir):
        tr, names, sk1 = _read_class_dirs(train_dir)
        va, val_names, sk2 = _read_class_dirs(val_dir)
        if val_names != names:
            raise DataError(f"{val_dir} classes {val_names} differ from {train_dir} classes {names}")
        lab = lambda arrs: np.concatenate([np.full(len(a), k) for k, a in enumerate(arrs)])
        return Data(np.concatenate(tr), lab(tr), np.concatenate(va), lab(va), names, sk1 + sk2)
    per_class, names, skipped = _read_class_dirs(root)
    y = np.concatenate([np.full(len(a), k) for k, a in enumerate(per_class)])
    return _split(np.concatenate(per_class), y, names, seed, val_fraction, skipped)


def _split(x, y, names, seed, val_fraction, skipped) -> Data:
    """Seeded stratified split: each class gives round(fraction × count) (≥ 1) images to val."""
    rng = np.random.default_rng(seed)
    tr, va = [], []
    for k, name in enumerate(names):
        idx = np.flatnonzero(y == k)
        if len(idx) < 2:
            raise DataError(f"class {name!r} has {len(idx)} image(s); a train/val split needs at least 2")
        idx = rng.permutation(idx)
        n_val = min(len(idx) - 1, max(1, round(len(idx) * val_fraction)))
        va.extend(idx[:n_val])
        tr.extend(idx[n_val:])
    tr, va = np.array(tr), np.array(va)
    return Data(x[tr], y[tr], x[va], y[va], names, skipped)
