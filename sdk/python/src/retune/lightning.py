"""A PyTorch Lightning callback: `Trainer(callbacks=[retune.lightning.Callback(trial)])` reports
the logged metrics after each validation epoch and stops when the trial is pruned or cancelled."""

from __future__ import annotations

from typing import Any, Dict

try:
    from lightning.pytorch.callbacks import Callback as _Base
except ImportError:
    try:
        from pytorch_lightning.callbacks import Callback as _Base
    except ImportError:
        raise ImportError(
            "retune.lightning needs PyTorch Lightning (pip install lightning); "
            "without it, call trial.report(epoch, **metrics) yourself"
        ) from None

from .trial import Trial


class Callback(_Base):  # type: ignore[misc]
    def __init__(self, trial: Trial) -> None:
        super().__init__()
        self.trial = trial

    def on_validation_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        if getattr(trainer, "sanity_checking", False):
            return
        values: Dict[str, float] = {}
        for name, value in trainer.callback_metrics.items():
            try:
                values[name] = float(value.item() if hasattr(value, "item") else value)
            except (TypeError, ValueError):
                continue
        if values:
            self.trial.report_values(trainer.current_epoch, values)
        if self.trial.should_stop:
            trainer.should_stop = True
