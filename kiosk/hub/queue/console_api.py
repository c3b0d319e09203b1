"""The API behind the volunteers' console: login and logout, the live queue
(server-sent events), and the actions on a request (call, re-call, serve, done,
no-show, cancel, requeue, reopen, note) with each request's history.

Every answer with personal data needs a volunteer session, and only shows that
volunteer's site. Every change needs the CSRF token (X-CSRF-Token header) and a
same-origin Origin header when the browser sends one. Never renders HTML.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from datetime import time as dtime
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Header, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from kiosk.core.helpdesk.model import RequestStatus
from kiosk.core.helpdesk.tickets import ticket_day
from kiosk.hub.context import HubContext, hub_context
from kiosk.hub.fields import DisplayName, NoteText, RowId, answers
from kiosk.hub.queue.display_api import ticket_json
from kiosk.hub.store import (
    DAY_CLOSED,
    SESSION_HOURS,
    Action,
    AuditAction,
    LoginResult,
    Session,
    StoreError,
)

router = APIRouter(prefix="/api/v1/console", tags=["console"])

SESSION_COOKIE = "komek_session"
PRELOGIN_COOKIE = "komek_csrf"
SSE_WAKE_SECONDS = 1.0  # longest an idle event stream sleeps between checks
SSE_KEEPALIVE_SECONDS = 15.0
SSE_SESSION_CHECK_SECONDS = 5.0
OPEN_STATES = {s.value for s in RequestStatus if s.open}


# ---- sessions and CSRF ------------------------------------------------------


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def current_session(
    request: Request, ctx: Annotated[HubContext, Depends(hub_context)]
) -> Session | None:
    token = request.cookies.get(SESSION_COOKIE)
    return ctx.store.session(token, ctx.clock.now()) if token else None


def require_session(
    session: Annotated[Session | None, Depends(current_session)],
) -> Session:
    if session is None:
        raise HTTPException(401, "log in first")
    return session


def _same_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin is None:
        return  # non-browser clients; the token below still has to match
    host = request.headers.get("host", "")
    if origin == "null" or urlsplit(origin).netloc != host:
        raise HTTPException(403, "cross-site request refused")


def _token_matches(given: str | None, expected: str | None) -> bool:
    return bool(given and expected) and hmac.compare_digest(given, expected)  # type: ignore[arg-type]


def changing(
    request: Request,
    session: Annotated[Session, Depends(require_session)],
    x_csrf_token: Annotated[str | None, Header()] = None,
) -> Session:
    """A logged-in volunteer making a change, with the session's CSRF token."""
    _same_origin(request)
    if not _token_matches(x_csrf_token, session.csrf):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page")
    return session


# ---- shapes ------------------------------------------------------------------


class LoginIn(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class DeskIn(BaseModel):
    desk: int = Field(ge=0, le=99)  # 0: no desk said in calls


class NoteIn(BaseModel):
    note: NoteText  # bidi and control characters removed


class DisplayNameIn(BaseModel):
    display_name: DisplayName  # "" for none; a refusal says what is wrong (az/ru/en)


def _volunteer_json(session: Session, ctx: HubContext) -> dict[str, Any]:
    site = session.volunteer.site
    return {
        "name": session.volunteer.name,
        # What the waiting room sees and hears ("" : none set, so no name is shown).
        "display_name": ctx.store.display_name(session.volunteer.name),
        "site": site,
        "site_name": ctx.sites.get(site, {}),
        "desk": ctx.store.desk(session.volunteer.name),
    }


def request_json(row: dict[str, Any], ctx: HubContext) -> dict[str, Any]:
    topic = row["topic_service_id"] or ""
    return {
        "id": row["id"],
        "ticket": row["ticket"],
        # The number on the resident's slip when the hub had to give another one.
        "printed_ticket": row.get("printed_ticket") or "",
        "status": row["status"],
        "terminal": row["terminal"],
        "topic_service_id": topic,
        "topic": ctx.topics.get(topic, {}),
        "first_name": row["first_name"] or "",
        "phone": row["phone"] or "",
        "lang": row.get("lang") or "",
        "received_at": row["received_at"],
        "waiting_since": row["waiting_since"],
        "called_at": row["called_at"],
        "call_count": row["call_count"] or 0,
        "serving_at": row["serving_at"],
        "finished_at": row["finished_at"],
        "note": row["note"] or "",
        "updated_by": row["updated_by"] or "",
        # Who closed it, and until when it may be reopened ("" when it may not:
        # open, closed with its day, or its day is over).
        "closed_by": row.get("closed_by")
        or ("" if row["status"] in OPEN_STATES else row["updated_by"] or ""),
        "reopen_until": _reopen_until(row, ctx),
        "desk": row.get("desk") or 0,
        # The pictogram and day colour printed on the ticket, and whether it is
        # from another day than today's tickets (the same as the display shows).
        **_mark_json(row, ctx),
    }


def _day_start(ctx: HubContext) -> datetime:
    """When today's tickets began (hub local time): nothing older is reopened."""
    hour = ctx.settings["hub.day_starts_hour"]
    now = ctx.clock.now()
    local = now if now.tzinfo is not None else now.astimezone()  # as close_past_days
    return datetime.combine(ticket_day(local, hour), dtime(hour=hour), tzinfo=local.tzinfo)


def _reopen_since(ctx: HubContext) -> datetime:
    """The earliest close a reopen takes: within hub.reopen_minutes, and today."""
    window = ctx.clock.now() - timedelta(minutes=ctx.settings["hub.reopen_minutes"])
    return max(window, _day_start(ctx))


def _reopen_until(row: dict[str, Any], ctx: HubContext) -> str:
    finished = row["finished_at"]
    if (
        not finished
        or row["status"] in OPEN_STATES
        or DAY_CLOSED
        in (
            row.get("closed_by"),
            row["updated_by"],
        )
    ):
        return ""
    closed = datetime.fromisoformat(finished)
    if closed < _day_start(ctx):
        return ""
    until = closed + timedelta(minutes=ctx.settings["hub.reopen_minutes"])
    return until.isoformat() if until > ctx.clock.now() else ""


def _mark_json(row: dict[str, Any], ctx: HubContext) -> dict[str, Any]:
    day_starts = ctx.settings["hub.day_starts_hour"]
    mark = ticket_json(row, ticket_day(ctx.clock.now(), day_starts), day_starts, ctx.zone)
    keys = ("pictogram", "glyph", "pictogram_name", "colour", "day", "other_day", "weekday")
    return {k: mark[k] for k in keys}


def queue_json(session: Session, ctx: HubContext) -> dict[str, Any]:
    now = ctx.clock.now()
    site = session.volunteer.site
    # By the hub's trusted time: a clock set a day ahead does not cancel today's queue.
    trusted = ctx.clock_check.trusted_now() if ctx.clock_check is not None else now
    if trusted is not None and ctx.store.close_past_days(
        site, trusted, ctx.settings["hub.day_starts_hour"]
    ):
        ctx.changes.bump()
    rows = ctx.store.queue(site, now)
    return {
        "now": now.isoformat(),
        "version": ctx.changes.version,
        "requests": [request_json(r, ctx) for r in rows],
        # The site's volunteers' display names, shown for their accounts' names.
        "names": ctx.store.display_names(site),
    }


# ---- endpoints -----------------------------------------------------------------


@router.get("/me")
def me(
    request: Request,
    response: Response,
    session: Annotated[Session | None, Depends(current_session)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """Who is logged in, and the CSRF token the page must send with changes."""
    response.headers["Cache-Control"] = "no-store"
    if session is not None:
        return {"volunteer": _volunteer_json(session, ctx), "csrf_token": session.csrf}
    token = request.cookies.get(PRELOGIN_COOKIE) or secrets.token_urlsafe(32)
    response.set_cookie(
        PRELOGIN_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request)
    )
    return {"volunteer": None, "csrf_token": token}


@router.post("/login", responses=answers(401, 403, 429, 503))
def login(
    body: LoginIn,
    request: Request,
    response: Response,
    ctx: Annotated[HubContext, Depends(hub_context)],
    x_csrf_token: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    _same_origin(request)
    if not _token_matches(x_csrf_token, request.cookies.get(PRELOGIN_COOKIE)):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page")
    address = request.client.host if request.client else ""
    attempt = ctx.store.login(body.name.strip(), body.password, ctx.clock.now(), address)
    retry = {"Retry-After": str(attempt.retry_after)}
    if attempt.result is LoginResult.THROTTLED:
        raise HTTPException(429, "too many wrong passwords; wait and try again", headers=retry)
    if attempt.result is LoginResult.BUSY:
        raise HTTPException(503, "too many logins at once; try again shortly", headers=retry)
    if attempt.result is LoginResult.DISABLED:
        raise HTTPException(403, "this account is disabled; ask an admin")
    session = attempt.session
    if session is None:
        raise HTTPException(401, "wrong name or password")
    response.set_cookie(
        SESSION_COOKIE,
        session.token,
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    response.delete_cookie(PRELOGIN_COOKIE)
    return {"volunteer": _volunteer_json(session, ctx), "csrf_token": session.csrf}


@router.post("/logout", status_code=204, responses=answers(401, 403))
def logout(
    session: Annotated[Session, Depends(changing)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> Response:
    ctx.store.logout(session.token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/queue", responses=answers(401))
def queue(
    response: Response,
    session: Annotated[Session, Depends(require_session)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """Open requests (oldest first) and today's finished ones, for the volunteer's site."""
    response.headers["Cache-Control"] = "no-store"
    return queue_json(session, ctx)


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **answers(401)},
)
async def events(
    request: Request,
    session: Annotated[Session, Depends(require_session)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> StreamingResponse:
    """Server-sent events: a `queue` event with the whole queue whenever it changes."""

    async def stream() -> AsyncIterator[str]:
        stop = ctx.streams.open(session.token)
        try:
            async for event in _queue_events(request, session, ctx, stop):
                yield event
        finally:
            ctx.streams.close(session.token, stop)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        # X-Accel-Buffering: nginx must pass events through at once.
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _queue_events(
    request: Request, session: Session, ctx: HubContext, stop: threading.Event
) -> AsyncIterator[str]:
    """The events of one stream, until the browser leaves, the session ends or
    a newer stream of the same session takes this one's place.

    A queue (names and phones) goes out only while the session is alive: it is
    looked up again right before every send, and the stream ends with an `ended`
    event at the moment the session expires (not at the next check), or with
    `logout` when it was logged out or its volunteer removed."""
    seen = -1
    last_send = last_check = time.monotonic()
    yield "retry: 1000\n\n"
    while not await request.is_disconnected():
        if stop.is_set():
            yield "event: replaced\ndata: {}\n\n"
            return
        if session.expires_at is not None and ctx.clock.now() >= session.expires_at:
            yield "event: ended\ndata: {}\n\n"
            return
        now = time.monotonic()
        version = ctx.changes.version
        if version != seen or now - last_check > SSE_SESSION_CHECK_SECONDS:
            last_check = now
            alive = await run_in_threadpool(ctx.store.session, session.token, ctx.clock.now())
            if alive is None:
                expired = session.expires_at is not None and ctx.clock.now() >= session.expires_at
                yield f"event: {'ended' if expired else 'logout'}\ndata: {{}}\n\n"
                return
        if version != seen:
            seen = version
            doc = await run_in_threadpool(queue_json, session, ctx)
            last_send = now
            yield f"event: queue\ndata: {json.dumps(doc, ensure_ascii=False)}\n\n"
        elif now - last_send > SSE_KEEPALIVE_SECONDS:
            last_send = now
            yield ": keepalive\n\n"
        # Woken at once by a change; otherwise look again for a closed
        # connection, a keep-alive or an ended session.
        await ctx.changes.wait(seen, SSE_WAKE_SECONDS)


def _apply(ctx: HubContext, session: Session, request_id: int, action: Action) -> dict[str, Any]:
    try:
        row = ctx.store.act(
            request_id, action, session.volunteer, ctx.clock.now(), _reopen_since(ctx)
        )
    except StoreError as exc:
        raise HTTPException(exc.code, str(exc)) from None
    if action in (Action.CALL, Action.RECALL) and ctx.call_voice is not None:
        # Rendered now, so the display's audio is ready when the event reaches it.
        langs = list(ctx.settings["hub.display_languages"])
        name = ctx.store.display_name(session.volunteer.name)
        ctx.call_voice.prepare(row["ticket"], row["desk"] or 0, langs, session.volunteer.site, name)
    ctx.changes.bump()
    return request_json(row, ctx)


@router.post("/call-next", responses=answers(401, 403, 404, 409))
def call_next(
    session: Annotated[Session, Depends(changing)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """Call the person who has waited longest."""
    request_id = ctx.store.oldest_waiting(session.volunteer.site)
    if request_id is None:
        raise HTTPException(404, "nobody is waiting")
    return _apply(ctx, session, request_id, Action.CALL)


@router.post("/desk", responses=answers(401, 403))
def set_desk(
    body: DeskIn,
    session: Annotated[Session, Depends(changing)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """The desk this volunteer calls people to (said and shown on the display)."""
    ctx.store.set_desk(session.volunteer.name, body.desk)
    return _volunteer_json(session, ctx)


@router.post("/display-name", responses=answers(401, 403))
def set_display_name(
    body: DisplayNameIn,
    session: Annotated[Session, Depends(changing)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """The name the waiting-room display shows and says for this volunteer ("" for
    none): letters, spaces and - . ' only, at most 30; 422 says what is wrong."""
    chosen = body.display_name
    ctx.store.set_display_name(session.volunteer.name, chosen)
    ctx.store.audit(
        session.volunteer.name,
        AuditAction.VOLUNTEER_DISPLAY_NAME,
        session.volunteer.name,
        ctx.clock.now(),
        site=session.volunteer.site,
        display_name=chosen,
    )
    ctx.changes.bump()  # the display and the consoles show it at once
    return _volunteer_json(session, ctx)


@router.post("/requests/{request_id}/note", responses=answers(401, 403, 404))
def set_note(
    request_id: RowId,
    body: NoteIn,
    session: Annotated[Session, Depends(changing)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    try:
        row = ctx.store.set_note(request_id, body.note, session.volunteer, ctx.clock.now())
    except StoreError as exc:
        raise HTTPException(exc.code, str(exc)) from None
    ctx.changes.bump()
    return request_json(row, ctx)


@router.post("/requests/{request_id}/{action}", responses=answers(401, 403, 404, 409))
def act(
    request_id: RowId,
    action: Action,
    session: Annotated[Session, Depends(changing)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """call, recall, serve, done, no-show, cancel, requeue or reopen one request.

    reopen: a request closed by mistake goes back to the state it was closed from,
    within hub.reopen_minutes and the same day, by the volunteer who closed it or an
    admin; its number stays unique among the site's open requests."""
    return _apply(ctx, session, request_id, action)


@router.get("/requests/{request_id}/history", responses=answers(401, 404))
def history(
    request_id: RowId,
    response: Response,
    session: Annotated[Session, Depends(require_session)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """Who moved the request from which state to which, and when (a reopen too,
    and who wrote its note: not the note's words). Times are UTC; `time_zone` is
    the hub's (hub.time_zone), the one the console shows them in."""
    response.headers["Cache-Control"] = "no-store"
    events = ctx.store.history(request_id, session.volunteer.site)
    if events is None:
        raise HTTPException(404, "no such request")
    return {
        "events": events,
        "time_zone": ctx.settings["hub.time_zone"],
        "names": ctx.store.display_names(session.volunteer.site),
    }
