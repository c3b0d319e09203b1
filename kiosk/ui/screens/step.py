"""One step of a guided flow: a picture, one or two sentences, and the step's
own part (choices, a documents checklist, the official link as a QR code, the
free help points, or the finish choices)."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty

from kiosk.core.content.model import Action, StepKind, Text
from kiosk.core.narration.script import Line, choice_label, choice_said, step_lines
from kiosk.ui.images import qr_texture
from kiosk.ui.screens import KioskScreen, load_kv
from kiosk.ui.theme import text_height

load_kv(__file__)


COMPACT_PAGE = 2  # choices at a time on a compact screen (two 20 mm rows beside "more")
# On a compact screen, as step.kv draws them: the step's picture, a checklist
# row's least height (and its bullet's width), the bullet's gap to the words.
PICTURE_MM, ROW_MM, BULLET_GAP_MM = 20, 10, 3


def pages_by_height(heights: list[float], room: float, spacing: float) -> list[int]:
    """How many items go on each page so that no page is taller than `room`
    (items in order, at least one a page: a taller one has a page of its own)."""
    pages: list[int] = []
    used = 0.0
    for height in heights:
        if pages and used + spacing + height <= room:
            pages[-1] += 1
            used += spacing + height
        else:
            pages.append(1)
            used = height
    return pages or [0]


class StepScreen(KioskScreen):
    show_picture = BooleanProperty(True)  # a compact screen gives the picture's room to the text
    page = 0  # which page of items a compact screen shows
    _page_of: tuple[str, str] | None = None
    _more_in_row: Any = None
    shown_items: list[Any] = []

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
        body = self.ids.body
        body.clear_widgets()
        self.ids.next.opacity = 1 if nav.can_go_next() else 0
        self.ids.next.disabled = not nav.can_go_next()
        self.ids.next.text = bundle.string("nav.next", lang)
        self.ids.next.line = Line(bundle.strings["nav.next"], lang)
        compact = app.theme.compact
        theme = app.theme
        # On a compact screen a hidden Next gives its row to the step's own part.
        self.ids.next_row.height = theme.button if nav.can_go_next() or not compact else 0
        # A compact screen shows a step's picture only where its words still fit beside it.
        self.show_picture = not compact or (
            step.kind == StepKind.INFO and self._words_fit_beside_picture(step.text(lang))
        )
        if self._page_of != (service.id, step.id):
            self._page_of, self.page = (service.id, step.id), 0
        if self._more_in_row is not None:
            self.ids.next_row.remove_widget(self._more_in_row)
            self._more_in_row = None
        self.shown_items: list[Any] = []  # the texts of the items on this page, for "more"
        self.ids.progress.filled, self.ids.progress.count = nav.progress()

        if step.kind in (StepKind.QUESTION, StepKind.FINISH):
            row = Factory.ChoiceRow()
            choices = list(enumerate(step.choices))
            paged = compact and len(choices) > COMPACT_PAGE
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
            documents = list(service.documents)
            if compact:
                # As many as fit; "more" sits beside Next, so the list keeps the middle.
                width = self._body_size()[0] - theme.mm(ROW_MM + BULLET_GAP_MM)
                heights = [
                    max(theme.mm(ROW_MM), text_height(d(lang), theme.label, width))
                    for d in documents
                ]
                documents = self._paged(documents, heights)
            for doc in documents:
                row = Factory.ChecklistRow()
                row.text = doc(lang)
                body.add_widget(row)
                self.shown_items.append(doc)
        elif step.kind == StepKind.ONLINE:
            panel = Factory.OnlinePanel()
            panel.ids.qr.texture = qr_texture(
                service.link, app.terminal.settings["links.allowlist"]
            )
            panel.ids.link.text = service.link_label
            panel.ids.scan.text = bundle.string("online.scan", lang)
            body.add_widget(panel)
        elif step.kind == StepKind.HELP_POINTS:
            # A compact screen puts a point's address and phone on one line where they fit.
            points = [
                (p.name(lang), self._point_details(p, ", " if compact else "\n"))
                for p in app.terminal.site.help_points
            ]
            if compact:
                # One under another, as many as fit, and "more" beside Next for the rest.
                grid = Factory.HelpPointGrid(cols=1)
                size = theme.label
                width = self._body_size()[0]
                heights = [
                    text_height(name, size, width, bold=True)
                    + text_height(details, size, width)
                    + theme.mm(3)
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
        if step.kind in (StepKind.DOCUMENTS, StepKind.HELP_POINTS):
            body.add_widget(Factory.Widget())  # keeps the list at the top

    def page_of(self, items: list[Any], sizes: list[int] | None = None) -> list[Any]:
        """This page's share of the items (the page number wraps round): pages of
        `sizes` items, else of COMPACT_PAGE."""
        if sizes is None:
            sizes = [COMPACT_PAGE] * ((len(items) + COMPACT_PAGE - 1) // COMPACT_PAGE)
        self.page %= len(sizes)
        start = sum(sizes[: self.page])
        return items[start : start + sizes[self.page]]

    def _paged(
        self, items: list[Any], heights: list[float], spacing: float | None = None
    ) -> list[Any]:
        """A compact screen's list: the items of this page that fit the body's
        height, and the spoken "more" beside Next when there are other pages."""
        theme = self.app.theme
        gap = theme.mm(2) if spacing is None else spacing
        sizes = pages_by_height(heights, self._body_size()[1], gap)
        if len(sizes) > 1:
            items = self.page_of(items, sizes)
            self._more_in_row = self.more_button(horizontal=True)
            self.ids.next_row.add_widget(self._more_in_row, index=2)
        return items

    def _point_details(self, point: Any, between: str) -> str:
        """Only what was checked: an address or hours no source gave are left out."""
        lang = self.app.lang
        details = [d for d in (point.address(lang), point.hours(lang)) if d]
        if point.phone:
            details.append(
                self.app.terminal.bundle.string("help_points.phone", lang, n=point.phone)
            )
        return between.join(details)

    def more_button(self, horizontal: bool = False) -> Any:
        """The spoken "more" of a compact screen: the next page of items (then the first)."""
        app = self.app
        more = app.terminal.bundle.strings.get("nav.more")
        button = Factory.MoreButton(text=more(app.lang) if more else "", horizontal=horizontal)
        if horizontal:
            button.width = app.theme.words_width(button.text)
        button.line = Line(more, app.lang) if more else None
        button.bind(on_release=lambda b: app.touch_choice(b, self.next_page))
        return button

    def next_page(self) -> None:
        """ "More": the next page, and its items read aloud."""
        self.page += 1
        self.prepare()
        self.app.say([Line(text, self.app.lang) for text in self.shown_items])

    # What a compact screen has room for, known before it is laid out, so a list
    # can be cut into pages that fit (the sizes follow step.kv).
    def _content_width(self) -> float:
        return self.app.screen_box(True, self.title_in_compact)[1][0] - 2 * self.app.theme.mm(2)

    def _words_width(self, picture: bool) -> float:
        theme = self.app.theme
        return self._content_width() - (theme.mm(PICTURE_MM) + theme.pad if picture else 0)

    def _room(self) -> float:
        """The height under the title row for the words and the step's own part."""
        theme = self.app.theme
        height = self.app.screen_box(True, self.title_in_compact)[1][1]
        return height - 2 * theme.mm(2) - 2 * theme.mm(2) - self.ids.next_row.height

    def _words_fit_beside_picture(self, text: str) -> bool:
        theme = self.app.theme
        return text_height(text, theme.body, self._words_width(True)) <= self._room()

    def _body_size(self) -> tuple[float, float]:
        """The room under the step's words and above Next."""
        theme = self.app.theme
        words = text_height(self.ids.words.text, theme.body, self._words_width(self.show_picture))
        if self.show_picture:
            words = max(words, theme.mm(PICTURE_MM))
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
