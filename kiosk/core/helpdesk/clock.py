"""The clock the help desk reads: real local time, or a fake one tests move by hand.

Ticket numbers restart at a local hour, so the clock gives timezone-aware local
datetimes. Never call datetime.now() elsewhere in the help desk.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current local time, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().astimezone()


class FakeClock:
    """A clock that stands still until told to move."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)

    def set(self, when: datetime) -> None:
        self._now = when


class ZonedClock:
    """Another clock's time, told in one time zone (the hub's `hub.time_zone`):
    the hours and days people read are Baku's even on a machine set to UTC."""

    def __init__(self, clock: Clock, zone: tzinfo):
        self.clock = clock
        self.zone = zone

    def now(self) -> datetime:
        return self.clock.now().astimezone(self.zone)
