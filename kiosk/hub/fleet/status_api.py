"""Fleet status on the hub: terminals' heartbeats (terminal key), other hubs'
forwarded status (their key on this hub), the admin page of terminals
(volunteer login; admins see every site, other volunteers their own) and
Prometheus metrics at /metrics.

Heartbeats carry no personal data and only the declared fields below are
stored; the page and the metrics never read names, phones or notes. Every
value put into the page goes through html.escape.
"""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, ConfigDict, Field

from kiosk.hub.context import HubContext, hub_context
from kiosk.hub.fields import (
    ID_MAX,
    Count,
    Day,
    Seconds,
    ShortText,
    SiteId,
    StatusText,
    TerminalName,
    answers,
)
from kiosk.hub.fleet import status as fleet
from kiosk.hub.queue.console_api import current_session
from kiosk.hub.queue.terminal_api import terminal_auth
from kiosk.hub.store import Hub, Session, Terminal

router = APIRouter(tags=["status"])
hub_bearer = HTTPBearer(auto_error=False, description="the hub's key from `kiosk hub add-hub`")

SERVICE_ID = r"^[a-z0-9_-]*$"
Text = StatusText  # bidi and control characters removed, at most 300


class UsageIn(BaseModel):
    """One day's absolute totals for one service on one terminal."""

    day: Day
    service: str = Field(default="", max_length=80, pattern=SERVICE_ID)
    opened: Count = 0
    printed: Count = 0
    help: Count = 0
    finished: Count = 0
    sessions: Count = 0


class VoiceIn(BaseModel):
    """Narration lines a terminal played since it started, in one language."""

    lang: str = Field(min_length=2, max_length=10, pattern=r"^[a-z]{2,3}(-[a-z]{2,4})?$")
    human: int = Field(ge=0, le=1_000_000_000)
    total: int = Field(ge=0, le=1_000_000_000)


class StatusIn(BaseModel):
    # Unknown fields are dropped, never stored: nothing else can slip in.
    model_config = ConfigDict(extra="ignore")

    content_version: Annotated[int, Field(ge=0, le=ID_MAX)] | ShortText | None = None
    printer: str = Field(default="error", pattern=r"^(ok|no_paper|offline|error)$")
    printer_message: Text = ""
    paper_low: bool = False
    last_error: Text = ""
    update_last_success: ShortText | None = None
    update_error: Text = ""
    uptime_seconds: Seconds = 0.0
    app_version: ShortText = ""
    interval_seconds: int = Field(default=60, ge=5, le=86_400)

    def fields(self) -> dict[str, Any]:
        d = self.model_dump()
        d["content_version"] = None if self.content_version is None else str(self.content_version)
        d["paper_low"] = int(self.paper_low)
        return d


class HeartbeatIn(StatusIn):
    usage: list[UsageIn] = Field(default=[], max_length=2000)
    narration: list[VoiceIn] = Field(default=[], max_length=20)


class ForwardedTerminalIn(StatusIn):
    terminal: TerminalName
    site: SiteId | None = None
    seen_seconds_ago: Seconds


class ForwardedUsageIn(UsageIn):
    terminal: TerminalName


FORWARD_TERMINALS_MAX = fleet.FORWARD_TERMINALS_MAX  # per request; senders send batches
FORWARD_USAGE_MAX = fleet.FORWARD_USAGE_MAX
FORWARDED_PER_HUB_MAX = fleet.FORWARDED_PER_HUB_MAX


class ForwardIn(BaseModel):
    terminals: list[ForwardedTerminalIn] = Field(default=[], max_length=FORWARD_TERMINALS_MAX)
    usage: list[ForwardedUsageIn] = Field(default=[], max_length=FORWARD_USAGE_MAX)


def _usage_rows(items: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "day": u.day.isoformat(),
            "service": u.service,
            "opened": u.opened,
            "printed": u.printed,
            "help": u.help,
            "finished": u.finished,
            "sessions": u.sessions,
        }
        for u in items
    ]


@router.post("/api/v1/terminal/heartbeat", responses=answers(401))
def heartbeat(
    body: HeartbeatIn,
    terminal: Annotated[Terminal, Depends(terminal_auth)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """A terminal's status and usage totals; re-sending the same totals changes nothing."""
    now = ctx.clock.now()
    # The site is the one the key was issued for, whatever the terminal thinks.
    ctx.store.record_heartbeat(terminal.name, terminal.site, body.fields(), now)
    ctx.store.record_usage(terminal.name, _usage_rows(body.usage), now)
    ctx.store.record_voice(
        terminal.name,
        terminal.site,
        [v.model_dump() for v in body.narration if v.human <= v.total],
        now,
    )
    return {"ok": True, "usage_rows": len(body.usage)}


def hub_auth(
    ctx: Annotated[HubContext, Depends(hub_context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(hub_bearer)],
) -> Hub:
    """Another hub's own forwarding key (`kiosk hub add-hub`); a terminal key is not one."""
    key = credentials.credentials if credentials else ""
    hub = ctx.store.hub_for_key(key) if key else None
    if hub is not None:
        return hub
    if key and ctx.store.terminal_for_key(key) is not None:
        raise HTTPException(403, "a terminal key cannot forward; use a hub key (kiosk hub add-hub)")
    raise HTTPException(
        401, "missing, unknown or revoked hub key", headers={"WWW-Authenticate": "Bearer"}
    )


@router.post("/api/v1/hub/forward", responses=answers(401, 403, 409))
def forward(
    body: ForwardIn,
    hub: Annotated[Hub, Depends(hub_auth)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """Another hub's terminals, sent with that hub's key (`kiosk hub add-hub HUB --site S`),
    for its own sites only; they show here as HUB/TERMINAL. All or nothing is stored."""
    now = ctx.clock.now()
    sites: dict[str, str] = {}
    for t in body.terminals:
        site = t.site or (hub.sites[0] if len(hub.sites) == 1 else "")
        if site not in hub.sites:
            raise HTTPException(403, f"hub {hub.name} may not speak for site {site or '(none)'}")
        sites[t.terminal] = site
    known = ctx.store.forwarded_terminals(hub.name)
    names = {f"{hub.name}/{n}" for n in [*sites, *(u.terminal for u in body.usage)]}
    if len(known | names) > FORWARDED_PER_HUB_MAX:
        raise HTTPException(409, f"a hub may forward at most {FORWARDED_PER_HUB_MAX} terminals")
    unknown_usage = {f"{hub.name}/{u.terminal}" for u in body.usage} - known
    unknown_usage -= {f"{hub.name}/{n}" for n in sites}
    if unknown_usage:
        raise HTTPException(409, "usage for a terminal this hub has not forwarded")
    for t in body.terminals:
        seen = now - timedelta(seconds=t.seen_seconds_ago)
        ctx.store.record_heartbeat(
            f"{hub.name}/{t.terminal}", sites[t.terminal], t.fields(), seen, via=hub.name
        )
    by_terminal: dict[str, list[Any]] = {}
    for u in body.usage:
        by_terminal.setdefault(u.terminal, []).append(u)
    for name, items in by_terminal.items():
        ctx.store.record_usage(f"{hub.name}/{name}", _usage_rows(items), now)
    return {"ok": True, "terminals": len(body.terminals), "usage_rows": len(body.usage)}


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus text format; no login (bind the hub to the LAN or let nginx limit it)."""
    body = await run_in_threadpool(generate_latest, request.app.state.metrics)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


# ---- the admin page ------------------------------------------------------------

e = html.escape


def _ago(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    if seconds < 90:
        return f"{int(seconds)} s ago"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min ago"
    if seconds < 48 * 3600:
        return f"{round(seconds / 3600)} h ago"
    return f"{round(seconds / 86400)} days ago"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min"


def _name(names: dict[str, dict[str, str]], key: str) -> str:
    by_lang = names.get(key, {})
    return by_lang.get("en") or by_lang.get("az") or key


PRINTER_TEXT = {"ok": "OK", "no_paper": "No paper", "offline": "Offline", "error": "Error"}


def _printer_cell(v: fleet.TerminalView) -> str:
    if v.seen_seconds_ago is None:
        return "<td>—</td>"
    kind = v.printer or "none"
    text = PRINTER_TEXT.get(v.printer, "—")
    if v.printer == "ok" and v.paper_low:
        kind, text = "paper_low", "Paper low"
    return (
        f'<td><span class="badge printer-{e(kind)}" title="{e(v.printer_message)}">'
        f"{e(text)}</span></td>"
    )


def _terminal_row(v: fleet.TerminalView, ctx: HubContext, today: dict[str, int]) -> str:
    never = v.seen_seconds_ago is None
    state = "alive" if v.alive else ("never" if never else "down")
    state_text = {"alive": "Alive", "never": "Never seen", "down": "Down"}[state]
    error = v.last_error or v.update_error
    return (
        f'<tr class="{state}">'
        f'<td><span class="badge {state}">{e(state_text)}</span></td>'
        f'<td class="name">{e(v.name)}<div class="sub">{e(_ago(v.seen_seconds_ago))}</div></td>'
        f"<td>{e(_name(ctx.sites, v.site))}</td>"
        f"<td class=num>{e(v.content_version or '—')}</td>"
        f"{_printer_cell(v)}"
        f'<td class="error">{e(error) or "—"}</td>'
        f"<td>{e(_duration(v.uptime_seconds))}</td>"
        f"<td>{e(v.app_version or '—')}</td>"
        f"<td class=num>{today.get('opened', 0)}</td>"
        f"<td class=num>{today.get('printed', 0)}</td>"
        f"<td class=num>{today.get('help', 0)}</td>"
        "</tr>"
    )


def _service_rows(summary: dict[str, dict[str, dict[str, int]]], ctx: HubContext) -> str:
    rows = []
    # "No service chosen" last; the rest by title.
    services = sorted(summary["week"], key=lambda s: (not s, _name(ctx.topics, s).casefold()))
    zero = {"opened": 0, "printed": 0, "help": 0}
    for s in services:
        t = summary["today"].get(s, zero)
        w = summary["week"][s]
        title = _name(ctx.topics, s) if s else "No service chosen"
        rows.append(
            f"<tr><td>{e(title)}</td>"
            + "".join(f"<td class=num>{t[k]}</td>" for k in ("opened", "printed", "help"))
            + "".join(f"<td class=num>{w[k]}</td>" for k in ("opened", "printed", "help"))
            + "</tr>"
        )
    if not rows:
        rows.append(
            '<tr><td colspan="7" class="empty">No usage counted in the last 7 days.</td></tr>'
        )
    return "".join(rows)


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="{refresh}">
<link rel="icon" href="data:,">
<title>Kömək — terminals</title>
<link rel="stylesheet" href="/console/fleet.css">
</head>
<body>
<header class="bar">
  <span class="logo" aria-hidden="true">K</span>
  <span class="brand"><strong>Kömək — terminals</strong><span class="who">{who}</span></span>
  <a class="tool" href="/console/">Queue</a>
</header>
<main>
{body}
</main>
</body>
</html>
"""


def _page(body: str, who: str = "", refresh: int = 60) -> HTMLResponse:
    return HTMLResponse(
        PAGE.format(body=body, who=e(who), refresh=refresh),
        headers={"Cache-Control": "no-store"},
    )


def render_admin(session: Session, ctx: HubContext) -> str:
    now = ctx.clock.now()
    views = fleet.terminal_views(ctx.store, now, fleet.DEFAULT_INTERVAL)
    if not session.volunteer.admin:
        views = [v for v in views if v.site == session.volunteer.site]
    today = now.date()
    visible = None if session.volunteer.admin else {v.name for v in views}
    summary = fleet.usage_summary(ctx.store, today, visible)
    per_terminal = fleet.terminal_today(ctx.store, today)
    alive = sum(v.alive for v in views)
    scope = (
        "all sites"
        if session.volunteer.admin
        else f"site {_name(ctx.sites, session.volunteer.site)}"
    )
    rows = "".join(_terminal_row(v, ctx, per_terminal.get(v.name, {})) for v in views)
    if not rows:
        rows = '<tr><td colspan="11" class="empty">No terminals yet.</td></tr>'
    return f"""
<p class="summary"><strong>{alive} of {len(views)}</strong> terminals alive · {e(scope)} ·
updated {e(now.strftime("%H:%M"))}</p>
<h1>Terminals</h1>
<div class="scroll"><table class="terminals">
<thead><tr><th>State</th><th>Terminal</th><th>Site</th><th class=num>Content</th><th>Printer</th>
<th>Last error</th><th>Uptime</th><th>App</th>
<th class=num title="services opened today">Opened</th>
<th class=num title="slips printed today">Printed</th>
<th class=num title="help asked today">Help</th></tr></thead>
<tbody>{rows}</tbody></table></div>
<h2>Services</h2>
<div class="scroll fit"><table class="services">
<thead><tr><th rowspan="2">Service</th><th colspan="3">Today</th><th colspan="3">Last 7 days</th></tr>
<tr><th class=num>Opened</th><th class=num>Printed</th><th class=num>Help</th>
<th class=num>Opened</th><th class=num>Printed</th><th class=num>Help</th></tr></thead>
<tbody>{_service_rows(summary, ctx)}</tbody></table></div>
<p class="note">Counts are anonymous: per day, terminal and service only.
A terminal is down after three missed heartbeats.</p>
"""


@router.get("/admin", include_in_schema=False)
def admin_redirect() -> RedirectResponse:
    return RedirectResponse("/admin/")


@router.get("/admin/", response_class=HTMLResponse, include_in_schema=False)
def admin_page(
    session: Annotated[Session | None, Depends(current_session)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> HTMLResponse:
    """Every terminal (admins) or this site's terminals (volunteers)."""
    if session is None:
        body = (
            '<section class="panel"><h1>Log in first</h1>'
            '<p>Log in on the <a href="/console/">volunteers\' console</a>, then come back '
            'to <a href="/admin/">this page</a>.</p></section>'
        )
        page = _page(body, refresh=600)
        page.status_code = 401
        return page
    who = f"{session.volunteer.name}{' · admin' if session.volunteer.admin else ''}"
    return _page(render_admin(session, ctx), who=who)
