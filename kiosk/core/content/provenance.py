"""Provenance is data: which items must say where their facts came from, which
do not, and the list an admin rechecks (`kiosk content sources`, the studio).

Every fact a resident sees or hears cites a source of its own file ([sources.KEY]:
a page and the day a person read it) or is marked unconfirmed; the loader refuses
content where one has neither (`missing`). An unconfirmed item is never stated as
certain: `caution` is what the screen, the voice and the slip add to it, sending
the resident to a person. This module only describes; it draws and says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from kiosk.core.content.model import (
    Ask,
    Bundle,
    Provenance,
    Service,
    Site,
    Source,
    Step,
    StepKind,
    Text,
)
from kiosk.core.content.wording import said

STALE_DAYS = 180  # a page read longer ago than this is due for a recheck
# Official pages: a source on one of these domains (or a sub-domain) is the state's
# own word (ministries and agencies under gov.az, the laws on e-qanun.az, the
# President's site). A source elsewhere (news, a reference site) is kept for the
# admin but flagged: the studio marks it and `kiosk content sources` lists it to
# recheck against an official page.
OFFICIAL_SOURCE_DOMAINS = (
    "gov.az",
    "e-gov.az",
    "e-qanun.az",
    "president.az",
    "edu.az",
    "ombudsman.az",
)
# Steps that tell the resident something: they always cite or say unconfirmed.
TELLING_KINDS = (StepKind.INFO, StepKind.ONLINE)
# "2. Take the certificate ...": a step's own number is not a fact.
_STEP_NUMBER = re.compile(r"^\s*\d+\.\s")
_DIGIT = re.compile(r"\d")


def _has_number(text: Text) -> bool:
    return any(_DIGIT.search(_STEP_NUMBER.sub("", v)) for v in text.values.values())


def official_source(url: str) -> bool:
    """Whether `url` is an https page on an official domain (OFFICIAL_SOURCE_DOMAINS)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if parts.scheme != "https" or not host:
        return False
    return any(host == d or host.endswith("." + d) for d in OFFICIAL_SOURCE_DOMAINS)


def needs_source(step: Step) -> bool:
    """An info or online step always; any other step (a question, a checklist's
    heading, a finish) when its words or its choices hold a number: a phone, days,
    an age, an amount, hours."""
    if step.kind in TELLING_KINDS:
        return True
    texts = [step.text, step.say] + [c.label for c in step.choices]
    texts += [c.say for c in step.choices if c.say is not None]
    return any(_has_number(t) for t in texts)


@dataclass(frozen=True)
class Item:
    """One fact-bearing item of a service or site file."""

    where: str  # "step 'decision'", "document 2", "place 'social'", "help point 1"
    text: Text  # what the resident sees
    provenance: Provenance
    required: bool  # must cite a source or say unconfirmed


def service_items(svc: Service) -> Iterator[Item]:
    for step in svc.steps:
        yield Item(f"step {step.id!r}", step.text, step.provenance, needs_source(step))
    for i, doc in enumerate(svc.documents):
        yield Item(f"document {i + 1}", doc, svc.document_provenance(i), True)


def site_items(site: Site) -> Iterator[Item]:
    for key, place in site.places.items():
        yield Item(f"place {key!r}", place, site.place_provenance.get(key, Provenance()), True)
    for i, point in enumerate(site.help_points):
        yield Item(f"help point {i + 1}", point.name, point.provenance, True)


def missing(bundle: Bundle) -> list[tuple[str, str, str]]:
    """(file, item, message) for every fact-bearing item with neither a source nor
    an unconfirmed mark."""
    return missing_in(bundle.services.values(), bundle.sites.values())


def missing_in(
    services: Iterable[Service], sites: Iterable[Site], only_converted: bool = False
) -> list[tuple[str, str, str]]:
    """`missing` for services and sites; `only_converted` looks only at files that
    list [sources] or mark an item (the others still use the old service-level
    source, while content moves to [sources])."""
    out: list[tuple[str, str, str]] = []
    for svc in services:
        items = list(service_items(svc))
        if only_converted and not _converted(svc.sources, items):
            continue
        for it in items:
            if it.required and not it.provenance.marked:
                out.append((svc.file, f"service {svc.id!r} {it.where}", _MISSING))
    for site in sites:
        items = list(site_items(site))
        if only_converted and not _converted(site.sources, items):
            continue
        for it in items:
            if it.required and not it.provenance.marked:
                out.append((_site_file(site), f"site {site.id!r} {it.where}", _MISSING))
    return out


def _converted(sources: dict[str, Source], items: list[Item]) -> bool:
    return bool(sources) or any(it.provenance.marked for it in items)


_MISSING = said("no_source")


def _site_file(site: Site) -> str:
    return f"sites/{site.id}.toml"


def unused(bundle: Bundle) -> list[str]:
    """Warnings: a source in a file that no item of that file cites."""
    out = []
    for file, label, sources, items in _files(bundle):
        cited = {k for it in items for k in it.provenance.sources}
        for key in sources:
            if key not in cited:
                out.append(f"{file}: {label} source {key!r} is cited by no item")
    return out


def _files(bundle: Bundle) -> Iterator[tuple[str, str, dict[str, Source], list[Item]]]:
    for svc in bundle.services.values():
        yield svc.file, f"service {svc.id!r}", svc.sources, list(service_items(svc))
    for site in bundle.sites.values():
        yield _site_file(site), f"site {site.id!r}", site.sources, list(site_items(site))


def caution_key(provenance: Provenance) -> str:
    """The UI string for an unconfirmed item: ask the volunteer here (and 142), or 142."""
    return "unconfirmed.line" if provenance.ask is Ask.LINE else "unconfirmed.volunteer"


def caution(bundle: Bundle, provenance: Provenance) -> Text:
    """What the screen and the slip add to an unconfirmed item."""
    return bundle.strings[caution_key(provenance)]


def caution_said(bundle: Bundle, provenance: Provenance) -> Text:
    """What the voice adds to an unconfirmed item (numbers in words)."""
    return bundle.strings[caution_key(provenance) + "_say"]


def service_caution(svc: Service) -> Provenance | None:
    """The slip's caution for a service with anything unconfirmed in it: send the
    resident to the volunteer if any item says so, else to 142."""
    marks = [it.provenance for it in service_items(svc) if it.provenance.unconfirmed]
    if not marks:
        return None
    if any(p.ask is Ask.VOLUNTEER for p in marks):
        return Provenance(unconfirmed=True, ask=Ask.VOLUNTEER)
    return Provenance(unconfirmed=True, ask=Ask.LINE)


def report(bundle: Bundle, today: date, stale_days: int = STALE_DAYS) -> dict[str, Any]:
    """Per service and site: every source with its checked date and age, every
    unconfirmed item, the sources checked more than `stale_days` ago, items
    without provenance and sources nothing cites. Plain data (the CLI's --json,
    the hub's API)."""
    files = []
    totals = {"sources": 0, "unconfirmed": 0, "stale": 0, "unofficial": 0, "missing": 0}
    for file, label, sources, items in _files(bundle):
        kind, ident = label.split(" ", 1)
        cited: dict[str, list[str]] = {k: [] for k in sources}
        for it in items:
            for k in it.provenance.sources:
                cited.setdefault(k, []).append(it.where)
        rows = []
        for key, src in sources.items():
            age = (today - date.fromisoformat(src.checked)).days if src.checked else None
            rows.append(
                {
                    "key": key,
                    "url": src.url,
                    "checked": src.checked,
                    "title": src.title,
                    "note": src.note,
                    "age_days": age,
                    "stale": age is None or age > stale_days,
                    "official": official_source(src.url),
                    "cited_by": cited.get(key, []),
                }
            )
        unconfirmed = [
            {
                "item": it.where,
                "ask": it.provenance.ask.value,
                "text": it.text("az"),
                "sources": list(it.provenance.sources),
            }
            for it in items
            if it.provenance.unconfirmed
        ]
        entry = {
            "kind": kind,
            "id": ident.strip("'"),
            "file": file,
            "sources": rows,
            "unconfirmed": unconfirmed,
            "stale": [r["key"] for r in rows if r["stale"]],
            "unofficial": [r["key"] for r in rows if not r["official"]],
            "missing": [it.where for it in items if it.required and not it.provenance.marked],
            "unused": [r["key"] for r in rows if not r["cited_by"]],
        }
        files.append(entry)
        for what in totals:
            totals[what] += len(entry[what])
    return {"today": today.isoformat(), "stale_days": stale_days, "totals": totals, "files": files}


def report_lines(data: dict[str, Any]) -> list[str]:
    """The report as text, one file after another (`kiosk content sources`)."""
    lines = []
    for f in data["files"]:
        lines.append(f"{f['kind']} {f['id']} ({f['file']})")
        for s in f["sources"]:
            age = "no date" if s["age_days"] is None else f"{s['age_days']} days ago"
            due = "  RECHECK" if s["stale"] else ""
            due += "" if s.get("official", True) else "  NOT OFFICIAL"
            lines.append(f"  source {s['key']}: checked {s['checked'] or '-'} ({age}){due}")
            lines.append(f"    {s['url']}" + (f"  {s['title']}" if s["title"] else ""))
        for u in f["unconfirmed"]:
            lines.append(f"  unconfirmed {u['item']} (ask {u['ask']}): {u['text']}")
        for m in f["missing"]:
            lines.append(f"  NO SOURCE {m}")
        for k in f["unused"]:
            lines.append(f"  unused source {k}")
    t = data["totals"]
    lines.append(
        f"{t['sources']} sources, {t['stale']} checked over {data['stale_days']} days ago "
        f"(today {data['today']}), {t.get('unofficial', 0)} not on an official domain, "
        f"{t['unconfirmed']} unconfirmed items, "
        f"{t['missing']} without a source"
    )
    return lines
