"""Why does CMA-ES through the sampler worker need more trials than one long-lived Optuna study?

A pure-Python replay of bench:search's synthetic task (its objective ported from
trainers/synthetic/objective.mjs; final values only, no pruning) that prints the trials until the
goal for one way of running CmaEsSampler over a range of seeds (docs/benchmarks.md, GP-BO and
CMA-ES). Run in the sampler venv with the worker's package on the path:

    cd samplers/optuna && PYTHONPATH=$PWD OMP_NUM_THREADS=1 \
      ~/.cache/retune/venv-sampler-optuna-5.0.0/bin/python ../../bench/search/cmaes_seeding.py \
      MODE FIRST_SEED END_SEED

MODE: long (one study, one sampler: Optuna's own way), rebuilt (the worker's suggest(), study
rebuilt from the history on every ask), nosupersede (rebuilt, keeping every optimizer copy),
reseeded (one study, a fresh sampler per ask seeded as the worker seeds), fresh (one study, a
fresh sampler per ask seeded with seed * 1000 + number).
"""

import math
import statistics
import sys
import warnings
warnings.filterwarnings("ignore")
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from retune_sampler.suggest import suggest
optuna.logging.set_verbosity(optuna.logging.ERROR)

SPACE = {
    "headLr": {"type": "loguniform", "min": 1e-4, "max": 1},
    "freezeDepth": {"type": "int", "min": 0, "max": 6, "step": 2},
    "dropout": {"type": "uniform", "min": 0, "max": 0.6},
    "augment": {"type": "choice", "values": ["none", "light", "heavy"]},
}
DISTS = {
    "headLr": FloatDistribution(1e-4, 1, log=True),
    "freezeDepth": IntDistribution(0, 6, step=2),
    "dropout": FloatDistribution(0, 0.6),
    "augment": CategoricalDistribution(["none", "light", "heavy"]),
}
GOAL = 0.93555

def f(p):
    acc = 0.95 - 0.08 * (math.log10(p["headLr"]) + 2) ** 2 - 0.03 * (p["freezeDepth"] - 2) ** 2
    acc -= 0.5 * (p["dropout"] - 0.3) ** 2 + {"none": 0.03, "light": 0, "heavy": 0.05}[p["augment"]]
    return min(1, max(0.05, acc))

def long_lived(seed, cap=150):
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.CmaEsSampler(seed=seed))
    for n in range(cap):
        t = study.ask(DISTS); v = f(t.params); study.tell(t, v)
        if v >= GOAL: return n + 1
    return math.inf

def rebuilt(seed, cap=150, supersede=True):
    trials, attrs = [], {}
    for n in range(cap):
        req = {"algorithm": "cmaes", "options": {}, "space": SPACE, "directions": ["maximize"], "seed": seed, "number": n,
               "trials": [dict(t, attrs=attrs.get(t["number"], {})) for t in trials]}
        out = suggest(req)
        if supersede and any(k.startswith(tuple(out["supersedes"])) for k in out["attrs"]):
            for a in attrs.values():
                for k in [k for k in a if k.startswith(tuple(out["supersedes"]))]: del a[k]
        attrs[n] = dict(out["attrs"])
        v = f(out["params"])
        trials.append({"number": n, "params": out["params"], "state": "completed", "values": [v], "intermediate": []})
        if v >= GOAL: return n + 1
    return math.inf

from retune_sampler.suggest import trial_seed
def long_reseeded(seed, cap=150):
    """One study kept, a fresh sampler seeded per trial (as the worker seeds)."""
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.CmaEsSampler(seed=seed))
    for n in range(cap):
        study.sampler = optuna.samplers.CmaEsSampler(seed=trial_seed(seed, n))
        t = study.ask(DISTS); v = f(t.params); study.tell(t, v)
        if v >= GOAL: return n + 1
    return math.inf
def long_fresh_same_seed(seed, cap=150):
    """One study kept, a fresh sampler per trial with the study's seed + number."""
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.CmaEsSampler(seed=seed))
    for n in range(cap):
        study.sampler = optuna.samplers.CmaEsSampler(seed=seed * 1000 + n)
        t = study.ask(DISTS); v = f(t.params); study.tell(t, v)
        if v >= GOAL: return n + 1
    return math.inf
mode, a, b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
run = {"long": long_lived, "rebuilt": rebuilt, "nosupersede": lambda s: rebuilt(s, supersede=False), "reseeded": long_reseeded, "fresh": long_fresh_same_seed}[mode]
res = [run(s) for s in range(a, b)]
fin = sorted(res)
finite = [x for x in fin if x < math.inf]
print(
    mode, a, b, "median trials", statistics.median(fin),
    "mean(finite)", round(statistics.mean(finite), 3),
    "sd", round(statistics.stdev(finite), 2), "inf", len(fin) - len(finite), flush=True,
)
