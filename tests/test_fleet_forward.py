"""A district hub forwards its terminals' status and usage counts to a central
hub on 127.0.0.1, with its own key there; the central admin page and metrics
show the terminal as "<hub>/<terminal>", re-forwarding changes no count, a
terminal that went quiet behind a live hub is shown down, and a wrong hub key
is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests

from kiosk.core.heartbeat import Heartbeat
from kiosk.core.helpdesk import RequestsHubTransport
from kiosk.core.usage import UsageCounter, UsageEvent
from tests.fleet_support import FleetHub, metric
from tests.helpdesk_support import kiosk_settings, wait_for

START = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def status() -> dict:
    return {"site": "barda", "content_version": 42, "printer": "ok", "last_error": ""}


@pytest.fixture
def hubs(tmp_path):
    central = FleetHub(tmp_path / "central", START)
    key = central.add_terminal("district-barda", site="barda")
    district = FleetHub(
        tmp_path / "district",
        START,
        central_url=central.url,
        central_key=key,
        forward_seconds=3600,  # the test forwards by hand after the first, automatic one
    )
    yield central, district
    district.stop()
    central.stop()


def beat(district: FleetHub, tmp_path, usage: UsageCounter | None = None) -> Heartbeat:
    key = district.add_terminal("hall-1")
    settings = kiosk_settings(tmp_path, hub__url=district.url, hub__terminal_key=key)
    transport = RequestsHubTransport(district.url, key, 5.0)
    return Heartbeat(settings, status, usage, transport, district.clock)


def test_the_central_hub_shows_every_districts_terminals(hubs, tmp_path):
    central, district = hubs
    usage = UsageCounter(tmp_path / "usage.db", district.clock.now)
    usage.count(UsageEvent.OPENED, "pension")
    usage.count(UsageEvent.PRINTED, "pension")
    assert beat(district, tmp_path, usage).send_once()

    forwarder = district.app.state.forwarder
    assert forwarder is not None
    assert forwarder.send_once(), forwarder.last_problem

    values = central.metrics()
    assert metric(values, "komek_terminals_alive") == 1
    assert metric(values, "komek_printer_ok", terminal="district-barda/hall-1") == 1
    assert metric(values, "komek_services_opened_total", service="pension") == 1
    assert metric(values, "komek_slips_printed_total", service="pension") == 1

    page = central.admin(site="ganja").get(f"{central.url}/admin/", timeout=5).text
    assert "district-barda/hall-1" in page
    assert "<td class=num>42</td>" in page
    # The forwarding key is a hub, not a terminal that never reported.
    assert "Never seen" not in page

    # Forwarded again (as after a lost answer): the same totals, not double.
    assert forwarder.send_once()
    forwarder._changed_since = None  # and again from scratch, as after a hub restart
    assert forwarder.send_once()
    assert metric(central.metrics(), "komek_services_opened_total", service="pension") == 1
    usage.close()


def test_a_quiet_terminal_behind_a_live_hub_is_shown_down(hubs, tmp_path):
    central, district = hubs
    assert beat(district, tmp_path).send_once()
    district.clock.advance(minutes=10)  # the terminal stopped; the district hub did not
    assert district.app.state.forwarder.send_once()
    values = central.metrics()
    assert metric(values, "komek_terminals_alive") == 0
    assert (
        metric(values, "komek_terminal_last_seen_seconds", terminal="district-barda/hall-1") == 600
    )


def test_volunteers_see_their_own_sites_terminals_admins_all(hubs, tmp_path):
    central, district = hubs
    assert beat(district, tmp_path).send_once()
    assert district.app.state.forwarder.send_once()
    assert (
        "district-barda/hall-1"
        in central.admin("aysel", site="barda", admin=False)
        .get(f"{central.url}/admin/", timeout=5)
        .text
    )
    other = central.admin("orxan", site="ganja", admin=False).get(
        f"{central.url}/admin/", timeout=5
    )
    assert other.status_code == 200 and "hall-1" not in other.text
    assert requests.get(f"{central.url}/admin/", timeout=5).status_code == 401  # not logged in


def test_a_wrong_hub_key_is_refused(hubs):
    central, _ = hubs
    r = requests.post(
        f"{central.url}/api/v1/hub/forward",
        json={"terminals": [], "usage": []},
        headers={"Authorization": "Bearer kmk_wrong"},
        timeout=5,
    )
    assert r.status_code == 401


def test_a_central_hub_that_is_down_is_retried_and_forwarding_stops_with_the_hub(tmp_path):
    district = FleetHub(
        tmp_path / "district", START, central_url="http://127.0.0.1:9", central_key="kmk_x"
    )
    forwarder = district.app.state.forwarder
    assert not forwarder.send_once()  # logged, never raised
    assert "HubUnavailable" in forwarder.last_problem
    assert requests.get(f"{district.url}/healthz", timeout=5).status_code == 200
    district.stop()
    wait_for(lambda: forwarder._thread is None, what="the forwarding thread to stop")
