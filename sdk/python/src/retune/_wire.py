"""tRPC 11 over HTTP without a transformer (apps/dashboard/src/app/api/trpc/[trpc]/route.ts):
a query is GET <url>/api/trpc/<path>?input=<JSON>, a mutation POST <url>/api/trpc/<path> with
the JSON input as body; answers are {"result": {"data": ...}} or {"error": {...}}."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Optional

from . import _schema
from .errors import ConnectionFailed, RequestShapeError, api_error

USER_AGENT = "retune-python-sdk/0.1"


class Transport:
    def __init__(self, base_url: str, token: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.endpoint = f"{self.base_url}/api/trpc"
        self._token = token
        self.timeout = timeout

    def call(self, path: str, input: Optional[Any] = None) -> Any:
        proc = _schema.procedure(path)
        if proc["input"] is not None and input is not None:
            problems = _schema.errors(proc["input"], input)
            if problems:
                raise RequestShapeError(path, problems)
        url = f"{self.endpoint}/{path}"
        body: Optional[bytes] = None
        if proc["type"] == "query":
            if input is not None:
                url += "?" + urllib.parse.urlencode({"input": json.dumps(input)})
        else:
            body = json.dumps(input if input is not None else {}, allow_nan=False).encode()
        request = urllib.request.Request(url, data=body, method="GET" if body is None else "POST")
        request.add_header("authorization", f"Bearer {self._token}")
        request.add_header("accept", "application/json")
        request.add_header("user-agent", USER_AGENT)
        if body is not None:
            request.add_header("content-type", "application/json")
        return self._send(request, path)

    def _send(self, request: urllib.request.Request, path: str) -> Any:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            status, text = err.code, err.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise ConnectionFailed(f"cannot reach the Retune API at {self.base_url}: {reason}")
        try:
            envelope = json.loads(text)
        except ValueError:
            raise ConnectionFailed(
                f"the Retune API at {self.base_url} answered HTTP {status} without JSON "
                f"(is this the dashboard's URL?): {text[:200]!r}"
            ) from None
        if isinstance(envelope, dict) and "error" in envelope:
            raise api_error(envelope["error"], status, path)
        if not isinstance(envelope, dict) or "result" not in envelope:
            raise ConnectionFailed(f"unexpected answer from {self.endpoint}/{path}: {text[:200]!r}")
        return envelope["result"].get("data")
