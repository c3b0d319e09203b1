"""Text from outside (a terminal, a browser, another hub) made safe to store and
show: no control characters, no bidi overrides or other invisible format
characters that could reorder what is shown next to it, phone numbers only as
ASCII digits, and the shapes of terminal, hub and site names.

Pure functions over str; nothing here knows about HTTP or the database.
"""

from __future__ import annotations

import re
import unicodedata

# Cc: control characters; Cf: format characters, among them every bidi control
# (U+202A-U+202E, U+2066-U+2069, U+200E/F, U+061C) and zero-width ones.
INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_PHONE_SEPARATORS = re.compile(r"[ \-().]")
PHONE = re.compile(r"^\+?[0-9]{0,20}$")
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"  # terminals and hubs (`kiosk hub`)
SITE_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"


def clean_text(text: str) -> str:
    """NFC text with whitespace runs made one space and invisible or control
    characters (bidi overrides included) removed; stripped at both ends."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) not in INVISIBLE:
            out.append(ch)
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def ascii_phone(text: str) -> str:
    """A phone number as '+' and ASCII digits, separators (space - ( ) .) removed.

    Raises ValueError for anything else, including digits of other scripts
    (Arabic-Indic, fullwidth): the volunteer must be able to dial exactly what is shown.
    """
    phone = _PHONE_SEPARATORS.sub("", text.strip())
    if not PHONE.fullmatch(phone):
        raise ValueError("a phone number is '+' and up to 20 digits 0-9")
    return phone


DISPLAY_NAME_CHARS = 30  # a volunteer's name on the waiting-room display
_NAME_MARKS = frozenset(" -.'’ʼ")


def display_name(text: str) -> str:
    """A volunteer's name as the waiting room sees and hears it ("Aysel"), NFC with
    single spaces; "" clears it. Raises ValueError naming the problem: more than
    DISPLAY_NAME_CHARS characters, an invisible or control character (a bidi
    override would reorder the display's words), or anything but letters and
    the marks names are written with (space - . ' ’)."""
    if len(text) > 4 * DISPLAY_NAME_CHARS:  # before any work on a huge value
        raise ValueError(f"a display name is at most {DISPLAY_NAME_CHARS} characters")
    for ch in unicodedata.normalize("NFC", text):
        if unicodedata.category(ch) in INVISIBLE and not ch.isspace():
            raise ValueError(
                f"a display name may not hold invisible or control characters (U+{ord(ch):04X})"
            )
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    if len(name) > DISPLAY_NAME_CHARS:
        raise ValueError(f"a display name is at most {DISPLAY_NAME_CHARS} characters")
    for ch in name:
        if not (ch in _NAME_MARKS or unicodedata.category(ch)[0] in "LM"):
            raise ValueError("a display name is letters, spaces and - . ' only")
    if name and not any(unicodedata.category(ch)[0] == "L" for ch in name):
        raise ValueError("a display name is letters, spaces and - . ' only")
    return name
