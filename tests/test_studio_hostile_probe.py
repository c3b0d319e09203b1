"""Hostile input to every studio, admin and volunteer POST/PUT/DELETE, on one real hub
over real HTTP, read in az and ru: wrong types, huge bodies, unknown fields, wrong
language codes, no CSRF token or no session, path traversal in file names.

Each refusal must be a 4xx (never a 500) with a code and its message in the
reader's language (the catalogue's text for that code, never English where a
coded one exists), no echo of the hostile input, and nothing saved: the draft's
files, the published repository and the recordings are byte for byte as before.
A refused rollback or change summary says which release and why in az and ru;
the voice warnings reach both studios without blocking anything."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest
import requests

from kiosk.hub.studio.content_drafts import draft_dir
from kiosk.hub.web import errors
from tests._updates import Publisher
from tests.fleet_support import FleetHub
from tests.test_content_studio_api import API, ID_CARD

NOW = datetime.now().astimezone()
HUGE = "x" * 5000
ADMIN = "/api/v1/admin"
CONSOLE = "/api/v1/console"
VOICE = "/api/v1/studio/voice"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    publisher = Publisher(tmp_path_factory.mktemp("offline"))
    publisher.publish()
    keys = publisher.delegate_to_hub(tmp_path_factory.mktemp("keys") / "hub-keys")
    h = FleetHub(
        tmp_path_factory.mktemp("hub"),
        NOW,
        content_repo=str(publisher.repo),
        content_keys=str(keys),
        content_source=str(publisher.src),
    )
    h.repo = publisher.repo
    yield h
    h.stop()


class Staff:
    """A logged-in browser-like session whose refusals come in `lang`."""

    def __init__(self, hub: FleetHub, name: str, lang: str, admin: bool = True):
        self.url = hub.url
        self.http = hub.admin(name, admin=admin)
        self.http.headers["Accept-Language"] = lang
        self.csrf = self.http.get(f"{hub.url}{CONSOLE}/me", timeout=5).json()["csrf_token"]

    def send(self, method: str, path: str, csrf: bool = True, **kw) -> requests.Response:
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return self.http.request(method, self.url + path, headers=headers, timeout=60, **kw)


@pytest.fixture(scope="module")
def staff(hub):
    return {lang: Staff(hub, f"admin{lang}", lang) for lang in ("az", "ru")}


def _tree(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _state(hub: FleetHub) -> tuple[str, str, int]:
    """The draft's files, the published repository, the recordings kept."""
    kept = len(hub.store.recordings())
    return _tree(draft_dir(hub.data_dir)), _tree(hub.repo), kept


def _coded(r: requests.Response, lang: str, hostile: str = HUGE) -> dict:
    """A refusal a reader in `lang` understands, holding none of the hostile input."""
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    doc = r.json()
    assert doc["code"] and doc["message"] == errors.text(doc["code"], lang), doc
    if lang == "ru":
        assert any("\u0400" <= c <= "\u04ff" for c in doc["message"]), doc["message"]
    assert hostile[:100] not in r.text and len(r.text) < 4000, r.text[:300]
    return doc


def _cases(doc_revision: int) -> list[tuple[str, str, dict]]:
    """(method, path, requests keywords): one hostile request each."""
    save = f"{API}/files/{ID_CARD}"
    return [
        # the content studio
        ("PUT", save, {"json": []}),
        ("PUT", save, {"json": {"base_revision": "x", "data": 5}}),
        ("PUT", save, {"json": {"base_revision": doc_revision, "data": {HUGE: 1}}}),
        ("PUT", save, {"json": {"base_revision": doc_revision, "data": {"id": None}}}),
        (
            "PUT",
            save,
            {
                "json": {
                    "base_revision": doc_revision,
                    "data": {"id": [[[[[[[["x"]]]]]]]]},
                }
            },
        ),
        ("PUT", save, {"json": {"base_revision": doc_revision, "data": {}, "evil": 1}}),
        ("PUT", save, {"data": b"{" * 200_000, "headers_": {"Content-Type": "application/json"}}),
        ("PUT", save, {"json": {"base_revision": doc_revision, "data": {"id": HUGE * 300}}}),
        (
            "PUT",
            save,
            {
                "data": b"[" * 100_000 + b"]" * 100_000,
                "headers_": {"Content-Type": "application/json"},
            },
        ),
        (
            "PUT",
            save,
            {
                "data": b'{"base_revision": 0, "data": {"id": "\x00"}}',
                "headers_": {"Content-Type": "text/plain"},
            },
        ),
        (
            "PUT",
            save,
            {
                "json": {
                    "base_revision": doc_revision,
                    "data": {"id": "a\u0000b", "title": {"xx": 1}},
                }
            },
        ),
        ("PUT", f"{API}/files/../../etc/passwd", {"json": {"base_revision": 0, "data": {"a": 1}}}),
        (
            "PUT",
            f"{API}/files/services/..%2F..%2Fx.toml",
            {"json": {"base_revision": 0, "data": {"a": 1}}},
        ),
        ("PUT", f"{API}/files/{HUGE}.toml", {"json": {"base_revision": 0, "data": {"a": 1}}}),
        (
            "POST",
            f"{API}/restore",
            {"json": {"path": "../../etc/passwd", "revision": 0, "base_revision": 0}},
        ),
        (
            "POST",
            f"{API}/restore",
            {"json": {"path": ID_CARD, "revision": "x", "base_revision": []}},
        ),
        ("POST", f"{API}/preview", {"json": {"lang": "xx", "screen": "home"}}),
        ("POST", f"{API}/preview", {"json": {"lang": HUGE, "screen": "home"}}),
        ("POST", f"{API}/preview", {"json": {"lang": "az", "screen": "home", "shape": "9x9"}}),
        ("POST", f"{API}/rollback", {"json": {"version": "abc"}}),
        ("POST", f"{API}/rollback", {"json": {"version": -1}}),
        ("POST", f"{API}/rollback", {"json": {"version": 2**40}}),
        ("POST", f"{API}/rollback", {"json": {"version": 999}}),
        ("POST", f"{API}/rollback", {"json": [1]}),
        ("POST", f"{API}/publish", {"json": {"fingerprint": "zz"}}),
        ("POST", f"{API}/publish", {"json": {"fingerprint": "ab" * 32}}),
        ("POST", f"{API}/publish", {"json": {"pilot": ["../x"]}}),
        ("POST", f"{API}/publish", {"json": {"pilot": [HUGE]}}),
        ("POST", f"{API}/publish", {"json": {"pilot": ["nowhere"]}}),
        # the voice studio
        (
            "POST",
            f"{VOICE}/recordings",
            {
                "files": {"audio": ("../../../evil.wav", b"RIFF....WAVE", "audio/wav")},
                "data": {"key": "../../x", "lang": "xx", "words": "a", "consent": "yes"},
            },
        ),
        (
            "POST",
            f"{VOICE}/recordings",
            {
                "files": {"audio": ("a.wav", b"not a wav", "audio/wav")},
                "data": {"key": HUGE, "lang": HUGE, "words": HUGE, "consent": "yes"},
            },
        ),
        ("POST", f"{VOICE}/recordings", {"data": {"key": "k", "lang": "az", "words": "w"}}),
        ("POST", f"{VOICE}/recordings/abc/approve", {}),
        ("POST", f"{VOICE}/recordings/999/delete", {}),
        # the admin pages
        ("POST", f"{ADMIN}/volunteers/nobody/display-name", {"json": {"display_name": HUGE}}),
        ("POST", f"{ADMIN}/volunteers/nobody/display-name", {"json": {"display_name": 5}}),
        ("POST", f"{ADMIN}/volunteers/..%2F..%2Fboss/disable", {}),
        ("POST", f"{ADMIN}/volunteers/nobody/explode", {}),
        ("DELETE", f"{ADMIN}/volunteers/{HUGE}", {}),
        # the volunteer console
        ("POST", f"{CONSOLE}/desk", {"json": {"desk": "one"}}),
        ("POST", f"{CONSOLE}/desk", {"json": {"desk": 10**9}}),
        ("POST", f"{CONSOLE}/display-name", {"json": {"display_name": "\u202e" + HUGE}}),
        ("POST", f"{CONSOLE}/requests/999/note", {"json": {"note": HUGE}}),
        ("POST", f"{CONSOLE}/requests/abc/close", {}),
        ("POST", f"{CONSOLE}/requests/1/explode", {}),
        ("POST", f"{CONSOLE}/login", {"json": {"name": [], "password": {}}}),
        ("POST", f"{CONSOLE}/login", {"json": {"name": "admin" + "az", "password": HUGE}}),
    ]


def _send(who: Staff, method: str, path: str, kw: dict, csrf: bool = True):
    kw = dict(kw)
    headers = kw.pop("headers_", {})
    if headers:
        r = who.http.request(
            method, who.url + path, headers={**headers, "X-CSRF-Token": who.csrf}, timeout=60, **kw
        )
        return r
    return who.send(method, path, csrf=csrf, **kw)


def test_every_hostile_request_is_refused_in_the_readers_language_and_changes_nothing(hub, staff):
    revision = staff["az"].send("GET", f"{API}/files/{ID_CARD}").json()["revision"]
    before = _state(hub)
    seen = []
    for lang, who in staff.items():
        for method, path, kw in _cases(revision):
            r = _send(who, method, path, kw)
            seen.append((lang, method, path[:60], r.status_code, r.json().get("code")))
            assert 400 <= r.status_code < 500, (method, path[:60], kw.get("json"), r.text[:200])
            _coded(r, lang)
            assert _state(hub) == before, (lang, method, path[:60])
    # A content save's own reasons have their own codes.
    codes = {c for *_, c in seen}
    assert {"save_bad_key", "save_empty_value", "save_too_deep"} <= codes, seen
    # Every case was refused, not taken.
    assert all(400 <= s < 500 for *_, s, _ in seen), seen


def test_without_csrf_or_session_nothing_is_taken_and_the_refusal_is_in_the_readers_language(
    hub, staff
):
    revision = staff["az"].send("GET", f"{API}/files/{ID_CARD}").json()["revision"]
    before = _state(hub)
    for lang, who in staff.items():
        stranger = requests.Session()
        stranger.headers["Accept-Language"] = lang
        for method, path, kw in _cases(revision):
            if path.startswith(f"{CONSOLE}/login"):
                continue  # logging in needs no session
            kw = {k: v for k, v in kw.items() if k != "headers_"}
            r = who.send(method, path, csrf=False, **kw)
            doc = _coded(r, lang)
            assert r.status_code in (403, 404, 405, 413, 422), (path[:60], r.status_code, doc)
            r = stranger.request(method, hub.url + path, timeout=60, **kw)
            _coded(r, lang)
            assert r.status_code in (401, 403, 404, 405, 413, 422), (path[:60], r.status_code)
        assert _state(hub) == before


def test_a_refused_rollback_or_summary_says_which_release_and_why_in_az_and_ru(hub, staff):
    before = _state(hub)
    ru, az = staff["ru"], staff["az"]
    r = ru.send("GET", f"{API}/releases/999/summary")
    doc = _coded(r, "ru")
    assert r.status_code == 404 and doc["code"] == "no_release"
    (why,) = doc["detail"]["problems"]
    assert why["code"] == "release_no_version"
    assert "999" in why["texts"]["ru"] and "нет выпуска" in why["texts"]["ru"]
    assert "999" in why["texts"]["az"] and "buraxılış yoxdur" in why["texts"]["az"]

    r = ru.send("POST", f"{API}/rollback", json={"version": 999})
    doc = _coded(r, "ru")
    assert r.status_code == 409 and doc["code"] == "not_published"
    assert doc["detail"]["problems"][0]["code"] == "release_no_version"

    current = az.send("GET", f"{API}/releases").json()["releases"][0]["version"]
    r = az.send("POST", f"{API}/rollback", json={"version": current})
    doc = _coded(r, "az")
    (why,) = doc["detail"]["problems"]
    assert why["code"] == "release_is_current", why
    assert f"{current} versiyası onsuz da" in why["texts"]["az"]
    assert f"версия {current} уже" in why["texts"]["ru"]
    assert why["texts"]["en"] == f"version {current} is the current release already"
    assert _state(hub) == before


def test_the_voice_warnings_reach_the_publish_summary_and_the_voice_studio(hub, staff):
    ru = staff["ru"]
    doc = ru.send("GET", f"{API}/files/{ID_CARD}").json()
    data = doc["data"]
    step = data["steps"][0]
    said_before = dict(step.get("say") or {})
    step["say"] = {**said_before, "ru": "Откройте сайт www.e-gov.az и нажмите OK"}
    r = ru.send(
        "PUT", f"{API}/files/{ID_CARD}", json={"base_revision": doc["revision"], "data": data}
    )
    assert r.status_code == 200, r.text
    summary = ru.send("GET", f"{API}/publish/summary").json()
    codes = {(w["code"], w["lang"]) for w in summary["voice_warnings"]}
    assert ("say_web", "ru") in codes and ("say_latin", "ru") in codes, codes
    web = next(w for w in summary["voice_warnings"] if w["code"] == "say_web")
    assert "веб-адрес читается вслух" in web["texts"]["ru"]
    assert "veb ünvan" in web["texts"]["az"]
    assert summary["problems"] == 0  # a warning does not stop publishing

    texts = ru.send("GET", f"{VOICE}/texts", params={"lang": "ru"}).json()["texts"]
    assert all(isinstance(t["warnings"], list) for t in texts)
    for t in texts:
        for w in t["warnings"]:
            assert set(w["texts"]) == {"az", "ru", "en"} and w["code"].startswith("say_")


def test_the_voice_warning_of_a_text_is_in_each_language():
    from kiosk.hub.studio.voice_studio import voice_warnings

    (w,) = voice_warnings("Введите PIN на сайте", "ru")
    assert w["code"] == "say_latin" and "PIN" in w["texts"]["ru"] and "PIN" in w["texts"]["az"]
    assert voice_warnings("Sənədi göstərin", "az") == []
    assert voice_warnings("Тел.: {phone}", "ru") == []  # filled in when said


def test_publishing_not_set_up_is_said_in_the_readers_language(hub, staff):
    st = hub.app.state.content_studio
    keys, st.keys = st.keys, None  # as on a hub with no hub.content_keys
    try:
        before = _state(hub)
        overview = staff["ru"].send("GET", f"{API}/files").json()
        assert overview["publish_problem"].startswith("publishing is not set up")
        assert "Публикация на этом хабе не настроена" in overview["publish_problem_texts"]["ru"]
        assert "dərc qurulmayıb" in overview["publish_problem_texts"]["az"]
        for lang, who in staff.items():
            for path, body in ((f"{API}/publish", {}), (f"{API}/rollback", {"version": 1})):
                doc = _coded(who.send("POST", path, json=body), lang)
                assert doc["code"] == "publish_off", doc
        assert _state(hub) == before
    finally:
        st.keys = keys


def test_the_pages_language_cookie_wins_and_a_huge_upload_is_refused_unread(hub, staff):
    from kiosk.hub.studio.recordings import MAX_UPLOAD_BYTES

    before = _state(hub)
    who = staff["az"]  # Accept-Language: az; the page's switch set Russian
    who.http.cookies.set("komek_lang", "ru")
    try:
        r = who.send("POST", f"{API}/rollback", json={"version": "abc"})
        assert _coded(r, "ru")["code"] == "invalid"
        r = who.send(
            "POST",
            f"{VOICE}/recordings",
            files={"audio": ("a.wav", b"\0" * (MAX_UPLOAD_BYTES + 200_000), "audio/wav")},
            data={"key": "k", "lang": "az", "words": "w", "consent": "yes"},
        )
        assert r.status_code == 413 and _coded(r, "ru")["code"] == "too_large"
        who.http.cookies.set("komek_lang", HUGE)  # a hostile cookie: Accept-Language then
        r = who.send("POST", f"{API}/rollback", json={"version": "abc"})
        _coded(r, "az")
    finally:
        who.http.cookies.set("komek_lang", "az")
    assert _state(hub) == before
