"""The terminal's help desk: issue a ticket at once, deliver it to the hub later.

`request()` is local only (SQLite, no network) so the UI thread may call it; the
request is in the outbox before the ticket is returned. A worker thread sends the
outbox to the hub, each request with its own idempotency key, backing off while
the hub is down. Never imports Kivy and never shows a resident's name or phone.
"""

from __future__ import annotations

import logging
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.core.helpdesk.clock import Clock, SystemClock
from kiosk.core.helpdesk.model import (
    Delivery,
    HelpDeskUnavailable,
    HubRejected,
    HubUnavailable,
    QueueStatus,
    Ticket,
)
from kiosk.core.helpdesk.outbox import Outbox
from kiosk.core.helpdesk.tickets import plausible_day
from kiosk.core.helpdesk.transport import HubTransport

log = logging.getLogger(__name__)

MAX_NAME = 40
MAX_PHONE = 20
# A name or phone that has not reached a volunteer in a week is of no more use to
# anyone; the hub's own limit (hub.personal_data_days) defaults to the same.
PERSONAL_DATA_DAYS = 7
KEEP_DELIVERED_DAYS = 30
# Answers that refuse the terminal itself (bad or revoked key, rate limit), not one request.
TERMINAL_REFUSALS = frozenset({401, 403, 429})


def clean_phone(phone: str) -> str:
    """Digits only (a leading + kept): the keypad gives nothing else, the hub trusts nothing else."""
    phone = phone.strip()
    plus = "+" if phone.startswith("+") else ""
    return (plus + re.sub(r"\D", "", phone))[:MAX_PHONE]


class HelpDesk:
    """Tickets and their delivery for one terminal.

    Threads: request(), ticket_for_session() and delivered() are quick and safe from
    the UI thread; queue_status() waits for the network (up to hub.timeout_seconds)
    and belongs on a background thread; the delivery worker runs between start()
    and stop(). `on_delivered(ticket)` is called on the worker thread.
    """

    def __init__(
        self,
        settings: Mapping[str, Any],
        db_path: Path,
        transport: HubTransport,
        clock: Clock | None = None,
        *,
        retry_base_seconds: float = 1.0,
        retry_max_seconds: float = 60.0,
        on_delivered: Callable[[Ticket], None] | None = None,
    ):
        self._letter: str = settings["kiosk.ticket_letter"]
        self._day_starts: int = settings["helpdesk.day_starts_hour"]
        # Ticket days are the site's, not the terminal machine's (one set to UTC
        # would start a new day at 10:00 in Baku).
        self._zone = ZoneInfo(settings["helpdesk.time_zone"])
        self._db_path = db_path
        self._outbox: Outbox | None = None
        self._open_lock = threading.Lock()
        self.problem = ""  # why requests cannot be stored now; "" when they can
        self._transport = transport
        self._clock = clock or SystemClock()
        self._retry_base = retry_base_seconds
        self._retry_max = retry_max_seconds
        self._on_delivered = on_delivered
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0  # consecutive failed passes, for the backoff
        self._next_try = 0.0  # time.monotonic() before which the worker waits
        self._deliver_lock = threading.Lock()
        self._random = random.Random()
        # Requests the hub refused as they are (not for the rate), by key: their
        # tickets will not be called until someone acts, and the screen says so.
        self._refused: dict[str, str] = {}
        self._key_refused = ""  # the hub refuses this terminal itself (a revoked key)
        # A terminal that starts on a full disk still starts: the outbox is opened
        # again on each request and by the worker until it works.
        self.ready()

    # ---- the outbox, opened when the disk lets us --------------------------

    def _open(self) -> Outbox:
        """The outbox, opening it if it is not open yet; HelpDeskUnavailable if it cannot be."""
        with self._open_lock:
            if self._outbox is None:
                try:
                    self._outbox = Outbox(self._db_path)
                except (sqlite3.Error, OSError) as exc:
                    if not self.problem:
                        log.error("help requests cannot be stored: %s", exc)
                    self.problem = f"help requests cannot be stored: {exc}"
                    raise HelpDeskUnavailable(self.problem) from exc
                if self.problem:
                    log.info("help requests can be stored again")
                self.problem = ""
            return self._outbox

    def ready(self) -> bool:
        """Requests can be stored (the outbox is open, or opens now)."""
        try:
            self._open()
        except HelpDeskUnavailable:
            return False
        return True

    # ---- for the UI -------------------------------------------------------

    def request(
        self,
        topic_service_id: str | None,
        session_id: str,
        first_name: str = "",
        phone: str = "",
        lang: str = "",
    ) -> Ticket:
        """A ticket for this resident session, stored before it is returned.

        A second call in the same session returns the same ticket: one open
        request per resident, however often the button is pressed.
        """
        if not session_id:
            raise ValueError("session_id is required: one ticket per resident session")
        outbox = self._open()
        now = self._clock.now()
        try:
            item, new = outbox.issue(
                letter=self._letter,
                clock_day=plausible_day(now.astimezone(self._zone), self._day_starts),
                now=now,
                session_id=session_id,
                topic_service_id=topic_service_id,
                first_name=first_name.strip()[:MAX_NAME],
                phone=clean_phone(phone),
                lang=lang if lang in ("az", "ru", "en") else "",
            )
        except sqlite3.Error as exc:  # the disk filled up since the outbox opened
            self.problem = f"help request not stored: {exc}"
            log.error("%s", self.problem)
            raise HelpDeskUnavailable(self.problem) from exc
        if new:
            log.info("ticket %s issued", item.number)
            self._next_try = 0.0  # a new request is worth a try even while backing off
            self._wake.set()
        return item.ticket()

    def ticket_for_session(self, session_id: str) -> Ticket | None:
        if self._outbox is None:
            return None
        item = self._outbox.open_for_session(session_id)
        return item.ticket() if item else None

    def delivered(self, ticket: Ticket) -> bool:
        item = self._outbox.get(ticket.key) if self._outbox is not None else None
        return item is not None and item.delivery is Delivery.DELIVERED

    def refused(self, ticket: Ticket) -> bool:
        """The hub refused this ticket's request (a revoked key, data it does not
        take): it will not be called as it stands, and the resident must be told."""
        if ticket.key in self._refused:
            return True
        return bool(self._key_refused) and not self.delivered(ticket)

    def pending_count(self) -> int:
        return len(self._outbox.pending()) if self._outbox is not None else 0

    def queue_status(self, ticket: Ticket) -> QueueStatus | None:
        """People ahead and a wait estimate from the hub; None while it does not know yet.

        Blocks on the network: call it from a background thread.
        """
        if not self.delivered(ticket):
            return None
        try:
            return self._transport.fetch_status(ticket.key)
        except (HubUnavailable, HubRejected) as exc:
            log.info("no queue status for %s: %s", ticket.number, exc)
            return None

    # ---- delivery ---------------------------------------------------------

    def deliver_due(self) -> int:
        """One delivery pass over the outbox; returns how many reached the hub.

        Stops at the first "hub unavailable": the rest would fail the same way.
        """
        delivered = 0
        try:
            outbox = self._open()
        except HelpDeskUnavailable:
            self._back_off(None)
            return 0
        with self._deliver_lock:
            outbox.forget_old(self._clock.now(), PERSONAL_DATA_DAYS, KEEP_DELIVERED_DAYS)
            for item in outbox.pending():
                if self._stopping.is_set():
                    break
                try:
                    given = self._transport.send_request(item.payload(), item.key)
                except HubUnavailable as exc:
                    outbox.mark_failed(item.key, str(exc))
                    self._back_off(None)
                    log.info("hub unavailable, %s stays in the outbox: %s", item.number, exc)
                    return delivered
                except HubRejected as exc:
                    # Not fixed by hammering: wait as told, else long, and keep the
                    # request (an admin may fix the key or update the hub). A hub
                    # asks for at most retry_max: one whose clock went back asked
                    # for an hour, and nothing reached the volunteers meanwhile.
                    outbox.mark_failed(item.key, str(exc))
                    asked = self._retry_max if exc.retry_after is None else exc.retry_after
                    self._back_off(max(self._retry_base, min(asked, self._retry_max)))
                    log.warning("hub refused %s: %s", item.number, exc)
                    if exc.status_code in (401, 403):  # every ticket, until an admin acts
                        self._key_refused = str(exc)
                    elif exc.status_code != 429:  # the rate limit passes by itself
                        self._refused[item.key] = str(exc)
                    if exc.status_code in TERMINAL_REFUSALS:
                        return delivered
                    continue  # only this request is refused: the others may still go
                outbox.mark_delivered(item.key, self._clock.now(), given)
                self._refused.pop(item.key, None)
                self._key_refused = ""
                if given and given != item.number:
                    # Another open request at the site had this number (this terminal's
                    # data was wiped, or its clock went back): the hub gave the next free
                    # one, and the resident must be told it (ticket_for_session has it).
                    log.warning("ticket %s is %s at the hub", item.number, given)
                    item = outbox.get(item.key) or item
                delivered += 1
                self._failures = 0
                self._next_try = 0.0
                if self._on_delivered is not None:
                    try:
                        self._on_delivered(item.ticket())
                    except Exception:
                        log.exception("on_delivered callback failed")
        return delivered

    def seconds_until_retry(self) -> float:
        """How long the worker waits before its next delivery pass (0: none planned)."""
        return max(0.0, self._next_try - time.monotonic())

    def _back_off(self, seconds: float | None) -> None:
        self._failures += 1
        if seconds is None:
            # The exponent is capped: a hub gone for days must not overflow the float.
            doubling = 2 ** min(self._failures - 1, 30)
            seconds = min(self._retry_max, self._retry_base * doubling)
            # Jitter so terminals that lost the hub together do not return together.
            seconds *= self._random.uniform(0.8, 1.2)
        self._next_try = time.monotonic() + seconds

    def start(self) -> None:
        """Start the delivery worker (a daemon thread)."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="helpdesk-delivery", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the worker; anything undelivered stays in the outbox for next time."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def close(self) -> None:
        self.stop()
        with self._open_lock:
            if self._outbox is not None:
                self._outbox.close()

    def _run(self) -> None:
        while not self._stopping.is_set():
            wait = self._next_try - time.monotonic()
            if wait <= 0:
                try:
                    self.deliver_due()
                except Exception:
                    # A bug or a broken database must not kill delivery for good.
                    log.exception("delivery pass failed")
                    self._back_off(None)
                if self._next_try <= time.monotonic():
                    self._next_try = 0.0
                    # Nothing left to send: sleep until request() wakes us.
                    wait = None if not self.pending_count() else 0.0
                else:
                    wait = self._next_try - time.monotonic()
            if wait is None or wait > 0:
                self._wake.wait(wait)
                self._wake.clear()
