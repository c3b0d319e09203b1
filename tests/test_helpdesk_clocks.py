"""Ticket numbers never repeat within a ticket day, whatever the terminal's clock
does: a board that boots at 1970 before network time, a correction across the
06:00 day start, a clock that was years ahead. The clock is a fake moved by hand."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlite_utils import Database

from kiosk.core.helpdesk import FakeClock, HelpDesk, NoHubTransport
from kiosk.core.helpdesk.outbox import m002_sequence
from kiosk.core.helpdesk.tickets import Sequence, next_number, plausible_day
from tests.helpdesk_support import kiosk_settings

BAKU = timezone(timedelta(hours=4))
EPOCH = datetime(1970, 1, 1, 0, 0, 12, tzinfo=BAKU)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=BAKU)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(at(10, 9, 30))


def desk_for(tmp_path: Path, clock: FakeClock) -> HelpDesk:
    return HelpDesk(
        kiosk_settings(tmp_path, helpdesk__day_starts_hour=6),
        tmp_path / "kiosk.db",
        NoHubTransport(),
        clock,
    )


SESSIONS = itertools.count()


def issue(desk: HelpDesk, n: int = 1) -> list[str]:
    """`n` tickets for `n` new resident sessions."""
    return [desk.request(None, f"resident-{next(SESSIONS)}").number for _ in range(n)]


def test_a_board_booting_at_1970_continues_todays_numbers(tmp_path, clock):
    desk = desk_for(tmp_path, clock)
    assert issue(desk, 3) == ["B-001", "B-002", "B-003"]
    clock.set(EPOCH)  # a restart before network time
    assert issue(desk, 2) == ["B-004", "B-005"]
    clock.set(at(10, 9, 45))  # network time arrives
    assert issue(desk) == ["B-006"]
    clock.set(at(11, 6, 0))  # the next day starts as usual
    assert issue(desk) == ["B-001"]


def test_a_new_board_that_starts_at_1970_counts_on_into_the_real_day(tmp_path, clock):
    clock.set(EPOCH)
    desk = desk_for(tmp_path, clock)
    assert issue(desk, 2) == ["B-001", "B-002"]
    clock.set(at(10, 9, 45))  # those two were issued today, really
    assert issue(desk) == ["B-003"]


def test_a_correction_back_across_the_day_start_continues_the_sequence(tmp_path, clock):
    clock.set(at(10, 20, 0))
    desk = desk_for(tmp_path, clock)
    assert issue(desk, 3) == ["B-001", "B-002", "B-003"]
    clock.set(at(11, 6, 10))  # a clock running 20 minutes fast starts the new day early
    assert issue(desk, 2) == ["B-001", "B-002"]
    clock.set(at(11, 5, 52))  # network time puts it back before 06:00
    assert issue(desk) == ["B-003"]  # not yesterday's B-004, not today's B-001 again
    clock.set(at(11, 6, 0))  # the real day start: the day already began
    assert issue(desk) == ["B-004"]


def test_a_clock_years_ahead_then_corrected_resets_at_the_next_real_day(tmp_path, clock):
    desk = desk_for(tmp_path, clock)
    assert issue(desk) == ["B-001"]
    clock.set(datetime(2031, 7, 1, 12, 0, tzinfo=BAKU))
    assert issue(desk) == ["B-001"]  # by that clock a new day began
    clock.set(at(10, 10, 0))  # corrected: the same real day goes on counting
    assert issue(desk, 2) == ["B-002", "B-003"]
    clock.set(at(11, 6, 0))  # and the next real day starts anew, not in 2031
    assert issue(desk) == ["B-001"]


def test_the_request_is_stamped_with_the_day_of_its_sequence(tmp_path, clock):
    desk = desk_for(tmp_path, clock)
    issue(desk)
    clock.set(EPOCH)
    issue(desk)
    days = [
        row["day"]
        for row in Database(tmp_path / "kiosk.db").query(
            "select day from helpdesk_outbox order by issued_at"
        )
    ]
    assert days == ["2026-03-10", "2026-03-10"]


def test_random_clock_jumps_never_repeat_a_number_within_a_day(tmp_path, clock):
    rng = random.Random(17)
    desk = desk_for(tmp_path, clock)
    seen: set[tuple[str, str]] = set()
    for step in range(300):
        jump = rng.choice(["minutes", "back", "forward", "epoch", "day"])
        if jump == "minutes":
            clock.advance(minutes=rng.randint(1, 90))
        elif jump == "back":
            clock.advance(hours=-rng.randint(1, 30))
        elif jump == "forward":
            clock.advance(hours=rng.randint(1, 30))
        elif jump == "epoch":
            clock.set(EPOCH + timedelta(minutes=step))
        else:
            clock.set(at(10, 9) + timedelta(days=rng.randint(0, 40)))
        ticket = desk.request(None, f"jump-{step}")
        day = (
            Database(tmp_path / "kiosk.db")
            .execute("select day from helpdesk_outbox where key = ?", [ticket.key])
            .fetchone()[0]
        )
        assert (day, ticket.number) not in seen, (step, day, ticket.number)
        seen.add((day, ticket.number))


def test_next_number_rules():
    d, later, early = date(2026, 3, 10), date(2026, 3, 11), date(2026, 2, 1)
    issued: dict[date | None, int] = {}

    def step(seq: Sequence, clock_day: date | None) -> Sequence:
        seq = next_number(seq, clock_day, lambda day: issued.get(day, 0))
        issued[seq.day] = seq.last
        return seq

    s = step(Sequence(), None)  # unset clock, first ticket ever
    assert (s.day, s.last, s.seen) == (None, 1, None)
    s = step(s, d)
    assert (s.day, s.last, s.seen) == (d, 2, d)
    s = step(s, d - timedelta(days=1))  # a small step back: continue, keep the mark
    assert (s.day, s.last, s.seen) == (d, 3, d)
    s = step(s, later)
    assert (s.day, s.last, s.seen) == (later, 1, later)
    s = step(s, early)  # a big step back: continue, lower the mark
    assert (s.day, s.last, s.seen) == (later, 2, early)
    s = step(s, later)  # the same day again by a wrong clock: go on from its numbers
    assert (s.day, s.last, s.seen) == (later, 3, later)
    assert plausible_day(EPOCH, 6) is None
    assert plausible_day(at(11, 5, 59), 6) == d


def test_an_upgraded_terminal_continues_its_old_daily_counter(tmp_path, clock):
    desk = desk_for(tmp_path, clock)
    issue(desk)
    desk.close()
    db = Database(tmp_path / "kiosk.db")
    # As the counter stood before this version: yesterday's and today's rows.
    db["helpdesk_sequence"].drop()
    db["helpdesk_counters"].upsert_all(
        [{"day": "2026-03-09", "last": 40}, {"day": "2026-03-10", "last": 14}], pk="day"
    )
    m002_sequence(db)
    db.close()
    assert issue(desk_for(tmp_path, clock)) == ["B-015"]
