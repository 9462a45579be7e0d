"""Optuna 5 side of `npm run bench:search`: runs searches whose trials the Node side scores.

Protocol (JSON lines): we print {"ready": {...}}; then per run Node sends {"run": {...}}, and per
trial we print {"ask": params}, read {"curve": [...]}, report the curve epoch by epoch (stopping
when the pruner says so), print {"told": {"epochs": n, "final": value | null}} and read
{"next": true} or {"stop": true}.
"""

import json
import sys
import warnings

warnings.filterwarnings("ignore")

import optuna  # noqa: E402
from optuna.distributions import (  # noqa: E402
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from optuna.trial import TrialState  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.ERROR)


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def receive():
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    return json.loads(line)


def distribution(p):
    if p["type"] == "uniform":
        return FloatDistribution(p["min"], p["max"])
    if p["type"] == "loguniform":
        return FloatDistribution(p["min"], p["max"], log=True)
    if p["type"] == "int":
        if p.get("log"):
            return IntDistribution(p["min"], p["max"], log=True)
        return IntDistribution(p["min"], p["max"], step=p.get("step", 1))
    if p["type"] == "choice":
        return CategoricalDistribution(p["values"])
    raise ValueError(f"unsupported param type {p['type']}")


def gp_available():
    try:
        import torch  # noqa: F401

        return None
    except ImportError:
        return "torch is not installed in the bench venv (GPSampler needs it)"


def make_sampler(name, seed):
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "gp":
        return optuna.samplers.GPSampler(seed=seed)
    if name == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise ValueError(f"unknown sampler {name}")


def make_pruner(name, epochs, min_resource=1):
    if name == "nop":
        return optuna.pruners.NopPruner()
    if name == "sh":
        return optuna.pruners.SuccessiveHalvingPruner(
            min_resource=min_resource, reduction_factor=3
        )
    if name == "hyperband":
        return optuna.pruners.HyperbandPruner(
            min_resource=1, max_resource=epochs, reduction_factor=3
        )
    raise ValueError(f"unknown pruner {name}")


def run(spec):
    # HyperbandPruner picks a trial's bracket from a hash of the study name: a fixed name per seed
    # makes its rows reproducible (optuna's docs ask for it); the default name is random.
    study = optuna.create_study(
        study_name=f"bench-{spec['seed']}",
        direction="maximize",
        sampler=make_sampler(spec["sampler"], spec["seed"]),
        pruner=make_pruner(spec["pruner"], spec["epochs"], spec.get("minResource", 1)),
    )
    dists = {k: distribution(v) for k, v in spec["space"].items()}
    while True:
        trial = study.ask(dists)
        send({"ask": trial.params})
        curve = receive()["curve"]
        epochs, pruned = 0, False
        for e, value in enumerate(curve):
            epochs += 1
            trial.report(value, e + 1)
            if e < len(curve) - 1 and trial.should_prune():
                pruned = True
                break
        if pruned:
            study.tell(trial, state=TrialState.PRUNED)
        else:
            study.tell(trial, curve[-1])
        send({"told": {"epochs": epochs, "final": None if pruned else curve[-1]}})
        if receive().get("stop"):
            return


def main():
    send({"ready": {"optuna": optuna.__version__, "gpUnavailable": gp_available()}})
    while True:
        run(receive()["run"])


if __name__ == "__main__":
    main()
