"""A terminal's heartbeat, end to end on 127.0.0.1: a real hub, a real Terminal
with a fake printer, the real Heartbeat and requests transport with the key
the hub issued. The admin page and /metrics show what the terminal sent; usage
counts re-sent change nothing; a silent terminal turns "down"; a wrong key is
refused; no resident's name or phone gets into the heartbeat, the metrics or
the admin page."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime

import pytest
import requests

from kiosk.core.content import load_bundle
from kiosk.core.heartbeat import Heartbeat, PrinterState, app_version, terminal_status
from kiosk.core.helpdesk import FakeClock, HelpDesk, RequestsHubTransport
from kiosk.core.slips import FakePrinter, PrintStatus
from kiosk.core.terminal import NoNarration, Terminal
from kiosk.core.usage import UsageCounter, UsageEvent
from kiosk.paths import DEFAULT_CONTENT
from tests.fleet_support import FleetHub, metric
from tests.helpdesk_support import kiosk_settings, wait_for

START = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
NAME = "Gülnarə"
PHONE = "+994501234567"


class Recording:
    """The real transport, keeping a copy of every heartbeat body it sent."""

    def __init__(self, inner: RequestsHubTransport):
        self.inner = inner
        self.sent: list[dict] = []

    def send_heartbeat(self, payload: dict) -> None:
        self.sent.append(json.loads(json.dumps(payload)))
        self.inner.send_heartbeat(payload)


@pytest.fixture
def hub(tmp_path):
    h = FleetHub(tmp_path / "hub", START)
    yield h
    h.stop()


@pytest.fixture
def terminal(tmp_path, hub):
    key = hub.add_terminal("hall-1")
    settings = kiosk_settings(
        tmp_path,
        hub__url=hub.url,
        hub__terminal_key=key,
        hub__heartbeat_seconds=30,
        kiosk__terminal_id="hall-1",
    )
    bundle = load_bundle(DEFAULT_CONTENT)
    transport = RequestsHubTransport(hub.url, key, 5.0)
    desk = HelpDesk(settings, tmp_path / "kiosk.db", transport, hub.clock)
    t = Terminal(
        settings,
        bundle,
        bundle.sites["barda"],
        NoNarration(),
        printer=FakePrinter(PrintStatus.NO_PAPER),
        helpdesk=desk,
    )
    t.usage = UsageCounter(tmp_path / "usage.db", hub.clock.now)
    t.transport = Recording(transport)
    t.heartbeat = Heartbeat(settings, lambda: terminal_status(t), t.usage, t.transport, hub.clock)
    yield t
    t.heartbeat.stop()
    t.close()
    t.usage.close()


def test_the_admin_page_and_metrics_show_the_terminals_heartbeat(hub, terminal):
    terminal.record_fault("printer no_paper: fake printer: no_paper")
    terminal.heartbeat.start()  # the first heartbeat goes out at once, on its own thread
    wait_for(lambda: terminal.heartbeat.last_sent is not None, what="first heartbeat")

    values = hub.metrics()
    assert metric(values, "komek_terminals_alive") == 1
    assert metric(values, "komek_terminal_last_seen_seconds", terminal="hall-1") == 0
    assert metric(values, "komek_printer_ok", terminal="hall-1") == 0  # out of paper

    page = hub.admin().get(f"{hub.url}/admin/", timeout=5)
    assert page.status_code == 200
    html = page.text
    assert "hall-1" in html and "Alive" in html
    assert "No paper" in html
    assert f"<td class=num>{terminal.bundle.version}</td>" in html
    assert "fake printer: no_paper" in html  # the last fault
    assert app_version() in html

    # Paper back in: the next heartbeat says so, and the page follows.
    terminal.printer.state = PrintStatus.OK
    assert terminal.heartbeat.send_once()
    assert metric(hub.metrics(), "komek_printer_ok", terminal="hall-1") == 1


def test_the_status_comes_from_the_terminal(terminal):
    status = terminal_status(terminal)
    assert status["content_version"] == terminal.bundle.version
    assert status["printer"] == PrinterState.NO_PAPER.value
    assert status["last_error"] == ""
    terminal.record_fault("slip not rendered: boom")
    assert terminal_status(terminal)["last_error"] == "slip not rendered: boom"


def test_usage_counts_reach_the_metrics_once_however_often_they_are_sent(hub, terminal):
    for _ in range(3):
        terminal.usage.count(UsageEvent.OPENED, "id-card")
    terminal.usage.count(UsageEvent.PRINTED, "id-card")
    terminal.usage.count(UsageEvent.HELP, None)
    assert terminal.heartbeat.send_once()
    assert terminal.usage.unsent() == []  # the hub took them

    values = hub.metrics()
    assert metric(values, "komek_services_opened_total", service="id-card") == 3
    assert metric(values, "komek_slips_printed_total", service="id-card") == 1
    assert metric(values, "komek_help_requests_total", service="none") == 1

    # A heartbeat whose answer was lost is sent again with the same totals.
    resent = terminal.transport.sent[-1]
    terminal.transport.inner.send_heartbeat(resent)
    terminal.transport.inner.send_heartbeat(resent)
    assert metric(hub.metrics(), "komek_services_opened_total", service="id-card") == 3

    terminal.usage.count(UsageEvent.OPENED, "id-card")
    assert terminal.heartbeat.send_once()
    assert terminal.transport.sent[-1]["usage"] == [
        {
            "day": START.date().isoformat(),
            "service": "id-card",
            "opened": 4,
            "printed": 1,
            "help": 0,
            "finished": 0,
            "sessions": 0,
        }
    ]
    assert metric(hub.metrics(), "komek_services_opened_total", service="id-card") == 4

    page = hub.admin().get(f"{hub.url}/admin/", timeout=5).text
    assert "<td class=num>4</td><td class=num>1</td><td class=num>0</td>" in page


def test_a_terminal_that_stops_sending_is_shown_down(hub, terminal):
    assert terminal.heartbeat.send_once()
    admin = hub.admin()
    hub.clock.advance(seconds=3 * 30)  # three missed beats: still within the limit
    assert metric(hub.metrics(), "komek_terminals_alive") == 1
    hub.clock.advance(seconds=1)
    values = hub.metrics()
    assert metric(values, "komek_terminals_alive") == 0
    assert metric(values, "komek_terminal_last_seen_seconds", terminal="hall-1") == 91
    assert metric(values, "komek_printer_ok", terminal="hall-1") == 0
    html = admin.get(f"{hub.url}/admin/", timeout=5).text
    assert '<span class="badge down">Down</span>' in html
    assert "0 of 1" in html

    assert terminal.heartbeat.send_once()  # it is back
    assert metric(hub.metrics(), "komek_terminals_alive") == 1


def test_a_wrong_or_revoked_key_is_refused(hub, terminal, tmp_path):
    bad = Heartbeat(
        terminal.settings,
        lambda: terminal_status(terminal),
        None,
        RequestsHubTransport(hub.url, "kmk_not-a-key", 5.0),
        hub.clock,
    )
    assert not bad.send_once()  # logged, never raised
    assert "401" in bad.last_problem
    r = requests.post(f"{hub.url}/api/v1/terminal/heartbeat", json={}, timeout=5)
    assert r.status_code == 401
    hub.store.revoke_terminal("hall-1", hub.clock.now())
    assert not terminal.heartbeat.send_once()
    assert "401" in terminal.heartbeat.last_problem
    assert hub.store.heartbeats() == []  # nothing was stored from any of them


def test_an_unreachable_hub_is_retried_and_counts_are_kept(hub, terminal):
    terminal.usage.count(UsageEvent.OPENED, "id-card")
    down = Heartbeat(
        terminal.settings,
        lambda: terminal_status(terminal),
        terminal.usage,
        RequestsHubTransport("http://127.0.0.1:9", "kmk_x", 1.0),
        hub.clock,
    )
    assert not down.send_once()
    assert [r["opened"] for r in terminal.usage.unsent()] == [1]  # still waiting to go
    assert terminal.heartbeat.send_once()
    assert terminal.usage.unsent() == []


def test_no_name_or_phone_leaves_the_help_desk(hub, terminal):
    """Must survive: a resident's name and phone stay in the help queue only."""
    terminal.helpdesk.request("id-card", "session-1", first_name=NAME, phone=PHONE)
    terminal.usage.count(UsageEvent.HELP, "id-card")
    assert terminal.helpdesk.deliver_due() == 1
    stored = hub.store.queue("barda", hub.clock.now())
    assert stored[0]["first_name"] == NAME  # the hub really has them
    assert terminal.heartbeat.send_once()

    sent = json.dumps(terminal.transport.sent, ensure_ascii=False)
    page = hub.admin().get(f"{hub.url}/admin/", timeout=5).text
    metrics = hub.metrics_text()
    for text in (sent, page, metrics):
        assert NAME not in text
        assert PHONE not in text and PHONE[4:] not in text
    assert metric(hub.metrics(), "komek_requests_waiting", site="barda") == 1
    assert metric(hub.metrics(), "komek_help_requests_total", service="id-card") == 1


def test_a_terminal_booted_at_1970_keeps_its_heartbeat_and_counts(hub, terminal):
    """A board with no real-time clock starts at 1970 until network time comes.
    Must survive: its heartbeats (the admin page shows it up) and its counts, which
    go in once its clock is right, on the day it then reads."""
    boot = FakeClock(datetime(1970, 1, 1, 0, 0, 12, tzinfo=UTC))
    terminal.usage._now = boot.now
    terminal.heartbeat._clock = boot
    terminal.usage.count(UsageEvent.SESSIONS, None)
    terminal.usage.count(UsageEvent.OPENED, "id-card")
    assert terminal.heartbeat.send_once(), terminal.heartbeat.last_problem  # before: 422
    assert metric(hub.metrics(), "komek_terminals_alive") == 1
    assert terminal.transport.sent[-1]["usage"] == []  # no day the hub could file them on

    boot.set(START)  # network time: the clock is right
    terminal.usage.count(UsageEvent.OPENED, "id-card")
    assert terminal.heartbeat.send_once(), terminal.heartbeat.last_problem
    assert terminal.usage.unsent() == []
    day = START.date().isoformat()
    assert [
        (r["day"], r["service"], r["opened"], r["sessions"]) for r in hub.store.usage_rows()
    ] == [
        (day, "", 0, 1),
        (day, "id-card", 2, 0),
    ]


def test_a_heartbeat_from_the_future_is_unknown_not_alive(hub, terminal):
    """The hub's clock is set back an hour after a terminal's last beat: that beat is
    "in the future", so the page cannot tell alive from down and says why, in each
    language; the metrics do not count it alive. Its next beat puts it right."""
    assert terminal.heartbeat.send_once()
    admin = hub.admin()
    hub.clock.advance(hours=-1)
    assert metric(hub.metrics(), "komek_terminals_alive") == 0
    words = {
        "en": ("Unknown", "last heartbeat 1 h 0 min ahead of the hub's clock"),
        "az": ("Bilinmir", "son siqnal hubun saatından 1 saat 0 dəq irəlidədir"),
        "ru": ("Неизвестно", "последний сигнал на 1 ч 0 мин впереди часов хаба"),
    }
    for lang, (state, why) in words.items():
        page = admin.get(f"{hub.url}/admin/", cookies={"komek_lang": lang}, timeout=5).text
        assert f'<span class="badge unknown">{state}</span>' in page, lang
        assert why in html.unescape(page), lang
        assert "badge alive" not in page
    assert terminal.heartbeat.send_once()  # heard again: alive by the corrected clock
    assert metric(hub.metrics(), "komek_terminals_alive") == 1
