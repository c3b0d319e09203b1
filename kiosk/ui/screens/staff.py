"""Staff only: the PIN pad that leaves kiosk mode, reached by the hidden gesture.

The PIN is shown as dots and never spoken.
"""

from __future__ import annotations

from typing import Any

from kiosk.core.narration.script import Line
from kiosk.ui.screens import KioskScreen, load_kv

load_kv(__file__)


class StaffScreen(KioskScreen):
    offers_help = False
    title_in_compact = False  # four rows of 20 mm targets fill a 7-inch screen's height
    pin = ""

    def prepare(self, **kwargs: Any) -> None:
        self.pin = ""
        app = self.app
        message = (
            "" if app.staff_pin.configured else app.terminal.bundle.string("staff.no_pin", app.lang)
        )
        self.show(message)

    def show(self, message: str) -> None:
        app = self.app
        self.ids.dots.count = self.ids.dots.filled = len(self.pin)  # drawn: no font glyph
        self.ids.message.text = message
        self.ids.exit.text = app.terminal.bundle.string("staff.exit", app.lang)

    def press(self, key: str) -> None:
        self.pin = self.pin[:-1] if key == "del" else (self.pin + key)[:12]
        self.show("")

    def submit(self) -> None:
        app = self.app
        now = app.now()
        if app.staff_pin.locked(now):
            self.pin = ""
            self.show(app.terminal.bundle.string("staff.locked", app.lang))
        elif app.staff_pin.check(self.pin, now):
            app.leave_kiosk_mode()
        else:
            self.pin = ""
            key = "staff.locked" if app.staff_pin.locked(now) else "staff.wrong"
            self.show(app.terminal.bundle.string(key, app.lang))

    def title(self) -> str:
        return self.app.terminal.bundle.string("staff.title", self.app.lang)

    def narration(self) -> list[Line]:
        return []


SCREEN = StaffScreen
