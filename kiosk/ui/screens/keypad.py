"""A big number keypad for the resident's phone number (optional)."""

from __future__ import annotations

from typing import Any

from kiosk.core.narration.script import Line
from kiosk.ui.screens import KioskScreen, load_kv

load_kv(__file__)

MAX_DIGITS = 15  # E.164


def grouped(digits: str) -> str:
    """0501234567 -> 050 123 45 67, so the resident can check what they typed."""
    head, rest = digits[:3], digits[3:]
    parts = [head] if head else []
    if rest:
        parts.append(rest[:3])
        parts += [rest[i : i + 2] for i in range(3, len(rest), 2)]
    return " ".join(parts)


class KeypadScreen(KioskScreen):
    offers_help = False
    title_in_compact = False  # four rows of 20 mm targets fill a 7-inch screen's height

    def prepare(self, **kwargs: Any) -> None:
        app = self.app
        self.ids.number.text = grouped(app.resident.phone)
        self.ids.done.text = app.terminal.bundle.string("keypad.done", app.lang)

    def press(self, key: str) -> None:
        app = self.app
        if key == "del":
            app.resident.phone = app.resident.phone[:-1]
        elif len(app.resident.phone) < MAX_DIGITS:
            app.resident.phone += key
        self.ids.number.text = grouped(app.resident.phone)

    def title(self) -> str:
        return self.app.terminal.bundle.string("keypad.title", self.app.lang)

    def narration(self) -> list[Line]:
        return [Line(self.app.terminal.bundle.strings["keypad.say"], self.app.lang)]


SCREEN = KeypadScreen
