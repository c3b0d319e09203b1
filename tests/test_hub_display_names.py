"""Volunteers' display names: the waiting room sees and hears the name a volunteer
or an admin chose ("Aysel"), never the account's name (often "surname.name"),
and no name at all until one is set. Hostile names are refused with the reason in
az, ru and en, and the name before them stays. A hub database from before display
names is upgraded in place (a real SQLite file; the hub's app over TestClient)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlite_utils import Database

from kiosk.core.helpdesk import FakeClock
from kiosk.core.narration.engines import write_silence
from kiosk.hub.app import create_app
from kiosk.hub.store import migrations
from kiosk.hub.studio.recordings import recordings_dir
from tests.helpdesk_support import cheap_hasher, hub_settings

PASSWORD = "correct horse 1"
ACCOUNT = "quliyeva.aysel"  # surname first, as many accounts are made


class Hub:
    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
        self.app = create_app(hub_settings(), data_dir, self.clock, password_hasher=cheap_hasher())
        self.store = self.app.state.hub.store
        now = self.clock.now()
        self.terminal = self.store.add_terminal("hall-1", "barda", now)
        self.display = self.store.add_display("hall-tv", "barda", now)
        for name, admin in ((ACCOUNT, False), ("boss", True), ("kamran", False)):
            if self.store.volunteer(name) is None:
                self.store.add_volunteer(name, "barda", PASSWORD, now, admin=admin)
        self.sent = 0

    def login(self, name: str) -> TestClient:
        c = TestClient(self.app)
        token = c.get("/api/v1/console/me").json()["csrf_token"]
        r = c.post(
            "/api/v1/console/login",
            json={"name": name, "password": PASSWORD},
            headers={"X-CSRF-Token": token},
        )
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        return c

    def call_one(self, c: TestClient) -> dict:
        self.sent += 1
        r = c.post(
            "/api/v1/terminal/help-requests",
            json={
                "ticket": f"A-{self.sent:03d}",
                "topic_service_id": "id-card",
                "first_name": "Nigar",
                "phone": "0501234567",
                "issued_at": self.clock.now().isoformat(),
            },
            headers={
                "Authorization": f"Bearer {self.terminal}",
                "Idempotency-Key": f"names-{self.sent:04d}",
            },
        )
        assert r.status_code in (200, 201), r.text
        called = c.post("/api/v1/console/call-next")
        assert called.status_code == 200, called.text
        return called.json()

    def shown(self) -> dict:
        """The newest call on the display."""
        doc = TestClient(self.app).get("/api/v1/display/state", params={"key": self.display})
        return doc.json()["calls"][0]


@pytest.fixture
def hub(tmp_path) -> Hub:
    return Hub(tmp_path / "hub")


def test_no_display_name_no_name_then_the_one_the_volunteer_chose(hub):
    aysel = hub.login(ACCOUNT)
    hub.call_one(aysel)
    call = hub.shown()
    # Not "Quliyeva" (the first part of the account's name), not the account: no name.
    assert call["volunteer"] == ""
    body = TestClient(hub.app).get("/api/v1/display/state", params={"key": hub.display}).text
    assert "uliyeva" not in body and "aysel" not in body.lower()
    # She sets her own; the display, the console and /me say it.
    r = aysel.post("/api/v1/console/display-name", json={"display_name": "  Aysel  "})
    assert r.status_code == 200 and r.json()["display_name"] == "Aysel"
    assert aysel.get("/api/v1/console/me").json()["volunteer"]["display_name"] == "Aysel"
    assert aysel.get("/api/v1/console/queue").json()["names"] == {ACCOUNT: "Aysel"}
    hub.call_one(aysel)
    assert hub.shown()["volunteer"] == "Aysel"
    # The spoken call says it: a recording of exactly these words is the one played.
    folder = recordings_dir(hub.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    write_silence(folder / "named.wav", 1.25)
    row = hub.store.add_recording(
        {
            "text_key": "display.call",
            "lang": "az",
            "words": "A iki, sizi Aysel gözləyir",
            "file": "named.wav",
            "by": "boss",
            "consent": "yes",
            "source": "import",
            "seconds": 1.25,
        },
        hub.clock.now(),
    )
    hub.store.review_recording(row["id"], "approved", "boss", hub.clock.now())
    audio = TestClient(hub.app).get(hub.shown()["audio"][0]["url"])
    assert audio.status_code == 200 and audio.headers["x-komek-voice"] == "human"
    # Cleared again: no name, not the account's.
    aysel.post("/api/v1/console/display-name", json={"display_name": ""})
    assert hub.shown()["volunteer"] == ""
    log = [(e["who"], e["action"], e["target"], e["detail"]) for e in hub.store.activity()]
    assert log[:2] == [
        (ACCOUNT, "volunteer.display_name", ACCOUNT, {"site": "barda", "display_name": ""}),
        (ACCOUNT, "volunteer.display_name", ACCOUNT, {"site": "barda", "display_name": "Aysel"}),
    ]


def test_an_admin_sets_anyones_display_name_and_a_volunteer_only_their_own(hub):
    boss, kamran = hub.login("boss"), hub.login("kamran")
    path = f"/api/v1/admin/volunteers/{ACCOUNT}/display-name"
    r = boss.post(path, json={"display_name": "Aysel Q."})
    assert r.status_code == 200 and r.json()["volunteer"]["display_name"] == "Aysel Q."
    assert kamran.post(path, json={"display_name": "Kamran"}).status_code == 403
    assert (
        boss.post(
            "/api/v1/admin/volunteers/nobody/display-name", json={"display_name": "X"}
        ).json()["code"]
        == "no_volunteer"
    )
    # Without the page's CSRF token nothing changes.
    r = TestClient(hub.app).post(path, json={"display_name": "Hacked"})
    assert r.status_code in (401, 403)
    listed = {
        v["name"]: v["display_name"]
        for v in boss.get("/api/v1/admin/volunteers").json()["volunteers"]
    }
    assert listed == {ACCOUNT: "Aysel Q.", "boss": "", "kamran": ""}
    [entry] = [e for e in hub.store.activity() if e["action"] == "volunteer.display_name"]
    assert (entry["who"], entry["target"]) == ("boss", ACCOUNT)


HOSTILE = [
    ("A" * 31, "display_name_long"),
    ("Ə" * 5000, "display_name_long"),
    ("Aysel\u202egözləyir", "display_name_invisible"),  # a bidi override reorders the TV's words
    ("Ay\u200dsel", "display_name_invisible"),  # a zero-width joiner
    ("Aysel\x00", "display_name_invisible"),
    ("\x1b[31mAysel", "display_name_invisible"),
    ("<img src=x onerror=alert(1)>", "display_name_letters"),
    ("Aysel 2", "display_name_letters"),
    ("...", "display_name_letters"),
]


@pytest.mark.parametrize("via", ["self", "admin"])
def test_hostile_display_names_are_refused_and_the_old_name_stays(hub, via):
    aysel, boss = hub.login(ACCOUNT), hub.login("boss")
    path = (
        "/api/v1/console/display-name"
        if via == "self"
        else f"/api/v1/admin/volunteers/{ACCOUNT}/display-name"
    )
    who = aysel if via == "self" else boss
    assert who.post(path, json={"display_name": "Aysel"}).status_code == 200
    before = len(hub.store.activity())
    for bad, code in HOSTILE:
        r = who.post(path, json={"display_name": bad}, headers={"Accept-Language": "ru"})
        assert (r.status_code, r.json()["code"]) == (422, code), (bad[:20], r.text[:200])
        assert "Ничего не изменено" in r.json()["message"] or "заново" in r.json()["message"]
        assert bad not in r.text  # a refusal never echoes the value back
    az = who.post(path, json={"display_name": "A" * 31}, headers={"Accept-Language": "az"})
    assert az.json()["message"] == "Ekrandakı ad ən çoxu 30 hərfdir. Heç nə dəyişmədi."
    # A body far beyond any name is refused before it is read; nothing changes.
    huge = who.post(path, json={"display_name": "A" * 200_000})
    assert huge.status_code in (413, 422)
    # What survives: the name before, on the display and in the list; no log lines.
    assert hub.store.display_name(ACCOUNT) == "Aysel"
    hub.call_one(aysel)
    assert hub.shown()["volunteer"] == "Aysel"
    assert len(hub.store.activity()) == before
    # Names in any script, with the marks names are written with, are taken (NFC).
    for good in ("İlqar", "Айсель", "O’Neil-Məmmədova", "Ay\u0307"):
        assert who.post(path, json={"display_name": good}).status_code == 200, good


def test_a_hub_database_from_before_display_names_is_upgraded(tmp_path):
    """Must survive: the accounts, their passwords, desks and past calls; every
    account starts with no display name (so the display names no one)."""
    data = tmp_path / "hub"
    data.mkdir()
    db = Database(data / "hub.db")
    migrations.apply(db, stop_before="m012_display_names")
    db["volunteers"].insert(
        {
            "name": ACCOUNT,
            "site": "barda",
            "password_hash": cheap_hasher().hash(PASSWORD),
            "failed_attempts": 0,
            "created_at": "2026-01-01T00:00:00.000+00:00",
            "admin": 0,
            "desk": 3,
        }
    )
    assert "display_name" not in {c.name for c in db["volunteers"].columns}
    db.close()
    hub = Hub(data)  # opening it applies the new migration
    aysel = hub.login(ACCOUNT)  # the old password still works
    me = aysel.get("/api/v1/console/me").json()["volunteer"]
    assert (me["name"], me["display_name"], me["desk"]) == (ACCOUNT, "", 3)
    hub.call_one(aysel)
    assert (hub.shown()["volunteer"], hub.shown()["desk"]) == ("", 3)
    # Opening it again changes nothing (migrations are safe to repeat).
    again = Hub(data)
    assert again.store.display_name(ACCOUNT) == ""
    assert json.dumps(again.store.volunteers()).count(ACCOUNT) == 1
