"""How far the hub may trust its own clock for what cannot be undone: the
privacy purge (names, phones and notes blanked after hub.personal_data_days) and
the day's closing (requests still open from a past day cancelled).

A clock set a week ahead by mistake must not blank the names of people waiting
right now, and a clock a day ahead must not cancel today's queue; but when time
truly passed, the purge must happen. So those two act on the hub's *trusted*
time, not on what its clock reads:

- The hub watches its clock against a steady one nobody sets (seconds since
  boot). A step forward of more than TOLERANCE is a *lead*: the clock reads
  ahead of what the hub can confirm, and the purge and the closing act as if it
  read that much less (time keeps passing for them at its real pace, so a name
  is still blanked after 7 days that truly passed). A step back takes the lead
  down (to none), at once: going back never destroys anything.
- A terminal on another machine whose clock (a heartbeat's `sent_at`, a help
  request's `issued_at`) agrees with the hub's within AGREE confirms the hub's
  clock: the lead was a correction, and is dropped. A terminal on the hub's own
  machine shares its clock and confirms nothing.
- A lead nobody confirms or corrects for hub.clock_trust_hours is taken as
  right (a clock that is wrong for a day has been on the fleet page all day).
- After a restart that skipped time (the hub was off, or its clock moved while
  it was), the two wait up to SETTLE for a terminal on another machine: one that
  agrees lets them go on at once, one whose clock is behind the hub's sets the
  lead to the difference.

The state is kept in the hub's database (store.clock_state), so the fleet page,
`kiosk doctor` and the next start see it. Never reads the system clock itself:
the wall clock and the steady clock are given.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.core.helpdesk.clock import Clock, steady_seconds
from kiosk.hub.store import HubStore

TOLERANCE = timedelta(minutes=2)  # smaller steps are network time's ordinary corrections
AGREE = timedelta(minutes=10)  # a terminal's clock this close to the hub's agrees with it
SETTLE = timedelta(minutes=5)  # after a restart that skipped time: wait this long for a terminal
SAVE_EVERY = 60.0  # seconds between saves of a reading that changed nothing else


MOST_LEAD = timedelta(days=200 * 366)  # more than any clock can be off (1970 to 2100 and back)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def saved_lead(value: Any) -> timedelta:
    """A saved lead, bounded; 0 for anything a hub of this version would not have saved."""
    try:
        return min(MOST_LEAD, max(timedelta(0), timedelta(seconds=float(value or 0))))
    except (TypeError, ValueError, OverflowError):
        return timedelta(0)


def _jump_or_none(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    try:
        datetime.fromisoformat(value["at"])
        seconds = float(value["seconds"])
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    return {"at": value["at"], "seconds": seconds, "by": str(value.get("by", ""))[:20]}


class ClockCheck:
    """The hub's trusted time: its clock, less any lead it cannot confirm."""

    def __init__(
        self,
        clock: Clock,
        store: HubStore,
        trust_hours: float,
        steady: Callable[[], float] | None = None,
    ):
        self._clock = clock
        self._store = store
        self._steady = steady or steady_seconds
        self._trust = timedelta(hours=trust_hours).total_seconds()
        self._lock = threading.Lock()
        wall, now = clock.now(), self._steady()
        self._anchor = (wall, now)
        self._started = now
        self._saved_at = now
        self.lead = timedelta(0)
        self._lead_since: float | None = None  # steady reading when the lead began
        self.last_jump: dict[str, Any] | None = None  # {"at", "seconds", "by"}
        self.settling = False
        saved = store.clock_state()
        if saved:
            self.last_jump = _jump_or_none(saved.get("last_jump"))
            self.lead = saved_lead(saved.get("lead_seconds"))
            if self.lead:
                self._lead_since = now  # its age counts again from this start
            try:
                gap = wall - datetime.fromisoformat(saved["wall"])
            except (KeyError, TypeError, ValueError, OverflowError):
                gap = timedelta(0)
            if gap > TOLERANCE:
                self.settling = True
            elif gap < -TOLERANCE:
                self._moved(wall, gap, "restart")
        self._save(wall, now)

    # ---- what the hub sees -------------------------------------------------------

    def observe(self) -> None:
        """Compare the clock with the steady one since the last look."""
        with self._lock:
            wall, now = self._clock.now(), self._steady()
            last_wall, last_now = self._anchor
            drift = (wall - last_wall) - timedelta(seconds=now - last_now)
            changed = abs(drift) > TOLERANCE
            if changed:
                self._moved(wall, drift, "hub")
            if self._lead_since is not None and now - self._lead_since >= self._trust:
                self._set_lead(timedelta(0))  # a day on the fleet page, and nobody set it right
                changed = True
            if self.settling and now - self._started >= SETTLE.total_seconds():
                self.settling = False
                changed = True
            self._anchor = (wall, now)
            if changed or now - self._saved_at >= SAVE_EVERY:
                self._save(wall, now)

    def heard(self, reading: datetime | None, other_machine: bool, fresh: bool = True) -> None:
        """A terminal's clock reading, just received (None: it cannot be right).
        Not `fresh` (a help request's issue time: it may have waited in the
        terminal's outbox) only ever confirms the hub's clock."""
        if reading is None or not other_machine:
            return
        self.observe()
        with self._lock:
            wall, now = self._clock.now(), self._steady()
            ahead = wall - reading
            changed = False
            if abs(ahead) <= AGREE:
                changed = bool(self.lead) or self.settling
                self._set_lead(timedelta(0))
                self.settling = False
            elif fresh and self.settling and ahead > AGREE:
                self._moved(wall, ahead, "terminal")
                self.settling = False
                changed = True
            if changed:
                self._save(wall, now)

    def trusted_now(self) -> datetime | None:
        """The time the purge and the day's closing act on; None: wait (just
        restarted after a gap, no terminal heard yet)."""
        self.observe()
        with self._lock:
            if self.settling:
                return None
            try:
                return self._clock.now() - self.lead
            except OverflowError:  # a clock near year 1: nothing is old enough to act on
                return None

    def state(self) -> dict[str, Any]:
        with self._lock:
            return self._state(self._clock.now())

    # ---- inside the lock ---------------------------------------------------------

    def _moved(self, wall: datetime, by: timedelta, seen_by: str) -> None:
        self.last_jump = {"at": _iso(wall), "seconds": round(by.total_seconds()), "by": seen_by}
        self._set_lead(min(MOST_LEAD, max(timedelta(0), self.lead + by)))

    def _set_lead(self, lead: timedelta) -> None:
        if lead and not self.lead:
            self._lead_since = self._steady()
        elif not lead:
            self._lead_since = None
        self.lead = lead

    def _state(self, wall: datetime) -> dict[str, Any]:
        return {
            "wall": _iso(wall),
            "lead_seconds": round(self.lead.total_seconds()),
            "trusted": _iso(wall - self.lead),
            "settling": self.settling,
            "last_jump": self.last_jump,
        }

    def _save(self, wall: datetime, now: float) -> None:
        self._saved_at = now
        # A full disk must not stop the queue: the state is kept in memory then.
        with contextlib.suppress(Exception):
            self._store.save_clock_state(self._state(wall))


def summary(state: dict[str, Any], trust_hours: int) -> tuple[bool, str]:
    """(fine, one English line) on a saved state, for `kiosk doctor`."""
    if not state:
        return True, "no reading kept yet (the hub has not run on this data folder)"
    lead = saved_lead(state.get("lead_seconds")).total_seconds()
    jump = _jump_or_none(state.get("last_jump")) or {}
    if lead > 0:
        return False, (
            f"the hub's clock read {_amount(lead)} ahead of what it could confirm at "
            f"{state.get('wall')} (it jumped at {jump.get('at', '?')}): names and phones are "
            f"kept and the day is not closed by that time until the clock is set right, a "
            f"terminal on another machine agrees or {trust_hours} hours pass"
        )
    if state.get("settling"):
        return True, "the hub has just started after a gap and waits for a terminal's clock"
    if jump:
        seconds = float(jump.get("seconds") or 0)
        way = "ahead" if seconds > 0 else "back"
        return True, f"last set {_amount(abs(seconds))} {way} at {jump.get('at', '?')}; agrees now"
    return True, f"steady (last read {state.get('wall')})"


def _amount(seconds: float) -> str:
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.0f} days"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 60:.0f} minutes"
