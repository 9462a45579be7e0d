"""The sampler worker's one job: the next params of a sweep from Optuna's GPSampler or CmaEsSampler.

Stateless: each call rebuilds an in-memory Optuna study from the sweep's trials, so the answer
depends only on the request (history + seed + trial number) and a restarted worker answers the
same. What CmaEsSampler keeps between asks (its optimizer, each trial's generation) lives in the
trials' Optuna system attrs: they come back in the response (`attrs`) and the workflow sends
them with every later request. `supersedes` names attr prefixes of which only the newest copy
is needed (the pickled optimizer), so the caller may drop older copies and keep requests small.
"""

import logging
import warnings
from typing import Any

import numpy as np
import optuna
from optuna.distributions import BaseDistribution
from optuna.trial import TrialState, create_trial

from . import gp_warm_start
from .space import distribution, is_active, ordered

optuna.logging.set_verbosity(optuna.logging.ERROR)
logging.getLogger("optuna").setLevel(logging.ERROR)

ALGORITHMS = ("gp", "cmaes")
_STATES = {
    "completed": TrialState.COMPLETE,
    "pruned": TrialState.PRUNED,
    "failed": TrialState.FAIL,
    "running": TrialState.RUNNING,
}
# CmaEsSampler pickles its whole optimizer into these attrs; only the newest one is ever read.
_LATEST_ONLY = ["cma:optimizer", "sepcma:optimizer", "cma:restart", "sepcma:restart"]
# GPSampler's last kernel fit (the next fit's start), carried the same way: gp_warm_start.py.
_LATEST_ONLY += gp_warm_start.LATEST_ONLY


def trial_seed(seed: int, number: int) -> int:
    """A seed per trial: a fresh sampler seeded alike on every call would draw alike every time."""
    return int(np.random.SeedSequence([seed, number]).generate_state(1)[0])


def make_sampler(algorithm: str, options: dict[str, Any], seed: int) -> optuna.samplers.BaseSampler:
    if algorithm == "gp":
        return optuna.samplers.GPSampler(
            seed=seed,
            n_startup_trials=options.get("nStartupTrials", 10),
            deterministic_objective=options.get("deterministicObjective", False),
            warn_independent_sampling=False,
        )
    if algorithm == "cmaes":
        return optuna.samplers.CmaEsSampler(
            seed=seed,
            n_startup_trials=options.get("nStartupTrials", 1),
            sigma0=options.get("sigma0"),
            popsize=options.get("populationSize"),
            consider_pruned_trials=options.get("considerPrunedTrials", False),
            use_separable_cma=options.get("separable", False),
            with_margin=options.get("withMargin", False),
            warn_independent_sampling=False,
        )
    raise ValueError(f"unknown algorithm {algorithm!r}: use one of {', '.join(ALGORITHMS)}")


def _frozen(t: dict[str, Any], dists: dict[str, BaseDistribution], constrained: bool):
    state = _STATES[t["state"]]
    params = {k: v for k, v in t["params"].items() if k in dists}
    values = t.get("values") if state == TrialState.COMPLETE else None
    return create_trial(
        state=state,
        values=values,
        params=params,
        distributions={k: dists[k] for k in params},
        intermediate_values={int(s): float(v) for s, v in t.get("intermediate", [])},
        system_attrs=dict(t.get("attrs") or {}),
        # Retune's violation: 0 feasible, > 0 how far off; Optuna's: ≤ 0 feasible.
        constraints={"violation": float(t.get("violation") or 0)}
        if constrained and state == TrialState.COMPLETE
        else None,
    )


def suggest(request: dict[str, Any]) -> dict[str, Any]:
    """`request`: algorithm, options, space (Retune's), directions, seed, number, constrained,
    trials [{number, params, state, values, intermediate [[step, value]], violation, attrs}].
    Returns {params, attrs, supersedes}."""
    space: dict[str, Any] = request["space"]
    dists = {name: distribution(p) for name, p in space.items()}
    seed = trial_seed(int(request.get("seed", 0)), int(request["number"]))
    sampler = make_sampler(request["algorithm"], request.get("options") or {}, seed)
    study = optuna.create_study(directions=request["directions"], sampler=sampler)
    constrained = bool(request.get("constrained"))
    history = sorted(request.get("trials", []), key=lambda t: t["number"])
    warm = gp_warm_start.restore(sampler, history) if request["algorithm"] == "gp" else None
    skipped = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for t in history:
            try:
                study.add_trial(_frozen(t, dists, constrained))
            except ValueError:
                skipped += 1  # a value outside today's space (edited spec): nothing to learn
        trial = study.ask()
        params: dict[str, Any] = {}
        for name in ordered(space):
            if is_active(space[name], params):
                params[name] = trial._suggest(name, dists[name])
    frozen = study._storage.get_trial(trial._trial_id)
    attrs = {k: v for k, v in frozen.system_attrs.items() if k != "constraints"}
    if warm is not None:
        attrs.update(gp_warm_start.capture(sampler, warm))
    return {"params": _json(params), "attrs": attrs, "supersedes": _LATEST_ONLY, "skipped": skipped}


def _json(params: dict[str, Any]) -> dict[str, Any]:
    """numpy scalars → plain JSON values."""
    return {k: v.item() if hasattr(v, "item") else v for k, v in params.items()}
