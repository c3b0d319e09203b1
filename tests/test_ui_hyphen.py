"""Where large letters cut a word wider than a line (kiosk.ui.hyphen): Russian at
its dictionary's points, Azerbaijani by its syllable rule, a web address only
after a dot or slash, and every cut said whole."""

from __future__ import annotations

import pytest

from kiosk.ui.hyphen import BREAK, HYPHEN, broken, points, unbroken


def upto(letters: int):
    """A line `letters` characters wide (a hyphen counts as one)."""
    return lambda part: len(part.replace("\u200b", "")) <= letters


def test_russian_is_cut_at_its_dictionary_points_only():
    word = "Незарегистрированное"
    # The LibreOffice dictionary: Не-за-ре-ги-стри-ро-ван-ное.
    assert [i for i, _ in points(word, "ru")] == [2, 4, 6, 8, 12, 14, 17]
    cut = broken(f"{word} право", "ru", upto(13))
    assert cut == f"Незарегистри{HYPHEN}рованное право"  # never "Незарегистр-"
    assert unbroken(cut) == f"{word} право"


def test_azerbaijani_breaks_before_a_consonant_that_precedes_a_vowel():
    assert [i for i, _ in points("nümayəndəsindən", "az")] == [
        2,
        4,
        7,
        9,
        12,
    ]  # nü-ma-yən-də-sin-dən
    assert [i for i, _ in points("İcra", "az")] == [2]  # İc-ra
    assert points("alın:", "az") == []  # a-lın would leave one letter
    cut = broken("İcra nümayəndəsindən kağız", "az", upto(10))
    assert cut == f"İcra nümayəndə{HYPHEN}sindən kağız"  # the longest part that fits
    assert unbroken(cut) == "İcra nümayəndəsindən kağız"


def test_a_word_with_its_own_hyphen_may_break_after_it_with_nothing_added():
    cut = broken("ASAN-xidmətində", "az", upto(6))
    assert cut == f"ASAN-{BREAK}xidmə{HYPHEN}tində"
    assert unbroken(cut) == "ASAN-xidmətində"


@pytest.mark.parametrize("lang", ["az", "ru", "en"])
def test_a_web_address_is_never_hyphenated_only_broken_after_a_dot_or_slash(lang):
    text = "mektebeqebul.edu.az saytında e-gov.az/services/long"
    cut = broken(text, lang, upto(14))
    assert "\u2010" not in cut
    assert cut == f"mektebeqebul.{BREAK}edu.az saytında e-gov.az/{BREAK}services/long"
    assert unbroken(cut) == text
    assert broken("mektebeqebul.edu.az", lang, upto(8)) == "mektebeqebul.edu.az"  # whole


def test_what_fits_is_left_as_it_is():
    text = "Зарегистрируйте рождение ребёнка"
    assert broken(text, "ru", upto(40)) == text
