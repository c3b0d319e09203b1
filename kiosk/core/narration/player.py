"""Players: what turns a clip file into sound.

The real one is `kiosk.ui.audio.KivyPlayer` (Kivy's audio, driven from the Kivy
main thread). `FakePlayer` here records what would have been heard, for tests.
A player is only ever called on the UI thread and must never block it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class Player(Protocol):
    def play(self, path: Path, on_end: Callable[[], None]) -> None:
        """Stop whatever plays and start `path`; call `on_end` on the UI thread
        when it has played to its end (not when stop() cut it short)."""
        ...

    def stop(self) -> None:
        """Silence at once; the stopped clip's on_end is never called."""
        ...

    def set_volume(self, volume: float) -> None:
        """0 to 1, for the clip playing now and the ones after it."""
        ...


@dataclass
class FakePlayer:
    """Plays nothing; `played` lists every clip started, `playing` the one now heard.

    A test ends the current clip with `finish()`, as if it had played through.
    """

    played: list[Path] = field(default_factory=list)
    playing: Path | None = None
    volume: float = 1.0
    stops: int = 0
    _on_end: Callable[[], None] | None = None

    def play(self, path: Path, on_end: Callable[[], None]) -> None:
        self.playing = Path(path)
        self._on_end = on_end
        self.played.append(Path(path))

    def stop(self) -> None:
        self.stops += 1
        self.playing = None
        self._on_end = None

    def set_volume(self, volume: float) -> None:
        self.volume = volume

    def finish(self) -> None:
        """The clip now playing reaches its end."""
        on_end, self._on_end, self.playing = self._on_end, None, None
        if on_end is not None:
            on_end()
