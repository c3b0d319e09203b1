"""pyttsx3 runs in a child process: a crash or hang there costs one clip, and
the next clip is spoken by a fresh child."""

import os
import signal
import wave

import pytest

from kiosk.core.narration.engines import EngineError
from kiosk.core.narration.speech_process import ProcessEngine


def seconds(path):
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


@pytest.fixture
def engine():
    e = ProcessEngine()
    if e.available():
        pytest.skip(e.available())
    yield e
    e.close()


def test_the_child_renders_a_clip(engine, tmp_path):
    out = tmp_path / "a.wav"
    engine.synthesize("Azərbaycan dili üçün bura toxunun.", "az", 150, out)
    assert seconds(out) > 1.0


def test_a_child_that_dies_mid_clip_costs_that_clip_and_is_started_again(engine, tmp_path):
    import threading
    import time

    engine.synthesize("Salam.", "az", 150, tmp_path / "first.wav")
    errors = []

    def long_clip():
        try:
            engine.synthesize("Uzun mətn, çox uzun mətn. " * 400, "az", 150, tmp_path / "lost.wav")
        except EngineError as exc:
            errors.append(exc)

    t = threading.Thread(target=long_clip)
    t.start()
    time.sleep(0.2)
    os.kill(engine._child.pid, signal.SIGSEGV)  # what espeak did once in a while
    t.join(30)
    assert errors and "ended while speaking" in str(errors[0])
    engine.synthesize("Yenə danışır.", "az", 150, tmp_path / "again.wav")
    assert seconds(tmp_path / "again.wav") > 0.5


def test_a_child_gone_between_clips_is_started_again(engine, tmp_path):
    engine.synthesize("Salam.", "az", 150, tmp_path / "first.wav")
    os.kill(engine._child.pid, signal.SIGKILL)
    engine._child.wait(5)
    engine.synthesize("Yenə danışır.", "az", 150, tmp_path / "again.wav")
    assert seconds(tmp_path / "again.wav") > 0.5
    assert engine.restarts == 1


def test_a_bad_voice_is_an_error_not_a_dead_child(engine, tmp_path):
    with pytest.raises(EngineError, match="no voice"):
        engine.synthesize("Salam.", "xx-nowhere", 150, tmp_path / "x.wav")
    engine.synthesize("Salam.", "az", 150, tmp_path / "ok.wav")
    assert engine.restarts == 0
