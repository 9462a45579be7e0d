"""The client side: drive and analyse sweeps over the dashboard's HTTP API with an API token
(`retune token create`, or the dashboard's settings page)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union, cast

from . import frames
from ._wire import Transport
from .errors import RetuneError
from .progress import Progress

# Sweep statuses after which nothing changes (libs/api/src/sdk/api-schema.spec.ts checks them).
FINAL_SWEEP_STATUSES = frozenset({"completed", "cancelled", "failed"})

SpecLike = Union[Mapping[str, Any], str, "os.PathLike[str]"]


def read_spec(spec: SpecLike) -> Any:
    """A spec as a mapping, or read from a .json/.yaml file (YAML needs PyYAML)."""
    if isinstance(spec, Mapping):
        return dict(spec)
    path = Path(spec)
    if not path.is_file():
        raise FileNotFoundError(f"sweep spec {path} does not exist (pass a dict or a file path)")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        return json.loads(text)
    try:
        import yaml
    except ImportError:
        raise ImportError(
            f"{path} is YAML: pip install 'retune[yaml]' (PyYAML), or pass the spec as a dict"
        ) from None
    return yaml.safe_load(text)


class Client:
    """`Client(url, token)`; both default to RETUNE_API_URL and RETUNE_API_TOKEN (as the CLI)."""

    def __init__(
        self, url: Optional[str] = None, token: Optional[str] = None, *, timeout: float = 30.0
    ) -> None:
        url = url or os.environ.get("RETUNE_API_URL")
        token = token or os.environ.get("RETUNE_API_TOKEN")
        if not url:
            raise RetuneError("no API URL: pass Client(url, token) or set RETUNE_API_URL")
        if not token:
            raise RetuneError(
                "no API token: pass Client(url, token) or set RETUNE_API_TOKEN "
                "(create one with `retune token create`)"
            )
        self._api = Transport(url, token, timeout)
        self.url = self._api.base_url

    def call(self, procedure: str, input: Optional[Any] = None) -> Any:
        """Any SDK procedure by its tRPC path (see api_schema.json), checked against its schema."""
        return self._api.call(procedure, input)

    def _one(self, procedure: str, input: Optional[Any] = None) -> Dict[str, Any]:
        return cast(Dict[str, Any], self.call(procedure, input))

    def _many(self, procedure: str, input: Optional[Any] = None) -> List[Dict[str, Any]]:
        return cast(List[Dict[str, Any]], self.call(procedure, input))

    def me(self) -> Dict[str, Any]:
        return self._one("auth.me")

    # -- sweeps ----------------------------------------------------------------------------
    def launch(self, spec: SpecLike) -> Dict[str, Any]:
        """Starts a sweep; an invalid spec raises InvalidRequestError with field `issues`."""
        return self._one("sweep.launch", {"spec": read_spec(spec)})

    def sweeps(
        self,
        *,
        limit: int = 100,
        status: Optional[str] = None,
        search: Optional[str] = None,
        after: Optional[str] = None,
    ) -> List[Dict[str, Any]]:
        """Newest first; pass the last id of a page as `after` for the next (shorter = last)."""
        query: Dict[str, Any] = {"limit": limit}
        if status is not None:
            query["status"] = status
        if search is not None:
            query["search"] = search
        if after is not None:
            query["after"] = after
        return self._many("sweep.list", query)

    def sweep(self, sweep_id: str) -> Dict[str, Any]:
        return self._one("sweep.get", {"id": sweep_id})

    def wait(
        self,
        sweep_id: str,
        *,
        poll: float = 2.0,
        timeout: Optional[float] = None,
        progress: bool = True,
    ) -> Dict[str, Any]:
        """Polls until the sweep is completed, cancelled or failed; returns its detail."""
        deadline = None if timeout is None else time.monotonic() + timeout
        bar: Optional[Progress] = None
        try:
            while True:
                detail = self.sweep(sweep_id)
                counts = detail["counts"]
                done = sum(counts[k] for k in ("completed", "pruned", "failed", "cancelled"))
                if progress:
                    total = max(detail["plannedTrials"], done)
                    bar = bar or Progress(total, detail["name"])
                    bar.update(done, total, detail["status"], detail.get("bestValue"))
                if detail["status"] in FINAL_SWEEP_STATUSES:
                    return detail
                if deadline is not None and time.monotonic() >= deadline:
                    raise TimeoutError(
                        f"sweep {sweep_id} is still {detail['status']} after {timeout} s "
                        f"({done}/{detail['plannedTrials']} trials finished)"
                    )
                time.sleep(poll)
        finally:
            if bar is not None:
                bar.close()

    def cancel(self, sweep_id: str) -> Dict[str, Any]:
        return self._one("sweep.cancel", {"id": sweep_id})

    def pause(self, sweep_id: str) -> Dict[str, Any]:
        return self._control(sweep_id, {"action": "pause"})

    def resume(self, sweep_id: str) -> Dict[str, Any]:
        return self._control(sweep_id, {"action": "resume"})

    def extend(
        self,
        sweep_id: str,
        extra_trials: Optional[int] = None,
        *,
        gpu_hours: Optional[float] = None,
    ) -> Dict[str, Any]:
        """Adds trials, GPU hours (a sweep with `budget.gpuHours`) or both; the last answer."""
        if extra_trials is None and gpu_hours is None:
            raise ValueError("extend: give extra_trials, gpu_hours or both")
        answer: Dict[str, Any] = {}
        if extra_trials is not None:
            answer = self._control(
                sweep_id, {"action": "extendBudget", "extraTrials": extra_trials}
            )
        if gpu_hours is not None:
            answer = self._control(
                sweep_id, {"action": "extendGpuBudget", "extraGpuHours": gpu_hours}
            )
        return answer

    def retry_failed(self, sweep_id: str) -> Dict[str, Any]:
        return self._control(sweep_id, {"action": "retryFailed"})

    def _control(self, sweep_id: str, request: Dict[str, Any]) -> Dict[str, Any]:
        return self._one("sweep.control", {"id": sweep_id, "request": request})

    # -- analysis --------------------------------------------------------------------------
    def trials(self, sweep_id: str) -> Any:
        """A DataFrame, one row per trial (params as `param.<name>`, values as `value.<name>`)."""
        return frames.frame(self.trial_records(sweep_id), frames.TRIAL_COLUMNS)

    def trial_records(self, sweep_id: str) -> List[Dict[str, Any]]:
        return frames.trial_records(self.sweep(sweep_id))

    def curves(self, sweep_id: str, metric: Optional[str] = None) -> Any:
        """A DataFrame of trial_id, epoch, metric, value (the sweep's metric unless named)."""
        return frames.frame(self.curve_records(sweep_id, metric), ["trial_id", "epoch", "value"])

    def curve_records(self, sweep_id: str, metric: Optional[str] = None) -> List[Dict[str, Any]]:
        query: Dict[str, Any] = {"id": sweep_id}
        if metric is not None:
            query["metric"] = metric
        return frames.curve_records(self.call("sweep.curves", query))

    def trial(self, trial_id: str) -> Dict[str, Any]:
        return self._one("trial.get", {"id": trial_id})

    def metrics(self, trial_id: str) -> List[Dict[str, Any]]:
        """Every metric point of one trial (epoch, step, name, value)."""
        return self._many("sweep.metrics", {"trialId": trial_id})

    def compare(self, trial_ids: Iterable[str]) -> Dict[str, Any]:
        return self._one("compare.trials", {"trialIds": list(trial_ids)})

    def pareto(self, sweep_id: str) -> Dict[str, Any]:
        """Objectives and every completed trial's point, `onFront` marking the Pareto front."""
        return self._one("sweep.pareto", {"id": sweep_id})

    # -- models ----------------------------------------------------------------------------
    def models(self, *, task: Optional[str] = None, limit: int = 200) -> List[Dict[str, Any]]:
        query: Dict[str, Any] = {"limit": limit}
        if task is not None:
            query["task"] = task
        return self._many("model.list", query)

    def register(
        self, trial_id: str, *, task: Optional[str] = None, champion: bool = False
    ) -> Dict[str, Any]:
        """A completed trial's model into the registry (optionally as its task's champion)."""
        request: Dict[str, Any] = {"trialId": trial_id, "champion": champion}
        if task is not None:
            request["task"] = task
        return self._one("model.registerTrial", request)

    def promote(self, version_id: str, reason: Optional[str] = None) -> Dict[str, Any]:
        """Makes a model version its task's champion (e.g. a rollback)."""
        request: Dict[str, Any] = {"id": version_id}
        if reason is not None:
            request["reason"] = reason
        return self._one("model.promote", request)
