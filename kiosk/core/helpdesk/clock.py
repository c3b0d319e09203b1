"""The clock the help desk reads: real local time, or a fake one tests move by hand.

Ticket numbers restart at a local hour, so the clock gives timezone-aware local
datetimes. Never call datetime.now() elsewhere in the help desk.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current local time, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().astimezone()


def steady_seconds() -> float:
    """Seconds on a clock nobody sets (since boot, counting suspend): how much time
    really passed, whatever is done to the wall clock meanwhile."""
    if hasattr(time, "CLOCK_BOOTTIME"):
        return time.clock_gettime(time.CLOCK_BOOTTIME)
    return time.monotonic()


class FakeClock:
    """A clock that stands still until told to move. advance() and set() are time
    passing (its steady() moves too, never back); jump() is someone setting the
    clock (steady() stays): what a hub sees when its clock is set wrong."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start
        self._steady = 1000.0

    def now(self) -> datetime:
        return self._now

    def steady(self) -> float:
        return self._steady

    def advance(self, **delta: float) -> None:
        self.set(self._now + timedelta(**delta))

    def set(self, when: datetime) -> None:
        self._steady += max(0.0, (when - self._now).total_seconds())
        self._now = when

    def jump(self, **delta: float) -> None:
        """The clock is set `delta` off (forward or back); no time passes."""
        self._now += timedelta(**delta)


class ZonedClock:
    """Another clock's time, told in one time zone (the hub's `hub.time_zone`):
    the hours and days people read are Baku's even on a machine set to UTC."""

    def __init__(self, clock: Clock, zone: tzinfo):
        self.clock = clock
        self.zone = zone

    def now(self) -> datetime:
        return self.clock.now().astimezone(self.zone)
