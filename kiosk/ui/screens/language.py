"""Language choice: each language's name, written and spoken in that language,
and the high contrast toggle."""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.core.access import LARGE_BUTTON
from kiosk.core.narration.script import Line, language_lines
from kiosk.ui.screens import KioskScreen, load_kv
from kiosk.ui.theme import text_height, text_width

load_kv(__file__)


class LanguageScreen(KioskScreen):
    offers_help = False

    @property
    def title_in_compact(self) -> bool:  # type: ignore[override]
        """Only where the title in three languages fits its row on one line (not on a
        7-inch screen): wrapped, it would be cut and pushed under the buttons. It is
        said in all three, and each button names its language."""
        app = self.app
        if app.theme.narrow:
            return False
        return text_width(self.title(), app.theme.small) <= app._title_width()

    def prepare(self, **kwargs: object) -> None:
        self.show_view(self.ids.holder, self.cached_view(("languages",), self.build_row))

    def build_row(self) -> object:
        app = self.app
        bundle = app.terminal.bundle
        names = {lang.code: lang.name for lang in bundle.languages}
        row = Factory.LanguageRow()
        for code in app.terminal.settings["kiosk.languages"]:
            button = Factory.LanguageButton(text=names[code])
            button.line = Line(bundle.strings["language.say"], code)
            button.bind(
                on_release=lambda b, c=code: app.touch_choice(b, lambda: app.choose_language(c))
            )
            row.add_widget(button)
        # High contrast, from the first screen (its words in every language).
        langs = app.terminal.settings["kiosk.languages"]
        stacked = app.theme.portrait or app.theme.compact
        contrast = app.terminal.bundle.strings[LARGE_BUTTON]
        words = dict.fromkeys(contrast(c) for c in langs)
        large = Factory.LargeToggle(text=("\n" if stacked else " · ").join(words))
        large.line = Line(contrast, app.lang)
        large.bind(on_release=lambda b: app.touch_choice(b, lambda: app.set_large(not app.large)))
        if app.theme.rails:
            # A 7-inch landscape screen has no height for a fourth row: the toggle
            # (its picture) stands beside the languages.
            side = Factory.LanguageSide()
            side.languages = row
            side.add_widget(row)
            side.add_widget(large)
            return side
        if stacked:
            row.add_widget(large)  # one more in the stack
            return row
        # Languages side by side keep their width: the toggle is a row under them.
        theme = app.theme
        # As tall as its words wrapped beside the square picture (measured, not laid out).
        width = theme.width - 2 * theme.mm(20) - theme.button * 1.3 - 3 * theme.mm(2)
        tall = text_height(large.text, theme.label, width, bold=True) + theme.mm(4)
        large.size_hint_y, large.height = None, max(theme.button, tall)
        large.icon_size = theme.icon_small
        column = Factory.LanguageColumn()
        column.languages = row
        column.add_widget(row)
        column.add_widget(large)
        return column

    @property
    def view(self) -> object:
        """The languages' buttons (and the toggle, where it stands among them)."""
        shown = self.ids.holder.children[0]
        return getattr(shown, "languages", shown)

    def title(self) -> str:
        return self.app.terminal.bundle.string("language.title", self.app.lang)

    def narration(self) -> list[Line]:
        return language_lines(
            self.app.terminal.bundle, self.app.terminal.settings["kiosk.languages"]
        )


SCREEN = LanguageScreen
