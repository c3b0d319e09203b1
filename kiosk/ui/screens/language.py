"""Language choice: each language's name, written and spoken in that language."""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.core.narration.script import Line, language_lines
from kiosk.ui.screens import KioskScreen, load_kv

load_kv(__file__)


class LanguageScreen(KioskScreen):
    offers_help = False

    @property
    def title_in_compact(self) -> bool:  # type: ignore[override]
        """Not on a compact portrait screen: the title in three languages takes three
        lines there; it is said in all three, and each button names its language."""
        return not self.app.theme.narrow

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
        return row

    def title(self) -> str:
        return self.app.terminal.bundle.string("language.title", self.app.lang)

    def narration(self) -> list[Line]:
        return language_lines(
            self.app.terminal.bundle, self.app.terminal.settings["kiosk.languages"]
        )


SCREEN = LanguageScreen
