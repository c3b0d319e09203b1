"""A service group: one picture button per service, so a resident reaches any
service in two touches from home."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory

from kiosk.core.narration.script import Line, group_lines
from kiosk.ui.screens import KioskScreen, load_kv, pages_by_height, tight_tile

load_kv(__file__)


# Tiles a compact (7-inch) screen holds with 20 mm targets: a 2 x 2 grid, or four
# rows on a portrait one. A larger group shows one fewer and "More" for the rest.
COMPACT_TILES = 4


class GroupScreen(KioskScreen):
    group_id = ""
    page = 0  # which page of tiles a compact screen shows
    # The group's name heads its services on a 7-inch screen too (and is said first).
    title_in_compact = True

    def prepare(self, group_id: str = "", page: int = 0, **kwargs: Any) -> None:
        self.group_id, self.page = group_id, page
        view = self.cached_view(
            (group_id, self.app.lang, self.page), lambda: self.build_grid(group_id)
        )
        self.show_view(self.ids.holder, view)

    @property
    def pages(self) -> int:
        """How many pages of tiles the shown group takes (more than one on a compact screen)."""
        services = len(self.app.terminal.bundle.services_in(self.group_id))
        if self.app.theme.tight:
            return len(self._tight_pages(self.group_id)[0])
        if not self.app.theme.compact or services <= COMPACT_TILES:
            return 1
        return -(-services // (COMPACT_TILES - 1))

    def _tight_pages(self, group_id: str) -> tuple[list[int], list[tuple[float, bool, bool]]]:
        """Large letters on a 7-inch panel (theme.tight): the services one a row, as
        many as fit a page ("More" is in the bar); each page's count, each tile (screens.tight_tile)."""
        app = self.app
        services = app.terminal.bundle.services_in(group_id)
        width, height = app.screen_box(True, self.title_in_compact)[1]  # no padding (group.kv)
        tiles = [tight_tile(app, s.title(app.lang), False, width) for s in services]
        heights = [t[0] for t in tiles]
        return pages_by_height(heights, height, app.theme.mm(1.5)), tiles

    def shown_services(self, group_id: str) -> tuple[list[Any], bool]:
        """The services on this page, and whether "More" follows them."""
        services = list(self.app.terminal.bundle.services_in(group_id))
        if self.app.theme.tight:
            sizes, _heights = self._tight_pages(group_id)
            start = sum(sizes[: self.page % len(sizes)])
            return services[start : start + sizes[self.page % len(sizes)]], False
        if not self.app.theme.compact or len(services) <= COMPACT_TILES:
            return services, False
        per = COMPACT_TILES - 1
        start = (self.page % -(-len(services) // per)) * per
        return services[start : start + per], True

    def next_page(self) -> None:
        """ "More": the group's next tiles (then the first again), their titles read aloud."""
        self.prepare(self.group_id, page=(self.page + 1) % self.pages)
        self.app.changed_within()  # the second tap of a double tap does not turn back
        services, _ = self.shown_services(self.group_id)
        self.app.say([Line(s.title, self.app.lang) for s in services])

    def build_grid(self, group_id: str) -> Any:
        app = self.app
        services, more = self.shown_services(group_id)
        # Full-width rows while they stay 20 mm tall: six on a totem (a compact portrait
        # screen pages at four), three on a 7-inch landscape screen.
        tiles = len(services) + more
        stacked = tiles <= (6 if app.theme.portrait else 3 if app.theme.compact else 2)
        heights: dict[str, tuple[float, bool, bool]] = {}
        if app.theme.tight:  # one a row, each as tall as its words, a filler under them
            stacked = True
            every = app.terminal.bundle.services_in(group_id)
            heights = dict(zip((s.id for s in every), self._tight_pages(group_id)[1], strict=True))
        grid = Factory.ServiceGrid(cols=1 if stacked else 2)
        for svc in services:
            button = Factory.ServiceButton(
                icon=svc.icon, text=svc.title(app.lang), horizontal=stacked or not app.theme.compact
            )
            button.line = Line(svc.title, app.lang)
            if svc.id in heights:  # as tall as its words, the picture above them if need be
                button.size_hint_y, button.height = None, heights[svc.id][0]
                button.horizontal = heights[svc.id][1]
            button.bind(
                on_release=lambda b, s=svc.id: app.touch_choice(b, lambda: app.open_service(s))
            )
            grid.add_widget(button)
        if more:
            words = app.terminal.bundle.strings.get("nav.more")
            button = Factory.ServiceButton(
                icon="dots-horizontal",
                text=words(app.lang) if words else "",
                horizontal=stacked or not app.theme.compact,
            )
            button.line = Line(words, app.lang) if words else None
            button.bind(on_release=lambda b: app.touch_choice(b, self.next_page))
            grid.add_widget(button)
        if heights:
            grid.add_widget(Factory.Widget())  # the last page's tiles keep their height
        return grid

    def title(self) -> str:
        return self.app.terminal.bundle.group(self.group_id).title(self.app.lang)

    def narration(self) -> list[Line]:
        bundle = self.app.terminal.bundle
        return group_lines(bundle, bundle.group(self.group_id), self.app.lang)


SCREEN = GroupScreen
