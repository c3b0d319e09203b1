"""Admin pages for the people behind the hub: the volunteers' accounts at
/studio/volunteers/ (list, disable, enable, remove: a disabled or removed
volunteer's sessions end at once) and the activity log at /studio/activity/
(who saved, published, approved and changed what, and who closed, reopened or
put back a help request; kiosk/hub/store.py's audit table).

Admins only, on the page and on every API call; changes need the session's
CSRF token like every other change. An admin cannot disable or remove their
own account here (so a hub never loses its last admin by a slip of the finger;
`kiosk hub volunteers` on the hub's machine can). Never renders data into HTML:
the pages' scripts (admin-volunteers.js, admin-activity.js) fill them in.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse

from kiosk.hub.context import HubContext, hub_context
from kiosk.hub.fields import TerminalName
from kiosk.hub.queue.console_api import DisplayNameIn, changing, require_session
from kiosk.hub.store import AuditAction, Session
from kiosk.hub.web.shell import NavEntry, add_nav, page_admin, shell_page

# Not in /openapi.json: pages for people, like the content studio's API.
router = APIRouter(tags=["admin"], include_in_schema=False)
API = "/api/v1/admin"

add_nav(NavEntry("volunteers", "/studio/volunteers/", "nav_volunteers", admin_only=True))
add_nav(NavEntry("activity", "/studio/activity/", "nav_activity", admin_only=True))

VOLUNTEERS_MAIN = """<h1 data-t="vol_title"></h1>
<p class="lead" data-t="vol_lead"></p>
<p id="vol-error" class="error" role="alert"></p>
<p id="vol-said" class="said" role="status" aria-live="polite"></p>
<div class="table-wrap">
<table id="vol-table" class="admin-table">
  <thead><tr>
    <th data-t="vol_name"></th><th data-t="vol_display"></th><th data-t="vol_site"></th><th data-t="vol_role"></th>
    <th data-t="vol_state"></th><th data-t="vol_sessions"></th><th data-t="vol_actions"></th>
  </tr></thead>
  <tbody></tbody>
</table>
</div>
<p class="hint" data-t="vol_add_hint"></p>
<pre class="command">kiosk hub add-volunteer NAME --site SITE</pre>
"""

ACTIVITY_MAIN = """<h1 data-t="act_title"></h1>
<p class="lead" data-t="act_lead"></p>
<p id="act-error" class="error" role="alert"></p>
<label class="act-kind"><span data-t="act_kind"></span>
  <select id="act-kind">
    <option value="" data-t="act_kind_all"></option>
    <option value="queue" data-t="act_kind_queue"></option>
    <option value="other" data-t="act_kind_other"></option>
  </select>
</label>
<div class="table-wrap">
<table id="act-table" class="admin-table">
  <thead><tr>
    <th data-t="act_when"></th><th data-t="act_who"></th><th data-t="act_what"></th>
    <th data-t="act_target"></th><th data-t="act_detail"></th>
  </tr></thead>
  <tbody></tbody>
</table>
</div>
<button type="button" id="act-more" class="tool" data-t="act_more" hidden></button>
"""


def api_admin(session: Annotated[Session, Depends(require_session)]) -> Session:
    if not session.volunteer.admin:
        raise HTTPException(403, "only an admin may manage volunteers and see the activity")
    return session


def changing_admin(session: Annotated[Session, Depends(changing)]) -> Session:
    return api_admin(session)


@router.get("/studio/volunteers/", response_class=HTMLResponse)
def volunteers_page(
    request: Request, session: Annotated[Session, Depends(page_admin)]
) -> HTMLResponse:
    return shell_page(
        request,
        session,
        "volunteers",
        VOLUNTEERS_MAIN,
        title="title_volunteers",
        scripts=["admin-volunteers.js"],
        styles=["studio.css"],
    )


@router.get("/studio/activity/", response_class=HTMLResponse)
def activity_page(
    request: Request, session: Annotated[Session, Depends(page_admin)]
) -> HTMLResponse:
    return shell_page(
        request,
        session,
        "activity",
        ACTIVITY_MAIN,
        title="title_activity",
        scripts=["admin-activity.js"],
        styles=["studio.css"],
    )


@router.get(f"{API}/volunteers")
def volunteers(
    session: Annotated[Session, Depends(api_admin)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """Every account: name, site, admin, since when, disabled since, open sessions."""
    return {"me": session.volunteer.name, "volunteers": ctx.store.volunteers()}


def _other(session: Session, ctx: HubContext, name: str) -> dict[str, Any]:
    if name == session.volunteer.name:
        raise HTTPException(409, "you cannot disable or remove your own account")
    found = ctx.store.volunteer(name)
    if found is None:
        raise HTTPException(404, "no such volunteer")
    return found


@router.post(f"{API}/volunteers/{{name}}/display-name")
def set_display_name(
    name: TerminalName,
    body: DisplayNameIn,
    session: Annotated[Session, Depends(changing_admin)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """The name the waiting room sees and hears for `name` ("" for none): any
    account, the admin's own too. 422 says what is wrong with it; nothing changes."""
    found = ctx.store.volunteer(name)
    if found is None:
        raise HTTPException(404, "no such volunteer")
    chosen = body.display_name
    ctx.store.set_display_name(name, chosen)
    ctx.store.audit(
        session.volunteer.name,
        AuditAction.VOLUNTEER_DISPLAY_NAME,
        name,
        ctx.clock.now(),
        site=found["site"],
        display_name=chosen,
    )
    ctx.changes.bump()
    return {"volunteer": ctx.store.volunteer(name)}


@router.post(f"{API}/volunteers/{{name}}/{{verb}}")
def change_volunteer(
    name: TerminalName,
    verb: str,
    session: Annotated[Session, Depends(changing_admin)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """Disable (their sessions end now) or enable an account."""
    if verb not in ("disable", "enable"):
        raise HTTPException(404, "disable or enable")
    found = _other(session, ctx, name)
    now = ctx.clock.now()
    disable = verb == "disable"
    ctx.store.set_volunteer_disabled(name, disable, now)
    ended = {"sessions_ended": found["sessions"]} if disable else {}
    ctx.store.audit(
        session.volunteer.name,
        AuditAction.VOLUNTEER_DISABLE if disable else AuditAction.VOLUNTEER_ENABLE,
        name,
        now,
        site=found["site"],
        **ended,
    )
    ctx.changes.bump()  # their live queue notices at once
    return {"volunteer": ctx.store.volunteer(name)}


@router.delete(f"{API}/volunteers/{{name}}", status_code=204)
def remove_volunteer(
    name: TerminalName,
    session: Annotated[Session, Depends(changing_admin)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> Response:
    """Delete an account and its sessions; requests and recordings keep the name."""
    found = _other(session, ctx, name)
    now = ctx.clock.now()
    ctx.store.remove_volunteer(name)
    ctx.store.audit(
        session.volunteer.name,
        AuditAction.VOLUNTEER_REMOVE,
        name,
        now,
        site=found["site"],
        sessions_ended=found["sessions"],
    )
    ctx.changes.bump()
    return Response(status_code=204)


@router.get(f"{API}/activity")
def activity(
    session: Annotated[Session, Depends(api_admin)],
    ctx: Annotated[HubContext, Depends(hub_context)],
    before: Annotated[int | None, Query(ge=1, le=2**53)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    kind: Annotated[str, Query(pattern="^(|queue|other)$")] = "",
) -> dict[str, Any]:
    """The audit log, newest first; `before` (an id) gives the next page; `kind`
    "queue" only the help queue's closings and reopens, "other" the rest. Times
    are UTC; `time_zone` is the hub's, the one the page shows them in."""
    rows = ctx.store.activity(limit, before, kind)
    return {
        "entries": rows,
        "more": len(rows) == limit,
        "time_zone": ctx.settings["hub.time_zone"],
    }
