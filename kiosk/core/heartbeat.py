"""The terminal's heartbeat: every hub.heartbeat_seconds, on its own daemon
thread, tell the hub this terminal is alive, which content it runs, how its
printer is, its last fault, uptime and app version, plus the usage counts the
hub has not yet acknowledged.

A heartbeat that cannot be delivered is logged and simply tried again at the
next interval (usage counts stay unsent until the hub takes them). Nothing in
here ever raises into the app, and nothing it sends names a person: the
payload is built only from the fields below.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from importlib import metadata
from typing import Any, Protocol

from kiosk.core.helpdesk.clock import Clock, SystemClock
from kiosk.core.periodic import Periodic
from kiosk.core.usage import COUNTS, UsageCounter

log = logging.getLogger(__name__)

DIST_NAME = "komek-kiosk"
ERROR_CHARS = 300  # a fault line, not a traceback


class PrinterState(StrEnum):
    """What admins need to know about a printer."""

    OK = "ok"
    NO_PAPER = "no_paper"
    OFFLINE = "offline"  # unplugged, switched off, or no printer configured
    ERROR = "error"  # anything else: a driver error, a stuck job, a refused slip


class HeartbeatTransport(Protocol):
    def send_heartbeat(self, payload: dict[str, Any]) -> None:
        """Deliver one heartbeat; raises HubUnavailable or HubRejected."""
        ...


def app_version() -> str:
    """The installed kiosk package's version; "dev" when run from a source tree."""
    try:
        return metadata.version(DIST_NAME)
    except metadata.PackageNotFoundError:
        return "dev"


def _printer_state(status: Any) -> PrinterState:
    value = getattr(status, "value", status)
    try:
        return PrinterState(value)
    except ValueError:
        return PrinterState.ERROR  # timeout, refused, anything new


def printer_report(terminal: Any) -> dict[str, Any]:
    """The printer's state, without fighting a resident's slip for the device.

    After a good print its result is the answer (no extra query). The printer is
    asked directly only when it is idle and the last print failed or nothing was
    printed yet, so a refilled roll shows as ok again without anyone printing.
    """
    printer = getattr(terminal, "printer", None)
    if printer is None:
        return {"printer": PrinterState.OFFLINE.value, "printer_message": "no printer configured"}
    spooler = getattr(terminal, "spooler", None)
    last = getattr(spooler, "_last", None)
    result = getattr(last, "result", None)
    busy = bool(spooler is not None and spooler.busy)
    if busy and result is None:  # the first slip is printing right now
        return {"printer": PrinterState.OK.value, "printer_message": "printing"}
    if not busy and (result is None or not result.ok):
        from kiosk.core.slips.spool import status_in_background

        timeout = float(terminal.settings["printer.timeout_seconds"])
        result = status_in_background(printer, timeout, lambda _r: None).wait(timeout + 1)
        if result is None:
            return {"printer": PrinterState.ERROR.value, "printer_message": "no answer"}
    return {
        "printer": _printer_state(result.status).value,
        "printer_message": str(result.message)[:ERROR_CHARS],
        "paper_low": bool(getattr(result, "paper_low", False)),
    }


def terminal_status(terminal: Any) -> dict[str, Any]:
    """The status part of a heartbeat, from a kiosk.core.terminal.Terminal.
    Called on the heartbeat thread; may ask the printer (bounded by its timeout)."""
    status: dict[str, Any] = {"site": terminal.site.id, "content_version": terminal.bundle.version}
    updater = getattr(terminal, "updater", None)
    if updater is not None:
        try:
            up = updater.status().as_dict()
        except Exception as exc:
            log.exception("updater status")
            up = {"last_error": f"updater status failed: {exc}"}
        if up.get("installed_version") is not None:
            status["content_version"] = up["installed_version"]
        status["update_last_success"] = up.get("last_success")
        status["update_error"] = str(up.get("last_error") or "")[:ERROR_CHARS]
    status.update(printer_report(terminal))
    faults = list(getattr(terminal, "faults", []))
    status["last_error"] = faults[-1][:ERROR_CHARS] if faults else ""
    counts = getattr(getattr(terminal, "narrator", None), "voice_counts", None)
    if callable(counts):
        status["narration"] = narration_report(counts())
    return status


def narration_report(counts: Mapping[str, tuple[int, int]]) -> list[dict[str, Any]]:
    """Lines of narration played since start per language, and how many of them
    by a recorded human voice: the share the fleet's admins watch grow."""
    return [{"lang": lang, "human": h, "total": n} for lang, (h, n) in sorted(counts.items())]


class Heartbeat(Periodic):
    thread_name = "heartbeat"

    """Sends a heartbeat now and every `hub.heartbeat_seconds` until stop()."""

    def __init__(
        self,
        settings: Mapping[str, Any],
        terminal_status: Callable[[], dict[str, Any]],
        usage: UsageCounter | None,
        transport: HeartbeatTransport,
        clock: Clock | None = None,
    ):
        self.interval = int(settings["hub.heartbeat_seconds"])
        self._status = terminal_status
        self._usage = usage
        self._transport = transport
        self._clock = clock or SystemClock()
        self._started_at: datetime = self._clock.now()
        super().__init__(self.interval)
        self.last_sent: datetime | None = None
        self.last_problem: str = ""

    def payload(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """What one heartbeat sends, and the usage rows in it (to mark once delivered)."""
        try:
            status = dict(self._status())
        except Exception as exc:  # a broken status source must not stop the heartbeat
            log.exception("terminal status")
            status = {"last_error": f"status failed: {type(exc).__name__}: {exc}"[:ERROR_CHARS]}
        rows = self._usage.unsent() if self._usage is not None else []
        now = self._clock.now()
        body = {
            "site": str(status.get("site", "")),
            "content_version": status.get("content_version"),
            "printer": status.get("printer", PrinterState.ERROR.value),
            "printer_message": str(status.get("printer_message", "")),
            "paper_low": bool(status.get("paper_low", False)),
            "last_error": str(status.get("last_error", "")),
            "update_last_success": status.get("update_last_success"),
            "update_error": str(status.get("update_error", "")),
            "uptime_seconds": round(max(0.0, (now - self._started_at).total_seconds()), 1),
            "app_version": app_version(),
            "interval_seconds": self.interval,
            "sent_at": now.isoformat(),
            "narration": list(status.get("narration", [])),
            "usage": [{k: r[k] for k in ("day", "service", *COUNTS)} for r in rows],
        }
        return body, rows

    def send_once(self) -> bool:
        """One heartbeat; True when the hub took it. Never raises."""
        try:
            body, rows = self.payload()
            self._transport.send_heartbeat(body)
            if self._usage is not None and rows:
                self._usage.mark_sent(rows)
        except Exception as exc:  # HubUnavailable, HubRejected, a full disk...
            problem = f"{type(exc).__name__}: {exc}"
            if problem != self.last_problem:  # one log line per new problem, not per minute
                log.warning("heartbeat not delivered: %s", problem)
            self.last_problem = problem
            return False
        self.last_problem = ""
        self.last_sent = self._clock.now()
        return True
