"""Tests of the PyTorch reference trainer: it runs train.py as a subprocess, as the worker does.

Skipped (with the reason printed by `pytest -rs`) where PyTorch is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed (see trainers/pytorch/README.md)")
np = pytest.importorskip("numpy")
Image = pytest.importorskip("PIL.Image")

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TRAIN = os.path.join(HERE, "train.py")
sys.path.insert(0, HERE)
import train  # (importing does not touch stdout; only running it as a script does)

# One intra-op thread: CI runs other test suites beside this one on 2 cores, where torch's default
# (a thread per core, spinning) is several times slower.
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}
FAST = {"trainPerClass": 24, "valPerClass": 8, "batchSize": 16}


def run(tmp_path, name, params, dataset="demo:synthetic-digits-0-4", base_model="none", **extra):
    ckdir = tmp_path / name
    inp = {
        "trialId": name,
        "params": {**FAST, **params},
        "baseModel": base_model,
        "dataset": str(dataset),
        "checkpointDir": str(ckdir),
        "seed": extra.pop("seed", 7),
        "device": {"kind": "cpu"},
        **extra,
    }
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(inp))
    p = subprocess.run(
        [sys.executable, TRAIN, str(path)], capture_output=True, text=True, timeout=300, env=ENV
    )
    return p, [
        json.loads(line) for line in p.stdout.splitlines() if line.strip()
    ] if p.returncode == 0 else []


def ok(p):
    assert p.returncode == 0, p.stderr[-3000:]
    return p


# --- the protocol, as libs/core/src/protocol/trainer-protocol.ts defines it ----------------------

NUM = (int, float)


def check_message(m: dict) -> None:
    is_num = lambda v: isinstance(v, NUM) and not isinstance(v, bool)
    is_count = lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0
    values_ok = lambda v: (
        isinstance(v, dict) and all(isinstance(k, str) and k and is_num(x) for k, x in v.items())
    )
    t = m.get("type")
    if t == "metric":
        assert (
            set(m) <= {"type", "epoch", "step", "values"} and is_count(m["epoch"]) and values_ok(m["values"])
        )
        assert is_count(m.get("step", 0))
    elif t == "checkpoint":
        assert (
            set(m) == {"type", "epoch", "path"}
            and is_count(m["epoch"])
            and isinstance(m["path"], str)
            and m["path"]
        )
    elif t == "log":
        assert set(m) <= {"type", "level", "msg"} and isinstance(m["msg"], str)
        assert m.get("level", "info") in ("debug", "info", "warn", "error")
    elif t == "result":
        assert set(m) <= {"type", "values", "artifact"} and values_ok(m["values"])
        assert isinstance(m.get("artifact", ""), str)
    else:
        raise AssertionError(f"unknown message type in {m}")


def check_protocol(stdout: str, epochs: list[int]) -> dict:
    msgs = []
    for n, line in enumerate(stdout.splitlines(), 1):
        try:
            m = json.loads(line)
        except ValueError:
            raise AssertionError(f"stdout line {n} is not JSON: {line!r}") from None
        check_message(m)
        msgs.append(m)
    metrics = [m for m in msgs if m["type"] == "metric"]
    assert [m["epoch"] for m in metrics] == epochs
    for m in metrics:
        assert {"loss", "acc", "val_loss", "val_acc"} <= set(m["values"])
    ckpts = [m for m in msgs if m["type"] == "checkpoint"]
    assert [c["epoch"] for c in ckpts] == epochs and all(os.path.isfile(c["path"]) for c in ckpts)
    results = [m for m in msgs if m["type"] == "result"]
    assert len(results) == 1 and msgs[-1] is results[0], "exactly one result, last"
    r = results[0]
    # One meaning in both trainers: val_acc / val_loss are the last epoch's, best_val_acc the best.
    assert r["values"]["val_acc"] == metrics[-1]["values"]["val_acc"]
    assert r["values"]["val_loss"] == metrics[-1]["values"]["val_loss"]
    assert r["values"]["best_val_acc"] == max(m["values"]["val_acc"] for m in metrics)
    assert os.path.isfile(r["artifact"])
    return r


# --- runs ------------------------------------------------------------------------------------------


def test_demo_dataset_speaks_the_protocol_and_learns(tmp_path):
    p, _ = run(
        tmp_path,
        "demo",
        {
            "epochs": 2,
            "headLr": 0.01,
            "freezeDepth": "full",
            "augment": "light",
            "trainPerClass": 60,
            "note": "x",
        },
        dataset="demo:synthetic-digits",
    )
    ok(p)
    r = check_protocol(p.stdout, [0, 1])
    assert r["values"]["val_acc"] > 0.2  # 10 classes: chance is 0.1
    assert "ignoring unknown params: note" in p.stdout
    assert "[info]" in p.stderr  # human-readable copy of the logs


def test_protocol_output_passes_the_typescript_parser(tmp_path):
    tsx = os.path.join(REPO, "node_modules", ".bin", "tsx")
    if not os.path.exists(tsx):
        pytest.skip("node_modules/.bin/tsx not installed")
    p, _ = run(tmp_path, "ts", {"epochs": 1})
    ok(p)
    out = tmp_path / "stdout.txt"
    out.write_text(p.stdout)
    script = (
        "import { parseTrainerLine } from './libs/core/src/protocol/trainer-protocol.ts';"
        "import { readFileSync } from 'node:fs';"
        f"readFileSync({json.dumps(str(out))}, 'utf8').split('\\n').forEach((l, i) => {{"
        "const r = parseTrainerLine(l, i + 1);"
        "if (r.kind === 'error') { console.error(r.error); process.exit(1); } });"
    )
    node = subprocess.run([tsx, "-e", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert node.returncode == 0, node.stderr


def make_folder(root, classes=("a", "b", "c"), per_class=6, corrupt=1):
    rng = np.random.default_rng(0)
    for k, c in enumerate(classes):
        os.makedirs(root / c, exist_ok=True)
        for i in range(per_class):
            img = rng.integers(0, 60, (32, 32, 3), dtype=np.uint8)
            img[:, k * 10 : k * 10 + 8] = 255  # a bright stripe whose position is the class
            ext = "jpg" if i % 3 == 0 else "png"
            Image.fromarray(img).save(root / c / f"{i}.{ext}")
    for i in range(corrupt):
        (root / classes[0] / f"broken{i}.png").write_bytes(b"not a png")
    (root / classes[0] / "notes.txt").write_text("ignored")


def test_image_folder_skips_corrupt_images(tmp_path):
    make_folder(tmp_path / "data", corrupt=2)
    p, msgs = run(tmp_path, "folder", {"epochs": 2, "headLr": 0.01}, dataset=tmp_path / "data")
    r = check_protocol(ok(p).stdout, [0, 1])
    assert r["values"]["skipped_images"] == 2
    warns = [m["msg"] for m in msgs if m["type"] == "log" and m["level"] == "warn"]
    assert sum("broken" in w for w in warns) == 2
    assert "3 classes, 15 train / 3 val images" in p.stdout  # stratified 80/20: 5 + 1 per class


def test_image_folder_with_train_and_val_subfolders(tmp_path):
    make_folder(tmp_path / "data" / "train", per_class=4, corrupt=0)
    make_folder(tmp_path / "data" / "val", per_class=2, corrupt=0)
    p, _ = run(tmp_path, "split", {"epochs": 1}, dataset=tmp_path / "data")
    check_protocol(ok(p).stdout, [0])
    assert "3 classes, 12 train / 6 val images" in p.stdout


# --- freezing ------------------------------------------------------------------------------------


def trainable(depth) -> int:
    net = train.Net(5)
    net.freeze(train.frozen_blocks(depth, len(net.units)))
    return sum(q.numel() for q in net.parameters() if q.requires_grad)


def test_trainable_parameter_counts_per_strategy():
    net = train.Net(5)
    block = [sum(q.numel() for q in b.parameters()) for b in net.base]
    head = sum(q.numel() for q in net.head.parameters())
    bn0 = sum(q.numel() for q in net.base[0][1].parameters())
    # freezeDepth counts layers with weights (conv, BatchNorm): 2 per block, as in the tfjs trainer.
    assert [type(u).__name__ for u in net.units[:2]] == ["Conv2d", "BatchNorm2d"]
    assert len(net.units) == 8
    assert trainable("full") == trainable(0) == head + sum(block)
    assert trainable("feature-extraction") == trainable(8) == trainable(99) == head
    assert trainable("partial") == trainable(4) == trainable(0.5) == head + block[2] + block[3]
    assert trainable(2) == trainable(0.25) == head + sum(block[1:])
    assert trainable(1) == head + bn0 + sum(block[1:])
    with pytest.raises(train.InputError):
        train.frozen_blocks(1.5, 4)


def test_frozen_bn_is_in_inference_mode_during_training():
    net = train.Net(5)
    net.freeze(4)  # two blocks: conv, bn, conv, bn
    net.train()
    modes = [b[1].training for b in net.base]  # b[1] is the block's BatchNorm
    assert modes == [False, False, True, True]
    net.freeze(0)
    assert all(b[1].training for b in net.base)
    net.bn_mode = "frozen"  # every BatchNorm in inference mode, trainable or not
    net.train()
    assert not any(b[1].training for b in net.base)
    assert all(q.requires_grad for q in net.base.parameters())


def test_batchnorm_matches_the_tfjs_trainer():
    bns = [m for m in train.Net(5).modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert bns and all(m.eps == 1e-3 and m.momentum == 0.1 for m in bns)


def state(path):
    return torch.load(path, map_location="cpu", weights_only=True)["model"]


@pytest.fixture(scope="module")
def pretrained(tmp_path_factory):
    """A base trained on digits 0-4, to transfer to digits 5-9."""
    tmp = tmp_path_factory.mktemp("pre")
    _, msgs = run(tmp, "pre", {"epochs": 1, "freezeDepth": "full", "headLr": 0.01})
    return [m for m in msgs if m["type"] == "result"][0]["artifact"]


@pytest.mark.parametrize("depth,frozen", [(4, 2), ("feature-extraction", 4)])
def test_frozen_weights_and_bn_statistics_do_not_change(tmp_path, pretrained, depth, frozen):
    params = {"epochs": 2, "freezeDepth": depth, "headLr": 0.01, "baseLr": 0.01, "augment": "heavy"}
    p, msgs = run(tmp_path, "transfer", params, dataset="demo:synthetic-digits-5-9", base_model=pretrained)
    check_protocol(ok(p).stdout, [0, 1])
    assert f"base weights loaded from {pretrained}" in p.stdout
    before = state(pretrained)
    after = state([m for m in msgs if m["type"] == "checkpoint"][-1]["path"])
    for i in range(4):
        keys = [k for k in before if k.startswith(f"base.{i}.")]
        assert any("running_mean" in k for k in keys)
        same = all(torch.equal(before[k], after[k]) for k in keys)
        assert same == (i < frozen), f"base block {i}: frozen={i < frozen} but unchanged={same}"


# --- checkpoints ---------------------------------------------------------------------------------


def test_resume_after_two_epochs_equals_three_epochs(tmp_path):
    params = {"epochs": 3, "headLr": 0.01, "augment": "light", "dropout": 0.3}
    p3, m3 = run(tmp_path, "three", params)
    ok(p3)
    p2, m2 = run(tmp_path, "two", {**params, "epochs": 2})
    ok(p2)
    ck = [m for m in m2 if m["type"] == "checkpoint"][-1]["path"]
    assert torch.load(ck, weights_only=True)["epoch"] == 1
    pr, mr = run(tmp_path, "two", params, resumeFrom=ck)
    check_protocol(ok(pr).stdout, [2])
    assert f"resumed from {ck} at epoch 2" in pr.stdout
    metric = lambda msgs, e: [m for m in msgs if m["type"] == "metric" and m["epoch"] == e][0]["values"]
    for k, v in metric(m3, 2).items():
        assert metric(mr, 2)[k] == pytest.approx(v, abs=1e-4), k
    result = lambda msgs: [m for m in msgs if m["type"] == "result"][0]["values"]
    assert result(mr)["val_acc"] == pytest.approx(result(m3)["val_acc"], abs=1e-4)


def test_same_seed_same_run_and_other_seed_differs(tmp_path):
    runs = [run(tmp_path, f"s{i}", {"epochs": 1}, seed=seed)[1] for i, seed in enumerate([1, 1, 2])]
    loss = [[m for m in r if m["type"] == "metric"][0]["values"]["loss"] for r in runs]
    assert loss[0] == loss[1] != loss[2]


# --- bad input -----------------------------------------------------------------------------------


def fails(p, text):
    assert p.returncode == 2, (p.returncode, p.stderr[-2000:])
    assert text in p.stderr
    assert "Traceback" not in p.stderr
    for line in p.stdout.splitlines():  # whatever reached stdout is still protocol
        check_message(json.loads(line))


def test_missing_dataset_folder(tmp_path):
    fails(
        run(tmp_path, "missing", {}, dataset=tmp_path / "nope")[0],
        f"dataset folder not found: {tmp_path / 'nope'}",
    )


def test_empty_class_is_an_error(tmp_path):
    make_folder(tmp_path / "data", corrupt=0)
    os.makedirs(tmp_path / "data" / "empty")
    fails(run(tmp_path, "empty", {}, dataset=tmp_path / "data")[0], "dataset class 'empty'")
    shutil.rmtree(tmp_path / "data" / "empty")
    for f in os.listdir(tmp_path / "data" / "b"):
        (tmp_path / "data" / "b" / f).write_bytes(b"garbage")
    fails(run(tmp_path, "garbage", {}, dataset=tmp_path / "data")[0], "dataset class 'b' in")


def test_bad_params_and_inputs(tmp_path):
    fails(run(tmp_path, "opt", {"optimizer": "rmsprop", "epochs": 0})[0], "params.optimizer")
    fails(run(tmp_path, "lr", {"headLr": -1})[0], "params.headLr")
    fails(run(tmp_path, "demo", {}, dataset="demo:imagenet")[0], "unknown demo dataset")
    fails(run(tmp_path, "base", {}, base_model=str(tmp_path / "none.pt"))[0], "baseModel not found")
    p = subprocess.run(
        [sys.executable, TRAIN, str(tmp_path / "absent.json")], capture_output=True, text=True, env=ENV
    )
    fails(p, "cannot read trainer input")


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_gpu_without_cuda_is_a_clear_error(tmp_path):
    fails(run(tmp_path, "gpu", {}, device={"kind": "gpu", "index": 0})[0], "CUDA is not available")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU on this machine")
def test_trains_on_the_gpu(tmp_path):
    p, _ = run(tmp_path, "cuda", {"epochs": 2}, device={"kind": "gpu", "index": 0})
    check_protocol(ok(p).stdout, [0, 1])
    assert "on cuda:0" in p.stdout


def test_cnn2_arch_matches_the_tfjs_demo_base():
    net = train.Net(5, arch="cnn2")
    convs = [b[0] for b in net.base]
    assert [(c.in_channels, c.out_channels) for c in convs] == [(1, 8), (8, 16)]
    assert net.head[1].in_features == 16 * 7 * 7  # 28 -> 14 -> 7 after two 2x2 pools, flattened
    assert net(torch.zeros(3, 1, 28, 28)).shape == (3, 5)
    with pytest.raises(train.InputError, match="params.arch"):
        train.parse_params({"arch": "vgg"})
