"""The non-visual way through the kiosk (EN 301 549 5.1.3, the EZ Access keys):
which key does what, and what the voice says about the keys (numbers are
said by kiosk.core.narration.numbers). Plain Python: the UI (kiosk.ui.access) turns key names into Kivy's
key codes and draws the focus; nothing here knows a screen.

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


def _t(az: str, ru: str, en: str) -> Text:
    return Text({"az": az, "ru": ru, "en": en})


# How each key is said (those not here are said by their name: "F1", "H").
KEY_WORDS: dict[str, Text] = {
    "up": _t("yuxarı ox", "стрелка вверх", "up arrow"),
    "down": _t("aşağı ox", "стрелка вниз", "down arrow"),
    "left": _t("sol ox", "стрелка влево", "left arrow"),
    "right": _t("sağ ox", "стрелка вправо", "right arrow"),
    "enter": _t("Enter", "Enter", "Enter"),
    "numpadenter": _t("Enter", "Enter", "Enter"),
    "escape": _t("Esc", "Esc", "Escape"),
    "backspace": _t("silmə düyməsi", "клавиша стирания", "backspace"),
    "spacebar": _t("boşluq", "пробел", "space"),
    "numpadadd": _t("üstəgəl", "плюс", "plus"),
    "numpadsubstract": _t("çıx", "минус", "minus"),
    "numpadmul": _t("ulduz", "звёздочка", "star"),
    "numpaddivide": _t("bölmə", "косая черта", "slash"),
    "numpaddecimal": _t("nöqtə", "точка", "dot"),
    "pageup": _t("Page Up", "Page Up", "Page Up"),
    "pagedown": _t("Page Down", "Page Down", "Page Down"),
}
OR = {"az": "və ya", "ru": "или", "en": "or"}

GUIDED_INTRO = _t(
    "Düymələr: {down} və {up} seçimlər arasında gəzdirir, {enter} seçir, {help} kömək edir.",
    "Кнопки: {down} и {up} — переход между кнопками, {enter} — выбрать, {help} — подсказка.",
    "Keys: {down} and {up} move between the choices, {enter} chooses, {help} helps.",
)
KEYS_HELP = [
    _t(
        "{down} — növbəti seçim, {up} — əvvəlki seçim, {enter} — seçmək.",
        "{down} — следующая кнопка, {up} — предыдущая, {enter} — выбрать.",
        "{down}: the next choice. {up}: the one before. {enter}: choose it.",
    ),
    _t("{back} — geri.", "{back} — назад.", "{back}: back."),
    _t(
        "{help} — bu ekranı yenidən dinləmək.",
        "{help} — прослушать этот экран ещё раз.",
        "{help}: hear this screen again.",
    ),
    _t(
        "{faster} — daha tez danışım, {slower} — daha yavaş.",
        "{faster} — говорить быстрее, {slower} — медленнее.",
        "{faster}: speak faster. {slower}: slower.",
    ),
    _t(
        "{large} — kontrast rejimi.",
        "{large} — контрастный режим.",
        "{large}: high contrast.",
    ),
    _t(
        "{ticket} — nömrənizi yenidən eşitmək.",
        "{ticket} — повторить ваш номер.",
        "{ticket}: hear your number again.",
    ),
    _t(
        "Ekrana bir dəfə toxunsanız, barmağınızın altında olan oxunur. Seçmək üçün iki dəfə tez toxunun.",
        "Одно касание экрана читает то, что под пальцем. Чтобы выбрать, коснитесь дважды быстро.",
        "One touch reads what is under your finger. To choose it, touch twice quickly.",
    ),
]

DIGIT_ENTERED = _t("Rəqəm yazıldı.", "Цифра введена.", "Digit entered.")
DIGITS_ENTERED = _t(
    "{n} rəqəm yazılıb. Göndərmək üçün Hazırdır düyməsini yenidən seçin.",
    "Введено цифр: {n}. Чтобы отправить, снова выберите Готово.",
    "{n} digits entered. To send them, choose Done again.",
)
FASTER = _t("Daha tez.", "Быстрее.", "Faster.")
SLOWER = _t("Daha yavaş.", "Медленнее.", "Slower.")
LARGE_ON = _t("Kontrast rejimi açıldı.", "Контрастный режим включён.", "High contrast on.")
LARGE_OFF = _t("Kontrast rejimi bağlandı.", "Контрастный режим выключен.", "High contrast off.")
LARGE_BUTTON = _t("Kontrast rejimi", "Контрастный режим", "High contrast")
TICKET_AGAIN = _t("Nömrəmi təkrarla", "Повторить номер", "Say my number again")
NO_TICKET = _t("Hələ nömrəniz yoxdur.", "У вас пока нет номера.", "You have no number yet.")
MORE_TIME = _t("Vaxtınız uzadıldı.", "Время продлено.", "You have more time.")

# What the bar and keypad buttons without a content text of their own are called.
BUTTON_WORDS: dict[str, Text] = {
    "louder": _t("Səsi artır", "Громче", "Louder"),
    "softer": _t("Səsi azalt", "Тише", "Softer"),
    "slower": _t("Yavaş danış", "Говорить медленнее", "Slower speech"),
    "faster": _t("Normal sürətlə danış", "Говорить быстрее", "Normal speech"),
    "+": _t("üstəgəl", "плюс", "plus"),
    "del": _t("Sonuncu rəqəmi sil", "Стереть последнюю цифру", "Delete the last digit"),
    "keys": _t("Rəqəmlər", "Цифры", "Digits"),
}


def key_words(keymap: KeyMap, action: KeyAction, lang: str) -> str:
    """The first two keys of an action, as said: "aşağı ox və ya 2"."""
    said = []
    for name in keymap.keys.get(action, ())[:2]:
        text = KEY_WORDS.get(name)
        if text is not None:
            said.append(text(lang))
        elif name.startswith("numpad") and name[6:].isdigit():
            said.append(name[6:])
        else:
            said.append(name.upper() if len(name) <= 3 else name)
    unique = list(dict.fromkeys(said))
    return f" {OR.get(lang, 'or')} ".join(unique)


def _fill(text: Text, keymap: KeyMap, langs: Iterable[str]) -> Text:
    values = {}
    for lang in langs:
        words = {a.value: key_words(keymap, a, lang) for a in KeyAction}
        values[lang] = text(lang).format(**words)
    return Text(values)


def guided_intro(keymap: KeyMap, langs: Iterable[str]) -> Text:
    """The first words of guided mode (said in every language on the language screen)."""
    return _fill(GUIDED_INTRO, keymap, langs)


def keys_help(keymap: KeyMap, langs: Iterable[str]) -> list[Text]:
    """Which key does what: the Help key says it after the screen's instruction."""
    langs = tuple(langs)
    return [_fill(t, keymap, langs) for t in KEYS_HELP]
