"""Everything one terminal runs on, assembled once at start-up and passed to the
UI: settings, the installed content bundle, this site's profile, and the
devices and services (narration, printer, help desk, content updater).

Devices are chosen from settings by their own factories and handed in here, so
tests build a Terminal from fakes and the UI code above them stays the same.
Work that can block (rendering and printing slips, asking the hub) runs on this
module's worker threads; results come back through the callbacks given, which
the UI wraps so they run on its own thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from kiosk.core.content import Bundle, Site, load_bundle
from kiosk.core.content.places import for_site
from kiosk.core.narration.script import Line, all_lines
from kiosk.core.settings import Settings
from kiosk.paths import DEFAULT_CONTENT

log = logging.getLogger(__name__)


class NarratorLike(Protocol):
    available: bool
    problem: str | None

    def say(self, lines: list[Line]) -> None: ...
    def stop(self) -> None: ...
    def repeat(self) -> None: ...
    def louder(self) -> Any: ...
    def softer(self) -> Any: ...
    def set_slow(self, slow: bool) -> None: ...
    def change_rate(self, step: int) -> Any: ...
    def reset_for_new_resident(self) -> None: ...
    def shutdown(self, timeout: float = 5.0) -> Any: ...


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

    def change_rate(self, step: int) -> None:
        pass

    def reset_for_new_resident(self) -> None:
        pass

    def shutdown(self, timeout: float = 5.0) -> None:
        pass


class SiteError(Exception):
    pass


def content_dir(settings: Settings) -> Path:
    """The bundle this terminal shows when no update was ever installed."""
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


def load_terminal_content(settings: Settings, folder: Path | None = None) -> tuple[Bundle, Site]:
    """The bundle as this terminal shows it (its district's places filled in) and its site."""
    bundle = load_bundle(
        folder or content_dir(settings), settings["links.allowlist"], borrow_strings=True
    )
    if bundle.borrowed:
        log.warning(
            "content version %s predates %d screen words; using the default content's: %s",
            bundle.version,
            len(bundle.borrowed),
            ", ".join(bundle.borrowed),
        )
    site = load_site(bundle, settings["kiosk.site"])
    return for_site(bundle, site), site


@dataclass
class Terminal:
    settings: Settings
    bundle: Bundle
    site: Site
    narrator: NarratorLike
    printer: Any = None
    helpdesk: Any = None
    updater: Any = None
    usage: Any = None  # anonymous counts: services opened, slips printed, help asked
    heartbeat: Any = None
    # Whether narration plays into headphones (typed digits are said only there).
    headphones: Any = None
    faults: list[str] = field(default_factory=list)
    now: Callable[[], datetime] = datetime.now
    # Runs a callable on the UI thread (Kivy's Clock in the app; immediate in tests).
    schedule: Callable[[Callable[[], None]], None] = lambda fn: fn()
    # Attaches the services that need the network and databases (help desk,
    # heartbeat); called by start(), so they load after the first frame is drawn.
    connect: Callable[[Terminal], None] | None = None
    prerender_on_start: bool = True  # fill the narration cache in the background at start

    def site_now(self) -> datetime:
        """The time at the site (helpdesk.time_zone), whatever zone the machine is
        set to: ticket days and the dates on slips follow it."""
        return self.now().astimezone(ZoneInfo(self.settings["helpdesk.time_zone"]))

    def __post_init__(self) -> None:
        from kiosk.core.slips import SlipSpooler

        # One worker renders slips (PIL fonts are not shared between threads);
        # the spooler prints them with a time limit.
        self._slip_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slips")
        self._hub_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-status")
        self.spooler = (
            SlipSpooler(self.printer, self.settings["printer.timeout_seconds"])
            if self.printer
            else None
        )
        self._tickets: dict[str, Any] = {}
        self._update_prepared: Path | None = None
        self._started = False

    # -- start and stop -------------------------------------------------------
    def _connected(self) -> None:
        if self.connect is not None:
            connect, self.connect = self.connect, None
            try:
                connect(self)
            except Exception as exc:  # a full disk, a broken database: start anyway
                log.exception("help desk, usage counts or heartbeat did not start")
                self.record_fault(f"help desk, usage counts or heartbeat did not start: {exc}")

    def start(self) -> None:
        """Background services: help-request delivery, update polling, narration
        cache, heartbeat. The app calls it once its first frame is drawn."""
        if self._started:
            return
        self._started = True
        self._connected()
        if self.helpdesk is not None:
            self.helpdesk.start()
        if self.updater is not None:
            self.updater.start()
        if self.heartbeat is not None:
            self.heartbeat.start()
        prerender = getattr(self.narrator, "prerender", None)
        if prerender is not None and self.prerender_on_start:
            prerender(list(all_lines(self.bundle, self.settings["kiosk.languages"])))
        log.info("terminal services started")

    def close(self, timeout: float = 10.0) -> None:
        """Stop everything: narration silenced first, the help desk's worker stopped
        and its outbox (undelivered requests stay in it) and the usage counts closed.
        Background threads get about `timeout` seconds in all to end."""
        self.narrator.stop()
        self._slip_worker.shutdown(wait=False, cancel_futures=True)
        self._hub_worker.shutdown(wait=False, cancel_futures=True)
        each = timeout / 4
        if self.heartbeat is not None:
            self.heartbeat.stop(each)
        if self.updater is not None:
            self.updater.stop(each)
        if self.helpdesk is not None:
            self.helpdesk.stop(each)
            self.helpdesk.close()
        if self.usage is not None:
            self.usage.close()
        self.narrator.shutdown(each)

    def count(self, event: str, service_id: str | None) -> None:
        """One anonymous usage count (never a name or a number)."""
        if self.usage is not None:
            from kiosk.core.usage import UsageEvent

            self.usage.count(UsageEvent(event), service_id)

    def record_fault(self, message: str) -> None:
        """A device fault staff and admins should see (printer out of paper, ...)."""
        log.warning("fault: %s", message)
        self.faults.append(message)
        del self.faults[:-20]

    # -- help requests --------------------------------------------------------
    def help_available(self) -> bool:
        """Tickets can be issued now; if not, residents are sent to a person."""
        self._connected()  # a resident faster than the start-up
        return self.helpdesk is not None and self.helpdesk.ready()

    def request_help(self, topic: str | None, session_id: str, phone: str, lang: str = "") -> str:
        """A ticket number, at once: the request is in the local outbox before this returns.

        HelpDeskUnavailable when no request can be stored (full disk): no ticket.
        """
        from kiosk.core.helpdesk.model import HelpDeskUnavailable

        self._connected()  # a resident faster than the start-up
        if self.helpdesk is None:
            raise HelpDeskUnavailable("the help desk did not start")
        ticket = self.helpdesk.request(topic, session_id, phone=phone, lang=lang)
        self._tickets[ticket.number] = ticket
        self.count("help", topic)
        return ticket.number

    def ticket_refused(self, number: str) -> bool:
        """The hub refused this ticket's request: it will not be called as it stands."""
        ticket = self._tickets.get(number)
        return ticket is not None and self.helpdesk is not None and self.helpdesk.refused(ticket)

    def queue_status(self, number: str, on_done: Callable[[Any], None]) -> None:
        """The hub's QueueStatus for this ticket (people ahead, minutes), or None,
        asked off the caller's thread."""
        ticket = self._tickets.get(number)
        if ticket is None or self.helpdesk is None:
            on_done(None)
            return

        def work() -> None:
            try:
                status = self.helpdesk.queue_status(ticket)
            except Exception:  # the hub is optional: no figure, no fuss
                log.exception("queue status")
                status = None
            on_done(status)

        try:
            self._hub_worker.submit(work)
        except RuntimeError:  # the terminal is stopping: no more questions to the hub
            on_done(None)

    # -- slips ----------------------------------------------------------------
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
                self.site_now(),
                allowlist=self.settings["links.allowlist"],
            )

        def printed(ok: bool) -> None:
            if ok:
                self.count("printed", service_id)
            on_done(ok)

        self._print(render, printed)

    def print_ticket_slip(
        self, ticket: str, topic: str | None, lang: str, on_done: Callable[[bool], None]
    ) -> None:
        from kiosk.core.helpdesk.tickets import ticket_day
        from kiosk.core.slips import render_ticket_slip

        def render() -> Any:
            now = self.site_now()
            return render_ticket_slip(
                self.bundle,
                ticket,
                lang,
                self.site.id,
                self.settings["kiosk.terminal_id"],
                topic,
                self.settings["printer.paper_mm"],
                now,
                day=ticket_day(now, self.settings["helpdesk.day_starts_hour"]),
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

    # -- content updates --------------------------------------------------------
    def update_staged(self, _result: Any = None) -> None:
        """The updater staged a new bundle (called on its thread): pre-render its
        narration; the switch waits for that and for the next quiet moment."""
        folder = self.updater.pending_dir() if self.updater is not None else None
        if folder is None:
            return
        try:
            bundle, _site = load_terminal_content(self.settings, folder)
        except Exception as exc:
            self.record_fault(f"staged content does not load here: {exc}")
            return

        def prepared(done: int, total: int) -> None:
            if done >= total:
                self._update_prepared = folder

        def start_prerender() -> None:
            prerender = getattr(self.narrator, "prerender", None)
            lines = list(all_lines(bundle, self.settings["kiosk.languages"]))
            if prerender is None or prerender(lines, on_progress=prepared, bundle=bundle) == 0:
                self._update_prepared = folder

        self.schedule(start_prerender)

    def between_residents(self) -> bool:
        """Called on the UI thread when nobody is mid-flow: switch in a prepared
        bundle. True when the content changed (the UI rebuilds from it)."""
        if self.updater is None or self._update_prepared is None or not self.updater.pending():
            return False
        self._update_prepared = None
        if not self.updater.switch_pending():
            return False
        folder = self.updater.installed_dir()
        try:
            bundle, site = load_terminal_content(self.settings, folder)
        except Exception as exc:
            self.updater.restore_previous(f"the app could not load it: {exc}")
            self.record_fault(f"new content did not load; kept the previous one: {exc}")
            return False
        self.bundle, self.site = bundle, site
        set_bundle = getattr(self.narrator, "set_bundle", None)
        if set_bundle is not None:
            set_bundle(bundle)
        log.info("content version %s switched in", bundle.version)
        return True
