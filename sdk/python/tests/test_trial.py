import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import retune
from retune import _protocol

SRC = str(Path(__file__).resolve().parents[1] / "src")


def trial_input(tmp_path: Path, **over) -> Path:
    data = {
        "trialId": "sw_1-t0",
        "params": {"lr": 0.01, "freeze": True},
        "baseModel": "demo:base",
        "dataset": "demo:data",
        "checkpointDir": str(tmp_path / "ckpt"),
        "seed": 7,
        "device": {"kind": "gpu", "index": 1},
        **over,
    }
    path = tmp_path / "input.json"
    path.write_text(json.dumps(data))
    return path


def run_script(code: str, input_path, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": SRC}
    env.pop("RETUNE_TRAINER_INPUT", None)
    if input_path is not None:
        env["RETUNE_TRAINER_INPUT"] = str(input_path)
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def test_a_sweep_trial_reads_its_input_and_prints_only_protocol_lines(tmp_path):
    proc = run_script(
        """
        import retune
        t = retune.trial({"lr": 1.0, "epochs": 2})
        print("a stray print goes to stderr")
        assert t.params == {"lr": 0.01, "freeze": True, "epochs": 2}, t.params
        assert (t.id, t.seed, t.device.torch, t.resume_from) == ("sw_1-t0", 7, "cuda:0", "ckpt-3")
        assert t.device.index == 1  # the host's GPU 1, the only one CUDA_VISIBLE_DEVICES shows
        t.report(0, loss=0.5, val_acc=0.75)
        t.checkpoint(t.checkpoint_dir + "/e0.pt", 0)
        t.log("done", 1, level="warn")
        t.result(val_acc=0.75, artifact="/tmp/model")
        """,
        trial_input(tmp_path, resumeFrom="ckpt-3"),
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "a stray print goes to stderr" in err
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == [
        {"type": "metric", "epoch": 0, "step": 0, "values": {"loss": 0.5, "val_acc": 0.75}},
        {"type": "checkpoint", "epoch": 0, "path": str(tmp_path / "ckpt") + "/e0.pt"},
        {"type": "log", "level": "warn", "msg": "done 1"},
        {"type": "result", "values": {"val_acc": 0.75}, "artifact": "/tmp/model"},
    ]


def test_sigterm_makes_should_stop_true_so_the_script_saves_and_exits(tmp_path):
    proc = run_script(
        """
        import time, retune
        t = retune.trial()
        epoch = 0
        while not t.should_stop:
            t.report(epoch, loss=1.0 / (epoch + 1))
            epoch += 1
            time.sleep(0.05)
        t.log("stopped:", t.stop_reason)
        """,
        trial_input(tmp_path),
    )
    first = json.loads(proc.stdout.readline())
    assert first["type"] == "metric"
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    last = json.loads(out.splitlines()[-1])
    assert last["type"] == "log" and "SIGTERM" in last["msg"]


def test_by_hand_the_script_gets_its_defaults_and_prints_for_a_person(tmp_path):
    proc = run_script(
        """
        import retune
        t = retune.trial({"lr": 0.1})
        assert not t.in_sweep and t.params == {"lr": 0.1}
        t.report(2, val_acc=0.5)
        t.result(val_acc=0.5)
        """,
        None,
        cwd=tmp_path,
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "[retune] epoch 2: val_acc=0.5" in out
    assert "[retune] result: val_acc=0.5" in out


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_values_are_refused_with_the_workers_hint(bad):
    with pytest.raises(retune.ProtocolError, match="loss probably diverged"):
        _protocol.metric(1, {"loss": bad})
    with pytest.raises(retune.ProtocolError, match='result "val_acc"'):
        _protocol.result({"val_acc": bad})


def test_messages_the_worker_would_refuse_fail_in_the_trainer():
    with pytest.raises(retune.ProtocolError, match="epoch must be a whole number"):
        _protocol.metric(-1, {"loss": 1})
    with pytest.raises(retune.ProtocolError, match="must be a number, got bool"):
        _protocol.metric(0, {"ok": True})
    with pytest.raises(retune.ProtocolError, match="at least one value"):
        _protocol.metric(0, {})
    with pytest.raises(retune.ProtocolError, match="log level"):
        _protocol.log("x", "fatal")
    assert _protocol.metric(2.0, {"n": 3})["epoch"] == 2


def test_an_input_that_is_not_a_trial_input_says_so(tmp_path):
    path = tmp_path / "input.json"
    path.write_text(json.dumps({"trialId": "x"}))
    with pytest.raises(ValueError, match="lacks params, baseModel"):
        retune.trial(input_path=str(path), handle_sigterm=False)


def test_the_callbacks_explain_a_missing_library():
    for name, lib in (("keras", "keras"), ("lightning", "lightning")):
        try:
            __import__(lib)
            continue
        except ImportError:
            pass
        with pytest.raises(ImportError, match=f"retune.{name} needs"):
            getattr(retune, name)


def test_report_values_takes_names_report_cannot(tmp_path):
    out = __import__("io").StringIO()
    t = retune.trial(input_path=str(trial_input(tmp_path)), out=out, handle_sigterm=False)
    t.report_values(1, {"epoch": 1, "top-5 acc": 0.9}, step=3)
    assert json.loads(out.getvalue()) == {
        "type": "metric", "epoch": 1, "step": 3, "values": {"epoch": 1, "top-5 acc": 0.9},
    }  # fmt: skip


def test_a_forked_helper_still_dies_on_sigterm(tmp_path):
    proc = run_script(
        """
        import os, signal, time, retune
        t = retune.trial()
        ready_r, ready_w = os.pipe()
        child = os.fork()
        if child == 0:  # a data-loader-like helper in the same process group
            os.write(ready_w, b"1")  # a signal before the child is set up would be lost
            time.sleep(60)
            os._exit(0)
        os.read(ready_r, 1)
        os.kill(child, signal.SIGTERM)
        _, status = os.waitpid(child, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM, status
        assert not t.should_stop
        t.log("helper died")
        """,
        trial_input(tmp_path),
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert json.loads(out)["msg"] == "helper died"


def test_a_missing_input_file_named_on_the_command_line_is_an_error(tmp_path):
    proc = run_script("import retune; retune.trial()", None)
    proc.communicate(timeout=60)
    assert proc.returncode == 0  # no argument: by hand, with defaults
    env = {**os.environ, "PYTHONPATH": SRC}
    env.pop("RETUNE_TRAINER_INPUT", None)
    missing = str(tmp_path / "absent.json")
    run = subprocess.run(
        [sys.executable, "-c", "import retune; retune.trial()", missing],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode != 0
    assert f"trial input {missing} does not exist" in run.stderr
