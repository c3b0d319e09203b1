"""Kivy's audio plays narration clips: the end of a clip is reported once, a
stopped clip never reports an end, and a clip that cannot be loaded is skipped
instead of waited for. Must survive: a recorded file that is not audio."""

from __future__ import annotations

import time

import pytest

from kiosk.core.narration.engines import write_silence

pytestmark = pytest.mark.ui


@pytest.fixture
def kivy():
    from kivy.clock import Clock

    from kiosk.ui.audio import KivyPlayer

    def run_until(condition, guard: float = 10.0) -> bool:
        deadline = time.monotonic() + guard  # only a guard against a hang
        while not condition() and time.monotonic() < deadline:
            Clock.tick()
        return condition()

    return KivyPlayer, run_until


def test_a_clip_plays_to_its_end_once(kivy, tmp_path):
    KivyPlayer, run_until = kivy
    clip = tmp_path / "a.wav"
    write_silence(clip, 0.3)
    player = KivyPlayer()
    ends: list[str] = []
    player.set_volume(0.5)
    player.play(clip, lambda: ends.append("a"))
    assert player._sound is not None and player._sound.volume == pytest.approx(0.5)
    assert run_until(lambda: ends == ["a"])
    assert player._sound is None  # released


def test_a_stopped_clip_never_reports_an_end(kivy, tmp_path):
    KivyPlayer, run_until = kivy
    first, second = tmp_path / "first.wav", tmp_path / "second.wav"
    write_silence(first, 5.0)
    write_silence(second, 0.2)
    player = KivyPlayer()
    ends: list[str] = []
    player.play(first, lambda: ends.append("first"))
    player.play(second, lambda: ends.append("second"))  # the resident moved on
    assert run_until(lambda: "second" in ends)
    player.stop()
    assert ends == ["second"]


def test_a_clip_that_cannot_be_loaded_is_skipped(kivy, tmp_path):
    KivyPlayer, run_until = kivy
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF....WAVE but not really")
    player = KivyPlayer()
    ends: list[str] = []
    player.play(broken, lambda: ends.append("broken"))
    assert run_until(lambda: ends == ["broken"])


def test_a_recording_from_the_studio_plays_to_its_end(kivy, tmp_path):
    """What the hub makes of a volunteer's recording (WebM/Opus from a phone) is a
    clip the terminal's own player plays through."""
    from kiosk.hub.studio.audio import process
    from tests.voice_support import encoded, speech_like

    KivyPlayer, run_until = kivy
    clip = tmp_path / "home.say.wav"
    clip.write_bytes(process(encoded(speech_like(seconds=0.8), "webm", "libopus")).wav)
    player = KivyPlayer()
    ends: list[str] = []
    player.play(clip, lambda: ends.append("home"))
    assert player._sound is not None and player._sound.length > 0.5
    assert run_until(lambda: ends == ["home"])
