"""The tfjs trainer's Fashion-MNIST demo datasets (libs/trainer/src/data/demo.ts), image for image.

`demo:fashion` (10 classes), `demo:fashion-0-4` → `demo:fashion-5-9` (new classes) and
`demo:fashion-5-9-inverted` / `-noisy` (the same classes in a shifted domain) read the same
Debian `dataset-fashion-mnist` files as the tfjs trainer, and select, shift and split them with
the same seeded generator (Retune's mulberry32 streams, ported below), so for the same dataSeed,
trainPerClass and valPerClass both trainers train and validate on the same images in the same
order. test_demo_fashion.py checks this against the tfjs trainer's `retune dataset export`.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import tempfile

import numpy as np

PACKAGE = "dataset-fashion-mnist"
SYSTEM_DIR = "/usr/share/datasets/fashion-mnist"
FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
# Class folder names of the tfjs trainer (FASHION_CLASSES), index = label.
CLASSES = ("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot")
SIDE = 28
STREAM_DATA = 5  # Stream.data in libs/trainer/src/rng.ts

LOW, HIGH = (0, 1, 2, 3, 4), (5, 6, 7, 8, 9)
# name: (source classes, shift, default trainPerClass), as DEMOS in demo.ts.
DEMOS = {
    "demo:fashion": (LOW + HIGH, None, 20),
    "demo:fashion-0-4": (LOW, None, 300),
    "demo:fashion-5-9": (HIGH, None, 20),
    "demo:fashion-5-9-inverted": (HIGH, "inverted", 20),
    "demo:fashion-5-9-noisy": (HIGH, "noisy", 20),
}
VAL_PER_CLASS = 50


class FashionError(Exception):
    """Fashion-MNIST is missing or malformed (the message says how to install it)."""


# --- Retune's seeded randomness (libs/core/src/search/prng.ts, libs/trainer/src/rng.ts) ------------

M32 = 0xFFFFFFFF


def _imul(a: int, b: int) -> int:
    return (a * b) & M32


def derive_seed(seed: int, stream: int) -> int:
    h = (seed ^ _imul(stream + 1, 0x9E3779B9)) & M32
    h = _imul(h ^ (h >> 16), 0x85EBCA6B)
    h = _imul(h ^ (h >> 13), 0xC2B2AE35)
    return (h ^ (h >> 16)) & M32


def seed_for(seed: int, stream: int, *indices: int) -> int:
    s = derive_seed(seed & M32, stream)
    for i in indices:
        s = derive_seed(s, i)
    return s


def mulberry32(seed: int, n: int) -> np.ndarray:
    """The first n draws of mulberry32(seed) as float64 in [0, 1). Its state only ever adds a
    constant, so the n states are known up front and the draws vectorise."""
    with np.errstate(over="ignore"):
        a = (np.uint32(seed & M32) + np.arange(1, n + 1, dtype=np.uint64).astype(np.uint32) * np.uint32(0x6D2B79F5))
        a = a.astype(np.uint32)
        t = (a ^ (a >> np.uint32(15))) * (a | np.uint32(1))
        t = t ^ (t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61)))
        return (t ^ (t >> np.uint32(14))).astype(np.float64) / 4294967296.0


def shuffled(n: int, seed: int) -> list[int]:
    """range(n) shuffled as shuffleInPlace does it (Fisher–Yates from the end)."""
    items = list(range(n))
    r = mulberry32(seed, max(n - 1, 0))
    for step, i in enumerate(range(n - 1, 0, -1)):
        j = int(r[step] * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


def gaussians(seed: int, n: int) -> np.ndarray:
    """n standard normal samples as `gaussian(rng)` draws them (Box–Muller, two draws each)."""
    r = mulberry32(seed, 2 * n)
    u, v = np.maximum(r[0::2], 1e-12), r[1::2]
    return np.sqrt(-2 * np.log(u)) * np.cos(2 * np.pi * v)


# --- the files -------------------------------------------------------------------------------------


def _has_files(d: str) -> bool:
    return all(os.path.isfile(os.path.join(d, f)) for f in FILES)


def _data_cache() -> str:
    """The tfjs trainer's data cache (cache-dir.ts): RETUNE_DATA_CACHE, else <model cache>/data."""
    return os.environ.get("RETUNE_DATA_CACHE") or os.path.join(
        os.environ.get("RETUNE_MODEL_CACHE") or ".data/models", "data"
    )


def _fetch(cache: str) -> str | None:
    """`apt-get download` + `dpkg-deb -x` into the cache, as fashion-mnist.ts does; None on failure."""
    os.makedirs(cache, exist_ok=True)
    work = tempfile.mkdtemp(prefix="fashion-mnist.tmp-", dir=cache)
    try:
        ok = subprocess.run(["apt-get", "download", "-q", PACKAGE], cwd=work, capture_output=True).returncode == 0
        debs = [f for f in os.listdir(work) if f.startswith(PACKAGE) and f.endswith(".deb")]
        if ok and debs:
            ok = subprocess.run(["dpkg-deb", "-x", debs[0], "."], cwd=work, capture_output=True).returncode == 0
            os.remove(os.path.join(work, debs[0]))
        if ok and _has_files(os.path.join(work, SYSTEM_DIR[1:])):
            try:
                os.rename(work, os.path.join(cache, "fashion-mnist"))
            except OSError:
                pass  # another trial got there first
        return None
    except OSError:
        return None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def fashion_dir() -> str:
    """Where the files are: RETUNE_FASHION_MNIST, the system install, or the data cache (fetched
    there at first use) — the tfjs trainer's order."""
    env = os.environ.get("RETUNE_FASHION_MNIST")
    if env:
        if not _has_files(env):
            raise FashionError(f"RETUNE_FASHION_MNIST={env} lacks {' or '.join(FILES)}")
        return env
    if _has_files(SYSTEM_DIR):
        return SYSTEM_DIR
    cached = os.path.join(os.path.abspath(_data_cache()), "fashion-mnist", SYSTEM_DIR[1:])
    if not _has_files(cached):
        _fetch(os.path.abspath(_data_cache()))
    if not _has_files(cached):
        raise FashionError(
            f"Fashion-MNIST is not installed and could not be fetched. Install it with "
            f"`sudo apt-get install {PACKAGE}` (or bash .ci/fashion-mnist.sh), or set "
            f"RETUNE_FASHION_MNIST to a folder holding {', '.join(FILES)}"
        )
    return cached


def _read_idx(path: str, ndim: int) -> np.ndarray:
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    magic = int.from_bytes(raw[:4], "big")
    if magic != 0x800 + ndim:
        raise FashionError(f"{path}: magic number {magic} is not an unsigned-byte IDX file of {ndim} dimensions")
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    data = np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise FashionError(f"{path}: dimensions {dims} need {int(np.prod(dims))} bytes, the file has {data.size}")
    return data.reshape(dims)


_pools: dict[str, list[np.ndarray]] = {}


def fashion_classes(d: str | None = None) -> list[np.ndarray]:
    """All training images of each class (index = label), uint8 [n, 28, 28], in file order."""
    d = d or fashion_dir()
    if d not in _pools:
        images = _read_idx(os.path.join(d, FILES[0]), 3)
        labels = _read_idx(os.path.join(d, FILES[1]), 1)
        if images.shape[1:] != (SIDE, SIDE) or len(labels) != len(images):
            raise FashionError(f"{d}: expected 28×28 images with one label each, got {images.shape}, {len(labels)} labels")
        _pools[d] = [images[labels == k] for k in range(len(CLASSES))]
    return _pools[d]


# --- the datasets ----------------------------------------------------------------------------------


def is_fashion_demo(name: str) -> bool:
    return name in DEMOS


def load_fashion_demo(
    name: str, data_seed: int = 0, train_per_class: int | None = None, val_per_class: int | None = None
):
    """(train_x, train_y, val_x, val_y, class names): uint8 [N, 28, 28] images and int labels, in
    the order the tfjs trainer's loadDemoDataset returns them."""
    classes, shift, default_train = DEMOS[name]
    n_train = default_train if train_per_class is None else train_per_class
    n_val = VAL_PER_CLASS if val_per_class is None else val_per_class
    per_class = n_train + n_val
    pools = fashion_classes()
    images = np.empty((len(classes) * per_class, SIDE, SIDE), np.uint8)
    for label, c in enumerate(classes):
        pool = pools[c]
        if len(pool) < per_class:
            raise FashionError(
                f"{name}: class {CLASSES[c]} has {len(pool)} examples, {per_class} requested (trainPerClass + valPerClass)"
            )
        pick = shuffled(len(pool), seed_for(data_seed, STREAM_DATA, 200 + c))[:per_class]
        images[label * per_class : (label + 1) * per_class] = pool[pick]
    if shift == "inverted":
        images = 255 - images
    elif shift == "noisy":
        noisy = images.astype(np.float64).ravel() + 0.3 * 255 * gaussians(seed_for(data_seed, STREAM_DATA, 999), images.size)
        images = np.clip(np.floor(noisy + 0.5), 0, 255).astype(np.uint8).reshape(images.shape)  # Math.round
    # stratifiedSplit: class k's examples shuffled by stream (data, k); the first n_val go to val.
    train_idx, val_idx = [], []
    for label in range(len(classes)):
        idx = [label * per_class + i for i in shuffled(per_class, seed_for(data_seed, STREAM_DATA, label))]
        take = min(per_class - 1, max(1, n_val))
        val_idx += idx[:take]
        train_idx += idx[take:]
    labels = np.repeat(np.arange(len(classes)), per_class)
    return images[train_idx], labels[train_idx], images[val_idx], labels[val_idx], [CLASSES[c] for c in classes]

