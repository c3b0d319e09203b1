"""The impact report for admins in the browser: a page to choose the month, the
district and the language (/studio/report/), and the download of the PDF or CSV
(/api/v1/report). Only admins: the report covers every district.

The figures are kiosk/hub/fleet/report.py's; they hold anonymous counts only.
"""

from __future__ import annotations

import html
import json
from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from kiosk.hub.context import HubContext, hub_context
from kiosk.hub.fields import answers
from kiosk.hub.fleet.report import MONTH_PATTERN, build_report, names, to_csv, to_pdf
from kiosk.hub.queue.console_api import require_session
from kiosk.hub.store import Session
from kiosk.hub.web.shell import page_admin, shell_page

router = APIRouter(tags=["report"])

MONTH = MONTH_PATTERN
SITE = r"^([a-z0-9_-]{1,40})?$"  # empty: every district (the form's "All districts")


def _admin(session: Annotated[Session, Depends(require_session)]) -> Session:
    if not session.volunteer.admin:
        raise HTTPException(403, "only an admin may download the report")
    return session


@router.get(
    "/api/v1/report",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}, "text/csv": {}}},
        **answers(401, 403, 404),
    },
)
async def download_report(
    session: Annotated[Session, Depends(_admin)],
    ctx: Annotated[HubContext, Depends(hub_context)],
    month: Annotated[str, Query(pattern=MONTH)],
    site: Annotated[str | None, Query(pattern=SITE)] = None,
    lang: Literal["az", "ru", "en"] = "az",
    format: Literal["pdf", "csv"] = "pdf",
) -> Response:
    """The monthly impact report of one month, for every district or one."""
    site = site or None
    if site is not None and site not in ctx.sites:
        raise HTTPException(404, "no such site")
    now = ctx.clock.now()

    def make() -> bytes:
        report = build_report(ctx.store, month, site, tz=ctx.zone, now=now)
        titles, sites = names(ctx.topics, ctx.sites, lang)
        if format == "csv":
            return to_csv(report, lang, titles, sites).encode("utf-8")
        return to_pdf(report, lang, titles, sites)

    data = await run_in_threadpool(make)
    name = f"komek-report-{month}{'-' + site if site else ''}-{lang}.{format}"
    media = "application/pdf" if format == "pdf" else "text/csv; charset=utf-8"
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


PAGE = """<section class="panel report">
  <h1 data-t="report_title"></h1>
  <p data-t="report_intro"></p>
  <form id="report-form" method="get" action="/api/v1/report">
    <label for="report-month" data-t="report_month"></label>
    <input id="report-month" name="month" type="month" value="{month}" required
           min="2000-01" max="2099-12" pattern="20[0-9]{{2}}-(0[1-9]|1[0-2])">
    <label for="report-site" data-t="report_site"></label>
    <select id="report-site" name="site">
      <option value="" data-t="report_all"></option>
      {sites}
    </select>
    <label for="report-lang" data-t="report_lang"></label>
    <select id="report-lang" name="lang">
      <option value="az">Azərbaycanca</option>
      <option value="ru">Русский</option>
      <option value="en">English</option>
    </select>
    <div class="actions">
      <button type="submit" name="format" value="pdf" class="primary" data-t="report_pdf"></button>
      <button type="submit" name="format" value="csv" data-t="report_csv"></button>
    </div>
  </form>
  <p class="note" data-t="report_privacy"></p>
</section>"""


@router.get("/studio/report/", response_class=HTMLResponse, include_in_schema=False)
def report_page(
    request: Request,
    session: Annotated[Session, Depends(page_admin)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> HTMLResponse:
    # The month before the hub's today (its clock, in the hub's time zone).
    today = ctx.clock.now().astimezone(ctx.zone).date()
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    # The district's name in every language; studio-report.js shows the page's own.
    options = "".join(
        f'<option value="{html.escape(sid)}" data-names="{html.escape(json.dumps(names))}">'
        f"{html.escape(names.get('az', sid))}</option>"
        for sid, names in sorted(ctx.sites.items())
    )
    return shell_page(
        request,
        session,
        "report",
        PAGE.format(month=last_month, sites=options),
        title="title_report",
        scripts=["studio-report.js"],
        styles=["studio.css"],
    )
