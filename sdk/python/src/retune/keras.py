"""A Keras callback: `model.fit(..., callbacks=[retune.keras.Callback(trial)])` reports each
epoch's logs and stops training when the trial is pruned or cancelled."""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

try:
    import keras as _keras
except ImportError:  # Keras 2 ships inside TensorFlow
    try:
        from tensorflow import keras as _keras
    except ImportError:
        raise ImportError(
            "retune.keras needs Keras (pip install keras, or tensorflow); "
            "without it, call trial.report(epoch, **metrics) yourself"
        ) from None

from .trial import Trial


class Callback(_keras.callbacks.Callback):  # type: ignore[misc]
    """Reports `logs` at each epoch end; `checkpoint(model, epoch)` may save and return a path,
    which is then announced so a retried attempt can resume from it."""

    def __init__(
        self,
        trial: Trial,
        *,
        checkpoint: Optional[Callable[[Any, int], Optional[str]]] = None,
    ) -> None:
        super().__init__()
        self.trial = trial
        self._checkpoint = checkpoint

    def on_epoch_end(self, epoch: int, logs: Optional[Mapping[str, Any]] = None) -> None:
        values = {k: float(v) for k, v in (logs or {}).items() if _numeric(v)}
        if values:
            self.trial.report_values(epoch, values)
        if self._checkpoint is not None:
            path = self._checkpoint(self.model, epoch)
            if path:
                self.trial.checkpoint(path, epoch)
        if self.trial.should_stop:
            self.model.stop_training = True


def _numeric(v: Any) -> bool:
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True
