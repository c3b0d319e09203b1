"""Numbers as the voice says them: "A-014" is "A on dörd" in Azerbaijani and
"А четырнадцать" in Russian, desk 2 is "ikinci masa" / "второй стол".

Speech engines read digit strings each their own way ("014" as "zero one four",
or a leading zero as "sıfır"); a ticket is called by its number, so the words
are written out here and the engine only says words. The terminal's ticket
screen and the hub's call display both use these rules, so a resident hears
their number the same way at the terminal and in the waiting room.

Pure functions; never speaks, never reads a clock.
"""

from __future__ import annotations

import re

# ---- Azerbaijani -------------------------------------------------------------

_AZ_ONES = ["sıfır", "bir", "iki", "üç", "dörd", "beş", "altı", "yeddi", "səkkiz", "doqquz"]
_AZ_TENS = ["", "on", "iyirmi", "otuz", "qırx", "əlli", "altmış", "yetmiş", "səksən", "doxsan"]
_AZ_VOWELS = "aıoueəiöü"
# The ordinal suffix follows the last vowel (vowel harmony): -ıncı, -inci, -uncu, -üncü.
_AZ_ORDINAL_VOWEL = {"a": "ı", "ı": "ı", "e": "i", "ə": "i", "i": "i", "o": "u", "u": "u"}
_AZ_ORDINAL_VOWEL.update({"ö": "ü", "ü": "ü"})


def _az_below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words += ([] if hundreds == 1 else [_AZ_ONES[hundreds]]) + ["yüz"]  # "yüz", not "bir yüz"
    tens, ones = divmod(rest, 10)
    if tens:
        words.append(_AZ_TENS[tens])
    if ones:
        words.append(_AZ_ONES[ones])
    return words


def _az_cardinal(n: int) -> str:
    if n == 0:
        return _AZ_ONES[0]
    thousands, rest = divmod(n, 1000)
    words: list[str] = []
    if thousands:
        words += ([] if thousands == 1 else _az_below_thousand(thousands)) + ["min"]
    return " ".join(words + _az_below_thousand(rest))


def _az_ordinal(n: int) -> str:
    words = _az_cardinal(n)
    last_vowel = next(c for c in reversed(words) if c in _AZ_VOWELS)
    vowel = _AZ_ORDINAL_VOWEL[last_vowel]
    # After a vowel the suffix loses its first vowel: iki -> ikinci, altı -> altıncı.
    suffix = f"nc{vowel}" if words[-1] in _AZ_VOWELS else f"{vowel}nc{vowel}"
    return words + suffix


# ---- Russian -----------------------------------------------------------------

_RU_ONES = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
_RU_TEENS = [
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
]
_RU_TENS = [
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
]
_RU_HUNDREDS = [
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
]
# Masculine nominative ordinals ("второй стол").
_RU_ORD_ONES = [
    "",
    "первый",
    "второй",
    "третий",
    "четвёртый",
    "пятый",
    "шестой",
    "седьмой",
    "восьмой",
    "девятый",
]
_RU_ORD_TEENS = [
    "десятый",
    "одиннадцатый",
    "двенадцатый",
    "тринадцатый",
    "четырнадцатый",
    "пятнадцатый",
    "шестнадцатый",
    "семнадцатый",
    "восемнадцатый",
    "девятнадцатый",
]
_RU_ORD_TENS = [
    "",
    "",
    "двадцатый",
    "тридцатый",
    "сороковой",
    "пятидесятый",
    "шестидесятый",
    "семидесятый",
    "восьмидесятый",
    "девяностый",
]


def _ru_below_thousand(n: int, feminine: bool = False) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append(_RU_HUNDREDS[hundreds])
    tens, ones = divmod(rest, 10)
    if tens == 1:
        words.append(_RU_TEENS[ones])
        return words
    if tens:
        words.append(_RU_TENS[tens])
    if ones:
        one = _RU_ONES[ones]
        if feminine and ones in (1, 2):
            one = "одна" if ones == 1 else "две"
        words.append(one)
    return words


def _ru_cardinal(n: int) -> str:
    if n == 0:
        return _RU_ONES[0]
    thousands, rest = divmod(n, 1000)
    words: list[str] = []
    if thousands:
        last, last_two = thousands % 10, thousands % 100
        if 11 <= last_two <= 19 or last not in (1, 2, 3, 4):
            unit = "тысяч"
        else:
            unit = "тысяча" if last == 1 else "тысячи"
        words += _ru_below_thousand(thousands, feminine=True) + [unit]
    return " ".join(words + _ru_below_thousand(rest))


def _ru_ordinal(n: int) -> str | None:
    """1..99 as a masculine ordinal; None beyond (said as "номер N" instead)."""
    if not 1 <= n <= 99:
        return None
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _RU_ORD_ONES[ones]
    if tens == 1:
        return _RU_ORD_TEENS[ones]
    if ones == 0:
        return _RU_ORD_TENS[tens]
    return f"{_RU_TENS[tens]} {_RU_ORD_ONES[ones]}"


# ---- English -----------------------------------------------------------------

_EN_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _en_below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words += [_EN_ONES[hundreds], "hundred"]
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else ""))
    elif rest:
        words.append(_EN_ONES[rest])
    return words


def _en_cardinal(n: int) -> str:
    if n == 0:
        return _EN_ONES[0]
    thousands, rest = divmod(n, 1000)
    words = (_en_below_thousand(thousands) + ["thousand"]) if thousands else []
    return " ".join(words + _en_below_thousand(rest))


# ---- letters -----------------------------------------------------------------

# A terminal's letter, as each voice names it. Azerbaijani letters are said as
# themselves ("A"); Russian voices would read a Latin letter in English, so they
# get the Russian name of the letter.
_RU_LETTERS = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [
            "а",
            "бэ",
            "цэ",
            "дэ",
            "е",
            "эф",
            "гэ",
            "аш",
            "и",
            "йот",
            "ка",
            "эль",
            "эм",
            "эн",
            "о",
            "пэ",
            "ку",
            "эр",
            "эс",
            "тэ",
            "у",
            "вэ",
            "дубль-вэ",
            "икс",
            "игрек",
            "зэт",
        ],
        strict=True,
    )
)

LANGUAGES = ("az", "ru", "en")


def cardinal(n: int, lang: str) -> str:
    """`n` (0 to 999 999) in words: 14 -> "on dörd" / "четырнадцать" / "fourteen"."""
    if not 0 <= n < 1_000_000:
        raise ValueError(f"{n} is out of range for spoken numbers")
    if lang == "az":
        return _az_cardinal(n)
    if lang == "ru":
        return _ru_cardinal(n)
    return _en_cardinal(n)


def letter(ch: str, lang: str) -> str:
    """A ticket letter as the voice of `lang` names it."""
    if lang == "ru":
        return _RU_LETTERS.get(ch.upper(), ch)
    return ch


_TICKET = re.compile(r"^\s*([^\W\d_]*)[\s-]*(\d+)\s*$")


def ticket_words(ticket: str, lang: str) -> str:
    """A ticket as said aloud: "A-014" -> "A on dörd" (az), "а четырнадцать" (ru),
    "A fourteen" (en). Anything that is not letter(s) and a number is left as it is."""
    match = _TICKET.match(ticket)
    if match is None or len(match.group(2)) > 6:
        return ticket
    letters, digits = match.groups()
    said = [letter(c, lang) for c in letters]
    return " ".join([*said, cardinal(int(digits), lang)])


def desk_words(desk: int, lang: str) -> str:
    """A desk as said in a call: 2 -> "ikinci masa" / "второй стол" / "desk two"."""
    if lang == "az":
        return f"{_az_ordinal(desk)} masa"
    if lang == "ru":
        ordinal = _ru_ordinal(desk)
        return f"{ordinal} стол" if ordinal else f"стол номер {cardinal(desk, 'ru')}"
    return f"desk {cardinal(desk, 'en')}"


# Who waits for the resident, said after the ticket and desk; the name stays in
# the nominative in each ("sizi Aysel gözləyir": no case ending to get wrong).
_WAITING_FOR_YOU = {
    "az": "sizi {name} gözləyir",
    "ru": "вас ждёт {name}",
    "en": "please go to {name}",
}


def call_words(ticket: str, desk: int | None, lang: str, name: str = "") -> str:
    """The whole call: "A on dörd, ikinci masa, sizi Aysel gözləyir"; without a
    desk or a volunteer's display name, those parts are left out."""
    words = ticket_words(ticket, lang)
    if desk:
        words = f"{words}, {desk_words(desk, lang)}"
    if name:
        words = f"{words}, {_WAITING_FOR_YOU.get(lang, _WAITING_FOR_YOU['en']).format(name=name)}"
    return words
