"""Screens: one per file pair, <name>.py (behaviour) and <name>.kv (layout).

Every screen answers three questions for the app: its title, whether the bars
show, and what it says aloud (`narration()`, built only from content texts so
the audio cache covers it).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.uix.screenmanager import Screen

from kiosk.core.narration.script import Line


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


def tight_tile(app: Any, text: str, bold: bool, width: float) -> tuple[float, bool, bool]:
    """Large letters on a 7-inch panel (theme.tight): a tile one a row, `width` wide,
    as widgets.kv lays a PictoButton out: its picture beside its words where its
    longest word fits there, else above them (in regular letters where a bold word
    is wider than the tile). Its height (at least a touch target), whether its
    picture is beside the words, and whether they are bold."""
    from kiosk.ui.theme import text_height, text_width

    theme = app.theme
    size = theme.label

    def longest(bold: bool) -> float:
        return max((text_width(w, size, bold=bold) for w in text.split()), default=0)

    beside = width - 3 * theme.mm(1) - theme.icon_small * 1.3
    if longest(bold) <= beside:
        return (
            max(theme.button, text_height(text, size, beside, bold=bold) + theme.mm(1) + 2),
            True,
            bold,
        )
    under = width - 2 * theme.mm(1)
    bold = bold and longest(True) <= under
    words = text_height(text, size, under, bold=bold)
    return max(theme.button, words + theme.icon_small * 1.1 + 3 * theme.mm(1) + 2), False, bold


def load_kv(module_file: str) -> None:
    """Load the .kv file that sits beside a screen's .py file."""
    Builder.load_file(str(Path(module_file).with_suffix(".kv")))


class KioskScreen(Screen):
    show_bars = True
    offers_help = True
    offers_back = True
    # What this instance shows, as kiosk.ui.prepared keys it (None: not kept ready).
    state_key: tuple[Any, ...] | None = None
    # While prepared ahead of a touch: the app as it will be then (language, place in a flow).
    as_if: Any = None
    title_in_compact = True  # a compact landscape screen may need the title's row itself
    finished = False  # the resident is done here: the session ends on Done or a timeout

    def cached_view(self, key: tuple[Any, ...], build: Any) -> Any:
        """A view built once per key (language, group...) for the installed bundle
        and the screen's shape (the theme).

        Screens that look the same every time (home, a group, the languages) keep
        their widgets, so their words are not drawn again on every visit.
        """
        bundle, theme = self.app.terminal.bundle, self.app.theme
        views = self.__dict__.setdefault("_views", {})
        if views.get("bundle") is not bundle or views.get("theme") != theme:
            views.clear()
            views["bundle"] = bundle
            views["theme"] = theme
        if key not in views:
            views[key] = build()
        return views[key]

    @property
    def view(self) -> Any:
        """The cached view now shown (the grid of buttons)."""
        return self.ids.holder.children[0]

    def show_view(self, holder: Any, view: Any) -> None:
        if view.parent is not holder:
            holder.clear_widgets()
            if view.parent is not None:
                view.parent.remove_widget(view)
            holder.add_widget(view)

    @property
    def app(self) -> Any:
        return self.as_if if self.as_if is not None else App.get_running_app()

    def prepare(self, **kwargs: Any) -> None:
        """Fill the screen for what the resident is doing now."""

    def cover_personal(self, covered: bool) -> None:
        """Hide (or show again) what the resident typed, while a prompt is over the screen."""

    def title(self) -> str:
        return ""

    def narration(self) -> list[Line]:
        return []


def load_screens(names: tuple[str, ...]) -> list[KioskScreen]:
    screens = []
    for name in names:
        module = importlib.import_module(f"kiosk.ui.screens.{name}")
        screens.append(module.SCREEN(name=name))
    return screens
