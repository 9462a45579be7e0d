"""The tfjs trainer's Fashion-MNIST demo datasets in the PyTorch trainer (demo_fashion.py): the
same images, shifts and split as the tfjs trainer, checked against its `retune dataset export`.

Skipped where Debian's dataset-fashion-mnist is missing and cannot be fetched.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import numpy as np
import pytest

import demo_fashion
from test_train import REPO, fails, ok, run

Image = pytest.importorskip("PIL.Image")
COUNTS = {"trainPerClass": 30, "valPerClass": 10}
TSX = os.path.join(REPO, "node_modules", "tsx", "dist", "esm", "index.mjs")


@pytest.fixture(scope="module", autouse=True)
def fashion():
    try:
        return demo_fashion.fashion_dir()
    except demo_fashion.FashionError as e:
        pytest.skip(str(e))


def test_generator_is_retunes_mulberry32():
    # mulberry32(deriveSeed(0, 5)) in libs/core/src/search/prng.ts, printed by node.
    assert demo_fashion.derive_seed(0, 5) == 3678440605
    assert demo_fashion.mulberry32(3678440605, 3).tolist() == [0.966898052720353, 0.8011492739897221, 0.37607056042179465]


def exported(tmp_path, name: str, **counts) -> dict[str, list[tuple[str, np.ndarray]]]:
    """(class, image) per split, in file order, from the tfjs trainer's `retune dataset export`."""
    if not shutil.which("node") or not os.path.exists(TSX):
        pytest.skip("node with the repository's node_modules is needed to run the tfjs export")
    out = tmp_path / "export"
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in counts.items()]
    r = subprocess.run(
        ["node", "--import", "tsx", "apps/cli/src/main.ts", "dataset", "export", name, str(out), *flags],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    splits = {}
    for split in ("train", "val"):
        rows = []
        for cls in sorted(os.listdir(out / split)):
            for f in sorted(os.listdir(out / split / cls)):
                rows.append((cls, np.asarray(Image.open(out / split / cls / f).convert("L"))))
        splits[split] = rows
    return splits


@pytest.mark.parametrize("name", ["demo:fashion-5-9-noisy", "demo:fashion-5-9-inverted", "demo:fashion"])
def test_same_images_as_the_tfjs_trainer(tmp_path, name):
    want = exported(tmp_path, name, train_per_class=3, val_per_class=2, seed=7)
    tx, ty, vx, vy, names = demo_fashion.load_fashion_demo(name, 7, 3, 2)
    for split, x, y in (("train", tx, ty), ("val", vx, vy)):
        # Same class order within a split; the export sorts by class folder, so sort ours alike.
        got = sorted(((names[label], img) for img, label in zip(x, y)), key=lambda r: r[0])
        assert [c for c, _ in got] == [c for c, _ in want[split]]
        for (_, a), (_, b) in zip(got, want[split]):
            assert np.array_equal(a, b)


def test_counts_defaults_and_errors():
    tx, ty, vx, vy, names = demo_fashion.load_fashion_demo("demo:fashion-5-9")
    assert names == ["sandal", "shirt", "sneaker", "bag", "ankle-boot"]
    assert tx.shape == (100, 28, 28) and tx.dtype == np.uint8 and vx.shape == (250, 28, 28)
    assert np.bincount(ty).tolist() == [20] * 5 and np.bincount(vy).tolist() == [50] * 5
    with pytest.raises(demo_fashion.FashionError, match="6000 examples, 7000 requested"):
        demo_fashion.load_fashion_demo("demo:fashion-0-4", 0, 6950, 50)


def test_trainer_learns_fashion_and_rejects_unknown_demos(tmp_path):
    p, msgs = run(
        tmp_path,
        "fashion",
        {"epochs": 2, "lr": 0.003, "baseLr": 0.003, "freezeDepth": "full", "arch": "cnn2", **COUNTS},
        dataset="demo:fashion-5-9",
    )
    ok(p)
    result = next(m for m in msgs if m["type"] == "result")
    assert result["values"]["val_acc"] > 0.3  # 5 classes: chance is 0.2
    assert "5 classes, 150 train / 50 val images" in p.stdout
    p, _ = run(tmp_path, "nope", {"epochs": 1}, dataset="demo:fashion-1-2")
    fails(p, "demo:fashion-5-9-inverted")  # the message lists the known names
