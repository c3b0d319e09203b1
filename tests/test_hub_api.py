"""The hub's API: terminal keys, revoked keys, one stored request per idempotency
key, the per-terminal rate limit, volunteer login with lockout, CSRF on every
change, the request states, and the privacy purge of names and phones."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kiosk.core.helpdesk import FakeClock
from kiosk.hub.app import create_app
from tests.helpdesk_support import cheap_hasher, hub_settings

PASSWORD = "correct horse 1"


class Hub:
    """A hub app with a fake clock, one terminal per site and one volunteer per site."""

    def __init__(self, tmp_path: Path, **settings):
        self.clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
        self.app = create_app(
            hub_settings(**settings), tmp_path / "hub", self.clock, password_hasher=cheap_hasher()
        )
        self.store = self.app.state.hub.store
        self.keys = {
            "barda": self.store.add_terminal("hall-1", "barda", self.clock.now()),
            "ganja": self.store.add_terminal("ganja-1", "ganja", self.clock.now()),
        }
        self.store.add_volunteer("aysel", "barda", PASSWORD, self.clock.now())
        self.store.add_volunteer("orxan", "ganja", PASSWORD, self.clock.now())
        self.client = TestClient(self.app)
        self._n = 0

    def send(self, key: str | None = None, idem: str | None = None, **body):
        self._n += 1
        payload = {
            "ticket": f"B-{self._n:03d}",
            "topic_service_id": "id-card",
            "first_name": "",
            "phone": "",
            "issued_at": self.clock.now().isoformat(),
        }
        payload.update(body)
        headers = {"Idempotency-Key": idem or f"key-{self._n:08d}"}
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        return self.client.post("/api/v1/terminal/help-requests", json=payload, headers=headers)

    def console(self, name: str = "aysel", password: str = PASSWORD) -> Console:
        c = Console(TestClient(self.app))
        r = c.login(name, password)
        assert r.status_code == 200, r.text
        return c


class Console:
    """A volunteer's browser: cookies plus the CSRF token the page would hold."""

    def __init__(self, client: TestClient):
        self.client = client
        self.csrf = client.get("/api/v1/console/me").json()["csrf_token"]

    def login(self, name: str, password: str):
        r = self.client.post(
            "/api/v1/console/login",
            json={"name": name, "password": password},
            headers={"X-CSRF-Token": self.csrf},
        )
        if r.status_code == 200:
            self.csrf = r.json()["csrf_token"]
        return r

    def post(self, path: str, json=None, **headers):
        headers.setdefault("X-CSRF-Token", self.csrf)
        return self.client.post(f"/api/v1/console/{path}", json=json, headers=headers)

    def queue(self) -> list[dict]:
        r = self.client.get("/api/v1/console/queue")
        assert r.status_code == 200, r.text
        return r.json()["requests"]


@pytest.fixture
def hub(tmp_path) -> Hub:
    return Hub(tmp_path)


# ---- health and schema --------------------------------------------------------


def test_healthz_and_openapi(hub):
    assert hub.client.get("/healthz").json() == {"status": "ok"}
    paths = hub.client.get("/openapi.json").json()["paths"]
    assert "/api/v1/terminal/help-requests" in paths
    assert "/api/v1/console/queue" in paths


# ---- terminal keys -----------------------------------------------------------------


def test_terminal_calls_need_a_valid_key(hub):
    assert hub.send(None).status_code == 401
    assert hub.send("kmk_not-a-real-key").status_code == 401
    assert hub.send(hub.keys["barda"]).status_code == 201


def test_a_revoked_key_is_refused(hub):
    assert hub.send(hub.keys["barda"]).status_code == 201
    assert hub.store.revoke_terminal("hall-1", hub.clock.now())
    r = hub.send(hub.keys["barda"])
    assert r.status_code == 401
    assert len(hub.store.queue("barda", hub.clock.now())) == 1


def test_a_new_key_replaces_the_old_one(hub):
    new_key = hub.store.add_terminal("hall-1", "barda", hub.clock.now())
    assert hub.send(hub.keys["barda"]).status_code == 401
    assert hub.send(new_key).status_code == 201


def test_keys_are_stored_hashed(hub, tmp_path):
    raw = (tmp_path / "hub" / "hub.db").read_bytes()
    assert hub.keys["barda"].encode() not in raw
    assert PASSWORD.encode() not in raw


# ---- idempotency and rate limit -------------------------------------------------


def test_one_request_per_idempotency_key(hub):
    key = hub.keys["barda"]
    first = hub.send(key, idem="same-key-0001")
    again = hub.send(key, idem="same-key-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and again.json()["duplicate"] is True
    assert len(hub.store.queue("barda", hub.clock.now())) == 1


def test_another_terminal_cannot_reuse_a_key(hub):
    assert hub.send(hub.keys["barda"], idem="shared-key-01").status_code == 201
    assert hub.send(hub.keys["ganja"], idem="shared-key-01").status_code == 409


def test_each_terminal_is_rate_limited_but_retries_get_through(tmp_path):
    hub = Hub(tmp_path, requests_per_minute=3)
    key = hub.keys["barda"]
    assert [hub.send(key, idem=f"rate-key-{i:04d}").status_code for i in range(3)] == [201] * 3
    limited = hub.send(key, idem="rate-key-0003")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    # A retry of a stored request is not a new request: it is answered.
    assert hub.send(key, idem="rate-key-0000").status_code == 200
    # Other terminals have their own limit.
    assert hub.send(hub.keys["ganja"]).status_code == 201
    hub.clock.advance(seconds=61)
    assert hub.send(key, idem="rate-key-0003").status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {"ticket": "<b>1</b>"},
        {"phone": "050-CALL-ME"},
        {"topic_service_id": "../etc"},
        {"first_name": "x" * 41},
    ],
)
def test_bad_requests_are_refused(hub, body):
    assert hub.send(hub.keys["barda"], **body).status_code == 422


def test_terminal_status_has_no_personal_data(hub):
    key = hub.keys["barda"]
    hub.send(key, idem="status-key-01", first_name="Aysel", phone="0501234567")
    hub.send(key, idem="status-key-02")
    r = hub.client.get(
        "/api/v1/terminal/help-requests/status-key-02/status",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert r.json() == {"status": "waiting", "people_ahead": 1, "wait_minutes": 5}
    other = hub.client.get(
        "/api/v1/terminal/help-requests/status-key-02/status",
        headers={"Authorization": f"Bearer {hub.keys['ganja']}"},
    )
    assert other.status_code == 404


# ---- volunteers: login, lockout, CSRF ---------------------------------------------


def test_the_queue_needs_a_login(hub):
    hub.send(hub.keys["barda"], first_name="Aysel", phone="0501234567")
    assert hub.client.get("/api/v1/console/queue").status_code == 401
    assert hub.client.get("/api/v1/console/events").status_code == 401
    page = hub.client.get("/console/")
    assert page.status_code == 200 and "Aysel" not in page.text


def test_login_sets_a_strict_httponly_session_cookie(hub):
    c = Console(TestClient(hub.app))
    r = c.login("aysel", PASSWORD)
    cookie = r.headers["set-cookie"].lower()
    assert "komek_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_wrong_password_and_unknown_name_are_refused(hub):
    c = Console(TestClient(hub.app))
    assert c.login("aysel", "wrong password").status_code == 401
    assert c.login("nobody", PASSWORD).status_code == 401


def test_repeated_wrong_passwords_make_that_address_wait(tmp_path):
    hub = Hub(tmp_path, lockout_attempts=3, lockout_minutes=15)
    c = Console(TestClient(hub.app))
    codes = [c.login("aysel", f"guess {i}").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
    r = c.login("aysel", PASSWORD)
    assert r.status_code == 429  # even the right one, while this address waits
    assert 1 <= int(r.headers["Retry-After"]) <= 2
    hub.clock.advance(seconds=3)
    assert c.login("aysel", PASSWORD).status_code == 200


def test_a_good_login_resets_the_wrong_password_count(tmp_path):
    hub = Hub(tmp_path, lockout_attempts=3)
    c = Console(TestClient(hub.app))
    c.login("aysel", "guess 1")
    c.login("aysel", "guess 2")
    assert c.login("aysel", PASSWORD).status_code == 200
    # The count starts again: three more wrong ones are checked, the fourth waits.
    other = Console(TestClient(hub.app))
    codes = [other.login("aysel", f"again {i}").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]


def test_login_needs_the_csrf_token(hub):
    client = TestClient(hub.app)
    client.get("/api/v1/console/me")
    r = client.post("/api/v1/console/login", json={"name": "aysel", "password": PASSWORD})
    assert r.status_code == 403


def test_every_change_needs_the_csrf_token(hub):
    hub.send(hub.keys["barda"])
    c = hub.console()
    rid = c.queue()[0]["id"]
    assert c.post(f"requests/{rid}/call", **{"X-CSRF-Token": ""}).status_code == 403
    assert c.post(f"requests/{rid}/call", **{"X-CSRF-Token": "guessed"}).status_code == 403
    assert c.post(f"requests/{rid}/note", {"note": "x"}, **{"X-CSRF-Token": ""}).status_code == 403
    assert c.post("call-next", **{"X-CSRF-Token": ""}).status_code == 403
    assert c.post("logout", **{"X-CSRF-Token": ""}).status_code == 403
    assert c.queue()[0]["status"] == "waiting" and c.queue()[0]["note"] == ""
    assert c.post(f"requests/{rid}/call").status_code == 200


def test_a_cross_site_origin_is_refused_even_with_the_token(hub):
    hub.send(hub.keys["barda"])
    c = hub.console()
    rid = c.queue()[0]["id"]
    r = c.post(f"requests/{rid}/call", Origin="http://evil.example")
    assert r.status_code == 403
    assert c.post(f"requests/{rid}/call", Origin="http://testserver").status_code == 200


def test_logout_ends_the_session(hub):
    c = hub.console()
    assert c.post("logout").status_code == 204
    assert c.client.get("/api/v1/console/queue").status_code == 401


# ---- the queue and its states ------------------------------------------------------


def test_a_request_is_worked_from_waiting_to_done(hub):
    hub.send(hub.keys["barda"], first_name="Aysel", phone="0501234567")
    c = hub.console()
    [req] = c.queue()
    assert (req["status"], req["first_name"], req["phone"]) == ("waiting", "Aysel", "0501234567")
    assert req["topic"]["en"] == "ID card" and req["terminal"] == "hall-1"
    hub.clock.advance(minutes=4)
    assert c.post(f"requests/{req['id']}/call").json()["status"] == "called"
    assert c.post(f"requests/{req['id']}/recall").json()["call_count"] == 2
    assert c.post(f"requests/{req['id']}/serve").json()["status"] == "serving"
    assert c.post(f"requests/{req['id']}/note", {"note": "needs SİMA"}).json()["note"] == (
        "needs SİMA"
    )
    done = c.post(f"requests/{req['id']}/done").json()
    assert done["status"] == "done" and done["updated_by"] == "aysel"


def test_no_show_cancel_and_requeue(hub):
    for _ in range(2):
        hub.send(hub.keys["barda"])
    c = hub.console()
    a, b = (r["id"] for r in c.queue())
    c.post(f"requests/{a}/call")
    assert c.post(f"requests/{a}/no-show").json()["status"] == "no_show"
    assert c.post(f"requests/{a}/requeue").json()["status"] == "waiting"
    assert c.post(f"requests/{b}/cancel").json()["status"] == "cancelled"


def test_actions_out_of_order_are_refused(hub):
    hub.send(hub.keys["barda"])
    c = hub.console()
    rid = c.queue()[0]["id"]
    assert c.post(f"requests/{rid}/done").status_code == 409
    assert c.post(f"requests/{rid}/recall").status_code == 409
    assert c.post(f"requests/{rid}/fly").status_code == 422


def test_call_next_takes_the_longest_waiting(hub):
    hub.send(hub.keys["barda"], ticket="B-001")
    hub.clock.advance(minutes=1)
    hub.send(hub.keys["barda"], ticket="B-002")
    c = hub.console()
    assert c.post("call-next").json()["ticket"] == "B-001"
    assert c.post("call-next").json()["ticket"] == "B-002"
    assert c.post("call-next").status_code == 404


def test_volunteers_see_only_their_site(hub):
    hub.send(hub.keys["ganja"], first_name="Orxan")
    barda = hub.console("aysel")
    assert barda.queue() == []
    ganja_id = hub.console("orxan").queue()[0]["id"]
    assert barda.post(f"requests/{ganja_id}/call").status_code == 404


# ---- privacy ---------------------------------------------------------------------------


def test_names_phones_and_notes_are_deleted_after_the_configured_days(tmp_path):
    hub = Hub(tmp_path, personal_data_days=7)
    key = hub.keys["barda"]
    hub.send(key, idem="old-request-1", first_name="Aysel", phone="0501234567")
    c = hub.console()
    old_id = c.queue()[0]["id"]
    c.post(f"requests/{old_id}/note", {"note": "calls back on Friday"})
    hub.clock.advance(days=6)
    hub.send(key, idem="new-request-1", first_name="Rəşad", phone="0551112233")
    hub.app.state.purge()
    c = hub.console()  # six days later: a new login
    assert {r["first_name"] for r in c.queue()} == {"Aysel", "Rəşad"}
    hub.clock.advance(days=1, minutes=1)
    assert hub.app.state.purge() == 1
    c = hub.console()
    old = hub.store.find_by_key("old-request-1")  # closed when its day ended: off the console
    assert (old["first_name"], old["phone"], old["note"]) == ("", "", "")
    new = next(r for r in c.queue() if r["id"] != old_id)
    assert (new["first_name"], new["phone"]) == ("Rəşad", "0551112233")


def test_security_headers_forbid_inline_script(hub):
    headers = hub.client.get("/console/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_a_time_without_its_utc_offset_is_refused(hub):
    r = hub.send(hub.keys["barda"], issued_at="2026-03-10T09:00:00")
    assert r.status_code == 422


def test_api_answers_are_never_cached(hub):
    hub.send(hub.keys["barda"], first_name="Aysel")
    c = hub.console()
    assert c.client.get("/api/v1/console/queue").headers["cache-control"] == "no-store"
    rid = c.queue()[0]["id"]
    assert c.post(f"requests/{rid}/call").headers["cache-control"] == "no-store"


def test_a_waiting_ticket_whose_resident_left_can_be_marked_not_here(hub):
    r = hub.send(hub.keys["barda"], idem="key-noshow-1")
    c = hub.console()
    rid = c.queue()[0]["id"]
    assert c.post(f"requests/{rid}/no-show").json()["status"] == "no_show"  # without a call
    status = hub.client.get(
        "/api/v1/terminal/help-requests/key-noshow-1/status",
        headers={"Authorization": f"Bearer {hub.keys['barda']}"},
    )
    assert r.status_code == 201 and status.json()["status"] == "no_show"
    assert [q["status"] for q in c.queue()] == ["no_show"]  # with today's finished ones


def test_the_console_shows_the_residents_language(hub):
    assert hub.send(hub.keys["barda"], lang="ru").status_code == 201
    assert hub.send(hub.keys["barda"]).status_code == 201  # an older terminal sends none
    assert hub.send(hub.keys["barda"], lang="de").status_code == 422
    assert [q["lang"] for q in hub.console().queue()] == ["ru", ""]


def test_requests_still_open_when_their_day_ends_are_closed(hub):
    hub.send(hub.keys["barda"])  # 09:00, and nobody ever came for it
    hub.send(hub.keys["ganja"])
    c = hub.console()
    assert [q["status"] for q in c.queue()] == ["waiting"]
    hub.clock.advance(hours=21)  # 06:00 the next morning: a new day
    hub.send(hub.keys["barda"])
    queue = hub.console().queue()  # the morning shift logs in
    assert [(q["status"], q["updated_by"]) for q in queue] == [
        ("waiting", ""),
        ("cancelled", "day closed"),
    ]
    # Another site's requests close when its own console next looks.
    assert [q["status"] for q in hub.console("orxan").queue()] == ["cancelled"]


# ---- reopening a request closed by mistake --------------------------------------------


def _history(c: Console, rid: int) -> list[tuple[str, str, str, str]]:
    r = c.client.get(f"/api/v1/console/requests/{rid}/history")
    assert r.status_code == 200, r.text
    return [
        (e["volunteer"], e["action"], e["from_status"], e["to_status"]) for e in r.json()["events"]
    ]


def test_a_request_closed_by_mistake_goes_back_to_where_it_was(hub):
    for _ in range(3):
        hub.send(hub.keys["barda"], idem=f"key-reopen-{hub._n + 1}")
        hub.clock.advance(minutes=1)
    c = hub.console()
    served, called, waiting = (r["id"] for r in c.queue())
    c.post(f"requests/{served}/serve")
    assert c.post(f"requests/{served}/done").json()["status"] == "done"
    c.post(f"requests/{called}/call")
    c.post(f"requests/{called}/no-show")
    c.post(f"requests/{waiting}/cancel")
    hub.clock.advance(minutes=10)
    back = c.post(f"requests/{served}/reopen").json()
    assert (back["status"], back["finished_at"], back["reopen_until"]) == ("serving", None, "")
    assert c.post(f"requests/{called}/reopen").json()["status"] == "called"
    again = c.post(f"requests/{waiting}/reopen").json()
    assert (again["status"], again["call_count"]) == ("waiting", 0)
    # All three are in the queue again, in their old order; the kiosk sees its ticket waiting.
    assert [(q["id"], q["status"]) for q in c.queue()] == [
        (served, "serving"),
        (called, "called"),
        (waiting, "waiting"),
    ]
    status = hub.client.get(
        "/api/v1/terminal/help-requests/key-reopen-3/status",
        headers={"Authorization": f"Bearer {hub.keys['barda']}"},
    )
    assert status.json()["status"] == "waiting"
    # The audit trail: who moved it from which state to which.
    assert _history(c, served) == [
        ("aysel", "serve", "waiting", "serving"),
        ("aysel", "done", "serving", "done"),
        ("aysel", "reopen", "done", "serving"),
    ]
    assert _history(c, called)[-1] == ("aysel", "reopen", "no_show", "called")
    # A double tap that reached the hub: the second reopen is refused and changes nothing.
    assert c.post(f"requests/{served}/reopen").status_code == 409
    assert len(_history(c, served)) == 3


def test_reopening_is_refused_when_the_queue_rules_say_no(tmp_path):
    hub = Hub(tmp_path, reopen_minutes=30)
    hub.store.add_volunteer("leyla", "barda", PASSWORD, hub.clock.now())
    hub.store.add_volunteer("boss", "barda", PASSWORD, hub.clock.now(), admin=True)
    for _ in range(3):
        hub.send(hub.keys["barda"])
    hub.send(hub.keys["ganja"])
    aysel, leyla = hub.console("aysel"), hub.console("leyla")
    a, b, late = (r["id"] for r in aysel.queue())
    for rid in (a, b, late):
        aysel.post(f"requests/{rid}/serve")
        assert aysel.post(f"requests/{rid}/done").status_code == 200
    [ganja] = hub.console("orxan").queue()

    # Only the volunteer who closed it, or an admin: the answer says why, in their language.
    refused = leyla.post(f"requests/{a}/reopen", **{"Accept-Language": "ru"})
    assert refused.status_code == 403 and refused.json()["code"] == "reopen_not_yours"
    assert "другой волонтёр" in refused.json()["message"]
    assert hub.console("boss").post(f"requests/{a}/reopen").json()["status"] == "serving"
    assert _history(aysel, a)[-1] == ("boss", "reopen", "done", "serving")
    # Another site's request does not exist for this volunteer.
    assert aysel.post(f"requests/{ganja['id']}/reopen").status_code == 404
    assert aysel.client.get(f"/api/v1/console/requests/{ganja['id']}/history").status_code == 404
    # An open request is not reopened.
    assert aysel.post(f"requests/{a}/reopen").json()["code"] == "request_changed"

    # After hub.reopen_minutes the resident has long gone: no ghost in the queue.
    hub.clock.advance(minutes=29)
    assert aysel.post(f"requests/{b}/reopen").json()["status"] == "serving"
    hub.clock.advance(minutes=2)
    too_late = aysel.post(f"requests/{late}/reopen", **{"Accept-Language": "az"})
    assert too_late.status_code == 409 and too_late.json()["code"] == "reopen_too_late"
    assert "çoxdan bağlanıb" in too_late.json()["message"]
    rows = {r["id"]: r for r in aysel.queue()}
    assert (rows[late]["status"], rows[late]["reopen_until"]) == ("done", "")
    assert [e[1] for e in _history(aysel, late)] == ["serve", "done"]  # no line for a refusal


def test_a_request_closed_with_its_day_stays_closed(tmp_path):
    hub = Hub(tmp_path, reopen_minutes=720)
    hub.send(hub.keys["barda"])  # 09:00
    hub.send(hub.keys["barda"])
    c = hub.console()
    left, done = (r["id"] for r in c.queue())
    # 05:45 the next morning in the hub's time zone (Baku, UTC+4): still yesterday's day.
    hub.clock.advance(hours=16, minutes=45)
    c = hub.console()  # the night shift
    c.post(f"requests/{done}/serve")
    assert c.post(f"requests/{done}/done").status_code == 200
    hub.clock.advance(minutes=20)  # 06:05: a new day; yesterday's open request was closed
    queue = {r["id"]: r for r in c.queue()}
    assert queue[left]["updated_by"] == "day closed" and queue[left]["reopen_until"] == ""
    refused = c.post(f"requests/{left}/reopen")
    assert refused.status_code == 409 and refused.json()["code"] == "reopen_day_closed"
    # Its history says when and how it ended.
    assert _history(c, left) == [("day closed", "cancel", "waiting", "cancelled")]
    # Closed by a volunteer 20 minutes ago, but on the day before: not brought back.
    assert c.post(f"requests/{done}/reopen").json()["code"] == "reopen_too_late"


def test_a_note_written_is_a_line_in_the_history_without_its_words(hub):
    hub.send(hub.keys["barda"])
    c = hub.console()
    [rid] = [r["id"] for r in c.queue()]
    assert c.post(f"requests/{rid}/note", json={"note": "brings her passport"}).status_code == 200
    c.post(f"requests/{rid}/note", json={"note": "brings her passport"})  # saved again: no line
    hub.clock.advance(minutes=3)
    c.post(f"requests/{rid}/call")
    doc = c.client.get(f"/api/v1/console/requests/{rid}/history").json()
    assert [(e["volunteer"], e["action"]) for e in doc["events"]] == [
        ("aysel", "note"),
        ("aysel", "call"),
    ]
    assert "passport" not in json.dumps(doc)
    assert doc["time_zone"] == "Asia/Baku"  # the console shows the times in it
    assert doc["events"][1]["at"] > doc["events"][0]["at"]


def test_closings_and_reopens_are_on_the_admins_activity_log(hub):
    hub.store.add_volunteer("boss", "barda", PASSWORD, hub.clock.now(), admin=True)
    for _ in range(3):
        hub.send(hub.keys["barda"], first_name="Nigar", phone="0501234567")
    c, boss = hub.console(), hub.console("boss")
    a, b, d = (r["id"] for r in c.queue())
    c.post(f"requests/{a}/call")
    c.post(f"requests/{a}/serve")
    c.post(f"requests/{a}/done")
    hub.clock.advance(minutes=2)
    boss.post(f"requests/{a}/reopen")
    c.post(f"requests/{b}/no-show")
    c.post(f"requests/{b}/requeue")
    c.post(f"requests/{d}/cancel")
    assert c.post(f"requests/{d}/done").status_code == 409  # refused: no line
    # A volunteer does not read the log; an admin does, newest first, with who and when.
    assert c.client.get("/api/v1/admin/activity").status_code == 403
    doc = boss.client.get("/api/v1/admin/activity?kind=queue").json()
    assert doc["time_zone"] == "Asia/Baku"
    log = [(e["who"], e["action"], e["target"], e["detail"]) for e in reversed(doc["entries"])]
    site = {"site": "barda"}
    assert log == [
        ("aysel", "request.done", "B-001", {**site, "from": "serving", "to": "done"}),
        ("boss", "request.reopen", "B-001", {**site, "from": "done", "to": "serving"}),
        ("aysel", "request.no-show", "B-002", {**site, "from": "waiting", "to": "no_show"}),
        ("aysel", "request.requeue", "B-002", {**site, "from": "no_show", "to": "waiting"}),
        ("aysel", "request.cancel", "B-003", {**site, "from": "waiting", "to": "cancelled"}),
    ]
    at = [e["at"] for e in reversed(doc["entries"])]
    assert at[0] == "2026-03-10T09:00:00.000+00:00" and at[1] == "2026-03-10T09:02:00.000+00:00"
    assert "Nigar" not in json.dumps(doc) and "050" not in json.dumps(doc)  # no personal data
    # The rest of the log without the queue's lines, and everything together.
    hub.store.audit("boss", "volunteer.add", "leyla", hub.clock.now(), site="barda")
    other = boss.client.get("/api/v1/admin/activity?kind=other").json()["entries"]
    assert [e["action"] for e in other] == ["volunteer.add"]
    assert len(boss.client.get("/api/v1/admin/activity").json()["entries"]) == 6
    assert boss.client.get("/api/v1/admin/activity?kind=drop").status_code == 422
    # The day's end cancels what was still open: one line, with how many.
    hub.clock.advance(hours=22)
    boss = hub.console("boss")  # the next morning
    boss.queue()
    [closed] = boss.client.get("/api/v1/admin/activity?kind=queue&limit=1").json()["entries"]
    assert (closed["who"], closed["action"], closed["detail"]) == (
        "day closed",
        "request.day_closed",
        {"site": "barda", "requests": 2},
    )


def test_a_reopened_number_stays_unique_at_its_site(hub):
    hub.send(hub.keys["barda"], ticket="B-001")
    c = hub.console()
    [old] = c.queue()
    c.post(f"requests/{old['id']}/cancel")
    # The terminal's data folder was wiped: it starts again at B-001, which is free now.
    assert hub.send(hub.keys["barda"], ticket="B-001").json()["ticket"] == "B-001"
    back = c.post(f"requests/{old['id']}/reopen").json()
    assert (back["status"], back["ticket"], back["printed_ticket"]) == ("waiting", "B-002", "B-001")
    assert sorted(q["ticket"] for q in c.queue() if q["status"] == "waiting") == ["B-001", "B-002"]
