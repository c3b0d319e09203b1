"""Render every screen of every flow off-screen to PNG files, named so a person
can find a screen: <lang>/<nn>-<screen>[-<service>-<step>].png.

Admins use it to check content before publishing; developers to check layouts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.core.flow import Position
from kiosk.ui.fit import text_problems
from kiosk.ui.harness import OffscreenKiosk


def screen_states(k: OffscreenKiosk, lang: str) -> Iterator[str]:
    """Put the app into each screen state in turn; yields a file-name stem for each."""
    app = k.app
    bundle = app.terminal.bundle
    app.start_over()
    yield "attract"
    app.begin()
    yield "language"
    app.choose_language(lang)
    yield "home"
    for group in bundle.groups:
        app.go_home()
        app.open_group(group.id)
        yield f"group-{group.id}"
    for service in bundle.services.values():
        app.open_service(service.id)
        for step in service.steps:
            app.navigator.history = [Position(service.id, step.id)]
            app.show("step", push=False)
            yield f"step-{service.id}-{step.id}"
    service_id = next(iter(bundle.services))
    app.navigator.start(service_id)
    app.help_topic = service_id
    app.show("help", topic=service_id)
    yield "help"
    app.resident.phone = "0501234567"
    app.show("keypad")
    yield "keypad"
    app.resident.ticket = f"{app.terminal.settings['kiosk.ticket_letter']}-014"
    from kiosk.core.helpdesk.model import QueueStatus, RequestStatus

    app.queue = QueueStatus(RequestStatus.WAITING, 3, 12)
    app.show("ticket")
    yield "ticket"
    for state in ("printing", "printed", "failed"):
        app.show(
            "slip",
            service_id="social-assistance"
            if "social-assistance" in bundle.services
            else service_id,
            state=state,
        )
        yield f"slip-{state}"
    app.show("home")
    app.idle_prompt.open_for(app)
    app.idle_prompt.remaining = 25
    yield "idle"
    app.idle_prompt.close()


def areas(k: OffscreenKiosk) -> dict[str, Any]:
    ids = k.app.root.ids
    found = {
        "screen": k.app.sm.current_screen,
        "top bar": ids.top_bar,
        "bottom bar": ids.bottom_bar,
    }
    if k.app.idle_prompt.is_open:
        found["idle prompt"] = k.app.idle_prompt
    return found


def render_all(k: OffscreenKiosk, out: Path | None, languages: list[str]) -> dict[str, list[str]]:
    """Render (and save, when out is given) every screen; returns the text problems by file name."""
    problems: dict[str, list[str]] = {}
    for lang in languages:
        for n, stem in enumerate(screen_states(k, lang)):
            k.frames(3)
            name = f"{lang}/{n:02d}-{stem}.png"
            found = text_problems(areas(k))
            if found:
                problems[name] = found
            if out is not None:
                k.screenshot(out / name)
    k.app.start_over()
    return problems
