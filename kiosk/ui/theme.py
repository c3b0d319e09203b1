"""Sizes, colours and fonts of the screens, in physical units.

Touch targets are sized in millimetres from the configured screen density
(display.dpi), so a button is at least display.min_button_mm wide and tall on the
real panel (UX.md: 20 mm). Text sizes follow EN 301 549: a capital letter at
least about 7.5 mm tall for body text read from 600 mm.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kivy.core.text import LabelBase

from kiosk.core.settings import Settings
from kiosk.paths import FONT_BOLD, FONT_REGULAR, ICON_CODEPOINTS, ICON_FONT

NOTO_CAP_HEIGHT = 0.714  # of the font size

_icons: dict[str, int] | None = None


def icon_glyph(name: str) -> str:
    """The Material Design Icons glyph for a pictogram name ("" if unknown)."""
    global _icons
    if _icons is None:
        _icons = json.loads(ICON_CODEPOINTS.read_text())
    code = _icons.get(name)
    return chr(code) if code else ""


def register_fonts() -> None:
    LabelBase.register("Noto", fn_regular=str(FONT_REGULAR), fn_bold=str(FONT_BOLD))
    LabelBase.register("Icons", fn_regular=str(ICON_FONT))


def hex_rgba(h: str) -> tuple[float, float, float, float]:
    h = h.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)) + (1.0,)  # type: ignore[return-value]


@dataclass(frozen=True)
class Theme:
    dpi: int
    min_button_mm: float

    def mm(self, millimetres: float) -> float:
        return millimetres / 25.4 * self.dpi

    def font_for_cap(self, cap_mm: float) -> int:
        # Whole pixels, and only a handful of sizes: Kivy keeps 64 open fonts
        # (one per size); sizes that follow a widget's height would reopen the
        # font file on nearly every screen change.
        return round(self.mm(cap_mm) / NOTO_CAP_HEIGHT)

    # Touch targets
    @property
    def button(self) -> float:
        return max(self.mm(self.min_button_mm), self.mm(22))

    @property
    def bar(self) -> float:
        """Height of the top and bottom bars: a full button plus a margin."""
        return self.button + self.mm(4)

    @property
    def gap(self) -> float:
        return self.mm(4)

    # Text
    @property
    def body(self) -> int:
        return self.font_for_cap(7.5)

    @property
    def title(self) -> int:
        return self.font_for_cap(8.5)

    @property
    def label(self) -> int:
        return self.font_for_cap(6.0)

    @property
    def small(self) -> int:
        return self.font_for_cap(4.8)

    @property
    def huge(self) -> int:
        return self.font_for_cap(30)

    # Pictograms, at fixed sizes for the same reason.
    @property
    def icon_small(self) -> int:
        return round(self.mm(12))

    @property
    def icon_medium(self) -> int:
        return round(self.mm(28))

    @property
    def icon_large(self) -> int:
        return round(self.mm(36))

    @property
    def icon_huge(self) -> int:
        return round(self.mm(60))

    # Colours: every text/background pair is at least 7:1 (WCAG 1.4.6).
    background = hex_rgba("#FFFFFF")
    text = hex_rgba("#111111")
    bar_bg = hex_rgba("#E8EEF5")
    button_bg = hex_rgba("#0B3D7A")
    button_text = hex_rgba("#FFFFFF")
    primary_bg = hex_rgba("#0A5A24")
    primary_text = hex_rgba("#FFFFFF")
    help_bg = hex_rgba("#8A2A00")
    highlight = hex_rgba("#FFB300")
    muted = hex_rgba("#3A3A3A")


def make_theme(settings: Settings) -> Theme:
    return Theme(dpi=settings["display.dpi"], min_button_mm=settings["display.min_button_mm"])
