"""What every hub router needs, kept on app.state.hub: settings, store, clock,
topic titles and the change counter that wakes the live console.

Routers get it with `Depends(hub_context)`; nothing here is a module-level
singleton, so tests build as many hubs as they like.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from kiosk.core.helpdesk.clock import Clock
from kiosk.hub.store import HubStore


class Changes:
    """A counter bumped on every queue change; the live console watches it."""

    def __init__(self) -> None:
        self._version = 0
        self._lock = threading.Lock()

    def bump(self) -> None:
        with self._lock:
            self._version += 1

    @property
    def version(self) -> int:
        return self._version


@dataclass
class HubContext:
    settings: Mapping[str, Any]
    store: HubStore
    clock: Clock
    topics: dict[str, dict[str, str]]  # service id -> title by language
    sites: dict[str, dict[str, str]]  # site id -> name by language
    changes: Changes = field(default_factory=Changes)


def hub_context(request: Request) -> HubContext:
    return request.app.state.hub
