"""API answers as pandas DataFrames (pandas is optional: `pip install 'retune[pandas]'`)."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "this needs pandas: pip install 'retune[pandas]' (or pandas); "
            "the *_records() methods return the same rows as plain dicts"
        ) from None
    return pandas


TRIAL_COLUMNS = [
    "id", "number", "status", "objective", "error", "worker", "attempts",
    "started_at", "finished_at", "duration_ms",
]  # fmt: skip


def trial_records(detail: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """One row per trial: its fields, then `param.<name>` and `value.<name>` columns."""
    rows = []
    for t in detail.get("trials", []):
        row: Dict[str, Any] = {
            "id": t["id"],
            "number": t["number"],
            "status": t["status"],
            "objective": t.get("objective"),
            "error": t.get("error"),
            "worker": t.get("worker"),
            "attempts": t.get("attempts"),
            "started_at": t.get("startedAt"),
            "finished_at": t.get("finishedAt"),
            "duration_ms": t.get("durationMs"),
        }
        row.update({f"param.{k}": v for k, v in t.get("params", {}).items()})
        row.update({f"value.{k}": v for k, v in t.get("values", {}).items()})
        rows.append(row)
    return rows


def curve_records(curves: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """One row per (trial, epoch) point of the sweep's curves of one metric."""
    metric = curves.get("metricName")
    return [
        {"trial_id": c["trialId"], "epoch": int(epoch), "metric": metric, "value": value}
        for c in curves.get("curves", [])
        for epoch, value in zip(c["epochs"], c["values"])
    ]


def frame(records: List[Dict[str, Any]], columns: List[str]) -> Any:
    pd = _pandas()
    df = pd.DataFrame.from_records(records)
    if df.empty:
        return pd.DataFrame(columns=columns)
    for col in ("started_at", "finished_at"):
        if col in df.columns:
            df[col] = pd.to_datetime(df[col], utc=True, errors="coerce")
    return df
