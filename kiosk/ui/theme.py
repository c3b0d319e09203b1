"""Sizes, colours and fonts of the screens, in physical units.

Touch targets are sized in millimetres from the configured screen density
(display.dpi), so a button is at least display.min_button_mm wide and tall on the
real panel (UX.md: 20 mm). Text sizes follow EN 301 549: a capital letter at
least about 7.5 mm tall for body text read from 600 mm.

The theme also knows the screen's shape (from the real window size): a
*portrait* screen (a totem) stacks what a landscape one puts side by side, and a
*compact* one (a 7-inch touchscreen, read from closer) uses the smallest
targets and text the UX numbers allow (MIN_CAP_MM, display.min_button_mm) and
shows fewer items at a time.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass

from kivy.core.text import LabelBase

from kiosk.core.settings import Settings
from kiosk.paths import FONT_BOLD, FONT_REGULAR, ICON_CODEPOINTS, ICON_FONT

NOTO_CAP_HEIGHT = 0.714  # of the font size
MIN_CAP_MM = 4.8  # UX.md: characters at least 4.8 mm (ADA 707.7); no text is smaller
COMPACT_MM = 130  # a screen whose short side is smaller than this is compact (7-inch panels)

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


def text_width(text: str, font_size: float, bold: bool = True) -> float:
    """Width in pixels of one line of text in the Noto font."""
    from kivy.core.text import Label as CoreLabel

    return CoreLabel(font_name="Noto", bold=bold, font_size=font_size).get_extents(text)[0]


def text_height(text: str, font_size: float, width: float, bold: bool = False) -> float:
    """Height in pixels of text wrapped by words to `width` in the Noto font: laid
    out only, not drawn (no texture is made), so a screen can choose how much of a
    list fits before it shows any of it."""
    from kivy.core.text import Label as CoreLabel

    label = CoreLabel(
        text=text, font_name="Noto", bold=bold, font_size=font_size, text_size=(width, None)
    )
    return label.render()[1]


@functools.lru_cache(maxsize=64)
def line_height(font_size: float, bold: bool = True) -> float:
    """Height in pixels of one line of text in the Noto font (what a label's texture takes)."""
    from kivy.core.text import Label as CoreLabel

    return CoreLabel(text="Ág", font_name="Noto", bold=bold, font_size=font_size).render()[1]


# The tallest letters a tile's words may have, as a share of its height: under
# the picture they share the height with it; beside it (a totem's rows, a wide
# panel's tiles) they have the whole height, so a long tile's words grow with it.
TILE_TEXT_UNDER, TILE_TEXT_BESIDE = 0.15, 0.25


@functools.lru_cache(maxsize=1024)
def _tile_text(theme: Theme, height: int, text: str, width: int, room: int, beside: bool) -> int:
    share = TILE_TEXT_BESIDE if beside else TILE_TEXT_UNDER
    for cap in (15.0, 11.0, 8.5):
        size = theme.font_for_cap(cap)
        if size > share * height:
            continue
        if text and width > 0:
            longest = max((text_width(w, size) for w in text.split()), default=0)
            if longest > width or text_height(text, size, width, bold=True) > room:
                continue
        return max(size, theme.label)
    return theme.label


@dataclass(frozen=True)
class Theme:
    dpi: int
    min_button_mm: float
    width: int = 1280  # the window as residents see it (after display.rotation), pixels
    height: int = 800
    large: bool = False  # large letters and high contrast (guided mode, a key, the toggle)
    large_scale: float = 1.5  # access.large_scale: every text this many times its size

    @property
    def contrast(self) -> bool:
        return self.large

    @property
    def scale(self) -> float:
        return self.large_scale if self.large else 1.0

    def mm(self, millimetres: float) -> float:
        return millimetres / 25.4 * self.dpi

    def font_for_cap(self, cap_mm: float) -> int:
        # Whole pixels, and only a handful of sizes: Kivy keeps 64 open fonts
        # (one per size); sizes that follow a widget's height would reopen the
        # font file on nearly every screen change. Never below the UX minimum.
        return max(round(self.mm(cap_mm) * self.scale / NOTO_CAP_HEIGHT), self.min_text)

    @property
    def min_text(self) -> int:
        """The smallest font size any text may have (capital letters MIN_CAP_MM tall)."""
        return math.ceil(self.mm(MIN_CAP_MM) * self.scale / NOTO_CAP_HEIGHT)

    # Shape
    @property
    def portrait(self) -> bool:
        return self.height > self.width

    @property
    def small_panel(self) -> bool:
        """A 7-inch panel, read from closer: its usual text is the smallest the UX allows."""
        return min(self.width, self.height) / self.dpi * 25.4 < COMPACT_MM

    @property
    def compact(self) -> bool:
        """Laid out as a 7-inch panel is: few items a page, the title in a row of its
        own, pictograms in the bars. Large letters (1.5 times the text) take a large
        panel's room as a 7-inch panel's usual letters take its room."""
        return self.small_panel or self.scale > 1

    @property
    def tight(self) -> bool:
        """A 7-inch panel in large letters: its usual text is already the least the UX
        allows, so text 1.5 times it takes other arrangements there (fewer parts at a
        time, a part of its own page, keys in more columns; one choice or tile a row,
        "More" in the bottom bar as a picture, the title in two lines of its own row)."""
        return self.small_panel and self.scale > 1

    @property
    def rails(self) -> bool:
        """The bars stand at the sides (a compact landscape screen has no height to spare)."""
        return self.compact and not self.portrait

    @property
    def narrow(self) -> bool:
        """A compact portrait screen (a 7-inch panel on its side): one column of everything."""
        return self.compact and self.portrait

    @property
    def icon_bars(self) -> bool:
        """A compact screen's bars: pictograms without words, and the title in a
        row of its own heading the screen (at the sides, or above it in portrait)."""
        return self.compact

    @property
    def shape(self) -> str:
        """ "landscape", "portrait", "compact" or "compact portrait" (for logs and tests)."""
        if self.compact:
            return "compact portrait" if self.portrait else "compact"
        return "portrait" if self.portrait else "landscape"

    # Touch targets
    @property
    def button(self) -> float:
        if self.compact:
            return self.mm(self.min_button_mm)
        return max(self.mm(self.min_button_mm), self.mm(22))

    def words_width(self, text: str) -> float:
        """Width of a picture button with its words beside the picture, on one line."""
        margins = self.mm(4 if self.compact else 6)
        return self.button + margins + (text_width(text, self.label) if text else 0)

    def bar_button_width(self, text: str, design: float) -> float:
        """A bar button wide enough for its pictogram and words. Where there is room
        (a large landscape screen) it keeps its designed width, `design` buttons."""
        if self.rails or (self.tight and not text):
            return self.button  # (four pictures across a 7-inch portrait panel: "More" is one)
        needed = self.words_width(text)
        if self.portrait or self.compact:
            return needed
        return max(needed, design * self.button)

    @property
    def bar(self) -> float:
        """Height of the top and bottom bars: a full button plus a margin."""
        return self.button + self.mm(2 if self.compact else 4)

    @property
    def title_row(self) -> float:
        """Height of the title's row above a compact screen: two lines of the title's
        letters on a narrow one, else one (never less than 10 mm)."""
        if self.tight and not self.narrow:
            return max(2 * line_height(self.small), line_height(self.title))
        lines = 2 if self.narrow else 1
        return max(self.mm(19 if self.narrow else 10), lines * line_height(self.title))

    @property
    def gap(self) -> float:
        return self.mm(2 if self.compact else 4)

    @property
    def pad(self) -> float:
        """Space around a screen's content (and between its big parts)."""
        return self.mm(2 if self.compact else 6)

    # Text: on a compact screen (read from closer) sizes go down to the minimum.
    @property
    def body(self) -> int:
        return self.font_for_cap(5.0 if self.small_panel else 7.5)

    @property
    def title(self) -> int:
        return self.font_for_cap(5.5 if self.small_panel else 8.5)

    @property
    def label(self) -> int:
        return self.font_for_cap(MIN_CAP_MM if self.small_panel else 6.0)

    @property
    def small(self) -> int:
        return self.min_text

    @property
    def huge(self) -> int:
        return self.font_for_cap(15 if self.small_panel else 30)

    # Pictograms, at fixed sizes for the same reason.
    @property
    def icon_small(self) -> int:
        return round(self.mm(10 if self.compact else 12))

    @property
    def icon_medium(self) -> int:
        return round(self.mm(14 if self.compact else 28))

    @property
    def icon_large(self) -> int:
        return round(self.mm(18 if self.small_panel else 36))

    @property
    def icon_huge(self) -> int:
        return round(self.mm(30 if self.small_panel else 60))

    # A large tile (a totem's rows, a wide panel's grid): the picture and the words
    # grow with it, from a few fixed sizes (fonts are opened once per size).
    def tile_icon(self, width: float, height: float) -> int:
        """The pictogram for a tile this size: the largest step at most half its shorter side."""
        side = min(width, height)
        for mm in (75, 60, 45, 36, 28, 22):
            size = round(self.mm(mm))
            if size <= 0.5 * side:
                return max(size, self.icon_medium)
        return self.icon_medium

    def tile_text(
        self,
        height: float,
        text: str = "",
        width: float = 0,
        room: float = 0,
        beside: bool = False,
    ) -> int:
        """The words for a tile this tall: the largest step at most 15 % of its height
        (25 % with the words `beside` the picture) at which `text` still fits its
        words' box (`width` x `room`), each word whole."""
        return _tile_text(self, round(height), text, round(width), round(room), beside)

    # Colours: every text/background pair is at least 7:1 (WCAG 1.4.6); in large
    # mode light on black, every pair far above it (tests/test_ui_contrast.py).
    @property
    def colours(self) -> dict[str, tuple[float, float, float, float]]:
        return CONTRAST if self.contrast else COLOURS

    @property
    def background(self) -> tuple[float, float, float, float]:
        return self.colours["background"]

    @property
    def text(self) -> tuple[float, float, float, float]:
        return self.colours["text"]

    @property
    def bar_bg(self) -> tuple[float, float, float, float]:
        return self.colours["bar_bg"]

    @property
    def button_bg(self) -> tuple[float, float, float, float]:
        return self.colours["button_bg"]

    @property
    def button_text(self) -> tuple[float, float, float, float]:
        return self.colours["button_text"]

    @property
    def primary_bg(self) -> tuple[float, float, float, float]:
        return self.colours["primary_bg"]

    @property
    def primary_text(self) -> tuple[float, float, float, float]:
        return self.colours["primary_text"]

    @property
    def help_bg(self) -> tuple[float, float, float, float]:
        return self.colours["help_bg"]

    @property
    def highlight(self) -> tuple[float, float, float, float]:
        return self.colours["highlight"]

    @property
    def highlight_text(self) -> tuple[float, float, float, float]:
        return self.colours["highlight_text"]

    @property
    def muted(self) -> tuple[float, float, float, float]:
        return self.colours["muted"]


COLOURS = {
    "background": hex_rgba("#FFFFFF"),
    "text": hex_rgba("#111111"),
    "bar_bg": hex_rgba("#E8EEF5"),
    "button_bg": hex_rgba("#0B3D7A"),
    "button_text": hex_rgba("#FFFFFF"),
    "primary_bg": hex_rgba("#0A5A24"),
    "primary_text": hex_rgba("#FFFFFF"),
    "help_bg": hex_rgba("#8A2A00"),
    "highlight": hex_rgba("#FFB300"),
    "highlight_text": hex_rgba("#111111"),
    "muted": hex_rgba("#3A3A3A"),
}
# Large letters and high contrast: black ground, white words, buttons in
# yellow, white and light orange with black words.
CONTRAST = {
    "background": hex_rgba("#000000"),
    "text": hex_rgba("#FFFFFF"),
    "bar_bg": hex_rgba("#1A1A1A"),
    "button_bg": hex_rgba("#FFE100"),
    "button_text": hex_rgba("#000000"),
    "primary_bg": hex_rgba("#FFFFFF"),
    "primary_text": hex_rgba("#000000"),
    "help_bg": hex_rgba("#FFA07A"),
    "highlight": hex_rgba("#00E5FF"),
    "highlight_text": hex_rgba("#000000"),
    "muted": hex_rgba("#E6E6E6"),
}


def make_theme(
    settings: Settings, size: tuple[int, int] | None = None, large: bool = False
) -> Theme:
    """The theme for the settings' density and the window's size (the settings'
    display.width/height when no window size is given); `large`: large letters and
    high contrast."""
    width, height = size or (settings["display.width"], settings["display.height"])
    return Theme(
        dpi=settings["display.dpi"],
        min_button_mm=settings["display.min_button_mm"],
        width=int(width),
        height=int(height),
        large=large,
        large_scale=settings["access.large_scale"],
    )
