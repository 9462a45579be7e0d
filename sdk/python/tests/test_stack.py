"""The SDK against the real stack: Temporal dev server, the worker (trainers as processes) and
the tRPC API over HTTP with API-token auth (apps/worker/src/test-support/sdk-stack.ts; the
router is the dashboard's, mounted without Next.js). Skips when node or the repo is missing."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import retune

REPO = Path(__file__).resolve().parents[3]
STACK = REPO / "apps/worker/src/test-support/sdk-stack.ts"
SRC = Path(__file__).resolve().parents[1] / "src"
TRAINER = Path(__file__).resolve().parent / "stack_trainer.py"

pytestmark = pytest.mark.skipif(
    os.environ.get("RETUNE_SKIP_SDK_STACK") == "1", reason="RETUNE_SKIP_SDK_STACK=1"
)


def npx(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(["npx", "--no-install", *args], cwd=REPO, **kw)


@pytest.fixture(scope="module")
def stack():
    if shutil.which("npx") is None or not (REPO / "node_modules").is_dir():
        pytest.skip("needs node and the repo's node_modules (npm install)")
    ensure = npx("tsx", "tools/ensure-temporal.ts", "--quiet", stdout=subprocess.PIPE, text=True)
    temporal = ensure.communicate(timeout=600)[0].strip().splitlines()
    if ensure.returncode != 0 or not temporal:
        pytest.skip("no Temporal CLI (tools/ensure-temporal.ts failed)")
    env = {
        **os.environ,
        "RETUNE_TEMPORAL_BIN": temporal[-1],
        # The worker's trainers inherit this: the SDK from the source tree.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
    }
    proc = npx(
        "tsx", str(STACK), env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    info = None
    for line in proc.stdout:  # the Temporal CLI's banner comes first
        if line.startswith("RETUNE_SDK_STACK "):
            info = json.loads(line.split(" ", 1)[1])
            break
    if info is None:
        proc.wait(timeout=60)
        pytest.fail(f"the stack did not start (exit {proc.returncode}; its stderr is above)")
    yield info
    proc.stdin.close()  # the stack shuts down when its stdin closes
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def client(stack):
    return retune.Client(stack["url"], stack["token"])


GRID = {
    "name": "sdk grid",
    "dataset": "demo:mnist-5-9",
    "baseModel": "demo:mnist-0-4-cnn",
    "trainer": {"name": "synthetic"},
    "algorithm": "grid",
    "maxParallel": 2,
    "fixed": {"epochs": 2},
    "searchSpace": {"headLr": {"type": "choice", "values": [0.001, 0.01, 0.1]}},
}


def test_launch_wait_and_read_the_sweep_back(client):
    launched = client.launch(GRID)
    assert launched["status"] in ("queued", "running")
    detail = client.wait(launched["id"], poll=0.5, timeout=300, progress=False)
    assert detail["status"] == "completed"
    assert any(s["id"] == launched["id"] for s in client.sweeps(search="sdk grid"))

    rows = client.trial_records(launched["id"])
    assert sorted(r["param.headLr"] for r in rows) == [0.001, 0.01, 0.1]
    assert {r["status"] for r in rows} == {"completed"}
    best = max(rows, key=lambda r: r["objective"])
    assert best["id"] == detail["bestTrialId"] and best["param.headLr"] == 0.01

    curves = client.curve_records(launched["id"])
    assert len(curves) == 3 * 2 and {c["metric"] for c in curves} == {"val_acc"}
    assert [p["epoch"] for p in client.metrics(best["id"]) if p["name"] == "val_acc"] == [0, 1]
    compared = client.compare([r["id"] for r in rows])
    assert len(compared["trials"]) == 3


def test_models_register_list_and_promote(client):
    launched = client.launch({**GRID, "name": "sdk models"})
    detail = client.wait(launched["id"], poll=0.5, timeout=300, progress=False)
    best, other = detail["bestTrialId"], detail["trials"][0]["id"]
    if other == best:
        other = detail["trials"][1]["id"]
    champion = client.register(best, task="sdk-task", champion=True)
    challenger = client.register(other, task="sdk-task")
    assert {v["id"] for v in client.models(task="sdk-task")} == {champion["id"], challenger["id"]}
    assert champion["isChampion"] and not challenger["isChampion"]
    promoted = client.promote(challenger["id"], reason="rollback drill")
    assert promoted["id"] == challenger["id"] and promoted["isChampion"]
    champions = [v["id"] for v in client.models(task="sdk-task") if v["isChampion"]]
    assert champions == [challenger["id"]]
    with pytest.raises(retune.NotFoundError):
        client.promote("mv_missing")
    with pytest.raises(retune.ConflictError):
        client.resume(launched["id"])  # a completed sweep cannot be resumed
    pareto = client.pareto(launched["id"])
    assert len(pareto["points"]) == 3


def test_trials_and_curves_as_dataframes_with_the_right_rows(client):
    pytest.importorskip("pandas")
    launched = client.launch({**GRID, "name": "sdk frames"})
    client.wait(launched["id"], poll=0.5, timeout=300, progress=False)
    trials = client.trials(launched["id"])
    assert len(trials) == 3 and set(trials["status"]) == {"completed"}
    assert trials.loc[trials["objective"].idxmax(), "param.headLr"] == 0.01
    curves = client.curves(launched["id"])
    assert sorted(curves.groupby("trial_id").size().tolist()) == [2, 2, 2]


def test_an_invalid_spec_is_refused_with_its_field_paths(client):
    with pytest.raises(retune.InvalidRequestError) as caught:
        client.launch({**GRID, "maxParallel": 0, "searchSpace": {"lr": {"type": "uniform"}}})
    paths = {issue.path for issue in caught.value.issues}
    assert "maxParallel" in paths, caught.value
    assert any(p.startswith("searchSpace.lr") for p in paths), caught.value


def test_a_revoked_token_is_refused(stack):
    with pytest.raises(retune.AuthError):
        retune.Client(stack["url"], stack["revokedToken"]).sweeps()


def test_an_sdk_trainer_reports_checkpoints_and_sees_its_pruning(stack, client, tmp_path):
    spec = {
        "name": "sdk trainer",
        "dataset": "demo:mnist-5-9",  # ignored by these scripts; a name, not a path under a data root
        "baseModel": "demo:scratch",
        "trainer": {"command": [sys.executable, str(TRAINER)]},
        "algorithm": "grid",
        "maxParallel": 1,
        "metric": {"name": "val_acc", "goal": "maximize"},
        "earlyStopping": {"type": "median", "nStartupTrials": 1},
        "fixed": {"markerDir": str(tmp_path)},
        # Grid order: "good" completes first, so the median pruner has a trial to compare with.
        "searchSpace": {"quality": {"type": "choice", "values": ["good", "bad"]}},
    }
    launched = client.launch(spec)
    detail = client.wait(launched["id"], poll=0.5, timeout=300, progress=False)
    good, bad = sorted(detail["trials"], key=lambda t: t["number"])
    assert (good["params"]["quality"], bad["params"]["quality"]) == ("good", "bad")
    assert good["status"] == "completed" and good["objective"] == pytest.approx(0.7)
    points = client.metrics(good["id"])
    assert sorted({p["name"] for p in points}) == ["loss", "val_acc"]
    assert [p["epoch"] for p in points if p["name"] == "val_acc"] == [0, 1, 2]
    # Written under the checkpointDir the worker handed the trainer (a checkpoint message with a
    # path the worker refused would have failed the trial).
    saved = [p for p in Path(stack["workDir"]).rglob("epoch-2.ckpt") if good["id"] in str(p)]
    assert len(saved) == 1

    assert bad["status"] == "pruned", bad
    marker = tmp_path / f"{bad['id']}.stopped"
    assert marker.is_file(), "the pruned trainer never saw should_stop"
    assert "SIGTERM" in marker.read_text()


EXAMPLES = REPO / "examples/python"


def test_the_example_trainer_runs_in_a_sweep(client):
    launched = client.launch(
        {
            "name": "sdk example trainer",
            "dataset": "demo:mnist-5-9",
            "baseModel": "demo:scratch",
            "trainer": {"command": [sys.executable, str(EXAMPLES / "train_with_sdk.py")]},
            "algorithm": "grid",
            "maxParallel": 2,
            "metric": {"name": "val_acc", "goal": "maximize"},
            "fixed": {"epochs": 5},
            "searchSpace": {"lr": {"type": "choice", "values": [0.01, 0.2]}},
        }
    )
    detail = client.wait(launched["id"], poll=0.5, timeout=300, progress=False)
    assert [t["status"] for t in detail["trials"]] == ["completed", "completed"]
    assert detail["bestTrialId"] == detail["trials"][1]["id"]  # the larger lr learns faster


def test_the_example_notebook_runs_top_to_bottom(stack):
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    env = {**os.environ, "RETUNE_API_URL": stack["url"], "RETUNE_API_TOKEN": stack["token"]}
    env["MPLBACKEND"] = "Agg"
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "sweep_notebook.py")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "completed best" in run.stdout


def wait_for(check, what: str, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


# Kills a GPU worker: keep it last in this file (one GPU worker is left for anything after it).
def test_a_trial_on_a_killed_worker_resumes_from_its_sdk_checkpoint(stack, client, tmp_path):
    launched = client.launch(
        {
            "name": "sdk resume",
            "dataset": "demo:mnist-5-9",  # ignored by these scripts; a name, not a path under a data root
            "baseModel": "demo:scratch",
            "trainer": {"command": [sys.executable, str(TRAINER)]},
            "algorithm": "grid",
            "metric": {"name": "val_acc", "goal": "maximize"},
            "heartbeatTimeoutSeconds": 3,
            "fixed": {"markerDir": str(tmp_path), "quality": "slow"},
            "searchSpace": {"seed": {"type": "choice", "values": [1]}},
        }
    )
    trial_id = f"{launched['id']}-t0"

    def epochs_seen():
        try:
            return [p["epoch"] for p in client.metrics(trial_id) if p["name"] == "val_acc"]
        except retune.NotFoundError:  # the trial gets its row when it starts
            return []

    # Late enough that a heartbeat after the first (throttled to 1 s) carried a checkpoint.
    wait_for(lambda: len(epochs_seen()) >= 5, "the first attempt's fifth epoch")
    victim = client.trial(trial_id)["worker"]
    os.kill(stack["gpuWorkers"][victim], signal.SIGKILL)

    detail = client.wait(launched["id"], poll=0.5, timeout=300, progress=False)
    trial = detail["trials"][0]
    assert trial["status"] == "completed" and trial["attempts"] == 2
    assert trial["worker"] != victim
    assert sorted(epochs_seen()) == list(range(10))  # each epoch once, whichever attempt
    resumed = (tmp_path / f"{trial_id}.resumed").read_text()
    assert resumed.endswith(".ckpt") and trial_id in resumed
    # The orphaned first trainer notices nobody reads it any more and stops itself.
    wait_for((tmp_path / f"{trial_id}.stopped").is_file, "the orphaned trainer to stop", 60)
    assert "worker stopped reading" in (tmp_path / f"{trial_id}.stopped").read_text()
