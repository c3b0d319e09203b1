"""The voice studio over a real hub (uvicorn, real SQLite, real decoding): the
studio asks for a login and shows admins the Content entry; texts come most
heard first with their state; an upload from any browser format becomes a
loudness-normalised WAV; an admin (only) approves; a changed text goes stale.
Must survive: an empty, a 10-minute, a non-audio, a clipped recording, one for a
text that no longer exists, one without consent or CSRF token: each refused
with a clear reason and nothing stored, neither a row nor a file."""

from __future__ import annotations

import io
import wave
from datetime import UTC, datetime

import numpy as np
import pytest
import requests

from tests.fleet_support import FleetHub
from tests.voice_support import RATE, encoded, lufs, speech_like, wav_bytes

HOME_AZ = "Nə ilə kömək edək? Şəklə toxunun."
TEXTS = "/api/v1/studio/voice/texts"
UPLOAD = "/api/v1/studio/voice/recordings"


@pytest.fixture
def hub(tmp_path, content_copy):
    h = FleetHub(
        tmp_path / "hub", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), content_source=str(content_copy)
    )
    h.content = content_copy
    yield h
    h.stop()


def csrf(session: requests.Session, hub: FleetHub) -> str:
    return session.get(f"{hub.url}/api/v1/console/me", timeout=5).json()["csrf_token"]


def send(session, hub, audio: bytes, name="take.webm", key="home.say", lang="az", **fields):
    data = {"key": key, "lang": lang, "words": HOME_AZ, "consent": "yes", **fields}
    headers = {"X-CSRF-Token": fields.pop("token", None) or csrf(session, hub)}
    return session.post(
        hub.url + UPLOAD,
        data={k: v for k, v in data.items() if k != "token"},
        files={"audio": (name, audio)},
        headers=headers,
        timeout=30,
    )


def stored(hub) -> tuple[list, list]:
    rows = hub.store.recordings()
    folder = hub.data_dir / "recordings"
    files = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    return rows, files


def texts(session, hub, lang="az") -> dict:
    r = session.get(f"{hub.url}{TEXTS}?lang={lang}", timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def state_of(doc: dict, key: str) -> str:
    return next(t["state"] for t in doc["texts"] if t["key"] == key)


def test_the_studio_asks_for_a_login_and_shows_content_to_admins_only(hub):
    anon = requests.Session()
    r = anon.get(hub.url + "/studio/", allow_redirects=False, timeout=5)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/studio/"
    login = anon.get(hub.url + r.headers["location"], timeout=5)
    assert login.status_code == 200 and 'id="login-form"' in login.text
    assert 'data-next="/studio/"' in login.text
    assert anon.get(hub.url + TEXTS, timeout=5).status_code == 401
    # A login page never sends anyone off the hub: only this hub's own pages.
    for odd in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x"):
        page = anon.get(hub.url + "/login", params={"next": odd}, timeout=5)
        assert 'data-next="/console/"' in page.text, odd
    old = anon.get(hub.url + "/studio/login?next=/studio/", allow_redirects=False, timeout=5)
    assert old.headers["location"] == "/login?next=/studio/"

    volunteer = hub.admin("aysel", admin=False)
    page = volunteer.get(hub.url + "/studio/", timeout=5)
    assert page.status_code == 200
    assert 'data-nav="voice"' in page.text and 'data-nav="content"' not in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "media-src 'self' blob:" in page.headers["content-security-policy"]
    admin = hub.admin("boss")
    assert 'data-nav="content"' in admin.get(hub.url + "/studio/", timeout=5).text
    # Logged in, the login page goes straight on.
    r = admin.get(hub.url + "/login?next=/studio/", allow_redirects=False, timeout=5)
    assert r.status_code == 303 and r.headers["location"] == "/studio/"


def test_texts_come_most_heard_first_with_their_state(hub):
    doc = texts(hub.admin("aysel", admin=False), hub)
    keys = [t["key"] for t in doc["texts"]]
    assert keys[:2] == ["language.say", "home.say"]
    weights = [t["weight"] for t in doc["texts"]]
    assert weights == sorted(weights, reverse=True)
    assert {t["state"] for t in doc["texts"]} == {"synthetic"}
    assert doc["coverage"]["approved"] == 0 and doc["coverage"]["total"] == len(keys)
    assert next(t for t in doc["texts"] if t["key"] == "home.say")["words"] == HOME_AZ


def test_usage_counts_move_a_service_up_the_list(hub):
    volunteer = hub.admin("aysel", admin=False)
    before = [t["key"] for t in texts(volunteer, hub)["texts"]]
    hub.store.record_usage(
        "hall-1",
        [{"day": "2026-11-20", "service": "tax-return", "opened": 500, "printed": 0, "help": 0}],
        hub.clock.now(),
    )
    after = [t["key"] for t in texts(volunteer, hub)["texts"]]
    step = "service.tax-return.what"
    assert step in before
    assert after.index(step) < before.index(step)


@pytest.mark.parametrize(
    ("name", "container", "codec"),
    [("take.webm", "webm", "libopus"), ("take.m4a", "mp4", "aac"), ("take.ogg", "ogg", "libopus")],
)
def test_a_browser_recording_becomes_a_normalised_wav(hub, name, container, codec):
    volunteer = hub.admin("aysel", admin=False)
    quiet = speech_like(peak=0.03)
    r = send(volunteer, hub, encoded(quiet, container, codec), name=name)
    assert r.status_code == 201, r.text
    rec = r.json()["recording"]
    assert rec["status"] == "recorded" and rec["by"] == "aysel"
    assert rec["loudness_in"] < -30 and rec["loudness_out"] == pytest.approx(-16, abs=1)
    # Trimmed: about the 1.6 s of words, not the 1.2 s of quiet around them.
    assert 1.6 <= rec["seconds"] <= 2.2
    clip = volunteer.get(hub.url + rec["audio"], timeout=5)
    assert clip.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(clip.content)) as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
    assert lufs(clip.content) == pytest.approx(-16, abs=1)
    [row] = hub.store.recordings()
    assert row["words"] == HOME_AZ and row["consent"].startswith("I agree")
    assert state_of(texts(volunteer, hub), "home.say") == "recorded"


def test_only_an_admin_approves(hub):
    volunteer = hub.admin("aysel", admin=False)
    rec = send(volunteer, hub, wav_bytes(speech_like())).json()["recording"]
    url = f"{hub.url}/api/v1/studio/voice/recordings/{rec['id']}/approve"
    r = volunteer.post(url, headers={"X-CSRF-Token": csrf(volunteer, hub)}, timeout=5)
    assert r.status_code == 403
    admin = hub.admin("boss")
    assert admin.post(url, timeout=5).status_code == 403  # no CSRF token
    r = admin.post(url, headers={"X-CSRF-Token": csrf(admin, hub)}, timeout=5)
    assert r.status_code == 200 and r.json()["recording"]["reviewed_by"] == "boss"
    doc = texts(admin, hub)
    assert state_of(doc, "home.say") == "approved"
    assert doc["coverage"]["approved"] == 1 and doc["coverage"]["share"] > 0


def test_a_changed_text_makes_its_recording_stale(hub):
    volunteer = hub.admin("aysel", admin=False)
    assert send(volunteer, hub, wav_bytes(speech_like())).status_code == 201
    strings = hub.app.state.hub.content_dir / "strings.toml"  # the studios' draft
    strings.write_text(
        strings.read_text("utf-8").replace(HOME_AZ, "Nə ilə kömək edək? Şəkli seçin."), "utf-8"
    )
    assert state_of(texts(volunteer, hub), "home.say") == "stale"


def far_too_long() -> bytes:
    """Talk as a browser sends it (WebM/Opus), longer than the hub decodes at all
    (kiosk.hub.studio.audio.DECODE_LIMIT_SECONDS): it stops reading early."""
    from kiosk.hub.studio.audio import DECODE_LIMIT_SECONDS

    return encoded(speech_like(seconds=DECODE_LIMIT_SECONDS + 30, pad=0.1), "webm", "libopus")


def good() -> bytes:
    return wav_bytes(speech_like())


BAD = {
    "empty": (lambda: b"", "take.webm", {}, 422, "empty"),
    "silent": (lambda: wav_bytes(np.zeros(RATE * 2)), "take.wav", {}, 422, "silent"),
    "far too long": (far_too_long, "take.webm", {}, 422, "more than 120 seconds long"),
    "not audio": (lambda: b"OggS" + b"a text file, renamed" * 40, "take.ogg", {}, 422, "read"),
    "clipped": (lambda: wav_bytes(speech_like(peak=3.0)), "t.wav", {}, 422, "clipped"),
    "removed text": (good, "t.wav", {"key": "gone.say"}, 404, "no text"),
    "changed words": (good, "t.wav", {"words": "old"}, 409, "changed"),
    "no consent": (good, "t.wav", {"consent": ""}, 400, "consent"),
    "no such language": (good, "t.wav", {"lang": "de"}, 422, "language"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_recordings_are_refused_and_nothing_is_stored(hub, case):
    make, name, fields, status, reason = BAD[case]
    audio = make()
    volunteer = hub.admin("aysel", admin=False)
    r = send(volunteer, hub, audio, name=name, **fields)
    assert r.status_code == status, r.text
    assert reason in r.json()["detail"]
    assert stored(hub) == ([], [])
    assert state_of(texts(volunteer, hub), "home.say") == "synthetic"


def test_an_upload_needs_the_csrf_token(hub):
    volunteer = hub.admin("aysel", admin=False)
    r = send(volunteer, hub, wav_bytes(speech_like()), token="forged")
    assert r.status_code == 403
    assert stored(hub) == ([], [])
