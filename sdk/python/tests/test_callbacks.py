"""The Keras and Lightning callbacks' logic, with stand-ins for the frameworks (installing
TensorFlow or PyTorch to test twenty lines would cost gigabytes)."""

import importlib
import io
import json
import sys
import types

import pytest

import retune
from retune._input import Device, TrialInput


def sweep_trial() -> "tuple[retune.Trial, io.StringIO]":
    out = io.StringIO()
    spec = TrialInput("t0", {}, "b", "d", "/ckpt", 0, Device("cpu"))
    return retune.Trial(spec, in_sweep=True, out=out), out


def lines(out: io.StringIO):
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def fake_modules(monkeypatch):
    def install(name: str, **attrs):
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            mod = types.ModuleType(".".join(parts[:i]))
            monkeypatch.setitem(sys.modules, mod.__name__, mod)
            if i > 1:
                setattr(sys.modules[".".join(parts[: i - 1])], parts[i - 1], mod)
        for key, value in attrs.items():
            setattr(sys.modules[name], key, value)

    yield install
    for name in ("keras", "lightning"):  # forget the modules built on the stand-ins
        sys.modules.pop(f"retune.{name}", None)
        retune.__dict__.pop(name, None)


class Base:
    def __init__(self):
        pass


def test_keras_callback_reports_logs_checkpoints_and_stops_training(fake_modules):
    fake_modules("keras.callbacks", Callback=Base)
    keras_cb = importlib.import_module("retune.keras")
    trial, out = sweep_trial()
    saved = []
    cb = keras_cb.Callback(trial, checkpoint=lambda model, epoch: saved.append(epoch) or "/c.h5")
    cb.model = types.SimpleNamespace(stop_training=False)
    cb.on_epoch_end(0, {"loss": 0.5, "val_accuracy": 0.8, "lr_name": "adam", "epoch": 3})
    assert cb.model.stop_training is False
    trial.request_stop("test")
    cb.on_epoch_end(1, {"loss": 0.4})
    assert cb.model.stop_training is True
    assert lines(out) == [
        {"type": "metric", "epoch": 0, "step": 0,
         "values": {"loss": 0.5, "val_accuracy": 0.8, "epoch": 3.0}},
        {"type": "checkpoint", "epoch": 0, "path": "/c.h5"},
        {"type": "metric", "epoch": 1, "step": 0, "values": {"loss": 0.4}},
        {"type": "checkpoint", "epoch": 1, "path": "/c.h5"},
    ]  # fmt: skip
    assert saved == [0, 1]


class Tensor:
    def __init__(self, v):
        self.v = v

    def item(self):
        return self.v


def test_lightning_callback_reports_callback_metrics_and_sets_should_stop(fake_modules):
    fake_modules("lightning.pytorch.callbacks", Callback=Base)
    lightning_cb = importlib.import_module("retune.lightning")
    trial, out = sweep_trial()
    cb = lightning_cb.Callback(trial)
    trainer = types.SimpleNamespace(
        sanity_checking=True, current_epoch=0, should_stop=False,
        callback_metrics={"val_loss": Tensor(0.3), "step": Tensor(10)},
    )  # fmt: skip
    cb.on_validation_epoch_end(trainer, None)
    assert lines(out) == []  # the sanity check's numbers are not an epoch
    trainer.sanity_checking = False
    trial.request_stop("test")
    cb.on_validation_epoch_end(trainer, None)
    assert lines(out) == [
        {"type": "metric", "epoch": 0, "step": 0, "values": {"val_loss": 0.3, "step": 10.0}}
    ]
    assert trainer.should_stop is True


def test_a_non_finite_keras_loss_fails_with_the_hint(fake_modules):
    fake_modules("keras.callbacks", Callback=Base)
    keras_cb = importlib.import_module("retune.keras")
    trial, _ = sweep_trial()
    cb = keras_cb.Callback(trial)
    cb.model = types.SimpleNamespace(stop_training=False)
    with pytest.raises(retune.ProtocolError, match="loss probably diverged"):
        cb.on_epoch_end(4, {"loss": float("nan")})
