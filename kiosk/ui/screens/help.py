"""Call a helper: take a number at once, or first leave a phone number.

Only digits are ever typed (UX.md: never ask a resident to type letters), so a
first name is not asked for here.
"""

from __future__ import annotations

from typing import Any

from kiosk.core.narration.script import Line
from kiosk.ui.screens import KioskScreen, load_kv

load_kv(__file__)


class HelpScreen(KioskScreen):
    offers_help = False
    topic: str | None = None

    @property
    def title_in_compact(self) -> bool:  # type: ignore[override]
        """Not on a compact portrait screen: the words and both buttons need the
        height, and the title is the button just touched."""
        return not self.app.theme.narrow

    failed = False

    def prepare(self, topic: str | None = None, failed: bool = False, **kwargs: Any) -> None:
        app = self.app
        bundle = app.terminal.bundle
        self.topic = topic
        self.failed = failed
        # When no ticket could be stored, the resident is sent to a person instead.
        self.ids.words.text = bundle.string("help.failed" if failed else "help.say", app.lang)
        self.ids.ticket.opacity = self.ids.phone.opacity = 0 if failed else 1
        self.ids.ticket.hidden = self.ids.phone.hidden = failed
        self.ids.ticket.text = bundle.string("help.ticket", app.lang)
        self.ids.ticket.line = Line(bundle.strings["help.ticket"], app.lang)
        self.ids.phone.text = bundle.string("help.phone", app.lang)
        self.ids.phone.line = Line(bundle.strings["help.phone"], app.lang)

    def title(self) -> str:
        return self.app.terminal.bundle.string("help.title", self.app.lang)

    def narration(self) -> list[Line]:
        key = "help.failed" if self.failed else "help.say"
        return [Line(self.app.terminal.bundle.strings[key], self.app.lang)]


SCREEN = HelpScreen
