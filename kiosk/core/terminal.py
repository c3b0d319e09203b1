"""Everything one terminal runs on, assembled once at start-up and passed to the
UI: settings, the installed content bundle, this site's profile, and the
devices and services (narration, printer, help desk, updater).

Devices are chosen from settings by their own factories and handed in here, so
tests build a Terminal from fakes and the UI code above them stays the same.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from kiosk.core.content import Bundle, Site, load_bundle
from kiosk.core.narration.script import Line
from kiosk.core.settings import Settings
from kiosk.paths import DEFAULT_CONTENT

log = logging.getLogger(__name__)


class NarratorLike(Protocol):
    available: bool
    problem: str | None

    def say(self, lines: list[Line]) -> None: ...
    def stop(self) -> None: ...
    def repeat(self) -> None: ...
    def louder(self) -> None: ...
    def softer(self) -> None: ...
    def set_slow(self, slow: bool) -> None: ...
    def reset_for_new_resident(self) -> None: ...
    def shutdown(self) -> None: ...


class NoNarration:
    """Says nothing: for `kiosk preview` and benchmarks of the screens alone."""

    available = True
    problem: str | None = None

    def say(self, lines: list[Line]) -> None:
        pass

    def stop(self) -> None:
        pass

    def repeat(self) -> None:
        pass

    def louder(self) -> None:
        pass

    def softer(self) -> None:
        pass

    def set_slow(self, slow: bool) -> None:
        pass

    def reset_for_new_resident(self) -> None:
        pass

    def shutdown(self) -> None:
        pass


class SiteError(Exception):
    pass


def content_dir(settings: Settings) -> Path:
    """The bundle this terminal shows: the configured one, else the bundled default."""
    configured = settings["kiosk.content_dir"]
    return settings.path("kiosk.content_dir") if configured else DEFAULT_CONTENT


def load_site(bundle: Bundle, site_id: str) -> Site:
    try:
        return bundle.sites[site_id]
    except KeyError:
        known = ", ".join(sorted(bundle.sites))
        raise SiteError(
            f"kiosk.site: no site profile {site_id!r} in the content bundle (known: {known})"
        ) from None


@dataclass
class Terminal:
    settings: Settings
    bundle: Bundle
    site: Site
    narrator: NarratorLike
    printer: Any = None
    helpdesk: Any = None
    updater: Any = None
    faults: list[str] = field(default_factory=list)
    now: Callable[[], datetime] = datetime.now

    def __post_init__(self) -> None:
        from kiosk.core.slips import SlipSpooler

        # One worker renders slips (PIL fonts are not shared between threads);
        # the spooler prints them with a time limit.
        self._slip_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slips")
        self.spooler = (
            SlipSpooler(self.printer, self.settings["printer.timeout_seconds"])
            if self.printer
            else None
        )

    def print_service_slip(
        self, service_id: str | None, lang: str, on_done: Callable[[bool], None]
    ) -> None:
        """Render and print a service's slip off the caller's thread; on_done(printed) once."""
        from kiosk.core.slips import render_service_slip

        def render() -> Any:
            return render_service_slip(
                self.bundle,
                service_id or "",
                lang,
                self.site.id,
                self.settings["kiosk.terminal_id"],
                self.settings["printer.paper_mm"],
                self.now(),
                allowlist=self.settings["links.allowlist"],
            )

        self._print(render, on_done)

    def print_ticket_slip(
        self, ticket: str, topic: str | None, lang: str, on_done: Callable[[bool], None]
    ) -> None:
        from kiosk.core.slips import render_ticket_slip

        def render() -> Any:
            return render_ticket_slip(
                self.bundle,
                ticket,
                lang,
                self.site.id,
                self.settings["kiosk.terminal_id"],
                topic,
                self.settings["printer.paper_mm"],
                self.now(),
            )

        self._print(render, on_done)

    def _print(self, render: Callable[[], Any], on_done: Callable[[bool], None]) -> None:
        from kiosk.core.slips import PrintStatus

        def printed(result: Any) -> None:
            if result.status != PrintStatus.OK:
                self.record_fault(f"printer {result.status.value}: {result.message}")
            on_done(result.status == PrintStatus.OK)

        def work() -> None:
            try:
                image = render()
            except Exception as exc:  # a slip that cannot be drawn must not freeze the screen
                log.exception("slip not rendered")
                self.record_fault(f"slip not rendered: {exc}")
                on_done(False)
                return
            if self.spooler is None:
                on_done(False)
                return
            self.spooler.submit(image, printed)

        self._slip_worker.submit(work)

    def record_fault(self, message: str) -> None:
        """A device fault staff and admins should see (printer out of paper, ...)."""
        log.warning("fault: %s", message)
        self.faults.append(message)
        del self.faults[:-20]

    def between_residents(self) -> None:
        """Called on the attract screen, when nobody is mid-flow."""

    def close(self) -> None:
        self._slip_worker.shutdown(wait=False, cancel_futures=True)
        self.narrator.shutdown()
        if self.helpdesk is not None:
            self.helpdesk.stop()


def load_terminal_content(settings: Settings) -> tuple[Bundle, Site]:
    bundle = load_bundle(content_dir(settings), settings["links.allowlist"])
    return bundle, load_site(bundle, settings["kiosk.site"])
