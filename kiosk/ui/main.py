"""Start the terminal: load content and devices, then run the app."""

from __future__ import annotations

import logging

from kiosk.core.content import BundleError
from kiosk.core.settings import Settings
from kiosk.core.terminal import NoNarration, SiteError, Terminal, load_terminal_content

log = logging.getLogger(__name__)


def build_terminal(settings: Settings, bench: bool = False) -> Terminal:
    """The terminal with its real devices. `bench`: no sound card or printer is
    touched (fakes at the very edge); everything above them is real."""
    from kiosk.core.slips import FakePrinter, make_printer

    bundle, site = load_terminal_content(settings)
    printer = FakePrinter() if bench else make_printer(settings)
    return Terminal(settings, bundle, site, NoNarration(), printer=printer)


def run_app(settings: Settings, with_hub: bool = False) -> int:
    try:
        terminal = build_terminal(settings)
    except (BundleError, SiteError) as exc:
        problems = getattr(exc, "problems", [exc])
        log.error(
            "cannot start: the content bundle has problems:\n  %s", "\n  ".join(map(str, problems))
        )
        return 2
    from kiosk.ui.app import KomekApp

    KomekApp(terminal).run()
    return 0
