"""The attract screen: what a passer-by sees; one touch anywhere starts."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.screens import KioskScreen, load_kv
from kiosk.ui.theme import line_height, text_height


class AttractPanel(ButtonBehavior, BoxLayout):
    """The whole screen is one button."""


load_kv(__file__)

PAGE_SECONDS = 4  # a 7-inch panel in large letters: each page of languages this long


class AttractScreen(KioskScreen):
    show_bars = False
    offers_help = False

    def invitation(self) -> str:
        bundle = self.app.terminal.bundle
        return "\n".join(
            bundle.string("attract.touch", code)
            for code in self.app.terminal.settings["kiosk.languages"]
        )

    page = 0  # a 7-inch landscape panel in large letters: the languages' page shown
    pages = 1
    _tick: Any = None
    _since = 0.0  # when the page shown came (the app's clock)
    _bound = False

    def prepare(self, **kwargs: object) -> None:
        if not self._bound and self.as_if is None:  # large letters are turned on here too
            App.get_running_app().bind(theme=lambda _app, _theme: self._paged())
            self._bound = True
        self.page = 0
        self._paged()

    def _paged(self) -> None:
        """The invitation in every language; on a 7-inch landscape panel in large
        letters as many languages as fit under the picture and the name, the next
        ones every PAGE_SECONDS."""
        app = App.get_running_app()
        theme = app.theme
        lines = self.invitation().split("\n")
        pages = ["\n".join(lines)]
        if theme.tight and theme.rails:
            width = theme.width - 2 * theme.mm(1)
            room = theme.height - 2 * theme.mm(1)
            room -= theme.icon_large * 1.05 + line_height(theme.huge // 2)  # attract.kv
            pages = []
            for line in lines:  # a language's line at a time, as many as fit
                joined = f"{pages[-1]}\n{line}" if pages else line
                if pages and text_height(joined, theme.body, width) <= room:
                    pages[-1] = joined
                else:
                    pages.append(line)
        self.pages = len(pages)
        self.page %= self.pages
        self.ids.invite.text = pages[self.page]
        if self._tick is not None and self.pages == 1:
            self._tick.cancel()
            self._tick = None
        elif self._tick is None and self.pages > 1 and app.sm.current == self.name:
            self._since = app.now()
            self._tick = Clock.schedule_interval(lambda _dt: self._turn(), 0.5)

    def _turn(self) -> None:
        """The next page once this one has been shown PAGE_SECONDS by the app's clock."""
        now = App.get_running_app().now()
        if now - self._since >= PAGE_SECONDS:
            self._since = now
            self.next_page()

    def next_page(self) -> None:
        self.page += 1
        self._paged()

    def on_enter(self, *_args: Any) -> None:
        self._paged()  # (starts the pages' clock)

    def on_leave(self, *_args: Any) -> None:
        if self._tick is not None:
            self._tick.cancel()
            self._tick = None


SCREEN = AttractScreen
