"""Ticket numbers: the terminal's letter and a daily counter (B-014).

The "day" starts at helpdesk.day_starts_hour local time, so a centre open past
midnight keeps one sequence. Counting is local, so tickets are issued while the
hub is unreachable. Never reads the system clock itself.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta


def ticket_day(when: datetime, day_starts_hour: int) -> date:
    """The ticket day `when` belongs to: before the start hour counts as the day before."""
    return (when - timedelta(hours=day_starts_hour)).date()


def format_ticket(letter: str, counter: int) -> str:
    """B-014; past 999 the number simply grows (B-1000)."""
    return f"{letter}-{counter:03d}"
