"""Home: one large picture button per service group (two to six)."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory

from kiosk.core.narration.script import Line, home_lines
from kiosk.ui.screens import KioskScreen, load_kv, pages_by_height, tight_tile

load_kv(__file__)


class HomeScreen(KioskScreen):
    page = 0  # which page of groups large letters on a 7-inch panel show

    def prepare(self, page: int = 0, **kwargs: object) -> None:
        self.page = page % self.pages
        key = (self.app.lang, self.page)
        self.show_view(self.ids.holder, self.cached_view(key, self.build_grid))

    def _tiles(self) -> list[tuple[float, bool, bool]]:
        """Large letters on a 7-inch panel (theme.tight): each group's tile (screens.tight_tile)."""
        app = self.app
        width = app.screen_box(True, self.title_in_compact)[1][0] - 2 * app.theme.pad
        return [
            tight_tile(app, g.title(app.lang), False, width) for g in app.terminal.bundle.groups
        ]

    def _page_sizes(self) -> list[int]:
        """How many groups each page shows: all of them, except in large letters on a
        7-inch panel (theme.tight), where they stand one a row, as many as fit."""
        app = self.app
        if not app.theme.tight:
            return [len(app.terminal.bundle.groups)]
        pad = app.theme.pad  # the grid's padding and spacing (home.kv)
        height = app.screen_box(True, self.title_in_compact)[1][1] - 2 * pad
        return pages_by_height([t[0] for t in self._tiles()], height, pad)

    @property
    def pages(self) -> int:
        return len(self._page_sizes())

    def shown_groups(self) -> list[Any]:
        sizes = self._page_sizes()
        start = sum(sizes[: self.page % len(sizes)])
        return list(self.app.terminal.bundle.groups)[start : start + sizes[self.page % len(sizes)]]

    def next_page(self) -> None:
        """ "More" (in the bar): the next groups (then the first again), read aloud."""
        self.prepare(page=self.page + 1)
        self.app.changed_within()  # the second tap of a double tap does not turn back
        self.app.say([Line(g.say, self.app.lang) for g in self.shown_groups()])

    def build_grid(self) -> object:
        app = self.app
        groups = app.terminal.bundle.groups
        tiles: dict[str, tuple[float, bool, bool]] = {}
        if app.theme.tight:
            # Large letters on a 7-inch panel: one a row, a page at a time ("More" in the bar).
            wide = True
            tiles = dict(zip((g.id for g in groups), self._tiles(), strict=True))
            groups = self.shown_groups()
            grid = Factory.HomeGrid(cols=1)
        elif app.theme.compact and not app.theme.portrait:
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
            if group.id in tiles:  # as tall as its words, the picture above them if need be
                button.size_hint_y, button.height = None, tiles[group.id][0]
                button.horizontal = tiles[group.id][1]
            button.bind(
                on_release=lambda b, g=group.id: app.touch_choice(b, lambda: app.open_group(g))
            )
            grid.add_widget(button)
        if app.theme.tight:
            grid.add_widget(Factory.Widget())  # the last page's tiles keep their height
        return grid

    def title(self) -> str:
        return self.app.terminal.bundle.string("home.title", self.app.lang)

    def narration(self) -> list[Line]:
        return home_lines(self.app.terminal.bundle, self.app.lang)


SCREEN = HomeScreen
