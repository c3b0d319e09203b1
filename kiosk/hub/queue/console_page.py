"""The volunteers' console page at /console/: the help queue of the volunteer's
site, live, in the hub's page shell (web/shell.py). The queue's behaviour is
static/console.js over the console API (console_api.py); this module only
frames it. Whoever is not logged in is sent to the login page first.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from kiosk.hub.queue.display_api import glyph
from kiosk.hub.store import Session
from kiosk.hub.web.shell import page_session, shell_page

router = APIRouter(tags=["console"])

TOOLS = (
    # The desk this volunteer calls people to (the waiting-room display says it).
    '<label class="tool desk-pick" id="desk-pick" hidden><span data-t="desk"></span> '
    '<select id="desk" data-t-label="desk"></select></label>\n    '
    '<button type="button" id="sound" class="tool" aria-pressed="true">'
    '<span aria-hidden="true">♪</span> <span class="word"></span></button>\n    '
)

# Inside the sticky header, so they stay in sight while the queue scrolls.
BANNERS = """<div id="alert" class="banner alert" role="status" aria-live="assertive" hidden></div>
  <div id="offline" class="banner offline" role="status" data-t="offline" hidden></div>
  """

MAIN_TEMPLATE = """<section id="queue-view">
  <div class="summary">
    <p id="counts" class="counts"></p>
    <button type="button" id="call-next" class="primary big" data-t="call_next"></button>
  </div>
  <p id="action-error" class="error" role="alert"></p>
  <div class="queue-head"><h2 data-t="queue"></h2><span id="phone-tools" class="phone-tools"></span></div>
  <ol id="open-list" class="cards"></ol>
  <p id="empty" class="empty" data-t="empty" hidden></p>
  <details id="finished">
    <summary data-t="finished"></summary>
    <ol id="done-list" class="cards done"></ol>
  </details>
</section>
<details id="my-name-fold" hidden>
  <summary data-t="my_name"></summary>
  <form id="my-name-form" class="my-name">
    <p class="hint" data-t="my_name_hint"></p>
    <div class="my-name-row">
      <input id="my-name" type="text" maxlength="30" autocomplete="off" data-t-label="my_name">
      <button type="submit" data-t="save"></button>
    </div>
    <p id="my-name-said" class="said" role="status" aria-live="polite"></p>
  </form>
</details>

<template id="card-template">
  <li class="card">
    <div class="card-head">
      <span class="ticket"></span>
      <span class="mark" aria-hidden="true"></span>
      <span class="day-marker" hidden></span>
      <span class="ticket-extra"></span>
      <span class="status"></span>
      <span class="waited"></span>
      <button type="button" class="history-toggle" aria-expanded="false"><span class="icon" aria-hidden="true">{history_icon}</span></button>
      <button type="button" class="note-toggle" aria-expanded="false"><span aria-hidden="true">✎</span></button>
    </div>
    <div class="about"><span class="topic"></span> <span class="meta"><span class="waited-done"></span> <span class="terminal"></span> <span class="lang"></span> <span class="calls"></span> <span class="by"></span></span></div>
    <div class="person" hidden><span class="name"></span> <a class="phone"></a></div>
    <p class="note-view" hidden></p>
    <div class="actions"></div>
    <form class="note-form">
      <textarea class="note-input" maxlength="500" rows="2"></textarea>
      <button type="submit" class="note-save"></button>
    </form>
    <section class="history" hidden>
      <h3 class="history-title"></h3>
      <ol class="history-list"></ol>
      <p class="history-zone"></p>
      <p class="history-error" role="alert"></p>
    </section>
  </li>
</template>"""
# The history button's clock, from the pictogram font the tickets' marks use
# (a phone's emoji font may lack one; the hub's font is always there).
MAIN = MAIN_TEMPLATE.replace("{history_icon}", f"&#x{ord(glyph('history')):x};")


@router.get("/console/", response_class=HTMLResponse, include_in_schema=False)
def console_page(
    request: Request, session: Annotated[Session, Depends(page_session)]
) -> HTMLResponse:
    return shell_page(
        request,
        session,
        "queue",
        MAIN,
        title="title_queue",
        scripts=["console.js"],
        styles=["console.css"],
        tools=TOOLS,
        banners=BANNERS,
    )


@router.get("/console", include_in_schema=False)
def console_redirect() -> RedirectResponse:
    return RedirectResponse("/console/")
