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


def _measured(image, label, window_height):
    """Contrast between a label's ink and the ground behind it, read from pixels:
    the ground is the commonest colour in its text's box, the ink the pixel
    farthest from it in luminance."""
    tw, th = label.texture_size
    x, y = label.to_window(label.center_x, label.center_y)
    w, h = min(tw, label.width), min(th, label.height)
    box = (
        int(x - w / 2),
        int(window_height - y - h / 2),
        int(x + w / 2),
        int(window_height - y + h / 2),
    )
    crop = image.crop(box)
    # (count, colour) once per distinct colour: a box's pixels are mostly a few colours.
    colours = crop.getcolors(maxcolors=crop.width * crop.height)
    if not colours:
        return None
    ground = max(colours)[1]
    lum = luminance([c / 255 for c in ground])
    ink = max((c for _n, c in colours), key=lambda p: abs(luminance([c / 255 for c in p]) - lum))
    return contrast([c / 255 for c in ground], [c / 255 for c in ink])


@pytest.mark.ui
def test_high_contrast_screens_measure_at_least_7_to_1_in_their_pixels(ui, tmp_path):
    """Every text on one screen of each kind, in high contrast, measured in the
    rendered pixels (az and ru at the design size)."""
    from kivy.uix.label import Label
    from PIL import Image

    from kiosk.ui.access import visible
    from kiosk.ui.preview import areas, screen_states

    worst = {}
    for lang in ("az", "ru"):
        for stem in screen_states(ui, lang, sample=True, large=True):
            shot = Image.open(ui.screenshot(tmp_path / f"{lang}-{stem}.png")).convert("RGB")
            shown = areas(ui)
            if "idle prompt" in shown:  # the screen behind it is dimmed on purpose
                shown = {"idle prompt": shown["idle prompt"]}
            for area in shown.values():
                for w in area.walk(restrict=True):
                    if not isinstance(w, Label) or w.font_name == "Icons" or not w.text.strip():
                        continue
                    if not visible(w) or w.width <= 1 or w.height <= 1:
                        continue
                    w.texture_update()
                    c = _measured(shot, w, ui.window.height)
                    if c is not None and c < worst.get(stem, (99, ""))[0]:
                        worst[stem] = (round(c, 1), w.text[:30])
    print({k: v for k, v in sorted(worst.items())})
    assert worst and all(c >= 7.0 for c, _text in worst.values()), worst
    ui.app.set_large(False, say=False)
