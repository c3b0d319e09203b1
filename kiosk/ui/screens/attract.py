"""The attract screen: what a passer-by sees; one touch anywhere starts."""

from __future__ import annotations

from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.screens import KioskScreen, load_kv


class AttractPanel(ButtonBehavior, BoxLayout):
    """The whole screen is one button."""


load_kv(__file__)


class AttractScreen(KioskScreen):
    show_bars = False
    offers_help = False

    def invitation(self) -> str:
        bundle = self.app.terminal.bundle
        return "\n".join(
            bundle.string("attract.touch", code)
            for code in self.app.terminal.settings["kiosk.languages"]
        )

    def prepare(self, **kwargs: object) -> None:
        self.ids.invite.text = self.invitation()


SCREEN = AttractScreen
