"""A hub whose clock is set wrong must not lose what residents gave: one real hub
(uvicorn on 127.0.0.1, restarted over the same SQLite file), a clock the test
sets ahead (`jump`: nobody's time passes) or lets run (`advance`), terminals
speaking over HTTP, some of them "from another machine" (nginx's X-Forwarded-For,
which the hub trusts from 127.0.0.1), and the volunteers' console read as a
volunteer reads it.

What survives is said in each test: the waiting residents, their names and
phones, today's queue. What must still happen: names are blanked when 7 days
truly passed, and yesterday's queue is closed when a day truly passed."""

from __future__ import annotations

import argparse
import html
import itertools
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
import requests

from kiosk.commands.doctor import _hub_checks
from kiosk.core.helpdesk import FakeClock
from tests.helpdesk_support import RunningHub, hub_settings

START = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 12:00 in Baku
PASSWORD = "clock-volunteer-1"
IDS = itertools.count()


class Site:
    """One hub, one volunteer and one terminal per site."""

    def __init__(self, hub: RunningHub, clock: FakeClock):
        self.hub, self.clock = hub, clock
        self.keys: dict[str, str] = {}

    def setup(self, site: str) -> None:
        store = self.hub.store()
        try:
            store.add_volunteer(site + "-vol", site, PASSWORD, self.clock.now())
            self.keys[site] = store.add_terminal(site + "-hall", site, self.clock.now())
        finally:
            store.close()

    def ask(self, site: str, name: str, issued: datetime | None = None) -> None:
        r = requests.post(
            f"{self.hub.url}/api/v1/terminal/help-requests",
            json={
                "ticket": f"B-{next(IDS) + 1:03d}",
                "first_name": name,
                "phone": "+994501234567",
                "issued_at": (issued or self.clock.now()).isoformat(),
            },
            headers={
                "Authorization": f"Bearer {self.keys[site]}",
                "Idempotency-Key": f"clock-{next(IDS)}-request",
            },
            timeout=10,
        )
        assert r.status_code == 201, r.text

    def beat(self, site: str, terminal_time: datetime, address: str = "10.0.0.7") -> None:
        """A heartbeat from a terminal on another machine (through the hub's nginx)."""
        r = requests.post(
            f"{self.hub.url}/api/v1/terminal/heartbeat",
            json={"printer": "ok", "sent_at": terminal_time.isoformat()},
            headers={"Authorization": f"Bearer {self.keys[site]}", "X-Forwarded-For": address},
            timeout=10,
        )
        assert r.status_code == 200, r.text

    def queue(self, site: str) -> list[dict]:
        s = requests.Session()
        token = s.get(f"{self.hub.url}/api/v1/console/me", timeout=10).json()["csrf_token"]
        r = s.post(
            f"{self.hub.url}/api/v1/console/login",
            json={"name": site + "-vol", "password": PASSWORD},
            headers={"X-CSRF-Token": token},
            timeout=10,
        )
        assert r.status_code == 200, r.text
        return s.get(f"{self.hub.url}/api/v1/console/queue", timeout=10).json()["requests"]

    def fleet_page(self, site: str, lang: str) -> str:
        s = requests.Session()
        token = s.get(f"{self.hub.url}/api/v1/console/me", timeout=10).json()["csrf_token"]
        s.post(
            f"{self.hub.url}/api/v1/console/login",
            json={"name": site + "-vol", "password": PASSWORD},
            headers={"X-CSRF-Token": token},
            timeout=10,
        )
        r = s.get(f"{self.hub.url}/admin/", cookies={"komek_lang": lang}, timeout=10)
        assert r.status_code == 200
        return html.unescape(r.text)

    def doctor(self, tmp_path) -> list:
        """`kiosk doctor --hub-config`'s hub lines, over the running hub's database."""
        config = tmp_path / "hub.toml"
        config.write_text(f'[hub]\ndata_dir = "{self.hub.data_dir}"\n', "utf-8")
        return _hub_checks(argparse.Namespace(hub_config=config))

    def purge(self) -> int:
        return self.hub._server.config.app.state.purge()

    def stored(self, site: str) -> list[tuple[str, str, str]]:
        """(status, first name, phone) of the site's requests, read from SQLite."""
        rows = self.hub.stored_requests()
        return [(r["status"], r["first_name"], r["phone"]) for r in rows if r["site"] == site]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    clock = FakeClock(START)
    settings = hub_settings(personal_data_days=7, clock_trust_hours=24)
    hub = RunningHub(tmp_path_factory.mktemp("hub"), settings, clock=clock)
    hub.start()
    w = Site(hub, clock)
    yield w
    hub.stop()


WAITING = ("waiting", "Gülnarə", "+994501234567")


def test_a_clock_set_a_week_ahead_keeps_the_queue_and_the_names(world, tmp_path):
    world.clock.set(START)
    world.setup("barda")
    world.ask("barda", "Gülnarə")
    world.ask("barda", "Gülnarə")
    world.clock.jump(days=8)  # someone sets the hub's clock a week and a day ahead
    assert world.purge() == 0
    assert [r["status"] for r in world.queue("barda")] == ["waiting", "waiting"]
    assert world.stored("barda") == [WAITING, WAITING]  # before: names blanked, day closed
    world.clock.advance(minutes=30)  # it stays wrong a while; residents keep coming
    world.ask("barda", "Rəşad")
    assert world.purge() == 0
    assert [r["status"] for r in world.queue("barda")] == ["waiting"] * 3
    notices = {
        "az": "Hubun saatı təsdiqlənə biləndən 8 gün 0 saat irəlidədir (2026-12-15 12:00",
        "ru": "Часы хаба спешат на 8 дн. 0 ч относительно того, что можно подтвердить",
        "en": "The hub's clock reads 8 d 0 h ahead of what it can confirm (it jumped at 2026-12-15 12:00)",
    }
    for lang, notice in notices.items():
        assert notice in world.fleet_page("barda", lang), lang
    [clock] = [r for r in world.doctor(tmp_path) if r.name == "hub clock"]
    assert clock.health.name == "WARNING" and "8 days ahead" in clock.detail, clock
    metrics = requests.get(f"{world.hub.url}/metrics", timeout=10).text
    assert "komek_hub_clock_lead_seconds 691200.0" in metrics  # 8 days, for an alert
    world.clock.jump(days=-8)  # corrected
    assert world.purge() == 0
    assert world.stored("barda")[:2] == [WAITING, WAITING]
    assert len(world.queue("barda")) == 3
    assert "The hub's clock was set 8 d 0 h back at" in world.fleet_page("barda", "en")
    [clock] = [r for r in world.doctor(tmp_path) if r.name == "hub clock"]
    assert clock.health.name == "OK" and "8 days back" in clock.detail, clock


def test_a_clock_a_day_ahead_does_not_close_todays_queue(world):
    world.clock.set(START + timedelta(days=1))
    world.setup("gence")
    world.ask("gence", "Gülnarə")
    world.clock.jump(days=1, hours=2)
    assert [r["status"] for r in world.queue("gence")] == ["waiting"]
    world.purge()
    assert world.stored("gence") == [WAITING]
    world.clock.jump(days=-1, hours=-2)


def test_time_that_truly_passed_still_closes_the_day_and_blanks_the_names(world):
    world.clock.set(START + timedelta(days=2))
    world.setup("sheki")
    world.ask("sheki", "Gülnarə")
    world.clock.advance(days=1)  # a day passes: yesterday's request is closed
    assert [r["status"] for r in world.queue("sheki")] == ["cancelled"]
    assert world.stored("sheki") == [("cancelled", "Gülnarə", "+994501234567")]
    world.clock.advance(days=7)  # a week passes: the name and phone go
    assert world.purge() >= 1
    assert world.stored("sheki") == [("cancelled", "", "")]


def test_a_terminal_on_another_machine_confirms_the_hubs_clock(world):
    """The hub's clock was a day behind and is set right: once a terminal on another
    machine agrees with it, yesterday's open request is closed. A terminal on the
    hub's own machine shares its clock and confirms nothing."""
    world.clock.set(START + timedelta(days=11))
    world.setup("quba")
    world.ask("quba", "Gülnarə")
    world.clock.jump(days=1, hours=1)
    assert [r["status"] for r in world.queue("quba")] == ["waiting"]
    r = requests.post(  # from 127.0.0.1: the hub's own machine
        f"{world.hub.url}/api/v1/terminal/heartbeat",
        json={"printer": "ok", "sent_at": world.clock.now().isoformat()},
        headers={"Authorization": f"Bearer {world.keys['quba']}"},
        timeout=10,
    )
    assert r.status_code == 200
    assert [r["status"] for r in world.queue("quba")] == ["waiting"]
    world.beat("quba", world.clock.now() - timedelta(minutes=3))  # agrees, within minutes
    assert [r["status"] for r in world.queue("quba")] == ["cancelled"]


def test_a_jump_nobody_confirms_is_taken_after_clock_trust_hours(world):
    """Set 8 days ahead, and its terminal disagrees: for a day the hub acts by the time
    that truly passed (the request is closed with its real day, its name kept); after
    hub.clock_trust_hours on the fleet page with nobody setting it right, the clock is
    taken as right and the name goes."""
    world.clock.set(START + timedelta(days=14))
    world.setup("lenkeran")
    world.ask("lenkeran", "Gülnarə")
    world.clock.jump(days=8)
    world.beat("lenkeran", world.clock.now() - timedelta(days=8))
    world.clock.advance(hours=3)
    assert [r["status"] for r in world.queue("lenkeran")] == ["waiting"]
    world.clock.advance(hours=20)
    assert world.purge() == 0
    assert world.stored("lenkeran") == [("cancelled", "Gülnarə", "+994501234567")]
    world.clock.advance(hours=1, minutes=1)
    assert world.purge() >= 1
    assert world.stored("lenkeran") == [("cancelled", "", "")]


def test_a_restart_with_a_clock_set_ahead_meanwhile_waits_for_the_terminals(world):
    world.clock.set(START + timedelta(days=20))
    world.setup("zaqatala")
    world.ask("zaqatala", "Gülnarə")
    world.hub.stop()
    world.clock.jump(days=9)  # set wrong while the hub was off
    world.hub.start()
    assert world.purge() == 0  # it waits for a terminal's word first
    world.beat("zaqatala", world.clock.now() - timedelta(days=9))  # "the hub is 9 days ahead"
    assert world.purge() == 0
    assert [r["status"] for r in world.queue("zaqatala")] == ["waiting"]
    assert world.stored("zaqatala") == [WAITING]
    world.clock.jump(days=-9)
    world.hub.stop()  # an ordinary restart: the clock is right, a terminal agrees
    world.clock.advance(days=1)
    world.hub.start()
    world.beat("zaqatala", world.clock.now())
    assert [r["status"] for r in world.queue("zaqatala")] == ["cancelled"]


def test_a_hub_clock_at_1970_or_2100_loses_no_one(world):
    right = START + timedelta(days=30)
    world.clock.set(right)
    world.setup("agdam")
    world.clock.jump(days=-(right - datetime(1970, 1, 1, tzinfo=UTC)).days)  # no real-time clock
    world.ask("agdam", "Gülnarə", issued=right)
    world.clock.set(right)  # network time sets it right
    world.beat("agdam", right)
    world.purge()
    assert [r["status"] for r in world.queue("agdam")] == ["waiting"]  # its day is unknown
    world.clock.jump(days=(datetime(2100, 6, 1, tzinfo=UTC) - right).days)
    world.ask("agdam", "Rəşad", issued=right)
    assert world.purge() == 0
    assert [r["status"] for r in world.queue("agdam")] == ["waiting", "waiting"]
    world.clock.set(right)
    assert world.stored("agdam") == [WAITING, ("waiting", "Rəşad", "+994501234567")]


@pytest.mark.parametrize(
    "sent_at",
    [None, 5, [], {"a": 1}, "x" * 5000, "2026-12-07T10:00:00", "1970-01-01T00:00:00+00:00",
     "2100-12-31T23:59:59+14:00", "9999-12-31T23:59:59-23:59", "nonsense"],
)  # fmt: skip
def test_a_heartbeat_with_a_hostile_sent_at_is_taken_and_trusts_nothing(world, sent_at):
    world.setup("barda")
    r = requests.post(
        f"{world.hub.url}/api/v1/terminal/heartbeat",
        json={"printer": "ok", "sent_at": sent_at},
        headers={"Authorization": f"Bearer {world.keys['barda']}", "X-Forwarded-For": "10.0.0.9"},
        timeout=10,
    )
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    "state",
    ['{"lead_seconds": "abc", "wall": 5, "last_jump": "x"}', '{"lead_seconds": 1e300}',
     '{"lead_seconds": -7, "last_jump": {"at": "nonsense", "seconds": []}}', "[1, 2]", "{{"],
)  # fmt: skip
def test_a_damaged_clock_record_still_starts_the_hub(world, tmp_path, state):
    """What the hub kept of its clock, damaged on disk: the hub starts, the queue and
    the fleet page work, and `kiosk doctor` says something sane."""
    world.hub.stop()
    conn = sqlite3.connect(world.hub.data_dir / "hub.db", timeout=30)
    with conn:
        conn.execute("update hub_clock set state = ? where id = 1", [state])
    conn.close()
    world.hub.start()
    world.setup("barda")
    world.purge()
    assert isinstance(world.queue("barda"), list)
    assert "hall" in world.fleet_page("barda", "en")
    [clock] = [r for r in world.doctor(tmp_path) if r.name == "hub clock"]
    assert clock.health.name in ("OK", "WARNING"), clock
