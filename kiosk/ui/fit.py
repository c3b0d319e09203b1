"""Does every screen fit its display? Checks the laid-out widget tree of the shown
screen for what a person would see.

- text: its rendered text (wrapped lines included) larger than its box, a word
  broken in the middle to fit, its box outside its area (the screen between the
  bars, a bar, the title's row) or the window, two texts drawn over each other,
  letters smaller than the UX minimum (theme.min_text), or a sentence set but
  not shown (folded to nothing);
- pictograms: the glyph drawn outside its own box or its button;
- widgets: two children of one layout whose boxes intersect (a layout whose
  content does not fit pushes them over each other), a widget outside the window;
- QR codes: drawn smaller than QR_MIN_MM at the panel's density (display.dpi);
- touch targets: a side shorter than display.min_button_mm.

Where a Label draws: Kivy centres a label's texture on the widget, so the text
(or glyph) covers the texture's size around the widget's centre, whatever the
widget's own box. Used by the layout tests over every screen in every language
and form factor, and by `kiosk preview`, which prints every problem and the QR
codes' sizes.
"""

from __future__ import annotations

from typing import Any

from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.screenmanager import ScreenManager

from kiosk.ui.widgets import PictoButton

TOLERANCE = 2  # pixels
QR_MIN_MM = 25.0  # a code a phone camera reads from arm's length (UX.md)

Rect = tuple[float, float, float, float]


def _rect(widget: Any) -> Rect:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


def _ink(widget: Any) -> Rect:
    """Where a label's texture is drawn: its size, centred on the widget."""
    x0, y0, x1, y1 = _rect(widget)
    tw, th = widget.texture_size
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - tw / 2, cy - th / 2, cx + tw / 2, cy + th / 2


def _inside(inner: tuple[float, ...], outer: tuple[float, ...], slack: float = TOLERANCE) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _visible(widget: Any) -> bool:
    w = widget
    while w is not None and w is not w.parent:
        if w.opacity == 0 or getattr(w, "hidden", False):
            return False
        w = w.parent
    return True


def _broken_word(w: Label) -> str | None:
    """A word wider than the label's wrapping width (Kivy then splits it mid-word)."""
    width = w.text_size[0]
    if not width:
        return None
    for word in w.text.split():
        if w._label.get_extents(word)[0] > width + TOLERANCE:
            return word
    return None


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return (
        min(a[2], b[2]) - max(a[0], b[0]) > TOLERANCE
        and min(a[3], b[3]) - max(a[1], b[1]) > TOLERANCE
    )


def _name(w: Any) -> str:
    text = getattr(w, "text", "")
    if getattr(w, "font_name", "") == "Icons" or not isinstance(text, str):
        text = ""
    return (text.replace("\n", " ")[:60]) or getattr(w, "name", "") or type(w).__name__


def _button_of(w: Any) -> Any:
    parent = w.parent
    while parent is not None and parent is not parent.parent:
        if isinstance(parent, ButtonBehavior):
            return parent
        parent = parent.parent
    return None


def _shown_areas(areas: dict[str, Any]) -> dict[str, Any]:
    return {n: a for n, a in areas.items() if a.height > 0 and a.width > 0 and a.opacity != 0}


def _is_icon(w: Any) -> bool:
    return isinstance(w, Label) and w.font_name == "Icons"


def _words_not_meant_to_show(w: Label) -> bool:
    """A picture button that shows only its picture still holds its words (spoken)."""
    button = _button_of(w)
    return button is not None and getattr(button, "icon_only", False)


def text_problems(areas: dict[str, Any]) -> list[str]:
    """Problems of the texts in the given areas ({"screen": widget, "top bar": widget, ...})."""
    problems = []
    window = _window_rect(areas)
    for area_name, area in _shown_areas(areas).items():
        bounds = _rect(area)
        placed: list[tuple[Rect, str]] = []
        for w in area.walk(restrict=True):
            if not isinstance(w, Label) or _is_icon(w) or not w.text.strip():
                continue
            if not _visible(w):
                if w.opacity == 0 and not _words_not_meant_to_show(w) and _visible(w.parent):
                    problems.append(f"{area_name}: text is set but not shown: {_name(w)!r}")
                continue
            w.texture_update()
            tw, th = w.texture_size
            label = _name(w)
            rect = _rect(w)
            if w.height <= TOLERANCE or w.width <= TOLERANCE:
                problems.append(f"{area_name}: text is set but not shown: {label!r}")
                continue
            if tw > w.width + TOLERANCE or th > w.height + TOLERANCE:
                problems.append(
                    f"{area_name}: text does not fit its box ({tw:.0f}x{th:.0f} in {w.width:.0f}x{w.height:.0f}): {label!r}"
                )
            elif not _inside(rect, window):
                problems.append(f"{area_name}: text is cut by the screen's edge: {label!r}")
            elif not _inside(rect, bounds):
                problems.append(f"{area_name}: text sticks out of its area: {label!r}")
            if (word := _broken_word(w)) is not None:
                problems.append(f"{area_name}: the word {word!r} is split to fit: {label!r}")
            # The text itself, not its whole box, must not cover another text.
            ink = _clip(_ink(w), rect)
            for other, other_label in placed:
                if _overlap(ink, other):
                    problems.append(f"{area_name}: {label!r} overlaps {other_label!r}")
            placed.append((ink, label))
    return problems


def _clip(ink: Rect, box: Rect) -> Rect:
    """The ink inside the box (an overflowing text is reported as such; what overlaps
    is then counted from its box)."""
    return max(ink[0], box[0]), max(ink[1], box[1]), min(ink[2], box[2]), min(ink[3], box[3])


def _window_rect(areas: dict[str, Any]) -> Rect:
    from kivy.core.window import Window

    return 0.0, 0.0, float(Window.width), float(Window.height)


def picture_problems(areas: dict[str, Any]) -> list[str]:
    """Pictograms whose glyph is drawn outside their button (or over its words), or,
    outside a button, outside their own box; and any outside its area."""
    problems = []
    for area_name, area in _shown_areas(areas).items():
        bounds = _rect(area)
        for w in area.walk(restrict=True):
            if not _is_icon(w) or not w.text or not _visible(w):
                continue
            w.texture_update()
            ink = _ink(w)
            button = _button_of(w)
            what = f"{getattr(w, 'name', '') or 'pictogram'}"
            if button is not None:
                words = [
                    t
                    for t in button.walk(restrict=True)
                    if isinstance(t, Label) and not _is_icon(t) and t.text.strip() and _visible(t)
                ]
                if not _inside(ink, _rect(button)):
                    problems.append(
                        f"{area_name}: pictogram {what!r} is drawn outside its button {_name(button)!r}"
                    )
                elif any(_overlap(ink, _clip(_ink(t), _rect(t))) for t in words):
                    problems.append(
                        f"{area_name}: pictogram {what!r} is drawn over the words of {_name(button)!r}"
                    )
            elif not _inside(ink, _rect(w)):
                tw, th = w.texture_size
                problems.append(
                    f"{area_name}: pictogram {what!r} is drawn outside its box"
                    f" ({tw:.0f}x{th:.0f} in {w.width:.0f}x{w.height:.0f})"
                )
            if not _inside(ink, bounds):
                problems.append(f"{area_name}: pictogram {what!r} sticks out of its area")
    return problems


# A tile at least this many smallest touch targets on its shorter side is large: its
# picture must take at least PICTURE_SHARE of that side and its words' letters at
# least WORDS_SHARE of it (a resident who cannot read goes by the picture).
LARGE_TILE, PICTURE_SHARE, WORDS_SHARE = 2.5, 0.3, 0.1


def scale_problems(areas: dict[str, Any], theme: Any) -> list[str]:
    """Pictures and words left small in large buttons (a totem's tall rows)."""
    problems = []
    large = LARGE_TILE * theme.mm(theme.min_button_mm)
    for area_name, area in _shown_areas(areas).items():
        for b in area.walk(restrict=True):
            if not isinstance(b, PictoButton) or not _visible(b):
                continue
            side = min(b.width, b.height)
            if side < large:
                continue
            for w in b.walk(restrict=True):
                if not isinstance(w, Label) or not w.text.strip() or not _visible(w):
                    continue
                if _is_icon(w) and w.font_size < PICTURE_SHARE * side:
                    problems.append(
                        f"{area_name}: pictogram {getattr(w, 'name', '')!r} of {w.font_size / theme.mm(1):.0f} mm"
                        f" is small for its {side / theme.mm(1):.0f} mm tile {_name(b)!r}"
                    )
                elif not _is_icon(w) and w.font_size < WORDS_SHARE * side:
                    problems.append(
                        f"{area_name}: words of {w.font_size:.0f} px are small for their"
                        f" {side / theme.mm(1):.0f} mm tile: {_name(w)!r}"
                    )
    return problems


def overlap_problems(areas: dict[str, Any]) -> list[str]:
    """Widgets side by side drawn over each other (siblings whose boxes intersect),
    a row or grid whose content is pushed out of it, and widgets (or whole areas)
    outside the window."""
    problems = []
    window = _window_rect(areas)
    for area_name, area in _shown_areas(areas).items():
        if not _inside(_rect(area), window):
            problems.append(f"{area_name}: the area sticks out of the screen")
        for w in area.walk(restrict=True):
            if isinstance(w, ScreenManager) or not _visible(w):
                continue
            kids = [
                (c, _rect(c))
                for c in w.children
                if _visible(c) and c.width > TOLERANCE and c.height > TOLERANCE
            ]
            box = _rect(w)
            for i, (a, ra) in enumerate(kids):
                if not _inside(ra, window):
                    problems.append(f"{area_name}: {_name(a)!r} is cut by the screen's edge")
                elif isinstance(w, (BoxLayout, GridLayout)) and not _inside(ra, box):
                    problems.append(f"{area_name}: {_name(a)!r} does not fit in its row or grid")
                for b, rb in kids[i + 1 :]:
                    if _overlap(ra, rb):
                        problems.append(f"{area_name}: {_name(a)!r} overlaps {_name(b)!r}")
    return problems


def _dark_share(texture: Any) -> float:
    """The share of a picture's side its dark modules span (a QR code without its
    white quiet zone, which is not what a phone's camera is aimed at). Measured each
    time: a few codes a screen, and a share kept by texture could be another's."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    img = PILImage.frombytes("RGBA", tuple(texture.size), texture.pixels).convert("L")
    box = ImageOps.invert(img).point(lambda v: 255 if v > 128 else 0).getbbox()
    return 0.0 if box is None else max(box[2] - box[0], box[3] - box[1]) / max(texture.size)


def qr_sizes(areas: dict[str, Any], theme: Any) -> list[float]:
    """The side, in millimetres at display.dpi, of every QR code shown: its modules as
    drawn (the picture's size in its box times the share the code takes of it)."""
    sizes = []
    for area in _shown_areas(areas).values():
        for w in area.walk(restrict=True):
            shown = isinstance(w, Image) and w.texture is not None and _visible(w)
            if shown and w.width > TOLERANCE and w.height > TOLERANCE:
                side = min(w.norm_image_size) * _dark_share(w.texture)
                sizes.append(side / theme.mm(1))
    return sizes


def qr_problems(areas: dict[str, Any], theme: Any) -> list[str]:
    return [
        f"QR code {mm:.1f} mm is under {QR_MIN_MM:g} mm"
        for mm in qr_sizes(areas, theme)
        if mm < QR_MIN_MM
    ]


def size_problems(areas: dict[str, Any], theme: Any) -> list[str]:
    """Touch targets smaller than display.min_button_mm and text below the minimum size."""
    problems = []
    smallest = theme.mm(theme.min_button_mm)
    for area_name, area in _shown_areas(areas).items():
        for w in area.walk(restrict=True):
            if not _visible(w):
                continue
            if isinstance(w, ButtonBehavior):
                if min(w.width, w.height) < smallest - TOLERANCE:
                    what = getattr(w, "text", "") or getattr(w, "icon", "") or type(w).__name__
                    problems.append(
                        f"{area_name}: touch target {w.width / theme.mm(1):.0f}x{w.height / theme.mm(1):.0f} mm"
                        f" is under {theme.min_button_mm:g} mm: {what!r}"
                    )
            elif (
                isinstance(w, Label)
                and w.font_name != "Icons"
                and w.text.strip()
                and w.font_size < theme.min_text
            ):
                problems.append(
                    f"{area_name}: text of {w.font_size:.0f} px is under the minimum {theme.min_text} px: {w.text[:60]!r}"
                )
    return problems


def layout_problems(areas: dict[str, Any], theme: Any) -> list[str]:
    """Every problem on the shown screen: texts, pictograms, overlaps, QR codes, sizes."""
    return (
        text_problems(areas)
        + picture_problems(areas)
        + overlap_problems(areas)
        + qr_problems(areas, theme)
        + size_problems(areas, theme)
        + scale_problems(areas, theme)
    )
