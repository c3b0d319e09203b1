"""Narration through Kivy's audio: the real `Player`, and the UI-thread `schedule`.

Kivy's audio (SDL2 mixer) is driven from the Kivy main thread only; everything
here is called there. A clip that cannot be loaded counts as played, so the
narrator moves on to the next line instead of waiting for an end that never comes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.core.audio import Sound, SoundLoader

log = logging.getLogger(__name__)


def ui_schedule(fn: Callable[[], None]) -> None:
    """Run `fn` on the Kivy main thread at the next frame (safe from any thread)."""
    Clock.schedule_once(lambda _dt: fn(), 0)


class KivyPlayer:
    def __init__(self) -> None:
        self._sound: Sound | None = None
        self._on_end: Callable[[], None] | None = None
        self._volume = 1.0

    def play(self, path: Path, on_end: Callable[[], None]) -> None:
        self.stop()
        sound = SoundLoader.load(str(path))
        if sound is None or not sound.length or sound.length <= 0:
            log.warning("narration: cannot play %s", path)
            Clock.schedule_once(lambda _dt: on_end(), 0)
            return
        sound.volume = self._volume
        self._sound = sound
        self._on_end = on_end
        sound.bind(on_stop=self._stopped)
        sound.play()

    def _stopped(self, sound: Any) -> None:
        # on_stop fires at the natural end; stop() unbinds first, so this is the end.
        if sound is not self._sound:
            return
        on_end, self._on_end = self._on_end, None
        self._release()
        if on_end is not None:
            on_end()

    def stop(self) -> None:
        self._on_end = None
        sound = self._sound
        if sound is None:
            return
        sound.unbind(on_stop=self._stopped)
        sound.stop()
        self._release()

    def _release(self) -> None:
        sound, self._sound = self._sound, None
        if sound is not None:
            sound.unload()

    def set_volume(self, volume: float) -> None:
        self._volume = volume
        if self._sound is not None:
            self._sound.volume = volume
