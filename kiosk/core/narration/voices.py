"""Every text residents hear, named by a key, with how often it is heard; and the
share of it a human voice says.

A key names one text in the bundle: UI strings by their key in strings.toml
(`home.say`), the rest by where they are (`group.social`, `service.id-card.title`,
`service.id-card.what` for a step, `service.id-card.what.choice-2`,
`service.id-card.document-1`, `site.barda.point-1.name`). The recording studio,
its CLI and `kiosk content validate` all use these keys; `Spoken.place` says
where in the TOML file the text's recording is named, for the export.

"How often" is an estimate of how many times one resident hears the text: the
language and home screens reach everyone, a service's screens the share of
residents who open it (from the hub's anonymous usage counts when there are
some, else equal shares), a step the share of that service's residents whose
choices lead there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from kiosk.core.content.model import Bundle, Service, StepKind, Text

# Strings the kiosk says outside the guided flows (script.all_lines reads the same
# prefixes); how often one resident hears them, roughly.
STRING_WEIGHTS = (
    ("slip.", 0.3),
    ("ticket.", 0.1),
    ("help.", 0.1),
    ("say.", 0.1),
    ("unconfirmed.", 0.05),  # said after an unconfirmed step or document line
    ("access.", 0.05),  # guided mode: the keys and the keypad's private words
)
IDLE_WEIGHT = 0.3  # "Do you need more time?"

# Where a text is heard, for the studio's volunteers, in the studio's languages.
PLACES = {
    "language": {"az": "dil seçimi ekranı", "ru": "экран выбора языка", "en": "language screen"},
    "home": {"az": "əsas ekran", "ru": "главный экран", "en": "home screen"},
    "idle": {
        "az": "«Daha çox vaxt lazımdır?» ekranı",
        "ru": "экран «Нужно больше времени?»",
        "en": "'more time?' screen",
    },
    "other": {
        "az": "kömək, talon və vərəqə ekranları",
        "ru": "экраны помощи, талона и листка",
        "en": "help, ticket and slip screens",
    },
    "keys": {
        "az": "düymələr və səs (bələdçi rejimi)",
        "ru": "кнопки и голос (режим подсказок)",
        "en": "keys and voice (guided mode)",
    },
    "group": {
        "az": "«{g}» qrupunun ekranı",
        "ru": "экран группы «{g}»",
        "en": "group screen '{g}'",
    },
    "step": {"az": "{s}, «{st}» addımı", "ru": "{s}, шаг «{st}»", "en": "{s}, step '{st}'"},
    "more": {"az": " (və daha {n} yerdə)", "ru": " (и ещё в {n} местах)", "en": " (and {n} more)"},
}


@dataclass(frozen=True)
class Spoken:
    """One text residents hear, under its key."""

    key: str
    text: Text
    file: str  # the TOML file inside the bundle that holds it
    # Where the recording is named in that file: the path to its table (keys and
    # list indexes) and the text's names in it, first present wins ("say" before
    # "text" for a step). An empty name: the table is the text itself (a UI
    # string, a document), so the recording goes in its `audio` table.
    place: tuple[str | int, ...]
    names: tuple[str, ...]
    where: dict[str, str]  # for people, by language: {"en": "ID card, step 'what'", ...}
    weight: float  # estimated times one resident hears it

    def words(self, lang: str) -> str:
        return self.text.values.get(lang, "")


@dataclass(frozen=True)
class Coverage:
    """How much of what residents hear in one language a human voice says."""

    lang: str
    recorded: int
    total: int
    share: float  # 0..1, weighted by how often each text is heard

    def line(self) -> str:
        return (
            f"{self.lang}: human voice: {self.recorded} of {self.total} texts "
            f"({self.share:.0%} of what residents hear)"
        )


def service_shares(bundle: Bundle, opened: Mapping[str, int] | None = None) -> dict[str, float]:
    """Share of residents who open each service: usage counts with one added to each
    (so a new service is not zero), or equal shares with no counts."""
    counts = {sid: 1 + max(0, int((opened or {}).get(sid, 0))) for sid in bundle.services}
    total = sum(counts.values()) or 1
    return {sid: n / total for sid, n in counts.items()}


def step_reach(service: Service) -> dict[str, float]:
    """Share of a service's residents who see each of its steps: "Next" passes
    everyone on, a question splits them equally among its choices."""
    reach = {step.id: 0.0 for step in service.steps}

    def walk(step_id: str, share: float, path: frozenset[str]) -> None:
        if step_id not in reach or step_id in path or share < 1e-6:
            return
        reach[step_id] += share
        step = service.step(step_id)
        path = path | {step_id}
        if step.kind == StepKind.QUESTION:
            targets = [c.go for c in step.choices]
            for go in targets:
                if go:  # a choice into another flow or an action leaves this service
                    walk(go, share / len(targets), path)
        elif step.kind != StepKind.FINISH and (nxt := service.next_of(step)):
            walk(nxt, share, path)

    walk(service.first_step.id, 1.0, frozenset())
    return {k: min(1.0, v) for k, v in reach.items()}


def _string_weight(key: str) -> float:
    for prefix, weight in STRING_WEIGHTS:
        if key.startswith(prefix):
            return weight
    return 0.0


def _spoken(bundle: Bundle, opened: Mapping[str, int] | None) -> Iterator[Spoken]:
    strings = bundle.strings

    def string(key: str, where: dict[str, str], weight: float) -> Spoken:
        return Spoken(key, strings[key], "strings.toml", (key,), ("",), where, weight)

    yield string("language.say", PLACES["language"], 1.0)
    yield string("home.say", PLACES["home"], 1.0)
    yield string("idle.say", PLACES["idle"], IDLE_WEIGHT)
    for key in strings:
        if weight := _string_weight(key):
            place = "keys" if key.startswith("access.") else "other"
            yield string(key, PLACES[place], weight)

    shares = service_shares(bundle, opened)
    for i, group in enumerate(bundle.groups):
        yield Spoken(
            f"group.{group.id}",
            group.say,
            "groups.toml",
            ("groups", i),
            ("say", "title"),
            PLACES["home"],
            1.0,
        )
        group_share = sum(shares.get(s, 0.0) for s in group.services)
        group_screen = _place("group", g=group.title)
        for sid in group.services:
            svc = bundle.services[sid]
            yield Spoken(
                f"service.{sid}.title",
                svc.title,
                svc.file,
                (),
                ("title",),
                group_screen,
                group_share,
            )

    for sid, svc in bundle.services.items():
        reach = step_reach(svc)
        for i, step in enumerate(svc.steps):
            heard = shares[sid] * reach[step.id]
            where = _place("step", s=svc.title, st=step.id)
            yield Spoken(
                f"service.{sid}.{step.id}",
                step.say,
                svc.file,
                ("steps", i),
                ("say", "text"),
                where,
                heard,
            )
            if step.kind == StepKind.DOCUMENTS:
                for j, doc in enumerate(svc.documents):
                    yield Spoken(
                        f"service.{sid}.document-{j + 1}",
                        doc,
                        svc.file,
                        ("documents", j),
                        ("",),
                        where,
                        heard,
                    )
            elif step.kind == StepKind.ONLINE:
                yield string("online.scan", where, heard)
            elif step.kind == StepKind.HELP_POINTS:
                sites = max(1, len(bundle.sites))  # a terminal stands at one site
                for site in bundle.sites.values():
                    for j, point in enumerate(site.help_points):
                        if point.provenance.unconfirmed:
                            continue  # never said: not shown to residents (Site.shown_points)
                        fields = (("name", point.name),)
                        # Only checked fields are said: an unknown address or hours is empty.
                        fields += tuple(
                            (name, text)
                            for name, text in (("address", point.address), ("hours", point.hours))
                            if text.values
                        )
                        for name, text in fields:
                            yield Spoken(
                                f"site.{site.id}.point-{j + 1}.{name}",
                                text,
                                f"sites/{site.id}.toml",
                                ("help_points", j),
                                (name,),
                                {k: f"{v}, {site.name(k)}" for k, v in where.items()},
                                heard / sites,
                            )
            if step.kind in (StepKind.QUESTION, StepKind.FINISH):
                for j, choice in enumerate(step.choices):
                    if choice.label.values:
                        yield Spoken(
                            f"service.{sid}.{step.id}.choice-{j + 1}",
                            choice.label,
                            svc.file,
                            ("steps", i, "choices", j),
                            ("label",),
                            where,
                            heard,
                        )
                    elif choice.action is not None:
                        yield string(f"finish.{choice.action.value}", where, heard)


def _place(kind: str, **texts: Text | str) -> dict[str, str]:
    """PLACES[kind] in each language, with the names filled in that language."""
    return {
        lang: template.format(**{k: v if isinstance(v, str) else v(lang) for k, v in texts.items()})
        for lang, template in PLACES[kind].items()
    }


def spoken_texts(bundle: Bundle, opened: Mapping[str, int] | None = None) -> list[Spoken]:
    """Every text residents hear, each key once (weights of its places added up),
    most heard first. `opened`: services opened per service id (usage counts)."""
    merged: dict[str, Spoken] = {}
    places: dict[str, int] = {}
    for s in _spoken(bundle, opened):
        if s.key in merged:
            first = merged[s.key]
            merged[s.key] = replace(first, weight=first.weight + s.weight)
            places[s.key] += 1
        else:
            merged[s.key] = s
            places[s.key] = 1
    out = []
    for k, s in merged.items():
        if places[k] > 1:
            more = _place("more", n=str(places[k] - 1))
            s = replace(s, where={lang: w + more[lang] for lang, w in s.where.items()})
        out.append(s)
    return sorted(out, key=lambda s: -s.weight)


def coverage(bundle: Bundle, lang: str, opened: Mapping[str, int] | None = None) -> Coverage:
    """Texts in `lang` with a recording in the bundle, out of all texts heard in it."""
    texts = [s for s in spoken_texts(bundle, opened) if s.text.has(lang)]
    recorded = [s for s in texts if s.text.audio.get(lang)]
    total = sum(s.weight for s in texts)
    share = sum(s.weight for s in recorded) / total if total else 0.0
    return Coverage(lang, len(recorded), len(texts), share)
