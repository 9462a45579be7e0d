"""GPSampler's kernel-parameter warm start, carried through trial attrs.

A long-lived GPSampler starts each kernel fit from the previous fit's parameters (lengthscales,
kernel scale, noise variance); a fresh sampler per ask would start from the defaults every time
and, on harder objectives (Hartmann-6), land in worse fits. So, like CmaEsSampler's optimizer,
the parameters travel in the trial's attrs: read from the sampler after an ask, handed back to a
fresh sampler before the next one. Missing, old or malformed attrs mean a cold start (the
behaviour before this existed).

This reads and writes PRIVATE attributes of the pinned optuna==5.0.0 (`GPSampler._gprs_cache_list`,
`._constraints_gprs_cache_list`, and `GPRegressor`'s params); test_suggest.py fails if they change.
"""

import math
from typing import Any

KERNELS = "retune:gp_kernels"
CONSTRAINT_KERNELS = "retune:gp_constraint_kernels"
LATEST_ONLY = [KERNELS, CONSTRAINT_KERNELS]
_CACHES = {KERNELS: "_gprs_cache_list", CONSTRAINT_KERNELS: "_constraints_gprs_cache_list"}


def restore(sampler: Any, trials: list[dict[str, Any]]) -> dict[str, Any]:
    """Sets the newest carried kernel params on `sampler`; returns what was set, by attr."""
    restored: dict[str, Any] = {}
    for key, field in _CACHES.items():
        carried = [t["attrs"][key] for t in trials if key in (t.get("attrs") or {})]
        gprs = _regressors(carried[-1]) if carried else None
        if gprs is not None:
            setattr(sampler, field, gprs)
            restored[key] = gprs
    return restored


def capture(sampler: Any, restored: dict[str, Any]) -> dict[str, Any]:
    """The attrs of the sampler's kernel params when this ask fitted any (none for a start-up
    trial). All caches go together: the caller drops every older copy of a superseded attr as
    soon as one comes back, so a constraint fit carried earlier must come back too."""
    caches = {key: getattr(sampler, field) for key, field in _CACHES.items()}
    if all(gprs is None or gprs is restored.get(key) for key, gprs in caches.items()):
        return {}
    return {key: [_params(g) for g in gprs] for key, gprs in caches.items() if gprs is not None}


def _params(gpr: Any) -> dict[str, Any]:
    # float64 → Python float → JSON → float64 is exact: the next fit starts bit for bit here.
    return {
        "inverseSquaredLengthscales": [float(v) for v in gpr.inverse_squared_lengthscales.tolist()],
        "kernelScale": float(gpr.kernel_scale.item()),
        "noiseVar": float(gpr.noise_var.item()),
    }


def _positive(values: list[float]) -> bool:
    return all(math.isfinite(v) and v > 0 for v in values)


def _regressors(carried: Any) -> list[Any] | None:
    """GPRegressors holding the carried params (a dummy one-point training set: a fit reads only
    the params of its cache), or None when the attr is not what this version writes."""
    try:
        parsed = [
            (
                [float(v) for v in p["inverseSquaredLengthscales"]],
                float(p["kernelScale"]),
                float(p["noiseVar"]),
            )
            for p in carried
        ]
    except (KeyError, TypeError, ValueError):
        return None
    if not parsed or any(not ls or not _positive([*ls, k, n]) for ls, k, n in parsed):
        return None
    import torch
    from optuna._gp.gp import GPRegressor

    def regressor(ls: list[float], scale: float, noise: float) -> Any:
        return GPRegressor(
            is_categorical=torch.zeros(len(ls), dtype=torch.bool),
            X_train=torch.zeros((1, len(ls)), dtype=torch.float64),
            y_train=torch.zeros(1, dtype=torch.float64),
            inverse_squared_lengthscales=torch.tensor(ls, dtype=torch.float64),
            kernel_scale=torch.tensor(scale, dtype=torch.float64),
            noise_var=torch.tensor(noise, dtype=torch.float64),
        )

    return [regressor(*p) for p in parsed]
