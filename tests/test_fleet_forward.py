"""A district hub forwards its terminals' status and usage counts to a central
hub on 127.0.0.1, with its own hub key there; the central admin page and metrics
show the terminal as "<hub>/<terminal>", re-forwarding changes no count, a
terminal that went quiet behind a live hub is shown down, and a wrong hub key
or a terminal key is refused; a hub speaks only for its own sites, in bounded
amounts, and `remove-hub` / `remove-terminal` take what it sent away again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests

from kiosk.core.heartbeat import Heartbeat
from kiosk.core.helpdesk import HubUnavailable, RequestsHubTransport
from kiosk.core.usage import UsageCounter, UsageEvent
from tests.fleet_support import FleetHub, metric
from tests.helpdesk_support import kiosk_settings, wait_for

START = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def status() -> dict:
    return {"site": "barda", "content_version": 42, "printer": "ok", "last_error": ""}


@pytest.fixture
def hubs(tmp_path):
    central = FleetHub(tmp_path / "central", START)
    key = central.store.add_hub("district-barda", ["barda"], central.clock.now())
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


def test_a_heartbeat_from_the_future_is_not_forwarded_as_just_now(hubs, tmp_path):
    """The district hub's clock is set back an hour after the terminal's last beat: it
    cannot say how long ago that was, so the central hub is not told "just now" (it
    would show a silent terminal alive); it shows it down once it is old there."""
    central, district = hubs
    assert beat(district, tmp_path).send_once()
    assert district.app.state.forwarder.send_once()
    assert metric(central.metrics(), "komek_terminals_alive") == 1
    district.clock.jump(hours=-1)
    central.clock.advance(minutes=10)
    assert district.app.state.forwarder.send_once()
    assert metric(central.metrics(), "komek_terminals_alive") == 0


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
    # Not logged in: the login page first, and back to /admin/ after it.
    anon = requests.get(f"{central.url}/admin/", timeout=5, allow_redirects=False)
    assert (anon.status_code, anon.headers["location"]) == (303, "/login?next=/admin/")


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


def _forward(central: FleetHub, key: str, doc: dict) -> requests.Response:
    return requests.post(
        f"{central.url}/api/v1/hub/forward",
        json=doc,
        headers={"Authorization": f"Bearer {key}"},
        timeout=10,
    )


def _terminal(name: str, site: str | None = None) -> dict:
    return {"terminal": name, "site": site, "printer": "ok", "seen_seconds_ago": 1}


def test_a_terminal_key_cannot_forward(hubs):
    central, _ = hubs
    terminal_key = central.add_terminal("hall-9", site="barda")
    r = _forward(central, terminal_key, {"terminals": [_terminal("fake-1")]})
    assert r.status_code == 403
    assert central.store.heartbeats() == []


def test_a_hub_speaks_only_for_its_own_sites(hubs):
    central, _ = hubs
    key = central.store.add_hub("district-2", ["barda", "tartar"], central.clock.now())
    r = _forward(central, key, {"terminals": [_terminal("t1", "barda"), _terminal("t2", "ganja")]})
    assert r.status_code == 403 and "ganja" in r.json()["detail"]
    assert central.store.heartbeats() == []  # all or nothing
    assert (
        _forward(central, key, {"terminals": [_terminal("t1")]}).status_code == 403
    )  # which site?
    assert _forward(central, key, {"terminals": [_terminal("t1", "tartar")]}).status_code == 200
    assert [b["site"] for b in central.store.heartbeats()] == ["tartar"]


@pytest.mark.parametrize(
    "doc",
    [
        {"terminals": [_terminal(f"t{i}") for i in range(101)]},
        {"terminals": [_terminal("../../etc")]},
        {"terminals": [_terminal("t1") | {"seen_seconds_ago": 1e300}]},
        {"usage": [{"terminal": "never-sent", "day": "2026-05-04", "service": "x"}]},
    ],
)
def test_forwarded_content_is_bounded_and_validated(hubs, doc):
    central, _ = hubs
    key = central.store.add_hub("district-3", ["barda"], central.clock.now())
    assert _forward(central, key, doc).status_code in (409, 422)
    assert central.store.heartbeats() == []


def test_a_hub_cannot_invent_thousands_of_terminals(hubs):
    central, _ = hubs
    key = central.store.add_hub("district-4", ["barda"], central.clock.now())
    codes = [
        _forward(
            central, key, {"terminals": [_terminal(f"t{b}-{i}") for i in range(100)]}
        ).status_code
        for b in range(6)
    ]
    assert codes == [200] * 5 + [409]
    assert len(central.store.heartbeats()) == 500


def test_remove_hub_and_remove_terminal_take_forwarded_terminals_away(hubs, tmp_path):
    from kiosk.cli import main

    central, district = hubs
    key = central.store.add_hub("district-5", ["barda"], central.clock.now())
    doc = {
        "terminals": [_terminal("a"), _terminal("b")],
        "usage": [{"terminal": "a", "day": "2026-05-04", "service": "pension", "opened": 3}],
    }
    assert _forward(central, key, doc).status_code == 200
    data = ["--data", str(central.data_dir)]
    assert main(["hub", "remove-terminal", "district-5/b", *data]) == 0
    assert {b["terminal"] for b in central.store.heartbeats()} == {"district-5/a"}
    assert main(["hub", "remove-hub", "district-5", *data]) == 0
    assert central.store.heartbeats() == [] and central.store.usage_rows() == []
    assert _forward(central, key, doc).status_code == 401  # its key is gone too
    assert main(["hub", "remove-hub", "district-5", *data]) == 1


def test_add_hub_prints_a_key_that_forwards(tmp_path, capsys):
    from kiosk.cli import main

    assert main(["hub", "add-hub", "district-6", "--site", "barda", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    [line] = [x for x in out.splitlines() if x.startswith("central_key = ")]
    from kiosk.hub.store import HubStore

    hub = HubStore(tmp_path / "hub.db").hub_for_key(line.split('"')[1])
    assert hub is not None and hub.sites == ("barda",)


def test_a_big_district_is_forwarded_in_batches(hubs, tmp_path):
    central, district = hubs
    for i in range(150):
        district.store.record_heartbeat(
            f"hall-{i}", "barda", {"printer": "ok"}, district.clock.now()
        )
    district.store.record_usage(
        "hall-0",
        [{"day": f"2026-05-{d:02d}", "service": f"s{s}", "opened": 1, "printed": 0, "help": 0}
         for d in range(1, 5) for s in range(400)],
        district.clock.now(),
    )  # fmt: skip
    forwarder = district.app.state.forwarder
    assert forwarder.send_once(), forwarder.last_problem
    assert len(central.store.heartbeats()) == 150
    assert len(central.store.usage_rows()) == 1600


def test_a_central_hub_that_drips_its_answer_is_given_up_on(tmp_path):
    """A central hub that sends its headers a byte at a time: forwarding gives up
    at its total deadline instead of hanging."""
    import socket
    import threading

    from kiosk.hub.fleet.outbound import CentralHub

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def drip():
        conn, _ = listener.accept()
        with conn:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n":
                if stop.wait(0.2):
                    return
                conn.sendall(bytes([byte]))

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    central = CentralHub(f"http://127.0.0.1:{listener.getsockname()[1]}", "kmh_x", deadline=1.0)
    # The drip would take 10 s and then end mid-headers: only the deadline says "within".
    with pytest.raises(HubUnavailable, match="within 1 s"):
        central.send_forward({"terminals": [], "usage": []})
    stop.set()
    thread.join(5)
    listener.close()


def test_rows_stored_by_an_older_hub_do_not_stop_forwarding(hubs):
    central, district = hubs
    district.store._db["heartbeats"].insert_all(
        [
            {"terminal": "old-1", "site": "barda", "via": "", "uptime_seconds": 1e300,
             "interval_seconds": 10**9, "received_at": district.clock.now().isoformat(),
             "last_error": "e" * 5000, "content_version": "v" * 500, "printer": "jammed",
             "app_version": "a" * 300},
            {"terminal": "old-2", "site": "barda", "via": "", "received_at": "not a time"},
        ]
    )  # fmt: skip
    forwarder = district.app.state.forwarder
    assert forwarder.send_once(), forwarder.last_problem
    [row] = central.store.heartbeats()
    assert row["terminal"] == "district-barda/old-1"
    assert row["uptime_seconds"] <= 10 * 366 * 86_400 and len(row["last_error"]) <= 300
