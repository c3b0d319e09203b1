"""One step of a guided flow: a picture, one or two sentences, and the step's
own part (choices, a documents checklist, the official link as a QR code, the
free help points, or the finish choices)."""

from __future__ import annotations

import re
from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty

from kiosk.core.content.model import Action, Provenance, StepKind, Text
from kiosk.core.content.provenance import caution
from kiosk.core.narration.script import Line, choice_label, choice_said, step_lines
from kiosk.ui.hyphen import broken, unbroken
from kiosk.ui.images import qr_texture
from kiosk.ui.screens import KioskScreen, load_kv, pages_by_height, tight_tile
from kiosk.ui.theme import text_height, text_width

load_kv(__file__)


UNCONFIRMED_ICON = "account-question"  # not confirmed: ask a person (as on the slip)
LINE_NUMBER = "142"  # the information line an unconfirmed fact sends residents to
COMPACT_PAGE = 2  # choices at a time on a compact screen (two 20 mm rows beside "more")
# As step.kv draws them: the step's picture on a 7-inch panel (twice that on a
# large one, unless a long checklist needs its room), a checklist row's least
# height (and its bullet's width on a compact screen; BULLET_MM on a large one),
# the bullet's gap to the words.
PICTURE_MM, ROW_MM, BULLET_GAP_MM, BULLET_MM = 20, 10, 3, 14
# The step's frame (step.kv): padding and spacing on a compact screen, on a large one.
FRAME_PAD_MM, FRAME_GAP_MM = (2, 5), (2, 4)
POINT_AIR_MM = 1  # air under a help point's lines on a compact screen (step.kv)
ICON_ROOM = 1.3
# Where a sentence too long for a page of large letters may go on to the next one.
CLAUSE_END = re.compile(r"(?<=[,:;])\s+|\s+(?=[—–]\s)")
SENTENCE_END = re.compile(
    r"(?<=[.!?])\s+"
)  # where a long step's words may go to a new page  # a compact button's picture beside its words: its size times this (widgets.kv)


def joined(pieces: list[str]) -> str:
    """A page's pieces of words as they stand: one after another, a piece that ends
    its line (an online step's link) followed by the next on a new line."""
    return " ".join(pieces).replace("\n ", "\n").rstrip("\n")


class StepScreen(KioskScreen):
    show_picture = BooleanProperty(True)  # a compact screen gives the picture's room to the text
    # A large screen's checklist too long beside the large picture: a 7-inch panel's picture.
    small_picture = BooleanProperty(False)
    page = 0  # which page of items a compact screen shows
    pages = 1  # how many pages the shown step's items take
    _page_of: tuple[str, str] | None = None
    _more_in_row: Any = None  # "more" beside Next
    _more_below: Any = None  # "more" under the list (a compact portrait screen's row is narrow)
    _caution: Any = None  # the note on an unconfirmed fact
    shown_items: list[Any] = []

    @property
    def title_in_compact(self) -> bool:  # type: ignore[override]
        """A compact screen gives the title's row to the code, link and sentence of an
        online step, a compact portrait one also to the help points (the service's
        name was said on its first step)."""
        nav = self.app.navigator
        if not self.app.theme.compact or nav.position is None:
            return True
        if nav.step.kind == StepKind.ONLINE:  # also between a compact screen's side rails
            return False
        return not self.app.theme.narrow or nav.step.kind != StepKind.HELP_POINTS

    @property
    def offers_help(self) -> bool:  # type: ignore[override]
        """Not twice: a step whose own choices call a helper hides the bar's button."""
        return not any(c.action == Action.HELP for c in self.app.navigator.step.choices)

    def prepare(self, **kwargs: Any) -> None:
        app = self.app
        nav = app.navigator
        step, service, lang = nav.step, nav.service, app.lang
        bundle = app.terminal.bundle
        self.ids.picture.name = step.icon
        self.ids.words.text = step.text(lang)
        self.ids.frame.spacing = self._frame_gap()  # as step.kv
        self.small_picture = False
        body = self.ids.body
        body.clear_widgets()
        body.spacing = app.theme.mm(2)  # as step.kv
        self.ids.next.opacity = 1 if nav.can_go_next() else 0
        self.ids.next.disabled = not nav.can_go_next()
        self.ids.next.text = bundle.string("nav.next", lang)
        self.ids.next.line = Line(bundle.strings["nav.next"], lang)
        compact = app.theme.compact
        theme = app.theme
        # On a compact screen a hidden Next gives its row to the step's own part.
        self.ids.next_row.height = theme.button if nav.can_go_next() or not compact else 0
        if theme.tight:
            self._prepare_tight()
            return
        # An unconfirmed fact is never shown as certain: a note under the words sends
        # the resident to a person (the voice says it too: step_lines).
        self._caution = None
        if (doubt := self._doubt()) is not None:
            self._caution = Factory.CautionBox()
            self._caution.text = self._caution_words(caution(bundle, doubt)(lang))
            self._caution.height = self._caution_height(self._caution.text)
            if compact and self._caution.height > self._room_for_caution(step.text(lang)):
                # Too little room for the sentence: the picture and the line's number
                # (the voice says whom to ask; "Call a helper" is on every screen).
                self._caution.text = LINE_NUMBER
                self._caution.height = self._caution_height(LINE_NUMBER)
            if step.kind != StepKind.DOCUMENTS:  # a checklist has it under its lines
                body.add_widget(self._caution)
        # Each word whole on its line: a very long word gets the smallest letters.
        self.ids.words.font_size = theme.body
        small = theme.small_panel
        if small and self._longest_word(step.text(lang), theme.body) > self._words_width(False):
            self.ids.words.font_size = theme.label
        elif small and self._caution is not None:
            # The note takes its room: on a 7-inch screen the words get the smaller letters.
            self.ids.words.font_size = theme.label
        elif compact and text_height(step.text(lang), theme.body, self._words_width(False)) > (
            self._room()
        ):
            self.ids.words.font_size = theme.label  # and a page at a time if still too long
        # A compact screen shows a step's picture only where its words still fit beside it.
        self.show_picture = not compact or (
            step.kind == StepKind.INFO and self._words_fit_beside_picture(step.text(lang))
        )
        if self._page_of != (service.id, step.id):
            self._page_of, self.page = (service.id, step.id), 0
        if self._more_in_row is not None:
            self.ids.next_row.remove_widget(self._more_in_row)
            self._more_in_row = None
        self._more_below = None
        self._left = float("inf")  # the height a compact screen's list leaves (_paged)
        self.pages = 1
        self.shown_items: list[Any] = []  # the texts of the items on this page, for "more"
        self.ids.progress.filled, self.ids.progress.count = nav.progress()

        if step.kind in (StepKind.QUESTION, StepKind.FINISH):
            row = Factory.ChoiceRow()
            choices = list(enumerate(step.choices))
            # A compact portrait screen stacks as many full-width choices as fit.
            least: dict[int, float] = {}  # each choice's height there, measured once
            if theme.narrow:
                least = {i: self._choice_height(choice_label(bundle, c)(lang)) for i, c in choices}
                choices = self._paged(choices, list(least.values()), theme.pad)
            paged = compact and not theme.narrow and len(choices) > COMPACT_PAGE
            if paged:
                choices = self.page_of(choices)
            for i, choice in choices:
                style = (
                    "primary"
                    if choice.action == Action.SLIP
                    else ("help" if choice.action == Action.HELP else "normal")
                )
                label = choice_label(bundle, choice)
                button = Factory.ChoiceButton(icon=choice.icon, text=label(lang), style=style)
                button.line = Line(choice_said(bundle, choice), lang)
                button.bind(on_release=lambda b, i=i: app.touch_choice(b, lambda: app.choose(i)))
                if i in least:  # never shorter than its words
                    button.size_hint_min_y = least[i]
                row.add_widget(button)
                self.shown_items.append(label)
            if paged:
                for _ in range(COMPACT_PAGE - len(choices)):
                    row.add_widget(Factory.Widget())  # the last page keeps the rows' size
                page_row = Factory.BoxLayout(spacing=app.theme.pad)
                page_row.add_widget(row)
                page_row.add_widget(self.more_button())
                row = page_row
            body.add_widget(row)
        elif step.kind == StepKind.DOCUMENTS:
            body.spacing = 0 if not compact else theme.mm(2)  # rows keep their own air
            documents = list(service.documents)
            bullet = ROW_MM if compact else BULLET_MM  # as step.kv
            width = self._body_size()[0] - theme.mm(bullet + BULLET_GAP_MM)
            heights = [
                max(theme.mm(ROW_MM), text_height(d(lang), self._list_size(), width))
                for d in documents
            ]
            whole = sum(heights) + body.spacing * (len(heights) - 1)
            if self.show_picture and not theme.small_panel and whole > self._body_size()[1]:
                # The whole list on one screen rather than a page of it: the picture
                # takes a 7-inch panel's size (the words beside it stay as they are).
                self.small_picture = True
            note = self._caution
            if note is not None and max(heights) > self._body_size()[1]:
                # A line would not fit a page beside the whole note: the note's
                # picture and the line's number (the voice says it all).
                note.text = LINE_NUMBER
                note.height = self._caution_height(LINE_NUMBER)
            # As many as fit; "more" sits beside Next, so the list keeps the middle.
            documents = self._paged(documents, heights, spacing=body.spacing, fold=True)
            unsure = {
                id(d)
                for i, d in enumerate(service.documents)
                if service.document_provenance(i).unconfirmed
            }
            for doc in documents:
                row = Factory.ChecklistRow()
                row.text = doc(lang)
                if id(doc) in unsure:
                    row.icon = UNCONFIRMED_ICON
                body.add_widget(row)
                self.shown_items.append(doc)
            if self._caution is not None and not unsure & {id(d) for d in documents}:
                self._caution = None  # this page's lines are all confirmed
        elif step.kind == StepKind.ONLINE:
            panel = Factory.OnlinePanel()
            (panel.ids.top_link if theme.rails else panel.ids.link).text = service.link_label
            scan = bundle.string("online.scan", lang)
            if compact:
                self._online_page(panel, step.text(lang), scan)
            else:
                panel.ids.scan.text = scan
            if panel.ids.qr.opacity:
                panel.ids.qr.texture = qr_texture(
                    service.link, app.terminal.settings["links.allowlist"]
                )
            body.add_widget(panel)
        elif step.kind == StepKind.INFO and compact:
            self._paged_words(step.text(lang))
        elif step.kind == StepKind.HELP_POINTS:
            # A compact screen puts a point's address and phone on one line where they fit.
            points = [
                (p.name(lang), self._point_details(p, ", " if compact else "\n"))
                for p in app.terminal.site.shown_points
            ]
            if compact:
                # One under another, as many as fit, and "more" beside Next for the rest.
                grid = Factory.HelpPointGrid(cols=1)
                size = theme.label
                width = self._body_size()[0]
                heights = [
                    text_height(name, size, width, bold=True)
                    + text_height(details, size, width)
                    + theme.mm(POINT_AIR_MM)
                    for name, details in points
                ]
                points = self._paged(points, heights, spacing=grid.spacing[1])
            else:
                # Side by side, so several points fit without scrolling; smaller type for three or more.
                grid = Factory.HelpPointGrid(cols=min(len(points), 3))
                size = theme.label if len(points) <= 2 else theme.small
            for name, details in points:
                row = Factory.HelpPointRow()
                row.text_size_px = size
                row.ids.name.text = name
                row.ids.details.text = details
                row.ids.example.text = ""
                grid.add_widget(row)
                self.shown_items.append(Text({lang: f"{name}. {details}"}))
            body.add_widget(grid)
        if step.kind == StepKind.DOCUMENTS and self._caution is not None:
            body.add_widget(self._caution)  # under the line it is about
        # A filler keeps the list (or the caution) at the top; a list that fills the
        # body needs none (the body's spacing before it would push the list out).
        listed = step.kind in (StepKind.DOCUMENTS, StepKind.HELP_POINTS)
        if (listed or (step.kind == StepKind.INFO and self._caution is not None)) and (
            self._left >= body.spacing
        ):
            body.add_widget(Factory.Widget())
        if self._more_below is not None:
            body.add_widget(self._more_below)

    # -- large letters on a 7-inch panel (theme.tight) ---------------------------
    def _prepare_tight(self) -> None:
        """Large letters on a 7-inch panel: the step in pages that fit, in reading
        order: its words by whole sentences (a sentence taller than a page by its
        clauses, then by words), the note on an unconfirmed fact, then its own part
        one item a row (choices, checklist lines, help points); an online step's code
        first, on a page of its own. "More" in the bottom bar turns the page (and
        says it); all of it is said when the step opens."""
        app = self.app
        theme, nav, lang = app.theme, app.navigator, app.lang
        step, service, bundle = nav.step, nav.service, app.terminal.bundle
        body = self.ids.body
        if self._page_of != (service.id, step.id):
            self._page_of, self.page = (service.id, step.id), 0
        if self._more_in_row is not None:
            self.ids.next_row.remove_widget(self._more_in_row)
            self._more_in_row = None
        self._more_below = None
        self._caution = None
        self.show_picture = False  # the words keep the width
        self.ids.progress.filled, self.ids.progress.count = nav.progress()
        width = self._words_width(False)
        words = step.text(lang)
        scan = bundle.string("online.scan", lang) if step.kind == StepKind.ONLINE else ""
        size = theme.body
        if self._longest_word(f"{words} {scan}", size) > width:
            size = theme.label
        # A word wider than a line: cut where a reader expects it (kiosk.ui.hyphen).
        words, scan = self._broken(words, size, width), self._broken(scan, size, width)
        self.ids.words.font_size = size
        room = self._room()
        full = self._content_width()
        blocks: list[tuple[float, Any, Any]] = []  # (height, widget maker, what "more" says)

        def item(height: float, make: Any, said: Any) -> None:
            blocks.append((height, make, said))

        link = ""  # an online step's link too wide for a line: on the words' page
        if step.kind == StepKind.ONLINE:
            # (above the code where it fits a line in its bold letters)
            above = text_width(service.link_label, theme.body) <= width
            make = lambda a=above: self._tight_code(service, a)  # noqa: E731
            item(room, make, Text({lang: service.link_label}))
            # (in lines of its own: the words begin the next line)
            link = "" if above else self._broken(service.link_label, size, width) + "\n"
        pieces = [
            p for text in (scan, words) if text for p in self._pieces(text, size, width, room)
        ]
        pieces = [link, *pieces] if link else pieces
        doubt = self._doubt()
        # The whole note on an unconfirmed fact, in framed parts that fit a page (the
        # picture on the first).
        notes: list[str] = []
        note_width = 0.0
        pad = theme.mm(1)  # as step.kv pads the note on a compact screen
        beside = full - theme.icon_small - 2 * pad - theme.mm(2)
        # A word too long to stand beside the picture: the picture in a frame of its
        # own above the words, which take the whole width.
        wide, bold = False, True
        if doubt is not None:
            said = caution(bundle, doubt)(lang)
            longest = max(text_width(w, theme.label) for w in said.split())
            wide = longest > beside
            note_width = full - 2 * pad if wide else beside
            bold = longest <= note_width
            said = self._broken(said, theme.label, note_width, bold)
            notes = self._pieces(said, theme.label, note_width, room - 2 * pad, bold=bold)

        def note_items() -> None:
            if wide:
                item(theme.mm(12), lambda: self._note("", True), None)
            for n, text in enumerate(notes):
                first = n == 0 and not wide
                make = lambda t=text, f=first: self._note(t, f, wide, bold)  # noqa: E731
                tall = text_height(text, theme.label, note_width, bold=bold)
                item(max(theme.mm(12), tall + 2 * pad), make, Text({lang: unbroken(text)}))

        if step.kind != StepKind.DOCUMENTS:
            note_items()
        if step.kind in (StepKind.QUESTION, StepKind.FINISH):
            for i, choice in enumerate(step.choices):
                label = choice_label(bundle, choice)
                tile = tight_tile(app, label(lang), True, full)
                item(tile[0], lambda i=i, c=choice, t=tile: self._choice(i, c, t), label)
        elif step.kind == StepKind.DOCUMENTS:
            inner = full - theme.mm(ROW_MM + BULLET_GAP_MM)
            unsure = [
                service.document_provenance(i).unconfirmed for i in range(len(service.documents))
            ]
            last = max((i for i, u in enumerate(unsure) if u), default=-1)
            for i, doc in enumerate(service.documents):
                # A line taller than a page goes on in rows of its own, without the bullet.
                mark = UNCONFIRMED_ICON if unsure[i] else "circle-medium"
                # A word too long to stand beside the bullet: the line takes the whole
                # width (the ask-a-person picture, if any, in a row above it).
                spread = self._longest_word(doc(lang), self._list_size()) > inner
                if spread and unsure[i]:
                    item(theme.mm(ROW_MM), lambda: self._checklist_row("", UNCONFIRMED_ICON), None)
                line_width = full if spread else inner
                cut = self._broken(doc(lang), self._list_size(), line_width)
                lines = self._pieces(cut, self._list_size(), line_width, room)
                for n, line in enumerate(lines):
                    high = max(theme.mm(ROW_MM), text_height(line, self._list_size(), line_width))
                    said = doc if len(lines) == 1 else Text({lang: unbroken(line)})
                    make = lambda t=line, m=(mark if n == 0 and not spread else ""), w=spread: (  # noqa: E731
                        self._checklist_row(t, m, w)
                    )
                    item(high, make, said)
                if i == last:  # the note under the last line it is about
                    note_items()
        elif step.kind == StepKind.HELP_POINTS:
            for p in app.terminal.site.shown_points:
                name = self._broken(p.name(lang), theme.label, full, bold=True)
                details = self._broken(self._point_details(p, ", "), theme.label, full)
                # Its name, then its address and phone, in rows that fit a page.
                rows = [(n, "") for n in self._pieces(name, theme.label, full, room, bold=True)]
                rest = self._pieces(details, theme.label, full, room) if details else []
                if rest and self._point_height(rows[-1][0], rest[0]) <= room:
                    rows[-1] = (rows[-1][0], rest.pop(0))
                rows += [("", r) for r in rest]
                for n, d in rows:
                    said = Text({lang: unbroken(f"{n}. {d}" if n and d else n or d)})
                    item(self._point_height(n, d), lambda n=n, d=d: self._point_row(n, d), said)
        pages = self._tight_pages(pieces, blocks, room, size, width, step.kind == StepKind.ONLINE)
        self.pages = len(pages)
        self.page %= self.pages
        shown, items = pages[self.page]
        self.ids.words.text = joined(shown)
        said = unbroken(joined(shown))  # (a word cut to fit is said whole)
        self.shown_items = [Text({lang: said})] if shown else []
        left = room - (text_height(joined(shown), size, width) if shown else 0)
        for n, (height, make, said) in enumerate(items):
            widget = make()
            if height < room or len(items) > 1:
                widget.size_hint_y, widget.height = None, height
            body.add_widget(widget)
            if said is not None:
                self.shown_items.append(said)
            left -= height + (body.spacing if n else 0)
        if items and left >= body.spacing:
            body.add_widget(Factory.Widget())  # the items stay at the top

    def _tight_pages(
        self,
        pieces: list[str],
        blocks: list[tuple[float, Any, Any]],
        room: float,
        size: int,
        width: float,
        code_first: bool,
    ) -> list[tuple[list[str], list[Any]]]:
        """The pages: each a run of the words' pieces, then items, no taller than `room`
        (an online step's code alone on the first)."""
        pages: list[tuple[list[str], list[Any]]] = []
        words: list[str] = []
        items: list[Any] = []
        spacing = self.ids.body.spacing

        def tall(run: list[str]) -> float:
            return text_height(joined(run), size, width) if run else 0

        def flush() -> None:
            nonlocal words, items
            if words or items:
                pages.append((words, items))
            words, items = [], []

        queue = list(blocks)
        if code_first:
            items = [queue.pop(0)]
            flush()
        for piece in pieces:
            if tall([*words, piece]) > room:
                flush()
            words.append(piece)
        used = tall(words)
        for block in queue:
            height = block[0]
            if (words or items) and used + (spacing if items else 0) + height > room:
                flush()
                used = 0
            used += (spacing if items else 0) + height
            items.append(block)
        flush()
        return pages or [([], [])]

    def _pieces(
        self, text: str, size: int, width: float, room: float, bold: bool = False
    ) -> list[str]:
        """The text's sentences; one taller than a page in its clauses (then in runs
        of words) that fit one."""
        out: list[str] = []

        def fits(words: str) -> bool:
            return text_height(words, size, width, bold=bold) <= room

        for sentence in SENTENCE_END.split(text.strip()):
            if fits(sentence):
                out.append(sentence)
                continue
            run = ""
            for clause in CLAUSE_END.split(sentence):
                for part in [clause] if fits(clause) else clause.split():
                    joined = f"{run} {part}" if run else part
                    if run and not fits(joined):
                        out.append(run)
                        joined = part
                    run = joined
            if run:
                out.append(run)
        return out

    def _broken(self, text: str, size: int, width: float, bold: bool = False) -> str:
        """The text with each word wider than a line of `width` cut where a reader
        expects it, a web address after a dot or slash (kiosk.ui.hyphen): in large
        letters a long word can be wider than a 7-inch panel's line, and the letters
        are never made smaller than the least."""
        return broken(text, self.app.lang, lambda part: text_width(part, size, bold) <= width)

    def _tight_code(self, service: Any, link: bool) -> Any:
        """An online step's first page: the code as large as the page allows, and its
        link above it where it fits a line (else it heads the words' first page)."""
        app = self.app
        panel = Factory.OnlinePanel()
        if link:
            (panel.ids.top_link if app.theme.rails else panel.ids.link).text = service.link_label
        panel.ids.qr.texture = qr_texture(service.link, app.terminal.settings["links.allowlist"])
        return panel

    def _note(self, text: str, first: bool = True, wide: bool = False, bold: bool = True) -> Any:
        note = Factory.CautionBox()
        note.text, note.bold = text, bold
        if not first:  # the note goes on: its picture was on the part before (or above)
            note.icon = ""
        note.wide = wide and bool(text)  # no picture's column (step.kv)
        return note

    def _choice(self, index: int, choice: Any, tile: tuple[float, bool, bool]) -> Any:
        app = self.app
        bundle = app.terminal.bundle
        style = (
            "primary"
            if choice.action == Action.SLIP
            else ("help" if choice.action == Action.HELP else "normal")
        )
        label = choice_label(bundle, choice)
        button = Factory.ChoiceButton(icon=choice.icon, text=label(app.lang), style=style)
        button.horizontal, button.bold = tile[1], tile[2]  # (screens.tight_tile)
        button.line = Line(choice_said(bundle, choice), app.lang)
        button.bind(on_release=lambda b: app.touch_choice(b, lambda: app.choose(index)))
        return button

    def _checklist_row(self, text: str, mark: str, wide: bool = False) -> Any:
        row = Factory.ChecklistRow()
        row.text = text
        row.icon = mark
        if wide:  # no bullet's column
            row.spacing, row.ids.mark.width = 0, 0
        return row

    def _point_height(self, name: str, details: str) -> float:
        """A help point's row (step.kv): its name, then its details, and the air under them."""
        theme = self.app.theme
        full = self._content_width()
        name_h = text_height(name, theme.label, full, bold=True) if name else 0
        details_h = text_height(details, theme.label, full) if details else 0
        return name_h + details_h + theme.mm(POINT_AIR_MM)

    def _point_row(self, name: str, details: str) -> Any:
        row = Factory.HelpPointRow()
        row.text_size_px = self.app.theme.label
        row.ids.name.text = name
        row.ids.details.text = details
        row.ids.example.text = ""
        return row

    def _online_page(self, panel: Any, words: str, scan: str) -> None:
        """A compact screen's online step in two pages: first the code as large as
        the step's height allows, its link and "scan it with your phone"; "more"
        shows the step's own words (all of it is said either way)."""
        theme = self.app.theme
        self.pages = 2
        self.page %= 2
        # Beside Next; a compact portrait row has room only for its picture.
        more = self.more_button(horizontal=True, words=not theme.narrow)
        self._more_in_row = more
        self.ids.next_row.height = theme.button  # "more" is there with or without Next
        self.ids.next_row.add_widget(more, index=2)
        if self.page == 0:
            self.ids.words.text = ""  # its row folds away: the code gets the height
            # And the space after it: the panel keeps the one before Next itself.
            panel.padding = [0, 0, 0, self.ids.frame.spacing]
            self.ids.frame.spacing = 0
            panel.ids.scan.text = scan
            self.shown_items = [Text({self.app.lang: scan})]
        else:
            panel.ids.qr.opacity = 0
            panel.ids.qr.size_hint_x, panel.ids.qr.width = None, 0
            self.shown_items = [Text({self.app.lang: words})]

    def _paged_words(self, words: str) -> None:
        """A compact screen's step words taller than its room: as many sentences as
        fit a page, "more" beside Next for the others (the voice says all of them
        when the step opens, and each page's when "more" turns to it)."""
        theme = self.app.theme
        if not self.ids.next_row.height:
            return  # a step without Next ends a flow: its finish choices follow
        size, width = self.ids.words.font_size, self._words_width(self.show_picture)
        room = self._room()
        sentences = SENTENCE_END.split(words.strip())
        if len(sentences) < 2 or text_height(words, size, width) <= room:
            return
        more = self.more_button(horizontal=True, words=not theme.narrow)
        self._more_in_row = more
        self.ids.next_row.add_widget(more, index=2)
        heights = [text_height(sentence, size, width) for sentence in sentences]
        shown = " ".join(self.page_of(sentences, pages_by_height(heights, room, 0)))
        self.ids.words.text = shown
        self.shown_items = [Text({self.app.lang: shown})]

    def page_of(self, items: list[Any], sizes: list[int] | None = None) -> list[Any]:
        """This page's share of the items (the page number wraps round): pages of
        `sizes` items, else of COMPACT_PAGE."""
        if sizes is None:
            sizes = [COMPACT_PAGE] * ((len(items) + COMPACT_PAGE - 1) // COMPACT_PAGE)
        self.pages = len(sizes)
        self.page %= len(sizes)
        start = sum(sizes[: self.page])
        return items[start : start + sizes[self.page]]

    def _paged(
        self,
        items: list[Any],
        heights: list[float],
        spacing: float | None = None,
        fold: bool = False,
    ) -> list[Any]:
        """A list: the items of this page that fit the body's height, and the
        spoken "more" beside Next when there are other pages. Notes how much height
        the page leaves (`_left`). `fold`: an item taller than the room beside the
        step's words (it has a page of its own) gets the words' room as well."""
        theme = self.app.theme
        gap = theme.mm(2) if spacing is None else spacing
        room = self._body_size()[1]
        if sum(heights) + gap * (len(heights) - 1) <= room:
            self._left = room - sum(heights) - gap * (len(heights) - 1)
            return items
        if theme.narrow and not self.ids.next_row.height:
            # No Next (a question): a full-width row under the choices.
            more = self.more_button(horizontal=True)
            more.size_hint_y, more.height = None, theme.button
            self._more_below = more
            room -= theme.button + theme.mm(2)
        else:  # beside Next; a compact portrait row has room only for its picture
            more = self.more_button(horizontal=True, words=not theme.narrow)
            self._more_in_row = more
            self.ids.next_row.add_widget(more, index=2)
        sizes = pages_by_height(heights, room, gap)
        shown = self.page_of(items, sizes)
        start = sum(sizes[: self.page])
        page = heights[start : start + len(shown)]
        if fold and page[0] > room and self.ids.words.text:
            # Every page keeps its items (the plan is the same): only this page's
            # words and picture fold away. They were said when the step opened, and
            # the service's name heads the screen.
            room += self._room() - self._body_size()[1]
            self.ids.words.text = ""
            self.show_picture = False
        self._left = room - sum(page) - gap * (len(page) - 1)
        return shown

    def _list_size(self) -> int:
        """A checklist row's letters (step.kv): a 7-inch panel's smaller ones."""
        theme = self.app.theme
        return theme.label if theme.small_panel else theme.body

    def _doubt(self) -> Provenance | None:
        """What this step's caution says, if anything on it is unconfirmed: the step
        itself, or (on a documents step) one of its lines."""
        nav = self.app.navigator
        step, service = nav.step, nav.service
        if step.provenance.unconfirmed:
            return step.provenance
        if step.kind == StepKind.DOCUMENTS:
            for i in range(len(service.documents)):
                if service.document_provenance(i).unconfirmed:
                    return service.document_provenance(i)
        return None

    def _caution_words(self, text: str) -> str:
        """A compact screen shows only whom to ask (the last sentence: "Ask the
        volunteer here or call 142."): the picture marks it, the voice says it all."""
        if not self.app.theme.compact:
            return text
        return text.rstrip().rsplit(". ", 1)[-1]

    def _room_for_caution(self, words: str) -> float:
        """What a compact screen has left under the step's words (in the smaller
        letters) for the note."""
        theme = self.app.theme
        assert self._caution is not None
        room = self._room() + self._caution.height + theme.mm(2)
        return room - text_height(words, theme.label, self._words_width(False))

    def _caution_height(self, text: str) -> float:
        """The caution note's height: its words beside the picture, in its frame."""
        theme = self.app.theme
        pad = theme.mm(1 if theme.compact else 2)  # as step.kv pads it
        width = self._content_width() - theme.icon_small - 2 * pad - theme.mm(2)
        return max(theme.mm(12), text_height(text, theme.label, width, bold=True) + 2 * pad)

    def _choice_height(self, text: str) -> float:
        """A full-width choice on a compact portrait screen: 20 mm, or its words'
        height (words beside the picture, as widgets.kv lays a PictoButton out)."""
        theme = self.app.theme
        inner = theme.mm(1)  # the button's padding and the picture's gap (compact)
        width = self._content_width() - 3 * inner - theme.icon_small * ICON_ROOM
        return max(theme.button, text_height(text, theme.label, width, bold=True) + 2 * inner)

    def _point_details(self, point: Any, between: str) -> str:
        """Only what was checked: an address or hours no source gave are left out."""
        lang = self.app.lang
        details = [d for d in (point.address(lang), point.hours(lang)) if d]
        if point.phone:
            details.append(
                self.app.terminal.bundle.string("help_points.phone", lang, n=point.phone)
            )
        return between.join(details)

    def more_button(self, horizontal: bool = False, words: bool = True) -> Any:
        """The spoken "more" of a compact screen: the next page of items (then the first)."""
        app = self.app
        more = app.terminal.bundle.strings.get("nav.more")
        text = more(app.lang) if more and words else ""
        button = Factory.MoreButton(text=text, horizontal=horizontal)
        if horizontal:
            button.width = app.theme.words_width(button.text) if text else app.theme.button
        button.line = Line(more, app.lang) if more else None
        button.bind(on_release=lambda b: app.touch_choice(b, self.next_page))
        return button

    def next_page(self) -> None:
        """ "More": the next page, and its items read aloud."""
        self.page += 1
        self.prepare()
        self.app.changed_within()  # the second tap of a double tap does not skip a page
        self.app.say([Line(text, self.app.lang) for text in self.shown_items])

    # What a compact screen has room for, known before it is laid out, so a list
    # can be cut into pages that fit (the sizes follow step.kv).
    def _content_width(self) -> float:
        return self.app.screen_box(True, self.title_in_compact)[1][0] - 2 * self._frame_pad()

    def _frame_pad(self) -> float:
        theme = self.app.theme
        return theme.mm(FRAME_PAD_MM[0] if theme.compact else FRAME_PAD_MM[1])

    def _frame_gap(self) -> float:
        theme = self.app.theme
        return theme.mm(FRAME_GAP_MM[0] if theme.compact else FRAME_GAP_MM[1])

    def _words_width(self, picture: bool) -> float:
        theme = self.app.theme
        # The row keeps its gap after a folded (zero-width) picture too.
        return self._content_width() - (self._picture() if picture else 0) - theme.pad

    def _picture(self) -> float:
        """The step picture's side (step.kv): a 7-inch panel's, or a large one's in
        large letters (or a 7-inch panel's beside a long checklist)."""
        small = self.app.theme.small_panel or self.small_picture
        return self.app.theme.mm(PICTURE_MM if small else 2 * PICTURE_MM)

    def _room(self) -> float:
        """The height under the title row for the words and the step's own part."""
        theme = self.app.theme
        height = self.app.screen_box(True, self.title_in_compact)[1][1]
        # The frame's padding above and below, its spacing between its three rows.
        room = height - 2 * self._frame_pad() - 2 * self._frame_gap() - self.ids.next_row.height
        if self._caution is not None:  # the note on an unconfirmed fact takes its share
            room -= self._caution.height + theme.mm(2)
        return room

    @staticmethod
    def _longest_word(text: str, font_size: float) -> float:
        return max((text_width(w, font_size, bold=False) for w in text.split()), default=0)

    def _words_fit_beside_picture(self, text: str) -> bool:
        """Every word whole on its line, and all lines in the room."""
        size = self.ids.words.font_size
        width = self._words_width(True)
        if self._longest_word(text, size) > width:
            return False
        # The row is never lower than the picture (step.kv).
        return max(self._picture(), text_height(text, size, width)) <= self._room()

    def _body_size(self) -> tuple[float, float]:
        """The room under the step's words and above Next."""
        words = self.ids.words
        words = text_height(words.text, words.font_size, self._words_width(self.show_picture))
        if self.show_picture:
            words = max(words, self._picture())
        return self._content_width(), self._room() - words

    def title(self) -> str:
        return self.app.navigator.service.title(self.app.lang)

    def narration(self) -> list[Line]:
        app = self.app
        nav = app.navigator
        n, total = nav.progress()
        progress = app.terminal.bundle.strings["step.progress"].format(n=str(n), total=str(total))
        lines = step_lines(app.terminal.bundle, nav.service, nav.step, app.lang, app.terminal.site)
        # "Step 3 of 7" last, after what the step says: numbers depend on the way taken.
        return lines + [Line(Text({app.lang: progress(app.lang)}), app.lang)]


SCREEN = StepScreen
