"""Speech engines: turn one text into one WAV file.

`Pyttsx3Engine` speaks through pyttsx3 on espeak-ng, `SilentEngine` stands in
when there is no speech on the machine (or narration is off), and `FakeEngine`
writes silent WAVs of a length that grows with the text, for tests.

An engine is driven by ONE thread only: the narration worker (or the render
command's own thread). pyttsx3 is never imported or called on the UI thread, and
never from two threads at once: two threads inside `runAndWait` hang for good.
"""

from __future__ import annotations

import ctypes
import importlib.util
import threading
import time
import wave
from pathlib import Path
from typing import Any, Protocol


class EngineError(Exception):
    """This text could not be synthesised; the message says why, for the log."""


class SpeechEngine(Protocol):
    @property
    def id(self) -> str:
        """Names the engine and its version: part of every cache key, so an
        upgrade of espeak-ng renders clips again instead of mixing voices."""
        ...

    def available(self) -> str | None:
        """None when the engine can speak, else what is missing, in an admin's words.
        Cheap and safe from any thread."""
        ...

    def synthesize(self, text: str, voice: str, rate: int, out_wav: Path) -> None:
        """Write `text` spoken by `voice` at `rate` words per minute to `out_wav`,
        or raise EngineError. Called from the one engine thread only."""
        ...

    def close(self) -> None:
        """Release the engine; called from the engine thread when it ends."""
        ...


# espeak-ng keeps one synthesiser per process, and pyttsx3 points espeak's single
# callback at whichever driver spoke last: two engines in one process (a
# narrator and a render in the same test run) must take turns.
_ESPEAK_TURN = threading.Lock()

ESPEAK_LIBRARY = "libespeak-ng.so.1"


def _quiet(*_args: Any, **_kwargs: Any) -> None:
    """pyttsx3 2.99 prints 'Audio saved to ...' for every clip; the log stays readable."""


class Pyttsx3Engine:
    """pyttsx3 with its espeak driver, rendering to files with save_to_file + runAndWait."""

    def __init__(self, library: str = ESPEAK_LIBRARY) -> None:
        self._library = library
        self._version: str | None = None
        self._problem: str | None = None
        self._checked = False
        self._tts: Any = None  # the pyttsx3 Engine, created on the engine thread
        self._voices: dict[str, str] = {}  # wanted voice -> espeak voice identifier
        self._broken: str | None = None  # espeak hung once: never feed it again

    @property
    def id(self) -> str:
        self.available()
        return f"pyttsx3+espeak-ng-{self._version or 'unknown'}"

    def available(self) -> str | None:
        if self._checked:
            return self._problem
        self._checked = True
        try:
            lib = ctypes.CDLL(self._library)
            lib.espeak_Info.restype = ctypes.c_char_p
            raw = lib.espeak_Info(None)
            self._version = raw.decode("ascii", "replace") if raw else None
        except (OSError, AttributeError):
            self._problem = (
                "espeak-ng not found: narration is off (install the Debian package espeak-ng)"
            )
            return self._problem
        if importlib.util.find_spec("pyttsx3") is None:
            self._problem = "pyttsx3 is not installed: narration is off"
        return self._problem

    def _engine(self) -> Any:
        if self._tts is None:
            problem = self.available()
            if problem:
                raise EngineError(problem)
            try:
                import pyttsx3
                import pyttsx3.drivers.espeak as espeak_driver

                espeak_driver.print = _quiet  # type: ignore[attr-defined]
                # init() hands back the process's one espeak engine while it is
                # alive; a second Engine() would steal espeak's callback from it.
                self._tts = pyttsx3.init("espeak")
            except Exception as exc:  # espeak-ng data missing, broken install
                self._problem = f"espeak-ng does not start: {exc}: narration is off"
                raise EngineError(self._problem) from exc
        return self._tts

    def _voice_id(self, tts: Any, wanted: str) -> str:
        """espeak's voice identifier for a bundle voice ("az", "ru", "en-gb").

        pyttsx3 2.99 passes the voice to espeak_SetVoiceByName, which knows
        identifiers ("trk/az", "gmw/en") and names but not every language code
        ("en-gb" fails), and its error is swallowed: the previous voice would
        go on speaking. So the language code is looked up in the voice list.
        """
        if wanted not in self._voices:
            voices = tts.getProperty("voices")
            want = wanted.lower()
            found = next(
                (
                    v.id
                    for match in (
                        lambda v: v.id == want or v.name.lower() == want,
                        lambda v: bool(v.languages) and v.languages[0].lower() == want,
                        lambda v: v.id.rsplit("/", 1)[-1] == want,
                    )
                    for v in voices
                    if match(v)
                ),
                None,
            )
            if found is None:
                raise EngineError(f"espeak-ng has no voice {wanted!r}")
            self._voices[wanted] = found
        return self._voices[wanted]

    def synthesize(self, text: str, voice: str, rate: int, out_wav: Path) -> None:
        if not text.strip():
            # pyttsx3's espeak loop waits forever for an empty text.
            raise EngineError("nothing to say")
        errors: list[BaseException] = []
        finished = threading.Event()
        completed: list[bool] = []

        def done(ok: bool) -> None:
            completed.append(ok)
            finished.set()

        with _ESPEAK_TURN:
            if self._broken:
                raise EngineError(self._broken)
            tts = self._engine()
            tokens = [
                tts.connect("error", lambda name=None, exception=None: errors.append(exception)),
                tts.connect("finished-utterance", lambda completed=True, **_: done(completed)),
            ]
            try:
                deadline = time.monotonic() + 15 + 0.05 * len(text)
                if tts.isBusy():
                    # A new pyttsx3 engine queues commands until its first run;
                    # one empty run (once espeak has settled from starting up)
                    # leaves it idle, so settings apply at once.
                    if not self._idle(deadline):
                        raise self._hung()
                    tts.runAndWait()
                tts.setProperty("voice", self._voice_id(tts, voice))
                tts.setProperty("rate", int(rate))
                tts.setProperty("volume", 1.0)
                # espeak applies rate and volume on its own thread. While it is
                # busy, pyttsx3's runAndWait "stops" it and cancels the clip it
                # has just started (an empty WAV), so let espeak settle first.
                if not self._idle(deadline):
                    raise self._hung()
                tts.save_to_file(text, str(out_wav))
                tts.runAndWait()
                # pyttsx3 writes the file from espeak's thread; starting the next
                # clip before this one is written would mix the two.
                if not finished.wait(max(0.0, deadline - time.monotonic())):
                    raise self._hung()
                if not self._idle(deadline):
                    raise self._hung()
            finally:
                for token in tokens:
                    tts.disconnect(token)
        if errors:
            raise EngineError(f"espeak-ng failed: {errors[0]}")
        if not all(completed):
            raise EngineError("espeak-ng cut the clip short")
        if wav_seconds(out_wav) <= 0:
            raise EngineError("espeak-ng wrote no audio")

    def _hung(self) -> EngineError:
        self._broken = self._problem = "espeak-ng stopped answering: narration is off"
        return EngineError(self._broken)

    def _idle(self, deadline: float) -> bool:
        """Wait until espeak's own thread has nothing left to do (pyttsx3 reports
        the end of a clip from inside espeak's callback, a moment before that)."""
        from pyttsx3.drivers import _espeak

        while _espeak.IsPlaying():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)
        return True

    def close(self) -> None:
        # espeak-ng cannot be initialised twice in one process, so the pyttsx3
        # engine stays alive; dropping our reference lets a later one reuse it.
        self._tts = None


class SilentEngine:
    """No speech: what a terminal without espeak-ng (or with narration off) uses."""

    id = "silent"

    def __init__(self, problem: str | None = "narration is off") -> None:
        self._problem = problem

    def available(self) -> str | None:
        return self._problem

    def synthesize(self, text: str, voice: str, rate: int, out_wav: Path) -> None:
        raise EngineError(self._problem or "narration is off")

    def close(self) -> None:
        pass


class FakeEngine:
    """Writes silent WAVs, 60 ms per character at rate 150, and counts calls.

    `gate`, when given, holds every synthesis until it is set, so a test can
    move on while a clip is still being made.
    """

    id = "fake"

    def __init__(self, gate: threading.Event | None = None, fail_on: str | None = None) -> None:
        self.calls: list[tuple[str, str, int]] = []
        self.threads: set[int] = set()
        self.gate = gate
        self.fail_on = fail_on

    def available(self) -> str | None:
        return None

    def synthesize(self, text: str, voice: str, rate: int, out_wav: Path) -> None:
        self.threads.add(threading.get_ident())
        if self.gate is not None:
            self.gate.wait(timeout=10)
        self.calls.append((text, voice, rate))
        if self.fail_on is not None and self.fail_on in text:
            raise EngineError("fake failure")
        write_silence(out_wav, 0.06 * len(text) * 150 / rate)

    def close(self) -> None:
        pass


def write_silence(path: Path, seconds: float, framerate: int = 22050) -> None:
    """A mono 16-bit WAV of silence: stand-in audio for tests and fakes."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(framerate)
        w.writeframes(b"\0\0" * max(1, int(seconds * framerate)))


def wav_seconds(path: Path) -> float:
    """Length of a WAV file in seconds; 0 when it is missing, empty or not a WAV."""
    try:
        with wave.open(str(path), "rb") as w:
            rate = w.getframerate()
            return w.getnframes() / rate if rate else 0.0
    except (OSError, EOFError, wave.Error):
        return 0.0
