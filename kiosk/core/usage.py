"""Anonymous usage counts on the terminal: per day and service, how often it was
opened and finished, a slip printed and help asked, and how many residents
began a session. Kept in `<data_dir>/usage.db` (its own
file, so the help desk's database and its migrations stay separate) and sent
with the heartbeat.

Each day's counts go out as absolute totals, so sending the same day twice
does no harm. This module never stores a name, a phone number, a ticket or
anything else that could point to a person: only a service id and a few
numbers.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

log = logging.getLogger(__name__)
migrations = Migrations("usage")


class UsageEvent(StrEnum):
    """What is counted; the value is the column name and the name in the heartbeat."""

    OPENED = "opened"  # a service's first screen was shown
    PRINTED = "printed"  # a slip for it came out of the printer
    HELP = "help"  # a help request was made about it (or about nothing in particular)
    FINISHED = "finished"  # its flow's finish step was reached (once per resident)
    SESSIONS = "sessions"  # a resident began (counted with no service)


COUNTS = tuple(e.value for e in UsageEvent)

# Days a clock can have been right on (the hub takes no other): a board without a
# real-time clock counts on 1970-01-01 until network time comes.
FIRST_DAY, LAST_DAY = "2000-01-01", "2100-12-31"

# Counts made on a day the clock cannot have been right on, added to today's.
_REDATE = (
    f"insert into usage (day, service, {', '.join(COUNTS)}, revision) "
    f"select ?, service, {', '.join(COUNTS)}, 1 from usage where day = ? and service = ? "
    "on conflict (day, service) do update set "
    + ", ".join(f"{c} = {c} + excluded.{c}" for c in COUNTS)
    + ", revision = revision + 1"
)


@migrations()
def m001_usage(db: Database) -> None:
    db["usage"].create(
        {
            "day": str,  # local date on the terminal, YYYY-MM-DD
            "service": str,  # service id; "" when no service was chosen
            "opened": int,
            "printed": int,
            "help": int,
            "revision": int,  # bumped on every count
            "sent_revision": int,  # the revision the hub has acknowledged
        },
        pk=("day", "service"),
        not_null={"day", "service"},
        defaults={"opened": 0, "printed": 0, "help": 0, "revision": 0, "sent_revision": 0},
    )


@migrations()
def m002_finished_sessions(db: Database) -> None:
    db["usage"].add_column("finished", int, not_null_default=0)
    db["usage"].add_column("sessions", int, not_null_default=0)


# One statement per event: column names never come from outside this module.
_UPSERT = {
    event: (
        f"insert into usage (day, service, {event.value}, revision) values (?, ?, 1, 1) "
        f"on conflict (day, service) do update set {event.value} = {event.value} + 1, "
        "revision = revision + 1"
    )
    for event in UsageEvent
}


class UsageCounter:
    """Counts on any thread (one SQLite upsert each, well under a millisecond);
    `unsent()` and `mark_sent()` are for the heartbeat thread."""

    def __init__(self, db_path: Path, now: Callable[[], datetime] = datetime.now):
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(db_path), check_same_thread=False, timeout=5)
        self._conn.execute("PRAGMA journal_mode=WAL")
        # A power cut may lose the last few counts; that is cheaper than a sync per tap.
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._lock = threading.Lock()
        self._now = now
        with self._lock:
            migrations.apply(Database(self._conn))

    @classmethod
    def in_data_dir(
        cls, data_dir: Path, now: Callable[[], datetime] = datetime.now
    ) -> UsageCounter:
        return cls(Path(data_dir) / "usage.db", now)

    def count(self, event: UsageEvent, service_id: str | None = None) -> None:
        """Add one to today's count of `event` for `service_id`. Never raises:
        a full disk must not stop a resident's screen."""
        day = self._now().date().isoformat()
        try:
            with self._lock, self._conn:
                self._conn.execute(_UPSERT[UsageEvent(event)], [day, service_id or ""])
        except sqlite3.Error:
            log.exception("usage count lost")

    def unsent(self, limit: int = 500) -> list[dict[str, Any]]:
        """Days and services whose counts changed since the hub last took them,
        oldest day first, with their absolute totals and the revision sent.

        Counts made while the clock read a day it cannot have been right on
        (1970 before network time) are never sent on that day, which the hub
        refuses with the whole heartbeat: once the clock is right they are
        added to today's counts; until then they wait."""
        with self._lock:
            self._redate_impossible_days()
            rows = self._conn.execute(
                f"select day, service, {', '.join(COUNTS)}, revision from usage "
                "where revision > sent_revision and day between ? and ? "
                "order by day, service limit ?",
                [FIRST_DAY, LAST_DAY, limit],
            ).fetchall()
        return [
            {
                "day": r[0],
                "service": r[1],
                **dict(zip(COUNTS, r[2:-1], strict=True)),
                "revision": r[-1],
            }
            for r in rows
        ]

    def _redate_impossible_days(self) -> None:
        today = self._now().date().isoformat()
        if not FIRST_DAY <= today <= LAST_DAY:
            return
        try:
            with self._conn:
                wrong = self._conn.execute(
                    "select day, service from usage where day not between ? and ?",
                    [FIRST_DAY, LAST_DAY],
                ).fetchall()
                for day, service in wrong:
                    self._conn.execute(_REDATE, [today, day, service])
                    self._conn.execute(
                        "delete from usage where day = ? and service = ?", [day, service]
                    )
        except sqlite3.Error:
            log.exception("usage counts of a wrong clock day not moved to today")

    def mark_sent(self, rows: list[dict[str, Any]]) -> None:
        """The hub has these totals; counts made since they were read stay unsent."""
        with self._lock, self._conn:
            self._conn.executemany(
                "update usage set sent_revision = max(sent_revision, ?) where day = ? and service = ?",
                [(r["revision"], r["day"], r["service"]) for r in rows],
            )

    def totals(self, day: str) -> dict[str, dict[str, int]]:
        """Counts for one day by service (for `kiosk doctor` and tests)."""
        with self._lock:
            rows = self._conn.execute(
                f"select service, {', '.join(COUNTS)} from usage where day = ?", [day]
            ).fetchall()
        return {r[0]: dict(zip(COUNTS, r[1:], strict=True)) for r in rows}

    def close(self) -> None:
        with self._lock:
            self._conn.close()
