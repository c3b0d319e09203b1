"""Quick navigation never jams narration: 200 screens in a row leave one worker
that still answers, drop the clips nobody waits for, and end cleanly. Must
survive: a resident tapping through screens faster than speech is made."""

from __future__ import annotations

import threading

from narration_support import make_test_narrator

from kiosk.core.content import Text
from kiosk.core.narration import AudioCache, FakeEngine
from kiosk.core.narration.script import Line
from kiosk.core.narration.speech_process import ProcessEngine


def screen(i: int) -> list[Line]:
    # Every screen a different text, so each one misses the cache.
    return [Line(Text({"az": f"Ekran nömrə {i}. Şəklə toxunun."}), "az")]


def test_200_quick_navigations_with_espeak_leave_no_hung_worker(settings, bundle, tmp_path):
    # Threads other tests left behind may end meanwhile: count only the ones started here.
    before = set(threading.enumerate())

    def started_here() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t not in before]

    engine = ProcessEngine()  # the terminal's engine: pyttsx3 in its own process
    assert engine.available() is None, "espeak-ng must be installed for this test"
    narrator, player, ui = make_test_narrator(settings, bundle, engine, tmp_path / "cache")
    try:
        for i in range(200):
            narrator.say(screen(i))
            ui.pump()
        assert len(started_here()) <= 1, "more than one worker thread"

        last = AudioCache(tmp_path / "cache").path(
            screen(199)[0].words, "az", settings["narration.rate"], engine.id
        )
        assert ui.run_until(lambda: player.playing == last), "the last screen was never spoken"
        # Clips of screens left behind never play after the last one started.
        ui.pump()
        assert player.played[-1] == last

        # The worker still answers.
        narrator.say(screen(1000))
        assert ui.run_until(lambda: player.playing is not None and player.playing != last)
    finally:
        assert narrator.shutdown(timeout=10), "the worker did not end"
    assert started_here() == []


def test_screens_left_behind_are_not_synthesised(settings, bundle, tmp_path):
    gate = threading.Event()
    engine = FakeEngine(gate=gate)
    narrator, player, ui = make_test_narrator(settings, bundle, engine, tmp_path / "cache")
    try:
        for i in range(200):
            narrator.say(screen(i))
        gate.set()
        assert ui.run_until(lambda: player.playing is not None)
        texts = [c[0] for c in engine.calls]
        # At most the clip already in the engine when the burst began, and the last.
        assert len(texts) <= 2
        assert texts[-1] == screen(199)[0].words
        assert engine.threads and len(engine.threads) == 1
        assert threading.get_ident() not in engine.threads, "the engine ran on the UI thread"
    finally:
        gate.set()
        assert narrator.shutdown()


def test_shutdown_with_clips_still_waiting_ends_the_worker(settings, bundle, tmp_path):
    before = set(threading.enumerate())
    engine = FakeEngine()
    narrator, player, ui = make_test_narrator(settings, bundle, engine, tmp_path / "cache")
    narrator.prerender([line for i in range(300) for line in screen(i)])
    assert narrator.shutdown()
    assert [t for t in threading.enumerate() if t not in before] == []
    done = len(engine.calls)
    narrator.say(screen(5))  # after shutdown: ignored, no new thread
    ui.pump()
    assert [t for t in threading.enumerate() if t not in before] == []
    assert len(engine.calls) == done
