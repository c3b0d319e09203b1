"""QR codes for slips and for the on-screen fallback.

Only links on the allowlist ever become a QR code: anything else raises
LinkRefused and is logged, so a tampered or mistyped bundle can never send a
resident's phone somewhere else. This module never draws text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import qrcode
import qrcode.constants
from PIL import Image, ImageDraw

from kiosk.core.content import LinkProblem, canonical_link

log = logging.getLogger("kiosk.slips")

# The quiet zone QR readers need around the code, in modules (ISO/IEC 18004).
QUIET_ZONE = 4


class LinkRefused(ValueError):
    """A link that is not https on an allowlisted domain; it is never shown or printed."""

    def __init__(self, link: str):
        self.link = link
        super().__init__(f"link {link!r} is not https on an allowed domain; refused")


def check_link(link: str, allowlist: Sequence[str]) -> str:
    """The canonical form of `link` to encode; LinkRefused (logged) unless it may become a QR code."""
    try:
        return canonical_link(link, tuple(allowlist))
    except LinkProblem as exc:
        log.warning(
            "refused to make a QR code for %r: %s (allowlist: %s)", link, exc, ", ".join(allowlist)
        )
        raise LinkRefused(link) from exc


def qr_modules(link: str) -> list[list[bool]]:
    """The QR matrix for `link`, quiet zone included; True is a dark module."""
    # Level Q survives creases and smudges on a slip carried home in a pocket.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=QUIET_ZONE)
    code.add_data(link)
    code.make(fit=True)
    return code.get_matrix()


def render_qr(link: str, allowlist: Sequence[str], box_px: int) -> Image.Image:
    """A square 1-bit image `box_px` wide: the QR code for `link` with its quiet zone,
    drawn with the largest whole number of pixels per module that fits, centred.

    Raises LinkRefused for a link that is not allowlisted, ValueError when `box_px`
    is too small to give every module at least one pixel.
    """
    matrix = qr_modules(check_link(link, allowlist))
    n = len(matrix)
    scale = box_px // n
    if scale < 1:
        raise ValueError(f"{box_px} px is too small for a {n}-module QR code")
    img = Image.new("1", (box_px, box_px), 1)
    draw = ImageDraw.Draw(img)
    offset = (box_px - n * scale) // 2
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                x0 = offset + x * scale
                y0 = offset + y * scale
                draw.rectangle((x0, y0, x0 + scale - 1, y0 + scale - 1), fill=0)
    return img
