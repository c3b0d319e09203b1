"""The "Do you need more time?" prompt over any screen, with its countdown.
One touch anywhere on it gives the resident their full time again."""

from __future__ import annotations

from typing import Any

from kivy.properties import NumericProperty
from kivy.uix.modalview import ModalView

from kiosk.core.narration.script import idle_lines
from kiosk.ui.screens import load_kv

load_kv(__file__)


class IdlePrompt(ModalView):
    remaining = NumericProperty(0)

    @property
    def is_open(self) -> bool:
        return self._window is not None

    def open_for(self, app: Any) -> None:
        self.open(animation=False)
        app.terminal.narrator.say(idle_lines(app.terminal.bundle, app.lang))

    def close(self) -> None:
        if self.is_open:
            self.dismiss(animation=False)
