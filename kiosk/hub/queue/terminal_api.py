"""The API terminals call: deliver a help request (once per idempotency key) and
ask for its place in the queue. Every call needs the terminal's own key.

Never returns a resident's name or phone: terminals do not show them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from kiosk.hub.context import HubContext, hub_context
from kiosk.hub.fields import ClockReading, Phone, ShortText, answers, other_machine
from kiosk.hub.store import StoreError, Terminal

router = APIRouter(prefix="/api/v1/terminal", tags=["terminal"], responses=answers(401))


class HelpRequestIn(BaseModel):
    ticket: str = Field(pattern=r"^[A-Z]-[0-9]{3,6}$", examples=["B-014"])
    topic_service_id: str | None = Field(default=None, max_length=80, pattern=r"^[a-z0-9_-]+$")
    first_name: ShortText = ""  # bidi and control characters removed
    phone: Phone = Field(default="", examples=["+994501234567"])  # ASCII digits only
    lang: str = Field(default="", pattern=r"^(az|ru|en)?$")  # the resident's language
    # With its UTC offset, so waits are counted right. A reading before 2000 or
    # after 2100 (a clock not set yet) is taken as "issued now".
    issued_at: ClockReading


class HelpRequestOut(BaseModel):
    id: int
    # The number the volunteers call: the one sent, unless another open request
    # at the site already has it (a wiped terminal, a clock that went back); then
    # the next free one, which the terminal shows the resident instead.
    ticket: str
    status: str
    duplicate: bool


class QueueStatusOut(BaseModel):
    status: str
    people_ahead: int
    wait_minutes: int


bearer = HTTPBearer(
    auto_error=False, description="the terminal's key from `kiosk hub add-terminal`"
)


def terminal_auth(
    ctx: Annotated[HubContext, Depends(hub_context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Terminal:
    terminal = ctx.store.terminal_for_key(credentials.credentials) if credentials else None
    if terminal is None:
        raise HTTPException(
            401,
            "missing, unknown or revoked terminal key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return terminal


IdempotencyKey = Annotated[
    str, Header(alias="Idempotency-Key", min_length=8, max_length=100, pattern=r"^[A-Za-z0-9-]+$")
]


@router.post(
    "/help-requests",
    status_code=201,
    response_model=HelpRequestOut,
    responses={
        200: {"model": HelpRequestOut, "description": "already stored"},
        **answers(409, 429),
    },
)
def create_help_request(
    body: HelpRequestIn,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey,
    terminal: Annotated[Terminal, Depends(terminal_auth)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> HelpRequestOut:
    """Store a help request once per Idempotency-Key; repeats answer 200 with the same id."""
    if ctx.clock_check is not None:  # may confirm the hub's clock, never doubt it
        ctx.clock_check.heard(body.issued_at, other_machine(request), fresh=False)
    now = ctx.clock.now()
    try:
        row, new = ctx.store.add_request(
            key=idempotency_key,
            terminal=terminal,
            ticket=body.ticket,
            topic_service_id=body.topic_service_id,
            first_name=body.first_name,
            phone=body.phone,
            lang=body.lang,
            issued_at=body.issued_at,
            now=now,
            # Only new requests count against the limit: a retry must always get through.
            per_minute=ctx.settings["hub.requests_per_minute"],
        )
    except StoreError as exc:
        raise HTTPException(exc.code, str(exc), headers=exc.headers()) from None
    if new:
        ctx.changes.bump()
    else:
        response.status_code = 200
    return HelpRequestOut(
        id=row["id"], ticket=row["ticket"], status=row["status"], duplicate=not new
    )


@router.get("/help-requests/{key}/status", response_model=QueueStatusOut, responses=answers(404))
async def help_request_status(
    key: Annotated[str, Path(min_length=8, max_length=100, pattern=r"^[A-Za-z0-9-]+$")],
    terminal: Annotated[Terminal, Depends(terminal_auth)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> QueueStatusOut:
    """How many people are ahead of this ticket and about how long it will wait."""
    status = await run_in_threadpool(ctx.store.queue_status, key, terminal, ctx.clock.now())
    if status is None:
        raise HTTPException(404, "no such request from this terminal")
    return QueueStatusOut(
        status=status.status.value,
        people_ahead=status.people_ahead,
        wait_minutes=status.wait_minutes,
    )
