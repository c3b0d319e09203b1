"""District routes: a service step says "{place:social}" and each site profile says
where that is in its district ("Qarabağ Regional DOST Mərkəzi, Bərdə").

`for_site` returns the bundle as one terminal shows it: every service text with
this site's places filled in. The screen, the voice, the slip and the booklet all
read that bundle, so they say the same place. The validator makes sure every
place a service uses is given by every site in every language. A step or a
document that names a place this site marks unconfirmed is itself unconfirmed
here: it is never stated as certain.
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.core.content.loader import PLACE_RE
from kiosk.core.content.model import Bundle, Provenance, Service, Site, Text


def fill(text: Text, site: Site) -> Text:
    """`text` with each {place:X} replaced by the site's words for X, per language."""
    if not any("{place:" in v for v in text.values.values()):
        return text
    values = {
        lang: PLACE_RE.sub(lambda m, lang=lang: _place(site, m.group(1), lang), value)
        for lang, value in text.values.items()
    }
    # A recording of the text says no place name: it cannot stand for the filled text.
    return Text(values, {})


def _place(site: Site, key: str, lang: str) -> str:
    place = site.places.get(key)
    return place(lang) if place is not None else ""


def _places_used(texts: list[Text | None]) -> set[str]:
    return {
        k for t in texts if t is not None for v in t.values.values() for k in PLACE_RE.findall(v)
    }


def with_places(provenance: Provenance, site: Site, texts: list[Text | None]) -> Provenance:
    """An item's provenance at this site: unconfirmed when a place it names is."""
    if provenance.unconfirmed:
        return provenance
    for key in sorted(_places_used(texts)):
        place = site.place_provenance.get(key)
        if place is not None and place.unconfirmed:
            return replace(provenance, unconfirmed=True, ask=place.ask)
    return provenance


def fill_service(svc: Service, site: Site) -> Service:
    """One service with the site's places filled in."""
    steps = tuple(
        replace(
            st,
            provenance=with_places(
                st.provenance,
                site,
                [st.text, st.say, *(c.label for c in st.choices), *(c.say for c in st.choices)],
            ),
            text=fill(st.text, site),
            say=fill(st.say, site),
            choices=tuple(
                replace(c, label=fill(c.label, site), say=fill(c.say, site) if c.say else None)
                for c in st.choices
            ),
        )
        for st in svc.steps
    )
    return replace(
        svc,
        title=fill(svc.title, site),
        summary=fill(svc.summary, site),
        documents=tuple(fill(d, site) for d in svc.documents),
        documents_say=tuple(fill(d, site) for d in svc.documents_say),
        documents_provenance=tuple(
            with_places(svc.document_provenance(i), site, [d, svc.document_say(i)])
            for i, d in enumerate(svc.documents)
        ),
        steps=steps,
    )


def for_site(bundle: Bundle, site: Site) -> Bundle:
    """The bundle as a terminal at `site` shows it: places filled in everywhere."""
    return replace(bundle, services={k: fill_service(s, site) for k, s in bundle.services.items()})


__all__ = ["fill", "fill_service", "for_site", "with_places"]
