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
from datetime import datetime, timedelta
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
    ClockHint,
    Count,
    Day,
    Seconds,
    ShortText,
    SiteId,
    StatusText,
    TerminalName,
    answers,
    other_machine,
)
from kiosk.hub.fleet import status as fleet
from kiosk.hub.queue.terminal_api import terminal_auth
from kiosk.hub.store import Hub, Session, Terminal
from kiosk.hub.web.shell import page_language, page_session, shell_page

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
    sent_at: ClockHint = None  # the terminal's clock: tells the hub whether its own is right


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
    request: Request,
    terminal: Annotated[Terminal, Depends(terminal_auth)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> dict[str, Any]:
    """A terminal's status and usage totals; re-sending the same totals changes nothing."""
    if ctx.clock_check is not None:
        ctx.clock_check.heard(body.sent_at, other_machine(request))
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

# The page's words, rendered on the hub in the reader's language (the shell's
# language switch reloads the page).
TEXTS: dict[str, dict[str, str]] = {
    "az": {
        "never": "heç vaxt", "s_ago": "{n} san əvvəl", "min_ago": "{n} dəq əvvəl",
        "h_ago": "{n} saat əvvəl", "days_ago": "{n} gün əvvəl",
        "d_h": "{d} gün {h} saat", "h_min": "{h} saat {m} dəq", "min": "{m} dəq",
        "ok": "Qaydasındadır", "no_paper": "Kağız yoxdur", "offline": "Qoşulmayıb", "error": "Xəta",
        "paper_low": "Kağız azdır", "alive": "İşləyir", "never_seen": "Heç görünməyib", "down": "İşləmir",
        "unknown": "Bilinmir",
        "ahead": "son siqnal hubun saatından {t} irəlidədir (saat geri çəkilib)",
        "no_service": "Xidmət seçilməyib", "no_usage": "Son 7 gündə istifadə sayılmayıb.",
        "no_terminals": "Hələ terminal yoxdur.", "all_sites": "bütün məntəqələr", "site": "məntəqə {s}",
        "summary": "<strong>{a} / {n}</strong> terminal işləyir · {scope} · yeniləndi {t}",
        "terminals": "Terminallar", "state": "Vəziyyət", "terminal": "Terminal", "site_h": "Məntəqə",
        "content": "Məzmun", "printer": "Printer", "last_error": "Son xəta", "uptime": "İş vaxtı",
        "app": "Proqram", "opened": "Açılıb", "printed": "Çap edilib", "help": "Kömək",
        "opened_t": "bu gün açılan xidmətlər", "printed_t": "bu gün çap edilən çeklər",
        "help_t": "bu gün istənən kömək", "services": "Xidmətlər", "service": "Xidmət",
        "today": "Bu gün", "week": "Son 7 gün",
        "clock_lead": "Hubun saatı təsdiqlənə biləndən {d} irəlidədir ({at} tullanıb). Saat düzəldilənə, başqa maşındakı terminal onunla razılaşana və ya {h} saat keçənə qədər adlar və telefonlar silinmir, günün növbəsi bu saatla bağlanmır.",
        "clock_settling": "Hub fasilədən sonra yenicə başlayıb: günü bağlamazdan və adları silməzdən əvvəl 5 dəqiqəyədək terminalın saatını gözləyir.",
        "clock_moved_ahead": "Hubun saatı {at} {d} irəli çəkilib.",
        "clock_moved_back": "Hubun saatı {at} {d} geri çəkilib.",
        "note": "Saylar anonimdir: yalnız gün, terminal və xidmət üzrə. Üç siqnal buraxan terminal işləmir sayılır.",
    },
    "ru": {
        "never": "никогда", "s_ago": "{n} с назад", "min_ago": "{n} мин назад",
        "h_ago": "{n} ч назад", "days_ago": "{n} дн. назад",
        "d_h": "{d} дн. {h} ч", "h_min": "{h} ч {m} мин", "min": "{m} мин",
        "ok": "В порядке", "no_paper": "Нет бумаги", "offline": "Не подключён", "error": "Ошибка",
        "paper_low": "Мало бумаги", "alive": "Работает", "never_seen": "Ни разу не был на связи",
        "down": "Не работает", "unknown": "Неизвестно",
        "ahead": "последний сигнал на {t} впереди часов хаба (их перевели назад)",
        "no_service": "Услуга не выбрана", "no_usage": "За последние 7 дней ничего не подсчитано.",
        "no_terminals": "Терминалов пока нет.", "all_sites": "все пункты", "site": "пункт {s}",
        "summary": "Работают <strong>{a} из {n}</strong> терминалов · {scope} · обновлено {t}",
        "terminals": "Терминалы", "state": "Состояние", "terminal": "Терминал", "site_h": "Пункт",
        "content": "Контент", "printer": "Принтер", "last_error": "Последняя ошибка",
        "uptime": "Время работы", "app": "Программа", "opened": "Открыто", "printed": "Напечатано",
        "help": "Помощь", "opened_t": "услуг открыто сегодня", "printed_t": "листков напечатано сегодня",
        "help_t": "просьб о помощи сегодня", "services": "Услуги", "service": "Услуга",
        "today": "Сегодня", "week": "Последние 7 дней",
        "clock_lead": "Часы хаба спешат на {d} относительно того, что можно подтвердить (скачок в {at}). Пока часы не исправят, терминал на другой машине не согласится с ними или не пройдёт {h} ч, имена и телефоны не удаляются, а очередь дня по этим часам не закрывается.",
        "clock_settling": "Хаб только что запущен после перерыва: до 5 минут он ждёт часов терминала, прежде чем закрыть день или удалить имена.",
        "clock_moved_ahead": "Часы хаба переведены вперёд на {d} в {at}.",
        "clock_moved_back": "Часы хаба переведены назад на {d} в {at}.",
        "note": "Подсчёт анонимный: только по дням, терминалам и услугам. "
        "Терминал считается неработающим после трёх пропущенных сигналов.",
    },
    "en": {
        "never": "never", "s_ago": "{n} s ago", "min_ago": "{n} min ago",
        "h_ago": "{n} h ago", "days_ago": "{n} days ago",
        "d_h": "{d} d {h} h", "h_min": "{h} h {m} min", "min": "{m} min",
        "ok": "OK", "no_paper": "No paper", "offline": "Offline", "error": "Error",
        "paper_low": "Paper low", "alive": "Alive", "never_seen": "Never seen", "down": "Down",
        "unknown": "Unknown",
        "ahead": "last heartbeat {t} ahead of the hub's clock (it was set back)",
        "no_service": "No service chosen", "no_usage": "No usage counted in the last 7 days.",
        "no_terminals": "No terminals yet.", "all_sites": "all sites", "site": "site {s}",
        "summary": "<strong>{a} of {n}</strong> terminals alive · {scope} · updated {t}",
        "terminals": "Terminals", "state": "State", "terminal": "Terminal", "site_h": "Site",
        "content": "Content", "printer": "Printer", "last_error": "Last error", "uptime": "Uptime",
        "app": "App", "opened": "Opened", "printed": "Printed", "help": "Help",
        "opened_t": "services opened today", "printed_t": "slips printed today",
        "help_t": "help asked today", "services": "Services", "service": "Service",
        "today": "Today", "week": "Last 7 days",
        "clock_lead": "The hub's clock reads {d} ahead of what it can confirm (it jumped at {at}). Until the clock is set right, a terminal on another machine agrees with it, or {h} hours pass, names and phones are not deleted and the day's queue is not closed by that time.",
        "clock_settling": "The hub has just started after a gap: it waits up to 5 minutes for a terminal's clock before closing the day or deleting names.",
        "clock_moved_ahead": "The hub's clock was set {d} ahead at {at}.",
        "clock_moved_back": "The hub's clock was set {d} back at {at}.",
        "note": "Counts are anonymous: per day, terminal and service only. "
        "A terminal is down after three missed heartbeats.",
    },
}  # fmt: skip


class _Words:
    """The page's words in one language: words("s_ago", n=5); escaped unless raw."""

    def __init__(self, lang: str):
        self.texts = TEXTS.get(lang, TEXTS["en"])

    def __call__(self, key: str, **values: Any) -> str:
        return e(self.texts[key].format(**values))

    def raw(self, key: str, **values: str) -> str:
        """Markup of the page's own (values escaped by the caller)."""
        return self.texts[key].format(**values)


def _ago(seconds: float | None, w: _Words) -> str:
    if seconds is None:
        return w("never")
    if seconds < 90:
        return w("s_ago", n=int(seconds))
    if seconds < 90 * 60:
        return w("min_ago", n=round(seconds / 60))
    if seconds < 48 * 3600:
        return w("h_ago", n=round(seconds / 3600))
    return w("days_ago", n=round(seconds / 86400))


def _duration(seconds: float | None, w: _Words) -> str:
    if seconds is None:
        return "—"
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return w("d_h", d=days, h=hours)
    if hours:
        return w("h_min", h=hours, m=mins)
    return w("min", m=mins)


def _name(names: dict[str, dict[str, str]], key: str, lang: str = "en") -> str:
    by_lang = names.get(key, {})
    return by_lang.get(lang) or by_lang.get("az") or key


PRINTER_STATES = ("ok", "no_paper", "offline", "error")


def _printer_cell(v: fleet.TerminalView, w: _Words) -> str:
    if v.seen_seconds_ago is None:
        return "<td>—</td>"
    kind = v.printer or "none"
    text = w(v.printer) if v.printer in PRINTER_STATES else "—"
    if v.printer == "ok" and v.paper_low:
        kind, text = "paper_low", w("paper_low")
    return (
        f'<td><span class="badge printer-{e(kind)}" title="{e(v.printer_message)}">'
        f"{text}</span></td>"
    )


def _terminal_row(
    v: fleet.TerminalView, ctx: HubContext, today: dict[str, int], w: _Words, lang: str
) -> str:
    never = v.seen_seconds_ago is None
    state = "alive" if v.alive else ("never" if never else "down")
    seen = _ago(v.seen_seconds_ago, w)
    if v.ahead_seconds is not None:  # alive or not cannot be told from the hub's clock
        state, seen = "unknown", w("ahead", t=_duration(v.ahead_seconds, w))
    names = {"alive": "alive", "never": "never_seen", "down": "down", "unknown": "unknown"}
    state_text = w(names[state])
    error = v.last_error or v.update_error
    return (
        f'<tr class="{state}">'
        f'<td><span class="badge {state}">{state_text}</span></td>'
        f'<td class="name">{e(v.name)}<div class="sub">{seen}</div></td>'
        f"<td>{e(_name(ctx.sites, v.site, lang))}</td>"
        f"<td class=num>{e(v.content_version or '—')}</td>"
        f"{_printer_cell(v, w)}"
        f'<td class="error">{e(error) or "—"}</td>'
        f"<td>{_duration(v.uptime_seconds, w)}</td>"
        f"<td>{e(v.app_version or '—')}</td>"
        f"<td class=num>{today.get('opened', 0)}</td>"
        f"<td class=num>{today.get('printed', 0)}</td>"
        f"<td class=num>{today.get('help', 0)}</td>"
        "</tr>"
    )


def _service_rows(
    summary: dict[str, dict[str, dict[str, int]]], ctx: HubContext, w: _Words, lang: str
) -> str:
    rows = []
    # "No service chosen" last; the rest by title.
    services = sorted(summary["week"], key=lambda s: (not s, _name(ctx.topics, s, lang).casefold()))
    zero = {"opened": 0, "printed": 0, "help": 0}
    for s in services:
        t = summary["today"].get(s, zero)
        wk = summary["week"][s]
        title = e(_name(ctx.topics, s, lang)) if s else w("no_service")
        rows.append(
            f"<tr><td>{title}</td>"
            + "".join(f"<td class=num>{t[k]}</td>" for k in ("opened", "printed", "help"))
            + "".join(f"<td class=num>{wk[k]}</td>" for k in ("opened", "printed", "help"))
            + "</tr>"
        )
    if not rows:
        rows.append(f'<tr><td colspan="7" class="empty">{w("no_usage")}</td></tr>')
    return "".join(rows)


def _clock_notice(ctx: HubContext, w: _Words) -> str:
    """What the hub knows of its own clock, when there is something to say."""
    check = ctx.clock_check
    if check is None:
        return ""
    check.observe()
    state = check.state()
    jump = state.get("last_jump") or {}
    try:
        at = datetime.fromisoformat(jump["at"])
        seconds = float(jump["seconds"])
    except (KeyError, TypeError, ValueError):
        at, seconds = None, 0.0
    when = at.astimezone(ctx.zone).strftime("%Y-%m-%d %H:%M") if at else "—"
    now = ctx.clock.now()
    if state["lead_seconds"] > 0:
        hours = ctx.settings["hub.clock_trust_hours"]
        line = w("clock_lead", d=_duration(state["lead_seconds"], w), at=when, h=hours)
        return f'<p class="clock-notice warning" role="alert">{line}</p>'
    if state["settling"]:
        return f'<p class="clock-notice warning" role="status">{w("clock_settling")}</p>'
    if at is not None and seconds and abs(now - at) < timedelta(days=1):
        key = "clock_moved_ahead" if seconds > 0 else "clock_moved_back"
        return f'<p class="clock-notice">{w(key, d=_duration(abs(seconds), w), at=when)}</p>'
    return ""


def render_admin(session: Session, ctx: HubContext, lang: str = "en") -> str:
    w = _Words(lang)
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
        w("all_sites")
        if session.volunteer.admin
        else w("site", s=_name(ctx.sites, session.volunteer.site, lang))
    )
    rows = "".join(_terminal_row(v, ctx, per_terminal.get(v.name, {}), w, lang) for v in views)
    if not rows:
        rows = f'<tr><td colspan="11" class="empty">{w("no_terminals")}</td></tr>'
    line = w.raw("summary", a=str(alive), n=str(len(views)), scope=scope, t=now.strftime("%H:%M"))
    return f"""
{_clock_notice(ctx, w)}
<p class="summary">{line}</p>
<h1>{w("terminals")}</h1>
<div class="scroll"><table class="terminals">
<thead><tr><th>{w("state")}</th><th>{w("terminal")}</th><th>{w("site_h")}</th>
<th class=num>{w("content")}</th><th>{w("printer")}</th>
<th>{w("last_error")}</th><th>{w("uptime")}</th><th>{w("app")}</th>
<th class=num title="{w("opened_t")}">{w("opened")}</th>
<th class=num title="{w("printed_t")}">{w("printed")}</th>
<th class=num title="{w("help_t")}">{w("help")}</th></tr></thead>
<tbody>{rows}</tbody></table></div>
<h2>{w("services")}</h2>
<div class="scroll fit"><table class="services">
<thead><tr><th rowspan="2">{w("service")}</th><th colspan="3">{w("today")}</th>
<th colspan="3">{w("week")}</th></tr>
<tr><th class=num>{w("opened")}</th><th class=num>{w("printed")}</th><th class=num>{w("help")}</th>
<th class=num>{w("opened")}</th><th class=num>{w("printed")}</th><th class=num>{w("help")}</th>
</tr></thead>
<tbody>{_service_rows(summary, ctx, w, lang)}</tbody></table></div>
<p class="note">{w("note")}</p>
"""


@router.get("/admin", include_in_schema=False)
def admin_redirect() -> RedirectResponse:
    return RedirectResponse("/admin/")


@router.get("/admin/", response_class=HTMLResponse, include_in_schema=False)
def admin_page(
    request: Request,
    session: Annotated[Session, Depends(page_session)],
    ctx: Annotated[HubContext, Depends(hub_context)],
) -> HTMLResponse:
    """Every terminal (admins) or this site's terminals (volunteers); whoever is not
    logged in gets the login page first, and comes back here after it."""
    lang = page_language(request)
    return shell_page(
        request,
        session,
        "terminals",
        render_admin(session, ctx, lang),
        title="title_terminals",
        styles=["fleet.css"],
        refresh_seconds=60,
        reload_on_language=True,
    )
