"""Start the terminal: load content and devices, then run the app."""

from __future__ import annotations

import logging

from kiosk.core.content import BundleError
from kiosk.core.settings import Settings
from kiosk.core.terminal import NoNarration, SiteError, Terminal, load_terminal_content

log = logging.getLogger(__name__)


def run_app(settings: Settings, with_hub: bool = False) -> int:
    try:
        bundle, site = load_terminal_content(settings)
    except (BundleError, SiteError) as exc:
        problems = getattr(exc, "problems", [exc])
        log.error(
            "cannot start: the content bundle has problems:\n  %s", "\n  ".join(map(str, problems))
        )
        return 2
    from kiosk.ui.app import KomekApp

    terminal = Terminal(settings, bundle, site, NoNarration())
    KomekApp(terminal).run()
    return 0
