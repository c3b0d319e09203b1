"""Anonymous usage counts on the terminal: per day and service, kept across a
restart, handed to the heartbeat as absolute totals, and only marked sent up to
what was actually sent; the table has no place for a name or a phone."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from kiosk.core.helpdesk import FakeClock
from kiosk.core.usage import UsageCounter, UsageEvent


def test_counts_are_kept_per_day_and_service(tmp_path):
    clock = FakeClock(datetime(2026, 5, 4, 23, 0, tzinfo=UTC))
    usage = UsageCounter(tmp_path / "usage.db", clock.now)
    usage.count(UsageEvent.OPENED, "pension")
    usage.count(UsageEvent.OPENED, "pension")
    usage.count(UsageEvent.PRINTED, "pension")
    usage.count(UsageEvent.HELP, None)
    usage.count(UsageEvent.FINISHED, "pension")
    usage.count(UsageEvent.SESSIONS, None)
    usage.count(UsageEvent.SESSIONS, None)
    clock.advance(hours=2)  # the next day
    usage.count(UsageEvent.OPENED, "pension")
    zero = {"opened": 0, "printed": 0, "help": 0, "finished": 0, "sessions": 0}
    assert usage.totals("2026-05-04") == {
        "pension": {**zero, "opened": 2, "printed": 1, "finished": 1},
        "": {**zero, "help": 1, "sessions": 2},
    }
    assert usage.totals("2026-05-05") == {"pension": {**zero, "opened": 1}}
    usage.close()

    # Must survive a restart of the app.
    again = UsageCounter(tmp_path / "usage.db", clock.now)
    assert [(r["day"], r["service"], r["opened"]) for r in again.unsent()] == [
        ("2026-05-04", "", 0),
        ("2026-05-04", "pension", 2),
        ("2026-05-05", "pension", 1),
    ]
    again.close()


def test_counts_made_while_sending_stay_unsent(tmp_path):
    clock = FakeClock(datetime(2026, 5, 4, 9, 0, tzinfo=UTC))
    usage = UsageCounter(tmp_path / "usage.db", clock.now)
    usage.count(UsageEvent.OPENED, "pension")
    rows = usage.unsent()
    usage.count(UsageEvent.OPENED, "pension")  # a resident taps while the heartbeat is out
    usage.mark_sent(rows)
    left = usage.unsent()
    assert [(r["service"], r["opened"]) for r in left] == [("pension", 2)]  # the new total
    usage.mark_sent(left)
    assert usage.unsent() == []
    usage.close()


def test_the_usage_table_holds_nothing_about_a_person(tmp_path):
    UsageCounter(tmp_path / "usage.db").close()
    conn = sqlite3.connect(tmp_path / "usage.db")
    columns = {row[1] for row in conn.execute("pragma table_info(usage)")}
    conn.close()
    assert columns == {
        "day",
        "service",
        "opened",
        "printed",
        "help",
        "finished",
        "sessions",
        "revision",
        "sent_revision",
    }
