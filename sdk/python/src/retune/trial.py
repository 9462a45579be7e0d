"""The trainer side: `trial = retune.trial()` in a training script run by a Retune worker.

The worker writes a JSON input file, reads JSON lines from the trainer's stdout, and stops a
pruned or cancelled trial by sending SIGTERM to the trainer's process group, then SIGKILL after a
grace period (5 s by default). `Trial.should_stop` turns true on that SIGTERM so the script can
save and exit; lines printed after it are no longer read by the worker.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
import tempfile
import threading
from typing import Any, Dict, Mapping, Optional, TextIO

from . import _protocol as protocol
from ._input import Device, ParamValue, TrialInput, find_input_path, read_input

_protocol_stream: Optional[TextIO] = None


def _claim_stdout() -> TextIO:
    """Keeps the real stdout for protocol lines and points fd 1 at stderr, so stray prints
    (progress bars, library banners, even C code) cannot break the protocol."""
    global _protocol_stream
    if _protocol_stream is None:
        sys.stdout.flush()
        fd = os.dup(1)
        os.dup2(2, 1)
        _protocol_stream = os.fdopen(fd, "w", buffering=1, encoding="utf-8")
    return _protocol_stream


class Trial:
    """One trial: its input, and the messages the worker reads."""

    def __init__(self, spec: TrialInput, *, in_sweep: bool, out: TextIO) -> None:
        self._input = spec
        self.in_sweep = in_sweep
        self._out = out
        self._stop = threading.Event()
        self.stop_reason: Optional[str] = None

    # -- input -----------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self._input.trial_id

    @property
    def params(self) -> Dict[str, ParamValue]:
        return self._input.params

    def param(self, name: str, default: Any = None) -> Any:
        return self._input.params.get(name, default)

    @property
    def base_model(self) -> str:
        return self._input.base_model

    @property
    def base_model_meta(self) -> Optional[Dict[str, Any]]:
        return self._input.base_model_meta

    @property
    def dataset(self) -> str:
        return self._input.dataset

    @property
    def checkpoint_dir(self) -> str:
        return self._input.checkpoint_dir

    @property
    def resume_from(self) -> Optional[str]:
        """The last checkpoint of an earlier attempt of this trial (a worker died), if any."""
        return self._input.resume_from

    @property
    def seed(self) -> int:
        return self._input.seed

    @property
    def device(self) -> Device:
        return self._input.device

    # -- stopping --------------------------------------------------------------------------
    @property
    def should_stop(self) -> bool:
        """True once the worker asked the trainer to stop (trial pruned or cancelled)."""
        return self._stop.is_set()

    def request_stop(self, reason: str = "requested") -> None:
        self.stop_reason = self.stop_reason or reason
        self._stop.set()

    # -- messages --------------------------------------------------------------------------
    def report(self, epoch: int, step: int = 0, **metrics: Any) -> None:
        """Metrics of one epoch (and step); the sweep's metric among them drives pruning."""
        self.report_values(epoch, metrics, step)

    def report_values(self, epoch: int, values: Mapping[str, Any], step: int = 0) -> None:
        """As report(), for names that are not Python identifiers or clash ("epoch", "step")."""
        message = protocol.metric(epoch, values, step)
        if self.in_sweep:
            self._emit(message)
        else:
            shown = " ".join(f"{k}={v:.6g}" for k, v in message["values"].items())
            self._print(f"epoch {message['epoch']}: {shown}")

    def checkpoint(self, path: Any, epoch: int) -> None:
        """A checkpoint written at `path`; a retried attempt gets it back as `resume_from`."""
        message = protocol.checkpoint(path, epoch)
        if self.in_sweep:
            self._emit(message)
        else:
            self._print(f"checkpoint epoch {message['epoch']}: {message['path']}")

    def log(self, *parts: Any, level: str = "info") -> None:
        message = protocol.log(" ".join(str(p) for p in parts), level)
        if self.in_sweep:
            self._emit(message)
        else:
            self._print(f"{level}: {message['msg']}")

    def result(self, artifact: Any = None, **values: Any) -> None:
        """The trial's final values (the sweep's metric and any objectives) and model path."""
        message = protocol.result(values, artifact)
        if self.in_sweep:
            self._emit(message)
        else:
            shown = " ".join(f"{k}={v:.6g}" for k, v in message["values"].items())
            self._print(f"result: {shown}" + (f" artifact={artifact}" if artifact else ""))

    def _emit(self, message: Mapping[str, Any]) -> None:
        try:
            self._out.write(protocol.encode(message) + "\n")
            self._out.flush()
        except BrokenPipeError:
            # The worker is gone: nobody reads us any more.
            self.request_stop("worker stopped reading")

    def _print(self, text: str) -> None:
        self._out.write(f"[retune] {text}\n")
        self._out.flush()


def _install_sigterm(t: Trial) -> None:
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers can only be set from the main thread
    previous = signal.getsignal(signal.SIGTERM)
    owner = os.getpid()

    def on_sigterm(signum: int, frame: Any) -> None:
        # The worker signals the whole process group: forked helpers (data loader workers)
        # inherit this handler but must die as before; so must a script that ignored the first.
        if os.getpid() != owner or t.should_stop:
            signal.signal(signal.SIGTERM, previous if callable(previous) else signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        t.request_stop("SIGTERM (trial pruned or cancelled)")

    signal.signal(signal.SIGTERM, on_sigterm)


def trial(
    defaults: Optional[Mapping[str, ParamValue]] = None,
    *,
    dataset: str = "",
    base_model: str = "",
    input_path: Optional[str] = None,
    out: Optional[TextIO] = None,
    handle_sigterm: bool = True,
) -> Trial:
    """The current trial. In a sweep its params are `defaults` overridden by the sweep's; run by
    hand (no input file) the script gets `defaults` and metrics are printed for a person."""
    path = input_path or find_input_path()
    base = dict(defaults or {})
    if path is not None:
        spec = read_input(path)
        spec = dataclasses.replace(spec, params={**base, **spec.params})
        t = Trial(spec, in_sweep=True, out=out or _claim_stdout())
    else:
        local = TrialInput(
            trial_id="local",
            params=base,
            base_model=base_model,
            dataset=dataset,
            checkpoint_dir=tempfile.mkdtemp(prefix="retune-local-"),
            seed=0,
            device=Device(kind="cpu"),
        )
        t = Trial(local, in_sweep=False, out=out or sys.stdout)
        t._print(f"not in a sweep: defaults {base}, checkpoints in {local.checkpoint_dir}")
    if handle_sigterm:
        _install_sigterm(t)
    return t
