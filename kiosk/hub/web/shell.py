"""The studio shell on the hub: the frame every studio page shares (the voice
studio at /studio/, the content studio at /studio/content/).

It gives a page: the volunteers' login (the console's accounts and sessions,
no second login), a redirect to /studio/login for anyone not logged in, the
top bar with the navigation (admin-only entries hidden from volunteers), the
language switch, logout, and the look (console.css + studio.css). A studio page
is a router of its own that does

    @router.get("/studio/thing/")
    def page(session: Annotated[Session, Depends(studio_session)]) -> HTMLResponse:
        return studio_page(session, "thing", "<section>...</section>", ["studio-thing.js"])

and adds its NavEntry to NAV. Its script uses `Studio.api(method, path, body)`
(CSRF token and errors handled) and `Studio.t(key)` from studio.js. The shell
escapes everything it puts into the page; page markup passed in is the page's
own, never data.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from kiosk.hub.queue.console_api import current_session
from kiosk.hub.store import Session

router = APIRouter(tags=["studio"])

LOGIN_PATH = "/studio/login"
STATIC = "/console/"  # the console's static folder serves the studio's files too


@dataclass(frozen=True)
class NavEntry:
    id: str
    href: str
    label: str  # a key into the shell's texts in studio.js
    admin_only: bool = False


NAV: list[NavEntry] = [
    NavEntry("voice", "/studio/", "nav_voice"),
    NavEntry("content", "/studio/content/", "nav_content", admin_only=True),
    NavEntry("queue", "/console/", "nav_queue"),
    NavEntry("terminals", "/admin/", "nav_terminals"),
    NavEntry("report", "/studio/report/", "nav_report", admin_only=True),
]


class LoginNeeded(Exception):
    """Raised by studio_session; the app answers with a redirect to the login page."""

    def __init__(self, path: str):
        self.path = path


def safe_next(path: str | None) -> str:
    """Where to go after logging in: a studio page of this hub, never elsewhere."""
    if path and path.startswith("/studio/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/studio/"


def studio_session(
    request: Request, session: Annotated[Session | None, Depends(current_session)]
) -> Session:
    """A logged-in volunteer, or a redirect to the studio's login page."""
    if session is None:
        raise LoginNeeded(request.url.path)
    return session


def studio_admin(session: Annotated[Session, Depends(studio_session)]) -> Session:
    """A logged-in admin (pages only admins may open)."""
    if not session.volunteer.admin:
        raise HTTPException(403, "only an admin may open this page")
    return session


def login_redirect(exc: LoginNeeded) -> RedirectResponse:
    return RedirectResponse(f"{LOGIN_PATH}?next={quote(safe_next(exc.path))}", status_code=303)


e = html.escape

PAGE = """<!doctype html>
<html lang="az">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="csrf-token" content="{csrf}">
<link rel="icon" href="data:,">
<title>Kömək — studio</title>
<link rel="stylesheet" href="{static}console.css">
<link rel="stylesheet" href="{static}studio.css">
<script src="{static}studio.js" defer></script>
{scripts}
</head>
<body data-page="{active}" data-admin="{admin}">
<header class="bar">
  <div class="brand">
    <span class="logo" aria-hidden="true">K</span>
    <span class="brand-text"><strong data-t="studio_title">Kömək</strong><span class="who">{who}</span></span>
  </div>
  <div class="tools">
    <div class="langs" role="group" aria-label="Language / Dil / Язык">
      <button type="button" data-lang="az" lang="az">AZ</button>
      <button type="button" data-lang="ru" lang="ru">RU</button>
      <button type="button" data-lang="en" lang="en">EN</button>
    </div>
    {logout}
  </div>
  <nav class="studio-nav" aria-label="Studio">{nav}</nav>
</header>
<main class="studio">
{main}
</main>
</body>
</html>
"""

LOGIN_MAIN = """<section class="login">
  <form id="studio-login" class="panel" autocomplete="on" data-next="{next}">
    <h1 data-t="login_title"></h1>
    <label for="login-name" data-t="name"></label>
    <input id="login-name" name="username" autocomplete="username" autocapitalize="none" required maxlength="80">
    <label for="login-password" data-t="password"></label>
    <input id="login-password" name="password" type="password" autocomplete="current-password" required maxlength="200">
    <p id="login-error" class="error" role="alert"></p>
    <button type="submit" class="primary wide" data-t="login"></button>
  </form>
</section>"""


def _nav(session: Session | None, active: str) -> str:
    if session is None:
        return ""
    items = []
    for entry in NAV:
        if entry.admin_only and not session.volunteer.admin:
            continue
        current = ' aria-current="page"' if entry.id == active else ""
        items.append(
            f'<a href="{e(entry.href)}" data-nav="{e(entry.id)}" data-t="{e(entry.label)}"{current}></a>'
        )
    return "".join(items)


def studio_page(
    session: Session | None, active: str, main: str, scripts: list[str] | tuple[str, ...] = ()
) -> HTMLResponse:
    """A studio page: the shell around `main` (the page's own markup), with its
    scripts (file names in the static folder) loaded after studio.js."""
    who = ""
    if session is not None:
        who = session.volunteer.name + (" · admin" if session.volunteer.admin else "")
    logout = (
        '<button type="button" id="studio-logout" class="tool" data-t="logout"></button>'
        if session is not None
        else ""
    )
    page = PAGE.format(
        csrf=e(session.csrf if session else ""),
        static=STATIC,
        scripts="".join(f'<script src="{STATIC}{e(s)}" defer></script>\n' for s in scripts),
        active=e(active),
        admin="1" if session is not None and session.volunteer.admin else "0",
        who=e(who),
        logout=logout,
        nav=_nav(session, active),
        main=main,
    )
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


@router.get(LOGIN_PATH, response_class=HTMLResponse, include_in_schema=False)
def login_page(
    session: Annotated[Session | None, Depends(current_session)], next: str = "/studio/"
) -> HTMLResponse:
    """The studio's login form (the console's accounts); straight on when logged in."""
    target = safe_next(next)
    if session is not None:
        return RedirectResponse(target, status_code=303)  # type: ignore[return-value]
    return studio_page(None, "login", LOGIN_MAIN.format(next=e(target)))


@router.get("/studio", include_in_schema=False)
def studio_root() -> RedirectResponse:
    return RedirectResponse("/studio/")
