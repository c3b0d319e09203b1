"""Does every screen fit its display? Checks the laid-out widget tree of the shown screen.

A label fails when its rendered text is larger than its box, when a word had
to be broken in the middle to fit, when its box sticks out of the area it
belongs to (the screen between the bars, or its bar), when two texts overlap,
or when its letters are smaller than the UX minimum (theme.min_text). A touch
target fails when a side is shorter than display.min_button_mm. Used by the
layout tests over every screen in every language and form factor, and by
`kiosk preview`, which prints every problem.
"""

from __future__ import annotations

from typing import Any

from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label

TOLERANCE = 2  # pixels


def _rect(widget: Any) -> tuple[float, float, float, float]:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (
        inner[0] >= outer[0] - TOLERANCE
        and inner[1] >= outer[1] - TOLERANCE
        and inner[2] <= outer[2] + TOLERANCE
        and inner[3] <= outer[3] + TOLERANCE
    )


def _visible(widget: Any) -> bool:
    w = widget
    while w is not None and w is not w.parent:
        if w.opacity == 0:
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


def text_problems(areas: dict[str, Any]) -> list[str]:
    """Problems in the given areas ({"screen": widget, "top bar": widget, ...})."""
    problems = []
    for area_name, area in areas.items():
        if area.height <= 0 or area.opacity == 0:
            continue
        bounds = _rect(area)
        placed: list[tuple[tuple[float, ...], str]] = []
        for w in area.walk(restrict=True):
            if not isinstance(w, Label) or not w.text.strip() or not _visible(w):
                continue
            if w.font_name == "Icons":
                continue
            w.texture_update()
            tw, th = w.texture_size
            label = w.text.replace("\n", " ")[:60]
            rect = _rect(w)
            if tw > w.width + TOLERANCE or th > w.height + TOLERANCE:
                problems.append(
                    f"{area_name}: text does not fit its box ({tw:.0f}x{th:.0f} in {w.width:.0f}x{w.height:.0f}): {label!r}"
                )
            elif not _inside(rect, bounds):
                problems.append(f"{area_name}: text sticks out of its area: {label!r}")
            if (word := _broken_word(w)) is not None:
                problems.append(f"{area_name}: the word {word!r} is split to fit: {label!r}")
            # The text itself, not its whole box, must not cover another text.
            cx, cy = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
            ink = (
                cx - min(tw, w.width) / 2,
                cy - min(th, w.height) / 2,
                cx + min(tw, w.width) / 2,
                cy + min(th, w.height) / 2,
            )
            for other, other_label in placed:
                if _overlap(ink, other):
                    problems.append(f"{area_name}: {label!r} overlaps {other_label!r}")
            placed.append((ink, label))
    return problems


def size_problems(areas: dict[str, Any], theme: Any) -> list[str]:
    """Touch targets smaller than display.min_button_mm and text below the minimum size."""
    problems = []
    smallest = theme.mm(theme.min_button_mm)
    for area_name, area in areas.items():
        if area.height <= 0 or area.opacity == 0:
            continue
        for w in area.walk(restrict=True):
            if not _visible(w) or getattr(w, "hidden", False):
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
    """Every problem on the shown screen: text that does not fit, small targets, small text."""
    return text_problems(areas) + size_problems(areas, theme)
