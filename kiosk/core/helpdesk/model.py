"""Help requests as plain data, shared by the terminal and the hub: the states a
request goes through, the ticket a resident is given, and the queue status a
terminal shows.

Nothing here talks to a network, a database or a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class RequestStatus(StrEnum):
    """Where a help request is in the volunteers' queue (UX.md: public queue states)."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"

    @property
    def open(self) -> bool:
        """Still needs a volunteer."""
        return self in (RequestStatus.WAITING, RequestStatus.CALLED, RequestStatus.SERVING)


class Delivery(StrEnum):
    """Whether the hub has the request yet (the terminal's outbox view)."""

    PENDING = "pending"
    DELIVERED = "delivered"


@dataclass(frozen=True)
class Ticket:
    """What the resident is given: the number to show, say and print.

    `key` is the request's idempotency key: the hub stores one request per key
    however often the terminal sends it.
    """

    number: str  # "B-014"
    key: str
    topic_service_id: str | None
    issued_at: datetime
    session_id: str


@dataclass(frozen=True)
class QueueStatus:
    """The hub's answer to "how long will I wait?" for one ticket."""

    status: RequestStatus
    people_ahead: int
    wait_minutes: int  # estimate; 0 means "soon"


class HubUnavailable(Exception):
    """The hub could not be reached or did not answer in time; try again later."""


class HubRejected(Exception):
    """The hub answered but refused (bad key, revoked, rate limit, bad data).

    `retry_after` is seconds the hub asked us to wait, when it said so.
    """

    def __init__(self, status_code: int, message: str, retry_after: float | None = None):
        super().__init__(f"hub refused ({status_code}): {message}")
        self.status_code = status_code
        self.retry_after = retry_after


class HelpDeskUnavailable(Exception):
    """The terminal cannot store a help request now (a full disk, a broken database).

    No ticket is given: the resident is sent to a person instead. The help desk
    keeps trying to open its outbox and takes requests again once it can.
    """
