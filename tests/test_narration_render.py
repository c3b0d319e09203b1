"""Every narration text of the default bundle, in az, ru and en, becomes a real
spoken clip through pyttsx3 on espeak-ng: non-empty, longer for longer texts,
and in its own language's voice. Must survive: a voice name espeak-ng does not
know by that name ("en-gb"), which pyttsx3 would silently ignore."""

from __future__ import annotations

import wave
from collections import defaultdict

import pytest

from kiosk.core.narration import AudioCache, EngineError, Pyttsx3Engine, all_lines
from kiosk.core.narration.engines import wav_seconds
from kiosk.core.narration.narrator import voice_for
from kiosk.core.narration.speech_process import ProcessEngine


@pytest.fixture(scope="module")
def engine():
    # The terminal's engine: pyttsx3 in its own process (speech_process.py).
    engine = ProcessEngine()
    assert engine.available() is None, "espeak-ng must be installed (deploy/debian-packages.txt)"
    yield engine
    engine.close()


def frames(path) -> bytes:
    with wave.open(str(path), "rb") as w:
        return w.readframes(w.getnframes())


def test_every_text_of_the_default_bundle_renders_in_every_language(bundle, engine, tmp_path):
    cache = AudioCache(tmp_path)
    seconds: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for line in all_lines(bundle):
        clip = cache.render(engine, line.words, voice_for(bundle, line.lang), 150)
        length = wav_seconds(clip)
        assert length > 0.2, f"{line.lang}: {line.words!r} is (nearly) empty"
        if not any(ch.isdigit() for ch in line.words):  # a phone's digits are said as words
            seconds[line.lang].append((len(line.words), length))
    assert set(seconds) == {"az", "ru", "en"}

    # Longer texts make longer clips: whenever a text has at least twice the
    # letters of another, its clip is longer.
    for lang, pairs in seconds.items():
        pairs.sort()
        shortest, longest = pairs[0], pairs[-1]
        assert longest[1] > 3 * shortest[1], lang
        for chars_a, secs_a in pairs:
            for chars_b, secs_b in pairs:
                if chars_a >= 2 * chars_b + 10:
                    assert secs_a > secs_b, (lang, chars_a, secs_a, chars_b, secs_b)


def test_each_language_speaks_with_its_own_voice(bundle, engine, tmp_path):
    cache = AudioCache(tmp_path)
    text = bundle.strings["home.say"]("az")
    clips = {
        lang: frames(cache.render(engine, text, voice_for(bundle, lang), 150))
        for lang in ("az", "ru", "en", "az")
    }
    assert len(set(clips.values())) == 3, "two languages came out in the same voice"


def test_slow_speech_is_longer(bundle, engine, tmp_path):
    cache = AudioCache(tmp_path)
    text = bundle.strings["idle.say"]("az")
    normal = wav_seconds(cache.render(engine, text, "az", 150))
    slow = wav_seconds(cache.render(engine, text, "az", 110))
    assert slow > normal * 1.15


def test_unknown_voice_and_empty_text_fail_without_hanging(engine, tmp_path):
    cache = AudioCache(tmp_path)
    with pytest.raises(EngineError, match="no voice"):
        cache.render(engine, "Salam", "xx-not-a-voice", 150)
    with pytest.raises(EngineError):
        cache.render(engine, "   ", "az", 150)
    assert wav_seconds(cache.render(engine, "Salam", "az", 150)) > 0


def test_a_second_engine_in_the_same_process_still_speaks(tmp_path):
    """A kiosk that restarts its narrator (new bundle, tests) must not lose espeak."""
    import gc

    cache = AudioCache(tmp_path)
    first = Pyttsx3Engine()
    cache.render(first, "Birinci", "az", 150)
    first.close()
    del first
    gc.collect()
    second = Pyttsx3Engine()
    assert wav_seconds(cache.render(second, "İkinci", "az", 150)) > 0
    second.close()
