"""No espeak-ng on the machine: the kiosk runs silent, says why (for the small
notice and the log), and never crashes or hangs. Must survive: espeak-ng that is
installed but breaks when it starts."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from narration_support import UiThread, make_test_narrator

from kiosk.core.narration import (
    EngineError,
    FakePlayer,
    Pyttsx3Engine,
    SilentEngine,
    make_engine,
    make_narrator,
)
from kiosk.core.narration.script import home_lines


def no_espeak() -> Pyttsx3Engine:
    """The real engine on a machine where the espeak-ng library is not installed."""
    return Pyttsx3Engine(library="libespeak-ng-not-installed.so.1")


def test_without_espeak_the_engine_says_what_is_missing():
    problem = no_espeak().available()
    assert problem is not None
    assert "espeak-ng not found" in problem


def test_without_espeak_narration_is_silent_and_says_why(settings, bundle, caplog):
    threads_before = threading.active_count()
    player, ui = FakePlayer(), UiThread()
    with caplog.at_level(logging.WARNING):
        narrator = make_narrator(settings, bundle, player, ui, engine=no_espeak())
    assert not narrator.available
    assert "espeak-ng not found" in (narrator.problem or "")
    assert any("espeak-ng not found" in r.getMessage() for r in caplog.records), "not logged"

    for lang in ("az", "ru", "en"):
        narrator.say(home_lines(bundle, lang))
        narrator.repeat()
        narrator.louder()
        narrator.set_slow(True)
        narrator.set_slow(False)
    ui.pump()
    assert player.played == []
    assert narrator.prerender(home_lines(bundle, "az")) == 0
    assert threading.active_count() == threads_before, "a worker started for nothing"
    assert narrator.shutdown()


def test_the_silent_engine_setting_is_reported_too(settings, bundle):
    silent = settings.replace(narration__engine="silent")
    assert isinstance(make_engine(silent), SilentEngine)
    narrator = make_narrator(silent, bundle, FakePlayer(), UiThread())
    assert not narrator.available
    assert "silent" in (narrator.problem or "")
    assert narrator.shutdown()


def test_narration_switched_off_is_quiet_with_no_notice(settings, bundle, tmp_path):
    off = settings.replace(narration__enabled=False)
    player, ui = FakePlayer(), UiThread()
    narrator = make_narrator(off, bundle, player, ui)
    narrator.say(home_lines(bundle, "az"))
    ui.pump()
    assert not narrator.available
    assert narrator.problem is None
    assert player.played == []
    assert narrator.shutdown()


class BreaksAtStart:
    """espeak-ng installed, but its data is missing: the first synthesis fails."""

    id = "broken"

    def __init__(self) -> None:
        self.problem: str | None = None
        self.calls = 0

    def available(self) -> str | None:
        return self.problem

    def synthesize(self, text: str, voice: str, rate: int, out_wav: Path) -> None:
        self.calls += 1
        self.problem = "espeak-ng does not start: no voice data: narration is off"
        raise EngineError(self.problem)

    def close(self) -> None:
        pass


def test_an_engine_that_breaks_at_start_turns_narration_silent(settings, bundle, tmp_path):
    engine = BreaksAtStart()
    narrator, player, ui = make_test_narrator(settings, bundle, engine, tmp_path / "cache")
    try:
        assert narrator.available
        narrator.say(home_lines(bundle, "az"))
        assert ui.run_until(lambda: narrator.problem is not None)
        assert ui.run_until(lambda: not narrator.speaking), "narration waits forever"
        assert not narrator.available
        assert player.played == []
        calls = engine.calls
        narrator.say(home_lines(bundle, "ru"))
        ui.pump()
        assert engine.calls == calls, "kept trying a broken engine"
    finally:
        assert narrator.shutdown()


def test_an_engine_that_breaks_while_filling_the_cache_is_noticed(settings, bundle, tmp_path):
    engine = BreaksAtStart()
    narrator, player, ui = make_test_narrator(settings, bundle, engine, tmp_path / "cache")
    try:
        progress: list[int] = []
        total = narrator.prerender(
            home_lines(bundle, "az"), on_progress=lambda d, t: progress.append(d)
        )
        assert total > 0
        assert ui.run_until(lambda: progress and progress[-1] == total), "prerender never finished"
        assert "does not start" in (narrator.problem or "")
        assert not narrator.available
    finally:
        assert narrator.shutdown()
