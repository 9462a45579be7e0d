"""Tests of the sampler worker's suggest activity (run by ci.sh in the worker's venv)."""

import asyncio
import importlib.util
import math

import optuna
import pytest

from retune_sampler import gp_warm_start, suggest
from retune_sampler.space import distribution, ordered
from retune_sampler.worker import suggest_params

suggest_module = importlib.import_module("retune_sampler.suggest")  # the package shadows it
HAS_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="GPSampler needs torch (see setup.sh)")

SPACE = {
    "lr": {"type": "loguniform", "min": 1e-4, "max": 1e-1},
    "w": {"type": "uniform", "min": -1, "max": 1},
    "layers": {"type": "int", "min": 1, "max": 10, "step": 2},
    "opt": {"type": "choice", "values": ["sgd", "adam"]},
    "momentum": {"type": "uniform", "min": 0, "max": 0.99, "when": {"opt": "sgd"}},
}


def objective(p):
    return -((math.log10(p["lr"]) + 2.5) ** 2) - p.get("w", 0) ** 2


def search(algorithm, n, options=None, seed=1, space=SPACE, state_of=lambda i: "completed"):
    trials = []
    for i in range(n):
        request = {
            "algorithm": algorithm,
            "options": options or {},
            "space": space,
            "directions": ["maximize"],
            "seed": seed,
            "number": i,
            "trials": trials,
        }
        out = suggest(request)
        state = state_of(i)
        trials.append(
            {
                "number": i,
                "params": out["params"],
                "state": state,
                "values": [objective(out["params"])] if state == "completed" else None,
                "intermediate": [[1, objective(out["params"])]] if state == "pruned" else [],
                "attrs": out["attrs"],
            }
        )
    return trials, request


def within_space(params):
    assert 1e-4 <= params["lr"] <= 1e-1
    assert -1 <= params["w"] <= 1
    assert params["layers"] in (1, 3, 5, 7, 9)
    assert params["opt"] in ("sgd", "adam")
    assert ("momentum" in params) == (params["opt"] == "sgd"), params


@pytest.mark.parametrize("algorithm", ["cmaes", pytest.param("gp", marks=needs_torch)])
def test_params_respect_the_space_and_its_conditions(algorithm):
    trials, _ = search(algorithm, 14, {"nStartupTrials": 3})
    for t in trials:
        within_space(t["params"])
    assert isinstance(trials[-1]["params"]["layers"], int)


@pytest.mark.parametrize("algorithm", ["cmaes", pytest.param("gp", marks=needs_torch)])
def test_same_history_and_seed_give_the_same_params(algorithm):
    trials, request = search(algorithm, 12, {"nStartupTrials": 3})
    again = {**request, "trials": trials}
    assert suggest(again)["params"] == suggest(again)["params"]


def test_trial_numbers_draw_different_startup_points():
    trials, _ = search("cmaes", 3, {"nStartupTrials": 5})
    assert len({t["params"]["lr"] for t in trials}) == 3


def test_cmaes_learns_through_the_attrs_it_hands_back():
    trials, _ = search("cmaes", 40)
    generations = [t["attrs"].get("cma:generation") for t in trials]
    assert max(g for g in generations if g is not None) >= 2
    assert any(k.startswith("cma:optimizer") for t in trials for k in t["attrs"])
    best_late = max(objective(t["params"]) for t in trials[30:])
    best_random = max(objective(t["params"]) for t in search("cmaes", 10, {"nStartupTrials": 99})[0])
    assert best_late > best_random


def test_cmaes_runs_on_a_single_numeric_param():
    # The launch check allows it since Optuna 5's CmaEsSampler does: CMA-ES itself, not a fallback.
    space = {"lr": SPACE["lr"]}
    trials, _ = search("cmaes", 30, space=space)
    assert all(set(t["params"]) == {"lr"} and 1e-4 <= t["params"]["lr"] <= 1e-1 for t in trials)
    generations = [t["attrs"].get("cma:generation") for t in trials]
    assert max(g for g in generations if g is not None) >= 2


@needs_torch
def test_gp_beats_its_random_start_up():
    trials, _ = search("gp", 16, {"nStartupTrials": 6})
    assert max(objective(t["params"]) for t in trials[6:]) > max(
        objective(t["params"]) for t in trials[:6]
    )


@needs_torch
def test_gp_learns_from_constraints_and_pruned_and_failed_trials():
    states = ["completed", "pruned", "failed", "running"]
    trials, request = search("gp", 9, {"nStartupTrials": 3}, state_of=lambda i: states[i % 4])
    for t in trials:
        if t["state"] == "completed":
            t["violation"] = 1.0 if t["params"]["w"] > 0 else 0.0
    out = suggest({**request, "trials": trials, "number": 9, "constrained": True})
    within_space(out["params"])


def test_a_value_outside_the_space_is_skipped_not_fatal():
    trials, request = search("cmaes", 4)
    trials[0]["params"]["lr"] = 5.0
    out = suggest({**request, "trials": trials, "number": 4})
    assert out["skipped"] == 1
    within_space(out["params"])


def test_unknown_algorithm_is_refused():
    with pytest.raises(ValueError, match="unknown algorithm"):
        suggest({"algorithm": "nope", "space": SPACE, "directions": ["maximize"], "number": 0})


def test_the_activity_serves_suggest():
    trials, request = search("cmaes", 3)
    from temporalio.testing import ActivityEnvironment

    out = ActivityEnvironment().run(suggest_params, {**request, "trials": trials, "number": 3})
    assert out["params"] == suggest({**request, "trials": trials, "number": 3})["params"]
    assert asyncio.iscoroutinefunction(suggest_params) is False


# GPSampler's kernel-parameter warm start (gp_warm_start.py) rests on private names of the
# pinned optuna==5.0.0; this fails first if an upgrade renames them.
@needs_torch
def test_the_private_gp_names_the_warm_start_uses_still_exist():
    import inspect

    from optuna._gp import gp

    sampler = optuna.samplers.GPSampler()
    assert sampler._gprs_cache_list is None and sampler._constraints_gprs_cache_list is None
    assert "gpr_cache" in inspect.signature(gp.fit_kernel_params).parameters
    [fitted] = search("gp", 4, {"nStartupTrials": 3})[0][-1]["attrs"][gp_warm_start.KERNELS]
    assert set(fitted) == {"inverseSquaredLengthscales", "kernelScale", "noiseVar"}
    assert len(fitted["inverseSquaredLengthscales"]) == 5  # one per param of SPACE


@needs_torch
def test_each_gp_fit_starts_from_the_previous_asks_kernel_params(monkeypatch):
    from optuna._gp import gp

    starts = []
    fit = gp.fit_kernel_params

    def spy(*args, gpr_cache=None, **kwargs):
        start = gpr_cache and gpr_cache.inverse_squared_lengthscales.tolist()
        starts.append(start)
        return fit(*args, gpr_cache=gpr_cache, **kwargs)

    lazy = importlib.import_module("optuna.samplers._gp.sampler").gp  # the sampler's own handle
    assert lazy.GPRegressor is gp.GPRegressor  # loaded now, so the patch below stays
    monkeypatch.setattr(lazy, "fit_kernel_params", spy)
    trials, _ = search("gp", 6, {"nStartupTrials": 3})
    kernels = [t["attrs"][gp_warm_start.KERNELS] for t in trials[3:]]
    carried = [k[0]["inverseSquaredLengthscales"] for k in kernels]
    assert starts == [None, carried[0], carried[1]]
    assert all(gp_warm_start.KERNELS not in t["attrs"] for t in trials[:3])


@needs_torch
def test_gp_asks_equal_one_long_lived_gpsampler_seed_for_seed():
    """The worker's path (study rebuilt, sampler fresh, kernel params through attrs) against one
    Optuna study and one GPSampler whose random state is reseeded per ask as the worker seeds."""
    from optuna.samplers._lazy_random_state import LazyRandomState

    space = {k: v for k, v in SPACE.items() if k != "momentum"}
    trials, _ = search("gp", 9, {"nStartupTrials": 3}, seed=7, space=space)
    sampler = suggest_module.make_sampler("gp", {"nStartupTrials": 3}, 0)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    dists = {name: distribution(p) for name, p in space.items()}
    for t in trials:
        seed = suggest_module.trial_seed(7, t["number"])
        sampler._rng = LazyRandomState(seed)
        sampler._independent_sampler = optuna.samplers.RandomSampler(seed=seed)
        trial = study.ask()
        params = {name: trial._suggest(name, dists[name]) for name in ordered(space)}
        assert suggest_module._json(params) == t["params"], t["number"]
        study.tell(trial, objective(t["params"]))


@needs_torch
@pytest.mark.parametrize(
    "carried",
    [
        "old",  # a sweep from before the warm start: no attr at all
        [{"inverseSquaredLengthscales": [1.0], "kernelScale": "x", "noiseVar": 1}],
        [{"inverseSquaredLengthscales": [float("nan")] * 5, "kernelScale": 1, "noiseVar": 1}],
        [{"inverseSquaredLengthscales": [0.5] * 3, "kernelScale": 1, "noiseVar": 0.1}],  # dim
    ],
)
def test_missing_malformed_or_other_dimension_kernel_attrs_mean_a_cold_start(carried):
    trials, request = search("gp", 5, {"nStartupTrials": 3})
    cold = [{**t, "attrs": {}} for t in trials]
    for t in trials:
        t["attrs"].pop(gp_warm_start.KERNELS, None)
        if carried != "old":
            t["attrs"][gp_warm_start.KERNELS] = carried
    again = {**request, "number": 5}
    warm = suggest({**again, "trials": trials})["params"]
    assert warm == suggest({**again, "trials": cold})["params"]


@needs_torch
def test_constrained_gp_carries_both_kernel_fits():
    trials, request = search("gp", 4, {"nStartupTrials": 3})
    for t in trials:
        t["violation"] = 1.0 if t["params"]["w"] > 0 else 0.0
    out = suggest({**request, "trials": trials, "number": 4, "constrained": True})
    assert {gp_warm_start.KERNELS, gp_warm_start.CONSTRAINT_KERNELS} <= out["attrs"].keys()
    assert gp_warm_start.CONSTRAINT_KERNELS in out["supersedes"]
