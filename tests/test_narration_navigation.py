"""Narration follows the resident: a screen's lines play in order, and stop the
moment they touch something else. Volume and slow speech are theirs until the
next resident. Must survive: a clip that finishes synthesising after the resident
moved on is never heard."""

from __future__ import annotations

import threading

import pytest
from narration_support import make_test_narrator

from kiosk.core.narration import AudioCache, FakeEngine
from kiosk.core.narration.script import group_lines, home_lines


@pytest.fixture
def rig(settings, bundle, tmp_path):
    engine = FakeEngine()
    narrator, player, ui = make_test_narrator(settings, bundle, engine, tmp_path / "cache")
    yield narrator, player, ui, engine
    assert narrator.shutdown()


def clip_of(narrator_settings, line, engine, cache_root, slow=False):
    """The cache file a line's clip is written to."""
    rate = narrator_settings["narration.slow_rate" if slow else "narration.rate"]
    voice = {"az": "az", "ru": "ru", "en": "en-gb"}[line.lang]
    return AudioCache(cache_root).path(line.words, voice, rate, engine.id)


def test_a_screen_speaks_its_lines_in_order(rig, bundle):
    narrator, player, ui, engine = rig
    lines = home_lines(bundle, "az")
    narrator.say(lines)
    for i in range(len(lines)):
        assert ui.run_until(lambda: player.playing is not None), f"line {i} never played"
        player.finish()
    ui.pump()
    assert [c[0] for c in engine.calls] == [line.words for line in lines]
    assert len(player.played) == len(lines)
    assert not narrator.speaking


def test_moving_to_another_screen_stops_the_first_and_speaks_the_second(
    rig, bundle, settings, tmp_path
):
    narrator, player, ui, engine = rig
    home = home_lines(bundle, "az")
    narrator.say(home)
    assert ui.run_until(lambda: player.playing is not None)
    assert player.playing == clip_of(settings, home[0], engine, tmp_path / "cache")
    stops_before = player.stops

    group = group_lines(bundle, bundle.groups[0], "az")
    narrator.say(group)
    assert player.stops > stops_before, "the home screen's narration was not stopped"
    first_of_group = clip_of(settings, group[0], engine, tmp_path / "cache")
    assert ui.run_until(lambda: player.playing == first_of_group)
    for _ in group[1:]:
        player.finish()
        assert ui.run_until(lambda: player.playing is not None)
    player.finish()
    ui.pump()

    # Nothing of the home screen after its first line is ever heard (the group's
    # own name is on both screens, so it does not count).
    group_words = {line.words for line in group}
    home_rest = {
        clip_of(settings, line, engine, tmp_path / "cache")
        for line in home[1:]
        if line.words not in group_words
    }
    assert home_rest
    assert not home_rest & set(player.played)
    assert len(player.played) == 1 + len(group)


def test_stop_silences_and_a_late_clip_never_plays(settings, bundle, tmp_path):
    gate = threading.Event()
    engine = FakeEngine(gate=gate)
    narrator, player, ui = make_test_narrator(settings, bundle, engine, tmp_path / "cache")
    try:
        narrator.say(home_lines(bundle, "az"))
        narrator.stop()
        gate.set()  # the worker finishes the clip only now
        assert narrator.shutdown()
        ui.pump()
        assert player.played == []
        assert player.playing is None
        assert not narrator.speaking
    finally:
        gate.set()
        narrator.shutdown()


def test_the_end_of_an_old_clip_does_not_advance_the_new_screen(rig, bundle):
    narrator, player, ui, engine = rig
    narrator.say(home_lines(bundle, "az"))
    assert ui.run_until(lambda: player.playing is not None)
    old_on_end = player._on_end
    narrator.say(home_lines(bundle, "ru"))
    assert ui.run_until(lambda: len(player.played) == 2)
    played = len(player.played)
    old_on_end()  # a stopped clip's end arriving late
    ui.pump()
    assert len(player.played) == played


def test_the_speaker_button_repeats_the_screen_from_the_start(rig, bundle):
    narrator, player, ui, engine = rig
    lines = home_lines(bundle, "az")
    narrator.say(lines)
    assert ui.run_until(lambda: player.playing is not None)
    first = player.playing
    player.finish()
    assert ui.run_until(lambda: player.playing is not None)
    narrator.repeat()
    assert player.playing == first, "repeat must start from the first line, from the cache"


def test_louder_and_softer_change_the_volume_within_limits(rig, bundle, settings):
    narrator, player, ui, engine = rig
    default = settings["narration.volume"]
    assert player.volume == pytest.approx(default)
    assert narrator.louder() > default
    assert player.volume == pytest.approx(narrator.volume)
    for _ in range(20):
        narrator.louder()
    assert narrator.volume == pytest.approx(1.0)
    for _ in range(30):
        narrator.softer()
    assert 0 < narrator.volume < default, "softer must never make the kiosk silent"


def test_slow_speech_uses_the_slow_rate_and_says_the_screen_again(rig, bundle, settings):
    narrator, player, ui, engine = rig
    lines = home_lines(bundle, "az")[:1]
    narrator.say(lines)
    assert ui.run_until(lambda: len(player.played) == 1)
    narrator.set_slow(True)
    assert ui.run_until(lambda: len(player.played) == 2)
    assert [c[2] for c in engine.calls] == [
        settings["narration.rate"],
        settings["narration.slow_rate"],
    ]
    assert player.played[0] != player.played[1]


def test_the_next_resident_gets_the_default_volume_and_rate(rig, bundle, settings):
    narrator, player, ui, engine = rig
    narrator.louder()
    narrator.set_slow(True)
    narrator.say(home_lines(bundle, "az"))
    narrator.reset_for_new_resident()
    assert player.playing is None
    assert narrator.volume == pytest.approx(settings["narration.volume"])
    assert player.volume == pytest.approx(settings["narration.volume"])
    assert not narrator.slow
    assert narrator.rate == settings["narration.rate"]
    narrator.repeat()  # nothing left from the previous resident to repeat
    ui.pump()
    assert player.playing is None
