"""A real hub for tests: uvicorn on 127.0.0.1 in a thread, stoppable and
restartable on the same port over the same data folder (a "hub restart")."""

from __future__ import annotations

import resource
import signal
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from argon2 import PasswordHasher

from kiosk.core.helpdesk.clock import Clock
from kiosk.core.settings import HUB_SETTINGS, KIOSK_SETTINGS, Settings, validate_values
from kiosk.hub.app import create_app
from kiosk.hub.store import HubStore


def cheap_hasher() -> PasswordHasher:
    """Argon2 at its lowest cost: real hashing, without half a second per login."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hub_settings(**values: object) -> Settings:
    """Hub settings for tests; TestClient's Host name ("testserver") is allowed."""
    values.setdefault("allowed_hosts", ["testserver"])
    return validate_values({f"hub.{k}": v for k, v in values.items()}, HUB_SETTINGS, "test")


def kiosk_settings(tmp_path: Path, letter: str = "B", **values: object) -> Settings:
    raw = {"kiosk.data_dir": str(tmp_path / "kiosk"), "kiosk.ticket_letter": letter}
    raw.update({k.replace("__", "."): v for k, v in values.items()})
    return validate_values(raw, KIOSK_SETTINGS, "test")


def wait_for(condition: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    """Poll until `condition()`; the timeout only bounds a failing test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what or condition}")


class RunningHub:
    """One hub data folder; start() and stop() any number of times on one port."""

    def __init__(
        self,
        data_dir: Path,
        settings: Settings | None = None,
        port: int | None = None,
        clock: Clock | None = None,
    ):
        self.data_dir = data_dir
        self.settings = settings or hub_settings()
        self.clock = clock  # None: the real clock
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> RunningHub:
        app = create_app(self.settings, self.data_dir, self.clock, password_hasher=cheap_hasher())
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        wait_for(lambda: self._server.started, what="hub to start")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(15)
            self._server = None

    def store(self) -> HubStore:
        return HubStore(self.data_dir / "hub.db", password_hasher=cheap_hasher())

    def stored_requests(self) -> list[dict]:
        """Every help request in the hub's database, read straight from SQLite."""
        conn = sqlite3.connect(self.data_dir / "hub.db")
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute("select * from help_requests order by id")]
        finally:
            conn.close()


@contextmanager
def full_disk() -> Iterator[None]:
    """No file this process writes may grow until the block ends (nothing is printed meanwhile)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
