# %% [markdown]
# # Launch a Retune sweep, wait for it, plot the best curves
#
# Notebook-style (`# %%` cells: VS Code, Jupyter with jupytext, or plain `python`). Needs
# `pip install './sdk/python[pandas,progress,plot]'`, a running Retune (`npm start`) and an API
# token: `npm run retune -- token create --email admin@localhost --name notebook`.

# %%
import os

import matplotlib.pyplot as plt

import retune

client = retune.Client(
    os.environ.get("RETUNE_API_URL", "http://localhost:3000"),
    os.environ["RETUNE_API_TOKEN"],
)

# %% [markdown]
# A small grid with the synthetic trainer (its best is known: headLr=0.01, freezeDepth=2).
# `client.launch("examples/demo-sweep.yaml")` takes a spec file as well (YAML needs PyYAML).

# %%
spec = {
    "name": "notebook · synthetic grid",
    "dataset": "demo:mnist-5-9",
    "baseModel": "demo:mnist-0-4-cnn",
    "trainer": {"name": "synthetic"},
    "metric": {"name": "val_acc", "goal": "maximize"},
    "algorithm": "grid",
    "maxParallel": 2,
    "fixed": {"epochs": 6, "sleepMs": 100},
    "searchSpace": {
        "headLr": {"type": "choice", "values": [0.001, 0.01, 0.1]},
        "freezeDepth": {"type": "choice", "values": [0, 2]},
    },
}
try:
    sweep = client.launch(spec)
except retune.InvalidRequestError as err:
    for issue in err.issues:  # each names the spec field at fault
        print(issue.path, "→", issue.message)
    raise
print("launched", sweep["id"])

# %%
final = client.wait(sweep["id"])  # a progress bar (tqdm when installed)
print(final["status"], "best", final["bestValue"], "by", final["bestTrialId"])

# %%
trials = client.trials(sweep["id"])  # one row per trial: param.* and value.* columns
trials.sort_values("objective", ascending=False)[
    ["number", "status", "objective", "param.headLr", "param.freezeDepth"]
].head()

# %%
best = trials.nlargest(3, "objective")["id"].tolist()
curves = client.curves(sweep["id"])  # trial_id, epoch, metric, value
fig, ax = plt.subplots(figsize=(7, 4))
for trial_id, curve in curves[curves["trial_id"].isin(best)].groupby("trial_id"):
    params = trials.set_index("id").loc[trial_id]
    ax.plot(
        curve["epoch"],
        curve["value"],
        marker="o",
        label=f"headLr={params['param.headLr']}, freezeDepth={params['param.freezeDepth']}",
    )
ax.set_xlabel("epoch")
ax.set_ylabel(final["metricName"])
ax.set_title(f"best 3 trials of {final['name']}")
ax.legend()
plt.show()
