"""A recorded human voice in the bundle plays instead of the synthetic one, for
exactly the text and language it was recorded for. Must survive: espeak-ng
missing (recordings still play) and a recording deleted after validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from narration_support import make_test_narrator

from kiosk.core.content import check_bundle, load_bundle
from kiosk.core.narration import FakeEngine, SilentEngine
from kiosk.core.narration.engines import write_silence
from kiosk.core.narration.script import Line, idle_lines, step_lines


def add_recordings(content: Path) -> None:
    """An admin records the ASAN İmza step and the 'more time?' prompt in Azerbaijani."""
    (content / "audio" / "az").mkdir(parents=True)
    write_silence(content / "audio" / "az" / "asan.wav", 2.0)
    write_silence(content / "audio" / "az" / "idle.wav", 1.0)
    write_silence(content / "audio" / "az" / "id-card.wav", 1.0)
    service = content / "services" / "asan-imza.toml"
    text = service.read_text(encoding="utf-8")
    marker = 'say.az = "ASAN İmza mobil sim kartdır'
    assert marker in text
    text = text.replace(marker, 'say_audio.az = "audio/az/asan.wav"\n' + marker)
    document = (
        '[[documents]]\naz = "Şəxsiyyət vəsiqəsi"\nru = "Удостоверение личности"\nen = "ID card"\n'
    )
    assert document in text
    text = text.replace(document, document + 'audio.az = "audio/az/id-card.wav"\n')
    service.write_text(text, encoding="utf-8")
    strings = content / "strings.toml"
    text = strings.read_text(encoding="utf-8")
    marker = '["idle.say"]\n'
    text = text.replace(marker, marker + 'audio = { az = "audio/az/idle.wav" }\n')
    strings.write_text(text, encoding="utf-8")


@pytest.fixture
def recorded_bundle(content_copy):
    add_recordings(content_copy)
    return load_bundle(content_copy)


def asan_step(bundle):
    service = bundle.services["asan-imza"]
    return service, service.step("asan")


def test_recorded_audio_wins_over_synthesis(settings, recorded_bundle, tmp_path):
    engine = FakeEngine()
    narrator, player, ui = make_test_narrator(settings, recorded_bundle, engine, tmp_path / "c")
    try:
        service, step = asan_step(recorded_bundle)
        narrator.say(step_lines(recorded_bundle, service, step, "az", None))
        assert player.playing == recorded_bundle.root / "audio" / "az" / "asan.wav"
        player.finish()
        ui.pump()
        assert engine.calls == []

        narrator.say(idle_lines(recorded_bundle, "az"))
        assert player.playing == recorded_bundle.root / "audio" / "az" / "idle.wav"
        assert engine.calls == []
    finally:
        assert narrator.shutdown()


def test_documents_can_have_a_recorded_voice_too(settings, recorded_bundle, tmp_path):
    engine = FakeEngine()
    narrator, player, ui = make_test_narrator(settings, recorded_bundle, engine, tmp_path / "c")
    try:
        document = recorded_bundle.services["asan-imza"].documents[0]
        narrator.say([Line(document, "az")])
        assert player.playing == recorded_bundle.root / "audio" / "az" / "id-card.wav"
        narrator.say([Line(document, "ru")])
        assert ui.run_until(lambda: player.playing is not None)
        assert engine.calls == [(document("ru"), "ru", settings["narration.rate"])]
    finally:
        assert narrator.shutdown()


def test_other_languages_of_a_recorded_text_are_still_synthesised(
    settings, recorded_bundle, tmp_path
):
    engine = FakeEngine()
    narrator, player, ui = make_test_narrator(settings, recorded_bundle, engine, tmp_path / "c")
    try:
        service, step = asan_step(recorded_bundle)
        narrator.say(step_lines(recorded_bundle, service, step, "ru", None))
        assert ui.run_until(lambda: player.playing is not None)
        assert engine.calls[0][0] == step.say("ru")
        assert recorded_bundle.root not in player.playing.parents
    finally:
        assert narrator.shutdown()


def test_recordings_play_even_without_espeak(settings, recorded_bundle, tmp_path):
    engine = SilentEngine("espeak-ng not found: narration is off")
    narrator, player, ui = make_test_narrator(settings, recorded_bundle, engine, tmp_path / "c")
    try:
        narrator.say(idle_lines(recorded_bundle, "az"))
        assert player.playing == recorded_bundle.root / "audio" / "az" / "idle.wav"
    finally:
        assert narrator.shutdown()


def test_a_recording_deleted_after_validation_falls_back_to_synthesis(
    settings, recorded_bundle, tmp_path
):
    (recorded_bundle.root / "audio" / "az" / "idle.wav").unlink()
    engine = FakeEngine()
    narrator, player, ui = make_test_narrator(settings, recorded_bundle, engine, tmp_path / "c")
    try:
        narrator.say(idle_lines(recorded_bundle, "az"))
        assert ui.run_until(lambda: player.playing is not None)
        assert [c[0] for c in engine.calls] == [recorded_bundle.strings["idle.say"]("az")]
    finally:
        assert narrator.shutdown()


def test_the_validator_names_a_missing_recording_of_a_ui_string(content_copy):
    strings = content_copy / "strings.toml"
    text = strings.read_text(encoding="utf-8")
    text = text.replace('["idle.say"]\n', '["idle.say"]\naudio = { ru = "audio/ru/idle.ogg" }\n')
    strings.write_text(text, encoding="utf-8")
    bundle, problems = check_bundle(content_copy)
    assert bundle is None
    found = [str(p) for p in problems]
    assert any(
        "strings.toml" in p and "idle.say" in p and "[ru]" in p and "does not exist" in p
        for p in found
    ), found
