"""What a ticket carries besides its number, for residents who cannot read it: a
pictogram that follows the ticket and a colour that follows the day.

- The pictogram (a fish, a key, a house ...) comes from the ticket's letter and
  number: of any twelve tickets a terminal issues in a row no two share one, so
  the people waiting at the same time hold different pictures. The terminal's
  ticket screen and slip show it; the call display shows it with the call, so a
  resident matches the picture on their slip with the picture on the screen.
  A pictogram per desk could not be printed (the desk is known only when a
  volunteer calls) and one per day would be the same on everyone's slip.
- The colour is the ticket day's (one per weekday) and is the day marker: where
  a ticket from yesterday is still open next to today's, the display and the
  console show its colour and say "yesterday", so two "A-014" never look alike.
  Slips are printed in black only: there the day is the weekday in words.

Pure data; never draws and never reads a clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# (icon name in the bundled Material Design Icons font, its name in az, ru, en).
# Everyday things, each a clear shape, none a flag, a faith or a brand.
PICTOGRAMS: tuple[tuple[str, dict[str, str]], ...] = (
    ("fish", {"az": "balıq", "ru": "рыба", "en": "fish"}),
    ("key", {"az": "açar", "ru": "ключ", "en": "key"}),
    ("home", {"az": "ev", "ru": "дом", "en": "house"}),
    ("bird", {"az": "quş", "ru": "птица", "en": "bird"}),
    ("umbrella", {"az": "çətir", "ru": "зонт", "en": "umbrella"}),
    ("food-apple", {"az": "alma", "ru": "яблоко", "en": "apple"}),
    ("cat", {"az": "pişik", "ru": "кошка", "en": "cat"}),
    ("car", {"az": "maşın", "ru": "машина", "en": "car"}),
    ("pine-tree", {"az": "ağac", "ru": "дерево", "en": "tree"}),
    ("white-balance-sunny", {"az": "günəş", "ru": "солнце", "en": "sun"}),
    ("rabbit", {"az": "dovşan", "ru": "заяц", "en": "rabbit"}),
    ("flower-tulip", {"az": "lalə", "ru": "тюльпан", "en": "tulip"}),
)

# One colour per weekday (Monday first): dark enough that white text and a white
# pictogram on it keep at least 4.5:1 (tests/test_helpdesk_marks.py measures it).
DAY_COLOURS: tuple[tuple[str, dict[str, str]], ...] = (
    ("#1f5fbf", {"az": "göy", "ru": "синий", "en": "blue"}),
    ("#1e7b34", {"az": "yaşıl", "ru": "зелёный", "en": "green"}),
    ("#7b3fa0", {"az": "bənövşəyi", "ru": "фиолетовый", "en": "purple"}),
    ("#b3261e", {"az": "qırmızı", "ru": "красный", "en": "red"}),
    ("#8a5300", {"az": "qəhvəyi", "ru": "коричневый", "en": "brown"}),
    ("#00707a", {"az": "firuzəyi", "ru": "бирюзовый", "en": "teal"}),
    ("#4f5b66", {"az": "boz", "ru": "серый", "en": "grey"}),
)

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "az": ("bazar ertəsi", "çərşənbə axşamı", "çərşənbə", "cümə axşamı", "cümə", "şənbə", "bazar"),
    "ru": ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

_TICKET = re.compile(r"^\s*([A-Za-z]*)[\s-]*(\d+)\s*$")


@dataclass(frozen=True)
class TicketMark:
    pictogram: str  # icon name in the bundled icon font
    pictogram_name: dict[str, str]  # by language
    colour: str  # "#rrggbb", the ticket day's
    colour_name: dict[str, str]
    day: date | None  # the ticket day; None when not known

    def weekday(self, lang: str) -> str:
        return WEEKDAYS.get(lang, WEEKDAYS["en"])[self.day.weekday()] if self.day else ""


def pictogram_index(ticket: str) -> int:
    """Which of PICTOGRAMS a ticket carries: consecutive numbers of one terminal
    get consecutive pictures; letters shift the cycle so A-014 and B-014 differ."""
    match = _TICKET.match(ticket)
    if match is None:
        return sum(ticket.encode("utf-8")) % len(PICTOGRAMS)
    letters, digits = match.groups()
    shift = sum(5 * (ord(c.upper()) - ord("A")) for c in letters)
    return (int(digits) - 1 + shift) % len(PICTOGRAMS)


def ticket_mark(ticket: str, day: date | None) -> TicketMark:
    icon, icon_names = PICTOGRAMS[pictogram_index(ticket)]
    colour, colour_names = DAY_COLOURS[day.weekday()] if day else ("#333b44", {})
    return TicketMark(icon, icon_names, colour, colour_names, day)
