"""Everything one terminal runs on, assembled once at start-up and passed to the
UI: settings, the installed content bundle, this site's profile, and the
devices and services (narration, printer, help desk, updater).

Devices are chosen from settings by their own factories and handed in here, so
tests build a Terminal from fakes and the UI code above them stays the same.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
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

    def record_fault(self, message: str) -> None:
        """A device fault staff and admins should see (printer out of paper, ...)."""
        log.warning("fault: %s", message)
        self.faults.append(message)
        del self.faults[:-20]

    def between_residents(self) -> None:
        """Called on the attract screen, when nobody is mid-flow."""

    def close(self) -> None:
        self.narrator.shutdown()
        if self.helpdesk is not None:
            self.helpdesk.stop()


def load_terminal_content(settings: Settings) -> tuple[Bundle, Site]:
    bundle = load_bundle(content_dir(settings), settings["links.allowlist"])
    return bundle, load_site(bundle, settings["kiosk.site"])
