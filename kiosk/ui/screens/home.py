"""Home: one large picture button per service group (two to six)."""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.core.narration.script import Line, home_lines
from kiosk.ui.screens import KioskScreen, load_kv

load_kv(__file__)


class HomeScreen(KioskScreen):
    def prepare(self, **kwargs: object) -> None:
        app = self.app
        grid = self.ids.grid
        grid.clear_widgets()
        groups = app.terminal.bundle.groups
        grid.cols = 2 if len(groups) <= 4 else 3
        for group in groups:
            button = Factory.GroupButton(icon=group.icon, text=group.title(app.lang))
            button.line = Line(group.say, app.lang)
            button.bind(
                on_release=lambda b, g=group.id: app.touch_choice(b, lambda: app.open_group(g))
            )
            grid.add_widget(button)

    def title(self) -> str:
        return self.app.terminal.bundle.string("home.title", self.app.lang)

    def narration(self) -> list[Line]:
        return home_lines(self.app.terminal.bundle, self.app.lang)


SCREEN = HomeScreen
