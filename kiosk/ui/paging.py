"""Words in pages, for a 7-inch panel in large letters: as many sentences as fit a
page; a sentence too tall for a page alone is cut at its commas, a clause still too
tall between words. The voice says all of them when the screen opens, and each
page's when "more" turns to it."""

from __future__ import annotations

import re
from collections.abc import Callable

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")
CLAUSE_END = re.compile(r"(?<=[,;:])\s+")


def pieces(text: str, fits: Callable[[str], bool]) -> list[str]:
    """The text cut where a page may end: between sentences (and lines); within a
    sentence that does not `fit` a page alone, after its commas; within a clause
    that still does not, between words (a word too long for a page stays whole)."""
    found: list[str] = []
    for sentence in SENTENCE_END.split(text.strip()):
        if not sentence.strip():
            continue
        if fits(sentence):
            found.append(sentence)
            continue
        for clause in CLAUSE_END.split(sentence):
            if fits(clause):
                found.append(clause)
                continue
            line = ""
            for word in clause.split():
                joined = f"{line} {word}" if line else word
                if line and not fits(joined):
                    found.append(line)
                    line = word
                else:
                    line = joined
            if line:
                found.append(line)
    return found


def pages(text: str, fits: Callable[[str], bool]) -> list[str]:
    """The text in pages that each `fit` (where it can: see `pieces`), in order."""
    result: list[str] = []
    for piece in pieces(text, fits):
        joined = f"{result[-1]} {piece}" if result else piece
        if result and fits(joined):
            result[-1] = joined
        else:
            result.append(piece)
    return result or [""]
