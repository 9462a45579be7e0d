"""`suggest` over JSON lines (one request per stdin line, one response per stdout line), for
bench:search: the same function the worker's activity calls, without Temporal."""

import json
import sys

from .suggest import suggest


def main() -> None:
    for line in sys.stdin:
        try:
            out = {"ok": suggest(json.loads(line))}
        except Exception as err:  # noqa: BLE001 — reported to the caller, which fails the run
            out = {"error": f"{type(err).__name__}: {err}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
