"""A progress bar for wait(): tqdm (notebook-aware via tqdm.auto) when installed, else one line
rewritten in place on a terminal, or a line per change elsewhere."""

from __future__ import annotations

import sys
from typing import Any, Optional, TextIO


class Progress:
    def __init__(self, total: int, desc: str, stream: Optional[TextIO] = None) -> None:
        self._stream = stream or sys.stderr
        self._bar: Any = None
        self._last = ""
        self.total = total
        self.desc = desc
        if stream is None:
            try:
                from tqdm.auto import tqdm

                self._bar = tqdm(total=total, desc=desc, unit="trial")
            except ImportError:
                self._bar = None

    def update(self, done: int, total: int, status: str, best: Any) -> None:
        postfix = f"{status}, best {best:.4g}" if isinstance(best, (int, float)) else status
        if self._bar is not None:
            if total != self._bar.total:
                self._bar.total = total
            self._bar.n = done
            self._bar.set_postfix_str(postfix, refresh=False)
            self._bar.refresh()
            return
        line = f"{self.desc}: {done}/{total} trials ({postfix})"
        if line == self._last:
            return
        self._last = line
        tty = getattr(self._stream, "isatty", lambda: False)()
        self._stream.write(("\r" + line) if tty else (line + "\n"))
        self._stream.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self._last and getattr(self._stream, "isatty", lambda: False)():
            self._stream.write("\n")
