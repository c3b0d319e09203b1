"""`kiosk hub recordings import|approve|export` and the coverage line of
`kiosk content validate`: a quiet WAV recorded on a phone for `home.say` in
Azerbaijani, imported, approved and exported into a copy of the default
content, gives a bundle that validates, a louder (normalised) file, comments
and layout of the TOML kept, `human voice: 1 of ...` for az, and a narrator
that plays the recording instead of synthesising. Must survive: an import for
a text that does not exist or of a file that is not audio stores nothing; a
recording whose text changed is not exported."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from narration_support import make_test_narrator

from kiosk.cli import main
from kiosk.core.content import load_bundle
from kiosk.core.narration import FakeEngine
from kiosk.core.narration.script import home_lines
from kiosk.core.narration.voices import coverage, spoken_texts
from kiosk.hub.store import HubStore
from tests.voice_support import lufs, speech_like, wav_bytes, write_wav


@pytest.fixture
def quiet_wav(tmp_path):
    return write_wav(tmp_path / "home-az.wav", speech_like(peak=0.02))


def hub(tmp_path, *args: str) -> int:
    return main(["hub", "recordings", *args, "--data", str(tmp_path / "hub")])


def validate(path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "validate", str(path)],
        capture_output=True,
        text=True,
    )


def test_import_approve_export_gives_a_bundle_with_a_human_voice(
    tmp_path, quiet_wav, content_copy, settings, capsys
):
    assert (
        hub(
            tmp_path,
            "import",
            str(quiet_wav),
            "--text",
            "home.say",
            "--lang",
            "az",
            "--by",
            "aysel",
        )
        == 0
    )
    assert "waiting for approval" in capsys.readouterr().out
    assert hub(tmp_path, "approve", "--all", "--by", "boss") == 0
    assert "approved 1: az home.say by aysel" in capsys.readouterr().out
    strings_before = (content_copy / "strings.toml").read_text("utf-8")

    assert hub(tmp_path, "export", "--into", str(content_copy)) == 0
    out = capsys.readouterr().out
    assert "wrote az home.say -> audio/az/home.say.wav" in out

    exported = content_copy / "audio" / "az" / "home.say.wav"
    assert lufs(exported.read_bytes()) > lufs(quiet_wav.read_bytes()) + 10
    assert lufs(exported.read_bytes()) == pytest.approx(-16, abs=1)
    # Only the recording's line is new; every comment and line before stays.
    strings_after = (content_copy / "strings.toml").read_text("utf-8")
    added = [x for x in strings_after.splitlines() if x not in strings_before.splitlines()]
    assert added == ['audio = {az = "audio/az/home.say.wav"}']
    assert strings_after.startswith("# Words of the screens themselves.")

    result = validate(content_copy)
    assert result.returncode == 0, result.stdout
    assert re.search(
        r"^az: human voice: 1 of \d+ texts \(\d+% of what residents hear\)$",
        result.stdout,
        re.MULTILINE,
    ), result.stdout
    assert "ru: human voice: 0 of" in result.stdout

    # The terminal's narrator plays the recording for the home screen, not speech.
    bundle = load_bundle(content_copy)
    engine = FakeEngine()
    narrator, player, _ui = make_test_narrator(settings, bundle, engine, tmp_path / "cache")
    try:
        narrator.say(home_lines(bundle, "az"))
        assert player.playing == exported
    finally:
        narrator.shutdown()


def test_coverage_weighs_what_residents_hear_most(bundle):
    texts = spoken_texts(bundle)
    assert coverage(bundle, "az").recorded == 0
    heard = {t.key: t.weight for t in texts}
    # Everyone hears the home screen; a step deep in one service few do.
    assert heard["home.say"] == 1.0
    assert heard["service.tax-return.what"] < heard["service.tax-return.title"] < 1.0


def test_every_line_a_screen_says_has_a_key(bundle):
    from kiosk.core.narration.script import all_lines

    keyed = {(t.words(lang), lang) for t in spoken_texts(bundle) for lang in bundle.language_codes}

    def derived(words: str, lang: str) -> bool:
        """Said only by the synthetic voice, never recorded: a text with this site's
        place filled in, a help point's phone, a `say` of a choice or document line."""
        places = {p(lang) for s in bundle.sites.values() for p in s.places.values()}
        phone = bundle.strings["help_points.phone"](lang).split("{")[0]
        says = {
            c.say(lang)
            for v in bundle.services.values()
            for st in v.steps
            for c in st.choices
            if c.say
        }
        says |= {d(lang) for v in bundle.services.values() for d in v.documents_say}
        return words.startswith(phone) or words in says or any(p in words for p in places)

    missing = [(x.words, x.lang) for x in all_lines(bundle) if (x.words, x.lang) not in keyed]
    assert [m for m in missing if not derived(*m)] == []


@pytest.mark.parametrize(
    ("audio", "key", "reason"),
    [
        (wav_bytes(speech_like()), "home.gone", "no text 'home.gone'"),
        (b"OggS not audio at all" * 20, "home.say", "not a recording the hub can read"),
    ],
)
def test_a_bad_import_is_refused_and_stores_nothing(tmp_path, capsys, audio, key, reason):
    path = tmp_path / "take.ogg"
    path.write_bytes(audio)
    assert hub(tmp_path, "import", str(path), "--text", key, "--lang", "az", "--by", "aysel") == 1
    assert reason in capsys.readouterr().err
    store = HubStore(tmp_path / "hub" / "hub.db")
    assert store.recordings() == []
    folder = tmp_path / "hub" / "recordings"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_recording_whose_text_changed_is_not_exported(tmp_path, quiet_wav, content_copy, capsys):
    hub(tmp_path, "import", str(quiet_wav), "--text", "home.say", "--lang", "az", "--by", "aysel")
    hub(tmp_path, "approve", "1", "--by", "boss")
    strings = content_copy / "strings.toml"
    before = strings.read_text("utf-8")
    strings.write_text(before.replace("Şəklə toxunun.", "Şəkli seçin."), "utf-8")
    capsys.readouterr()
    assert hub(tmp_path, "export", "--into", str(content_copy)) == 0
    assert "skipped az home.say: stale" in capsys.readouterr().out
    assert not (content_copy / "audio").exists()
    assert "audio" not in strings.read_text("utf-8")


def test_approve_needs_ids_or_all(tmp_path, capsys):
    assert hub(tmp_path, "approve", "--by", "boss") == 2
    assert hub(tmp_path, "approve", "7", "--by", "boss") == 1
    assert "no recording 7" in capsys.readouterr().err
