"""One resident's session at the terminal: the idle timer, the "Do you need more
time?" warning, and forgetting everything when they walk away.

Pure time arithmetic: the UI feeds it touches and the current monotonic time and
asks what to show. It never sleeps and never reads the clock itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class IdleState(StrEnum):
    ACTIVE = "active"
    WARNING = "warning"  # the "more time?" prompt with its countdown
    EXPIRED = "expired"  # start over: back to the attract screen


@dataclass
class IdleTimer:
    idle_seconds: float
    countdown_seconds: float
    last_touch: float = 0.0

    def touch(self, now: float) -> None:
        """Any touch, including one on the warning itself, gives the full time again."""
        self.last_touch = now

    def state(self, now: float) -> IdleState:
        quiet = now - self.last_touch
        if quiet < self.idle_seconds:
            return IdleState.ACTIVE
        if quiet < self.idle_seconds + self.countdown_seconds:
            return IdleState.WARNING
        return IdleState.EXPIRED

    def remaining(self, now: float) -> int:
        """Whole seconds left on the warning's countdown."""
        left = self.idle_seconds + self.countdown_seconds - (now - self.last_touch)
        return max(0, int(left + 0.999))


@dataclass
class ResidentSession:
    """What one resident chose or typed; replaced whole when they leave."""

    lang: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    first_name: str = ""
    phone: str = ""
    ticket: str | None = None
