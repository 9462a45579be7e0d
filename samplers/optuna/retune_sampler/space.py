"""Retune's search space (libs/core/src/spec/search-space.ts) as Optuna distributions."""

from typing import Any

from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)

ParamSpec = dict[str, Any]


def distribution(p: ParamSpec) -> BaseDistribution:
    kind = p["type"]
    if kind == "uniform":
        return FloatDistribution(p["min"], p["max"])
    if kind == "loguniform":
        return FloatDistribution(p["min"], p["max"], log=True)
    if kind == "int":
        if p.get("log"):
            return IntDistribution(p["min"], p["max"], log=True)
        step = p.get("step", 1)
        # Retune's int takes min + k·step ≤ max; Optuna wants max on the ladder.
        high = p["min"] + ((p["max"] - p["min"]) // step) * step
        return IntDistribution(p["min"], high, step=step)
    if kind == "choice":
        return CategoricalDistribution(p["values"])
    raise ValueError(f"unsupported param type {kind!r}")


def same_value(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


def is_active(p: ParamSpec, params: dict[str, Any]) -> bool:
    """Retune's `when`: every named param is set and holds one of the listed values."""
    for name, allowed in (p.get("when") or {}).items():
        if name not in params:
            return False
        options = allowed if isinstance(allowed, list) else [allowed]
        if not any(same_value(params[name], o) for o in options):
            return False
    return True


def ordered(space: dict[str, ParamSpec]) -> list[str]:
    """Names with every param after the ones its `when` names (the spec has no cycles)."""
    done: list[str] = []
    left = list(space)
    while left:
        ready = [n for n in left if all(d in done for d in (space[n].get("when") or {}))]
        if not ready:
            raise ValueError(f"conditions form a cycle among {left}")
        done += ready
        left = [n for n in left if n not in ready]
    return done
