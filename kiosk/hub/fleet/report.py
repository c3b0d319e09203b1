"""The monthly impact report: how many residents the terminals served, with what,
how fast the volunteers answered, and how well the terminals kept running, per
district and in total, against the month before. For funders and district
offices: a PDF (a plain summary, tables and charts) and a CSV of the same figures.

Only anonymous counts reach it. The queries never select a name, phone, note or
ticket number, and every count from 1 to 4 is shown as "< 5" (and not drawn in a
chart), as are waits and shares worked out from fewer than five requests, so no
single resident can be picked out.

Where the figures come from (kiosk/hub/store.py): `usage` (per day, terminal and
service: sessions begun, services opened and finished, slips printed), the help
queue (`help_requests`: received, called, done, no-show), `voice_daily`
(narration lines per day and language, and how many in a human voice) and
`heard_hours` (the hours each terminal was heard from).
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache

from kiosk.hub.store import HubStore
from kiosk.paths import FONT_BOLD, FONT_REGULAR

SMALL = 5  # counts under this are shown as "< 5"
TREND_MONTHS = 6
LANGS = ("az", "ru", "en")

# ---------------------------------------------------------------- the figures


@dataclass
class Figures:
    """One district's (or the whole fleet's) month."""

    sessions: int = 0
    opened: Counter[str] = field(default_factory=Counter)  # per service
    finished: Counter[str] = field(default_factory=Counter)
    printed: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    answered: int = 0  # called by a volunteer
    no_show: int = 0
    waits: list[float] = field(default_factory=list)  # seconds from waiting to called
    requests_by_hour: Counter[int] = field(default_factory=Counter)  # local hour
    waits_by_hour: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    lines: Counter[str] = field(default_factory=Counter)  # narration lines per language
    human: int = 0  # of them, in a recorded human voice
    help_langs: Counter[str] = field(default_factory=Counter)
    heard_hours: int = 0
    window_hours: int = 0
    outages: int = 0  # silences of OUTAGE_HOURS or more between two heard hours
    terminals: int = 0

    def add(self, other: Figures) -> None:
        self.sessions += other.sessions
        for name in ("opened", "finished", "printed", "requests_by_hour", "lines", "help_langs"):
            getattr(self, name).update(getattr(other, name))
        for name in ("requests", "answered", "no_show", "human", "heard_hours"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("window_hours", "outages", "terminals"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.waits += other.waits
        for hour, waits in other.waits_by_hour.items():
            self.waits_by_hour[hour] += waits

    @property
    def services_opened(self) -> int:
        return sum(self.opened.values())

    @property
    def services_finished(self) -> int:
        return sum(self.finished.values())

    @property
    def slips(self) -> int:
        return sum(self.printed.values())


OUTAGE_HOURS = 2


@dataclass
class Report:
    month: date  # its first day
    tz: tzinfo
    sites: dict[str, Figures]
    total: Figures
    previous: dict[str, Figures]  # the month before, same sites, and "" for the total
    trend: list[tuple[date, int, int]]  # (month, sessions, help requests), oldest first
    made_at: datetime
    # Figures hidden so a "< 5" cannot be worked out by subtraction, per site ("" the
    # total), this month and the month before (see `secondary_hidden`).
    hidden: dict[str, set[str]] = field(default_factory=dict)
    hidden_before: dict[str, set[str]] = field(default_factory=dict)


def counts(f: Figures) -> dict[str, int]:
    """The figures that are counts, by name (a service's opened count as svc:<id>)."""
    return {
        "sessions": f.sessions,
        "opened": f.services_opened,
        "finished": f.services_finished,
        "slips": f.slips,
        "requests": f.requests,
        "answered": f.answered,
        "no_show": f.no_show,
        "outages": f.outages,
        **{f"svc:{k}": v for k, v in f.opened.items()},
    }


def _one_more(per: Mapping[str, int], fallback: str) -> str | None:
    """Where exactly one of `per` shows as "< 5", the one to hide beside it."""
    small = [k for k, n in per.items() if 0 < n < SMALL]
    if len(small) != 1:
        return None  # none hidden, or two or more: the sum of those is all one learns
    others = sorted((n, k) for k, n in per.items() if k != small[0] and n > 0)
    return others[0][1] if others else fallback


def secondary_hidden(sites: Mapping[str, Figures]) -> dict[str, set[str]]:
    """Where one count shows as "< 5", a sum shown beside it would give it back by
    subtraction: a district's count from the total minus the other districts, a
    service's from its district's services opened minus the other services. So one
    more count is hidden (the smallest that is not zero, else the sum itself): two
    hidden counts only give their sum. Per site ("" is the total), figure names."""
    hidden: dict[str, set[str]] = defaultdict(set)
    values = {site: counts(f) for site, f in sites.items()}
    if len(sites) > 1:
        for key in {k for v in values.values() for k in v}:
            site = _one_more({s: v.get(key, 0) for s, v in values.items()}, "")
            if site is not None:
                hidden[site].add(key)
    total: Counter[str] = Counter()
    for f in sites.values():
        total.update(f.opened)
    for site, opened in [*((s, f.opened) for s, f in sites.items()), ("", total)]:
        key = _one_more({f"svc:{k}": n for k, n in opened.items()}, "opened")
        if key is not None:
            hidden[site].add(key)
    return dict(hidden)


# The months a report can be asked for: the hub's own century (the month before
# and the trend reach back a few months; a year 9999 or 0001 would run off the calendar).
MONTH_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"


def month_start(text: str) -> date:
    """'2026-11' -> 2026-11-01; a clear ValueError for anything but YYYY-MM in 2000-2099."""
    if not re.fullmatch(MONTH_PATTERN, text):
        raise ValueError(f"month must be YYYY-MM between 2000-01 and 2099-12, not {text!r}")
    return date(int(text[:4]), int(text[5:7]), 1)


def _next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def _previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _site_of(store: HubStore) -> dict[str, str]:
    """Every terminal's site: its key's, or what a forwarding hub said."""
    sites = {r["terminal"]: r["site"] for r in store.read("select terminal, site from heartbeats")}
    sites.update({r["name"]: r["site"] for r in store.read("select name, site from terminals")})
    return sites


def _month_figures(
    store: HubStore, first: date, tz: tzinfo, sites_of: Mapping[str, str], now: datetime
) -> dict[str, Figures]:
    end = _next_month(first)
    days = (first.isoformat(), end.isoformat())
    out: dict[str, Figures] = defaultdict(Figures)

    for r in store.read(
        "select terminal, service, opened, finished, printed, sessions from usage "
        "where day >= ? and day < ?",
        list(days),
    ):
        site = sites_of.get(r["terminal"])
        if site is None:
            continue
        f = out[site]
        f.sessions += r["sessions"] or 0
        if r["service"]:
            f.opened[r["service"]] += r["opened"] or 0
            f.finished[r["service"]] += r["finished"] or 0
            f.printed[r["service"]] += r["printed"] or 0

    start_utc = datetime.combine(first, time(), tz).astimezone(UTC)
    end_utc = datetime.combine(end, time(), tz).astimezone(UTC)
    # Only these columns: never a name, phone, note or ticket.
    for r in store.read(
        "select site, status, lang, received_at, waiting_since, called_at from help_requests "
        "where received_at >= ? and received_at < ?",
        [start_utc.isoformat(timespec="milliseconds"), end_utc.isoformat(timespec="milliseconds")],
    ):
        f = out[r["site"]]
        f.requests += 1
        hour = datetime.fromisoformat(r["received_at"]).astimezone(tz).hour
        f.requests_by_hour[hour] += 1
        f.help_langs[r["lang"] or "?"] += 1
        if r["status"] == "no_show":
            f.no_show += 1
        if r["called_at"]:
            f.answered += 1
            since = datetime.fromisoformat(r["waiting_since"] or r["received_at"])
            wait = max(0.0, (datetime.fromisoformat(r["called_at"]) - since).total_seconds())
            f.waits.append(wait)
            f.waits_by_hour[hour].append(wait)

    for r in store.read(
        "select site, lang, sum(human) as human, sum(total) as total from voice_daily "
        "where day >= ? and day < ? group by site, lang",
        list(days),
    ):
        f = out[r["site"]]
        f.lines[r["lang"]] += r["total"] or 0
        f.human += r["human"] or 0

    # Uptime: the hours each terminal was heard from, of the hours since it first
    # reported (or the month began) until the month ended (or now).
    first_heard = {
        r["terminal"]: r["first"]
        for r in store.read(
            "select terminal, min(hour) as first from heard_hours group by terminal"
        )
    }
    heard: dict[str, set[str]] = defaultdict(set)
    for r in store.read(
        "select terminal, hour from heard_hours where hour >= ? and hour < ?",
        [start_utc.strftime("%Y-%m-%dT%H"), end_utc.strftime("%Y-%m-%dT%H")],
    ):
        heard[r["terminal"]].add(r["hour"])
    stop = min(end_utc, now.astimezone(UTC))
    for terminal, first_hour in first_heard.items():
        site = sites_of.get(terminal)
        if site is None:
            continue
        begin = max(start_utc, datetime.strptime(first_hour, "%Y-%m-%dT%H").replace(tzinfo=UTC))
        hours = []
        at = begin
        while at < stop:
            hours.append(at.strftime("%Y-%m-%dT%H"))
            at += timedelta(hours=1)
        if not hours:
            continue
        f = out[site]
        f.terminals += 1
        f.window_hours += len(hours)
        mine = heard.get(terminal, set())
        f.heard_hours += sum(1 for h in hours if h in mine)
        silence, seen_any = 0, False
        for h in hours:
            if h in mine:
                if seen_any and silence >= OUTAGE_HOURS:
                    f.outages += 1
                silence, seen_any = 0, True
            else:
                silence += 1
    return dict(out)


def build_report(
    store: HubStore,
    month: str,
    site: str | None = None,
    *,
    tz: tzinfo | None = None,
    now: datetime | None = None,
) -> Report:
    """The figures of `month` ('YYYY-MM') for every site, or only `site`."""
    first = month_start(month)
    now = now or datetime.now(UTC)
    tz = tz or now.astimezone().tzinfo or UTC
    sites_of = _site_of(store)

    def one(m: date) -> tuple[dict[str, Figures], Figures]:
        per = _month_figures(store, m, tz, sites_of, now)
        if site is not None:
            per = {site: per.get(site, Figures())}
        total = Figures()
        for f in per.values():
            total.add(f)
        return per, total

    sites, total = one(first)
    prev_sites, prev_total = one(_previous_month(first))
    trend = []
    m = first
    for _ in range(TREND_MONTHS):
        _, t = one(m) if m != first else (None, total)
        trend.append((m, t.sessions, t.requests))
        m = _previous_month(m)
    return Report(
        month=first,
        tz=tz,
        sites=dict(sorted(sites.items())),
        total=total,
        previous={**prev_sites, "": prev_total},
        trend=list(reversed(trend)),
        made_at=now,
        hidden=secondary_hidden(sites),
        hidden_before=secondary_hidden(prev_sites),
    )


# ---------------------------------------------------------------- showing figures


def shown(n: int) -> str:
    """A count as the report shows it: 1 to 4 become "< 5"."""
    return f"< {SMALL}" if 0 < n < SMALL else str(n)


def drawn(n: int) -> int:
    """A count as a chart draws it: 1 to 4 are not drawn."""
    return n if n >= SMALL else 0


def minutes(waits: list[float], q: float) -> str:
    """A wait quantile in whole minutes, or "< 5" when fewer than five were called."""
    if len(waits) < SMALL:
        return f"< {SMALL}" if waits else "–"
    if q == 0.5:
        value = statistics.median(waits)
    else:
        value = statistics.quantiles(waits, n=10, method="inclusive")[8]
    return str(round(value / 60))


def share(part: int, whole: int) -> str:
    if whole < SMALL:
        return "–"
    return f"{round(100 * part / whole)} %"


def uptime(f: Figures) -> str:
    if not f.window_hours:
        return "–"
    return f"{100 * f.heard_hours / f.window_hours:.1f} %"


def busiest_hours(f: Figures, top: int = 3) -> str:
    hours = [h for h, n in f.requests_by_hour.most_common() if n >= SMALL][:top]
    return ", ".join(f"{h:02d}:00–{(h + 1) % 24:02d}:00" for h in sorted(hours)) or "–"


MONTHS = {
    "az": "yanvar fevral mart aprel may iyun iyul avqust sentyabr oktyabr noyabr dekabr",
    "ru": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "en": "January February March April May June July August September October November December",
}


def month_name(first: date, lang: str) -> str:
    return f"{MONTHS[lang].split()[first.month - 1]} {first.year}"


T: dict[str, dict[str, str]] = {
    "title": {
        "az": "Kömək: aylıq hesabat",
        "ru": "Кёмек: отчёт за месяц",
        "en": "Kömək: monthly impact report",
    },
    "all": {"az": "Bütün rayonlar", "ru": "Все районы", "en": "All districts"},
    "summary": {
        "az": (
            "{month}: {where} terminallarda {sessions} dəfə istifadə edildi, {opened} xidmət "
            "açıldı, {slips} vərəqə çap olundu. {requests} sakin köməkçi çağırdı; {answered} "
            "nəfər çağırıldı, {no_show} nəfər gəlmədi. Adətən {median} dəqiqə gözlədilər. "
            "Terminallar vaxtın {uptime} işlədi. Əvvəlki ay: {prev_sessions} istifadə, "
            "{prev_requests} köməkçi çağırışı."
        ),
        "ru": (
            "{month}: {where} терминалами воспользовались {sessions} раз, открыли {opened} "
            "услуг, напечатали {slips} листков. {requests} жителей позвали помощника; "
            "вызвали {answered}, не пришли {no_show}. Обычно ждали {median} мин. Терминалы "
            "работали {uptime} времени. Прошлый месяц: {prev_sessions} посещений, "
            "{prev_requests} вызовов помощника."
        ),
        "en": (
            "{month}: the terminals {where} were used {sessions} times, {opened} services were "
            "opened and {slips} slips printed. {requests} residents called a helper; {answered} "
            "were called, {no_show} did not come. The usual wait was {median} min. The terminals "
            "ran {uptime} of the time. The month before: {prev_sessions} uses, "
            "{prev_requests} helper calls."
        ),
    },
    "where_all": {"az": "bütün rayonlarda", "ru": "во всех районах", "en": "in all districts"},
    "where_one": {"az": "{site} rayonunda", "ru": "в районе {site}", "en": "in {site}"},
    "figure": {"az": "Göstərici", "ru": "Показатель", "en": "Figure"},
    "this": {"az": "Bu ay", "ru": "Этот месяц", "en": "This month"},
    "before": {"az": "Əvvəlki ay", "ru": "Прошлый месяц", "en": "Month before"},
    "sessions": {"az": "İstifadə (sakinlər)", "ru": "Посещения (жители)", "en": "Sessions"},
    "opened": {"az": "Açılan xidmətlər", "ru": "Открыто услуг", "en": "Services opened"},
    "finished": {
        "az": "Sonadək baxılan xidmətlər",
        "ru": "Услуг пройдено до конца",
        "en": "Services finished",
    },
    "slips": {"az": "Çap olunan vərəqələr", "ru": "Напечатано листков", "en": "Slips printed"},
    "requests": {"az": "Köməkçi çağırışları", "ru": "Вызовы помощника", "en": "Help requests"},
    "answered": {"az": "Çağırılanlar", "ru": "Вызваны", "en": "Answered (called)"},
    "no_show": {"az": "Gəlməyənlər", "ru": "Не пришли", "en": "No-show"},
    "wait_median": {
        "az": "Gözləmə, median (dəq.)",
        "ru": "Ожидание, медиана (мин)",
        "en": "Wait to be called, median (min)",
    },
    "wait_p90": {
        "az": "Gözləmə, 90-cı faiz (dəq.)",
        "ru": "Ожидание, 90-й процентиль (мин)",
        "en": "Wait to be called, 90th percentile (min)",
    },
    "busiest": {
        "az": "Ən sıx saatlar (çağırışlar)",
        "ru": "Самые загруженные часы (вызовы)",
        "en": "Busiest hours (help requests)",
    },
    "languages": {
        "az": "Dillər (səsləndirilən sətirlər)",
        "ru": "Языки (озвученные фразы)",
        "en": "Languages (lines spoken)",
    },
    "human": {
        "az": "İnsan səsi ilə eşidilən",
        "ru": "Озвучено живым голосом",
        "en": "Heard in a human voice",
    },
    "uptime": {
        "az": "Terminalların işləmə vaxtı",
        "ru": "Время работы терминалов",
        "en": "Terminal uptime",
    },
    "outages": {
        "az": "Fasilələr (2 saatdan çox)",
        "ru": "Перерывы (дольше 2 часов)",
        "en": "Outages (over 2 hours)",
    },
    "terminals": {"az": "Terminallar", "ru": "Терминалы", "en": "Terminals"},
    "chart_services": {
        "az": "Xidmətlər: açılıb (sonadək baxılıb)",
        "ru": "Услуги: открыто (пройдено до конца)",
        "en": "Services opened (and finished)",
    },
    "chart_waits": {
        "az": "Saatlara görə gözləmə, median (dəq.)",
        "ru": "Ожидание по часам, медиана (мин)",
        "en": "Wait by hour of the day, median (min)",
    },
    "chart_months": {
        "az": "Aylar üzrə: istifadə və köməkçi çağırışları",
        "ru": "По месяцам: посещения и вызовы помощника",
        "en": "Over the months: sessions and help requests",
    },
    "privacy": {
        "az": (
            "Yalnız anonim saylar. 5-dən az olan saylar «< 5» kimi göstərilir və qrafikdə "
            "çəkilmir; çıxma ilə tapılmasın deyə yanındakı bir say da «gizli» yazılır. İşləmə vaxtı: terminalın xəbər verdiyi saatlar; gecə söndürülən terminal "
            "o saatlarda işləmir sayılır."
        ),
        "ru": (
            "Только анонимные числа. Числа меньше 5 показаны как «< 5» и не рисуются на "
            "графиках; чтобы их нельзя было вычесть, ещё одно число рядом «скрыто». Время работы: часы, когда терминал выходил на связь; выключенный на ночь "
            "терминал в эти часы считается неработающим."
        ),
        "en": (
            'Anonymous counts only. Counts under 5 are shown as "< 5" and not drawn in the '
            'charts; one more count beside such a count is "hidden", so subtraction cannot '
            "give it back. Uptime: the hours a terminal reported in; a terminal switched off at night "
            "counts as down for those hours."
        ),
    },
    "made": {"az": "Hazırlanıb", "ru": "Составлен", "en": "Made"},
    "hidden": {"az": "gizli", "ru": "скрыто", "en": "hidden"},
}


def rows(
    f: Figures,
    before: Figures,
    lang: str,
    titles: Mapping[str, str],
    hide: set[str] | frozenset[str] = frozenset(),
    hide_before: set[str] | frozenset[str] = frozenset(),
) -> list[tuple[str, str, str]]:
    """(figure, this month, the month before) as the report shows them; the counts
    named in `hide` / `hide_before` show as hidden (see `secondary_hidden`)."""

    def t(key: str) -> str:
        return T[key][lang]

    now, then = counts(f), counts(before)

    def pair(key: str) -> tuple[str, str]:
        def one(n: int, hidden: set[str] | frozenset[str]) -> str:
            return t("hidden") if key in hidden and n >= SMALL else shown(n)

        return one(now.get(key, 0), hide), one(then.get(key, 0), hide_before)

    out = [(t(key), *pair(key)) for key in ("sessions", "opened", "finished", "slips")]
    out += [(t(key), *pair(key)) for key in ("requests", "answered", "no_show")]
    out += [
        (t("wait_median"), minutes(f.waits, 0.5), minutes(before.waits, 0.5)),
        (t("wait_p90"), minutes(f.waits, 0.9), minutes(before.waits, 0.9)),
        (t("busiest"), busiest_hours(f), busiest_hours(before)),
        (
            t("human"),
            share(f.human, sum(f.lines.values())),
            share(before.human, sum(before.lines.values())),
        ),
        (t("uptime"), uptime(f), uptime(before)),
        (t("outages"), *pair("outages")),
        (t("terminals"), str(f.terminals), str(before.terminals)),
    ]
    for code in sorted(set(f.lines) | set(before.lines)):
        out.append(
            (
                f"{t('languages')}: {code}",
                share(f.lines[code], sum(f.lines.values())),
                share(before.lines[code], sum(before.lines.values())),
            )
        )
    for service in sorted(set(f.opened) | set(before.opened), key=lambda s: -f.opened[s]):
        name = titles.get(service, service)
        out.append((f"{t('opened')}: {name}", *pair(f"svc:{service}")))
    return out


def summary(report: Report, lang: str, site_names: Mapping[str, str]) -> str:
    f = report.total
    before = report.previous.get("", Figures())
    if len(report.sites) == 1:
        site = next(iter(report.sites))
        where = T["where_one"][lang].format(site=site_names.get(site, site))
    else:
        where = T["where_all"][lang]
    return T["summary"][lang].format(
        month=month_name(report.month, lang).capitalize(),
        where=where,
        sessions=shown(f.sessions),
        opened=shown(f.services_opened),
        slips=shown(f.slips),
        requests=shown(f.requests),
        answered=shown(f.answered),
        no_show=shown(f.no_show),
        median=minutes(f.waits, 0.5),
        uptime=uptime(f),
        prev_sessions=shown(before.sessions),
        prev_requests=shown(before.requests),
    )


def to_csv(
    report: Report, lang: str, titles: Mapping[str, str], site_names: Mapping[str, str]
) -> str:
    """The report's figures, one a row: district, figure, this month, the month before."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["month", "district", "figure", "this month", "month before"])
    month = report.month.strftime("%Y-%m")
    parts = [("", report.total)] + list(report.sites.items())
    for site, f in parts:
        before = report.previous.get(site, Figures())
        name = site_names.get(site, site) if site else T["all"][lang]
        hide, hide_before = report.hidden.get(site, set()), report.hidden_before.get(site, set())
        for label, now_value, before_value in rows(f, before, lang, titles, hide, hide_before):
            w.writerow([month, name, label, now_value, before_value])
    return buf.getvalue()


# ---------------------------------------------------------------- the PDF

FONT = "KomekReportSans"
FONT_B = "KomekReportSans-Bold"


@cache
def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(FONT_REGULAR)))
    pdfmetrics.registerFont(TTFont(FONT_B, str(FONT_BOLD)))


def _axes(chart: object, category_size: int) -> None:
    """The report's look for a chart's axes: its font, small labels, from zero."""
    chart.categoryAxis.labels.fontName = FONT  # type: ignore[attr-defined]
    chart.categoryAxis.labels.fontSize = category_size  # type: ignore[attr-defined]
    chart.valueAxis.labels.fontName = FONT  # type: ignore[attr-defined]
    chart.valueAxis.labels.fontSize = 8  # type: ignore[attr-defined]
    chart.valueAxis.valueMin = 0  # type: ignore[attr-defined]
    # Nothing (or nothing over 4) to draw: whole numbers up to 5, not "0.002" residents.
    if max((v for row in chart.data for v in row), default=0) < SMALL:  # type: ignore[attr-defined]
        chart.valueAxis.valueMax = SMALL  # type: ignore[attr-defined]
        chart.valueAxis.valueStep = 1  # type: ignore[attr-defined]


BLUE, LIGHT_BLUE, ORANGE = "#1565c0", "#90caf9", "#ef6c00"


def _legend(d: object, pairs: list[tuple[str, str]], width: float, y: float) -> None:
    """Which colour is which series, on the title's line at the right."""
    from reportlab.graphics.shapes import Rect, String
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x = width
    for label, colour in reversed(pairs):
        x -= stringWidth(label, FONT, 8)
        d.add(String(x, y, label, fontName=FONT, fontSize=8))  # type: ignore[attr-defined]
        x -= 11
        d.add(Rect(x, y - 1, 8, 8, fillColor=colors.HexColor(colour), strokeColor=None))  # type: ignore[attr-defined]
        x -= 12


def _bar_chart(  # noqa: ANN202
    labels: list[str],
    series: list[list[int]],
    width: float,
    title: str,
    legend: list[str],
):
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    height = 30 + 16 * max(1, len(labels))
    d = Drawing(width, height + 20)
    d.add(String(0, height + 6, title, fontName=FONT_B, fontSize=10))
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 170, 20, width - 190, height - 20
    chart.data = [list(reversed(s)) for s in series] or [[0]]
    chart.categoryAxis.categoryNames = list(reversed(labels)) or [""]
    _axes(chart, 8)
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.bars[0].fillColor = colors.HexColor(BLUE)
    if len(series) > 1:
        chart.bars[1].fillColor = colors.HexColor(LIGHT_BLUE)
    d.add(chart)
    _legend(d, list(zip(legend, (BLUE, LIGHT_BLUE), strict=False)), width, height + 6)
    return d


def _column_chart(labels: list[str], values: list[int], width: float, title: str):  # noqa: ANN202
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    d = Drawing(width, 170)
    d.add(String(0, 156, title, fontName=FONT_B, fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 25, width - 40, 120
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = labels or [""]
    _axes(chart, 7)
    chart.bars[0].fillColor = colors.HexColor("#2e7d32")
    d.add(chart)
    return d


def _line_chart(  # noqa: ANN202
    labels: list[str],
    series: list[list[int]],
    width: float,
    title: str,
    legend: list[str],
):
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    d = Drawing(width, 170)
    d.add(String(0, 156, title, fontName=FONT_B, fontSize=10))
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 30, 25, width - 40, 120
    chart.data = series
    chart.categoryAxis.categoryNames = labels
    _axes(chart, 8)
    chart.lines[0].strokeColor = colors.HexColor(BLUE)
    chart.lines[0].strokeWidth = 2
    chart.lines[1].strokeColor = colors.HexColor(ORANGE)
    chart.lines[1].strokeWidth = 2
    d.add(chart)
    _legend(d, list(zip(legend, (BLUE, ORANGE), strict=False)), width, 156)
    return d


def to_pdf(
    report: Report, lang: str, titles: Mapping[str, str], site_names: Mapping[str, str]
) -> bytes:
    """The report as a PDF: summary, a table per district, and the charts."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=11, textColor=colors.grey)
    h1 = ParagraphStyle("h1", fontName=FONT_B, fontSize=18, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=FONT_B, fontSize=13, leading=17, spaceBefore=8, spaceAfter=4)
    width = A4[0] - 36 * mm

    def t(key: str) -> str:
        return T[key][lang]

    def table(site: str, f: Figures, before: Figures) -> Table:
        hide, hide_before = report.hidden.get(site, set()), report.hidden_before.get(site, set())
        data = [[t("figure"), t("this"), t("before")]]
        data += [
            [Paragraph(escape(a), body), b, c]
            for a, b, c in rows(f, before, lang, titles, hide, hide_before)
        ]
        tbl = Table(data, colWidths=[width * 0.6, width * 0.2, width * 0.2], repeatRows=1)
        tbl.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("FONTNAME", (0, 0), (-1, 0), FONT_B),
                    ("FONTSIZE", (0, 0), (-1, -1), 9),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3f2fd")),
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cfd8dc")),
                ]
            )
        )
        return tbl

    f = report.total
    story = [
        Paragraph(escape(f"{t('title')} · {month_name(report.month, lang)}"), h1),
        Paragraph(escape(summary(report, lang, site_names)), body),
        Spacer(1, 6),
        Paragraph(escape(t("privacy")), small),
    ]
    services = sorted(f.opened, key=lambda s: -f.opened[s])[:20]
    if services:
        story.append(
            _bar_chart(
                [titles.get(s, s)[:34] for s in services],
                [[drawn(f.opened[s]) for s in services], [drawn(f.finished[s]) for s in services]],
                width,
                t("chart_services"),
                [t("opened"), t("finished")],
            )
        )
    hours = sorted(h for h, w in f.waits_by_hour.items() if len(w) >= SMALL)
    if hours:
        story.append(
            _column_chart(
                [f"{h:02d}" for h in hours],
                [round(statistics.median(f.waits_by_hour[h]) / 60) for h in hours],
                width,
                t("chart_waits"),
            )
        )
    story.append(
        _line_chart(
            [m.strftime("%Y-%m") for m, _, _ in report.trend],
            [[drawn(s) for _, s, _ in report.trend], [drawn(r) for _, _, r in report.trend]],
            width,
            t("chart_months"),
            [t("sessions"), t("requests")],
        )
    )
    story += [
        PageBreak(),
        Paragraph(escape(t("all")), h2),
        table("", f, report.previous.get("", Figures())),
    ]
    if len(report.sites) > 1 or (report.sites and next(iter(report.sites)) != ""):
        for site, figures in report.sites.items():
            story.append(
                KeepTogether(
                    [
                        Paragraph(escape(site_names.get(site, site)), h2),
                        table(site, figures, report.previous.get(site, Figures())),
                    ]
                )
            )
    story.append(Spacer(1, 8))
    story.append(
        Paragraph(
            escape(f"{t('made')}: {report.made_at.astimezone(report.tz):%Y-%m-%d %H:%M}"), small
        )
    )
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{t('title')} {report.month:%Y-%m}",
        author="Kömək",
    )
    doc.build(story)
    return buf.getvalue()


def names(
    topics: Mapping[str, Mapping[str, str]], sites: Mapping[str, Mapping[str, str]], lang: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Service titles and district names in `lang` (Azerbaijani where one is missing)."""

    def pick(texts: Mapping[str, str]) -> str:
        return texts.get(lang) or texts.get("az", "")

    return (
        {k: pick(v) for k, v in topics.items()},
        {k: pick(v) for k, v in sites.items()},
    )
