"""Warnings about texts the synthetic voice would read wrongly.

espeak-ng spells some all-capital Latin words letter by letter ("SIM" becomes
"se-ı-em"), the Russian voice hands any Latin word to the English voice, and a
web address read aloud helps nobody. `kiosk content validate` prints these as
warnings: the bundle still loads, but a `say` text should be rewritten for the ear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kiosk.core.content.loader import PLACE_RE, Problem, service_texts
from kiosk.core.content.model import Bundle, Text
from kiosk.core.content.wording import said

# All-capital words espeak-ng reads as words, per voice (checked with `espeak-ng -x`).
# (English reads an acronym letter by letter as English speakers do, so English
# lines are not checked for this.)
READ_AS_WORDS = {"az": frozenset({"ASAN", "DOST", "SİMA", "PİN", "TSEK"})}
CAPS_RE = re.compile(r"\b[A-ZİƏÖÜĞŞÇ]{2,}\b")
LATIN_RE = re.compile(r"[A-Za-zƏəİıÖöÜüĞğŞşÇç]{2,}")
FIELD_RE = re.compile(r"\{[a-z_]+\}")
WEB_RE = re.compile(r"https?://|www\.|\b[\w-]+\.(?:gov\.az|az|com|org|net)\b")


def say_problems(text: str, lang: str) -> list[str]:
    """What the voice would get wrong in `text`, read in language `lang`."""
    found: list[str] = []
    text = PLACE_RE.sub("", text)  # filled in from the site, whose places are checked too
    text = FIELD_RE.sub("", text)  # {phone}, {n}: filled in when said, not read as written
    if WEB_RE.search(text):
        found.append(said("say_web"))
    if lang == "ru":
        latin = sorted(set(LATIN_RE.findall(text)))
        if latin:
            found.append(said("say_latin", words=", ".join(latin)))
        return found
    if lang not in READ_AS_WORDS:
        return found
    known = READ_AS_WORDS[lang]
    spelled = sorted({w for w in CAPS_RE.findall(text) if w not in known})
    if spelled:
        found.append(said("say_spelled", words=", ".join(spelled)))
    return found


def _spoken(bundle: Bundle) -> Iterator[tuple[str, str, Text]]:
    """(file, item, text) for every service text the voice reads."""
    for svc in bundle.services.values():
        own_say = {w for w, _ in service_texts(svc) if w.endswith(" say")}
        for where, text in service_texts(svc):
            if where == "summary" or where.endswith(" text") or f"{where} say" in own_say:
                continue  # the screen's words; the voice reads `say`
            yield svc.file, f"service {svc.id!r} {where}", text
    for site in bundle.sites.values():  # places are read out inside step texts
        for key, place in site.places.items():
            yield f"sites/{site.id}.toml", f"site {site.id!r} place {key!r}", place


def speech_warnings(bundle: Bundle) -> list[Problem]:
    """One warning per spoken text and language the synthetic voice would misread.
    A text with its own recording is not synthesised and is not checked."""
    out: list[Problem] = []
    for file, item, text in _spoken(bundle):
        for lang, value in text.values.items():
            if lang in text.audio:
                continue
            for message in say_problems(value, lang):
                out.append(Problem(file, item, lang, message))
    return out
