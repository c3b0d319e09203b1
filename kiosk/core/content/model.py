"""The content bundle as plain data: languages, UI strings, groups, services with
their guided flows, and site profiles.

Everything a resident sees or hears comes from here. Adding a service is editing
content, not code. This module only describes; loading and checking live in
loader.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True)
class Text:
    """One text in every language: Text({"az": "...", "ru": "...", "en": "..."})."""

    values: dict[str, str]
    # Recorded audio per language (path inside the bundle), overriding synthesis.
    audio: dict[str, str] = field(default_factory=dict)

    def __call__(self, lang: str) -> str:
        return self.values.get(lang) or self.values.get("az", "")

    def has(self, lang: str) -> bool:
        return bool(self.values.get(lang, "").strip())

    def format(self, **kwargs: str) -> Text:
        return Text({k: v.format(**kwargs) for k, v in self.values.items()}, dict(self.audio))


class StepKind(StrEnum):
    INFO = "info"  # a picture, one or two sentences, "Next"
    QUESTION = "question"  # a picture, a question, two to four choices
    DOCUMENTS = "documents"  # the service's documents as a checklist
    ONLINE = "online"  # how to apply online: the official link, shown as a QR code
    HELP_POINTS = "help_points"  # free help points from this terminal's site profile
    FINISH = "finish"  # "Print my slip", "Call a helper", "Home"


class Action(StrEnum):
    SLIP = "slip"
    HELP = "help"
    HOME = "home"


class Ask(StrEnum):
    """Who an unconfirmed fact sends the resident to."""

    VOLUNTEER = "volunteer"  # the volunteer here (and 142 as the line)
    LINE = "142"  # the 142 information line


@dataclass(frozen=True)
class Source:
    """A page a person read, in a service or site file's `[sources.KEY]` table."""

    key: str
    url: str
    checked: str  # ISO date a person last read the page
    title: str = ""
    note: str = ""


@dataclass(frozen=True)
class Provenance:
    """Where one item's facts came from: keys into its file's sources, or
    `unconfirmed` (then the kiosk says less and sends the resident to `ask`)."""

    sources: tuple[str, ...] = ()
    unconfirmed: bool = False
    ask: Ask = Ask.VOLUNTEER

    @property
    def marked(self) -> bool:
        """It names a source or says it is unconfirmed."""
        return bool(self.sources) or self.unconfirmed


NO_PROVENANCE = Provenance()


@dataclass(frozen=True)
class Choice:
    label: Text
    icon: str
    go: str | None = None  # a step of the same flow
    flow: str | None = None  # another service's flow, entered at its first step
    action: Action | None = None
    say: Text | None = None  # how the voice reads the label, where it differs


@dataclass(frozen=True)
class Step:
    id: str
    kind: StepKind
    icon: str
    text: Text  # what the screen shows
    say: Text  # what narration says (defaults to the screen text)
    choices: tuple[Choice, ...] = ()
    next: str | None = None  # for steps with one "Next": where it leads
    provenance: Provenance = NO_PROVENANCE


@dataclass(frozen=True)
class Service:
    id: str
    group: str
    icon: str
    title: Text
    summary: Text
    steps: tuple[Step, ...]
    link: str = ""  # the official page; becomes the QR code on the slip
    link_label: str = ""  # the link as short text for the slip
    documents: tuple[Text, ...] = ()
    # How the voice reads each document line (the line itself unless a `say` is given).
    documents_say: tuple[Text, ...] = ()
    needs_esign: bool = False
    admin_note: str = ""  # facts not yet confirmed; shown to admins, never to residents
    file: str = ""  # source file inside the bundle, for messages
    # The pages the facts were read on, by key ([sources.KEY]); items cite the keys.
    sources: dict[str, Source] = field(default_factory=dict)
    # Each document line's provenance, in the order of `documents`.
    documents_provenance: tuple[Provenance, ...] = ()

    def document_say(self, i: int) -> Text:
        return self.documents_say[i] if i < len(self.documents_say) else self.documents[i]

    def document_provenance(self, i: int) -> Provenance:
        if i < len(self.documents_provenance):
            return self.documents_provenance[i]
        return NO_PROVENANCE

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(f"service {self.id!r} has no step {step_id!r}")

    @property
    def first_step(self) -> Step:
        return self.steps[0]

    def next_of(self, step: Step) -> str | None:
        """Where "Next" leads: the step's `next`, else the following step in the file."""
        if step.next:
            return step.next
        ids = [s.id for s in self.steps]
        i = ids.index(step.id)
        return ids[i + 1] if i + 1 < len(ids) else None


@dataclass(frozen=True)
class Group:
    id: str
    icon: str
    title: Text
    say: Text
    services: tuple[str, ...]  # service ids, in the order shown


@dataclass(frozen=True)
class HelpPoint:
    """A public place or line where residents get free help. Every field a resident
    sees was checked on `source`; what could not be checked is left empty."""

    name: Text
    address: Text  # empty when no public source gives it
    hours: Text  # empty when no public source gives it
    phone: str = ""
    source: str = ""  # the pages it cites ("; " between), from its file's [sources]
    checked: str = ""  # the oldest day a person read one of them (ISO)
    provenance: Provenance = NO_PROVENANCE

    @property
    def verified(self) -> bool:
        """A resident can reach it (phone or address) and it says where that came from."""
        if self.provenance.unconfirmed:
            return False
        return bool(self.source and self.checked and (self.phone or self.address.values))


@dataclass(frozen=True)
class Site:
    id: str
    name: Text
    help_points: tuple[HelpPoint, ...]
    volunteer_phone: str = ""
    # Where each kind of help is in this district: steps say "{place:social}" and the
    # screen, voice, slip and booklet put this site's words there.
    places: dict[str, Text] = field(default_factory=dict)
    # The pages the facts were read on, by key ([sources.KEY]); places and help points
    # cite the keys.
    sources: dict[str, Source] = field(default_factory=dict)
    place_provenance: dict[str, Provenance] = field(default_factory=dict)

    @property
    def verified_points(self) -> tuple[HelpPoint, ...]:
        return tuple(p for p in self.help_points if p.verified)

    @property
    def shown_points(self) -> tuple[HelpPoint, ...]:
        """The help points residents see and hear: an unconfirmed one (its phone,
        address or hours read nowhere) is left out, never shown as certain."""
        return tuple(p for p in self.help_points if not p.provenance.unconfirmed)


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in its own language: "Azərbaycanca"
    espeak_voice: str


@dataclass(frozen=True)
class Bundle:
    """A loaded, checked content bundle."""

    root: Path
    version: int
    languages: tuple[Language, ...]
    strings: dict[str, Text]
    groups: tuple[Group, ...]
    services: dict[str, Service]
    sites: dict[str, Site]
    # Screen words this software needs that the bundle predates, taken from the
    # bundled default content (a terminal's load only; see load_bundle).
    borrowed: tuple[str, ...] = ()

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def string(self, key: str, lang: str, **kwargs: str) -> str:
        text = self.strings[key](lang)
        return text.format(**kwargs) if kwargs else text

    def group(self, group_id: str) -> Group:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)

    def services_in(self, group_id: str) -> list[Service]:
        return [self.services[s] for s in self.group(group_id).services]

    @property
    def step_count(self) -> int:
        return sum(len(s.steps) for s in self.services.values())
