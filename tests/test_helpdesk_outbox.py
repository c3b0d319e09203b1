"""Help requests reach the hub exactly once: through hub restarts, network errors,
lost answers, duplicate sends and a power cut on the terminal.

The hub is real (uvicorn on 127.0.0.1). What must survive each failure: the
request itself (it is in the terminal's outbox) and the hub's one-row-per-request.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.helpdesk import (
    Delivery,
    HelpDesk,
    HubRejected,
    HubUnavailable,
    NoHubTransport,
    RequestsHubTransport,
    RequestStatus,
)
from kiosk.core.helpdesk.outbox import Outbox
from tests.helpdesk_support import RunningHub, kiosk_settings, wait_for


@pytest.fixture
def hub(tmp_path: Path):
    running = RunningHub(tmp_path / "hub")
    store = running.store()
    running.key = store.add_terminal("hall-1", "barda", _now())
    store.close()
    yield running
    running.stop()


def _now():
    from kiosk.core.helpdesk.clock import SystemClock

    return SystemClock().now()


def make_desk(tmp_path: Path, hub: RunningHub, transport=None) -> HelpDesk:
    return HelpDesk(
        kiosk_settings(tmp_path),
        tmp_path / "kiosk" / "kiosk.db",
        transport or RequestsHubTransport(hub.url, hub.key, timeout=2),
        retry_base_seconds=0.05,
        retry_max_seconds=0.2,
    )


def test_a_request_reaches_the_hub_once_with_topic_name_and_phone(tmp_path, hub):
    hub.start()
    desk = make_desk(tmp_path, hub)
    desk.start()
    try:
        ticket = desk.request("id-card", "session-1", "Aysel", "0501234567")
        wait_for(lambda: desk.delivered(ticket), what="delivery")
    finally:
        desk.stop()
    rows = hub.stored_requests()
    assert [(r["idem_key"], r["ticket"], r["topic_service_id"]) for r in rows] == [
        (ticket.key, ticket.number, "id-card")
    ]
    assert rows[0]["first_name"] == "Aysel" and rows[0]["phone"] == "0501234567"
    assert rows[0]["terminal"] == "hall-1" and rows[0]["status"] == RequestStatus.WAITING


def test_a_ticket_issued_while_the_hub_is_down_arrives_when_it_starts(tmp_path, hub):
    desk = make_desk(tmp_path, hub)
    desk.start()
    try:
        ticket = desk.request("social-assistance", "session-1")
        # The hub is not running: the worker fails and backs off, the ticket waits.
        outbox = Outbox(tmp_path / "kiosk" / "kiosk.db")
        wait_for(lambda: outbox.get(ticket.key).attempts >= 2, what="failed attempts")
        assert not desk.delivered(ticket)
        hub.start()
        wait_for(lambda: desk.delivered(ticket), what="delivery after the hub came up")
    finally:
        desk.stop()
    assert [r["idem_key"] for r in hub.stored_requests()] == [ticket.key]


def test_requests_survive_a_hub_restart_and_each_is_stored_once(tmp_path, hub):
    hub.start()
    desk = make_desk(tmp_path, hub)
    desk.start()
    try:
        first = desk.request("id-card", "session-1")
        wait_for(lambda: desk.delivered(first))
        hub.stop()
        second = desk.request("utility-payments", "session-2")
        third = desk.request(None, "session-3")
        hub.start()
        wait_for(lambda: desk.delivered(second) and desk.delivered(third))
    finally:
        desk.stop()
    keys = [r["idem_key"] for r in hub.stored_requests()]
    assert sorted(keys) == sorted([first.key, second.key, third.key])
    assert [r["ticket"] for r in hub.stored_requests()] == ["B-001", "B-002", "B-003"]


class LosesFirstAnswers:
    """The hub stores the request, but the answer is lost on the way back."""

    def __init__(self, real: RequestsHubTransport, lose: int):
        self.real = real
        self.lose = lose
        self.sends = 0

    def send_request(self, payload, idempotency_key):
        self.sends += 1
        self.real.send_request(payload, idempotency_key)
        if self.lose > 0:
            self.lose -= 1
            raise HubUnavailable("connection reset after the hub answered")

    def fetch_status(self, idempotency_key):
        return self.real.fetch_status(idempotency_key)


def test_a_lost_answer_makes_a_resend_that_the_hub_stores_once(tmp_path, hub):
    hub.start()
    transport = LosesFirstAnswers(RequestsHubTransport(hub.url, hub.key, timeout=2), lose=3)
    desk = make_desk(tmp_path, hub, transport)
    desk.start()
    try:
        ticket = desk.request("id-card", "session-1")
        wait_for(lambda: desk.delivered(ticket))
    finally:
        desk.stop()
    assert transport.sends == 4
    assert [r["idem_key"] for r in hub.stored_requests()] == [ticket.key]


def test_duplicate_sends_of_one_key_are_stored_once(tmp_path, hub):
    hub.start()
    transport = RequestsHubTransport(hub.url, hub.key, timeout=2)
    desk = make_desk(tmp_path, hub, transport)
    ticket = desk.request("id-card", "session-1", "Aysel")
    item = Outbox(tmp_path / "kiosk" / "kiosk.db").get(ticket.key)
    for _ in range(5):
        transport.send_request(item.payload(), item.key)
    assert desk.deliver_due() == 1
    assert len(hub.stored_requests()) == 1


def test_a_power_cut_after_the_ticket_loses_nothing(tmp_path, hub):
    # The first desk issues a ticket and dies before its worker ever ran.
    before = make_desk(tmp_path, hub)
    ticket = before.request("asan-imza", "session-1", "Rəşad", "0551112233")
    del before  # no stop(), no close(): the process is gone
    hub.start()
    after = make_desk(tmp_path, hub)
    after.start()
    try:
        wait_for(lambda: after.delivered(ticket), what="delivery after restart")
    finally:
        after.stop()
    rows = hub.stored_requests()
    assert [(r["ticket"], r["first_name"], r["phone"]) for r in rows] == [
        (ticket.number, "Rəşad", "0551112233")
    ]


def test_the_terminal_forgets_name_and_phone_once_the_hub_has_them(tmp_path, hub):
    hub.start()
    desk = make_desk(tmp_path, hub)
    ticket = desk.request("id-card", "session-1", "Aysel", "0501234567")
    waiting = Outbox(tmp_path / "kiosk" / "kiosk.db").get(ticket.key)
    assert (waiting.first_name, waiting.phone) == ("Aysel", "0501234567")
    desk.deliver_due()
    sent = Outbox(tmp_path / "kiosk" / "kiosk.db").get(ticket.key)
    assert sent.delivery is Delivery.DELIVERED
    assert (sent.first_name, sent.phone) == ("", "")


def test_a_revoked_key_keeps_requests_in_the_outbox(tmp_path, hub):
    hub.start()
    store = hub.store()
    store.revoke_terminal("hall-1", _now())
    store.close()
    desk = make_desk(tmp_path, hub)
    ticket = desk.request("id-card", "session-1")
    assert desk.deliver_due() == 0
    assert not desk.delivered(ticket) and desk.pending_count() == 1
    assert hub.stored_requests() == []


def test_queue_status_comes_from_the_hub(tmp_path, hub):
    hub.start()
    desk = make_desk(tmp_path, hub)
    first = desk.request("id-card", "session-1")
    second = desk.request("id-card", "session-2")
    assert desk.queue_status(second) is None  # not delivered yet: nothing to ask
    desk.deliver_due()
    status = desk.queue_status(second)
    assert status.status is RequestStatus.WAITING and status.people_ahead == 1
    assert status.wait_minutes > 0
    assert desk.queue_status(first).people_ahead == 0
    hub.stop()
    assert desk.queue_status(second) is None  # hub gone: the UI shows no estimate


class RefusesOne:
    """A hub that refuses one particular request as invalid, and takes the rest."""

    def __init__(self, real: RequestsHubTransport, bad_ticket: str):
        self.real = real
        self.bad_ticket = bad_ticket

    def send_request(self, payload, idempotency_key):
        if payload["ticket"] == self.bad_ticket:
            raise HubRejected(422, "unreadable request")
        self.real.send_request(payload, idempotency_key)

    def fetch_status(self, idempotency_key):
        return self.real.fetch_status(idempotency_key)


def test_one_refused_request_does_not_hold_up_the_others(tmp_path, hub):
    hub.start()
    transport = RefusesOne(RequestsHubTransport(hub.url, hub.key, timeout=2), "B-001")
    desk = make_desk(tmp_path, hub, transport)
    refused = desk.request("id-card", "session-1")
    fine = desk.request("id-card", "session-2")
    assert desk.deliver_due() == 1
    assert desk.delivered(fine) and not desk.delivered(refused)
    assert desk.pending_count() == 1  # kept, to try again later


def test_a_hub_gone_for_days_keeps_the_worker_backing_off(tmp_path):
    desk = HelpDesk(kiosk_settings(tmp_path), tmp_path / "kiosk.db", NoHubTransport())
    desk.request("id-card", "a")
    for _ in range(1100):  # more failed passes than a float's exponent allows doubling
        assert desk.deliver_due() == 0
    assert desk.pending_count() == 1
