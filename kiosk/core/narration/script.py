"""What each screen says aloud, as a list of lines.

A line is one content text in one language. Screens are read from these lines
only, so `all_lines()` is every clip the audio cache needs, and recorded audio
attached to a text in the bundle replaces exactly that line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kiosk.core.content.model import Bundle, Choice, Group, Service, Site, Step, StepKind, Text


@dataclass(frozen=True)
class Line:
    text: Text
    lang: str

    @property
    def words(self) -> str:
        return self.text(self.lang)

    @property
    def recorded(self) -> str | None:
        return self.text.audio.get(self.lang)


def choice_label(bundle: Bundle, choice: Choice) -> Text:
    """A choice's label; finish actions without their own label use the UI strings."""
    if choice.label.values:
        return choice.label
    if choice.action is not None:
        return bundle.strings[f"finish.{choice.action.value}"]
    return choice.label


def language_lines(bundle: Bundle, languages: list[str] | tuple[str, ...]) -> list[Line]:
    """Each language invites in its own words: 'Azərbaycan dili üçün toxunun', ..."""
    return [Line(bundle.strings["language.say"], code) for code in languages]


def home_lines(bundle: Bundle, lang: str) -> list[Line]:
    return [Line(bundle.strings["home.say"], lang)] + [Line(g.say, lang) for g in bundle.groups]


def group_lines(bundle: Bundle, group: Group, lang: str) -> list[Line]:
    return [Line(group.say, lang)] + [Line(bundle.services[s].title, lang) for s in group.services]


def step_lines(
    bundle: Bundle, service: Service, step: Step, lang: str, site: Site | None
) -> list[Line]:
    lines = [Line(step.say, lang)]
    if step.kind == StepKind.DOCUMENTS:
        lines += [Line(d, lang) for d in service.documents]
    elif step.kind == StepKind.HELP_POINTS and site is not None:
        for p in site.help_points:
            lines.append(Line(p.name, lang))
            if not p.example:  # an example's address and hours are placeholders, not for residents
                lines += [Line(p.address, lang), Line(p.hours, lang)]
    elif step.kind == StepKind.ONLINE:
        lines.append(Line(bundle.strings["online.scan"], lang))
    if step.kind in (StepKind.QUESTION, StepKind.FINISH):
        lines += [Line(choice_label(bundle, c), lang) for c in step.choices]
    return lines


def idle_lines(bundle: Bundle, lang: str) -> list[Line]:
    return [Line(bundle.strings["idle.say"], lang)]


def all_lines(
    bundle: Bundle, languages: list[str] | tuple[str, ...] | None = None
) -> Iterator[Line]:
    """Every line any screen of this bundle can say, each once, for every site."""
    langs = tuple(languages or bundle.language_codes)
    seen: set[tuple[str, str]] = set()

    def fresh(lines: list[Line]) -> Iterator[Line]:
        for line in lines:
            key = (line.words, line.lang)
            if line.words and key not in seen:
                seen.add(key)
                yield line

    yield from fresh(language_lines(bundle, langs))
    for lang in langs:
        yield from fresh(home_lines(bundle, lang))
        yield from fresh(idle_lines(bundle, lang))
        for key in bundle.strings:
            if key.startswith(("say.", "ticket.", "slip.", "help.")):
                yield from fresh([Line(bundle.strings[key], lang)])
        for group in bundle.groups:
            yield from fresh(group_lines(bundle, group, lang))
        for service in bundle.services.values():
            for step in service.steps:
                sites = list(bundle.sites.values()) if step.kind == StepKind.HELP_POINTS else [None]
                for site in sites:
                    yield from fresh(step_lines(bundle, service, step, lang, site))
