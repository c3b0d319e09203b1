"""A terminal whose disk is full still starts: residents are sent to a person
instead of getting a ticket that could be lost, the help desk keeps trying to
open its outbox, and takes requests again (and delivers old ones) once there is
room. The hub's Retry-After is obeyed only up to the terminal's own limit.

The full disk is real: the kernel refuses to let this process grow any file
(RLIMIT_FSIZE 0), so SQLite fails the way it does on a full card.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kiosk.core.helpdesk import (
    FakeClock,
    FakeHubTransport,
    HelpDesk,
    HelpDeskUnavailable,
    HubRejected,
)
from kiosk.core.terminal import Terminal, load_terminal_content
from tests.fakes import RecordingNarrator
from tests.helpdesk_support import full_disk, kiosk_settings, wait_for

BAKU = timezone(timedelta(hours=4))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 10, 9, 30, tzinfo=BAKU))


def test_a_help_desk_started_on_a_full_disk_refuses_clearly_and_recovers(tmp_path, clock):
    hub = FakeHubTransport()
    settings = kiosk_settings(tmp_path)
    with full_disk():
        desk = HelpDesk(settings, tmp_path / "kiosk.db", hub, clock, retry_max_seconds=0.05)
        ready = desk.ready()
        with pytest.raises(HelpDeskUnavailable) as refused:
            desk.request("id-card", "resident-1")
        desk.start()  # the worker keeps trying to open the outbox
        counts = (desk.pending_count(), desk.ticket_for_session("resident-1"))
    try:
        assert not ready
        assert "cannot be stored" in str(refused.value) and desk.problem
        assert counts == (0, None)
        ticket = desk.request("id-card", "resident-1")  # room again: the next press works
        assert ticket.number == "B-001"
        assert desk.ready() and desk.problem == ""
        wait_for(lambda: ticket.key in hub.stored, what="delivery after the disk had room")
    finally:
        desk.close()


def test_requests_stored_before_the_disk_filled_are_delivered_once_it_has_room(tmp_path, clock):
    settings = kiosk_settings(tmp_path)
    before = HelpDesk(settings, tmp_path / "kiosk.db", FakeHubTransport(), clock)
    waiting = before.request(None, "resident-1")
    before.close()
    hub = FakeHubTransport()
    with full_disk():
        desk = HelpDesk(settings, tmp_path / "kiosk.db", hub, clock, retry_max_seconds=0.05)
        desk.start()
        opened_on_full_disk = desk.ready()
    try:
        if not opened_on_full_disk:  # SQLite may open an existing file without writing
            assert desk.problem
        wait_for(lambda: waiting.key in hub.stored, what="the old request delivered")
        assert desk.request(None, "resident-2").number == "B-002"
    finally:
        desk.close()


def test_a_terminal_on_a_full_disk_sends_residents_to_a_person_not_to_a_traceback(
    tmp_path, settings
):
    from kiosk.core.helpdesk import HelpDesk as Desk

    bundle, site = load_terminal_content(settings)
    data = settings.path("kiosk.data_dir")

    def connect(terminal: Terminal) -> None:
        terminal.helpdesk = Desk(settings, data / "kiosk.db", FakeHubTransport())
        from kiosk.core.usage import UsageCounter

        terminal.usage = UsageCounter.in_data_dir(data)  # fails on the full disk

    terminal = Terminal(settings, bundle, site, RecordingNarrator(), connect=connect)
    try:
        with full_disk():
            terminal.start()  # must not raise
            available = terminal.help_available()
            with pytest.raises(HelpDeskUnavailable):
                terminal.request_help("id-card", "resident-1", "")
        assert not available
        assert any("did not start" in f for f in terminal.faults)
        # Room again: the same terminal, without a restart, gives tickets.
        assert terminal.help_available()
        assert terminal.request_help("id-card", "resident-2", "").endswith("-001")
    finally:
        terminal.close()


def test_the_terminal_caps_the_retry_after_it_obeys(tmp_path, clock):
    hub = FakeHubTransport()
    # A hub whose clock stepped back an hour asks for nearly an hour.
    hub.reject = HubRejected(429, "too many requests", retry_after=3590)
    desk = HelpDesk(kiosk_settings(tmp_path), tmp_path / "kiosk.db", hub, clock)
    try:
        desk.request(None, "resident-1")
        assert desk.deliver_due() == 0
        assert desk.seconds_until_retry() <= 60  # retry_max_seconds, the default
        hub.reject = HubRejected(429, "too many requests", retry_after=0)
        desk.deliver_due()
        assert desk.seconds_until_retry() > 0  # "0" is not an invitation to hammer
        hub.reject = None
        assert desk.deliver_due() == 1  # nothing was lost meanwhile
    finally:
        desk.close()


@pytest.mark.ui
def test_call_a_helper_on_a_full_disk_says_go_to_a_person_at_once(ui, tmp_path):
    terminal = ui.app.terminal
    kept = terminal.helpdesk
    ui.app.begin()
    ui.app.choose_language("az")
    ui.app.open_service("social-assistance")
    try:
        with full_disk():
            terminal.helpdesk = HelpDesk(
                terminal.settings, tmp_path / "new-card" / "kiosk.db", FakeHubTransport()
            )
            ui.app.call_helper()
        screen = ui.app.sm.get_screen("help")
        assert ui.current == "help" and screen.failed
        assert screen.ids.words.text == terminal.bundle.string("help.failed", "az")
        assert screen.ids.ticket.hidden  # no ticket button that would fail later
        assert ui.app.resident.ticket is None
    finally:
        terminal.helpdesk.close()
        terminal.helpdesk = kept
