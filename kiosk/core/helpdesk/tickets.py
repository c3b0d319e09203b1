"""Ticket numbers: the terminal's letter and a daily counter (B-014) that never
repeats a number within a ticket day, whatever the terminal's clock does.

Where the day comes from: the terminal's own clock, in local time, with the day
starting at helpdesk.day_starts_hour (a centre open past midnight keeps one
sequence). Counting is local, so tickets are issued while the hub is
unreachable. The clock is not trusted to move forward, so the counter keeps a
high-water mark, the latest ticket day the clock has shown:

- A new sequence (B-001) starts only when the clock shows a ticket day later
  than every day it showed before.
- A clock that goes back (a correction across the day start, a clock that was
  ahead) continues the current sequence and its day: no number comes twice.
- A clock before EARLIEST_PLAUSIBLE_DAY (a board that boots at 1970 before
  network time) is not believed at all: the current sequence continues, and
  the first believable reading after it continues it too, since those tickets
  were really issued today.
- A clock that goes back by more than a day means the earlier readings were
  wrong (a clock that was years ahead): the sequence continues, and the mark
  is lowered to the new reading, so the next day start the clock shows starts a
  new sequence instead of waiting for the wrong date to come round.
- Every ticket day keeps its last number, and a sequence that starts for a day
  that already had one goes on from it: a (day, number) pair is never issued
  twice. The request is stamped with its sequence's day, not the clock's.

Never reads the system clock itself; `next_number` is pure and tested alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# No Kömək terminal issued a ticket before this; an earlier clock is unset.
EARLIEST_PLAUSIBLE_DAY = date(2025, 1, 1)


def ticket_day(when: datetime, day_starts_hour: int) -> date:
    """The ticket day `when` belongs to: before the start hour counts as the day before."""
    return (when - timedelta(hours=day_starts_hour)).date()


def plausible_day(when: datetime, day_starts_hour: int) -> date | None:
    """The ticket day by the clock, or None when the clock cannot be right."""
    day = ticket_day(when, day_starts_hour)
    return day if day >= EARLIEST_PLAUSIBLE_DAY else None


@dataclass(frozen=True)
class Sequence:
    """The counter's state, kept in the terminal's database.

    `day` is the ticket day the current numbers belong to (stamped on each
    request); `seen` is the latest believable day the clock has shown.
    """

    day: date | None = None
    last: int = 0
    seen: date | None = None


def next_number(
    seq: Sequence, clock_day: date | None, last_on: Callable[[date | None], int]
) -> Sequence:
    """The state after issuing one more ticket; its number is the result's `last`.

    `clock_day` is `plausible_day(now)`: None while the clock is not believable.
    `last_on(day)` is the last number issued for that ticket day (0 if none): a
    new sequence for a day that already had one goes on from it, so a number is
    never issued twice for one day, even if a wrong clock shows that day twice.
    """
    fresh = False
    if clock_day is None:
        day, seen = seq.day, seq.seen
    elif seq.seen is None:
        # The first believable reading: tickets issued before it (clock unset) were today's.
        day, seen = clock_day, clock_day
    elif clock_day > seq.seen:
        day, seen, fresh = clock_day, clock_day, True
    elif clock_day < seq.seen - timedelta(days=1):
        day, seen = seq.day, clock_day
    else:
        day, seen = seq.day, seq.seen
    base = last_on(day) if fresh else max(last_on(day), seq.last)
    return Sequence(day, base + 1, seen)


def format_ticket(letter: str, counter: int) -> str:
    """B-014; past 999 the number simply grows (B-1000)."""
    return f"{letter}-{counter:03d}"
