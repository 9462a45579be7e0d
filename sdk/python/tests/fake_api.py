"""A stand-in for the dashboard's /api/trpc (tRPC 11 over HTTP, no transformer) whose answers
are checked against api_schema.json, so the fakes cannot drift from the server either."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Tuple

from retune import _schema

Answer = Tuple[int, Any]


class FakeApi:
    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.routes: Dict[str, Callable[[Any], Answer]] = {}
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                url = urllib.parse.urlparse(self.path)
                raw = urllib.parse.parse_qs(url.query).get("input", [None])[0]
                self._answer("GET", url.path, json.loads(raw) if raw else None)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                self._answer("POST", self.path, json.loads(self.rfile.read(length)))

            def _answer(self, method: str, path: str, input: Any) -> None:
                proc = path.removeprefix("/api/trpc/")
                api.requests.append(
                    {"method": method, "procedure": proc, "input": input,
                     "authorization": self.headers.get("authorization")}
                )  # fmt: skip
                status, body = api.routes[proc](input)
                if status == 200:
                    problems = _schema.errors(_schema.procedure(proc)["output"], body)
                    assert not problems, f"fake answer of {proc} breaks its schema: {problems}"
                    body = {"result": {"data": body}}
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def trpc_error(code: str, status: int, message: str, issues: Any = None) -> Answer:
    data: Dict[str, Any] = {"code": code, "httpStatus": status, "path": "x"}
    if issues is not None:
        data["issues"] = issues
    return status, {"error": {"message": message, "code": -32600, "data": data}}


COUNTS = {"pending": 0, "running": 0, "completed": 2, "pruned": 1, "failed": 0, "cancelled": 0}


def sweep_detail(status: str = "completed", done: int = 3) -> Dict[str, Any]:
    counts = {**COUNTS, "completed": max(0, done - 1), "pruned": min(1, done)}
    counts["pending"] = 3 - done
    trial = {
        "params": {}, "values": {}, "error": None, "worker": "w", "slot": 0, "attempts": 1,
        "startedAt": "2026-01-01T00:00:00.000Z", "finishedAt": "2026-01-01T00:01:00.000Z",
        "durationMs": 60000.0,
    }  # fmt: skip
    return {
        "id": "sw_1", "name": "demo", "status": status, "algorithm": "random",
        "metricName": "val_acc", "metricGoal": "maximize", "plannedTrials": 3, "counts": counts,
        "bestTrialId": "sw_1-t1", "bestValue": 0.9, "workflowId": "sweep-sw_1", "error": None,
        "createdAt": "2026-01-01T00:00:00.000Z", "startedAt": None, "finishedAt": None,
        "dataset": "d", "baseModel": "b", "spec": {},
        "trials": [
            {**trial, "id": "sw_1-t0", "number": 0, "status": "completed", "objective": 0.8,
             "params": {"lr": 0.1}, "values": {"val_acc": 0.8, "params": 10}},
            {**trial, "id": "sw_1-t1", "number": 1, "status": "completed", "objective": 0.9,
             "params": {"lr": 0.01}, "values": {"val_acc": 0.9, "params": 10}},
            {**trial, "id": "sw_1-t2", "number": 2, "status": "pruned", "objective": None,
             "params": {"lr": 1.0}},
        ],
    }  # fmt: skip
