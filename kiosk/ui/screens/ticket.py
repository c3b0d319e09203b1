"""The resident's ticket: the number very large, spoken (again on request: the
bottom bar's "say my number again", the ticket key), and how many are ahead.

The resident is done here: Done (or this screen's timeout) ends the session, so
the next person never sees this ticket. No Back, no Home.
"""

from __future__ import annotations

from typing import Any

from kiosk.core.content.model import Text
from kiosk.core.helpdesk.marks import ticket_mark
from kiosk.core.helpdesk.tickets import ticket_day
from kiosk.core.narration.numbers import ticket_words
from kiosk.core.narration.script import Line
from kiosk.ui.screens import KioskScreen, load_kv
from kiosk.ui.theme import hex_rgba

load_kv(__file__)


class TicketScreen(KioskScreen):
    offers_help = False
    title_in_compact = False  # the number says it (and "your number" is spoken)
    offers_back = False
    finished = True
    printed = False  # the ticket slip came out of the printer

    def prepare(self, printed: bool | None = None, **kwargs: Any) -> None:
        """`printed`: the ticket slip came out (None: as it was, for the same ticket)."""
        app = self.app
        bundle = app.terminal.bundle
        if printed is not None:
            self.printed = printed
        self.ids.number.text = app.resident.ticket or ""
        self.show_mark(app.resident.ticket or "")
        self.ids.wait.text = bundle.string("ticket.wait", app.lang)
        self.ids.take.text = bundle.string("slip.take", app.lang) if printed else ""
        self.ids.done.text = bundle.string("slip.done", app.lang)
        self.show_queue(app.queue, refused=app.terminal.ticket_refused(app.resident.ticket or ""))

    def show_mark(self, ticket: str) -> None:
        """The ticket's pictogram on the ticket day's colour (helpdesk/marks.py)."""
        terminal = self.app.terminal
        day = ticket_day(terminal.site_now(), terminal.settings["helpdesk.day_starts_hour"])
        mark = ticket_mark(ticket, day)
        self.ids.mark.name = mark.pictogram
        self.ids.mark.day_colour = hex_rgba(mark.colour)

    def show_queue(self, status: Any, offline: bool = False, refused: bool = False) -> None:
        """People ahead and the wait estimate once the hub has answered; while it
        cannot be reached, that the number is kept and will be called; when the
        hub refused it, that it did not reach the helpers and whom to go to."""
        app = self.app
        bundle = app.terminal.bundle
        # A refused number will not be called: no "please wait" beside it.
        self.ids.wait.text = "" if refused else bundle.string("ticket.wait", app.lang)
        if refused:
            self.ids.ahead.text = bundle.string("ticket.refused", app.lang)
            return
        if status is None:
            self.ids.ahead.text = bundle.string("ticket.offline", app.lang) if offline else ""
            return
        ahead = bundle.string("ticket.ahead", app.lang, n=str(status.people_ahead))
        wait = (
            bundle.string("ticket.wait_minutes", app.lang, n=str(status.wait_minutes))
            if status.wait_minutes > 0
            else bundle.string("ticket.soon", app.lang)
        )
        self.ids.ahead.text = f"{ahead}\n{wait}"

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
