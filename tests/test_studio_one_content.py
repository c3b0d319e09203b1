"""One content for both studios: the voice studio lists the texts of the content
studio's draft, a recording an admin approves is written into that draft at
once (audio file and its name in the TOML, recorded in the history), and the
next publish from the content studio carries it to the terminals."""

from __future__ import annotations

import hashlib

import pytest

from kiosk.core.content import load_bundle
from kiosk.core.content.update import ContentUpdater, UpdateStatus
from kiosk.hub.studio import recordings
from tests._updates import RepoServer, terminal_settings
from tests.fleet_support import content_hub, content_publisher
from tests.voice_support import speech_like, wav_bytes

CONTENT = "/api/v1/studio/content"


@pytest.fixture
def publisher(tmp_path):
    return content_publisher(tmp_path)


@pytest.fixture
def hub(tmp_path, publisher):
    h = content_hub(tmp_path, publisher)
    yield h
    h.stop()


def csrf(session, hub) -> dict[str, str]:
    token = session.get(f"{hub.url}/api/v1/console/me", timeout=5).json()["csrf_token"]
    return {"X-CSRF-Token": token}


def test_an_approved_voice_is_in_the_draft_and_in_the_next_release(tmp_path, hub, publisher):
    ctx = hub.app.state.hub
    draft = hub.app.state.content_studio.draft
    assert ctx.content_dir == draft.root  # the voice studio works on the draft
    row = recordings.add_recording(
        hub.store,
        hub.data_dir,
        load_bundle(draft.root),
        audio=wav_bytes(speech_like()),
        key="home.say",
        lang="az",
        by="aysel",
        consent="yes",
        source="studio",
        now=hub.clock.now(),
    )
    admin = hub.admin("boss")
    url = f"{hub.url}/api/v1/studio/voice/recordings/{row['id']}/approve"
    r = admin.post(url, headers=csrf(admin, hub), timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["in_draft"] is True
    in_draft = draft.root / "audio" / "az" / "home.say.wav"
    recorded = (hub.data_dir / "recordings" / row["file"]).read_bytes()
    assert in_draft.read_bytes() == recorded
    assert load_bundle(draft.root).strings["home.say"].audio["az"] == "audio/az/home.say.wav"
    [change] = [h for h in draft.history("strings.toml") if h["action"] == "voice"]
    assert change["author"] == "boss" and "audio/az/home.say.wav" in change["diff"]
    overview = admin.get(f"{hub.url}{CONTENT}/files", timeout=30).json()
    assert overview["unpublished"] == 1  # the voice waits for the next release

    r = admin.post(f"{hub.url}{CONTENT}/publish", json={}, headers=csrf(admin, hub), timeout=120)
    assert r.status_code == 200, r.text
    with RepoServer(publisher.repo) as server:
        terminal = ContentUpdater(terminal_settings(tmp_path, server.url, publisher.trusted_root))
        assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED
        assert terminal.switch_pending()
    installed = terminal.installed_dir()
    bundle = load_bundle(installed)
    assert bundle.strings["home.say"].audio["az"] == "audio/az/home.say.wav"
    got = (installed / "audio" / "az" / "home.say.wav").read_bytes()
    assert hashlib.sha256(got).digest() == hashlib.sha256(recorded).digest()
    log = [(e["who"], e["action"]) for e in hub.store.activity()]
    assert log[:2] == [("boss", "content.publish"), ("boss", "voice.approve")]


def test_a_voice_rejected_after_approval_leaves_the_draft(hub):
    draft = hub.app.state.content_studio.draft
    admin = hub.admin("boss")

    def take(peak):
        return recordings.add_recording(
            hub.store,
            hub.data_dir,
            load_bundle(draft.root),
            audio=wav_bytes(speech_like(peak=peak)),
            key="home.say",
            lang="az",
            by="aysel",
            consent="yes",
            source="studio",
            now=hub.clock.now(),
        )

    def review(row, verdict):
        url = f"{hub.url}/api/v1/studio/voice/recordings/{row['id']}/{verdict}"
        r = admin.post(url, headers=csrf(admin, hub), timeout=30)
        assert r.status_code == 200, r.text

    first, second = take(0.05), take(0.08)
    in_draft = draft.root / "audio" / "az" / "home.say.wav"
    review(first, "approve")
    review(second, "approve")
    assert in_draft.read_bytes() == (hub.data_dir / "recordings" / second["file"]).read_bytes()
    # The newer take rejected: the older approved one plays instead.
    review(second, "reject")
    assert in_draft.read_bytes() == (hub.data_dir / "recordings" / first["file"]).read_bytes()
    # The last approved one rejected: the text is synthetic again, file and name gone.
    review(first, "reject")
    assert not in_draft.exists()
    assert "az" not in load_bundle(draft.root).strings["home.say"].audio
    assert draft.history("strings.toml")[0]["note"] == "rejected voice taken out"


def test_a_voice_approved_on_the_command_line_goes_into_the_draft(tmp_path, hub, capsys):
    from kiosk.cli import main

    draft = hub.app.state.content_studio.draft
    take = tmp_path / "take.wav"
    take.write_bytes(wav_bytes(speech_like()))
    data = ["--data", str(hub.data_dir)]
    imported = ["hub", "recordings", "import", str(take), "--text", "home.say", "--lang", "az"]
    assert main([*imported, "--by", "aysel", *data]) == 0
    assert main(["hub", "recordings", "approve", "--all", "--by", "boss", *data]) == 0
    assert "1 voice(s) in the hub's draft" in capsys.readouterr().out
    assert load_bundle(draft.root).strings["home.say"].audio["az"] == "audio/az/home.say.wav"
    [change] = [h for h in draft.history("strings.toml") if h["action"] == "voice"]
    assert change["author"].startswith("command line (")
    assert hub.store.activity()[0]["action"] == "voice.approve"
