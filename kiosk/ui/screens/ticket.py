"""The resident's ticket: the number very large, spoken (again on request: the
bottom bar's "say my number again", the ticket key), and how many are ahead.

The resident is done here: Done (or this screen's timeout) ends the session, so
the next person never sees this ticket. No Back, no Home.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory

from kiosk.core.content.model import Text
from kiosk.core.helpdesk.marks import ticket_mark
from kiosk.core.helpdesk.tickets import ticket_day
from kiosk.core.narration.numbers import ticket_words
from kiosk.core.narration.script import Line
from kiosk.ui import paging
from kiosk.ui.screens import KioskScreen, load_kv
from kiosk.ui.theme import hex_rgba, line_height, text_height

load_kv(__file__)


class TicketScreen(KioskScreen):
    offers_help = False
    title_in_compact = False  # the number says it (and "your number" is spoken)
    offers_back = False
    finished = True
    printed = False  # the ticket slip came out of the printer
    page = 0  # a 7-inch panel in large letters: the page shown (0: the number)
    pages = 1
    _layouts: dict[str, Any] | None = None  # the usual layout and that panel's pages

    _take = ""
    _queue: tuple[Any, bool, bool] = (None, False, False)

    @property
    def part(self) -> Any:
        """The ids of the layout shown: the usual one, or a 7-inch panel's pages in
        large letters (put in the usual one's place)."""
        if self._layouts is None:  # kept here: the .kv ids do not keep a part taken out
            self._layouts = {"usual": self.children[0]}
        name = "pages" if self.app.theme.tight else "usual"
        if name not in self._layouts:
            self._layouts[name] = Factory.TicketPage()
        shown = self._layouts[name]
        if shown.parent is not self:
            self.clear_widgets()
            self.add_widget(shown)
        return shown.ids if name == "pages" else self.ids

    def prepare(self, printed: bool | None = None, **kwargs: Any) -> None:
        """`printed`: the ticket slip came out (None: as it was, for the same ticket)."""
        app = self.app
        bundle = app.terminal.bundle
        if printed is not None:
            self.printed = printed
            self.page = 0
        ids = self.part
        ids.number.text = app.resident.ticket or ""
        self.show_mark(app.resident.ticket or "")
        ids.wait.text = bundle.string("ticket.wait", app.lang)
        ids.take.text = self._take = bundle.string("slip.take", app.lang) if printed else ""
        ids.done.text = bundle.string("slip.done", app.lang)
        self.show_queue(app.queue, refused=app.terminal.ticket_refused(app.resident.ticket or ""))

    def show_mark(self, ticket: str) -> None:
        """The ticket's pictogram on the ticket day's colour (helpdesk/marks.py)."""
        terminal = self.app.terminal
        day = ticket_day(terminal.site_now(), terminal.settings["helpdesk.day_starts_hour"])
        mark = ticket_mark(ticket, day)
        ids = self.part
        ids.mark.name = mark.pictogram
        ids.mark.day_colour = hex_rgba(mark.colour)

    def show_queue(self, status: Any, offline: bool = False, refused: bool = False) -> None:
        """People ahead and the wait estimate once the hub has answered; while it
        cannot be reached, that the number is kept and will be called; when the
        hub refused it, that it did not reach the helpers and whom to go to."""
        app = self.app
        bundle = app.terminal.bundle
        ids = self.part
        self._queue = (status, offline, refused)  # for another page
        # A refused number will not be called: no "please wait" beside it.
        ids.wait.text = "" if refused else bundle.string("ticket.wait", app.lang)
        if refused:
            ids.ahead.text = bundle.string("ticket.refused", app.lang)
        elif status is None:
            ids.ahead.text = bundle.string("ticket.offline", app.lang) if offline else ""
        else:
            ahead = bundle.string("ticket.ahead", app.lang, n=str(status.people_ahead))
            wait = (
                bundle.string("ticket.wait_minutes", app.lang, n=str(status.wait_minutes))
                if status.wait_minutes > 0
                else bundle.string("ticket.soon", app.lang)
            )
            ids.ahead.text = f"{ahead}\n{wait}"
        if app.theme.tight:
            self._paged()

    # A 7-inch panel in large letters ----------------------------------------
    def _paged(self) -> None:
        """The number alone on the first page, then as many of the words' sentences
        as fit a page (said all when the screen opens, each page's on "more")."""
        theme = self.app.theme
        ids = self.part
        words = [(n, getattr(ids, n).text) for n in ("ahead", "wait")] + [("take", self._take)]
        size = ids.ahead.font_size
        width = self.app.screen_box(True, self.title_in_compact)[1][0] - 2 * theme.pad
        room = self.app.screen_box(True, self.title_in_compact)[1][1] - 2 * theme.pad
        room -= theme.button + theme.mm(2)  # the row, and air above it
        units = [
            (name, piece)
            for name, text in words
            for piece in paging.pieces(
                text, lambda t, n=name: text_height(t, size, width, bold=n != "wait") <= room
            )
        ]

        def tall(sheet: list[tuple[str, str]]) -> float:
            """A page's words as the labels show them, each label's sentences joined."""
            return sum(
                text_height(self._joined(sheet, name), size, width, bold=name != "wait")
                for name, _text in words
                if any(n == name for n, _s in sheet)
            )

        sheets: list[list[tuple[str, str]]] = [[]]  # the first: the number alone
        for unit in units:
            if len(sheets) > 1 and tall(sheets[-1] + [unit]) <= room:
                sheets[-1].append(unit)
            else:
                sheets.append([unit])
        head = line_height(ids.number.font_size) + (
            ids.number.font_size * 1.2 + theme.mm(2) if theme.narrow else 0
        )  # ticket.kv: the number, and its pictogram under it on a portrait panel
        if len(sheets) > 1 and head + tall(sheets[1]) <= room:
            sheets[0:2] = [sheets[1]]  # the number and the first words on one page
        self.pages = len(sheets)
        self.page %= self.pages
        shown = sheets[self.page]
        for name, _text in words:
            getattr(ids, name).text = self._joined(shown, name)
        first = self.page == 0
        ids.head.opacity = 1 if first else 0
        self.shown_lines = [s for _n, s in shown]
        if self.app.sm.current_screen is self:  # a queue's news while shown: More in the bar or not
            self.app.show_more(self)

    @staticmethod
    def _joined(sheet: list[tuple[str, str]], name: str) -> str:
        """One label's sentences on a page (the queue's two lines stay two lines)."""
        return ("\n" if name == "ahead" else " ").join(s for n, s in sheet if n == name)

    def next_page(self) -> None:
        """ "More": the next page (then the first again), its words read aloud."""
        app = self.app
        self.page += 1
        self.show_queue(*self._queue)
        app.changed_within()  # the second tap of a double tap does not skip a page
        if self.page == 0:
            app.say(self.narration())
        else:
            app.say([Line(Text({app.lang: s}), app.lang) for s in self.shown_lines])

    def title(self) -> str:
        return self.app.terminal.bundle.string("ticket.title", self.app.lang)

    def narration(self) -> list[Line]:
        app = self.app
        strings = app.terminal.bundle.strings
        # The number itself is not content text: it is synthesised on the worker,
        # in words (the call display says it the same way).
        number = Text({app.lang: ticket_words(app.resident.ticket or "", app.lang)})
        printing = [] if self.printed or not app.terminal.printer else ["slip.printing"]
        lines = [Line(strings[key], app.lang) for key in printing] + [
            Line(strings["ticket.say"], app.lang),
            Line(number, app.lang),
            Line(strings["ticket.wait"], app.lang),
        ]
        return lines + ([Line(strings["slip.take"], app.lang)] if self.printed else [])


SCREEN = TicketScreen
