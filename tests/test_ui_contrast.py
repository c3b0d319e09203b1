"""Every text colour on its background meets 7:1 contrast (WCAG 1.4.6), in the
usual colours and in large letters and high contrast."""

import pytest

pytest.importorskip("kivy")

from kiosk.ui.theme import COLOURS, CONTRAST  # noqa: E402


def luminance(rgba):
    def ch(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (ch(c) for c in rgba[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize(
    ("fg", "bg"),
    [
        ("text", "background"),
        ("text", "bar_bg"),
        ("button_text", "button_bg"),
        ("primary_text", "primary_bg"),
        ("button_text", "help_bg"),
        ("muted", "background"),
        ("highlight_text", "highlight"),
    ],
)
@pytest.mark.parametrize("palette", [COLOURS, CONTRAST], ids=["usual", "high contrast"])
def test_text_contrast_is_at_least_7_to_1(fg, bg, palette):
    assert contrast(palette[fg], palette[bg]) >= 7.0
