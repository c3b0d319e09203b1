"""Guided mode: every screen by keypad and voice alone, and touch exploration.

Any USB keypad or keyboard drives the kiosk (kiosk.core.access maps its keys):
up and down move a high-contrast focus ring through the shown screen's choices
in reading order (the screen's own, then the bottom bar's, then the top bar's),
and each move says that choice; Enter chooses it, Back goes back, Help says the
screen again and which keys do what. The first key press on the attract screen
starts guided mode, which explains the keys; in guided mode a touch says what is
under the finger and a second touch on it within access.double_tap_ms chooses
it. A choice is chosen exactly as a touch would choose it (its on_release), once:
a held or bouncing key is one press (KeyGuard) and a chosen screen change holds
further keys and touches back for the touch guard's time.

This module draws only the ring; what is said comes from the screens' own lines
(`button.line`) or from the bundle's `access.*` strings (kiosk.core.access).
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.core.window import Keyboard, Window
from kivy.graphics import Color, InstructionGroup
from kivy.graphics import Line as DrawnLine
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label

from kiosk.core import access
from kiosk.core.access import KeyAction, KeyGuard, KeyMap
from kiosk.core.content.model import Text
from kiosk.core.narration.script import Line
from kiosk.ui.hyphen import unbroken

log = logging.getLogger(__name__)

# Kivy key code -> name (several names share a code: the ones access knows win).
KEY_NAME: dict[int, str] = {}
for _name, _code in Keyboard.keycodes.items():
    if _name in access.KEY_NAMES or _code not in KEY_NAME:
        KEY_NAME[_code] = _name

# Screens shown again in a new state by their own choices (the keypad's read-back).
SHOWN_AGAIN = ("keypad", "slip", "ticket", "language")
BAR_WORDS = {
    "back": "nav.back",
    "home": "nav.home",
    "help": "finish.help",
    "speaker": "nav.speaker",
}


def real(widget: Any) -> Any:
    """The widget itself, not the weak proxy a .kv id gives (proxies are not `is` it)."""
    return getattr(widget, "__self__", widget)


def visible(widget: Any) -> bool:
    w = widget
    while w is not None and w is not w.parent:
        if w.opacity == 0 or getattr(w, "active", True) is False:
            return False
        w = w.parent
    return True


def usable(widget: Any) -> bool:
    """A choice a resident can take now: a button that shows and is not disabled."""
    return (
        isinstance(widget, ButtonBehavior)
        and not getattr(widget, "hidden", False)
        and not widget.disabled
        and widget.width > 1
        and widget.height > 1
        and visible(widget)
    )


class FocusRing:
    """Two rectangles round the choice in focus, drawn over everything: a thick
    amber one and a thin dark one inside it, seen on light and dark alike."""

    def __init__(self) -> None:
        self.group = InstructionGroup()
        self._outer_color = Color(1, 0.7, 0, 1)
        self._outer = DrawnLine(width=4)
        self._inner_color = Color(0, 0, 0, 1)
        self._inner = DrawnLine(width=2)
        for instruction in (self._outer_color, self._outer, self._inner_color, self._inner):
            self.group.add(instruction)
        self._rect: tuple[float, ...] | None = None
        self._shown = False
        self.widget: Any = None

    def show(self, widget: Any, theme: Any) -> None:
        self.widget = widget
        if not self._shown:
            Window.canvas.after.add(self.group)
            self._shown = True
        self._outer_color.rgba = theme.highlight
        self._inner_color.rgba = theme.text if not theme.contrast else theme.background
        self._outer.width = max(3.0, theme.mm(1.2))
        self._inner.width = max(1.5, theme.mm(0.5))
        self._rect = None
        self.follow()

    def hide(self) -> None:
        self.widget = None
        if self._shown:
            Window.canvas.after.remove(self.group)
            self._shown = False

    def follow(self, *_args: Any) -> None:
        """Keep the ring on its widget (it moves when a screen is laid out again)."""
        w = self.widget
        if w is None:
            return
        x, y = w.to_window(w.x, w.y)
        rect = (x, y, w.width, w.height)
        if rect == self._rect:
            return
        self._rect = rect
        outer, inner = self._outer.width, self._inner.width
        self._outer.rectangle = (x - outer, y - outer, w.width + 2 * outer, w.height + 2 * outer)
        self._inner.rectangle = (x + inner, y + inner, w.width - 2 * inner, w.height - 2 * inner)


class Access:
    """The keys, the focus and touch exploration, for one app."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.ring = FocusRing()
        self.guided = False
        self.acting = False  # a choice is being chosen by key or double tap: act at once
        self._explored: tuple[Any, float] | None = None
        self._settings_seen: Any = None
        self._load()

    def _load(self) -> None:
        settings = self.app.terminal.settings
        self._settings_seen = settings
        self.keymap = KeyMap.from_settings(settings)
        self.keys = KeyGuard(settings["access.key_bounce_ms"] / 1000)

    def bind(self) -> None:
        Window.bind(on_key_down=self._key_down, on_key_up=self._key_up, on_flip=self.ring.follow)

    # -- state --------------------------------------------------------------
    @property
    def focus(self) -> Any:
        return self.ring.widget

    def reset(self) -> None:
        """A new resident: guided mode off until they press a key."""
        self.guided = False
        self.screen_shown()

    def screen_shown(self) -> None:
        self.ring.hide()
        self._explored = None

    def lang(self) -> str:
        return self.app.lang

    # -- what is said -------------------------------------------------------
    def lines_for(self, widget: Any) -> list[Line]:
        """What the voice says for a choice: its own line, else the bar's or keypad's words."""
        app, lang = self.app, self.lang()
        line = getattr(widget, "line", None)
        if line is not None:
            return [line]
        strings = app.terminal.bundle.strings
        ids = app.root.ids
        widget = real(widget)
        for name, key in BAR_WORDS.items():
            if widget is real(ids.get(name)) and key in strings:
                return [Line(strings[key], lang)]
        if widget is real(ids.get("again")):
            return [Line(strings[access.TICKET_AGAIN], lang)]
        for name in ("louder", "softer", "slower"):
            if widget is real(ids.get(name)):
                word = "faster" if name == "slower" and app.slow else name
                return [Line(strings[access.BUTTON_WORDS[word]], lang)]
        key = getattr(widget, "key", "")
        if key:
            words = access.BUTTON_WORDS.get(key)
            return [Line(strings[words] if words else Text({lang: key}), lang)]
        if getattr(widget, "icon", "") == "backspace":
            return [Line(strings[access.BUTTON_WORDS["del"]], lang)]
        if getattr(widget, "icon", "") == "dialpad" and not getattr(widget, "text", ""):
            return [Line(strings[access.BUTTON_WORDS["keys"]], lang)]
        text = getattr(widget, "text", "")
        return [Line(Text({lang: text}), lang)] if text else []

    def help_lines(self) -> list[Line]:
        lang = self.lang()
        strings = self.app.terminal.bundle.strings
        ticket = bool(self.app.resident.ticket)  # no ticket to hear again yet: not said
        texts = access.keys_help(strings, self.keymap, [lang], ticket=ticket)
        return list(self.app.screen.narration()) + [Line(t, lang) for t in texts]

    def intro_lines(self) -> list[Line]:
        """Guided mode starts: the keys in a few words, in every language offered."""
        langs = self.app.terminal.settings["kiosk.languages"]
        strings = self.app.terminal.bundle.strings
        intro = access.guided_intro(strings, self.keymap, langs)
        return [Line(text, code) for code in langs for text in intro]

    def digit_line(self, digit: str) -> Line:
        """A digit typed into the phone field: said only into headphones."""
        lang = self.lang()
        if self.headphones():
            return Line(Text({lang: digit}), lang)
        return Line(self.app.terminal.bundle.strings[access.DIGIT_ENTERED], lang)

    def headphones(self) -> bool:
        phones = self.app.terminal.headphones
        return bool(phones is not None and phones.connected())

    # -- focus --------------------------------------------------------------
    def choices(self) -> list[Any]:
        """The shown screen's choices in reading order, then the bars'."""
        app = self.app
        screen = app.sm.current_screen
        found = [w for w in screen.walk(restrict=True) if w is not screen and usable(w)]
        if app.sm.current == "keypad":  # the number's keys first, Done after them
            done = real(screen.ids.done)
            found = [w for w in found if w is not done] + ([done] if done in found else [])
        ids = app.root.ids
        more = getattr(app, "bar_more", None)  # in the bar only where pages need it (show_more)
        more = [more] if more is not None and more.parent is not None else []
        bars = [ids.back, ids.home, *more, ids.help, ids.again]
        bars += [ids.speaker, ids.slower, ids.softer, ids.louder]
        return found + [real(w) for w in bars if usable(w)]

    def set_focus(self, widget: Any, speak: bool = True) -> None:
        self.ring.show(widget, self.app.theme)
        if speak:
            lines = self.lines_for(widget)
            # What the resident hears, for the log (choice labels only, never what was typed).
            log.info("focus: %s", " ".join(line.words for line in lines))
            self.app.say(lines)

    def move(self, step: int) -> None:
        choices = self.choices()
        if not choices:
            self.app.say(list(self.app.screen.narration()))
            return
        if self.focus in choices:
            index = (choices.index(self.focus) + step) % len(choices)
        else:
            index = 0 if step > 0 else len(choices) - 1
        self.set_focus(choices[index])

    def activate(self, widget: Any) -> None:
        """Choose `widget` as a touch would, once; the focus stays where it was when
        the screen does not change (a keypad key, "more")."""
        app = self.app
        choices = self.choices()
        index = choices.index(widget) if widget in choices else 0
        shown, name = app.screens_shown, app.sm.current
        log.info("chosen by %s: %s", "key" if self.focus is widget else "double tap", name)
        self.acting = True
        try:
            widget.dispatch("on_press")
            widget.dispatch("on_release")
        finally:
            self.acting = False
        # The same screen (a keypad key, "more", Done's read-back): the focus stays put.
        same = app.screens_shown == shown or (app.sm.current == name and name in SHOWN_AGAIN)
        if same and self.guided:
            choices = self.choices()
            if choices:
                self.set_focus(choices[min(index, len(choices) - 1)], speak=False)

    # -- keys ---------------------------------------------------------------
    def _key_up(self, _window: Any, key: int, *_args: Any) -> bool:
        name = KEY_NAME.get(key)
        if name is not None:
            self.keys.up(name)
        return False

    def _key_down(self, _window: Any, key: int, _scancode: Any = None, *_args: Any) -> bool:
        name = KEY_NAME.get(key)
        # Modifiers (NumLock, Shift: xdotool and some keypads send NumLock first) never act.
        if name not in access.KEY_NAMES or not self.app.terminal.settings["access.guided"]:
            return False
        try:
            self.key(name)
        except Exception:  # a key must never end the kiosk
            log.exception("key %s", name)
        return True  # no key reaches Kivy's own handling (Esc would close the app)

    def key(self, name: str) -> None:
        """One key pressed (by its Kivy name)."""
        app = self.app
        if app.terminal.settings is not self._settings_seen:
            self._load()
        now = app.now()
        if not self.keys.down(name, now):
            log.debug("key %s: held or bounced", name)
            return
        app.idle.touch(now)
        if app.idle_prompt is not None and app.idle_prompt.is_open:
            app.idle_prompt.close()
            app.screen.cover_personal(False)
            app.say([Line(app.terminal.bundle.strings[access.MORE_TIME], self.lang())])
            return
        action = self.keymap.action(name)
        if app.sm.current == "attract":
            if not app.guard.allows(now):
                return
            self.guided = True
            app.begin()
            app.say(self.intro_lines() + list(app.screen.narration()))
            return
        if app.sm.current == "keypad" and (name in access.TYPING_DIGITS or name == "backspace"):
            if app.guard.allows(now):
                app.screen.press("del" if name == "backspace" else name)
            return
        if action is None:
            return
        if not self.guided:
            self.guided = True  # a key mid-session: the keys are explained first
            app.say(self.help_lines())
            return
        self.act(action, now)

    def act(self, action: KeyAction, now: float) -> None:
        app, lang = self.app, self.lang()
        if action == KeyAction.DOWN:
            self.move(1)
        elif action == KeyAction.UP:
            self.move(-1)
        elif action == KeyAction.ENTER:
            if self.focus is None or self.focus not in self.choices():
                self.move(1)
            elif app.guard.allows(now):
                self.activate(self.focus)
        elif action == KeyAction.BACK:
            if app.can_back and app.guard.allows(now):
                app.go_back()
            else:
                app.say(list(app.screen.narration()))
        elif action == KeyAction.HELP:
            app.say(self.help_lines())
        elif action in (KeyAction.FASTER, KeyAction.SLOWER):
            step = app.terminal.settings["access.rate_step"]
            app.terminal.narrator.change_rate(step if action == KeyAction.FASTER else -step)
            word = access.FASTER if action == KeyAction.FASTER else access.SLOWER
            app.say([Line(app.terminal.bundle.strings[word], lang)])
        elif action == KeyAction.LARGE:
            app.set_large(not app.large)
        elif action == KeyAction.TICKET:
            app.say_ticket()

    # -- touch exploration ----------------------------------------------------
    def under(self, x: float, y: float) -> Any:
        for w in self.choices():
            if w.collide_point(*w.to_widget(x, y)):
                return w
        return None

    def explore(self, x: float, y: float, now: float) -> None:
        """Guided mode: a touch says what is under the finger; a second touch on the
        same choice within access.double_tap_ms chooses it."""
        widget = self.under(x, y)
        if widget is None:
            self._explored = None
            words = self._text_under(x, y)
            if words:
                self.app.say([Line(Text({self.lang(): words}), self.lang())])
            return
        window = self.app.terminal.settings["access.double_tap_ms"] / 1000
        explored = self._explored
        if explored is not None and explored[0] is widget and now - explored[1] <= window:
            self._explored = None
            self.activate(widget)
            return
        self._explored = (widget, now)
        self.set_focus(widget)

    def _text_under(self, x: float, y: float) -> str:
        screen = self.app.sm.current_screen
        for w in screen.walk(restrict=True):
            if (
                isinstance(w, Label)
                and w.font_name != "Icons"
                and w.text.strip()
                and visible(w)
                and w.collide_point(*w.to_widget(x, y))
            ):
                return unbroken(w.text).replace("\n", " ")  # a word cut to fit: whole
        return ""
