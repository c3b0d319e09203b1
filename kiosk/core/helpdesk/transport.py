"""How the terminal talks to the hub: a small protocol, the real HTTP client
(requests) and an in-memory fake for tests and hub-less development.

Every call either returns the hub's answer or raises HubUnavailable (try again
later) or HubRejected (the hub said no). Never touches the outbox or the UI.
"""

from __future__ import annotations

import re
import threading
from typing import Any, Protocol

import requests

from kiosk.core.helpdesk.model import HubRejected, HubUnavailable, QueueStatus, RequestStatus

REQUESTS_PATH = "/api/v1/terminal/help-requests"
HEARTBEAT_PATH = "/api/v1/terminal/heartbeat"
FORWARD_PATH = "/api/v1/hub/forward"
TICKET = re.compile(r"[A-Z]-[0-9]{3,6}")


class HubTransport(Protocol):
    def send_request(self, payload: dict[str, Any], idempotency_key: str) -> str | None:
        """Deliver one help request; safe to repeat with the same key. Returns the
        number the hub gave it (another one when the sent number was already open
        at the site), or None when the hub does not say."""
        ...

    def fetch_status(self, idempotency_key: str) -> QueueStatus:
        """People ahead and wait estimate for a delivered request."""
        ...

    def send_heartbeat(self, payload: dict[str, Any]) -> None:
        """This terminal's status and usage totals (kiosk.core.heartbeat)."""
        ...


def _status_from(doc: dict[str, Any]) -> QueueStatus:
    return QueueStatus(
        status=RequestStatus(doc["status"]),
        people_ahead=int(doc["people_ahead"]),
        wait_minutes=int(doc["wait_minutes"]),
    )


class RequestsHubTransport:
    """The real hub over HTTP(S), authenticated with this terminal's key."""

    def __init__(self, url: str, terminal_key: str, timeout: float):
        self._base = url.rstrip("/")
        self._timeout = timeout
        # One session per thread: requests.Session is not documented as thread-safe,
        # and the worker and the UI's status polling run on different threads.
        self._local = threading.local()
        self._headers = {"Authorization": f"Bearer {terminal_key}"}

    def _session(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            s.headers.update(self._headers)
            self._local.session = s
        return s

    def _call(self, method: str, path: str, **kw: Any) -> requests.Response:
        try:
            resp = self._session().request(method, self._base + path, timeout=self._timeout, **kw)
        except requests.RequestException as exc:
            raise HubUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if resp.status_code >= 500:
            raise HubUnavailable(f"hub error {resp.status_code}")
        if resp.status_code >= 400:
            retry_after = resp.headers.get("Retry-After")
            try:
                detail = resp.json().get("detail", resp.text)
            except ValueError:
                detail = resp.text
            raise HubRejected(
                resp.status_code,
                str(detail)[:200],
                float(retry_after) if retry_after and retry_after.isdigit() else None,
            )
        return resp

    def send_request(self, payload: dict[str, Any], idempotency_key: str) -> str | None:
        resp = self._call(
            "POST", REQUESTS_PATH, json=payload, headers={"Idempotency-Key": idempotency_key}
        )
        try:
            ticket = resp.json().get("ticket")
        except (ValueError, AttributeError):
            return None
        return ticket if isinstance(ticket, str) and TICKET.fullmatch(ticket) else None

    def send_heartbeat(self, payload: dict[str, Any]) -> None:
        """This terminal's status and usage totals (see kiosk.core.heartbeat)."""
        self._call("POST", HEARTBEAT_PATH, json=payload)

    def send_forward(self, payload: dict[str, Any]) -> None:
        """A hub's terminals' status and usage totals, to its central hub."""
        self._call("POST", FORWARD_PATH, json=payload)

    def fetch_status(self, idempotency_key: str) -> QueueStatus:
        resp = self._call("GET", f"{REQUESTS_PATH}/{idempotency_key}/status")
        try:
            return _status_from(resp.json())
        except (ValueError, KeyError, TypeError) as exc:
            raise HubUnavailable(f"unreadable status: {exc}") from exc


class FakeHubTransport:
    """An in-memory hub: stores each key once, can be switched off, counts sends."""

    def __init__(self) -> None:
        self.up = True
        self.reject: HubRejected | None = None
        self.sends = 0
        self.stored: dict[str, dict[str, Any]] = {}
        self.statuses: dict[str, QueueStatus] = {}
        self.heartbeats: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def send_heartbeat(self, payload: dict[str, Any]) -> None:
        with self._lock:
            if not self.up:
                raise HubUnavailable("fake hub is down")
            self.heartbeats.append(payload)

    def send_request(self, payload: dict[str, Any], idempotency_key: str) -> str | None:
        with self._lock:
            self.sends += 1
            if not self.up:
                raise HubUnavailable("fake hub is down")
            if self.reject is not None:
                raise self.reject
            self.stored.setdefault(idempotency_key, dict(payload))
            return None

    def fetch_status(self, idempotency_key: str) -> QueueStatus:
        with self._lock:
            if not self.up:
                raise HubUnavailable("fake hub is down")
            if idempotency_key not in self.stored:
                raise HubRejected(404, "unknown request")
            ahead = list(self.stored).index(idempotency_key)
            return self.statuses.get(
                idempotency_key, QueueStatus(RequestStatus.WAITING, ahead, ahead * 5)
            )


class NoHubTransport:
    """No hub configured (hub.url empty): tickets are still issued and wait in the outbox."""

    def send_heartbeat(self, payload: dict[str, Any]) -> None:
        raise HubUnavailable("no hub configured (hub.url is empty)")

    def send_request(self, payload: dict[str, Any], idempotency_key: str) -> str | None:
        raise HubUnavailable("no hub configured (hub.url is empty)")

    def fetch_status(self, idempotency_key: str) -> QueueStatus:
        raise HubUnavailable("no hub configured (hub.url is empty)")
