"""Start the terminal: load content and devices, then run the app."""

from __future__ import annotations

import logging
from typing import Any

from kiosk.core.content import BundleError
from kiosk.core.settings import Settings
from kiosk.core.terminal import SiteError, Terminal, load_terminal_content

log = logging.getLogger(__name__)


def build_terminal(settings: Settings, bench: bool = False) -> Terminal:
    """The terminal with its real devices. `bench`: no sound card, printer or hub
    is touched (fakes at the very edge); everything above them is real."""
    from kiosk.core.content.update import ContentUpdater
    from kiosk.core.narration.headphones import make_headphones
    from kiosk.core.narration.narrator import make_narrator
    from kiosk.core.narration.player import FakePlayer
    from kiosk.core.slips import FakePrinter, make_printer
    from kiosk.ui.audio import KivyPlayer, ui_schedule

    data = settings.path("kiosk.data_dir")
    data.mkdir(parents=True, exist_ok=True)
    updater = None if bench else ContentUpdater(settings)
    if updater is not None:
        updater.switch_pending()  # a bundle staged before a restart gets in now
    folder = updater.installed_dir() if updater else None
    fallback = None
    try:
        bundle, site = load_terminal_content(settings, folder)
    except BundleError as exc:
        # A broken configured bundle must not brick the terminal: show the bundled content.
        from kiosk.paths import DEFAULT_CONTENT

        fallback = f"content at {folder or settings['kiosk.content_dir']} does not load ({len(exc.problems)} problems, first: {exc.problems[0]}); showing the bundled default content"
        log.error("%s", fallback)
        bundle, site = load_terminal_content(settings, DEFAULT_CONTENT)
    narrator = make_narrator(settings, bundle, FakePlayer() if bench else KivyPlayer(), ui_schedule)
    printer = FakePrinter() if bench else make_printer(settings)
    terminal = Terminal(
        settings,
        bundle,
        site,
        narrator,
        printer=printer,
        updater=updater,
        schedule=ui_schedule,
        connect=lambda t: _connect(t, bench),
        headphones=make_headphones("none" if bench else settings["access.headphones"]),
    )
    terminal.prerender_on_start = not bench  # the bench measures a terminal whose cache is filled
    if fallback:
        terminal.record_fault(fallback)
    if updater is not None:
        updater.on_ready = terminal.update_staged
    return terminal


def _connect(terminal: Terminal, bench: bool) -> None:
    """The help desk outbox, usage counts and heartbeat (databases and HTTP)."""
    from kiosk.core.heartbeat import Heartbeat, terminal_status
    from kiosk.core.helpdesk import HelpDesk, transport_from_settings
    from kiosk.core.helpdesk.transport import FakeHubTransport
    from kiosk.core.usage import UsageCounter

    settings = terminal.settings
    data = settings.path("kiosk.data_dir")
    transport = FakeHubTransport() if bench else transport_from_settings(settings)
    terminal.helpdesk = HelpDesk(settings, data / "kiosk.db", transport)
    terminal.usage = UsageCounter.in_data_dir(data)
    if not bench:
        terminal.heartbeat = Heartbeat(
            settings,
            lambda: terminal_status(terminal),
            terminal.usage,
            transport_from_settings(settings),
        )


def run_app(settings: Settings, server: Any = None) -> int:
    """Run the terminal; `server` (a hub started for `kiosk run --with-hub`) is stopped after."""
    try:
        terminal = build_terminal(settings)
    except (BundleError, SiteError) as exc:
        problems = getattr(exc, "problems", [exc])
        log.error(
            "cannot start: the content bundle has problems:\n  %s", "\n  ".join(map(str, problems))
        )
        return 2
    from kiosk.ui.app import KomekApp

    try:
        KomekApp(terminal).run()  # starts the terminal's services after its first frame
    finally:
        if server is not None:
            server.should_exit = True
    return 0
