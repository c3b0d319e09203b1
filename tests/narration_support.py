"""Helpers for the narration tests: a stand-in UI thread and a narrator built on fakes."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.core.content import Bundle
from kiosk.core.narration import AudioCache, FakePlayer, Narrator, SpeechEngine
from kiosk.core.settings import Settings

# Only a guard against a hang; tests never assert on time.
HANG_GUARD_SECONDS = 20.0


class UiThread:
    """What Clock.schedule_once is in the app: callables queued from any thread,
    run when the test (playing the UI thread) pumps them."""

    def __init__(self) -> None:
        self._queue: queue.Queue[Callable[[], None]] = queue.Queue()

    def __call__(self, fn: Callable[[], None]) -> None:
        self._queue.put(fn)

    def pump(self) -> None:
        while True:
            try:
                fn = self._queue.get_nowait()
            except queue.Empty:
                return
            fn()

    def run_until(self, condition: Callable[[], bool], guard: float = HANG_GUARD_SECONDS) -> bool:
        deadline = time.monotonic() + guard
        while not condition():
            if time.monotonic() > deadline:
                return False
            try:
                fn = self._queue.get(timeout=0.02)
            except queue.Empty:
                continue
            fn()
        return True


def make_test_narrator(
    settings: Settings,
    bundle: Bundle,
    engine: SpeechEngine,
    cache_root: Path,
) -> tuple[Narrator, FakePlayer, UiThread]:
    player = FakePlayer()
    ui = UiThread()
    narrator = Narrator(settings, bundle, engine, AudioCache(cache_root), player, ui)
    return narrator, player, ui
