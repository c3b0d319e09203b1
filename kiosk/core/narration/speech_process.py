"""pyttsx3 on espeak-ng in a child process of its own.

libespeak-ng and pyttsx3's espeak driver call back into Python from espeak's
own thread; in a long test run that crashed the whole process once in a while
(a segmentation fault inside espeak's Synth). On a terminal, a crash there must
cost one narration clip, not the resident's session: so the engine runs in a
child process, driven by the narration worker thread over a pipe, one JSON
line per clip. A child that dies or hangs is killed and started again for the
next clip; the clip that failed falls back to silence for that line.

Run as `python -m kiosk.core.narration.speech_process` (the parent does that).
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import subprocess
import sys
from pathlib import Path
from typing import Any

from kiosk.core.narration.engines import ESPEAK_LIBRARY, EngineError, Pyttsx3Engine

log = logging.getLogger(__name__)

# A clip is seconds of speech; espeak renders it far faster. Past this the child is stuck.
CLIP_TIMEOUT_S = 30.0


class ProcessEngine:
    """A SpeechEngine whose pyttsx3 lives in a child process (same clips, same cache keys)."""

    def __init__(self, library: str = ESPEAK_LIBRARY) -> None:
        self._library = library
        self._probe = Pyttsx3Engine(library)  # ctypes only: version and availability
        self._child: subprocess.Popen[str] | None = None
        self.restarts = 0

    @property
    def id(self) -> str:
        return self._probe.id

    def available(self) -> str | None:
        return self._probe.available()

    def _start(self) -> subprocess.Popen[str]:
        if self._child is not None and self._child.poll() is None:
            return self._child
        if self._child is not None:
            self.restarts += 1
            log.warning("speech process ended (code %s); starting it again", self._child.returncode)
        self._child = subprocess.Popen(
            [sys.executable, "-m", "kiosk.core.narration.speech_process", self._library],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
        return self._child

    def _answer(self, child: subprocess.Popen[str], timeout: float) -> dict[str, Any]:
        assert child.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(child.stdout, selectors.EVENT_READ)
            if not sel.select(timeout):
                self._kill()
                raise EngineError(f"speech process gave no answer within {timeout:g} s; restarted")
        line = child.stdout.readline()
        if not line:
            self._kill()
            raise EngineError("speech process ended while speaking; restarted for the next clip")
        return json.loads(line)

    def synthesize(self, text: str, voice: str, rate: int, out_wav: Path) -> None:
        if problem := self.available():
            raise EngineError(problem)
        child = self._start()
        request = {"text": text, "voice": voice, "rate": rate, "out": str(out_wav)}
        try:
            assert child.stdin is not None
            child.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            child.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            self._kill()
            raise EngineError(f"speech process not reachable: {exc}") from exc
        answer = self._answer(child, CLIP_TIMEOUT_S + len(text) * 0.05)
        if not answer.get("ok"):
            raise EngineError(answer.get("error", "speech failed"))

    def _kill(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.wait(5)

    def close(self) -> None:
        child, self._child = self._child, None
        if child is None:
            return
        try:
            if child.stdin:
                child.stdin.close()  # the child ends at end of input
            child.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            child.kill()
            child.wait(5)


def serve(library: str) -> int:
    """The child: one pyttsx3 engine on this process's main thread, one clip per line."""
    engine = Pyttsx3Engine(library)
    for line in sys.stdin:
        try:
            req = json.loads(line)
            engine.synthesize(req["text"], req["voice"], int(req["rate"]), Path(req["out"]))
            answer: dict[str, Any] = {"ok": True}
        except EngineError as exc:
            answer = {"ok": False, "error": str(exc)}
        except Exception as exc:  # a bad request must not end the process
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1] if len(sys.argv) > 1 else ESPEAK_LIBRARY))
