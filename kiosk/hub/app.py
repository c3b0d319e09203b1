"""Builds the hub's FastAPI app: `create_app(settings, data_dir)`.

The app is a set of APIRouters (terminal API, console API, console page) over
one HubContext on app.state.hub; new features add a router with
`app.include_router(...)`. Never starts a server itself (see server.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.core.content import load_bundle
from kiosk.core.helpdesk.clock import Clock, SystemClock, ZonedClock
from kiosk.hub.context import HubContext
from kiosk.hub.fleet import report_api, status_api
from kiosk.hub.fleet import status as fleet
from kiosk.hub.fleet.clock_check import ClockCheck
from kiosk.hub.guard import (
    InputGuard,
    InputPolicy,
    default_hosts,
    document_guard,
    validation_error,
)
from kiosk.hub.passwords import PasswordGate
from kiosk.hub.queue import accounts, console_api, console_page, display_api, terminal_api
from kiosk.hub.queue.call_voice import CallVoice
from kiosk.hub.store import HubStore
from kiosk.hub.studio import content_studio, voice_studio
from kiosk.hub.web import errors, shell
from kiosk.paths import DEFAULT_CONTENT

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "web" / "static"
PURGE_INTERVAL_SECONDS = 600
FORWARD_DEADLINE = 30.0  # seconds for one forward to the central hub, all included

# The console loads nothing from elsewhere and runs no inline script, so even a
# slip in escaping could not run injected markup. blob: media is the studio's own
# recording, played back before it is sent.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)


class SecurityHeaders:
    """Plain ASGI middleware (keeps server-sent events streaming unbuffered)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if path.startswith("/api/"):
                    headers.setdefault("Cache-Control", "no-store")  # may hold names and phones
                elif path.startswith(("/console", "/display")):
                    headers.setdefault("Cache-Control", "no-cache")  # pick up a new console at once
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "no-referrer")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _voices(content_dir: Path) -> dict[str, str]:
    """espeak-ng voice per language, from the content (the terminal's voices)."""
    try:
        return {lang.code: lang.espeak_voice for lang in load_bundle(content_dir).languages}
    except Exception:  # the language code is an espeak-ng voice name too
        return {}


def _titles(content_dir: Path) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Service and site names by language, so the console shows topics in words."""
    try:
        bundle = load_bundle(content_dir)
    except Exception as exc:  # the queue works without titles; it shows the ids
        log.warning("no topic titles: content at %s did not load: %s", content_dir, exc)
        return {}, {}
    topics = {sid: dict(s.title.values) for sid, s in bundle.services.items()}
    sites = {sid: dict(s.name.values) for sid, s in bundle.sites.items()}
    return topics, sites


async def _systemd_watchdog() -> None:
    """READY=1 once serving, then WATCHDOG=1 from the event loop itself, so systemd
    restarts a hub whose loop is stuck (WatchdogSec in deploy/systemd/komek-hub.service).
    Without systemd (no NOTIFY_SOCKET) these are no-ops."""
    import sdnotify

    notifier = sdnotify.SystemdNotifier()
    await asyncio.sleep(0.5)  # uvicorn binds its socket right after start-up
    notifier.notify("READY=1")
    while True:
        notifier.notify("WATCHDOG=1")
        await asyncio.sleep(10)


def _forwarder(
    settings: Mapping[str, Any], store: HubStore, clock: Clock
) -> fleet.Forwarder | None:
    """Forwarding to the central hub, when hub.central_url is set."""
    if not settings["hub.central_url"]:
        return None
    from kiosk.hub.fleet.outbound import CentralHub

    central = CentralHub(settings["hub.central_url"], settings["hub.central_key"], FORWARD_DEADLINE)
    return fleet.Forwarder(store, clock, central, settings["hub.forward_seconds"])


async def _login_redirect(request: Request, exc: Exception) -> RedirectResponse:
    return shell.login_redirect(exc)  # type: ignore[arg-type]


async def _admins_only(request: Request, exc: Exception) -> HTMLResponse:
    return shell.admins_only_page(request, exc)  # type: ignore[arg-type]


def _studio(settings: Mapping[str, Any], data_dir: Path) -> content_studio.Studio | None:
    """The content studio's draft and tools; None (and the reason logged) when it cannot start."""
    try:
        return content_studio.Studio(settings, data_dir)
    except Exception as exc:  # the queue must work even when the studio cannot
        log.error("content studio is off: %s", exc)
        return None


def _logged_in(ctx: HubContext) -> Any:
    """Whether a request's session cookie is live (for InputGuard.require_login)."""
    from starlette.requests import cookie_parser

    async def check(headers: Any) -> bool:
        token = cookie_parser(headers.get("cookie", "")).get(console_api.SESSION_COOKIE)
        if not token or len(token) > 200:
            return False
        found = await run_in_threadpool(ctx.store.session, token, ctx.clock.now())
        return found is not None

    return check


def create_app(
    settings: Mapping[str, Any],
    data_dir: Path,
    clock: Clock | None = None,
    content_dir: Path | None = None,
    password_hasher: PasswordHasher | None = None,
) -> FastAPI:
    """The hub app over `<data_dir>/hub.db`; `clock` and a cheap `password_hasher` are for tests."""
    # Every hour and day people read is in the residents' time zone, whatever
    # the machine's clock is set to (times are stored in UTC all the same).
    base_clock = clock or SystemClock()
    clock = ZonedClock(base_clock, ZoneInfo(settings["hub.time_zone"]))
    store = HubStore(
        Path(data_dir) / "hub.db",
        lockout_attempts=settings["hub.lockout_attempts"],
        lockout_minutes=settings["hub.lockout_minutes"],
        password_hasher=password_hasher,
        password_gate=PasswordGate(
            settings["hub.password_checks_at_once"], settings["hub.password_checks_queued"]
        ),
    )
    # One content for both studios: the content studio's draft, which approved
    # voices are written into and every release is published from.
    content_studio_ = _studio(settings, Path(data_dir))
    if content_studio_ is not None:
        content_studio_.today = lambda: clock.now().date()  # the hub's today, in its zone
    if content_dir is None:
        if content_studio_ is not None:
            content_dir = content_studio_.draft.root
        else:
            configured = settings.get("hub.content_source", "")
            content_dir = Path(configured).expanduser() if configured else DEFAULT_CONTENT
    topics, sites = _titles(content_dir)
    ctx = HubContext(
        settings=settings,
        store=store,
        clock=clock,
        topics=topics,
        sites=sites,
        data_dir=Path(data_dir),
        content_dir=content_dir,
    )
    ctx.call_voice = CallVoice(store, Path(data_dir), settings, _voices(content_dir))
    # A fake clock in tests says how much time passed as well as what it reads.
    ctx.clock_check = ClockCheck(
        clock, store, settings["hub.clock_trust_hours"], getattr(base_clock, "steady", None)
    )

    def purge() -> int:
        """Close past days and blank old names, by the hub's trusted time (nothing
        while a jump of its clock is not confirmed; see clock_check.py)."""
        now = ctx.clock_check.trusted_now()
        if now is None:
            return 0
        for site in store.sites_with_open_requests():
            if store.close_past_days(site, now, settings["hub.day_starts_hour"]):
                ctx.changes.bump()
        return store.purge_personal_data(now, settings["hub.personal_data_days"])

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async def purge_forever() -> None:
            while True:
                try:
                    n = await run_in_threadpool(purge)
                    if n:
                        log.info("deleted names and phones from %d old requests", n)
                        ctx.changes.bump()
                except Exception:
                    log.exception("privacy purge failed")
                await asyncio.sleep(PURGE_INTERVAL_SECONDS)

        task = asyncio.create_task(purge_forever())
        watchdog = asyncio.create_task(_systemd_watchdog())
        forwarder = _forwarder(settings, store, clock)
        if forwarder is not None:
            forwarder.start()
        app.state.forwarder = forwarder
        try:
            yield
        finally:
            task.cancel()
            watchdog.cancel()
            if forwarder is not None:
                await run_in_threadpool(forwarder.stop)
            if app.state.content_studio is not None:
                await run_in_threadpool(app.state.content_studio.close)
            await run_in_threadpool(ctx.call_voice.close)

    app = FastAPI(
        title="Kömək hub",
        summary="Help requests from terminals; the volunteers' console",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads scripts from a CDN; the schema is at /openapi.json
        redoc_url=None,
    )
    app.state.hub = ctx
    app.state.purge = purge
    app.state.metrics = fleet.make_registry(store, clock, settings)
    # Every route, also those routers add later: Host check, body limit, strict JSON.
    app.state.input_policy = InputPolicy(
        hosts=default_hosts(
            settings["hub.host"], settings["hub.tls_cert"], settings["hub.allowed_hosts"]
        ),
        max_body=settings["hub.max_body_kib"] * 1024,
    )
    app.add_middleware(InputGuard, policy=app.state.input_policy)
    app.add_middleware(SecurityHeaders)  # outermost: its headers go on the guard's answers too
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    # Every refusal with a stable code and its message in the reader's language.
    app.add_exception_handler(StarletteHTTPException, errors.http_error)
    document_guard(app)
    app.include_router(terminal_api.router)
    app.include_router(console_api.router)
    app.include_router(display_api.router)
    app.include_router(display_api.fonts)
    app.include_router(status_api.router)
    app.include_router(shell.router)  # the page shell: /login
    app.include_router(console_page.router)
    app.include_router(voice_studio.router)
    app.include_router(accounts.router)
    # A recording is larger than the hub's usual bodies (a minute of WAV is ~11 MB):
    # on the upload route only, as a form (streamed to disk), from a logged-in volunteer.
    app.state.input_policy.allow_larger(
        voice_studio.UPLOAD, voice_studio.UPLOAD_BODY_LIMIT, ["multipart/form-data"]
    )
    app.state.input_policy.require_login("/api/v1/studio/", _logged_in(ctx))
    app.add_exception_handler(shell.LoginNeeded, _login_redirect)
    app.state.content_studio = content_studio_
    app.add_exception_handler(shell.AdminsOnly, _admins_only)
    app.include_router(content_studio.router)
    app.include_router(report_api.router)
    if settings["hub.content_upstream"]:
        from kiosk.hub.fleet.mirror import mirror_router

        # Terminals set updates.mirror_url = "http://<hub>:8470/content"; they verify everything.
        app.include_router(
            mirror_router(
                settings["hub.content_upstream"],
                Path(data_dir) / "content-mirror",
                deadline=settings["hub.content_upstream_deadline_seconds"],
            )
        )

    @app.get("/healthz", tags=["status"])
    async def healthz() -> dict[str, str]:  # async: answers even when every worker thread is busy
        """Liveness for monitors and load balancers: no data, no login."""
        return {"status": "ok"}

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/console/")

    app.mount("/console", StaticFiles(directory=STATIC_DIR, html=True), name="console")
    # The waiting-room display (a TV in kiosk mode): /display/?key=...
    app.mount("/display", StaticFiles(directory=STATIC_DIR / "display", html=True), name="display")
    return app
