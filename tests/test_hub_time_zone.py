"""The hub tells hours and days in the residents' time zone (`hub.time_zone`,
Baku by default: UTC+4), whatever the machine's clock is set to: the impact
report's months and busiest hours, the report page's default month, a ticket's
day on the console and the display. A real hub on a fake clock, with help
requests on both sides of midnight UTC."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import requests

from kiosk.core.helpdesk import FakeClock
from kiosk.core.settings import HUB_SETTINGS, SettingsError, validate_values
from kiosk.hub.store import Terminal
from tests.display_support import PASSWORD, VOLUNTEER, Volunteer
from tests.helpdesk_support import RunningHub

# 07:00 in Baku on 1 December, 03:00 UTC (still 30 November's ticket day in UTC,
# where the day starts at 06:00).
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
# 00:xx in Baku on six November nights: 20:xx UTC the evening before.
NIGHTS = [datetime(2026, 11, d, 20, 10 + d, tzinfo=UTC) for d in (3, 6, 9, 12, 15, 18)]
# 01:00 on 1 November in Baku (October in UTC), and 00:30 on 1 December in Baku.
EDGES = [datetime(2026, 10, 31, 21, 0, tzinfo=UTC)] * 2 + [
    datetime(2026, 11, 30, 20, 30, tzinfo=UTC)
]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zone")
    running = RunningHub(folder, clock=FakeClock(NOW))
    store = running.store()
    running.key = store.add_terminal("hall-1", "barda", NOW)
    running.display_key = store.add_display("hall-tv", "barda", NOW)
    store.add_volunteer(VOLUNTEER, "barda", PASSWORD, NOW, admin=True)
    for n, when in enumerate(NIGHTS + EDGES):
        store.add_request(
            key=f"old-{n}",
            terminal=Terminal("hall-1", "barda"),
            ticket=f"A-{n + 1:03d}",
            topic_service_id=None,
            first_name="",
            phone="",
            issued_at=when,
            now=when,
        )
    store.close()
    running.start()
    running.volunteer = Volunteer(running)
    yield running
    running.stop()


def _csv(hub, **params) -> dict[str, list[str]]:
    r = hub.volunteer.http.get(
        hub.url + "/api/v1/report",
        params={"lang": "en", "format": "csv", "site": "barda", **params},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    return {row[2]: row for row in csv.reader(io.StringIO(r.text)) if len(row) > 3}


def test_the_report_counts_months_and_hours_in_baku_time(hub):
    """Six requests at 20:xx UTC are at 00:xx in Baku; two sent on 31 October at
    21:00 UTC were in November there, and one on 30 November at 20:30 UTC in December."""
    rows = _csv(hub, month="2026-11")
    assert rows["Help requests"][3] == "8"  # 6 + 2; in UTC it would be 6 + 1
    assert rows["Busiest hours (help requests)"][3] == "00:00–01:00"
    december = _csv(hub, month="2026-12")
    assert december["Help requests"][3] == "< 5"  # the one of 30 November 20:30 UTC


def test_the_report_page_offers_the_month_before_the_hubs_today(hub):
    """On 31 December at 21:30 UTC it is 1 January in Baku: the page offers
    December (by UTC or by the machine's date it offered November)."""
    hub.clock.set(datetime(2026, 12, 31, 21, 30, tzinfo=UTC))
    try:
        page = Volunteer(hub).http.get(hub.url + "/studio/report/", timeout=10)
    finally:
        hub.clock.set(NOW)
    assert page.status_code == 200
    assert 'name="month" type="month" value="2026-12"' in page.text


def test_a_ticket_is_of_the_baku_day_on_the_console_and_the_display(hub):
    """Sent at 07:00 in Baku (03:00 UTC): the ticket is of 1 December, and the
    request left open at 05:00 in Baku (before the 06:00 day start) is closed as
    yesterday's; in UTC both were of 30 November."""
    store = hub.store()
    store.add_request(
        key="before-six",
        terminal=Terminal("hall-1", "barda"),
        ticket="A-050",
        topic_service_id=None,
        first_name="",
        phone="",
        issued_at=NOW - timedelta(hours=2),
        now=NOW - timedelta(hours=2),
    )
    store.close()
    r = requests.post(
        hub.url + "/api/v1/terminal/help-requests",
        json={
            "ticket": "A-001",
            "topic_service_id": "id-card",
            "first_name": "",
            "phone": "",
            "issued_at": NOW.isoformat(),
        },
        headers={"Authorization": f"Bearer {hub.key}", "Idempotency-Key": "idem-today-1"},
        timeout=10,
    )
    assert r.status_code in (200, 201), r.text
    ticket = r.json()["ticket"]
    queue = hub.volunteer.queue()
    open_ = [(q["ticket"], q["day"], q["other_day"]) for q in queue if q["status"] == "waiting"]
    assert open_ == [(ticket, "2026-12-01", False)], queue
    display = requests.get(
        hub.url + "/api/v1/display/state", params={"key": hub.display_key}, timeout=10
    ).json()
    assert display["today"] == "2026-12-01"
    assert [(w["ticket"], w["day"]) for w in display["waiting"]] == [(ticket, "2026-12-01")]
    stored = {row["idem_key"]: row for row in hub.stored_requests()}
    # Nothing lost: yesterday's open requests are kept, closed as of their day.
    assert stored["before-six"]["status"] == "cancelled"
    assert {stored[f"old-{n}"]["status"] for n in range(len(NIGHTS + EDGES))} == {"cancelled"}


def test_an_unknown_time_zone_is_refused_clearly(tmp_path):
    assert validate_values({}, HUB_SETTINGS, "test")["hub.time_zone"] == "Asia/Baku"
    assert validate_values({"hub.time_zone": "UTC"}, HUB_SETTINGS, "test")["hub.time_zone"] == "UTC"
    for bad in ("Asia/Bakuu", "", "../etc/passwd", "+04:00"):
        with pytest.raises(SettingsError, match="unknown time zone"):
            validate_values({"hub.time_zone": bad}, HUB_SETTINGS, "test")
    config = tmp_path / "hub.toml"
    config.write_text('[hub]\ntime_zone = "Asia/Bakuu"\n', encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "hub", "report", "--month", "2026-11"]
        + ["--config", str(config), "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert "hub.time_zone" in run.stderr and "'Asia/Bakuu'" in run.stderr, run.stderr
    assert not (tmp_path / "hub.db").exists() and "Traceback" not in run.stderr


def test_the_report_command_tells_hours_in_the_hubs_time_zone(hub, tmp_path):
    def busiest(*config: str) -> str:
        out = tmp_path / "r.csv"
        run = subprocess.run(
            [sys.executable, "-m", "kiosk", "hub", "report", "--month", "2026-11", "--site"]
            + ["barda", "--data", str(hub.data_dir), "--csv", str(out), "--lang", "en", *config],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        rows = {r[2]: r for r in csv.reader(out.open(encoding="utf-8")) if len(r) > 3}
        return rows["Busiest hours (help requests)"][3]

    assert busiest() == "00:00–01:00"
    utc = tmp_path / "utc.toml"
    utc.write_text('[hub]\ntime_zone = "UTC"\n', encoding="utf-8")
    assert busiest("--config", str(utc)) == "20:00–21:00"
