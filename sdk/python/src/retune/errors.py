"""Errors of the client: the server's message, tRPC code and field paths, kept as they came."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Optional


class RetuneError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass(frozen=True)
class Issue:
    """One thing wrong with a request, at a field path such as "searchSpace.lr.min"."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(root)'}: {self.message}"


class ApiError(RetuneError):
    """The API answered with an error (its message, tRPC code and field issues)."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "INTERNAL_SERVER_ERROR",
        http_status: Optional[int] = None,
        procedure: str = "",
        issues: Optional[List[Issue]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status
        self.procedure = procedure
        self.issues: List[Issue] = list(issues or [])

    def __str__(self) -> str:
        head = f"{self.message} ({self.code}{f' from {self.procedure}' if self.procedure else ''})"
        shown = [str(i) for i in self.issues if str(i) not in self.message]
        return "\n  ".join([head, *shown])


class InvalidRequestError(ApiError):
    """BAD_REQUEST: the request (e.g. the sweep spec) is invalid; see `issues`."""


class AuthError(ApiError):
    """UNAUTHORIZED: the token is wrong, revoked or missing."""


class NotFoundError(ApiError):
    """NOT_FOUND: no such sweep, trial or model version."""


class ConflictError(ApiError):
    """CONFLICT: the request does not fit the current state (e.g. resume a running sweep)."""


class ConnectionFailed(RetuneError):
    """No answer from the API (wrong URL, server down, a proxy's HTML page)."""


class RequestShapeError(RetuneError, ValueError):
    """A request the API's schema refuses, found before sending it."""

    def __init__(self, procedure: str, problems: List[str]) -> None:
        super().__init__(f"invalid request to {procedure}: " + "; ".join(problems))
        self.procedure = procedure
        self.problems = problems


_BY_CODE = {
    "BAD_REQUEST": InvalidRequestError,
    "UNAUTHORIZED": AuthError,
    "FORBIDDEN": AuthError,
    "NOT_FOUND": NotFoundError,
    "CONFLICT": ConflictError,
}


def issues_of(message: str, data: Any) -> List[Issue]:
    """Domain errors carry data.issues ([{path, message}]); tRPC's own input check puts zod's
    issue list (paths as arrays) in the message as JSON."""
    raw = data.get("issues") if isinstance(data, dict) else None
    if raw is None and message.lstrip().startswith("["):
        try:
            raw = json.loads(message)
        except ValueError:
            raw = None
    out: List[Issue] = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and "message" in item:
            path = item.get("path", "")
            if isinstance(path, list):
                path = ".".join(str(p) for p in path)
            out.append(Issue(path=str(path), message=str(item["message"])))
    return out


def api_error(error: Any, http_status: int, procedure: str) -> ApiError:
    """The error of a tRPC error envelope ({"error": {"message", "data": {"code", ...}}})."""
    body: Dict[str, Any] = error if isinstance(error, dict) else {}
    data: Dict[str, Any] = body["data"] if isinstance(body.get("data"), dict) else {}
    message = str(body.get("message") or f"HTTP {http_status}")
    code = str(data.get("code") or "INTERNAL_SERVER_ERROR")
    issues = issues_of(message, data)
    if issues and message.lstrip().startswith("["):
        message = "invalid input: " + "; ".join(str(i) for i in issues)
    cls = _BY_CODE.get(code, ApiError)
    return cls(message, code=code, http_status=http_status, procedure=procedure, issues=issues)
