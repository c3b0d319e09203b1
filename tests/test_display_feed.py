"""The waiting-room display's feed against a real hub: its key reads one site's
calls and nothing personal; each call is spoken in az and ru as a WAV; the
display state is rebuilt from the database after a restart (issue 27)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import wave

import pytest
import requests

from tests.display_support import PEOPLE, PRIVATE, Volunteer, send_request, start_hub


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    running = start_hub(tmp_path_factory.mktemp("display") / "hub")
    for n, (name, phone, _) in enumerate(PEOPLE, start=1):
        send_request(running, n, name, phone)
    volunteer = Volunteer(running)
    assert volunteer.post("desk", {"desk": 2}).json()["desk"] == 2
    for row, (_, _, note) in zip(volunteer.queue(), PEOPLE, strict=True):
        assert volunteer.post(f"requests/{row['id']}/note", {"note": note}).status_code == 200
    running.volunteer = volunteer
    running.called = volunteer.call_next()
    yield running
    running.stop()


def state(hub, key=None):
    return requests.get(
        hub.url + "/api/v1/display/state", params={"key": key or hub.display_key}, timeout=10
    )


def first_event(hub) -> str:
    with requests.get(
        hub.url + "/api/v1/display/events",
        params={"key": hub.display_key},
        stream=True,
        timeout=10,
    ) as r:
        assert r.status_code == 200
        text = ""
        for chunk in r.iter_content(chunk_size=None, decode_unicode=True):
            text += chunk
            if "event: display" in text and text.endswith("\n\n"):
                return text
    raise AssertionError("no display event")


def test_the_display_shows_the_call_with_desk_pictogram_and_display_name(hub):
    doc = state(hub).json()
    [call] = doc["calls"]
    assert call["ticket"] == hub.called["ticket"] == "A-001"
    assert (call["desk"], call["volunteer"]) == (2, "Aysel")
    assert call["pictogram"] == hub.called["pictogram"]  # what the console shows
    assert call["other_day"] is False
    assert [t["ticket"] for t in doc["waiting"]] == ["A-002", "A-003"]
    assert [a["lang"] for a in call["audio"]] == ["az", "ru"]


def test_nothing_personal_reaches_the_display(hub):
    """The state, the event stream and the page itself hold none of the names,
    phones or notes that the queue has (the console does have them)."""
    console = json.dumps(hub.volunteer.queue(), ensure_ascii=False)
    assert "0501234567" in console and "Gülnarə" in console  # they are in the data
    page = requests.get(hub.url + "/display/", timeout=10).text
    script = requests.get(hub.url + "/display/display.js", timeout=10).text
    for body in (state(hub).text, first_event(hub), page, script):
        leaked = [p for p in PRIVATE if p in body]
        assert leaked == [], leaked


def test_a_display_key_reads_its_own_site_only_and_can_be_revoked(hub):
    other = state(hub, hub.other_key).json()
    assert other["site"] == "ganja" and other["calls"] == [] and other["waiting"] == []
    assert state(hub, "kmd_" + "x" * 43).status_code == 401
    assert requests.get(hub.url + "/api/v1/display/state", timeout=10).status_code == 422
    # A display key is no volunteer login and no terminal key.
    cookies = {"komek_session": hub.display_key}
    r = requests.get(hub.url + "/api/v1/console/queue", cookies=cookies, timeout=10)
    assert r.status_code == 401
    store = hub.store()
    try:
        from kiosk.core.helpdesk import SystemClock

        assert store.revoke_display("ganja-tv", SystemClock().now())
    finally:
        store.close()
    assert state(hub, hub.other_key).status_code == 401


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes() / w.getframerate()


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_call_is_spoken_in_azerbaijani_and_russian(hub):
    [call] = state(hub).json()["calls"]
    seconds = {}
    for clip in call["audio"]:
        r = requests.get(hub.url + clip["url"], timeout=60)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "audio/wav"
        assert r.headers["x-komek-voice"] == "synthetic"  # no human recording of it yet
        seconds[clip["lang"]] = wav_seconds(r.content)
    print(f"call audio seconds: {seconds}")
    # "A bir, ikinci masa" / "а один, второй стол": a second or more, not a minute.
    assert all(1.0 <= s <= 10.0 for s in seconds.values()), seconds
    assert set(seconds) == {"az", "ru"}
    english = call["audio"][0]["url"].replace("/az.wav", "/en.wav")  # not a display language
    assert requests.get(hub.url + english, timeout=10).status_code == 404


def test_a_human_recording_of_the_words_is_played_instead(hub, tmp_path):
    from kiosk.core.helpdesk import SystemClock
    from kiosk.core.narration.engines import write_silence
    from kiosk.hub.studio.recordings import recordings_dir

    voice_words = "A iki, ikinci masa"
    folder = recordings_dir(hub.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    write_silence(folder / "call-a002.wav", 1.5)
    store = hub.store()
    try:
        row = store.add_recording(
            {
                "text_key": "display.call",
                "lang": "az",
                "words": voice_words,
                "file": "call-a002.wav",
                "by": "aysel.quliyeva",
                "consent": "yes",
                "source": "import",
                "seconds": 1.5,
            },
            SystemClock().now(),
        )
        store.review_recording(row["id"], "approved", "admin", SystemClock().now())
    finally:
        store.close()
    called = hub.volunteer.call_next()
    assert called["ticket"] == "A-002"
    [call, _] = state(hub).json()["calls"]
    az = requests.get(hub.url + call["audio"][0]["url"], timeout=60)
    assert az.headers["x-komek-voice"] == "human"
    assert abs(wav_seconds(az.content) - 1.5) < 0.01


def test_the_display_state_survives_a_hub_restart(hub):
    before = state(hub).json()
    hub.stop()
    hub.start()
    after = state(hub).json()
    assert after["calls"] == before["calls"] and after["waiting"] == before["waiting"]


def test_add_display_prints_the_address_and_refuses_unknown_sites(tmp_path):
    def kiosk(*args):
        return subprocess.run(
            [sys.executable, "-m", "kiosk", "hub", *args, "--data", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=60,
        )

    ok = kiosk("add-display", "hall-tv", "--site", "barda")
    assert ok.returncode == 0, ok.stderr
    url = ok.stdout.strip().splitlines()[-1]
    assert "/display/?site=barda&key=kmd_" in url
    bad = kiosk("add-display", "tv-2", "--site", "atlantis")
    assert bad.returncode == 1 and "no site 'atlantis'" in bad.stderr
    assert kiosk("revoke-display", "hall-tv").returncode == 0
    assert kiosk("revoke-display", "hall-tv").returncode == 1  # already revoked


def test_a_ticket_from_yesterday_carries_its_day_marker(hub):
    """The same number can be open from yesterday and today: the display and the
    console show which day a ticket is from, on that day's colour."""
    from datetime import datetime, timedelta

    r = requests.post(
        hub.url + "/api/v1/terminal/help-requests",
        json={
            "ticket": "A-090",
            "topic_service_id": "id-card",
            "issued_at": (datetime.now().astimezone() - timedelta(days=1)).isoformat(),
        },
        headers={"Authorization": f"Bearer {hub.key}", "Idempotency-Key": "idem-yesterday"},
        timeout=10,
    )
    assert r.status_code in (200, 201), r.text
    doc = state(hub).json()
    marks = {t["ticket"]: t for t in doc["waiting"]}
    old, today = marks["A-090"], marks["A-003"]
    assert old["other_day"] is True and today["other_day"] is False
    assert old["colour"] != today["colour"] and old["day"] < doc["today"]
    assert old["weekday"]["az"] and old["weekday"]["ru"]
    [row] = [q for q in hub.volunteer.queue() if q["ticket"] == "A-090"]
    assert (row["other_day"], row["colour"], row["pictogram"]) == (
        True,
        old["colour"],
        old["pictogram"],
    )


def test_the_picture_follows_the_number_printed_on_the_slip(tmp_path):
    """Where the hub gave a request another number than its slip's (a clash with an
    open ticket), the display shows the picture printed on the slip."""
    from datetime import date

    from kiosk.core.helpdesk import SystemClock
    from kiosk.core.helpdesk.marks import ticket_mark
    from kiosk.hub.queue.display_api import ticket_json
    from kiosk.hub.store import HubStore, Terminal

    store = HubStore(tmp_path / "hub.db")
    try:
        now = SystemClock().now()
        store.add_request(
            key="idem-printed-1",
            terminal=Terminal("hall-1", "barda"),
            ticket="A-015",
            topic_service_id=None,
            first_name="Gülnarə",
            phone="0501234567",
            issued_at=now,
            now=now,
        )
        [row] = store.display_waiting("barda", 5)
        # The hub's migrations give every request printed_ticket ("" when the same).
        assert row["printed_ticket"] == "" and "phone" not in row and "first_name" not in row
        store._db.execute("update help_requests set printed_ticket = 'A-014'")
        [row] = store.display_waiting("barda", 5)
        shown = ticket_json(row, date.today(), 6, now.tzinfo)
        assert shown["ticket"] == "A-015"
        assert shown["pictogram"] == ticket_mark("A-014", None).pictogram
    finally:
        store.close()


def test_every_display_string_is_in_az_ru_and_en():
    import re
    from pathlib import Path

    import kiosk.hub.web

    script = (Path(kiosk.hub.web.__file__).parent / "static/display/display.js").read_text()
    table = script[script.index("const TEXT = {") : script.index("};", script.index("const TEXT"))]
    blocks = dict(re.findall(r"\n  (az|ru|en): \{(.*?)\n  \}", table, re.S))
    keys = {lang: set(re.findall(r"(\w+): \"", body)) for lang, body in blocks.items()}
    assert set(keys) == {"az", "ru", "en"}
    assert keys["az"] == keys["ru"] == keys["en"] and len(keys["az"]) >= 10
    page = (Path(kiosk.hub.web.__file__).parent / "static/display/index.html").read_text()
    assert set(re.findall(r'data-t="(\w+)"', page)) <= keys["az"]
