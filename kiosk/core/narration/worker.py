"""The narration worker: the one thread that owns the speech engine.

Jobs wait in two queues: clips a screen is waiting for now, and background
rendering that fills the cache. The first always goes first, and a job nobody
wants any more (the resident moved on) is dropped before it is synthesised, so
quick navigation never builds a backlog. Results go to the job's `done`
callback on this thread; callers hop back to the UI thread themselves. This
module never touches the UI and never lets an engine error kill the thread.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.narration.cache import AudioCache
from kiosk.core.narration.engines import EngineError, SpeechEngine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    text: str
    voice: str
    rate: int
    wanted: Callable[[], bool]  # asked just before synthesis; False drops the job
    done: Callable[[Path | None, str | None], None]  # (clip, None) or (None, why)


class SpeechWorker:
    """Starts its thread on the first job; `shutdown()` ends and joins it."""

    def __init__(self, engine: SpeechEngine, cache: AudioCache, name: str = "narration") -> None:
        self.engine = engine
        self.cache = cache
        self._name = name
        self._now: deque[Job] = deque()
        self._background: deque[Job] = deque()
        self._cond = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.rendered = 0  # clips synthesised, for logs and tests

    def submit(self, job: Job, *, background: bool = False) -> None:
        with self._cond:
            if self._stopping:
                return
            (self._background if background else self._now).append(job)
            if self._thread is None:
                # Daemon: a synthesiser stuck inside espeak must never keep the
                # kiosk from exiting or restarting.
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._cond.notify()

    def drop_waiting(self) -> None:
        """Forget the clips screens were waiting for (not the background ones)."""
        with self._cond:
            self._now.clear()

    @property
    def busy(self) -> bool:
        with self._cond:
            return bool(self._now or self._background)

    def _next(self) -> Job | None:
        with self._cond:
            while not self._stopping and not self._now and not self._background:
                self._cond.wait()
            if self._stopping:
                return None
            return self._now.popleft() if self._now else self._background.popleft()

    def _run(self) -> None:
        try:
            while (job := self._next()) is not None:
                if not job.wanted():
                    continue
                clip, why = None, None
                try:
                    clip = self.cache.get(job.text, job.voice, job.rate, self.engine.id)
                    if clip is None:
                        clip = self.cache.render(self.engine, job.text, job.voice, job.rate)
                        self.rendered += 1
                except EngineError as exc:
                    why = str(exc)
                except Exception as exc:  # a full disk, a broken engine: keep the thread
                    log.exception("narration: rendering %r failed", job.text[:60])
                    why = f"{type(exc).__name__}: {exc}"
                try:
                    job.done(clip, why)
                except Exception:
                    log.exception("narration: a job's done callback failed")
        finally:
            try:
                self.engine.close()
            except Exception:
                log.exception("narration: closing the speech engine failed")

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Drop every waiting job, end the thread, and join it. False if it did
        not end in `timeout` seconds (stuck in the engine; it is a daemon)."""
        with self._cond:
            self._stopping = True
            self._now.clear()
            self._background.clear()
            self._cond.notify_all()
            thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()
