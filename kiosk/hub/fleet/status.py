"""Fleet status on the hub: which terminals are alive, their usage counts, the
Prometheus metrics built from them, and forwarding all of it to a central hub.

Reads only the heartbeats, usage and queue tables; never reads or sends a
resident's name, phone or note (the metrics count requests, they do not list
them). Never renders HTML (status_api.py does).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

from kiosk.core.helpdesk.clock import Clock
from kiosk.core.periodic import Periodic
from kiosk.hub.fields import TEN_YEARS
from kiosk.hub.fleet.clock_check import saved_lead
from kiosk.hub.store import HubStore

log = logging.getLogger(__name__)

MISSED_BEATS = 3  # a terminal silent for this many of its intervals is shown down
# A heartbeat stamped later than the hub's clock now reads, by more than this:
# the hub's clock was set back since, so how long the terminal has been silent is unknown.
FUTURE_TOLERANCE = 120.0  # seconds
DEFAULT_INTERVAL = 60  # seconds, for a terminal that did not say its own
WAIT_BUCKETS = (60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0)
FORWARD_FIRST_DAYS = 30  # a hub's first forward after start sends this much history


@dataclass(frozen=True)
class TerminalView:
    """One terminal as the admin page and the metrics see it."""

    name: str
    site: str
    via: str
    alive: bool
    seen_seconds_ago: float | None  # None: never heard from
    content_version: str
    printer: str
    printer_message: str
    paper_low: bool
    last_error: str
    update_error: str
    uptime_seconds: float | None
    app_version: str
    # How far the last heartbeat is ahead of the hub's clock (None: it is not):
    # the hub's clock went back, and the terminal is neither alive nor down but unknown.
    ahead_seconds: float | None = None

    @property
    def printer_ok(self) -> bool:
        return self.alive and self.printer == "ok"


SHOWN_TEXT_MAX = 300  # longest stored text the page and the metrics show


def _since(now: datetime, iso: str) -> float:
    return max(0.0, (now - datetime.fromisoformat(iso)).total_seconds())


def _seen_ago(now: datetime, iso: Any) -> float | None:
    """Seconds since `iso`; None for a value no hub of this version would have stored."""
    try:
        return _since(now, iso)
    except (TypeError, ValueError, OverflowError):
        return None


def _ahead(now: datetime, iso: Any) -> float | None:
    """Seconds a stored time is ahead of `now`, when by more than FUTURE_TOLERANCE."""
    try:
        ahead = (datetime.fromisoformat(iso) - now).total_seconds()
    except (TypeError, ValueError, OverflowError):
        return None
    return ahead if ahead > FUTURE_TOLERANCE else None


def _number(value: Any) -> float | None:
    """A finite number from a stored row, or None (rows from older hubs may hold anything)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _text(value: Any) -> str:
    return "" if value is None else str(value)[:SHOWN_TEXT_MAX]


def terminal_views(store: HubStore, now: datetime, default_interval: int) -> list[TerminalView]:
    """Every terminal that ever sent a heartbeat, plus this hub's keys that never
    did (except keys other hubs use to forward: they are hubs, not terminals)."""
    beats = store.heartbeats()
    views = []
    for b in beats:
        ago = _seen_ago(now, b["received_at"])
        ahead = _ahead(now, b["received_at"])
        interval = _number(b["interval_seconds"]) or default_interval
        views.append(
            TerminalView(
                name=_text(b["terminal"]),
                site=_text(b["site"]),
                via=_text(b["via"]),
                alive=ago is not None and ahead is None and ago <= MISSED_BEATS * interval,
                seen_seconds_ago=ago,
                content_version=_text(b["content_version"]),
                printer=_text(b["printer"]),
                printer_message=_text(b["printer_message"]),
                paper_low=bool(b["paper_low"]),
                last_error=_text(b["last_error"]),
                update_error=_text(b["update_error"]),
                uptime_seconds=_number(b["uptime_seconds"]),
                app_version=_text(b["app_version"]),
                ahead_seconds=ahead,
            )
        )
    seen = {b["terminal"] for b in beats}
    hubs = {b["via"] for b in beats if b["via"]}
    for t in store.terminals():
        if t["revoked_at"] or t["name"] in seen or t["name"] in hubs:
            continue
        views.append(
            TerminalView(t["name"], t["site"], "", False, None, "", "", "", False, "", "", None, "")
        )
    return sorted(views, key=lambda v: (v.site, v.name))


def usage_summary(
    store: HubStore, today: date, terminals: set[str] | None
) -> dict[str, dict[str, dict[str, int]]]:
    """{"today"|"week": {service: {opened, printed, help}}} over the given terminals
    (None: all); "week" is today and the 6 days before it."""
    first = (today - timedelta(days=6)).isoformat()
    out: dict[str, dict[str, dict[str, int]]] = {"today": {}, "week": {}}
    for r in store.usage_rows(since_day=first):
        if terminals is not None and r["terminal"] not in terminals:
            continue
        spans = ["week", "today"] if r["day"] == today.isoformat() else ["week"]
        for span in spans:
            counts = out[span].setdefault(r["service"], {"opened": 0, "printed": 0, "help": 0})
            for k in counts:
                counts[k] += r[k] or 0
    return out


def terminal_today(store: HubStore, today: date) -> dict[str, dict[str, int]]:
    """Today's totals per terminal, over all services."""
    out: dict[str, dict[str, int]] = {}
    for r in store.usage_rows(since_day=today.isoformat()):
        if r["day"] != today.isoformat():
            continue
        counts = out.setdefault(r["terminal"], {"opened": 0, "printed": 0, "help": 0})
        for k in counts:
            counts[k] += r[k] or 0
    return out


class FleetCollector(Collector):
    """Reads the hub's database at every scrape; nothing is kept in memory, so
    the counters survive a hub restart (they are sums of stored daily totals)."""

    def __init__(self, store: HubStore, clock: Clock, settings: Mapping[str, Any]):
        self._store = store
        self._clock = clock
        self._settings = settings

    def collect(self) -> Iterator[Any]:
        now = self._clock.now()
        waiting = GaugeMetricFamily(
            "komek_requests_waiting", "Help requests waiting to be called", labels=["site"]
        )
        for site, n in sorted(self._store.waiting_by_site().items()):
            waiting.add_metric([site], n)
        yield waiting

        waits = self._store.call_waits()
        buckets = [[f"{b:g}", sum(1 for w in waits if w <= b)] for b in WAIT_BUCKETS]
        buckets.append(["+Inf", len(waits)])
        yield HistogramMetricFamily(
            "komek_request_wait_seconds",
            "How long called or served help requests waited, to their latest call",
            buckets=buckets,
            sum_value=sum(waits),
        )

        families = {
            "printed": CounterMetricFamily(
                "komek_slips_printed", "Slips printed, by service", labels=["service"]
            ),
            "opened": CounterMetricFamily(
                "komek_services_opened", "Services opened on terminals", labels=["service"]
            ),
            "help": CounterMetricFamily(
                "komek_help_requests", "Help asked on terminals, by service", labels=["service"]
            ),
        }
        for row in self._store.usage_by_service():
            for key, family in families.items():
                family.add_metric([row["service"] or "none"], row[key] or 0)
        yield from families.values()

        views = [
            v
            for v in terminal_views(self._store, now, DEFAULT_INTERVAL)
            if v.seen_seconds_ago is not None
        ]
        yield GaugeMetricFamily(
            "komek_terminals_alive",
            "Terminals whose last heartbeat is recent",
            value=sum(v.alive for v in views),
        )
        seen = GaugeMetricFamily(
            "komek_terminal_last_seen_seconds",
            "Seconds since the terminal's last heartbeat",
            labels=["terminal"],
        )
        printer = GaugeMetricFamily(
            "komek_printer_ok",
            "1 when the terminal is alive and its printer reported ok",
            labels=["terminal"],
        )
        for v in views:
            seen.add_metric([v.name], round(v.seen_seconds_ago or 0.0, 1))
            printer.add_metric([v.name], 1 if v.printer_ok else 0)
        yield seen
        yield printer

        lead = saved_lead(self._store.clock_state().get("lead_seconds")).total_seconds()
        yield GaugeMetricFamily(
            "komek_hub_clock_lead_seconds",
            "How far the hub's clock reads ahead of what it can confirm (0: it agrees); "
            "names are not deleted nor the day closed by that much (clock_check.py)",
            value=lead,
        )

        share = GaugeMetricFamily(
            "komek_narration_human_share",
            "Share of narration lines played by a recorded human voice, since each terminal started",
            labels=["site", "lang"],
        )
        lines = GaugeMetricFamily(
            "komek_narration_lines",
            "Narration lines played since each terminal started, by voice",
            labels=["site", "lang", "voice"],
        )
        for row in self._store.voice_by_site():
            human, total = row["human"] or 0, row["total"] or 0
            share.add_metric([row["site"], row["lang"]], round(human / total, 4) if total else 0.0)
            lines.add_metric([row["site"], row["lang"], "human"], human)
            lines.add_metric([row["site"], row["lang"], "synthetic"], total - human)
        yield share
        yield lines


def make_registry(store: HubStore, clock: Clock, settings: Mapping[str, Any]) -> CollectorRegistry:
    """A registry of this app's own (not prometheus_client's global one), so several
    hubs in one process do not share metrics."""
    registry = CollectorRegistry(auto_describe=True)
    registry.register(FleetCollector(store, clock, settings))
    return registry


# ---- forwarding to a central hub ------------------------------------------------


FORWARD_TERMINALS_MAX = 100  # terminals per forward request; more go in more requests
FORWARD_USAGE_MAX = 1000  # usage rows per forward request
FORWARDED_PER_HUB_MAX = 500  # terminals one hub may have on the central hub in all
# Text columns a forward carries, with the central hub's length limits.
FORWARD_TEXT = {"printer": 20, "printer_message": 300, "last_error": 300, "update_error": 300,
                "app_version": 40}  # fmt: skip
PRINTER_STATES = ("ok", "no_paper", "offline", "error")


def _forwardable(b: dict[str, Any], now: datetime) -> dict[str, Any] | None:
    """One stored heartbeat as the central hub accepts it; None for a row too broken to
    send, or heard "in the future" (this hub's clock went back: how long ago it was
    heard is unknown, and "just now" would show it alive on the central hub)."""
    ago = _seen_ago(now, b["received_at"])
    if ago is None or _ahead(now, b["received_at"]) is not None:
        return None
    item: dict[str, Any] = {
        "terminal": b["terminal"],
        "site": b["site"] or None,
        "seen_seconds_ago": round(ago, 1),
        "paper_low": bool(b["paper_low"]),
        "uptime_seconds": min(TEN_YEARS, max(0.0, _number(b["uptime_seconds"]) or 0.0)),
        "content_version": _text(b["content_version"])[:40] or None,
        "update_last_success": _text(b["update_last_success"])[:40] or None,
    }
    interval = _number(b["interval_seconds"])
    if interval is not None:
        item["interval_seconds"] = int(min(86_400, max(5, interval)))
    for k, longest in FORWARD_TEXT.items():
        if b[k] is not None:
            item[k] = _text(b[k])[:longest]
    if item.get("printer") not in PRINTER_STATES:
        item["printer"] = "error"
    return item


def forward_payload(
    store: HubStore, now: datetime, changed_since: datetime | None
) -> tuple[dict[str, Any], datetime]:
    """This hub's terminals (not ones forwarded to it) and their usage totals that
    changed since `changed_since`; returns the payload and the time it covers."""
    terminals = []
    for b in store.heartbeats():
        if b["via"]:
            continue  # one level: a hub forwards its own terminals only
        item = _forwardable(b, now)
        if item is not None:
            terminals.append(item)
    local = {t["terminal"] for t in terminals}
    first_day = (now.date() - timedelta(days=FORWARD_FIRST_DAYS)).isoformat()
    usage = [
        r
        for r in store.usage_rows(since_day=first_day, changed_since=changed_since)
        if r["terminal"] in local
    ]
    return {"terminals": terminals, "usage": usage}, now


def forward_batches(payload: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The payload in requests small enough for the central hub: every terminal
    first, then the usage rows (which must name a terminal already sent)."""
    terminals, usage = payload["terminals"], payload["usage"]
    for i in range(0, len(terminals), FORWARD_TERMINALS_MAX):
        yield {"terminals": terminals[i : i + FORWARD_TERMINALS_MAX], "usage": []}
    for i in range(0, len(usage), FORWARD_USAGE_MAX):
        yield {"terminals": [], "usage": usage[i : i + FORWARD_USAGE_MAX]}
    if not terminals and not usage:
        yield {"terminals": [], "usage": []}  # still tells the central hub this one is alive


class Forwarder(Periodic):
    thread_name = "hub-forward"

    """Every `interval` seconds, send this hub's fleet status to the central hub
    with `transport.send_forward`. Failures are logged and retried next time."""

    def __init__(self, store: HubStore, clock: Clock, transport: Any, interval: float):
        self._store = store
        self._clock = clock
        self._transport = transport
        self.interval = interval
        super().__init__(self.interval)
        self._changed_since: datetime | None = None
        self.last_problem = ""

    def send_once(self) -> bool:
        try:
            # A small overlap: rows written while the last payload was being built.
            since = self._changed_since - timedelta(seconds=5) if self._changed_since else None
            payload, covered = forward_payload(self._store, self._clock.now(), since)
            for batch in forward_batches(payload):
                self._transport.send_forward(batch)
        except Exception as exc:
            problem = f"{type(exc).__name__}: {exc}"
            if problem != self.last_problem:
                log.warning("forwarding to the central hub failed: %s", problem)
            self.last_problem = problem
            return False
        self.last_problem = ""
        self._changed_since = covered
        return True
