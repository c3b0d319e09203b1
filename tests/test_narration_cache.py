"""The audio cache: narration starts from a ready clip without synthesising, and
a clip that was not finished never counts as ready. Must survive: a crash in
the middle of writing a clip (the next start synthesises it again)."""

from __future__ import annotations

import pytest
from narration_support import make_test_narrator

from kiosk.core.narration import AudioCache, EngineError, FakeEngine, all_lines
from kiosk.core.narration.engines import wav_seconds
from kiosk.core.narration.script import home_lines


def test_a_cache_hit_plays_at_once_without_synthesising(settings, bundle, tmp_path):
    engine = FakeEngine()
    narrator, player, ui = make_test_narrator(settings, bundle, engine, tmp_path / "cache")
    try:
        lines = home_lines(bundle, "az")
        narrator.say(lines)
        for _ in lines:
            assert ui.run_until(lambda: player.playing is not None)
            player.finish()
        made = len(engine.calls)
        assert made == len(lines)

        narrator.say(lines)
        # Played inside say() itself: no worker, no wait for the UI queue.
        assert player.playing is not None
        for _ in lines:
            assert player.playing is not None
            player.finish()
        assert len(engine.calls) == made, "a cached clip was synthesised again"
    finally:
        assert narrator.shutdown()


def test_prerender_fills_the_cache_for_every_line_and_rate(settings, bundle, tmp_path):
    engine = FakeEngine()
    narrator, player, ui = make_test_narrator(settings, bundle, engine, tmp_path / "cache")
    try:
        lines = list(all_lines(bundle, ["az", "ru"]))
        progress: list[tuple[int, int]] = []
        total = narrator.prerender(lines, on_progress=lambda d, t: progress.append((d, t)))
        assert total == 2 * len(lines)  # normal and slow rate
        assert ui.run_until(lambda: bool(progress) and progress[-1][0] == total)
        assert progress[-1] == (total, total)
        calls = len(engine.calls)

        assert narrator.prerender(lines) == 0, "a second prerender found clips missing"
        narrator.say(home_lines(bundle, "ru"))
        assert player.playing is not None
        narrator.set_slow(True)
        assert player.playing is not None
        assert len(engine.calls) == calls
    finally:
        assert narrator.shutdown()


def test_the_key_tells_text_voice_rate_and_engine_apart(tmp_path):
    cache = AudioCache(tmp_path)
    base = cache.path("Salam", "az", 150, "fake")
    others = [
        cache.path("Salam!", "az", 150, "fake"),
        cache.path("Salam", "ru", 150, "fake"),
        cache.path("Salam", "az", 110, "fake"),
        cache.path("Salam", "az", 150, "pyttsx3+espeak-ng-1.51"),
    ]
    assert base == cache.path("Salam", "az", 150, "fake")
    assert len({base, *others}) == 5


def test_a_failed_synthesis_leaves_nothing_that_counts_as_a_hit(tmp_path):
    cache = AudioCache(tmp_path)
    engine = FakeEngine(fail_on="broken")
    with pytest.raises(EngineError):
        cache.render(engine, "a broken text", "az", 150)
    assert cache.get("a broken text", "az", 150, engine.id) is None
    assert not [p for p in tmp_path.rglob("*") if p.is_file()], "a temporary file was left"


def test_a_half_written_clip_from_a_crash_is_not_a_hit(tmp_path):
    cache = AudioCache(tmp_path)
    engine = FakeEngine()
    final = cache.path("Salam", "az", 150, engine.id)
    final.parent.mkdir(parents=True)
    # What a power cut during rendering leaves: the temporary file, never the final name.
    (final.parent / ".render-crash.tmp").write_bytes(b"RIFF\0\0")
    assert cache.get("Salam", "az", 150, engine.id) is None
    assert cache.clear_partial() == 1

    clip = cache.render(engine, "Salam", "az", 150)
    assert clip == final
    assert wav_seconds(clip) > 0
    assert cache.get("Salam", "az", 150, engine.id) == final
