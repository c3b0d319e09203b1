"""The client side of the screen renderer: one child process (worker.py) with
Kömək's off-screen window, asked for one picture at a time over its stdin and
stdout. This module must never import Kivy or kiosk.ui: the hub uses it.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

WORKER = "kiosk.preview.worker"  # run with python -m
REPLY_PREFIX = "@@komek-preview "  # the worker's answers start with this; Kivy's lines do not
RENDER_TIMEOUT_S = 120.0  # the first picture includes starting Kivy in the child


class RendererError(Exception):
    """The renderer could not start (the message says why)."""


class ScreenRenderer:
    """One child process with Kömək's off-screen window at one size; requests one at a time.

    A child that crashes, hangs or is of another size is replaced for the next request.
    """

    def __init__(self, log_path: Path):
        self._log_path = log_path
        self._lock = threading.Lock()
        self._child: subprocess.Popen[str] | None = None
        self._size: tuple[int, int] | None = None

    def render(self, request: dict[str, Any], size: tuple[int, int]) -> dict[str, Any]:
        with self._lock:
            child = self._start(size)
            try:
                assert child.stdin is not None
                child.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
                child.stdin.flush()
            except OSError as exc:
                self._kill()
                return {"ok": False, "error": f"the screen renderer stopped: {exc}"}
            return self._answer(child, RENDER_TIMEOUT_S)

    def _start(self, size: tuple[int, int]) -> subprocess.Popen[str]:
        if self._child is not None and self._child.poll() is None and self._size == size:
            return self._child
        self._kill()
        self._log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self._log_path, "wb") as errors:  # the last start's messages only
            self._child = subprocess.Popen(
                [sys.executable, "-m", WORKER, str(size[0]), str(size[1])],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                bufsize=1,
                env=dict(os.environ, PYTHONUNBUFFERED="1"),
            )
        self._size = size
        ready = self._answer(self._child, RENDER_TIMEOUT_S)
        if not ready.get("ok"):
            self._kill()
            raise RendererError(f"the screen renderer did not start: {ready.get('error')}")
        return self._child

    def _answer(self, child: subprocess.Popen[str], timeout: float) -> dict[str, Any]:
        assert child.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(child.stdout, selectors.EVENT_READ)
            for _ in range(10_000):  # Kivy's own lines come first; bounded all the same
                if not sel.select(timeout):
                    self._kill()
                    return {"ok": False, "error": f"no picture within {timeout:g} s"}
                line = child.stdout.readline()
                if not line:
                    self._kill()
                    return {"ok": False, "error": "the screen renderer ended; try again"}
                if line.startswith(REPLY_PREFIX):
                    return json.loads(line[len(REPLY_PREFIX) :])
        self._kill()
        return {"ok": False, "error": "the screen renderer said too much"}

    def _kill(self) -> None:
        child, self._child = self._child, None
        if child is not None and child.poll() is None:
            child.kill()
            child.wait(10)

    def close(self) -> None:
        with self._lock:
            child, self._child = self._child, None
            if child is None:
                return
            try:
                if child.stdin:
                    child.stdin.close()  # the worker ends at end of input
                child.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                child.kill()
                child.wait(10)
