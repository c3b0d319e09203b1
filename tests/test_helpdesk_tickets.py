"""Ticket numbers: the terminal's letter and a daily counter (B-014) that restarts
at the configured hour, keeps counting across restarts, works with no hub, and
gives one ticket per resident session however often the button is pressed."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.core.helpdesk import FakeClock, FakeHubTransport, HelpDesk, NoHubTransport
from kiosk.core.helpdesk.outbox import Outbox
from kiosk.core.helpdesk.tickets import format_ticket, ticket_day
from tests.helpdesk_support import kiosk_settings

BAKU = timezone(timedelta(hours=4))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 10, 9, 30, tzinfo=BAKU))


def desk_for(tmp_path: Path, clock: FakeClock, transport=None, **settings) -> HelpDesk:
    return HelpDesk(
        kiosk_settings(tmp_path, **settings),
        tmp_path / "kiosk.db",
        transport or FakeHubTransport(),
        clock,
    )


def test_numbers_are_the_terminal_letter_and_a_counter(tmp_path, clock):
    desk = desk_for(tmp_path, clock)
    numbers = [desk.request("id-card", f"s{i}").number for i in range(3)]
    assert numbers == ["B-001", "B-002", "B-003"]


def test_the_counter_restarts_at_the_configured_hour(tmp_path, clock):
    desk = desk_for(tmp_path, clock, helpdesk__day_starts_hour=6)
    assert desk.request(None, "a").number == "B-001"
    clock.set(datetime(2026, 3, 11, 5, 59, tzinfo=BAKU))  # still yesterday's ticket day
    assert desk.request(None, "b").number == "B-002"
    clock.set(datetime(2026, 3, 11, 6, 0, tzinfo=BAKU))
    assert desk.request(None, "c").number == "B-001"


def test_ticket_day_uses_local_time():
    late = datetime(2026, 3, 11, 1, 0, tzinfo=BAKU)
    assert ticket_day(late, 6) == datetime(2026, 3, 10).date()
    assert ticket_day(late, 0) == datetime(2026, 3, 11).date()


def test_a_restart_continues_the_count(tmp_path, clock):
    desk_for(tmp_path, clock).request(None, "a")
    desk_for(tmp_path, clock).request(None, "b")
    assert desk_for(tmp_path, clock).request(None, "c").number == "B-003"


def test_one_ticket_per_resident_session(tmp_path, clock):
    desk = desk_for(tmp_path, clock)
    presses = [desk.request("id-card", "child-at-the-screen") for _ in range(50)]
    assert {t.number for t in presses} == {"B-001"}
    assert len({t.key for t in presses}) == 1
    assert desk.pending_count() == 1
    assert desk.request("id-card", "next-resident").number == "B-002"
    assert desk.ticket_for_session("child-at-the-screen") == presses[0]


def test_tickets_are_issued_with_no_hub_at_all(tmp_path, clock):
    desk = desk_for(tmp_path, clock, transport=NoHubTransport())
    ticket = desk.request("id-card", "a")
    assert ticket.number == "B-001"
    assert desk.deliver_due() == 0 and desk.pending_count() == 1


def test_issuing_a_ticket_never_touches_the_network(tmp_path, clock):
    hub = FakeHubTransport()
    desk = desk_for(tmp_path, clock, transport=hub)
    desk.request("id-card", "a")
    assert hub.sends == 0  # delivery is the worker's job, later


def test_the_request_is_in_the_outbox_before_the_ticket_is_returned(tmp_path, clock):
    ticket = desk_for(tmp_path, clock).request("id-card", "a", "Aysel", "050 123-45-67")
    # A second reader of the database, as after a power cut, already sees it.
    stored = Outbox(tmp_path / "kiosk.db").get(ticket.key)
    assert (stored.number, stored.first_name, stored.phone) == ("B-001", "Aysel", "0501234567")
    assert stored.topic_service_id == "id-card"
    assert stored.issued_at == clock.now()


def test_the_ticket_carries_no_name_or_phone(tmp_path, clock):
    ticket = desk_for(tmp_path, clock).request("id-card", "a", "Aysel", "0501234567")
    values = [str(v) for v in dataclasses.asdict(ticket).values()]
    assert not any("Aysel" in v or "0501234567" in v for v in values)


def test_a_session_is_required(tmp_path, clock):
    with pytest.raises(ValueError):
        desk_for(tmp_path, clock).request("id-card", "")


def test_two_terminals_number_independently(tmp_path, clock):
    a = HelpDesk(kiosk_settings(tmp_path, "A"), tmp_path / "a.db", FakeHubTransport(), clock)
    b = HelpDesk(kiosk_settings(tmp_path, "C"), tmp_path / "c.db", FakeHubTransport(), clock)
    assert [a.request(None, "x").number, b.request(None, "x").number] == ["A-001", "C-001"]


def test_format_grows_past_999():
    assert format_ticket("B", 14) == "B-014"
    assert format_ticket("B", 1000) == "B-1000"


def test_undelivered_names_and_phones_are_forgotten_after_a_week(tmp_path, clock):
    desk = desk_for(tmp_path, clock, transport=NoHubTransport())
    old = desk.request("id-card", "a", "Aysel", "0501234567")
    clock.advance(days=6)
    recent = desk.request("id-card", "b", "Rəşad", "0551112233")
    clock.advance(days=1, minutes=1)
    desk.deliver_due()
    outbox = Outbox(tmp_path / "kiosk.db")
    assert (outbox.get(old.key).first_name, outbox.get(old.key).phone) == ("", "")
    assert outbox.get(recent.key).first_name == "Rəşad"
    assert desk.pending_count() == 2  # the requests themselves still go to the hub


def test_ticket_days_follow_the_sites_time_zone_not_the_machines(tmp_path):
    """A terminal whose clock is set to UTC: its ticket day still starts at 06:00 in
    Baku (02:00 UTC), not at 06:00 UTC (10:00 in Baku, mid-morning)."""
    clock = FakeClock(datetime(2026, 12, 7, 1, 30, tzinfo=UTC))  # 05:30 in Baku
    desk = desk_for(tmp_path, clock, helpdesk__day_starts_hour=6)
    assert desk.request(None, "before-six").number == "B-001"
    clock.set(datetime(2026, 12, 7, 2, 30, tzinfo=UTC))  # 06:30 in Baku: a new day
    assert desk.request(None, "after-six").number == "B-001"  # before: B-002 until 10:00
    clock.set(datetime(2026, 12, 7, 6, 30, tzinfo=UTC))  # 10:30 in Baku: same day
    assert desk.request(None, "mid-morning").number == "B-002"
    # A site that does keep UTC says so, and its day starts at 06:00 UTC.
    clock = FakeClock(clock.now())
    other = desk_for(tmp_path / "utc", clock, helpdesk__time_zone="UTC")
    assert other.request(None, "a").number == "B-001"  # the day that began at 06:00 UTC
    clock.set(datetime(2026, 12, 8, 5, 59, tzinfo=UTC))
    assert other.request(None, "b").number == "B-002"
    clock.set(datetime(2026, 12, 8, 6, 0, tzinfo=UTC))
    assert other.request(None, "c").number == "B-001"


def test_a_terminal_with_an_unknown_time_zone_is_refused_by_name(tmp_path):
    from kiosk.core.settings import SettingsError

    with pytest.raises(SettingsError, match="helpdesk.time_zone: unknown time zone 'Asia/Bakuu'"):
        kiosk_settings(tmp_path, helpdesk__time_zone="Asia/Bakuu")
