"""Call a helper: take a number at once, or first leave a phone number.

Only digits are ever typed (UX.md: never ask a resident to type letters), so a
first name is not asked for here.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.uix.boxlayout import BoxLayout

from kiosk.core.content.model import Text
from kiosk.core.narration.script import Line
from kiosk.ui import paging
from kiosk.ui.screens import KioskScreen, load_kv
from kiosk.ui.theme import text_height

load_kv(__file__)

ICON_ROOM = 1.3  # a compact button's picture beside its words: its size times this (widgets.kv)


class HelpScreen(KioskScreen):
    offers_help = False
    topic: str | None = None

    @property
    def title_in_compact(self) -> bool:  # type: ignore[override]
        """Not on a compact portrait screen (nor on a 7-inch panel in large letters):
        the words and both buttons need the height, and the title is the button just
        touched."""
        return not (self.app.theme.narrow or self.app.theme.tight)

    failed = False
    page = 0  # a 7-inch panel in large letters: which of the words' pages is shown
    pages = 1
    shown_words = ""
    _more: Any = None
    _row: Any = None  # "more" and the ticket button side by side

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
        self.page = 0
        self._paged()

    # A 7-inch panel in large letters ----------------------------------------
    def _paged(self) -> None:
        """The words a page of sentences at a time above the two choices, "more"
        beside the first when they do not fit (all said when the screen opens, each
        page's on "more")."""
        theme = self.app.theme
        words = self.ids.words.text
        self.pages, self.shown_words = 1, words
        if theme.tight and not self.failed:
            width, height = self.app.screen_box(True, self.title_in_compact)[1]
            width -= 2 * theme.mm(1)  # help.kv: the screen's padding
            height -= 2 * theme.mm(1) + theme.pad  # and the gap above the choices
            size = self.ids.words.font_size
            room = height - self._choices_height(width, more=False)
            width -= theme.pad  # the words' row keeps its gap after the folded picture
            if text_height(words, size, width) > room:
                room = height - self._choices_height(width + theme.pad, more=True)
                pages = paging.pages(words, lambda t: text_height(t, size, width) <= room)
                self.pages = len(pages)
                self.page %= self.pages
                self.shown_words = self.ids.words.text = pages[self.page]
        self._more_beside_ticket(self.pages > 1)

    def _choices_height(self, width: float, more: bool) -> float:
        """The two choices one above the other, each as tall as its words (help.kv;
        the ticket's narrower with "more" beside it): their heights are set here."""
        theme = self.app.theme
        icon = theme.icon_small * ICON_ROOM + theme.mm(1) + 2 * theme.mm(1)
        total = theme.pad
        for button, beside in ((self.ids.ticket, more), (self.ids.phone, False)):
            room = width - icon - ((theme.button + theme.pad) if beside else 0)
            lines = text_height(button.text, theme.label, room, bold=True)
            button.height = max(theme.button, lines + theme.mm(2))
            total += button.height
        return total

    def _more_beside_ticket(self, shown: bool) -> None:
        choices, ticket = self.ids.choices.__self__, self.ids.ticket.__self__
        if shown and self._row is None:
            app = self.app
            more = app.terminal.bundle.strings.get("nav.more")
            self._more = Factory.PageMore()  # ticket.kv
            self._more.line = Line(more, app.lang) if more else None
            self._more.bind(on_release=lambda b: app.touch_choice(b, self.next_page))
            self._row = BoxLayout(size_hint_y=None, spacing=app.theme.pad)
            self._row.add_widget(self._more)
            ticket.bind(height=lambda _w, h: setattr(self._row, "height", h))
        if shown and ticket.parent is not self._row:
            choices.remove_widget(ticket)
            self._row.add_widget(ticket)
            self._row.height = ticket.height
            choices.add_widget(self._row, index=len(choices.children))
        elif not shown and self._row is not None and ticket.parent is self._row:
            self._row.remove_widget(ticket)
            choices.remove_widget(self._row)
            choices.add_widget(ticket, index=len(choices.children))

    def next_page(self) -> None:
        """ "More": the words' next page (then the first again), read aloud."""
        app = self.app
        self.page += 1
        self.ids.words.text = app.terminal.bundle.string("help.say", app.lang)
        self._paged()
        app.changed_within()  # the second tap of a double tap does not skip a page
        app.say([Line(Text({app.lang: self.shown_words}), app.lang)])

    def title(self) -> str:
        return self.app.terminal.bundle.string("help.title", self.app.lang)

    def narration(self) -> list[Line]:
        key = "help.failed" if self.failed else "help.say"
        return [Line(self.app.terminal.bundle.strings[key], self.app.lang)]


SCREEN = HelpScreen
