"""Language choice: each language's name, written and spoken in that language."""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.core.narration.script import Line, language_lines
from kiosk.ui.screens import KioskScreen, load_kv

load_kv(__file__)


class LanguageScreen(KioskScreen):
    offers_help = False

    def prepare(self, **kwargs: object) -> None:
        app = self.app
        bundle = app.terminal.bundle
        names = {lang.code: lang.name for lang in bundle.languages}
        row = self.ids.choices
        row.clear_widgets()
        for code in app.terminal.settings["kiosk.languages"]:
            button = Factory.LanguageButton(text=names[code])
            button.line = Line(bundle.strings["language.say"], code)
            button.bind(
                on_release=lambda b, c=code: app.touch_choice(b, lambda: app.choose_language(c))
            )
            row.add_widget(button)

    def narration(self) -> list[Line]:
        return language_lines(
            self.app.terminal.bundle, self.app.terminal.settings["kiosk.languages"]
        )


SCREEN = LanguageScreen
