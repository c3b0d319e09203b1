"""Tickets are said as words and carry a pictogram and a day colour (issue 27)."""

from datetime import date, timedelta

import pytest

from kiosk.core.helpdesk.marks import DAY_COLOURS, PICTOGRAMS, pictogram_index, ticket_mark
from kiosk.core.narration.numbers import call_words, cardinal, desk_words, ticket_words


@pytest.mark.parametrize(
    ("n", "az", "ru", "en"),
    [
        (0, "sıfır", "ноль", "zero"),
        (7, "yeddi", "семь", "seven"),
        (14, "on dörd", "четырнадцать", "fourteen"),
        (40, "qırx", "сорок", "forty"),
        (100, "yüz", "сто", "one hundred"),
        (214, "iki yüz on dörd", "двести четырнадцать", "two hundred fourteen"),
        (1000, "min", "одна тысяча", "one thousand"),
        (2021, "iki min iyirmi bir", "две тысячи двадцать один", "two thousand twenty-one"),
    ],
)
def test_numbers_are_said_as_words(n, az, ru, en):
    assert (cardinal(n, "az"), cardinal(n, "ru"), cardinal(n, "en")) == (az, ru, en)


def test_a_ticket_is_its_letter_and_its_number_in_words():
    assert ticket_words("A-014", "az") == "A on dörd"
    assert ticket_words("A-014", "ru") == "а четырнадцать"
    assert ticket_words("B-1000", "en") == "B one thousand"
    assert ticket_words("not a ticket", "az") == "not a ticket"  # said as it is, not lost


@pytest.mark.parametrize(
    ("desk", "az", "ru"),
    [
        (1, "birinci masa", "первый стол"),
        (2, "ikinci masa", "второй стол"),
        (3, "üçüncü masa", "третий стол"),
        (4, "dördüncü masa", "четвёртый стол"),
        (6, "altıncı masa", "шестой стол"),
        (9, "doqquzuncu masa", "девятый стол"),
        (10, "onuncu masa", "десятый стол"),
        (21, "iyirmi birinci masa", "двадцать первый стол"),
        (40, "qırxıncı masa", "сороковой стол"),
        (120, "yüz iyirminci masa", "стол номер сто двадцать"),
    ],
)
def test_desks_are_ordinals_with_vowel_harmony(desk, az, ru):
    assert desk_words(desk, "az") == az
    assert desk_words(desk, "ru") == ru


def test_the_whole_call():
    assert call_words("A-014", 2, "az") == "A on dörd, ikinci masa"
    assert call_words("A-014", 2, "ru") == "а четырнадцать, второй стол"
    assert call_words("A-014", None, "en") == "A fourteen"
    # With the volunteer's display name, in the nominative (no case ending to get wrong).
    assert call_words("A-014", 2, "az", "Aysel") == "A on dörd, ikinci masa, sizi Aysel gözləyir"
    assert call_words("A-014", 2, "ru", "Айсель") == "а четырнадцать, второй стол, вас ждёт Айсель"
    assert call_words("A-014", None, "en", "Aysel") == "A fourteen, please go to Aysel"


def test_twelve_tickets_in_a_row_carry_twelve_pictures():
    for letter in "ABC":
        for start in (1, 7, 95):
            seen = {pictogram_index(f"{letter}-{n:03d}") for n in range(start, start + 12)}
            assert len(seen) == len(PICTOGRAMS)
    assert pictogram_index("A-014") != pictogram_index("B-014")


def test_the_colour_is_the_days_and_yesterday_differs():
    today = date(2026, 12, 7)
    a, b = ticket_mark("A-014", today), ticket_mark("A-014", today - timedelta(days=1))
    assert a.pictogram == b.pictogram
    assert a.colour != b.colour
    assert a.weekday("az") == "bazar ertəsi" and b.weekday("ru") == "воскресенье"
    assert ticket_mark("A-014", None).day is None


def _luminance(hex_colour):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("colour", [c for c, _ in DAY_COLOURS])
def test_white_on_every_day_colour_is_readable(colour):
    assert 1.05 / (_luminance(colour) + 0.05) >= 4.5


def test_every_picture_and_colour_is_named_in_every_language():
    for _, names in PICTOGRAMS + DAY_COLOURS:
        assert set(names) == {"az", "ru", "en"} and all(names.values())


def test_every_pictogram_is_in_the_bundled_icon_font():
    import json

    from kiosk.paths import ICON_CODEPOINTS

    codepoints = json.loads(ICON_CODEPOINTS.read_text())
    assert all(icon in codepoints for icon, _ in PICTOGRAMS)
