"""Call a helper: take a number at once, or first leave a phone number.

Only digits are ever typed (UX.md: never ask a resident to type letters), so a
first name is not asked for here.
"""

from __future__ import annotations

from typing import Any

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
        """The words a page of sentences at a time above the two choices, when they
        do not fit (all said when the screen opens, each page's on the bar's "More")."""
        theme = self.app.theme
        words = self.ids.words.text
        self.pages, self.shown_words = 1, words
        if theme.tight and not self.failed:
            width, height = self.app.screen_box(True, self.title_in_compact)[1]
            width -= 2 * theme.mm(1)  # help.kv: the screen's padding
            height -= 2 * theme.mm(1) + theme.pad  # and the gap above the choices
            size = self.ids.words.font_size
            room = height - self._choices_height(width)
            width -= theme.pad  # the words' row keeps its gap after the folded picture
            if text_height(words, size, width) > room:
                pages = paging.pages(words, lambda t: text_height(t, size, width) <= room)
                self.pages = len(pages)
                self.page %= self.pages
                self.shown_words = self.ids.words.text = pages[self.page]

    def _choices_height(self, width: float) -> float:
        """The two choices one above the other, each as tall as its words (help.kv):
        their heights are set here."""
        theme = self.app.theme
        icon = theme.icon_small * ICON_ROOM + theme.mm(1) + 2 * theme.mm(1)
        total = theme.pad
        for button in (self.ids.ticket, self.ids.phone):
            lines = text_height(button.text, theme.label, width - icon, bold=True)
            button.height = max(theme.button, lines + theme.mm(2))
            total += button.height
        return total

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
