"""A service group: one picture button per service, so a resident reaches any
service in two touches from home."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory

from kiosk.core.narration.script import Line, group_lines
from kiosk.ui.screens import KioskScreen, load_kv

load_kv(__file__)


class GroupScreen(KioskScreen):
    group_id = ""
    # Two rows of tiles with words under the pictures fill a 7-inch screen's height;
    # the group's name is the tile just touched, and it is said first.
    title_in_compact = False

    def prepare(self, group_id: str = "", **kwargs: Any) -> None:
        self.group_id = group_id
        view = self.cached_view((group_id, self.app.lang), lambda: self.build_grid(group_id))
        self.show_view(self.ids.holder, view)

    def build_grid(self, group_id: str) -> Any:
        app = self.app
        services = app.terminal.bundle.services_in(group_id)
        # Full-width rows while they stay 20 mm tall: four on a totem, three on a 7-inch screen.
        stacked = len(services) <= (4 if app.theme.portrait else 3 if app.theme.compact else 2)
        grid = Factory.ServiceGrid(cols=1 if stacked else 2)
        for svc in services:
            button = Factory.ServiceButton(
                icon=svc.icon, text=svc.title(app.lang), horizontal=stacked or not app.theme.compact
            )
            button.line = Line(svc.title, app.lang)
            button.bind(
                on_release=lambda b, s=svc.id: app.touch_choice(b, lambda: app.open_service(s))
            )
            grid.add_widget(button)
        return grid

    def title(self) -> str:
        return self.app.terminal.bundle.group(self.group_id).title(self.app.lang)

    def narration(self) -> list[Line]:
        bundle = self.app.terminal.bundle
        return group_lines(bundle, bundle.group(self.group_id), self.app.lang)


SCREEN = GroupScreen
