"""The trainer protocol's messages (libs/core/src/protocol/trainer-protocol.ts), checked before
they are printed: a message the worker would refuse fails here, in the trainer, with a reason."""

from __future__ import annotations

import json
import math
from typing import Any, Dict, Mapping, Optional

# The worker's words for a diverged run (libs/activities/src/trainer-process/run-trainer-process.ts).
NON_FINITE_HINT = (
    "NaN/Infinity are not JSON: the loss probably diverged (try a lower learning rate); "
    "drop non-finite values before reporting them"
)

LOG_LEVELS = ("debug", "info", "warn", "error")


class ProtocolError(ValueError):
    """A value the worker would refuse (non-finite metric, negative epoch, empty name...)."""


def _number(name: str, value: Any) -> float:
    # bool is an int in Python but not a number in JSON Schema / zod.
    if isinstance(value, bool) or not _is_number_like(value):
        raise ProtocolError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ProtocolError(f"{name} is {number}: {NON_FINITE_HINT}")
    return int(value) if isinstance(value, int) else number


def _is_number_like(value: Any) -> bool:
    if isinstance(value, (int, float)):
        return True
    # numpy scalars, 0-d tensors (after .item()) and the like expose __float__.
    return hasattr(value, "__float__") and not isinstance(value, (str, bytes))


def metric_values(values: Mapping[str, Any], what: str = "metric") -> Dict[str, float]:
    if not values:
        raise ProtocolError(f"a {what} needs at least one value, e.g. report(epoch, val_acc=0.9)")
    out: Dict[str, float] = {}
    for name, value in values.items():
        if not isinstance(name, str) or name == "":
            raise ProtocolError(f"{what} names must be non-empty strings, got {name!r}")
        out[name] = _number(f'{what} "{name}"', value)
    return out


def whole(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        if _is_number_like(value) and float(value).is_integer() and float(value) >= 0:
            return int(float(value))
        raise ProtocolError(f"{name} must be a whole number >= 0, got {value!r}")
    return value


def metric(epoch: Any, values: Mapping[str, Any], step: Any = 0) -> Dict[str, Any]:
    return {
        "type": "metric",
        "epoch": whole("epoch", epoch),
        "step": whole("step", step),
        "values": metric_values(values),
    }


def checkpoint(path: Any, epoch: Any) -> Dict[str, Any]:
    path = str(path)
    if path == "":
        raise ProtocolError("checkpoint path must not be empty")
    return {"type": "checkpoint", "epoch": whole("epoch", epoch), "path": path}


def log(msg: Any, level: str = "info") -> Dict[str, Any]:
    if level not in LOG_LEVELS:
        raise ProtocolError(f"log level must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    return {"type": "log", "level": level, "msg": str(msg)}


def result(values: Mapping[str, Any], artifact: Optional[Any] = None) -> Dict[str, Any]:
    message: Dict[str, Any] = {"type": "result", "values": metric_values(values, "result")}
    if artifact is not None:
        message["artifact"] = str(artifact)
    return message


def encode(message: Mapping[str, Any]) -> str:
    """One JSON line; allow_nan=False is the last guard against a non-finite value."""
    return json.dumps(message, allow_nan=False, separators=(",", ":"))
