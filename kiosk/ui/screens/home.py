"""Home: one large picture button per service group (two to six)."""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.core.narration.script import Line, home_lines
from kiosk.ui.screens import KioskScreen, load_kv

load_kv(__file__)


class HomeScreen(KioskScreen):
    def prepare(self, **kwargs: object) -> None:
        self.show_view(self.ids.holder, self.cached_view((self.app.lang,), self.build_grid))

    def build_grid(self) -> object:
        app = self.app
        groups = app.terminal.bundle.groups
        if app.theme.compact and not app.theme.portrait:
            # A 7-inch landscape screen: two columns, the words under the picture.
            wide = False
            grid = Factory.HomeGrid(cols=2)
        elif app.theme.portrait:
            # A totem: up to four groups stacked, each a full-width row; more in two columns.
            wide = len(groups) <= 4
            grid = Factory.HomeGrid(cols=1 if wide else 2)
        else:
            wide = len(groups) <= 4
            grid = Factory.HomeGrid(cols=2 if wide else 3)
        for group in groups:
            # Three columns (two on a totem) leave no room beside the picture: words go under it.
            button = Factory.GroupButton(
                icon=group.icon, text=group.title(app.lang), horizontal=wide
            )
            button.line = Line(group.say, app.lang)
            button.bind(
                on_release=lambda b, g=group.id: app.touch_choice(b, lambda: app.open_group(g))
            )
            grid.add_widget(button)
        return grid

    def title(self) -> str:
        return self.app.terminal.bundle.string("home.title", self.app.lang)

    def narration(self) -> list[Line]:
        return home_lines(self.app.terminal.bundle, self.app.lang)


SCREEN = HomeScreen
