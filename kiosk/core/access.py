"""The non-visual way through the kiosk (EN 301 549 5.1.3, the EZ Access keys):
which key does what, and what the voice says about the keys, put together from
the content bundle's `access.*` strings (numbers are said by
kiosk.core.narration.numbers). Plain Python: the UI (kiosk.ui.access) turns key
names into Kivy's key codes and draws the focus; nothing here knows a screen.

Key names are Kivy's (`kivy.core.window.Keyboard.keycodes`): "up", "numpad8",
"enter", "f1", a letter or a digit. Each action has its keys in `[access]` in
config/kiosk.toml (kiosk.core.settings declares them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from kiosk.core.content.model import Text


class KeyAction(Enum):
    UP = "up"  # the previous choice
    DOWN = "down"  # the next choice
    ENTER = "enter"  # choose the choice in focus
    BACK = "back"
    HELP = "help"  # the screen's instruction again, and which keys do what
    FASTER = "faster"  # speech rate up
    SLOWER = "slower"  # speech rate down
    LARGE = "large"  # high contrast (and large letters, access.large_scale) on or off
    TICKET = "ticket"  # the ticket number again


# Kivy's key names that a keypad or keyboard can send (Keyboard.keycodes).
KEY_NAMES = frozenset(
    [
        "backspace", "tab", "enter", "escape", "spacebar", "pageup", "pagedown", "end",
        "home", "left", "up", "right", "down", "insert", "delete",
        "numpaddecimal", "numpaddivide", "numpadmul", "numpadsubstract", "numpadadd",
        "numpadenter",
    ]
    + [f"numpad{d}" for d in range(10)]
    + [str(d) for d in range(10)]
    + [f"f{n}" for n in range(1, 16)]
    + [chr(c) for c in range(ord("a"), ord("z") + 1)]
)  # fmt: skip

# The digits a full keyboard types into the phone field (a numeric keypad's keys
# move the focus instead: 8 and 2 are up and down there).
TYPING_DIGITS = tuple(str(d) for d in range(10))
TYPING_DELETE = "backspace"


def check_key_names(value: list[str]) -> str | None:
    """The settings check for one action's keys."""
    if not value:
        return "must name at least one key"
    bad = [v for v in value if v not in KEY_NAMES]
    if bad:
        return f"unknown key {bad[0]!r}; keys are named as Kivy names them: up, numpad8, enter, f1, a, 5"
    return None


@dataclass(frozen=True)
class KeyMap:
    """Key name -> action, from the `[access]` settings."""

    actions: Mapping[str, KeyAction] = field(default_factory=dict)
    keys: Mapping[KeyAction, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> KeyMap:
        actions: dict[str, KeyAction] = {}
        keys: dict[KeyAction, tuple[str, ...]] = {}
        for action in KeyAction:
            names = tuple(settings[f"access.{action.value}_keys"])
            keys[action] = names
            for name in names:
                actions.setdefault(name, action)  # the first action that names a key has it
        return cls(actions, keys)

    def action(self, name: str) -> KeyAction | None:
        return self.actions.get(name)


class KeyGuard:
    """One action per key press: a held key (the keyboard repeats it, or it never
    comes up) and a bouncing key (down again within `bounce_s` of its last press)
    act once, as a double tap does on the screen."""

    def __init__(self, bounce_s: float) -> None:
        self.bounce_s = bounce_s
        self._down: set[str] = set()
        self._last: dict[str, float] = {}

    def down(self, name: str, now: float) -> bool:
        """True when this press should act."""
        if name in self._down:
            return False  # held: the keyboard's own repeat
        self._down.add(name)
        last = self._last.get(name)
        self._last[name] = now
        return last is None or now - last >= self.bounce_s

    def up(self, name: str) -> None:
        self._down.discard(name)


# -- words ---------------------------------------------------------------------
# Every word about the keys is a UI string of the content bundle (strings.toml,
# `access.*`): it can be edited in the studio and get a recorded human voice like
# any screen text, and the loader refuses a bundle that lacks one in a language.

# Keys said by a word of their own ("aşağı ox"); digits, letters and F1..F15 are
# said and printed as written on the key ("2", "H", "F1").
NAMED_KEYS = tuple(
    sorted(
        n
        for n in KEY_NAMES
        if not (n.isdigit() or len(n) == 1 or (n[0] == "f" and n[1:].isdigit()) or n[6:].isdigit())
    )
)
# What each action does, said after its keys; Help says them in this order.
HELP_ORDER = (
    KeyAction.DOWN,
    KeyAction.UP,
    KeyAction.ENTER,
    KeyAction.BACK,
    KeyAction.HELP,
    KeyAction.FASTER,
    KeyAction.SLOWER,
    KeyAction.LARGE,
    KeyAction.TICKET,
)
INTRO_ORDER = (KeyAction.DOWN, KeyAction.UP, KeyAction.ENTER, KeyAction.HELP)

# Spoken on their own.
DIGIT_ENTERED = "access.digit_entered"
DIGITS_ENTERED = "access.digits_entered"  # {n}: how many
FASTER = "access.faster"
SLOWER = "access.slower"
LARGE_ON = "access.contrast_on"
LARGE_OFF = "access.contrast_off"
LARGE_BUTTON = "access.contrast_button"
TICKET_AGAIN = "access.ticket_again"
NO_TICKET = "access.no_ticket"
MORE_TIME = "access.more_time"
INTRO = "access.intro"
TOUCH = "access.touch"
OR = "access.or"
# What the bar and keypad buttons without words on the screen are called.
BUTTON_WORDS = {
    "louder": "access.button.louder",
    "softer": "access.button.softer",
    "slower": "access.button.slower",
    "faster": "access.button.faster",
    "+": "access.key.numpadadd",
    "del": "access.button.del",
    "keys": "access.button.keys",
}

# Every string this module says; the loader requires each in every language.
STRING_KEYS = tuple(
    dict.fromkeys(
        [INTRO, OR, TOUCH, DIGIT_ENTERED, DIGITS_ENTERED, FASTER, SLOWER, LARGE_ON, LARGE_OFF]
        + [LARGE_BUTTON, TICKET_AGAIN, NO_TICKET, MORE_TIME]
        + [f"access.does.{a.value}" for a in HELP_ORDER]
        + list(BUTTON_WORDS.values())
        + [f"access.key.{n}" for n in NAMED_KEYS]
    )
)


def key_word(strings: Mapping[str, Text], name: str, lang: str) -> str:
    """One key as said and printed: "aşağı ox", "2", "F1", "H"."""
    text = strings.get(f"access.key.{name}")
    if text is not None:
        return text(lang)
    if name.startswith("numpad") and name[6:].isdigit():
        return name[6:]
    return name.upper()  # a Latin letter or F1: no Azerbaijani casing involved


def key_words(
    strings: Mapping[str, Text], keymap: KeyMap, action: KeyAction, lang: str, limit: int = 2
) -> str:
    """An action's keys as said ("aşağı ox və ya 2": the first `limit`) or printed (all)."""
    names = keymap.keys.get(action, ())
    said = list(dict.fromkeys(key_word(strings, n, lang) for n in names[: limit or None]))
    if len(said) <= 1:
        return "".join(said)
    return ", ".join(said[:-1]) + f" {strings[OR](lang)} " + said[-1]


def keys_text(
    strings: Mapping[str, Text], keymap: KeyMap, action: KeyAction, langs: Iterable[str]
) -> Text:
    """An action's keys in each language; a single named key keeps its recorded voice."""
    names = keymap.keys.get(action, ())
    one = strings.get(f"access.key.{names[0]}") if len(names[:2]) == 1 else None
    if one is not None:
        return one
    return Text({lang: key_words(strings, keymap, action, lang) for lang in langs})


def action_texts(
    strings: Mapping[str, Text], keymap: KeyMap, action: KeyAction, langs: Iterable[str]
) -> list[Text]:
    """What the voice says about one action: its keys, then what it does."""
    langs = tuple(langs)
    return [keys_text(strings, keymap, action, langs), strings[f"access.does.{action.value}"]]


def guided_intro(strings: Mapping[str, Text], keymap: KeyMap, langs: Iterable[str]) -> list[Text]:
    """The first words of guided mode (said in every language on the language screen)."""
    langs = tuple(langs)
    out = [strings[INTRO]]
    for action in INTRO_ORDER:
        out += action_texts(strings, keymap, action, langs)
    return out


def keys_help(
    strings: Mapping[str, Text], keymap: KeyMap, langs: Iterable[str], ticket: bool = True
) -> list[Text]:
    """Which key does what: the Help key says it after the screen's instruction
    (the ticket key only once there is a ticket), then how touch exploration works."""
    langs = tuple(langs)
    out: list[Text] = []
    for action in HELP_ORDER:
        if action != KeyAction.TICKET or ticket:
            out += action_texts(strings, keymap, action, langs)
    return out + [strings[TOUCH]]
