"""A word wider than a line, as large letters on a 7-inch panel can make one: cut
where a reader expects it, and said whole.

- Russian and English: the hyphenation points of the LibreOffice dictionaries
  (pyphen).
- Azerbaijani: no such dictionary exists (neither pyphen nor LibreOffice has
  one), so a syllable rule written here: a word may break before a consonant that
  precedes a vowel (nü-ma-yən-də-sin-dən, İc-ra), never leaving fewer than 2
  letters on either side.
- A web address (mektebeqebul.edu.az, e-gov.az/services) is never hyphenated: it
  breaks only after a dot or a slash, with nothing added.
- A word with its own hyphen (ASAN-xidmətində) may also break after it, with
  nothing added.

A cut is the word's first part, a hyphen (U+2010, drawn as "-", so the content's
own "-" is never taken for one) and BREAK: a zero-width space (not a space to
Python's `re`, so a dot before it does not end a sentence) and a space, where
Kivy wraps. Each cut is the longest first part that fits a line, so the rest
never fits beside it: it begins the next line. `unbroken` gives the words back
as they are said.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

BREAK = "\u200b "  # a line may break here; nothing is drawn or said
HYPHEN = "\u2010" + BREAK  # a word cut by a hyphen
AZ_VOWELS = frozenset("aıoueəiöüAIOUEƏİÖÜ")
MIN_PART = 2  # letters a cut leaves on either side of it, at the least
PYPHEN_LANGS = {"ru": "ru_RU", "en": "en_US"}
ADDRESS = re.compile(r"://|\w[./]\w")  # a dot or slash inside a word: a web address


def unbroken(text: str) -> str:
    """The words as they are said: without the cuts `broken` made."""
    return text.replace(HYPHEN, "").replace(BREAK, "")


def is_address(word: str) -> bool:
    """A web address (or a path): a dot or slash between two letters or digits."""
    return bool(ADDRESS.search(word))


@functools.cache
def _dictionary(lang: str) -> object | None:
    import pyphen

    name = PYPHEN_LANGS.get(lang)
    return pyphen.Pyphen(lang=name, left=MIN_PART, right=MIN_PART) if name else None


def _az_points(word: str) -> list[int]:
    """Before a consonant that precedes a vowel, with 2 letters or more either side."""
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    out = []
    for n, i in enumerate(letters[:-1]):
        after = letters[n + 1]
        if after != i + 1:  # not inside a run of letters
            continue
        if word[i] in AZ_VOWELS or word[after] not in AZ_VOWELS:
            continue
        if n >= MIN_PART and len(letters) - n >= MIN_PART:
            out.append(i)
    return out


def points(word: str, lang: str) -> list[tuple[int, bool]]:
    """Where the word may be cut: (index, whether a hyphen is drawn there), in order."""
    if is_address(word):
        return [(i + 1, False) for i, c in enumerate(word[:-1]) if c in "./"]
    out: list[tuple[int, bool]] = []
    start = 0
    for part in word.split("-"):
        if start:
            out.append((start, False))  # after the word's own hyphen
        if lang == "az":
            found = _az_points(part)
        else:
            dictionary = _dictionary(lang)
            found = list(dictionary.positions(part)) if dictionary is not None else []  # type: ignore[attr-defined]
        out += [(start + int(p), True) for p in found]
        start += len(part) + 1
    return [(i, h) for i, h in out if 0 < i < len(word)]


def broken_word(word: str, lang: str, fits: Callable[[str], bool]) -> str:
    """The word cut into parts that each fit a line (`fits`), each part the longest
    that does; a word that fits, or has no point that helps, is left whole."""
    if fits(word):
        return word
    cuts = points(word, lang)
    out, start = [], 0
    while not fits(word[start:]):
        best = None
        for i, hyphen in cuts:
            if i <= start:
                continue
            if not fits(word[start:i] + ("\u2010" if hyphen else "")):
                break
            best = (i, hyphen)
        if best is None:
            break
        i, hyphen = best
        out.append(word[start:i] + (HYPHEN if hyphen else BREAK))
        start = i
    out.append(word[start:])
    return "".join(out)


def broken(text: str, lang: str, fits: Callable[[str], bool]) -> str:
    """The text with each word wider than a line (`fits`) cut as `broken_word` does."""
    return "".join(broken_word(w, lang, fits) for w in re.split(r"(\s+)", text))
