"""Every ticket reaches the queue and is unique among those open at its site,
whatever the terminal's clock did or its data folder forgot: real terminal help
desks (their own SQLite outbox and counter, a fake clock moved by hand) deliver
over HTTP to a real hub, and the console's API is read as a volunteer reads it.

Decision (the resident holds a printed slip): the hub never refuses a ticket for
its number; a number already open at the site gets the next free one of its
letter, the hub keeps the printed one beside it for the volunteer (the console
shows "slip: B-001"), and the terminal takes the hub's number for the screen
and the queue status, and counts on above it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import requests

from kiosk.core.helpdesk import FakeClock, HelpDesk
from kiosk.core.helpdesk.transport import RequestsHubTransport
from tests.helpdesk_support import kiosk_settings
from tests.test_hub_abuse import START, LiveHub
from tests.test_hub_api import PASSWORD

SESSIONS = itertools.count()


@pytest.fixture
def hub(tmp_path):
    h = LiveHub(tmp_path, requests_per_minute=600)
    yield h
    h.stop()


def desk(tmp_path, hub: LiveHub, clock: FakeClock, folder: str = "kiosk") -> HelpDesk:
    settings = kiosk_settings(tmp_path / folder, helpdesk__day_starts_hour=6)
    return HelpDesk(
        settings,
        tmp_path / folder / "kiosk.db",
        RequestsHubTransport(hub.url, hub.key, 10),
        clock,
        retry_max_seconds=1,
    )


def issue(d: HelpDesk, n: int = 1) -> list[str]:
    return [d.request(None, f"resident-{next(SESSIONS)}").number for _ in range(n)]


def console_queue(hub: LiveHub) -> list[dict]:
    s = requests.Session()
    token = s.get(f"{hub.url}/api/v1/console/me", timeout=10).json()["csrf_token"]
    r = s.post(
        f"{hub.url}/api/v1/console/login",
        json={"name": "aysel", "password": PASSWORD},
        headers={"X-CSRF-Token": token},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    return s.get(f"{hub.url}/api/v1/console/queue", timeout=10).json()["requests"]


def open_numbers(hub: LiveHub) -> list[str]:
    return [r["ticket"] for r in console_queue(hub) if r["status"] == "waiting"]


def test_a_ticket_issued_while_the_clock_reads_1970_reaches_the_queue(tmp_path, hub):
    clock = FakeClock(datetime(1970, 1, 1, 0, 0, 12, tzinfo=UTC))  # before network time
    d = desk(tmp_path, hub, clock)
    try:
        [number] = issue(d)
        d.deliver_due()
        clock.set(START + timedelta(minutes=5))  # network time arrives
        d.deliver_due()
        [row] = console_queue(hub)
        assert row["ticket"] == number and row["status"] == "waiting"
        assert d.pending_count() == 0
    finally:
        d.close()


def test_a_clock_forward_then_back_never_repeats_a_waiting_number(tmp_path, hub):
    clock = FakeClock(START + timedelta(days=2))  # days ahead
    d = desk(tmp_path, hub, clock)
    try:
        issue(d, 3)
        d.deliver_due()
        clock.set(START)  # corrected
        issue(d, 3)
        d.deliver_due()
        # The terminal's next day starts while those are still open at the hub.
        clock.set(START + timedelta(days=1))
        issue(d, 3)
        assert d.deliver_due() == 3
        numbers = open_numbers(hub)
        assert len(numbers) == 9 and len(set(numbers)) == 9, numbers
    finally:
        d.close()


def test_a_wiped_terminal_never_repeats_a_waiting_number(tmp_path, hub):
    clock = FakeClock(START)
    first = desk(tmp_path, hub, clock)
    assert issue(first, 3) == ["B-001", "B-002", "B-003"]
    assert first.deliver_due() == 3
    first.close()
    # The data folder is wiped mid-day: the same terminal starts again at B-001.
    again = desk(tmp_path, hub, clock, folder="wiped")
    try:
        sessions = [f"after-wipe-{i}" for i in range(2)]
        printed = [again.request(None, s).number for s in sessions]
        assert printed == ["B-001", "B-002"]
        assert again.deliver_due() == 2
        numbers = open_numbers(hub)
        assert len(numbers) == 5 and len(set(numbers)) == 5, numbers
        # The terminal shows the hub's numbers, and counts on above them.
        shown = [again.ticket_for_session(s).number for s in sessions]
        assert shown == ["B-004", "B-005"]
        assert issue(again) == ["B-006"]
        rows = {r["ticket"]: r for r in console_queue(hub)}
        assert rows["B-004"]["printed_ticket"] == "B-001"  # what the resident's slip says
        assert rows["B-001"]["printed_ticket"] == ""
    finally:
        again.close()


def test_the_console_shows_the_day_of_a_ticket_from_another_day(tmp_path, hub):
    clock = FakeClock(START - timedelta(days=1))  # a terminal whose clock is a day behind
    d = desk(tmp_path, hub, clock)
    try:
        issue(d)
        clock.set(START)
        issue(d)
        assert d.deliver_due() == 2
        rows = console_queue(hub)
        days = {r["day"]: r["other_day"] for r in rows}
        today = START.astimezone().date()
        assert days == {(today - timedelta(days=1)).isoformat(): True, today.isoformat(): False}
    finally:
        d.close()


def test_a_hub_clock_set_back_keeps_the_queue_in_arrival_order(tmp_path, hub):
    """Network time corrects the hub (and the terminal) 20 minutes back while two
    residents wait: the one who comes next is queued after them, not before."""
    hub.clock.set(START + timedelta(minutes=30))
    clock = FakeClock(START + timedelta(minutes=30))
    d = desk(tmp_path, hub, clock)
    try:
        first = issue(d, 2)
        d.deliver_due()
        hub.clock.set(START + timedelta(minutes=10))
        clock.set(START + timedelta(minutes=10))
        later = issue(d)
        d.deliver_due()
        assert open_numbers(hub) == first + later  # before: the latest came first
        called = hub.store.oldest_waiting("barda")
        assert [r["ticket"] for r in console_queue(hub) if r["id"] == called] == first[:1]
    finally:
        d.close()
