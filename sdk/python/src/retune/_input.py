"""The trial input file the worker writes (libs/core/src/protocol/trainer-input.ts)."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Union

ParamValue = Union[str, int, float, bool]

INPUT_ENV = "RETUNE_TRAINER_INPUT"


@dataclass(frozen=True)
class Device:
    kind: str  # "cpu" or "gpu"
    index: Optional[int] = None  # the host's GPU number (for logs)

    @property
    def torch(self) -> str:
        """The device string PyTorch takes: "cpu", or "cuda:0" because the worker shows a trainer
        only its own GPU (CUDA_VISIBLE_DEVICES=<index>), which is then the first one."""
        return "cpu" if self.kind == "cpu" else "cuda:0"


@dataclass(frozen=True)
class TrialInput:
    trial_id: str
    params: Dict[str, ParamValue]
    base_model: str
    dataset: str
    checkpoint_dir: str
    seed: int
    device: Device
    resume_from: Optional[str] = None
    base_model_meta: Optional[Dict[str, Any]] = None
    raw: Dict[str, Any] = field(default_factory=dict)


_REQUIRED = ("trialId", "params", "baseModel", "dataset", "checkpointDir", "seed", "device")


def find_input_path(argv: Optional[List[str]] = None) -> Optional[str]:
    """RETUNE_TRAINER_INPUT, else a last argument ending in .json (the worker passes both)."""
    from_env = os.environ.get(INPUT_ENV)
    if from_env:
        return from_env
    args = sys.argv if argv is None else argv
    # A .json last argument is meant as the input even when it is missing: say so, rather than
    # quietly running with the defaults.
    if len(args) > 1 and args[-1].endswith(".json"):
        return args[-1]
    return None


def parse_input(data: Mapping[str, Any], source: str) -> TrialInput:
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise ValueError(
            f"trial input {source} lacks {', '.join(missing)}: it is not a Retune trial input "
            f"(unset {INPUT_ENV} to run the script by hand with its defaults)"
        )
    params = data["params"]
    if not isinstance(params, dict):
        raise ValueError(f"trial input {source}: params must be an object, got {params!r}")
    device = data["device"] or {}
    return TrialInput(
        trial_id=str(data["trialId"]),
        params=dict(params),
        base_model=str(data["baseModel"]),
        dataset=str(data["dataset"]),
        checkpoint_dir=str(data["checkpointDir"]),
        seed=int(data["seed"]),
        device=Device(kind=str(device.get("kind", "cpu")), index=device.get("index")),
        resume_from=data.get("resumeFrom"),
        base_model_meta=data.get("baseModelMeta"),
        raw=dict(data),
    )


def read_input(path: str) -> TrialInput:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"trial input {path} does not exist (set by {INPUT_ENV} or the last argument)"
        ) from None
    except json.JSONDecodeError as err:
        raise ValueError(f"trial input {path} is not JSON: {err}") from None
    if not isinstance(data, dict):
        raise ValueError(f"trial input {path} must hold a JSON object")
    return parse_input(data, path)
