"""Print my slip: printing, then "take your slip", or, when the printer cannot
print, the same official link as a large QR code to scan with a phone."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty

from kiosk.core.narration.script import Line
from kiosk.ui.images import qr_texture
from kiosk.ui.screens import KioskScreen, load_kv

load_kv(__file__)


class SlipScreen(KioskScreen):
    show_picture = BooleanProperty(True)  # a compact screen shows the code in its place

    @property
    def title_in_compact(self) -> bool:  # type: ignore[override]
        """Not on a compact portrait screen, nor where a compact screen shows the code
        (the printer failed): the code, its words and Done need the height."""
        return not self.app.theme.narrow and self.show_picture

    state = "printing"  # printing | printed | failed
    service_id: str | None = None

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
