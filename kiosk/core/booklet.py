"""The printed booklet: the same content bundle as the terminals, laid out as an
A5 booklet for seminars and for people who never reach a terminal.

One district (site profile), one language. Pages: a cover with the district's
name, contents, the e-signature service (how to get ASAN İmza or SİMA), one
service per page with its pictogram, plain sentences, documents to bring as a
checklist and the official link as a QR code, the district's free help points,
and a back cover that says never to give the PIN to anyone.

Every page is designed once at A5 and kept as a PDF form; the two page orders
only place those forms differently: A4 reading order (each page enlarged to A4)
or A4 landscape sheets imposed for folding to A5 (saddle stitch).

This module must never import Kivy, print a link that is not on the allowlist
as a QR code, or change Azerbaijani letter case with str.upper().
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import qrcode
from reportlab.lib.colors import Color, black, white
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, KeepTogether, Paragraph, Spacer

from kiosk.core.access import HELP_ORDER, TOUCH, KeyAction, KeyMap, key_words
from kiosk.core.content.links import LinkProblem, canonical_link
from kiosk.core.content.model import Bundle, Service, Site, StepKind
from kiosk.core.content.places import for_site
from kiosk.core.content.provenance import caution
from kiosk.paths import FONT_BOLD, FONT_REGULAR, ICON_CODEPOINTS, ICON_FONT

# The service whose page explains how to get an e-signature; services that need
# one point to it.
ESIGN_SERVICE = "asan-imza"
DEFAULT_ALLOWLIST = ("gov.az", "e-gov.az", "edu.az")

# Headings and fixed sentences of the booklet, from the bundle's strings.toml.
BOOKLET_STRINGS = (
    "booklet.cover_title",
    "booklet.cover_subtitle",
    "booklet.edition",
    "booklet.contents",
    "booklet.esign_kicker",
    "booklet.needs_esign",
    "booklet.see_page",
    "booklet.official_site",
    "booklet.scan",
    "booklet.continued",
    "booklet.help_title",
    "booklet.phone",
    "booklet.volunteer_phone",
    "booklet.pin_title",
    "booklet.pin_text",
    "booklet.check_site",
    "booklet.notes",
    "booklet.keys_title",
    "booklet.keys_start",
    "documents.title",
    "attract.title",
)

FONT = "KomekNotoSans"
FONT_B = "KomekNotoSans-Bold"
ICONS = "KomekMDI"

PAGE_W, PAGE_H = A5
MARGIN = 13 * mm
FOOTER = 10 * mm  # room for the page number
GREY = Color(0.35, 0.35, 0.35)  # still 7:1 on white paper
RULE = Color(0.6, 0.6, 0.6)

# Sizes in points on the A5 page; the A4 reading order enlarges them 1.41 times.
BODY = 16
TITLE = 24


class PageOrder(StrEnum):
    A4 = "a4"  # A4 portrait pages in reading order
    A5_FOLD = "a5-fold"  # A4 landscape sheets, two A5 pages a side, for folding


KEY_CARD_SIZE = 14  # points: a little under BODY, so the whole card is one page
# The key card's picture for each action (kiosk.core.access.HELP_ORDER).
KEY_CARD_ICONS = {
    KeyAction.DOWN: "arrow-down-bold",
    KeyAction.UP: "arrow-up-bold",
    KeyAction.ENTER: "keyboard-return",
    KeyAction.BACK: "arrow-left-bold",
    KeyAction.HELP: "help-circle",
    KeyAction.FASTER: "rabbit",
    KeyAction.SLOWER: "tortoise",
    KeyAction.LARGE: "circle-half-full",
    KeyAction.TICKET: "ticket-confirmation",
}


class BookletError(Exception):
    """The booklet cannot be built; the message says why, for an admin."""


class UnknownSite(BookletError):
    def __init__(self, site_id: str, available: Sequence[str]):
        self.site_id = site_id
        self.available = tuple(available)
        super().__init__(
            f"no site profile {site_id!r} in the content bundle; "
            f"available: {', '.join(self.available) or 'none'}"
        )


@dataclass(frozen=True)
class Booklet:
    """What was written: `pages` A5 pages (blank note pages included), printed on
    `sides` PDF pages; for the folded order `sheets` sheets of paper, duplex."""

    path: Path
    order: PageOrder
    pages: int
    sides: int
    sheets: int
    qr_links: dict[str, str]  # service id -> link printed as a QR code
    skipped_links: dict[str, str] = field(default_factory=dict)  # not on the allowlist


# ---------------------------------------------------------------- fonts, icons


@cache
def _register_fonts() -> None:
    # reportlab keeps fonts in a process-wide registry; names are ours, so once is enough.
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_REGULAR)))
    pdfmetrics.registerFont(TTFont(FONT_B, str(FONT_BOLD)))
    pdfmetrics.registerFont(TTFont(ICONS, str(ICON_FONT)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_B, italic=FONT, boldItalic=FONT_B)


@cache
def _codepoints() -> dict[str, int]:
    return json.loads(ICON_CODEPOINTS.read_text(encoding="utf-8"))


def _glyph(icon: str) -> str:
    cps = _codepoints()
    return chr(cps.get(icon, cps["help-circle"]))


def _style(size: float, bold: bool = False, **kw: object) -> ParagraphStyle:
    kw.setdefault("textColor", black)
    return ParagraphStyle(
        f"s{size}{bold}",
        fontName=FONT_B if bold else FONT,
        fontSize=size,
        leading=round(size * 1.28, 1),
        **kw,
    )


def _p(text: str, size: float = BODY, bold: bool = False, **kw: object) -> Paragraph:
    return Paragraph(escape(text), _style(size, bold, **kw))


# ---------------------------------------------------------------- flowables


class Pictogram(Flowable):
    """A Material Design Icons glyph, the same picture as on the terminal."""

    def __init__(self, icon: str, size: float, color: Color = black, h_align: str = "LEFT"):
        super().__init__()
        self.icon, self.size, self.color = icon, size, color
        self.hAlign = h_align

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_pictogram(self.canv, self.icon, 0, 0, self.size, self.color)


def draw_pictogram(
    canv: Canvas, icon: str, x: float, y: float, size: float, color: Color = black
) -> None:
    """The glyph filling the square whose lower-left corner is (x, y)."""
    # MDI glyphs fill the em box from the descent line up.
    _, descent = pdfmetrics.getAscentDescent(ICONS, size)
    canv.saveState()
    canv.setFillColor(color)
    canv.setFont(ICONS, size)
    canv.drawString(x, y - descent, _glyph(icon))
    canv.restoreState()


class Row(Flowable):
    """A picture (or a checkbox) at the left of a paragraph."""

    def __init__(self, body: Flowable, icon: str = "", box: bool = False, size: float = 9 * mm):
        super().__init__()
        self.body, self.icon, self.box, self.size = body, icon, box, size
        self.gap = 3.5 * mm
        self.spaceAfter = 2 * mm

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        _, self.body_h = self.body.wrap(aw - self.size - self.gap, ah)
        self.height = max(self.size, self.body_h)
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        top = self.height
        if self.box:
            side = self.size * 0.62
            c.setLineWidth(1.4)
            c.setStrokeColor(black)
            c.rect(self.size * 0.1, top - side - 1.5 * mm, side, side, stroke=1, fill=0)
        elif self.icon:
            draw_pictogram(c, self.icon, 0, top - self.size, self.size)
        self.body.drawOn(c, self.size + self.gap, top - self.body_h)

    def split(self, aw: float, ah: float) -> list[Flowable]:
        # Only a text longer than a page needs this; the picture stays with its start.
        parts = self.body.split(aw - self.size - self.gap, ah)
        if len(parts) < 2:
            return []
        first = Row(parts[0], self.icon, self.box, self.size)
        rest = [Row(p, size=self.size) for p in parts[1:]]
        return [first, *rest]


class Stack(Flowable):
    """Flowables kept together on one page (a heading with its items), unless
    they are taller than a page."""

    def __init__(self, parts: list[Flowable]):
        super().__init__()
        self.parts = parts

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.sizes = [p.wrap(aw, ah) for p in self.parts]
        self.width = aw
        self.height = sum(
            h + p.getSpaceAfter() for p, (_, h) in zip(self.parts, self.sizes, strict=True)
        )
        return aw, self.height

    def draw(self) -> None:
        y = self.height
        for p, (w, h) in zip(self.parts, self.sizes, strict=True):
            y -= h
            p.drawOn(self.canv, 0, y, _sW=self.width - w)
            y -= p.getSpaceAfter()


class Header(Flowable):
    """A section's big pictogram beside its title, with an optional small line
    above (kicker) and a plain sentence below (the service's summary)."""

    def __init__(self, icon: str, title: str, kicker: str = "", summary: str = ""):
        super().__init__()
        self.icon = icon
        self.size = 20 * mm
        self.parts = [
            p
            for p in (
                _p(kicker, 13, textColor=GREY) if kicker else None,
                _p(title, TITLE, bold=True),
                _p(summary, 17, spaceBefore=1 * mm) if summary else None,
            )
            if p is not None
        ]
        self.spaceAfter = 4 * mm

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        text_w = aw - self.size - 4 * mm
        self.heights = [p.wrap(text_w, ah)[1] + p.getSpaceBefore() for p in self.parts]
        self.width = aw
        self.height = max(self.size, sum(self.heights))
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        draw_pictogram(c, self.icon, 0, self.height - self.size, self.size)
        y = self.height
        for p, h in zip(self.parts, self.heights, strict=True):
            y -= h
            p.drawOn(c, self.size + 4 * mm, y)


class LinkBox(Flowable):
    """The official link as a QR code and as short text, in a frame."""

    def __init__(self, url: str, label: str, caption: str, hint: str):
        super().__init__()
        self.url = url
        self.qr = 30 * mm
        self.pad = 3 * mm
        self.texts = [_p(caption, 14), _p(label, 20, bold=True), _p(hint, 13)]
        self.spaceAfter = 5 * mm

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        text_w = aw - self.qr - 3 * self.pad
        self.text_h = [t.wrap(text_w, ah)[1] for t in self.texts]
        self.width = aw
        self.height = max(self.qr, sum(self.text_h) + 2 * mm) + 2 * self.pad
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(black)
        c.setLineWidth(1.2)
        c.roundRect(0, 0, self.width, self.height, 3 * mm, stroke=1, fill=0)
        draw_qr(c, self.url, self.pad, (self.height - self.qr) / 2, self.qr)
        x = self.qr + 2 * self.pad
        y = self.height - self.pad
        for t, h in zip(self.texts, self.text_h, strict=True):
            y -= h
            t.drawOn(c, x, y)
            y -= 1 * mm


def draw_qr(canv: Canvas, url: str, x: float, y: float, size: float) -> None:
    """A QR code as vector squares, quiet zone included, so it scans at any print size."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = size / len(matrix)
    canv.saveState()
    canv.setFillColor(white)
    canv.rect(x, y, size, size, stroke=0, fill=1)
    canv.setFillColor(black)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            # A hair of overlap so no white seams show between runs.
            canv.rect(
                x + start * cell,
                y + size - (r + 1) * cell - 0.05,
                (c - start) * cell,
                cell + 0.1,
                stroke=0,
                fill=1,
            )
    canv.restoreState()


class WarningBox(Flowable):
    """Never give your PIN to anyone: a thick frame with the lock pictogram."""

    def __init__(self, title: str, text: str, big: bool = False):
        super().__init__()
        self.size = (26 if big else 16) * mm
        self.title = _p(title, 24 if big else 19, bold=True)
        self.text = _p(text, 18 if big else BODY)
        self.pad = 4 * mm
        self.spaceAfter = 5 * mm

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        text_w = aw - self.size - 3 * self.pad
        self.title_h = self.title.wrap(text_w, ah)[1]
        self.text_h = self.text.wrap(text_w, ah)[1]
        self.width = aw
        self.height = max(self.size, self.title_h + 2 * mm + self.text_h) + 2 * self.pad
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(black)
        c.setLineWidth(3)
        c.roundRect(0, 0, self.width, self.height, 3 * mm, stroke=1, fill=0)
        draw_pictogram(c, "shield-lock", self.pad, self.height - self.pad - self.size, self.size)
        x = self.size + 2 * self.pad
        y = self.height - self.pad - self.title_h
        self.title.drawOn(c, x, y)
        self.text.drawOn(c, x, y - 2 * mm - self.text_h)


class Badge(Flowable):
    """A short warning in a box as wide as its words: "Example: replace this"."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text
        self.size = 14
        self.pad = 2 * mm
        self.spaceAfter = 3 * mm

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.para = _p(self.text, self.size, bold=True)
        text_w = min(pdfmetrics.stringWidth(self.text, FONT_B, self.size) + 1, aw - 2 * self.pad)
        _, text_h = self.para.wrap(text_w, ah)
        self.box = (text_w + 2 * self.pad, text_h + 2 * self.pad)
        return self.box

    def draw(self) -> None:
        w, h = self.box
        self.canv.setLineWidth(1.5)
        self.canv.setDash(4, 2)
        self.canv.rect(0, 0, w, h, stroke=1, fill=0)
        self.canv.setDash()
        self.para.drawOn(self.canv, self.pad, self.pad)


class ContentsRow(Flowable):
    """A pictogram, a title and its page number at the right edge."""

    def __init__(self, icon: str, title: str, page: int):
        super().__init__()
        self.icon, self.page = icon, str(page)
        self.size = 8 * mm
        self.title = _p(title, BODY)
        self.spaceAfter = 2 * mm

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.num_w = pdfmetrics.stringWidth("000", FONT_B, BODY)
        _, self.title_h = self.title.wrap(aw - self.size - self.num_w - 7 * mm, ah)
        self.width = aw
        self.height = max(self.size, self.title_h)
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        draw_pictogram(c, self.icon, 0, self.height - self.size, self.size)
        self.title.drawOn(c, self.size + 3.5 * mm, self.height - self.title_h)
        c.setFont(FONT_B, BODY)
        c.drawRightString(self.width, self.height - BODY, self.page)


class NoteLines(Flowable):
    """Ruled lines for notes, filling what is left of the page."""

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, max(ah - 1, 0)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        y = self.height - 12 * mm
        while y > 0:
            c.line(0, y, self.width, y)
            y -= 12 * mm


# ---------------------------------------------------------------- sections


@dataclass
class Section:
    """A run of pages: what the contents list shows and how its story is made."""

    key: str
    title: str
    icon: str
    story: Callable[[dict[str, int]], list[Flowable]]  # given each section's first page
    in_contents: bool = True
    numbered: bool = True
    draw: Callable[[Canvas, dict[str, int]], None] | None = None  # whole-page drawing


class _Writer:
    """Builds the sections of one booklet from the bundle."""

    def __init__(
        self, bundle: Bundle, site: Site, lang: str, allowlist: Sequence[str], keymap: KeyMap
    ):
        self.bundle, self.site, self.lang = bundle, site, lang
        self.keymap = keymap
        self.allowlist = tuple(allowlist)
        self.qr_links: dict[str, str] = {}
        self.skipped: dict[str, str] = {}
        self.all_sections: list[Section] = []  # what the contents page lists

    def s(self, key: str, **kw: object) -> str:
        return self.bundle.string(key, self.lang, **{k: str(v) for k, v in kw.items()})

    # Which services go where: the e-signature page, the help page, the rest.
    def service_order(self) -> list[Service]:
        seen: list[str] = []
        for g in self.bundle.groups:
            seen += [s for s in g.services if s not in seen]
        seen += [s for s in self.bundle.services if s not in seen]
        return [self.bundle.services[s] for s in seen]

    @staticmethod
    def is_help(service: Service) -> bool:
        return any(st.kind == StepKind.HELP_POINTS for st in service.steps)

    def sections(self) -> list[Section]:
        services = self.service_order()
        esign = self.bundle.services.get(ESIGN_SERVICE)
        helpers = [s for s in services if self.is_help(s) and s is not esign]
        plain = [s for s in services if s is not esign and s not in helpers]
        out = [
            Section("cover", "", "", lambda _: [], False, False, draw=self.draw_cover),
            Section("contents", self.s("booklet.contents"), "", self.contents, False),
        ]
        self.all_sections = out  # filled below; the contents page reads it when laid out
        if esign is not None:
            out.append(
                Section(
                    f"service:{esign.id}",
                    esign.title(self.lang),
                    esign.icon,
                    lambda pages, svc=esign: self.service_story(
                        svc, pages, kicker=self.s("booklet.esign_kicker"), pin=True
                    ),
                )
            )
        for svc in plain:
            out.append(
                Section(
                    f"service:{svc.id}",
                    svc.title(self.lang),
                    svc.icon,
                    lambda pages, svc=svc: self.service_story(svc, pages),
                )
            )
        out.append(
            Section(
                "help",
                self.s("booklet.help_title", district=self.site.name(self.lang)),
                "map-marker",
                lambda pages: self.help_story(helpers),
            )
        )
        out.append(Section("keys", self.s("booklet.keys_title"), "keyboard", self.keys_story))
        return out

    def keys_story(self, _pages: dict[str, int]) -> list[Flowable]:
        """The key card: this terminal's own keys ([access] in its config), each
        action's keys in words (as the voice says them: "aşağı ox, 2", never a
        Kivy name like numpad2) and what they do, one row an action."""
        strings = self.bundle.strings
        story: list[Flowable] = [Header("keyboard", self.s("booklet.keys_title"))]
        story.append(Row(_p(self.s("booklet.keys_start"), bold=True), icon="numeric"))
        for action in HELP_ORDER:
            keys = key_words(strings, self.keymap, action, self.lang, limit=0)
            does = strings[f"access.does.{action.value}"](self.lang)
            body = Paragraph(
                f"<b>{escape(keys)}</b> — {escape(does)}", _style(KEY_CARD_SIZE, False)
            )
            story.append(Row(body, icon=KEY_CARD_ICONS[action], size=7.5 * mm))
        touch = _p(strings[TOUCH](self.lang), KEY_CARD_SIZE)
        story.append(Row(touch, icon="gesture-double-tap", size=7.5 * mm))
        for row in story[2:]:
            row.spaceAfter = 1.5 * mm  # the whole card on one page
        return story

    # -- stories

    def contents(self, pages: dict[str, int]) -> list[Flowable]:
        story: list[Flowable] = [Header("format-list-bulleted", self.s("booklet.contents"))]
        for sec in self.all_sections:
            if sec.in_contents:
                story.append(ContentsRow(sec.icon, sec.title, pages.get(sec.key, 0)))
        return story

    def sentences(self, svc: Service) -> list[tuple[str, str]]:
        """The steps' screen texts a reader can act on, once each, with their pictograms."""
        out: list[tuple[str, str]] = []
        seen = {svc.summary(self.lang).strip()}
        for st in svc.steps:
            if st.kind not in (StepKind.INFO, StepKind.ONLINE):
                continue
            text = st.text(self.lang).strip()
            if text and text not in seen:
                seen.add(text)
                if st.provenance.unconfirmed:  # never printed as certain: whom to ask
                    text += " " + caution(self.bundle, st.provenance)(self.lang)
                    out.append(("account-question", text))
                else:
                    out.append((st.icon, text))
        return out

    def link_box(self, svc: Service) -> list[Flowable]:
        if not svc.link:
            return []
        try:
            link = canonical_link(svc.link, self.allowlist)
        except LinkProblem:
            self.skipped[svc.id] = svc.link
            return []
        self.qr_links[svc.id] = link
        return [
            LinkBox(
                link,
                svc.link_label or svc.link,
                self.s("booklet.official_site"),
                self.s("booklet.scan"),
            )
        ]

    def documents(self, svc: Service) -> list[Flowable]:
        if not svc.documents:
            return []
        heading = _p(self.s("documents.title"), 19, bold=True, spaceBefore=2 * mm)
        heading.spaceAfter = 2.5 * mm
        rows: list[Flowable] = [
            Row(_p(self.document_line(svc, i)), box=True) for i in range(len(svc.documents))
        ]
        # The whole checklist on one page: a reader ticks it off in one place.
        return [Stack([heading, *rows])]

    def document_line(self, svc: Service, i: int) -> str:
        """A checklist line; an unconfirmed one says so and whom to ask."""
        text = svc.documents[i](self.lang)
        if (mark := svc.document_provenance(i)).unconfirmed:
            text += " — " + caution(self.bundle, mark)(self.lang)
        return text

    def service_story(
        self, svc: Service, pages: dict[str, int], kicker: str = "", pin: bool = False
    ) -> list[Flowable]:
        title, summary = svc.title(self.lang), svc.summary(self.lang)
        story: list[Flowable] = [Header(svc.icon, title, kicker, summary)]
        story += self.link_box(svc)
        story += [Row(_p(text), icon=icon) for icon, text in self.sentences(svc)]
        if svc.needs_esign and svc.id != ESIGN_SERVICE:
            note = self.s("booklet.needs_esign")
            if f"service:{ESIGN_SERVICE}" in pages:
                note += " " + self.s("booklet.see_page", page=pages[f"service:{ESIGN_SERVICE}"])
            story.append(Row(_p(note, bold=True), icon="cellphone-key"))
        story += self.documents(svc)
        if pin:
            story.append(Spacer(1, 3 * mm))
            story.append(WarningBox(self.s("booklet.pin_title"), self.s("booklet.pin_text")))
        return story

    def help_story(self, helpers: list[Service]) -> list[Flowable]:
        lang = self.lang
        # The help services' own titles ("Where is free help?") lead into the page.
        kicker = " · ".join(svc.title(lang) for svc in helpers)
        title = self.s("booklet.help_title", district=self.site.name(lang))
        story: list[Flowable] = [Header("map-marker", title, kicker)]
        for point in self.site.shown_points:
            name = _p(point.name(lang), 19, bold=True)
            name.spaceAfter = 2 * mm
            head: list[Flowable] = [name]
            # Only what was checked: an address or hours no source gave are left out.
            rows: list[Flowable] = [
                Row(_p(text), icon=icon)
                for text, icon in (
                    (point.address(lang), "map-marker"),
                    (point.hours(lang), "clock-outline"),
                )
                if text
            ]
            if point.phone:
                rows.append(Row(_p(self.s("booklet.phone", phone=point.phone)), icon="phone"))
            if not rows:
                name.spaceAfter = 6 * mm
                story.append(Stack(head))
                continue
            rows[-1].spaceAfter = 6 * mm
            story += [Stack([*head, rows[0]]), *rows[1:]]
        if self.site.volunteer_phone:
            story.append(
                Row(
                    _p(
                        self.s("booklet.volunteer_phone", phone=self.site.volunteer_phone),
                        bold=True,
                    ),
                    icon="account-voice",
                )
            )
        for svc in helpers:
            # Each helper service under its own title, its QR code right below it.
            head = _p(svc.title(lang), 17, bold=True)
            head.spaceBefore, head.spaceAfter = 4 * mm, 2 * mm
            story.append(KeepTogether([head, *self.link_box(svc)]))
            story += [Row(_p(text), icon=icon) for icon, text in self.sentences(svc)]
        return story

    # -- whole pages

    def edition(self) -> str:
        # The day the content's pages were last read (each service's [sources]).
        days = [src.checked for s in self.bundle.services.values() for src in s.sources.values()]
        checked = max((d for d in days if d), default="")
        return self.s("booklet.edition", version=self.bundle.version, checked=checked or "—")

    def draw_cover(self, c: Canvas, pages: dict[str, int]) -> None:
        name = self.site.name(self.lang)
        frame = Frame(MARGIN, MARGIN, PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN, 0, 0, 0, 0)
        story: list[Flowable] = [
            _p(self.s("attract.title"), 20, bold=True, alignment=TA_CENTER),
            Spacer(1, 14 * mm),
            Pictogram("hand-heart", 42 * mm, h_align="CENTER"),
            Spacer(1, 8 * mm),
            _p(name, 44, bold=True, alignment=TA_CENTER),
            Spacer(1, 8 * mm),
            _p(self.s("booklet.cover_title"), 26, bold=True, alignment=TA_CENTER),
            Spacer(1, 6 * mm),
            _p(self.s("booklet.cover_subtitle"), 18, alignment=TA_CENTER),
        ]
        _fill(frame, story, c)
        c.setFont(FONT, 11)
        c.setFillColor(GREY)
        c.drawCentredString(PAGE_W / 2, MARGIN, self.edition())

    def draw_back(self, c: Canvas, pages: dict[str, int]) -> None:
        frame = Frame(MARGIN, MARGIN, PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN, 0, 0, 0, 0)
        story: list[Flowable] = [
            Spacer(1, 10 * mm),
            WarningBox(self.s("booklet.pin_title"), self.s("booklet.pin_text"), big=True),
            Spacer(1, 8 * mm),
            Row(
                Paragraph(
                    escape(self.s("booklet.help_title", district=self.site.name(self.lang)))
                    + "<br/>"
                    + escape(self.s("booklet.see_page", page=pages.get("help", 0))),
                    _style(18, bold=True),
                ),
                icon="map-marker",
                size=12 * mm,
            ),
            Spacer(1, 4 * mm),
            Row(_p(self.s("booklet.check_site")), icon="web", size=12 * mm),
        ]
        _fill(frame, story, c)
        c.setFont(FONT, 11)
        c.setFillColor(GREY)
        c.drawCentredString(PAGE_W / 2, MARGIN, self.edition())

    def notes_story(self) -> list[Flowable]:
        return [Header("pencil", self.s("booklet.notes")), NoteLines()]


def _fill(frame: Frame, story: list[Flowable], canv: Canvas) -> None:
    """Put as much of `story` in `frame` as fits, splitting paragraphs; consumes it."""
    placed = False
    while story:
        head = story[0]
        if frame.add(head, canv, trySplit=0):
            story.pop(0)
            placed = True
            continue
        parts = frame.split(head, canv)
        if len(parts) > 1 and frame.add(parts[0], canv, trySplit=0):
            story[0:1] = parts[1:]
            placed = True
            continue
        if not placed and isinstance(head, Stack):
            # Taller than a whole page: let its parts flow after all.
            story[0:1] = head.parts
            continue
        if not placed:
            raise BookletError(
                f"a block of the booklet is taller than a page ({type(head).__name__}); "
                "shorten its text in the content"
            )
        return


# ---------------------------------------------------------------- pages


class _Pages:
    """Lays sections out on A5 pages, each kept as a PDF form named p<n>."""

    def __init__(self, canv: Canvas, writer: _Writer):
        self.canv, self.w = canv, writer
        self.count = 0

    def page(self, numbered: bool, draw: Callable[[Canvas], None]) -> None:
        self.count += 1
        c = self.canv
        c.beginForm(f"p{self.count}", 0, 0, PAGE_W, PAGE_H)
        c.setFillColor(white)
        c.rect(0, 0, PAGE_W, PAGE_H, stroke=0, fill=1)
        c.setFillColor(black)
        draw(c)
        if numbered:
            c.setFont(FONT_B, 14)
            c.setFillColor(black)
            c.drawCentredString(PAGE_W / 2, MARGIN - 3 * mm, str(self.count))
        c.endForm()

    def section(self, sec: Section, pages: dict[str, int]) -> int:
        first = self.count + 1
        if sec.draw is not None:
            self.page(sec.numbered, lambda c: sec.draw(c, pages))
            return first
        story = sec.story(pages)
        cont = self.w.s("booklet.continued")
        top = True
        while story or top:

            def draw(c: Canvas, top: bool = top) -> None:
                h = PAGE_H - 2 * MARGIN - FOOTER
                if not top:
                    c.setFont(FONT, 13)
                    c.setFillColor(GREY)
                    c.drawString(MARGIN, PAGE_H - MARGIN - 10, f"{sec.title} {cont}")
                    c.setFillColor(black)
                    h -= 9 * mm
                frame = Frame(MARGIN, MARGIN + FOOTER, PAGE_W - 2 * MARGIN, h, 0, 0, 0, 0)
                _fill(frame, story, c)

            self.page(sec.numbered, draw)
            top = False
        return first


def _lay_out(
    canv: Canvas, w: _Writer, pages: dict[str, int], pad_to: int
) -> tuple[int, dict[str, int]]:
    """Draw every page as a form; (number of pages, section key -> first page)."""
    layout = _Pages(canv, w)
    starts: dict[str, int] = {}
    for sec in w.sections():
        starts[sec.key] = layout.section(sec, pages)
    # Blank pages for notes, so the folded booklet ends on its back cover.
    while (layout.count + 1) % pad_to:
        layout.section(
            Section("notes", "", "", lambda _: w.notes_story(), in_contents=False), pages
        )
    layout.page(False, lambda c: w.draw_back(c, pages))
    return layout.count, starts


def saddle_order(pages: int) -> list[tuple[int, int]]:
    """Page pairs (left, right) for each printed side, front then back, sheet by
    sheet, for a stack that is folded once in the middle. `pages` is a multiple of 4."""
    if pages % 4:
        raise ValueError("a folded booklet needs a multiple of 4 pages")
    sides = []
    for i in range(pages // 4):
        sides.append((pages - 2 * i, 1 + 2 * i))  # front
        sides.append((2 + 2 * i, pages - 1 - 2 * i))  # back
    return sides


def build_booklet(
    bundle: Bundle,
    site_id: str,
    lang: str,
    out: Path,
    imposition: bool,
    *,
    allowlist: Sequence[str] = DEFAULT_ALLOWLIST,
    keymap: KeyMap | None = None,
) -> Booklet:
    """Write the booklet for district `site_id` in `lang` to `out` (a PDF).

    imposition=False: A4 portrait pages in reading order. True: A4 landscape
    sheets to print on both sides (flip on the short edge), stack and fold to A5.
    keymap: the terminal's keys for the key card (its [access] settings); None
    prints the default keys.
    Raises UnknownSite or BookletError with a message for the admin.
    """
    if keymap is None:
        from kiosk.core.settings import KIOSK_SETTINGS, validate_values

        keymap = KeyMap.from_settings(validate_values({}, KIOSK_SETTINGS, "booklet"))
    if site_id not in bundle.sites:
        raise UnknownSite(site_id, sorted(bundle.sites))
    if lang not in bundle.language_codes:
        raise BookletError(
            f"language {lang!r} is not in the content bundle; it has {', '.join(bundle.language_codes)}"
        )
    missing = [k for k in BOOKLET_STRINGS if k not in bundle.strings]
    if missing:
        raise BookletError(
            "strings.toml of the content bundle lacks "
            + ", ".join(missing)
            + " (copy them from the default content)"
        )
    _register_fonts()
    order = PageOrder.A5_FOLD if imposition else PageOrder.A4
    pad_to = 4 if imposition else 1
    site = bundle.sites[site_id]
    bundle = for_site(bundle, site)  # "the place for X in this district", filled in

    # Dry runs until the page numbers printed in the contents settle: they change
    # the text, which could move the pages they point to.
    starts: dict[str, int] = {}
    for _ in range(4):
        dry = _Writer(bundle, site, lang, allowlist, keymap)
        _, seen = _lay_out(Canvas(io.BytesIO(), initialFontName=FONT), dry, starts, pad_to)
        if seen == starts:
            break
        starts = seen

    w = _Writer(bundle, site, lang, allowlist, keymap)
    sheet = landscape(A4) if imposition else A4
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    canv = Canvas(str(out), pagesize=sheet, initialFontName=FONT, pageCompression=1)
    canv.setTitle(f"{bundle.string('booklet.cover_title', lang)} — {site.name(lang)}")
    canv.setAuthor("Kömək")
    canv.setSubject(w.edition())
    canv.setCreator("kiosk booklet")
    count, final = _lay_out(canv, w, starts, pad_to)
    if final != starts:
        raise BookletError("the contents' page numbers do not settle; report this as a bug")

    if imposition:
        sides = saddle_order(count)
        sheet_w, sheet_h = sheet
        for left, right in sides:
            for n, x in ((left, sheet_w / 2 - PAGE_W), (right, sheet_w / 2)):
                canv.saveState()
                canv.translate(x, (sheet_h - PAGE_H) / 2)
                canv.doForm(f"p{n}")
                canv.restoreState()
            canv.showPage()
        n_sides = len(sides)
    else:
        scale = min(A4[0] / PAGE_W, A4[1] / PAGE_H)
        for n in range(1, count + 1):
            canv.saveState()
            canv.translate((A4[0] - PAGE_W * scale) / 2, (A4[1] - PAGE_H * scale) / 2)
            canv.scale(scale, scale)
            canv.doForm(f"p{n}")
            canv.restoreState()
            canv.showPage()
        n_sides = count
    canv.save()
    return Booklet(
        path=out,
        order=order,
        pages=count,
        sides=n_sides,
        sheets=count // 4 if imposition else 0,
        qr_links=dict(w.qr_links),
        skipped_links=dict(w.skipped),
    )
