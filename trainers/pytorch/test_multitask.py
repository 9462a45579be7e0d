"""Tests of the PyTorch trainer's multi-task training (multitask.py, multitask_data.py)."""

from __future__ import annotations

import csv
import math
import os
import subprocess

import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed (see trainers/pytorch/README.md)")
np = pytest.importorskip("numpy")
Image = pytest.importorskip("PIL.Image")

from test_train import check_protocol, fails, ok, run  # noqa: E402  (the shared subprocess helpers)

import multitask as mt  # noqa: E402
import train  # noqa: E402
from multitask_data import MISSING  # noqa: E402

DEMO = "demo:synthetic-digits-multitask"
MT = {"tasks": "digit,parity", "trainPerClass": 6, "valPerClass": 3, "batchSize": 16, "arch": "cnn2"}


def params(**raw) -> mt.MultiParams:
    return mt.parse_multi_params({"tasks": "digit,parity", **raw})


def net(share_depth: int, classes=(10, 2)) -> mt.MultiNet:
    torch.manual_seed(0)
    return mt.MultiNet(train.Net(2, arch="cnn2"), share_depth, list(classes), units=8, dropout=0.0)


def metrics(msgs) -> list[dict]:
    return [m["values"] for m in msgs if m["type"] == "metric"]


def result(msgs) -> dict:
    return [m for m in msgs if m["type"] == "result"][0]["values"]


# --- the loss ------------------------------------------------------------------------------------


def test_loss_is_the_weighted_sum_of_hand_computed_task_losses():
    outs = [torch.tensor([[2.0, 0.0], [0.0, 1.0]]), torch.tensor([[0.0, 0.0, 3.0], [1.0, 0.0, 0.0]])]
    y = torch.tensor([[0, 1], [1, MISSING]])  # the second image has no label for task 2
    ce = lambda logits, k: math.log(sum(math.exp(v) for v in logits)) - logits[k]
    l1 = (ce([2, 0], 0) + ce([0, 1], 1)) / 2
    l2 = ce([0, 0, 3], 1)  # only the labelled row
    losses = mt.task_losses(outs, y)
    assert [x.item() for x in losses] == pytest.approx([l1, l2])
    model = net(4, (2, 3))
    assert mt.total_loss(model, losses, params(taskWeights="1,0.5")).item() == pytest.approx(l1 + 0.5 * l2)
    assert mt.total_loss(model, losses, params(taskWeights=0.25)).item() == pytest.approx(l1 + 0.25 * l2)
    with torch.no_grad():
        model.log_vars.copy_(torch.tensor([0.5, -1.0]))
    auto = l1 * math.exp(-0.5) + 0.5 + l2 * math.exp(1.0) - 1.0  # Σ exp(−sᵢ)·Lᵢ + sᵢ
    assert mt.total_loss(model, losses, params(taskWeights="auto")).item() == pytest.approx(auto, rel=1e-6)
    assert mt.effective_weights(model, None) == pytest.approx([math.exp(-0.5), math.exp(1.0)])


def test_missing_labels_contribute_nothing():
    model = net(2)
    x = torch.rand(4, 1, 28, 28)
    y = torch.tensor([[1, MISSING], [2, MISSING], [3, 0], [4, MISSING]])
    mp = params(taskWeights="1,1")
    model.eval()
    loss = mt.total_loss(model, mt.task_losses(model(x), y), mp)
    # Only image 3 carries a parity label: the others' parity logits cannot change the loss.
    only = mt.task_losses(model(x[2:3]), y[2:3])[1]
    assert loss.item() == pytest.approx(mt.task_losses(model(x), y)[0].item() + only.item(), rel=1e-5)
    y_none = y.clone()
    y_none[:, 1] = MISSING
    assert mt.task_losses(model(x), y_none)[1] is None
    model.zero_grad()
    mt.total_loss(model, mt.task_losses(model(x), y_none), mp).backward()
    assert all(p.grad is None for p in model.heads[1].parameters())
    tally = mt.TaskTally(["digit", "parity"])
    tally.add(model(x), y_none)
    assert set(tally.means()) == {"digit"}  # no parity accuracy from unlabelled images


# --- sharing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [0, 1, 2, 3, 4])
def test_hard_sharing_shares_exactly_share_depth_layers(depth):
    model = net(depth)
    assert len(model.layers) == len(train.Net(2, arch="cnn2").units) == 4  # cnn2: conv, BN, conv, BN
    path = lambda t: {id(p) for m in (model.trunk, model.towers[t], model.heads[t]) for p in m.parameters()}
    shared = path(0) & path(1)
    first = {id(p) for copies in model.layers[:depth] for unit in copies for p in unit.parameters()}
    assert shared == first  # the same tensors in both tasks' paths: the first `depth` layers, no more
    assert all(len(copies) == 1 for copies in model.layers[:depth])
    assert all(len(copies) == 2 for copies in model.layers[depth:])
    # The towers start from the same weights, and a loss on task 0 alone leaves task 1's tower be.
    for a, b in zip(model.towers[0].parameters(), model.towers[1].parameters()):
        assert a is not b and torch.equal(a, b)
    model.zero_grad()
    model(torch.rand(2, 1, 28, 28))[0].sum().backward()
    assert all(p.grad is None for p in model.towers[1].parameters())
    assert all(p.grad is not None for p in model.trunk.parameters())


def test_freezing_applies_to_the_trunk_and_every_tower_copy():
    model = net(1)  # the first conv shared; BN, conv, BN in each tower
    model.freeze(3)
    frozen = [all(not p.requires_grad for u in copies for p in u.parameters()) for copies in model.layers]
    assert frozen == [True, True, True, False]
    model.train()
    bns = [u for copies in model.layers for u in copies if isinstance(u, torch.nn.BatchNorm2d)]
    assert [bn.training for bn in bns] == [False, False, True, True]  # each tower's copy alike


def tower_distance_after(penalty: float) -> float:
    model = net(2)
    mp = params(taskWeights="1,1", sharing="soft", softPenalty=penalty, shareDepth=2)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    g = torch.Generator().manual_seed(1)
    x = torch.rand(16, 1, 28, 28, generator=g)
    y = torch.stack([torch.randint(0, 10, (16,), generator=g), torch.randint(0, 2, (16,), generator=g)], 1)
    for _ in range(15):
        opt.zero_grad()
        mt.total_loss(model, mt.task_losses(model(x), y), mp).backward()
        opt.step()
    return model.tower_distance().item()


def test_a_larger_soft_penalty_keeps_the_towers_closer():
    d = [tower_distance_after(pen) for pen in (0.0, 0.1, 1.0)]
    assert d[0] > d[1] > d[2] >= 0, d


# --- runs ----------------------------------------------------------------------------------------


def test_demo_run_reports_per_task_metrics(tmp_path):
    p, msgs = run(tmp_path, "mt", {**MT, "epochs": 2, "taskWeights": 0.5, "shareDepth": 2}, dataset=DEMO)
    check_protocol(ok(p).stdout, [0, 1])
    m = metrics(msgs)[-1]
    for name in ("val_acc_digit", "val_acc_parity", "val_loss_digit", "loss_parity", "task_weight_parity"):
        assert name in m, name
    assert m["task_weight_digit"] == 1 and m["task_weight_parity"] == 0.5
    assert m["val_acc"] == pytest.approx((m["val_acc_digit"] + m["val_acc_parity"]) / 2, abs=2e-6)
    assert m["val_loss"] == pytest.approx(m["val_loss_digit"] + 0.5 * m["val_loss_parity"], abs=3e-6)
    r = result(msgs)
    assert r["best_val_acc_digit"] == max(x["val_acc_digit"] for x in metrics(msgs))
    assert "2/4 base layers shared" in p.stdout


def test_resume_with_several_heads_equals_an_unbroken_run(tmp_path):
    par = {**MT, "epochs": 3, "taskWeights": "auto", "sharing": "soft", "shareDepth": 2, "headLr": 0.01}
    _, full = run(tmp_path, "full", par, dataset=DEMO)
    _, two = run(tmp_path, "two", {**par, "epochs": 2}, dataset=DEMO)
    ck = [m for m in two if m["type"] == "checkpoint"][-1]["path"]
    p, resumed = run(tmp_path, "two", par, dataset=DEMO, resumeFrom=ck)
    check_protocol(ok(p).stdout, [2])
    want, got = metrics(full)[2], metrics(resumed)[0]
    assert set(got) == set(want)
    for k, v in want.items():
        assert got[k] == pytest.approx(v, abs=1e-4), k
    assert want["task_weight_digit"] != 1  # `auto` learned its weights, and they were resumed too
    # The reported total leaves auto's +sᵢ out: Σ of effective weight × task loss.
    total = sum(want[f"task_weight_{t}"] * want[f"val_loss_{t}"] for t in ("digit", "parity"))
    assert want["val_loss"] == pytest.approx(total, abs=1e-5)


def write_labels(root, rows, header=("file", "shape", "shade")):
    os.makedirs(root, exist_ok=True)
    rng = np.random.default_rng(0)
    with open(root / "labels.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i, labels in enumerate(rows):
            img = rng.integers(0, 60, (28, 28), dtype=np.uint8)
            img[:, (i % 3) * 9 : (i % 3) * 9 + 6] = 255
            Image.fromarray(img).save(root / f"{i}.png")
            w.writerow([f"{i}.png", *labels])


def test_labels_csv_with_missing_labels_and_a_task_without_val_labels(tmp_path):
    shapes = ["a", "b", "c"]
    write_labels(tmp_path / "d" / "train", [(shapes[i % 3], "" if i % 4 else "dark") for i in range(12)])
    write_labels(tmp_path / "d" / "val", [(shapes[i % 3], "") for i in range(6)])
    par = {"tasks": "shade,shape", "epochs": 1, "batchSize": 4}
    p, msgs = run(tmp_path, "csv", par, dataset=tmp_path / "d")
    check_protocol(ok(p).stdout, [0])
    m = metrics(msgs)[0]
    assert "val_acc_shape" in m and "loss_shade" in m
    assert "val_acc_shade" not in m and "val_loss_shade" not in m  # no val labels for shade
    assert m["val_acc"] == m["val_acc_shape"]
    assert "12 train / 6 val images" in p.stdout


def test_one_labels_csv_is_split_by_the_first_task(tmp_path):
    from multitask_data import load_multitask

    write_labels(tmp_path / "d", [("abc"[i % 3], "" if i % 2 else "x") for i in range(15)])
    d = load_multitask(str(tmp_path / "d"), ["shape", "shade"], seed=0)  # shape is the first task
    assert d.class_names == {"shape": ["a", "b", "c"], "shade": ["x"]}
    assert (len(d.train_x), len(d.val_x)) == (12, 3)
    assert sorted(d.val_y[:, 0].tolist()) == [0, 1, 2]  # one val image per class of the first task
    d = load_multitask(str(tmp_path / "d"), ["shade", "shape"], seed=0)  # now shade: x or missing
    assert (len(d.train_x), len(d.val_x)) == (12, 3)
    assert sorted(d.val_y[:, 0].tolist()) == [MISSING, 0, 0]  # round(0.2 × 7) unlabelled, round(0.2 × 8) x


def test_reads_the_labels_csv_layout_the_tfjs_side_exports(tmp_path):
    # `retune dataset export` of a multi-task demo (libs/trainer) writes DIR/<split>/labels.csv
    # with images under DIR/<split>/images/: the layout both trainers read.
    from test_train import REPO

    tsx = os.path.join(REPO, "node_modules", ".bin", "tsx")
    if not os.path.exists(tsx):
        pytest.skip("node_modules/.bin/tsx not installed")
    out = tmp_path / "exported"
    cli = [tsx, "apps/cli/src/main.ts", "dataset", "export", "demo:mnist-multitask", str(out)]
    sizes = ["--train-per-class", "3", "--val-per-class", "2"]
    p = subprocess.run(cli + sizes, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    p, msgs = run(tmp_path, "trained", {"tasks": "parity,digit", "epochs": 1, "batchSize": 8}, dataset=out)
    check_protocol(ok(p).stdout, [0])
    # 30 train and 20 val images exported; valPerClass 8 (FAST) caps val per class of the first
    # task, parity: 2 × 8.
    assert "tasks parity (2 classes), digit (10 classes), 30 train / 16 val images" in p.stdout


# --- bad input -----------------------------------------------------------------------------------


def test_parsing_of_task_weights():
    assert params().weights == [1, 1]
    assert params(taskWeights=0.3).weights == [1, 0.3]
    assert params(taskWeights="2").weights == [1, 2]
    assert mt.parse_multi_params({"tasks": "a,b,c", "taskWeights": 0.5}).weights == [1, 0.5, 0.5]
    assert params(taskWeights="auto").weights is None


def test_bad_multitask_params_are_clear_errors(tmp_path):
    bad = {
        "unknown": ({"tasks": "digit,colour"}, "params.tasks: colour not in dataset"),
        "count": ({"taskWeights": "1,2,3"}, "params.taskWeights: 3 weights for 2 tasks"),
        "negative": ({"taskWeights": "1,-0.5"}, "params.taskWeights: weights must be finite and ≥ 0"),
        "soft": ({"sharing": "soft"}, "params.sharing: soft sharing needs towers"),
    }
    for name, (par, text) in bad.items():
        fails(run(tmp_path, name, {**MT, **par}, dataset=DEMO)[0], text)
    with pytest.raises(train.InputError, match="params.tasks: 'Parity' is not a task name"):
        mt.parse_multi_params({"tasks": "digit,Parity"})
    with pytest.raises(train.InputError, match=r"params.shareDepth: 9 is outside \[0, 4\]"):
        net(9)
    effnet = lambda depth: mt.MultiNet(train.Net(2, arch="efficientnet-lite0", image_size=32), depth, [3, 2], 8, 0)
    with pytest.raises(train.InputError, match="92 would cut inside a MBConvBlock .*; use 90 or 96"):
        effnet(92)
    assert [len(c) for c in effnet(90).layers[89:91]] == [1, 2]  # split between two blocks
    p = run(tmp_path, "known", {**MT, "tasks": "digit,colour"}, dataset=DEMO)[0]
    assert "its tasks: digit, parity" in p.stderr


def test_fashion_multitask_demo_has_item_and_its_group(tmp_path):
    import demo_fashion
    from multitask_data import load_multitask

    try:
        demo_fashion.fashion_dir()
    except demo_fashion.FashionError as e:
        pytest.skip(str(e))
    d = load_multitask("demo:fashion-multitask", ["group", "item"], seed=0)
    assert d.tasks == ["group", "item"] and d.class_names["group"] == ["bag", "clothing", "footwear"]
    assert d.class_names["item"][8] == "bag" and len(d.class_names["item"]) == 10
    group_of = {8: 0, 5: 2, 7: 2, 9: 2}
    for y in (d.train_y, d.val_y):
        assert all(g == group_of.get(int(k), 1) for g, k in y)
    assert len(d.train_y) == 10 * 20 and d.train_x.shape[1:] == (1, 28, 28)
    p, msgs = run(tmp_path, "fmt", {**MT, "epochs": 1, "tasks": "item,group"}, dataset="demo:fashion-multitask")
    ok(p)
    assert "val_acc_group" in metrics(msgs)[-1]
