"""Bounded field types for every model the hub reads: strings with a length and
clean text, numbers that fit SQLite and stay finite, dates in a sane range.

A value outside these gets 422 from FastAPI before any route code runs, so
nothing unbounded reaches the database or a page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from kiosk.core.textclean import (
    NAME_PATTERN,
    SITE_PATTERN,
    ascii_phone,
    clean_text,
    display_name,
)

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
TEN_YEARS = 10 * 366 * 86_400.0
ID_MAX = 2**53  # row ids and counters: exact in JSON numbers and in SQLite


SHOWN_CHARS = 40  # the most of one value a refusal or a log line quotes back


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """`value` quoted for a refusal or a log line, at most `limit` characters of
    it: an answer never echoes unbounded input back (a 1,000-character key is
    named by its start and its length)."""
    text = value if isinstance(value, str) else f"a {type(value).__name__}"
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text)} characters)"


def _in_range_day(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"date must be between {EARLIEST} and {LATEST}")
    return value


def _in_range_moment(value: datetime) -> datetime:
    # Checked before any time-zone arithmetic, which overflows near the ends of time.
    if not EARLIEST <= value.date() <= LATEST:
        raise ValueError(f"time must be between {EARLIEST} and {LATEST}")
    return value.astimezone(UTC)


def _believable_moment(value: datetime) -> datetime | None:
    """A time a terminal's clock gave, None when that clock cannot have been right."""
    if not EARLIEST <= value.date() <= LATEST:
        return None
    return value.astimezone(UTC)


# Text cleaned by clean_text (no control or bidi characters), by longest length.
ShortText = Annotated[str, Field(max_length=40), AfterValidator(clean_text)]
StatusText = Annotated[str, Field(max_length=300), AfterValidator(clean_text)]
NoteText = Annotated[str, Field(max_length=500), AfterValidator(clean_text)]
# A volunteer's name on the waiting-room display: refused (422, with the reason's
# own code, kiosk/hub/web/errors.py) rather than cleaned, so what the TV shows is
# what the admin typed. Bounded first, so nothing huge is even looked at.
DisplayName = Annotated[str, Field(max_length=10_000), AfterValidator(display_name)]
Day = Annotated[date, AfterValidator(_in_range_day)]
Moment = Annotated[AwareDatetime, AfterValidator(_in_range_moment)]
# A terminal's clock reading, taken even when it cannot be right (None then: a
# board at 1970 before network time must still reach the queue).
ClockReading = Annotated[AwareDatetime, AfterValidator(_believable_moment)]


def _reading_or_none(value: Any) -> datetime | None:
    """A clock reading in an ISO text with its UTC offset; None for anything else."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return _believable_moment(when) if when.tzinfo is not None else None


# A clock reading that is only a hint (a heartbeat's `sent_at`): never a reason to
# refuse what comes with it; None when it is missing, malformed or impossible.
ClockHint = Annotated[Any, AfterValidator(_reading_or_none)]
# Up to 20 ASCII digits, a leading "+" and the separators people type ( -().).
Phone = Annotated[
    str,
    Field(max_length=30, pattern=r"^ *\+?(?:[ ().-]*[0-9]){0,20}[ ().-]*$"),
    AfterValidator(ascii_phone),
]
Seconds = Annotated[float, Field(ge=0, le=TEN_YEARS, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
RowId = Annotated[int, Field(ge=1, le=ID_MAX)]
TerminalName = Annotated[str, Field(pattern=NAME_PATTERN)]
SiteId = Annotated[str, Field(pattern=SITE_PATTERN)]


def other_machine(request: Any) -> bool:
    """Whether a request came from another machine than the hub's (through nginx on
    the hub's machine: the address nginx passes on). A terminal on the hub's own
    machine shares its clock: its word on the time is no second opinion."""
    import ipaddress

    host = request.client.host if request.client else ""
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Problem(BaseModel):
    """What every refusal says: FastAPI's HTTPException shape, plus a stable code
    and the message in the reader's language (kiosk/hub/web/errors.py)."""

    detail: str
    code: str = ""
    message: str = ""


_MEANING = {
    400: "Host header not one of this hub's names",
    401: "missing, unknown or revoked key, or not logged in",
    403: "not allowed: CSRF token, origin, kind of key or site",
    404: "no such item (for this terminal or site)",
    409: "conflicts with the item's current state",
    413: "request body too large",
    429: "too many; wait for Retry-After seconds",
    503: "too busy just now; wait for Retry-After seconds",
}


def answers(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the refusals it really gives, so /openapi.json lists them."""
    return {code: {"model": Problem, "description": _MEANING[code]} for code in codes}
