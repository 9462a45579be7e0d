"""Retune's Python SDK: `retune.trial()` in a training script, `retune.Client` in a notebook.

`retune.keras` and `retune.lightning` (callbacks) load on first use, so importing retune never
imports TensorFlow or PyTorch.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._input import Device, TrialInput
from ._protocol import NON_FINITE_HINT, ProtocolError
from .client import FINAL_SWEEP_STATUSES, Client
from .errors import (
    ApiError,
    AuthError,
    ConflictError,
    ConnectionFailed,
    InvalidRequestError,
    Issue,
    NotFoundError,
    RequestShapeError,
    RetuneError,
)
from .trial import Trial, trial

__version__ = "0.1.0"

__all__ = [
    "ApiError",
    "AuthError",
    "Client",
    "ConflictError",
    "ConnectionFailed",
    "Device",
    "FINAL_SWEEP_STATUSES",
    "InvalidRequestError",
    "Issue",
    "NON_FINITE_HINT",
    "NotFoundError",
    "ProtocolError",
    "RequestShapeError",
    "RetuneError",
    "Trial",
    "TrialInput",
    "trial",
]


def __getattr__(name: str) -> Any:
    if name in ("keras", "lightning"):
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'retune' has no attribute {name!r}")
