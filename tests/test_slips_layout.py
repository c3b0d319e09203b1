"""Every slip is exactly as wide as the paper, its text stays inside the margins
and is never cut, and Azerbaijani letters are drawn, not shown as empty boxes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from kiosk.core.content import Bundle, load_bundle
from kiosk.core.slips import PAPER_DOTS, render_service_slip, render_ticket_slip, wrap_text
from kiosk.core.slips.layout import STYLES, font

NOW = datetime(2026, 11, 27, 10, 30)


def ink_box(img: Image.Image) -> tuple[int, int, int, int] | None:
    """Bounding box of the black dots."""
    return ImageChops.invert(img.convert("L")).getbbox()


def assert_fits_paper(img: Image.Image, paper: int) -> None:
    style = STYLES[paper]
    assert img.width == PAPER_DOTS[paper]
    box = ink_box(img)
    assert box is not None, "slip is blank"
    left, top, right, bottom = box
    # Ink inside the margins: nothing runs off the paper's printable edge.
    assert left >= style.margin // 2, box
    assert right <= img.width - style.margin // 2, box
    # The last line is whole: blank paper below it, above the cut.
    assert bottom < img.height, box


def test_paper_widths_are_the_print_heads_dots() -> None:
    assert PAPER_DOTS == {58: 384, 80: 576}


@pytest.mark.parametrize("paper", [58, 80])
@pytest.mark.parametrize("lang", ["az", "ru", "en"])
def test_every_service_slip_fits_the_paper(bundle: Bundle, lang: str, paper: int) -> None:
    for service_id in bundle.services:
        img = render_service_slip(bundle, service_id, lang, "barda", "terminal-1", paper, NOW)
        assert img.mode in ("1", "L")
        assert_fits_paper(img, paper)


@pytest.mark.parametrize("paper", [58, 80])
@pytest.mark.parametrize("ticket", ["B-014", "Z-999"])
def test_ticket_slip_fits_the_paper(bundle: Bundle, ticket: str, paper: int) -> None:
    img = render_ticket_slip(
        bundle, ticket, "az", "barda", "terminal-1", "social-assistance", paper, NOW, ahead=4
    )
    assert_fits_paper(img, paper)


def tallest_text_run(img: Image.Image, margin: int) -> int:
    """Height of the tallest block of consecutive inked rows, leaving out the black
    warning band (its rows are black at the left margin)."""
    gray = img.convert("L")
    best = run = 0
    for y in range(img.height):
        row = gray.crop((0, y, img.width, y + 1))
        inked = ImageChops.invert(row).getbbox() is not None
        band = gray.getpixel((margin + 2, y)) == 0
        run = run + 1 if inked and not band else 0
        best = max(best, run)
    return best


@pytest.mark.parametrize("paper", [58, 80])
def test_ticket_number_is_very_large(bundle: Bundle, paper: int) -> None:
    # A resident who reads poorly still recognises the number when it is called:
    # its digits stand at least four times as tall as the capitals of the body text.
    img = render_ticket_slip(bundle, "B-014", "az", "barda", "t", None, paper, NOW)
    _, top, _, bottom = font(STYLES[paper].body).getbbox("H")
    assert tallest_text_run(img, STYLES[paper].margin) >= 4 * (bottom - top)


def test_unknown_site_still_gives_a_slip(bundle: Bundle) -> None:
    img = render_service_slip(bundle, "id-card", "az", "no-such-site", "t", 58, NOW)
    assert_fits_paper(img, 58)


def test_wrap_keeps_every_letter_and_fits(bundle: Bundle) -> None:
    fnt = font(26)
    text = (
        "Ailənin gəlirləri haqqında " + "ə" * 60 + " məlumat https://e-social.gov.az/az/very/long"
    )
    lines = wrap_text(text, fnt, 200)
    assert len(lines) > 3
    assert all(fnt.getlength(line) <= 200 for line in lines)
    # Nothing dropped: the same letters, in order.
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_long_words_in_content_wrap_inside_the_margins(content_copy: Path, bundle: Bundle) -> None:
    svc = content_copy / "services" / "social-assistance.toml"
    long_word = "Sosialmüdafiəfondunun" * 4
    svc.write_text(
        svc.read_text(encoding="utf-8").replace("Ünvanlı sosial yardım", long_word, 1),
        encoding="utf-8",
    )
    changed = load_bundle(content_copy)
    assert changed.services["social-assistance"].title("az") == long_word
    for paper in (58, 80):
        img = render_service_slip(changed, "social-assistance", "az", "barda", "t", paper, NOW)
        assert_fits_paper(img, paper)
        usual = render_service_slip(bundle, "social-assistance", "az", "barda", "t", paper, NOW)
        # The long word was broken onto more lines, not squeezed or clipped.
        assert img.height > usual.height


def _glyph(ch: str) -> bytes:
    return bytes(font(40).getmask(ch, mode="1"))


@pytest.mark.parametrize("bold", [False, True])
def test_azerbaijani_and_russian_letters_have_glyphs(bold: bool) -> None:
    fnt = font(40, bold)
    missing = bytes(fnt.getmask("\ue000", mode="1"))
    # The check itself works: two code points the font lacks draw the same box.
    assert missing == bytes(fnt.getmask("\ue001", mode="1"))
    for ch in "əƏİıŞşÇçĞğÖöÜü" + "ЖжЩщЁёЫы" + "№":
        assert bytes(fnt.getmask(ch, mode="1")) != missing, f"{ch!r} would print as a box"


def test_slip_draws_schwa_distinct_from_e(bundle: Bundle) -> None:
    # Printer code pages would print "ə" as "?" or "e"; the picture keeps it.
    fnt = font(40)
    assert bytes(fnt.getmask("ə", mode="1")) != bytes(fnt.getmask("e", mode="1"))
    assert bytes(fnt.getmask("ə", mode="1")) != bytes(fnt.getmask("?", mode="1"))


def test_ticket_slip_carries_the_pictogram_and_the_weekday(bundle: Bundle) -> None:
    from datetime import date

    plain = render_ticket_slip(bundle, "A-014", "az", "barda", "t", None, 80, NOW)
    other = render_ticket_slip(bundle, "A-015", "az", "barda", "t", None, 80, NOW)
    monday = render_ticket_slip(
        bundle, "A-014", "az", "barda", "t", None, 80, NOW, day=date(2026, 12, 7)
    )
    assert plain.tobytes() != other.tobytes()  # another ticket, another picture
    assert plain.tobytes() != monday.tobytes() or NOW.date() == date(2026, 12, 7)
