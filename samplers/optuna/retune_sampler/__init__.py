"""Optuna's GPSampler and CmaEsSampler for Retune sweeps (see samplers/optuna/README.md)."""

from .suggest import suggest

__all__ = ["suggest"]
