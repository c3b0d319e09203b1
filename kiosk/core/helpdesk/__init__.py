"""Help requests on the terminal: ticket numbers, the SQLite outbox, delivery to the hub.

The UI builds one HelpDesk at start-up (see desk.py) and calls request() when a
resident presses "Call a helper". No Kivy, FastAPI or hub imports here.
"""

from collections.abc import Mapping
from typing import Any

from kiosk.core.helpdesk.clock import Clock, FakeClock, SystemClock
from kiosk.core.helpdesk.desk import HelpDesk
from kiosk.core.helpdesk.model import (
    Delivery,
    HelpDeskUnavailable,
    HubRejected,
    HubUnavailable,
    QueueStatus,
    RequestStatus,
    Ticket,
)
from kiosk.core.helpdesk.transport import (
    FakeHubTransport,
    HubTransport,
    NoHubTransport,
    RequestsHubTransport,
)

__all__ = [
    "Clock",
    "Delivery",
    "FakeClock",
    "FakeHubTransport",
    "HelpDesk",
    "HelpDeskUnavailable",
    "HubRejected",
    "HubTransport",
    "HubUnavailable",
    "NoHubTransport",
    "QueueStatus",
    "RequestStatus",
    "RequestsHubTransport",
    "SystemClock",
    "Ticket",
    "transport_from_settings",
]


def transport_from_settings(settings: Mapping[str, Any]) -> HubTransport:
    """The real hub client from hub.url; with no hub configured, tickets stay in the outbox."""
    if not settings["hub.url"]:
        return NoHubTransport()
    return RequestsHubTransport(
        settings["hub.url"], settings["hub.terminal_key"], settings["hub.timeout_seconds"]
    )
