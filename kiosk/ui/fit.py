"""Does every text fit? Checks the laid-out widget tree of the shown screen.

A label fails when its rendered text is larger than its box, or when its box
sticks out of the area it belongs to (the screen between the bars, or its bar).
Used by the layout test over every screen in every language and by
`kiosk preview`, which prints what does not fit.
"""

from __future__ import annotations

from typing import Any

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


def text_problems(areas: dict[str, Any]) -> list[str]:
    """Problems in the given areas ({"screen": widget, "top bar": widget, ...})."""
    problems = []
    for area_name, area in areas.items():
        if area.height <= 0 or area.opacity == 0:
            continue
        bounds = _rect(area)
        for w in area.walk(restrict=True):
            if not isinstance(w, Label) or not w.text.strip() or not _visible(w):
                continue
            if w.font_name == "Icons":
                continue
            w.texture_update()
            tw, th = w.texture_size
            label = w.text.replace("\n", " ")[:60]
            if tw > w.width + TOLERANCE or th > w.height + TOLERANCE:
                problems.append(
                    f"{area_name}: text does not fit its box ({tw:.0f}x{th:.0f} in {w.width:.0f}x{w.height:.0f}): {label!r}"
                )
            elif not _inside(_rect(w), bounds):
                problems.append(f"{area_name}: text sticks out of its area: {label!r}")
    return problems
