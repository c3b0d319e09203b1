"""What every hub router needs, kept on app.state.hub: settings, store, clock,
topic titles and the change counter that wakes the live console.

Routers get it with `Depends(hub_context)`; nothing here is a module-level
singleton, so tests build as many hubs as they like.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request

from kiosk.core.helpdesk.clock import Clock
from kiosk.hub.store import HubStore


class Changes:
    """A counter bumped on every queue change; live console streams wait on it.

    bump() is called from FastAPI's worker threads, so waiting streams are woken
    through their own event loop (call_soon_threadsafe).
    """

    def __init__(self) -> None:
        self._version = 0
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def bump(self) -> None:
        with self._lock:
            self._version += 1
            waiters = list(self._waiters)
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # that loop has closed
                loop.call_soon_threadsafe(event.set)

    @property
    def version(self) -> int:
        return self._version

    async def wait(self, seen: int, timeout: float) -> int:
        """The version once it differs from `seen`, or after `timeout` seconds."""
        event = asyncio.Event()
        waiter = (asyncio.get_running_loop(), event)
        with self._lock:
            if self._version != seen:
                return self._version
            self._waiters.add(waiter)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout)
        finally:
            with self._lock:
                self._waiters.discard(waiter)
        return self._version


class EventStreams:
    """Live-queue streams open per session: at most `per_session`; opening one
    more ends the oldest (a reloaded tab's old stream may linger unseen)."""

    def __init__(self, per_session: int = 3) -> None:
        self.per_session = per_session
        self._lock = threading.Lock()
        self._open: dict[str, list[threading.Event]] = {}

    def open(self, session: str) -> threading.Event:
        """A new stream's stop flag; set when the stream must end."""
        stop = threading.Event()
        with self._lock:
            streams = self._open.setdefault(session, [])
            streams.append(stop)
            while len(streams) > self.per_session:
                streams.pop(0).set()
        return stop

    def close(self, session: str, stop: threading.Event) -> None:
        with self._lock:
            streams = self._open.get(session, [])
            if stop in streams:
                streams.remove(stop)
            if not streams:
                self._open.pop(session, None)

    def count(self, session: str) -> int:
        with self._lock:
            return len(self._open.get(session, []))


@dataclass
class HubContext:
    settings: Mapping[str, Any]
    store: HubStore
    clock: Clock
    topics: dict[str, dict[str, str]]  # service id -> title by language
    sites: dict[str, dict[str, str]]  # site id -> name by language
    changes: Changes = field(default_factory=Changes)
    data_dir: Path = Path(".")
    content_dir: Path = Path(".")  # the bundle the studio records for
    streams: EventStreams = field(default_factory=EventStreams)
    call_voice: Any = None  # queue.call_voice.CallVoice: the display's spoken calls
    clock_check: Any = (
        None  # fleet.clock_check.ClockCheck: the time the purge and day's closing use
    )

    @property
    def zone(self) -> tzinfo:
        """The hub's time zone (`hub.time_zone`): the hours and days people read."""
        return ZoneInfo(self.settings["hub.time_zone"])


def hub_context(request: Request) -> HubContext:
    return request.app.state.hub
