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

    def quiet(self, now: float) -> float:
        """Seconds since the last touch."""
        return now - self.last_touch

    def state(self, now: float) -> IdleState:
        quiet = self.quiet(now)
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


@dataclass
class TouchGuard:
    """One touch, one action: a touch is acted on only once the screen it lands
    on has been drawn and has been seen for `guard_seconds`.

    The UI calls `screen_changed()` whenever it shows a screen (a new one or the
    same one refilled), `drawn(now)` when a frame reaches the display, and asks
    `allows(now)` on every touch-down. A second tap of a double tap lands in the
    guard and is dropped; so does a touch queued while an action was running.
    """

    guard_seconds: float
    drawn_at: float | None = 0.0  # None: a screen was changed and is not drawn yet
    refused: int = 0  # touches dropped, for the log and the tests

    def screen_changed(self) -> None:
        self.drawn_at = None

    def drawn(self, now: float) -> None:
        if self.drawn_at is None:
            self.drawn_at = now

    def ready_at(self) -> float | None:
        """When touches count again; None until the screen has been drawn."""
        return None if self.drawn_at is None else self.drawn_at + self.guard_seconds

    def allows(self, now: float) -> bool:
        ready = self.ready_at()
        if ready is not None and now >= ready:
            return True
        self.refused += 1
        return False
