"""Slip layout: a service slip or a help-ticket slip drawn as one 1-bit picture.

The slip is a picture, not printer text, because printer code pages have no "ə":
every letter is drawn with the bundled Noto Sans. The picture is exactly as wide
as the paper has dots (384 for 58 mm, 576 for 80 mm) and the same picture is the
on-screen preview. Text is wrapped inside the margins, long words are broken
between letters, and nothing is ever cut off. This module never talks to a
printer and never decides whether a link is allowed (qr.py does).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from kiosk.core.content import Bundle, Site
from kiosk.core.content.model import Ask
from kiosk.core.content.places import fill_service
from kiosk.core.content.provenance import service_caution
from kiosk.core.helpdesk.marks import ticket_mark
from kiosk.core.settings import KIOSK_SETTINGS
from kiosk.core.slips.qr import LinkRefused, render_qr
from kiosk.paths import FONT_BOLD, FONT_REGULAR, ICON_CODEPOINTS, ICON_FONT

log = logging.getLogger("kiosk.slips")

# Thermal print heads have 8 dots per millimetre; these are the printable widths.
PAPER_DOTS = {58: 384, 80: 576}
DEFAULT_ALLOWLIST: tuple[str, ...] = tuple(
    next(s.default for s in KIOSK_SETTINGS if s.key == "links.allowlist")
)

WHITE = 1
BLACK = 0
UNCONFIRMED_ICON = "account-question"  # not confirmed: ask a person (screen and slip)


@dataclass(frozen=True)
class SlipStyle:
    """Sizes in printer dots for one paper width."""

    width: int
    margin: int
    small: int  # header, footer
    body: int  # documents, help points
    title: int  # the service's name
    qr_box: int  # side of the QR code with its quiet zone
    ticket_max: int  # largest size for the ticket number
    gap: int  # space between sections

    @property
    def inner(self) -> int:
        return self.width - 2 * self.margin


STYLES = {
    58: SlipStyle(
        width=384, margin=12, small=22, body=26, title=36, qr_box=360, ticket_max=170, gap=18
    ),
    80: SlipStyle(
        width=576, margin=18, small=26, body=32, title=46, qr_box=448, ticket_max=240, gap=24
    ),
}


def style_for(paper_mm: int) -> SlipStyle:
    try:
        return STYLES[paper_mm]
    except KeyError:
        raise ValueError(f"paper must be 58 or 80 mm wide, not {paper_mm}") from None


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_BOLD if bold else FONT_REGULAR), size)


@cache
def _icon_font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(ICON_FONT), size)


@cache
def _icon_codepoints() -> dict[str, int]:
    return json.loads(ICON_CODEPOINTS.read_text())


def _icon(name: str) -> str:
    return chr(_icon_codepoints()[name])


def wrap_text(text: str, fnt: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    """Lines of `text` that each fit in `max_width` dots: words stay whole where they
    fit, a word longer than a line is broken between letters, nothing is dropped."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if fnt.getlength(candidate) <= max_width:
                line = candidate
                continue
            if line:
                lines.append(line)
                line = ""
            while fnt.getlength(word) > max_width:
                cut = _longest_prefix(word, fnt, max_width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _longest_prefix(word: str, fnt: ImageFont.FreeTypeFont, max_width: int) -> int:
    cut = 1  # at least one letter per line, however narrow the paper
    while cut < len(word) and fnt.getlength(word[: cut + 1]) <= max_width:
        cut += 1
    return cut


class _Slip:
    """Stacks full-width strips top to bottom; each strip is drawn inside the margins."""

    def __init__(self, style: SlipStyle):
        self.s = style
        self.strips: list[Image.Image] = []

    def _strip(self, height: int, fill: int = WHITE) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        img = Image.new("1", (self.s.width, max(1, height)), fill)
        self.strips.append(img)
        return img, ImageDraw.Draw(img)

    def gap(self, height: int | None = None) -> None:
        self._strip(self.s.gap if height is None else height)

    def rule(self) -> None:
        _, draw = self._strip(self.s.gap)
        y = self.s.gap // 2
        draw.rectangle((self.s.margin, y - 1, self.s.width - self.s.margin - 1, y), fill=BLACK)

    def text(
        self,
        text: str,
        size: int,
        *,
        bold: bool = False,
        center: bool = False,
        indent: int = 0,
        icon: str = "",
    ) -> None:
        """A wrapped paragraph; with `icon`, a pictogram hangs to the left of its first line."""
        fnt = font(size, bold)
        ascent, descent = fnt.getmetrics()
        line_h = ascent + descent + size // 8
        if icon:
            indent += round(size * 1.25)
        lines = wrap_text(text, fnt, self.s.inner - indent)
        _, draw = self._strip(line_h * len(lines))
        if icon:
            draw.text(
                (self.s.margin, ascent), _icon(icon), font=_icon_font(size), fill=BLACK, anchor="ls"
            )
        for i, line in enumerate(lines):
            x = self.s.margin + indent
            if center:
                x = self.s.margin + (self.s.inner - fnt.getlength(line)) / 2
            draw.text((x, i * line_h), line, font=fnt, fill=BLACK)

    def checklist(self, items: Sequence[str], size: int, marked: Sequence[bool] = ()) -> None:
        """One empty box per item for the resident to tick, text hanging beside it;
        a `marked` item (unconfirmed) has the ask-a-person pictogram after its box."""
        fnt = font(size)
        ascent, descent = fnt.getmetrics()
        line_h = ascent + descent + size // 8
        box = round(size * 0.8)
        for n, item in enumerate(items):
            mark = n < len(marked) and marked[n]
            indent = box + size // 2 + (round(size * 1.2) if mark else 0)
            lines = wrap_text(item, fnt, self.s.inner - indent)
            _, draw = self._strip(line_h * len(lines) + size // 4)
            top = ascent - box + size // 8  # box sits on the first line's baseline
            x0 = self.s.margin
            draw.rectangle((x0, top, x0 + box - 1, top + box - 1), outline=BLACK, width=3)
            if mark:
                draw.text(
                    (x0 + box + size // 4, ascent),
                    _icon(UNCONFIRMED_ICON),
                    font=_icon_font(size),
                    fill=BLACK,
                    anchor="ls",
                )
            for i, line in enumerate(lines):
                draw.text((x0 + indent, i * line_h), line, font=fnt, fill=BLACK)

    def caution(self, text: str, size: int) -> None:
        """A framed note with the ask-a-person pictogram: what is not confirmed."""
        fnt = font(size, bold=True)
        ascent, descent = fnt.getmetrics()
        line_h = ascent + descent + size // 8
        pad = size // 2
        icon_w = round(size * 1.6)
        lines = wrap_text(text, fnt, self.s.inner - 2 * pad - icon_w)
        height = line_h * len(lines) + 2 * pad
        _, draw = self._strip(height)
        left, right = self.s.margin, self.s.width - self.s.margin - 1
        draw.rounded_rectangle((left, 0, right, height - 1), radius=pad, outline=BLACK, width=4)
        draw.text(
            (left + pad + icon_w // 2 - 2, height // 2),
            _icon(UNCONFIRMED_ICON),
            font=_icon_font(round(size * 1.4)),
            fill=BLACK,
            anchor="mm",
        )
        for i, line in enumerate(lines):
            draw.text((left + pad + icon_w, pad + i * line_h), line, font=fnt, fill=BLACK)

    def picture(self, img: Image.Image) -> None:
        strip, _ = self._strip(img.height)
        strip.paste(img.convert("1"), ((self.s.width - img.width) // 2, 0))

    def warning(self, text: str, size: int) -> None:
        """White text on a black band with a lock pictogram: the one thing not to miss."""
        fnt = font(size, bold=True)
        ascent, descent = fnt.getmetrics()
        line_h = ascent + descent + size // 8
        pad = size // 2
        icon_w = round(size * 1.6)
        lines = wrap_text(text, fnt, self.s.inner - 2 * pad - icon_w)
        height = line_h * len(lines) + 2 * pad
        _, draw = self._strip(height)
        left, right = self.s.margin, self.s.width - self.s.margin - 1
        draw.rounded_rectangle((left, 0, right, height - 1), radius=pad, fill=BLACK)
        icon_font = _icon_font(round(size * 1.4))
        draw.text(
            (left + pad + icon_w // 2 - 2, height // 2),
            _icon("shield-lock"),
            font=icon_font,
            fill=WHITE,
            anchor="mm",
        )
        for i, line in enumerate(lines):
            draw.text((left + pad + icon_w, pad + i * line_h), line, font=fnt, fill=WHITE)

    def pictogram(self, name: str, size: int) -> None:
        """The ticket's pictogram, white on a black rounded tile in the middle."""
        pad = size // 6
        side = size + 2 * pad
        _, draw = self._strip(side)
        left = (self.s.width - side) // 2
        draw.rounded_rectangle((left, 0, left + side - 1, side - 1), radius=pad, fill=BLACK)
        draw.text(
            (left + side // 2, side // 2),
            _icon(name),
            font=_icon_font(size),
            fill=WHITE,
            anchor="mm",
        )

    def image(self, bottom_feed: int) -> Image.Image:
        total = sum(s.height for s in self.strips) + bottom_feed
        out = Image.new("1", (self.s.width, total), WHITE)
        y = 0
        for s in self.strips:
            out.paste(s, (0, y))
            y += s.height
        return out


def _header(slip: _Slip, bundle: Bundle, site: Site | None, lang: str) -> None:
    brand = bundle.string("attract.title", "az")  # the name "Kömək" is the same in every language
    name = f"{brand} · {site.name(lang)}" if site else brand
    slip.text(name, slip.s.small, bold=True, center=True)
    slip.rule()


def _footer(slip: _Slip, bundle: Bundle, lang: str, terminal_id: str, now: datetime) -> None:
    s = slip.s
    slip.gap()
    slip.text(
        bundle.string("slip.date", lang, date=now.strftime("%d.%m.%Y %H:%M")),
        s.small,
        icon="calendar",
    )
    slip.text(bundle.string("slip.terminal", lang, terminal=terminal_id), s.small, icon="monitor")


def _pin_warning(slip: _Slip, bundle: Bundle, lang: str) -> None:
    slip.gap()
    slip.warning(bundle.string("slip.pin_warning", lang), slip.s.body)


def _site(bundle: Bundle, site_id: str) -> Site | None:
    site = bundle.sites.get(site_id)
    if site is None:
        # A slip without help points still helps; a crash at the printer would not.
        log.warning("site %r is not in the content bundle; slip has no help points", site_id)
    return site


def render_service_slip(
    bundle: Bundle,
    service_id: str,
    lang: str,
    site_id: str,
    terminal_id: str,
    paper_mm: int,
    now: datetime,
    *,
    allowlist: Sequence[str] = DEFAULT_ALLOWLIST,
) -> Image.Image:
    """The slip a resident takes home after a service's flow, as a 1-bit image
    exactly as wide as the paper.

    It holds the service's name, the documents as a checklist, the official link as
    a large QR code and as short text, the site's free help points, a warning never
    to tell anyone the ASAN İmza / SİMA PIN, and the date and terminal. A service
    without a link, or whose link is not allowlisted (refused and logged), gets a
    slip without QR code and without link.
    """
    s = style_for(paper_mm)
    service = bundle.services[service_id]
    site = _site(bundle, site_id)
    if site is not None:
        service = fill_service(service, site)
    slip = _Slip(s)
    _header(slip, bundle, site, lang)
    slip.text(service.title(lang), s.title, bold=True)

    if service.documents:
        slip.gap()
        slip.text(bundle.string("slip.documents", lang), s.body, bold=True, icon="file-document")
        slip.gap(s.gap // 3)
        slip.checklist(
            [d(lang) for d in service.documents],
            s.body,
            [service.document_provenance(i).unconfirmed for i in range(len(service.documents))],
        )
    if (doubt := service_caution(service)) is not None:
        # Never printed as certain: the slip sends the resident to a person.
        slip.gap()
        key = "slip.unconfirmed" if doubt.ask is Ask.VOLUNTEER else "slip.unconfirmed_line"
        slip.caution(bundle.string(key, lang), s.body)

    if service.link:
        try:
            qr = render_qr(service.link, allowlist, s.qr_box)
        except LinkRefused:
            qr = None
        if qr is not None:
            slip.gap()
            slip.text(bundle.string("slip.scan", lang), s.small, center=True)
            slip.picture(qr)
            slip.text(service.link_label, s.body, bold=True, center=True)

    if site is not None:
        slip.gap()
        slip.text(bundle.string("slip.help", lang), s.body, bold=True, icon="map-marker")
        for point in site.shown_points:
            slip.gap(s.gap // 3)
            slip.text(point.name(lang), s.body, bold=True)
            # Only what was checked: an address or hours no source gave stay off the slip.
            for detail in (point.address(lang), point.hours(lang)):
                if detail:
                    slip.text(detail, s.body)
            if point.phone:
                slip.text(bundle.string("slip.phone", lang, phone=point.phone), s.body)
        if site.volunteer_phone:
            slip.gap(s.gap // 3)
            slip.text(
                bundle.string("slip.volunteer_phone", lang, phone=site.volunteer_phone),
                s.body,
                bold=True,
            )

    _pin_warning(slip, bundle, lang)
    _footer(slip, bundle, lang, terminal_id, now)
    return slip.image(bottom_feed=s.gap)


def _ticket_font_size(ticket: str, style: SlipStyle) -> int:
    size = style.ticket_max
    while size > style.body and font(size, True).getlength(ticket) > style.inner:
        size -= 4
    return size


def render_ticket_slip(
    bundle: Bundle,
    ticket: str,
    lang: str,
    site_id: str,
    terminal_id: str,
    topic_service_id: str | None,
    paper_mm: int,
    now: datetime,
    ahead: int | None = None,
    day: date | None = None,
) -> Image.Image:
    """The help-ticket slip: the ticket number (e.g. "B-014") very large, its
    pictogram and ticket day (the call display shows the same), the topic, how
    many people are before the resident, the PIN warning, date and terminal.
    `day` is the ticket day (helpdesk/marks.py), `now`'s date when not given."""
    s = style_for(paper_mm)
    site = _site(bundle, site_id)
    slip = _Slip(s)
    _header(slip, bundle, site, lang)
    slip.text(bundle.string("slip.ticket", lang), s.body, center=True)
    slip.text(ticket, _ticket_font_size(ticket, s), bold=True, center=True)
    # Black only on paper: the picture carries the ticket, the weekday its day.
    mark = ticket_mark(ticket, day or now.date())
    slip.pictogram(mark.pictogram, s.ticket_max // 2)
    slip.gap(s.gap // 3)
    name = mark.pictogram_name.get(lang, mark.pictogram_name["en"])
    slip.text(f"{name} · {mark.weekday(lang)}", s.body, bold=True, center=True)
    if topic_service_id and topic_service_id in bundle.services:
        slip.text(bundle.services[topic_service_id].title(lang), s.body, bold=True, center=True)
    if ahead is not None:
        slip.gap(s.gap // 2)
        slip.text(bundle.string("slip.ahead", lang, n=str(ahead)), s.body, center=True)
    slip.gap(s.gap // 2)
    slip.text(bundle.string("slip.ticket_wait", lang), s.body, center=True)
    _pin_warning(slip, bundle, lang)
    _footer(slip, bundle, lang, terminal_id, now)
    return slip.image(bottom_feed=s.gap)
