"""Fakes at the edge, for tests of the code above them."""

from __future__ import annotations

from kiosk.core.narration.script import Line


class RecordingNarrator:
    """Records what the screens ask to be said, and every control the resident used."""

    def __init__(self, available: bool = True):
        self.available = available
        self.problem = None if available else "espeak-ng not found"
        self.said: list[list[Line]] = []
        self.events: list[str] = []

    def say(self, lines: list[Line]) -> None:
        self.said.append(list(lines))

    @property
    def last_words(self) -> list[str]:
        return [line.words for line in self.said[-1]] if self.said else []

    def stop(self) -> None:
        self.events.append("stop")

    def repeat(self) -> None:
        self.events.append("repeat")

    def louder(self) -> None:
        self.events.append("louder")

    def softer(self) -> None:
        self.events.append("softer")

    def set_slow(self, slow: bool) -> None:
        self.events.append(f"slow={slow}")

    def change_rate(self, step: int) -> None:
        self.events.append(f"rate{step:+d}")

    def reset_for_new_resident(self) -> None:
        self.events.append("reset")

    def shutdown(self, timeout: float = 5.0) -> None:
        self.events.append("shutdown")


class FakeClock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t
