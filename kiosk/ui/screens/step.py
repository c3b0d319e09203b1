"""One step of a guided flow: a picture, one or two sentences, and the step's
own part (choices, a documents checklist, the official link as a QR code, the
free help points, or the finish choices)."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory

from kiosk.core.content.model import Action, StepKind
from kiosk.core.narration.script import Line, choice_label, step_lines
from kiosk.ui.images import qr_texture
from kiosk.ui.screens import KioskScreen, load_kv

load_kv(__file__)


class StepScreen(KioskScreen):
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

        if step.kind in (StepKind.QUESTION, StepKind.FINISH):
            row = Factory.ChoiceRow()
            for i, choice in enumerate(step.choices):
                style = (
                    "primary"
                    if choice.action == Action.SLIP
                    else ("help" if choice.action == Action.HELP else "normal")
                )
                label = choice_label(bundle, choice)
                button = Factory.ChoiceButton(icon=choice.icon, text=label(lang), style=style)
                button.line = Line(label, lang)
                button.bind(on_release=lambda b, i=i: app.touch_choice(b, lambda: app.choose(i)))
                row.add_widget(button)
            body.add_widget(row)
        elif step.kind == StepKind.DOCUMENTS:
            for doc in service.documents:
                row = Factory.ChecklistRow()
                row.text = doc(lang)
                body.add_widget(row)
        elif step.kind == StepKind.ONLINE:
            panel = Factory.OnlinePanel()
            panel.ids.qr.texture = qr_texture(
                service.link, app.terminal.settings["links.allowlist"]
            )
            panel.ids.link.text = service.link_label
            panel.ids.scan.text = bundle.string("online.scan", lang)
            body.add_widget(panel)
        elif step.kind == StepKind.HELP_POINTS:
            points = app.terminal.site.help_points
            # Side by side, so several points fit without scrolling; smaller type for three or more.
            grid = Factory.HelpPointGrid(cols=min(len(points), 3))
            size = app.theme.label if len(points) <= 2 else app.theme.small
            for point in points:
                row = Factory.HelpPointRow()
                row.text_size_px = size
                row.ids.name.text = point.name(lang)
                # An example entry's address and hours are placeholders for the admin:
                # residents see only its name and phone (kiosk doctor warns about it).
                details = [] if point.example else [point.address(lang), point.hours(lang)]
                if point.phone:
                    details.append(bundle.string("help_points.phone", lang, n=point.phone))
                row.ids.details.text = "\n".join(details)
                row.ids.example.text = ""
                grid.add_widget(row)
            body.add_widget(grid)
        if step.kind in (StepKind.DOCUMENTS, StepKind.HELP_POINTS):
            body.add_widget(Factory.Widget())  # keeps the list at the top

    def title(self) -> str:
        return self.app.navigator.service.title(self.app.lang)

    def narration(self) -> list[Line]:
        app = self.app
        nav = app.navigator
        return step_lines(app.terminal.bundle, nav.service, nav.step, app.lang, app.terminal.site)


SCREEN = StepScreen
