"""Print my slip: printing, then "take your slip", or, when the printer cannot
print, the same official link as a large QR code to scan with a phone."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty

from kiosk.core.content.model import Text
from kiosk.core.narration.script import Line
from kiosk.ui import paging
from kiosk.ui.images import qr_texture
from kiosk.ui.screens import KioskScreen, load_kv
from kiosk.ui.theme import line_height, text_height

load_kv(__file__)

QR_MM = 34  # slip.kv: a 7-inch panel's code in large letters, its quiet zone included


class SlipScreen(KioskScreen):
    show_picture = BooleanProperty(True)  # a compact screen shows the code in its place

    @property
    def title_in_compact(self) -> bool:  # type: ignore[override]
        """Not on a compact portrait screen, nor where a compact screen shows the code
        (the printer failed): the code, its words and Done need the height."""
        return not self.app.theme.narrow and self.show_picture

    state = "printing"  # printing | printed | failed
    service_id: str | None = None
    page = 0  # a 7-inch panel in large letters, the code shown: the words' page
    pages = 1
    shown_words = ""
    _layouts: dict[str, Any] | None = None  # the usual layout and that panel's page

    offers_back = False  # no way back into the flow mid-print, nor after: Done ends the session

    @property
    def finished(self) -> bool:  # type: ignore[override]
        """Printed or not, the resident is done: Done or the timeout ends the session."""
        return self.state != "printing"

    def prepare(
        self, service_id: str | None = None, state: str = "printing", **kwargs: Any
    ) -> None:
        app = self.app
        self.service_id = service_id
        self.state = state
        bundle = app.terminal.bundle
        key = {"printing": "slip.printing", "printed": "slip.take", "failed": "slip.failed"}[state]
        self.ids.words.text = bundle.string(key, app.lang)
        self.ids.picture.name = {
            "printing": "printer",
            "printed": "check-circle",
            "failed": "qrcode-scan",
        }[state]
        self.ids.done.text = bundle.string("slip.done", app.lang)
        self.ids.done.opacity = 0 if state == "printing" else 1
        self.ids.done.hidden = state == "printing"
        service = bundle.services.get(service_id or "")
        show_qr = state == "failed" and service is not None and bool(service.link)
        self.show_picture = not (show_qr and app.theme.compact)
        self.ids.qr.opacity = 1 if show_qr else 0
        folded = (1, 0.001) if app.theme.portrait else (0.001, 1)
        beside = app.theme.small_panel and not app.theme.narrow  # the code beside the words
        self.ids.qr.size_hint = (0.6 if beside else 1, 1) if show_qr else folded
        if show_qr:
            self.ids.qr.texture = qr_texture(service.link, app.terminal.settings["links.allowlist"])
            self.ids.link.text = service.link_label
        else:
            self.ids.link.text = ""
        self.page, self.pages = 0, 1
        self._show_layout(show_qr and app.theme.tight)

    # A 7-inch panel in large letters, the printer failed ----------------------
    def _show_layout(self, paged: bool) -> None:
        """The usual layout, or that panel's page (slip.kv) filled from it."""
        if self._layouts is None:  # kept here: the .kv ids do not keep a part taken out
            self._layouts = {"usual": self.children[0]}
        if paged and "page" not in self._layouts:
            self._layouts["page"] = Factory.SlipPage()
        shown = self._layouts["page" if paged else "usual"]
        if shown.parent is not self:
            self.clear_widgets()
            self.add_widget(shown)
        if paged:
            ids = shown.ids
            ids.qr.texture = self.ids.qr.texture
            ids.link.text = self.ids.link.text
            ids.done.text = self.ids.done.text
            self._paged()

    def _paged(self) -> None:
        """The failure's words a page at a time beside the code (the bar's "More" turns them)."""
        theme = self.app.theme
        ids = self._layouts["page"].ids
        words = self.ids.words.text
        width, height = self.app.screen_box(True, self.title_in_compact)[1]
        width -= 2 * theme.mm(1)
        height -= 2 * theme.mm(1) + 2 * theme.mm(1)  # slip.kv: padding and gaps
        height -= line_height(theme.body) + theme.button  # the link, the row
        if theme.narrow:
            height -= theme.mm(QR_MM) + theme.mm(2)  # the code above the words
        else:
            width -= theme.mm(QR_MM) + theme.mm(2)  # the code beside them
        size = theme.label
        pages = paging.pages(words, lambda t: text_height(t, size, width) <= height)
        self.pages = len(pages)
        self.page %= self.pages
        self.shown_words = ids.words.text = pages[self.page]

    def next_page(self) -> None:
        """ "More": the words' next page (then the first again), read aloud."""
        app = self.app
        self.page += 1
        self._paged()
        app.changed_within()  # the second tap of a double tap does not skip a page
        app.say([Line(Text({app.lang: self.shown_words}), app.lang)])

    def title(self) -> str:
        app = self.app
        service = app.terminal.bundle.services.get(self.service_id or "")
        return service.title(app.lang) if service else ""

    def narration(self) -> list[Line]:
        key = {"printing": "slip.printing", "printed": "slip.take", "failed": "slip.failed"}[
            self.state
        ]
        return [Line(self.app.terminal.bundle.strings[key], self.app.lang)]


SCREEN = SlipScreen
