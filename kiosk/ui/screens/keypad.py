"""A big number keypad for the resident's phone number (optional).

Each key is said as it is typed (aloud only into headphones; through the
speaker "digit entered", kiosk.ui.access). "Done" checks the number (kiosk.core.phone):
a wrong one is refused with a reason shown and said, and nothing is sent; a good
one is read back in groups, and "Done" again sends it.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty

from kiosk.core import access
from kiosk.core.content.model import Text
from kiosk.core.narration.script import Line
from kiosk.core.phone import check_phone, grouped
from kiosk.ui.screens import KioskScreen, load_kv

load_kv(__file__)

MAX_DIGITS = 15  # E.164; a longer number is refused with "too long" anyway


class KeypadScreen(KioskScreen):
    offers_help = False
    title_in_compact = False  # four rows of 20 mm targets fill a 7-inch screen's height
    checked = ""  # the number read back and waiting for a second "Done"
    problem = ""  # the keypad string key of the last refusal
    _parts: tuple[Any, Any] | None = None  # the message and the keys, one of them shown
    # A 7-inch panel in large letters: the number's row folded while the words read it back.
    folded = BooleanProperty(False)
    _tight: dict[str, Any] | None = None  # that panel's parts (keypad.kv), made when first shown

    def prepare(self, checked: str = "", problem: str = "", **kwargs: Any) -> None:
        app = self.app
        self.checked = checked
        self.problem = problem
        self.ids.number.text = grouped(app.resident.phone)
        self.ids.done.text = app.terminal.bundle.string("keypad.done", app.lang)
        self.ids.done.armed = bool(checked)
        self._show_reason(self._reason_text())

    def _show_reason(self, text: str) -> None:
        """The reason beside the number; on a compact screen, in the keys' place
        (the keypad button beside it brings the keys back)."""
        if self._parts is None:  # kept here: the .kv ids do not keep a part that is taken out
            self._parts = (self.ids.message.__self__, self.ids.key_grid.__self__)
        message, keys = self._parts
        theme = self.app.theme
        # On a compact screen the message says it; the label beside the number stays empty.
        self.ids.reason.text = "" if theme.compact else text
        message.ids.words.text = text
        if theme.tight:
            keys = self._tight_keys(theme.rails)
        shown = message if text and theme.compact else keys
        area = self.ids.keys_area
        if list(area.children) != [shown]:
            area.clear_widgets()
            area.add_widget(shown)
        self._place_done(shown if theme.tight else None)
        # The words read the number back: its own row gives them the room.
        self.folded = theme.tight and shown is message and bool(self.checked)

    def _tight_keys(self, wide: bool) -> Any:
        """A 7-inch panel in large letters: its keys (keypad.kv), five across on a
        landscape one with delete beside the number, else four across."""
        if self._tight is None:
            self._tight = {"done": self.ids.done.__self__, "delete": Factory.DeleteKey()}
        parts = self._tight
        name = "wide" if wide else "tall"
        if name not in parts:
            parts[name] = getattr(Factory, "WideKeys" if wide else "TallKeys")()
        return parts[name]

    def _place_done(self, shown: Any) -> None:
        """Done beside the number; on a 7-inch panel in large letters in the shown
        part's last row (under the keys, or beside the keypad button)."""
        if self._tight is None:
            return  # never moved
        done, delete = self._tight["done"], self._tight["delete"]
        top = self.ids.top.__self__  # the widgets, not the .kv ids' proxies
        for widget, row in (
            (done, shown.ids.row.__self__ if shown is not None else top),
            (delete, top if shown is not None and self.app.theme.rails else None),
        ):
            if widget.parent is not row:
                if widget.parent is not None:
                    widget.parent.remove_widget(widget)
                if row is not None:
                    row.add_widget(widget)
        delete.size_hint_x, delete.width = None, self.app.theme.button

    def show_keys(self) -> None:
        """The keypad button on a compact screen's message: the keys again, to
        correct the number (Done checks it again). Shown again, so the touch guard
        holds back the second tap of a double tap, which would land on a key."""
        self.app.show("keypad", push=False)

    def cover_personal(self, covered: bool) -> None:
        self.ids.number.text = "" if covered else grouped(self.app.resident.phone)
        self._show_reason("" if covered else self._reason_text())

    def _reason_text(self) -> str:
        app = self.app
        bundle = app.terminal.bundle
        if self.checked:
            return bundle.string("keypad.check", app.lang, n=grouped(self.checked))
        return bundle.string(f"keypad.{self.problem}", app.lang) if self.problem else ""

    def press(self, key: str) -> None:
        app = self.app
        phone = app.resident.phone
        if key == "del":
            phone = phone[:-1]
        elif key == "+" and phone:
            return  # a plus only starts a number
        elif len(phone) < MAX_DIGITS:
            phone += key
        else:
            return
        app.resident.phone = phone
        self.checked = self.problem = ""
        self.ids.done.armed = False
        self.ids.number.text = grouped(phone)
        self._show_reason("")
        if key != "del":
            app.say([app.access.digit_line(key)])  # said as typed, aloud only into headphones

    def submit(self) -> None:
        """Done: refuse a wrong number with its reason; read a good one back; send
        it when Done is touched again on the number read back."""
        app = self.app
        check = check_phone(app.resident.phone)
        if check.ok and self.checked == app.resident.phone:
            app.issue_ticket(check.dial)
            return
        # Shown again, so the touch guard holds back the second tap of a double tap.
        app.show(
            "keypad",
            push=False,
            checked=app.resident.phone if check.ok else "",
            problem=check.problem.value if check.problem else "",
        )

    def title(self) -> str:
        return self.app.terminal.bundle.string("keypad.title", self.app.lang)

    def narration(self) -> list[Line]:
        app = self.app
        strings = app.terminal.bundle.strings
        if self.checked:
            if not app.access.headphones():  # the number aloud only into headphones
                said = strings[access.DIGITS_ENTERED](app.lang).format(n=str(len(self.checked)))
                return [Line(Text({app.lang: said}), app.lang)]
            readback = strings["keypad.check"](app.lang).format(n=grouped(self.checked))
            return [Line(Text({app.lang: readback}), app.lang)]
        if self.problem:
            return [Line(strings[f"keypad.{self.problem}"], app.lang)]
        return [Line(strings["keypad.say"], app.lang)]


SCREEN = KeypadScreen
