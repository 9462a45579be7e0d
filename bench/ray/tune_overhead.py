"""Ray Tune on the same shape as Retune's bench:overhead: N trials of a function trainable that
sleeps S seconds, at most `slots` at once, actors reused. Prints one JSON line:
{"trials": N, "makespan": seconds spent in Tuner.fit(), "init": seconds spent in ray.init()}.
Run by bench/ray-tune.ts from its pinned venv; not a test."""

import json
import sys
import tempfile
import time

import ray
from ray import tune


def main() -> None:
    trials, slots, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])

    def trainable(config):
        time.sleep(seconds)
        tune.report({"val_acc": 0.5})

    t0 = time.perf_counter()
    ray.init(num_cpus=slots, include_dashboard=False, log_to_driver=False)
    init = time.perf_counter() - t0
    tuner = tune.Tuner(
        trainable,
        param_space={"x": tune.uniform(0, 1)},
        tune_config=tune.TuneConfig(
            num_samples=trials, max_concurrent_trials=slots, reuse_actors=True
        ),
        run_config=tune.RunConfig(storage_path=tempfile.mkdtemp(prefix="ray-bench-"), verbose=0),
    )
    t1 = time.perf_counter()
    results = tuner.fit()
    makespan = time.perf_counter() - t1
    errors = sum(1 for r in results if r.error)
    ray.shutdown()
    print(json.dumps({"trials": trials, "makespan": makespan, "init": init, "errors": errors}))


if __name__ == "__main__":
    main()
