"""The waiting-room call display's feed: what one site's display shows (the
latest calls, the next waiting tickets), live as server-sent events, and each
call's spoken audio.

A display authenticates with its own revocable key (`kiosk hub add-display`),
sent as `?key=` because EventSource and <audio> cannot send headers. The key
reads that site's display feed only. Nothing personal ever leaves here: a call
is a ticket, its pictogram and day colour, a desk and the volunteer's display
name (the one they or an admin set: never their account's name, often a
surname; none when unset); the store's display queries do not even read the
resident's first name, phone or note. Never renders HTML (the page is web/static/display.html).
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, StreamingResponse

from kiosk.core.helpdesk.marks import ticket_mark
from kiosk.core.helpdesk.tickets import EARLIEST_PLAUSIBLE_DAY, ticket_day
from kiosk.hub.context import HubContext, hub_context
from kiosk.hub.fields import RowId, answers, shown
from kiosk.hub.queue.call_voice import CallAudioMissing
from kiosk.paths import FONT_BOLD, FONT_REGULAR, ICON_CODEPOINTS, ICON_FONT

router = APIRouter(prefix="/api/v1/display", tags=["display"])
fonts = APIRouter()

SSE_WAKE_SECONDS = 1.0
SSE_KEEPALIVE_SECONDS = 15.0
SSE_KEY_CHECK_SECONDS = 5.0
CALLS_SINCE_HOURS = 12  # calls older than this are not "recent" any more

DisplayKey = Annotated[str, Query(min_length=8, max_length=80, pattern=r"^[A-Za-z0-9_-]+$")]


def display_site(key: DisplayKey, ctx: Annotated[HubContext, Depends(hub_context)]) -> str:
    """The site of a working display key; 401 for anything else."""
    site = ctx.store.display_site(key)
    if site is None:
        raise HTTPException(401, "unknown or revoked display key; run kiosk hub add-display")
    return site


@cache
def _codepoints() -> dict[str, int]:
    return json.loads(ICON_CODEPOINTS.read_text())


def glyph(icon: str) -> str:
    """The character of pictogram `icon` in fonts/icons.ttf."""
    return chr(_codepoints()[icon])


def _day(row: dict[str, Any], today: date, day_starts_hour: int, zone: tzinfo) -> date:
    """The ticket day by the terminal's clock when believable, else the hub's
    today; either in the hub's time zone."""
    for column in ("issued_at", "received_at"):
        if row.get(column):
            when = datetime.fromisoformat(row[column]).astimezone(zone)
            day = ticket_day(when, day_starts_hour)
            if day >= EARLIEST_PLAUSIBLE_DAY:
                return day
    return today


def ticket_json(
    row: dict[str, Any], today: date, day_starts_hour: int, zone: tzinfo
) -> dict[str, Any]:
    """The ticket's pictogram, colour and day (`zone`: the hub's time zone)."""
    day = _day(row, today, day_starts_hour, zone)
    # The picture on the resident's slip: that of the number printed on it.
    mark = ticket_mark(row.get("printed_ticket") or row["ticket"], day)
    return {
        "ticket": row["ticket"],
        "pictogram": mark.pictogram,
        "glyph": glyph(mark.pictogram),  # the pictogram's character in fonts/icons.ttf
        "pictogram_name": mark.pictogram_name,
        "colour": mark.colour,
        "day": day.isoformat(),
        # The day marker: this ticket is from another day than today's tickets.
        "other_day": day != today,
        "weekday": {lang: mark.weekday(lang) for lang in ("az", "ru", "en")},
    }


def _call_json(row: dict[str, Any], today: date, ctx: HubContext, key: str) -> dict[str, Any]:
    call = ticket_json(row, today, ctx.settings["hub.day_starts_hour"], ctx.zone)
    langs = ctx.settings["hub.display_languages"]
    count = row["call_count"] or 0
    call.update(
        id=row["id"],
        call=f"{row['id']}-{count}",  # changes with every call and re-call
        desk=row["desk"] or 0,
        volunteer=row.get("called_by_name") or "",  # "" : the display names no one
        called_at=row["called_at"],
        status=row["status"],
        audio=[
            {"lang": lang, "url": f"/api/v1/display/audio/{row['id']}/{count}/{lang}.wav?key={key}"}
            for lang in langs
        ],
    )
    return call


def display_json(ctx: HubContext, site: str, key: str) -> dict[str, Any]:
    now = ctx.clock.now()
    day_starts = ctx.settings["hub.day_starts_hour"]
    today = ticket_day(now, day_starts)
    calls = ctx.store.display_calls(
        site, now - timedelta(hours=CALLS_SINCE_HOURS), ctx.settings["hub.display_calls"]
    )
    waiting = ctx.store.display_waiting(site, ctx.settings["hub.display_waiting"])
    return {
        "site": site,
        "site_name": ctx.sites.get(site, {}),
        "languages": ctx.settings["hub.display_languages"],
        "now": now.isoformat(),
        "today": today.isoformat(),
        "calls": [_call_json(r, today, ctx, key) for r in calls],
        "waiting": [ticket_json(r, today, day_starts, ctx.zone) for r in waiting],
    }


@router.get("/state", responses=answers(401))
def state(
    key: DisplayKey,
    site: Annotated[str, Depends(display_site)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """What the display shows now (also the first event of every stream)."""
    return display_json(ctx, site, key)


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **answers(401)},
)
async def events(
    request: Request,
    key: DisplayKey,
    site: Annotated[str, Depends(display_site)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> StreamingResponse:
    """Server-sent events: a `display` event whenever the site's queue changes; a
    `revoked` event (and the end) once the key is revoked."""

    async def stream() -> AsyncIterator[str]:
        seen = -1
        last_send = last_check = time.monotonic()
        yield "retry: 1000\n\n"  # the browser reconnects a second after a drop
        while not await request.is_disconnected():
            now = time.monotonic()
            if now - last_check > SSE_KEY_CHECK_SECONDS:
                last_check = now
                if await run_in_threadpool(ctx.store.display_site, key) != site:
                    yield "event: revoked\ndata: {}\n\n"
                    return
            version = ctx.changes.version
            if version != seen:
                seen = version
                doc = await run_in_threadpool(display_json, ctx, site, key)
                last_send = now
                yield f"event: display\ndata: {json.dumps(doc, ensure_ascii=False)}\n\n"
            elif now - last_send > SSE_KEEPALIVE_SECONDS:
                last_send = now
                yield ": keepalive\n\n"
            await ctx.changes.wait(seen, SSE_WAKE_SECONDS)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


FONTS = {"icons.ttf": ICON_FONT, "noto-bold.ttf": FONT_BOLD, "noto.ttf": FONT_REGULAR}


@fonts.get("/display/fonts/{name}", include_in_schema=False)
def font(name: str) -> FileResponse:
    """The bundled fonts (pictograms, Noto Sans with "ə"): a TV's browser may have neither."""
    if name not in FONTS:
        raise HTTPException(404, "no such font")
    return FileResponse(
        FONTS[name], media_type="font/ttf", headers={"Cache-Control": "max-age=86400"}
    )


@router.get(
    "/audio/{request_id}/{count}/{lang}.wav",
    response_class=FileResponse,
    responses={200: {"content": {"audio/wav": {}}}, **answers(401, 404, 503)},
)
def audio(
    request_id: RowId,
    count: int,
    lang: str,
    site: Annotated[str, Depends(display_site)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> FileResponse:
    """The call said aloud in `lang`: a human recording of these words when the
    studio has one, else espeak-ng on the hub. `count` only makes each call's
    address new (the audio of a call and its re-call is the same)."""
    if lang not in ctx.settings["hub.display_languages"]:
        raise HTTPException(404, f"the display does not speak {shown(lang)}")
    row = ctx.store.display_request(site, request_id)
    if row is None or not row["called_at"]:
        raise HTTPException(404, "no such call")
    voice = ctx.call_voice
    if voice is None:
        raise HTTPException(503, "spoken calls are off on this hub")
    try:
        path, kind = voice.audio(
            row["ticket"], row["desk"] or 0, lang, site, row.get("called_by_name") or ""
        )
    except CallAudioMissing as exc:
        raise HTTPException(503, f"no audio for this call: {exc}") from None
    return FileResponse(
        path,
        media_type="audio/wav",
        headers={"Cache-Control": "private, max-age=3600", "X-Komek-Voice": kind},
    )
