"""The hub's one page shell: the frame every hub page shares (the volunteers'
console, the voice studio, the content studio, the terminals page, admin pages).

The shell gives a page: the header (logo, the page's title, who is logged in),
the language switch (az / ru / en, remembered in the browser and in the
`komek_lang` cookie so server-rendered text and error messages follow it), the
navigation (admin-only entries hidden from volunteers), logout, one error
banner, the "session ended" notice, the login page at /login (the console's
accounts and sessions), and the look: shell.css, then the page's own CSS.

How a page plugs in (a router of its own, in its room):

    from kiosk.hub.web.shell import NavEntry, add_nav, page_session, shell_page

    add_nav(NavEntry("thing", "/thing/", "nav_thing", admin_only=True))

    @router.get("/thing/", response_class=HTMLResponse, include_in_schema=False)
    def thing_page(request: Request, session: Annotated[Session, Depends(page_admin)]):
        return shell_page(request, session, "thing", "<section>...</section>",
                          title="title_thing", scripts=["thing.js"], styles=["thing.css"])

- `page_session` sends whoever is not logged in to /login?next=<this page>;
  `page_admin` also answers a volunteer with a translated "admins only" page (403).
- `main` is the page's own markup (never data: put data in with JavaScript's
  textContent, or escape it with html.escape). Elements with `data-t="key"` get
  the text `key` in the chosen language; the shell's keys are in shell.js.
- The page's script (loaded after shell.js, `defer`) uses the `Shell` object:
      Shell.addTexts({az: {...}, ru: {...}, en: {...}});  // its own texts
      Shell.onLanguage((lang) => render());               // now and on every switch
      const doc = await Shell.api("GET", "/api/v1/...");  // CSRF token, errors
      Shell.showError(err);   // an ApiError (its translated message) or a text key
      Shell.sessionEnded();   // says "session ended" and offers the login again
  A 401 from Shell.api ends the session on the page the same way.
- A page rendered on the server in the reader's language (the terminals page)
  gets it with `page_language(request)` and passes `reload_on_language=True`.
- Error answers of the API carry a stable `code` and a translated `message`
  (kiosk/hub/web/errors.py); Shell.api throws them as ApiError(status, message, code).

The shell escapes everything it puts into the page itself.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from kiosk.hub.queue.console_api import current_session
from kiosk.hub.store import Session
from kiosk.hub.web import errors

router = APIRouter(tags=["shell"])

LOGIN_PATH = "/login"
HOME = "/console/"  # where a login without `next` lands
STATIC = "/console/"  # the static folder's URL (console.js, shell.js, shell.css, ...)


@dataclass(frozen=True)
class NavEntry:
    id: str
    href: str
    label: str  # a key into the texts (shell.js, or the page's own addTexts)
    admin_only: bool = False


NAV: list[NavEntry] = [
    NavEntry("queue", "/console/", "nav_queue"),
    NavEntry("voice", "/studio/", "nav_voice"),
    NavEntry("content", "/studio/content/", "nav_content", admin_only=True),
    NavEntry("terminals", "/admin/", "nav_terminals"),
    NavEntry("report", "/studio/report/", "nav_report", admin_only=True),
]


def add_nav(entry: NavEntry) -> None:
    """One more entry in every page's navigation (idempotent by id)."""
    if all(e.id != entry.id for e in NAV):
        NAV.append(entry)


class LoginNeeded(Exception):
    """Raised by page_session; the app answers with a redirect to the login page."""

    def __init__(self, path: str):
        self.path = path


class AdminsOnly(Exception):
    """Raised by page_admin; the app answers with the shell's "admins only" page."""

    def __init__(self, session: Session):
        self.session = session


_SAFE_PATH = re.compile(r"^/(?![/\\])[A-Za-z0-9\-._~/%]*$")


def safe_next(path: str | None) -> str:
    """Where to go after logging in: a page of this hub given as a relative path
    (/admin/, /studio/content/), never another site (//evil, https://, /\\evil)."""
    if path and _SAFE_PATH.match(path) and not path.startswith(LOGIN_PATH):
        return path
    return HOME


def page_session(
    request: Request, session: Annotated[Session | None, Depends(current_session)]
) -> Session:
    """A logged-in volunteer, or a redirect to the login page."""
    if session is None:
        raise LoginNeeded(request.url.path)
    return session


def page_admin(session: Annotated[Session, Depends(page_session)]) -> Session:
    """A logged-in admin (pages only admins may open)."""
    if not session.volunteer.admin:
        raise AdminsOnly(session)
    return session


def page_language(request: Request) -> str:
    """The reader's language: the language switch's cookie, else Accept-Language."""
    return errors.language(request.headers)


def login_redirect(exc: LoginNeeded) -> RedirectResponse:
    return RedirectResponse(f"{LOGIN_PATH}?next={quote(safe_next(exc.path))}", status_code=303)


e = html.escape

PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="csrf-token" content="{csrf}">
{refresh}<link rel="icon" href="data:,">
<title>Kömək</title>
<link rel="stylesheet" href="{static}shell.css">
{styles}<script src="{static}shell.js" defer></script>
{scripts}</head>
<body data-page="{active}" data-admin="{admin}" data-title="{title}"{reload}>
<header class="bar">
  <div class="brand">
    <span class="logo" aria-hidden="true">K</span>
    <span class="brand-text"><strong data-t="{title}">Kömək</strong><span id="shell-who" class="who">{who}</span></span>
  </div>
  <div class="tools">
    {tools}<div class="langs" role="group" aria-label="Language / Dil / Язык">
      <button type="button" data-lang="az" lang="az">AZ</button>
      <button type="button" data-lang="ru" lang="ru">RU</button>
      <button type="button" data-lang="en" lang="en">EN</button>
    </div>
    {logout}
  </div>
  <nav class="shell-nav" aria-label="Kömək">{nav}</nav>
  {banners}<div id="shell-error" class="shell-error" role="alert" hidden><span class="text"></span><button type="button" class="close" data-t="close"></button></div>
</header>
<template id="shell-ended"><section class="login ended" role="alert">
  <div class="panel">
    <h1 data-t="ended_title"></h1>
    <p data-t="ended_text"></p>
    <a class="button primary wide" id="shell-login-again" href="{login}" data-t="login_again"></a>
  </div>
</section></template>
<main class="page page-{active}">
{main}
</main>
</body>
</html>
"""

LOGIN_MAIN = """<section class="login">
  <form id="login-form" class="panel" autocomplete="on" data-next="{next}">
    <h1 data-t="login_title"></h1>
    <label for="login-name" data-t="name"></label>
    <input id="login-name" name="username" autocomplete="username" autocapitalize="none" required maxlength="80">
    <label for="login-password" data-t="password"></label>
    <input id="login-password" name="password" type="password" autocomplete="current-password" required maxlength="200">
    <p id="login-error" class="error" role="alert"></p>
    <button type="submit" class="primary wide" data-t="login"></button>
  </form>
</section>"""

ADMINS_ONLY_MAIN = """<section class="login"><div class="panel">
  <h1 data-t="admins_only_title"></h1>
  <p data-t="admins_only_text"></p>
  <a class="button wide" href="/console/" data-t="nav_queue"></a>
</div></section>"""


def _nav(session: Session | None, active: str) -> str:
    if session is None:
        return ""
    items = []
    for entry in NAV:
        if entry.admin_only and not session.volunteer.admin:
            continue
        current = ' aria-current="page"' if entry.id == active else ""
        items.append(
            f'<a href="{e(entry.href)}" data-nav="{e(entry.id)}" data-t="{e(entry.label)}"'
            f"{current}></a>"
        )
    return "".join(items)


def shell_page(
    request: Request | None,
    session: Session | None,
    active: str,
    main: str,
    *,
    title: str = "title_hub",
    scripts: Sequence[str] = (),
    styles: Sequence[str] = (),
    tools: str = "",
    banners: str = "",
    refresh_seconds: int = 0,
    reload_on_language: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    """A hub page: the shell around `main` (the page's own markup), with its
    scripts and styles (file names in the static folder) after the shell's.
    `tools` and `banners` are the page's own markup for the header."""
    lang = page_language(request) if request is not None else "az"
    who = ""
    if session is not None:
        who = session.volunteer.name + (" · admin" if session.volunteer.admin else "")
    logout = (
        '<button type="button" id="logout" class="tool" data-t="logout"></button>'
        if session is not None
        else ""
    )
    here = request.url.path if request is not None else HOME
    page = PAGE.format(
        lang=e(lang),
        csrf=e(session.csrf if session else ""),
        refresh=f'<meta http-equiv="refresh" content="{int(refresh_seconds)}">\n'
        if refresh_seconds
        else "",
        static=STATIC,
        styles="".join(f'<link rel="stylesheet" href="{STATIC}{e(s)}">\n' for s in styles),
        scripts="".join(f'<script src="{STATIC}{e(s)}" defer></script>\n' for s in scripts),
        active=e(active),
        admin="1" if session is not None and session.volunteer.admin else "0",
        title=e(title),
        reload=' data-reload-on-language="1"' if reload_on_language else "",
        who=e(who),
        tools=tools,
        logout=logout,
        nav=_nav(session, active),
        banners=banners,
        login=e(f"{LOGIN_PATH}?next={quote(safe_next(here))}"),
        main=main,
    )
    return HTMLResponse(page, status_code=status_code, headers={"Cache-Control": "no-store"})


def admins_only_page(request: Request, exc: AdminsOnly) -> HTMLResponse:
    return shell_page(
        request, exc.session, "", ADMINS_ONLY_MAIN, title="admins_only_title", status_code=403
    )


@router.get(LOGIN_PATH, response_class=HTMLResponse, include_in_schema=False)
def login_page(
    request: Request,
    session: Annotated[Session | None, Depends(current_session)],
    next: str = HOME,
) -> HTMLResponse:
    """The login form (the console's accounts); straight on when logged in."""
    target = safe_next(next)
    if session is not None:
        return RedirectResponse(target, status_code=303)  # type: ignore[return-value]
    main = LOGIN_MAIN.format(next=e(target))
    return shell_page(request, None, "login", main, title="login_title")


@router.get("/studio/login", include_in_schema=False)
def old_login(next: str = "/studio/") -> RedirectResponse:
    """The studio's first login address: still lands in the studio."""
    return RedirectResponse(f"{LOGIN_PATH}?next={quote(safe_next(next))}", status_code=303)


@router.get("/studio", include_in_schema=False)
def studio_root() -> RedirectResponse:
    return RedirectResponse("/studio/")


# The names the studio pages were written with.
studio_session = page_session
studio_admin = page_admin
