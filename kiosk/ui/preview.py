"""Render every screen of every flow off-screen to PNG files, named so a person
can find a screen: <lang>/<nn>-<screen>[-<service>-<step>[-page<n>]].png (a
compact screen's further pages of a step, as "more" shows them).

Admins use it to check content before publishing; developers to check layouts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.core.flow import Position
from kiosk.ui.fit import layout_problems, qr_sizes
from kiosk.ui.harness import OffscreenKiosk


def sample_steps(
    bundle: Any, crowded: bool = False, languages: tuple[str, ...] = ("az", "ru")
) -> set[tuple[str, str]]:
    """A few steps that stand for all: the first of each kind, and the question and
    the finish with the most choices (for the quick form-factor checks). `crowded`:
    also the ones with the least room on a small screen, in any of `languages`: of
    each kind the longest words, and the longest with a note on an unconfirmed
    fact; the longest checklist and the longest checklist line."""
    chosen: dict[Any, tuple[int, str, str]] = {}
    most: dict[Any, tuple[int, str, str]] = {}

    def longest(key: Any, size: int, service_id: str, step_id: str) -> None:
        if key not in most or size > most[key][0]:
            most[key] = (size, service_id, step_id)

    def length(text: Any) -> int:
        return max(len(text(lang)) for lang in languages)

    for service in bundle.services.values():
        for step in service.steps:
            key = (step.kind, len(step.choices))
            if key not in chosen:
                chosen[key] = (len(step.choices), service.id, step.id)
            if not crowded:
                continue
            words = length(step.text)
            longest(("words", step.kind), words, service.id, step.id)
            unsure = step.provenance.unconfirmed or (
                step.kind.value == "documents"
                and any(
                    service.document_provenance(i).unconfirmed
                    for i in range(len(service.documents))
                )
            )
            if unsure:
                longest(("unconfirmed", step.kind), words, service.id, step.id)
            if step.kind.value == "documents" and service.documents:
                lines = [length(d) for d in service.documents]
                longest("checklist", sum(lines), service.id, step.id)
                longest("checklist line", max(lines), service.id, step.id)
    picked = list(chosen.values()) + list(most.values())
    return {(service_id, step_id) for _n, service_id, step_id in picked}


# The screens a resident meets after the flows (help, the keypad, the ticket, the
# slip), the attract screen, the idle prompt and the staff screen: `screen_states(kinds=...)`.
END_SCREENS = ("attract", "help", "keypad", "ticket", "slip", "idle", "staff")


def screen_states(
    k: OffscreenKiosk,
    lang: str,
    sample: bool = False,
    large: bool = False,
    crowded: bool = False,
    kinds: tuple[str, ...] | None = None,
) -> Iterator[str]:
    """Put the app into each screen state in turn; yields a file-name stem for each.
    `sample`: every kind of screen once (one group, one step per kind and size of choices;
    `crowded`: and the steps with the least room, sample_steps);
    `large`: large letters and high contrast from the first screen on;
    `kinds`: only these screens (their names as in the stems: "keypad", "step"...)."""
    app = k.app
    app.start_over()
    app.set_large(large, say=False)
    for stem in _states(k, lang, sample, crowded, kinds):
        if kinds is None or stem.split("-")[0] in kinds:
            yield stem


def _states(
    k: OffscreenKiosk, lang: str, sample: bool, crowded: bool, kinds: tuple[str, ...] | None
) -> Iterator[str]:
    app = k.app
    bundle = app.terminal.bundle
    yield "attract"
    attract = app.sm.get_screen("attract")
    for page in range(2, attract.pages + 1):  # a 7-inch panel's languages in large letters
        attract.next_page()
        yield f"attract-page{page}"
    app.begin()
    yield "language"
    app.choose_language(lang)
    yield "home"
    yield from _more_pages(app, "home")
    groups = bundle.groups
    if sample:
        groups = [max(groups, key=lambda g: len(bundle.services_in(g.id)))]
    for group in groups if kinds is None or "group" in kinds else []:
        app.go_home()
        app.open_group(group.id)
        yield f"group-{group.id}"
        yield from _more_pages(app, f"group-{group.id}")
    steps = sample_steps(bundle, crowded) if sample else None
    for service in bundle.services.values() if kinds is None or "step" in kinds else []:
        app.open_service(service.id)
        for step in service.steps:
            if steps is not None and (service.id, step.id) not in steps:
                continue
            app.navigator.history = [Position(service.id, step.id)]
            app.show("step", push=False)
            yield f"step-{service.id}-{step.id}"
            screen = app.sm.get_screen("step")
            for page in range(2, screen.pages + 1):  # a compact screen's other pages ("more")
                screen.next_page()
                yield f"step-{service.id}-{step.id}-page{page}"
    service_id = next(iter(bundle.services))
    app.navigator.start(service_id)
    app.help_topic = service_id
    app.show("help", topic=service_id)
    yield "help"
    help_screen = app.sm.get_screen("help")
    for page in range(2, help_screen.pages + 1):  # a 7-inch panel's pages in large letters
        help_screen.next_page()
        yield f"help-page{page}"
    app.resident.phone = "0501234567"
    app.show("keypad")
    yield "keypad"
    app.show("keypad", checked=app.resident.phone)
    yield "keypad-check"
    app.show("keypad", problem="unknown")
    yield "keypad-refused"
    app.resident.ticket = f"{app.terminal.settings['kiosk.ticket_letter']}-014"
    from kiosk.core.helpdesk.model import QueueStatus, RequestStatus

    app.queue = QueueStatus(RequestStatus.WAITING, 3, 12)
    app.show("ticket", printed=True)
    ticket = app.sm.get_screen("ticket")
    yield "ticket"
    for page in range(2, ticket.pages + 1):  # a 7-inch panel's pages in large letters
        ticket.next_page()
        yield f"ticket-page{page}"
    ticket.page = 0
    ticket.show_queue(None, refused=True)  # the hub refused it
    yield "ticket-refused"
    for page in range(2, ticket.pages + 1):
        ticket.next_page()
        yield f"ticket-refused-page{page}"
    for state in ("printing", "printed", "failed"):
        app.show(
            "slip",
            service_id="social-assistance"
            if "social-assistance" in bundle.services
            else service_id,
            state=state,
        )
        yield f"slip-{state}"
        slip = app.sm.get_screen("slip")
        for page in range(2, slip.pages + 1):  # a 7-inch panel's pages in large letters
            slip.next_page()
            yield f"slip-{state}-page{page}"
    app.show("home")
    app.idle_prompt.open_for(app)
    app.idle_prompt.remaining = 25
    yield "idle"
    app.idle_prompt.close()
    app.show("staff")
    app.screen.pin = "1234"
    app.screen.show(bundle.string("staff.wrong", lang))
    yield "staff"


def _more_pages(app: Any, stem: str) -> Iterator[str]:
    """The other pages of a home or group screen that large letters on a 7-inch panel
    page (the bar's "More"), each as it turns to it."""
    if not app.can_more:
        return
    screen = app.sm.current_screen
    for page in range(2, screen.pages + 1):
        app.more_page()
        yield f"{stem}-page{page}"


def show_one(k: OffscreenKiosk, lang: str, screen: str, item: str = "", step: str = "") -> None:
    """Put the app on one screen, as `screen_states` does: home, group (item = group id)
    or step (item = service id, step = step id)."""
    app = k.app
    app.start_over()
    app.begin()
    app.choose_language(lang)
    if screen == "group":
        app.open_group(item)
    elif screen == "step":
        service = app.terminal.bundle.services[item]
        app.open_service(service.id)
        app.navigator.history = [Position(service.id, step or service.steps[0].id)]
        app.show("step", push=False)
    elif screen != "home":
        raise ValueError(f"unknown screen {screen!r}")


def areas(k: OffscreenKiosk) -> dict[str, Any]:
    ids = k.app.root.ids
    found = {
        "screen": k.app.sm.current_screen,
        "top bar": ids.top_bar,
        "bottom bar": ids.bottom_bar,
        "title row": ids.side_title,
        "sound notice": ids.side_notice,
    }
    if k.app.idle_prompt.is_open:
        found["idle prompt"] = k.app.idle_prompt
    return found


def render_all(
    k: OffscreenKiosk,
    out: Path | None,
    languages: list[str],
    sample: bool = False,
    large: bool = False,
    qr: dict[str, list[float]] | None = None,
    crowded: bool = False,
    kinds: tuple[str, ...] | None = None,
) -> dict[str, list[str]]:
    """Render (and save, when out is given) every screen; returns the problems by file name
    (kiosk.ui.fit: text cut or hidden, pictograms outside their buttons, overlaps, small
    QR codes, touch targets or text under the minimum size). `large`: in large letters
    and high contrast. `qr`, when given, gets the side in mm of every QR code shown, by
    file name. `crowded`: a sample also has the steps with the least room (sample_steps).
    `kinds`: only these screens (screen_states)."""
    problems: dict[str, list[str]] = {}
    for lang in languages:
        for n, stem in enumerate(screen_states(k, lang, sample, large, crowded, kinds)):
            k.frames(3)
            name = f"{lang}/{n:02d}-{stem}.png"
            found = layout_problems(areas(k), k.app.theme)
            if qr is not None and (sizes := qr_sizes(areas(k), k.app.theme)):
                qr[name] = sizes
            if found:
                problems[name] = found
            if out is not None:
                k.screenshot(out / name)
    k.app.start_over()
    return problems
