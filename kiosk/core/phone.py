"""Azerbaijani phone numbers as a resident types them on the keypad: is it one,
and how to show and read it back in groups.

A number is 0 and 9 digits (050 123 45 67) or +994 and the same 9 digits
(+994 50 123 45 67), and the two digits after the 0 are a known mobile operator
or landline area code. Anything else is refused with a reason the keypad shows
and says; nothing is sent. Pure string work: no Kivy, no network.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

COUNTRY = "+994"
NATIONAL_DIGITS = 9  # after the 0 or after +994
# Mobile operators: Azercell 10, 50, 51; Bakcell 55, 99; Nar 70, 77; Naxtel 60.
MOBILE_PREFIXES = frozenset({"10", "50", "51", "55", "60", "70", "77", "99"})
# Landline areas: Baku 12, Sumqayıt 18, the regions 20-26, Naxçıvan 36.
LANDLINE_PREFIXES = frozenset({"12", "18", "20", "21", "22", "23", "24", "25", "26", "36"})
PREFIXES = MOBILE_PREFIXES | LANDLINE_PREFIXES


class PhoneProblem(StrEnum):
    """Why a typed number is refused; each has a keypad string `keypad.<value>`."""

    SHORT = "short"  # too few digits (or none)
    LONG = "long"  # too many digits
    UNKNOWN = "unknown"  # does not start 0 or +994, or no such operator or area code


@dataclass(frozen=True)
class PhoneCheck:
    typed: str
    problem: PhoneProblem | None
    national: str = ""  # the 9 digits after 0 / +994 when the number is good

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def dial(self) -> str:
        """0501234567, however it was typed: what a volunteer at the site dials."""
        return "0" + self.national if self.ok else ""


def check_phone(typed: str) -> PhoneCheck:
    """Accept 0 + 9 digits or +994 + 9 digits with a known prefix; else say why not."""
    if typed.startswith("+"):
        body = typed[1:]
        if not body.isdigit() or not ("994".startswith(body) or body.startswith("994")):
            return PhoneCheck(typed, PhoneProblem.UNKNOWN)
        national = body[3:]
    elif typed.startswith("0"):
        national = typed[1:]
    elif not typed:
        return PhoneCheck(typed, PhoneProblem.SHORT)
    else:
        return PhoneCheck(typed, PhoneProblem.UNKNOWN)
    if not national.isdigit() and national:
        return PhoneCheck(typed, PhoneProblem.UNKNOWN)
    if len(national) >= 2 and national[:2] not in PREFIXES:
        return PhoneCheck(typed, PhoneProblem.UNKNOWN)
    if len(national) < NATIONAL_DIGITS:
        return PhoneCheck(typed, PhoneProblem.SHORT)
    if len(national) > NATIONAL_DIGITS:
        return PhoneCheck(typed, PhoneProblem.LONG)
    return PhoneCheck(typed, None, national)


def grouped(typed: str) -> str:
    """As typed, in the groups people say numbers in: 050 123 45 67, +994 50 123 45 67."""
    if typed.startswith("+"):
        head, rest = typed[:4], typed[4:]
        parts = [head] + ([rest[:2]] if rest else [])
        rest = rest[2:]
    else:
        parts = [typed[:3]] if typed else []
        rest = typed[3:]
    if rest:
        parts.append(rest[:3])
        parts += [rest[i : i + 2] for i in range(3, len(rest), 2)]
    return " ".join(parts)
