"""The terminal's help-request outbox and ticket counter, in the terminal's SQLite.

A request is written here, in one transaction with the counter, before its ticket
is shown: a power cut after that loses nothing, and the delivery worker sends it
when the terminal comes back. First names and phone numbers are blanked as soon
as the hub has them. Never talks to the network.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database, Migrations

from kiosk.core.helpdesk.model import Delivery, Ticket
from kiosk.core.helpdesk.tickets import Sequence, format_ticket, next_number

migrations = Migrations("helpdesk")


@migrations()
def m001_outbox_and_counter(db: Database) -> None:
    db["helpdesk_counters"].create({"day": str, "last": int}, pk="day")
    db["helpdesk_outbox"].create(
        {
            "key": str,  # idempotency key, sent with every attempt
            "number": str,
            "day": str,
            "session_id": str,
            "topic_service_id": str,
            "first_name": str,
            "phone": str,
            "issued_at": str,
            "delivery": str,
            "attempts": int,
            "last_error": str,
            "delivered_at": str,
        },
        pk="key",
        not_null={"number", "day", "session_id", "issued_at", "delivery"},
        defaults={"attempts": 0, "first_name": "", "phone": "", "last_error": ""},
    )
    db["helpdesk_outbox"].create_index(["session_id"])
    db["helpdesk_outbox"].create_index(["delivery"])


@migrations()
def m002_sequence(db: Database) -> None:
    """One sequence that only moves forward (tickets.py), carried on from the daily counters."""
    db["helpdesk_sequence"].create(
        {"id": int, "day": str, "last": int, "seen": str}, pk="id", not_null={"last"}
    )
    newest = list(db.query("select day, last from helpdesk_counters order by day desc limit 1"))
    if newest:
        day, last = newest[0]["day"], newest[0]["last"]
        db["helpdesk_sequence"].insert({"id": 1, "day": day, "last": last, "seen": day})


@migrations()
def m003_resident_language(db: Database) -> None:
    # The language the resident chose, so a volunteer greets them in it.
    db["helpdesk_outbox"].add_column("lang", str, not_null_default="")


@dataclass(frozen=True)
class OutboxItem:
    """One request waiting for (or past) delivery."""

    key: str
    number: str
    session_id: str
    topic_service_id: str | None
    first_name: str
    phone: str
    issued_at: datetime
    delivery: Delivery
    attempts: int
    lang: str = ""

    def payload(self) -> dict[str, object]:
        """What the hub receives (the key travels in a header)."""
        return {
            "ticket": self.number,
            "topic_service_id": self.topic_service_id,
            "first_name": self.first_name,
            "phone": self.phone,
            "lang": self.lang,
            "issued_at": self.issued_at.isoformat(),
        }

    def ticket(self) -> Ticket:
        return Ticket(self.number, self.key, self.topic_service_id, self.issued_at, self.session_id)


def _item(row: dict) -> OutboxItem:
    return OutboxItem(
        key=row["key"],
        number=row["number"],
        session_id=row["session_id"],
        topic_service_id=row["topic_service_id"] or None,
        first_name=row["first_name"] or "",
        phone=row["phone"] or "",
        issued_at=datetime.fromisoformat(row["issued_at"]),
        delivery=Delivery(row["delivery"]),
        attempts=row["attempts"] or 0,
        lang=row.get("lang") or "",
    )


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _text(day: date | None) -> str | None:
    return day.isoformat() if day else None


class Outbox:
    """Thread-safe access to the outbox: the UI thread issues, the worker delivers."""

    def __init__(self, db_path: Path):
        """Open (and create or migrate) the outbox; sqlite3.Error or OSError when the
        disk is full or the file is broken, with nothing left open."""
        db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(db_path), check_same_thread=False, timeout=30)
        try:
            # WAL with FULL sync: a committed ticket survives a power cut.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            self._db = Database(conn)
            migrations.apply(self._db)
        except BaseException:
            conn.close()
            raise
        self._lock = threading.RLock()

    @contextmanager
    def _locked(self) -> Iterator[Database]:
        with self._lock:
            yield self._db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def open_for_session(self, session_id: str) -> OutboxItem | None:
        with self._locked() as db:
            rows = list(
                db.query(
                    "select * from helpdesk_outbox where session_id = ? order by issued_at limit 1",
                    [session_id],
                )
            )
        return _item(rows[0]) if rows else None

    def issue(
        self,
        *,
        letter: str,
        clock_day: date | None,
        now: datetime,
        session_id: str,
        topic_service_id: str | None,
        first_name: str,
        phone: str,
        lang: str = "",
    ) -> tuple[OutboxItem, bool]:
        """The session's ticket: (item, True) when new, (existing item, False) when the
        session already has one. `clock_day` is tickets.plausible_day(now). Sequence
        and outbox change in one transaction."""
        with self._locked() as db, db.atomic():
            existing = list(
                db.query("select * from helpdesk_outbox where session_id = ? limit 1", [session_id])
            )
            if existing:
                return _item(existing[0]), False
            rows = list(db.query("select day, last, seen from helpdesk_sequence where id = 1"))
            seq = Sequence(
                _day(rows[0]["day"]) if rows else None,
                rows[0]["last"] if rows else 0,
                _day(rows[0]["seen"]) if rows else None,
            )

            def last_on(day: date | None) -> int:
                row = db.execute(
                    "select last from helpdesk_counters where day = ?", [_text(day) or ""]
                ).fetchone()
                return row[0] if row else 0

            seq = next_number(seq, clock_day, last_on)
            db["helpdesk_sequence"].upsert(
                {"id": 1, "day": _text(seq.day), "last": seq.last, "seen": _text(seq.seen)},
                pk="id",
            )
            # Per day, so a day shown twice by a wrong clock never repeats a number.
            db["helpdesk_counters"].upsert(
                {"day": _text(seq.day) or "", "last": seq.last}, pk="day"
            )
            record = {
                "key": str(uuid.uuid4()),
                "number": format_ticket(letter, seq.last),
                # A clock not yet believed and no day before it: the day is not known.
                "day": _text(seq.day) or "unknown",
                "session_id": session_id,
                "topic_service_id": topic_service_id or "",
                "first_name": first_name,
                "phone": phone,
                "lang": lang,
                "issued_at": now.isoformat(),
                "delivery": Delivery.PENDING.value,
                "attempts": 0,
                "last_error": "",
                "delivered_at": None,
            }
            db["helpdesk_outbox"].insert(record)
        return _item(record), True

    def pending(self) -> list[OutboxItem]:
        with self._locked() as db:
            rows = list(
                db.query(
                    "select * from helpdesk_outbox where delivery = ? order by issued_at",
                    [Delivery.PENDING.value],
                )
            )
        return [_item(r) for r in rows]

    def get(self, key: str) -> OutboxItem | None:
        with self._locked() as db:
            rows = list(db.query("select * from helpdesk_outbox where key = ?", [key]))
        return _item(rows[0]) if rows else None

    def mark_delivered(self, key: str, now: datetime, number: str | None = None) -> None:
        """Delivered. `number`: the one the hub gave it, when not the one sent (that one
        was already open at the site): the request takes it, and this terminal's
        counter goes on above it, so its next tickets do not collide again."""
        # The hub keeps the name and phone for volunteers; the terminal forgets them.
        with self._locked() as db, db.atomic():
            db.execute(
                "update helpdesk_outbox set delivery = ?, delivered_at = ?, first_name = '', "
                "phone = '', attempts = attempts + 1, last_error = '' where key = ?",
                [Delivery.DELIVERED.value, now.isoformat(), key],
            )
            if not number:
                return
            rows = list(db.query("select number, day from helpdesk_outbox where key = ?", [key]))
            if not rows or rows[0]["number"] == number:
                return
            db.execute("update helpdesk_outbox set number = ? where key = ?", [number, key])
            given = int(number.split("-", 1)[1])
            day = rows[0]["day"]
            db.execute(
                "update helpdesk_sequence set last = ? where id = 1 "
                "and coalesce(day, 'unknown') = ? and last < ?",
                [given, day, given],
            )
            db.execute(
                "update helpdesk_counters set last = ? where day = ? and last < ?",
                [given, "" if day == "unknown" else day, given],
            )

    def forget_old(self, now: datetime, personal_days: int, keep_days: int) -> None:
        """Blank names and phones that never reached a hub after `personal_days`, and
        drop delivered requests after `keep_days` (the counter keeps the numbering)."""
        with self._locked() as db, db.atomic():
            db.execute(
                "update helpdesk_outbox set first_name = '', phone = '' "
                "where julianday(issued_at) < julianday(?) and (first_name != '' or phone != '')",
                [(now - timedelta(days=personal_days)).isoformat()],
            )
            db.execute(
                "delete from helpdesk_outbox where delivery = ? and julianday(issued_at) < julianday(?)",
                [Delivery.DELIVERED.value, (now - timedelta(days=keep_days)).isoformat()],
            )

    def mark_failed(self, key: str, error: str) -> None:
        with self._locked() as db:
            db.execute(
                "update helpdesk_outbox set attempts = attempts + 1, last_error = ? where key = ?",
                [error[:500], key],
            )
