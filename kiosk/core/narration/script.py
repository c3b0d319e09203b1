"""What each screen says aloud, as a list of lines.

A line is one content text in one language. Screens are read from these lines
only, so `all_lines()` is every clip the audio cache needs, and recorded audio
attached to a text in the bundle replaces exactly that line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kiosk.core.content.model import Bundle, Choice, Group, Service, Site, Step, StepKind, Text
from kiosk.core.content.places import fill_service
from kiosk.core.content.provenance import caution_said


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


def choice_said(bundle: Bundle, choice: Choice) -> Text:
    """What the voice says for a choice: its own `say`, else its label."""
    if choice.say is not None:
        merged = {**choice_label(bundle, choice).values, **choice.say.values}
        return Text(merged, dict(choice.say.audio))
    return choice_label(bundle, choice)


def spoken_phone(phone: str) -> str:
    """A phone number as the voice should read it, group by group: "012-916" becomes
    "0 12, 916" (a leading zero is said as a digit, then the rest of its group)."""
    groups = [g for g in re.split(r"[^0-9]+", phone) if g]
    words = []
    for g in groups:
        zeros = len(g) - len(g.lstrip("0"))
        rest = g[zeros:]
        words.append(" ".join(["0"] * zeros + ([rest] if rest else [])))
    return ", ".join(words)


def phone_line(bundle: Bundle, phone: str, lang: str) -> Line:
    """ "Telefon: 142" as a line of its own, the number grouped for the ear."""
    text = bundle.strings["help_points.phone"].format(n=spoken_phone(phone))
    return Line(Text(text.values), lang)  # a recording of the string has no number in it


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
    if step.provenance.unconfirmed:
        # Never said as certain: the voice sends the resident to a person.
        lines.append(Line(caution_said(bundle, step.provenance), lang))
    if step.kind == StepKind.DOCUMENTS:
        doubtful = None
        for i in range(len(service.documents)):
            lines.append(Line(service.document_say(i), lang))
            if (mark := service.document_provenance(i)).unconfirmed:
                lines.append(Line(bundle.strings["unconfirmed.mark"], lang))
                doubtful = doubtful or mark
        if doubtful is not None and not step.provenance.unconfirmed:
            lines.append(Line(caution_said(bundle, doubtful), lang))
    elif step.kind == StepKind.HELP_POINTS and site is not None:
        for p in site.shown_points:
            lines.append(Line(p.name, lang))
            lines += [Line(t, lang) for t in (p.address, p.hours) if t.has(lang)]
            if p.phone:
                lines.append(phone_line(bundle, p.phone, lang))
    elif step.kind == StepKind.ONLINE:
        lines.append(Line(bundle.strings["online.scan"], lang))
    if step.kind in (StepKind.QUESTION, StepKind.FINISH):
        lines += [Line(choice_said(bundle, c), lang) for c in step.choices]
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
            if key.startswith(("say.", "ticket.", "slip.", "help.", "access.")):
                yield from fresh([Line(bundle.strings[key], lang)])
        for group in bundle.groups:
            yield from fresh(group_lines(bundle, group, lang))
        for service in bundle.services.values():
            # Each site fills in its own places ("the place for X in this district").
            for site in bundle.sites.values() or [None]:
                filled = fill_service(service, site) if site is not None else service
                for step in filled.steps:
                    at = site if step.kind == StepKind.HELP_POINTS else None
                    yield from fresh(step_lines(bundle, filled, step, lang, at))
