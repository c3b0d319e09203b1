"""The hub's SQLite database (sqlite-utils, schema by migrations): terminals and
their keys, volunteers and their sessions, and the help-request queue.

Every method takes the hub's clock time; none reads the system clock. Secrets
are stored hashed: terminal keys with SHA-256 (they are 256 random bits),
passwords with argon2. This module never formats anything for a screen.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from enum import StrEnum
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlite_utils import Database, Migrations

from kiosk.core.helpdesk.model import QueueStatus, RequestStatus
from kiosk.core.helpdesk.tickets import format_ticket, ticket_day
from kiosk.hub.passwords import GateFull, PasswordGate, throttle_delay

migrations = Migrations("hub")

DEFAULT_SERVICE_MINUTES = 5.0
JUDGING_WAIT = 10.0  # seconds a login waits for the verdict on tries still being checked
SESSION_HOURS = 12
RECENT_HOURS = 12  # finished requests stay on the console this long
RATE_WINDOW = timedelta(minutes=1)  # hub.requests_per_minute counts over this
DAY_CLOSED = "day closed"  # updated_by of requests still open when their day ended
NO_DAY_BEFORE = "2000-01-01"  # received by a hub clock not set yet: the day's closing leaves it


@migrations()
def m001_initial(db: Database) -> None:
    db["terminals"].create(
        {"name": str, "site": str, "key_hash": str, "created_at": str, "revoked_at": str},
        pk="name",
    )
    db["terminals"].create_index(["key_hash"], unique=True)
    db["volunteers"].create(
        {
            "name": str,
            "site": str,
            "password_hash": str,
            "failed_attempts": int,
            "locked_until": str,
            "created_at": str,
        },
        pk="name",
        defaults={"failed_attempts": 0},
    )
    db["sessions"].create(
        {"token_hash": str, "volunteer": str, "csrf": str, "created_at": str, "expires_at": str},
        pk="token_hash",
        foreign_keys=[("volunteer", "volunteers", "name")],
    )
    db["help_requests"].create(
        {
            "id": int,
            "idem_key": str,
            "terminal": str,
            "site": str,
            "ticket": str,
            "topic_service_id": str,
            "first_name": str,
            "phone": str,
            "issued_at": str,  # when the resident pressed the button (terminal clock)
            "received_at": str,  # when the hub first got it (hub clock)
            "waiting_since": str,  # what wait times count from
            "status": str,
            "call_count": int,
            "called_at": str,
            "serving_at": str,
            "finished_at": str,
            "note": str,
            "updated_by": str,
        },
        pk="id",
        not_null={"idem_key", "terminal", "site", "ticket", "received_at", "status"},
        defaults={"call_count": 0, "first_name": "", "phone": "", "note": ""},
    )
    db["help_requests"].create_index(["idem_key"], unique=True)
    db["help_requests"].create_index(["site", "status"])
    db["help_requests"].create_index(["terminal", "received_at"])


@migrations()
def m002_fleet(db: Database) -> None:
    # Admins see every site's terminals on the fleet page; other volunteers their own site's.
    db["volunteers"].add_column("admin", int, not_null_default=0)
    db["heartbeats"].create(
        {
            "terminal": str,  # a terminal's name, or "<hub>/<terminal>" when forwarded
            "site": str,
            "via": str,  # the hub that forwarded it; "" when the terminal reported itself
            "received_at": str,  # hub clock: when it was last heard of
            "interval_seconds": int,
            "content_version": str,
            "printer": str,
            "printer_message": str,
            "paper_low": int,
            "last_error": str,
            "update_last_success": str,
            "update_error": str,
            "uptime_seconds": float,
            "app_version": str,
        },
        pk="terminal",
    )
    db["usage"].create(
        {
            "day": str,  # the terminal's local date
            "terminal": str,
            "service": str,  # "" when no service was chosen
            "opened": int,
            "printed": int,
            "help": int,
            "updated_at": str,  # hub clock, so forwarding sends only what changed
        },
        pk=("day", "terminal", "service"),
    )
    db["usage"].create_index(["updated_at"])


@migrations()
def m003_recordings(db: Database) -> None:
    # Human-voice recordings made in the studio or imported; the audio is a file
    # under <data_dir>/recordings/, written completely before its row exists.
    db["recordings"].create(
        {
            "id": int,
            "text_key": str,  # the text's key (kiosk/core/narration/voices.py)
            "lang": str,
            "words": str,  # the exact text it was recorded for: a changed text makes it stale
            "file": str,  # name inside <data_dir>/recordings/
            "by": str,  # who recorded (a volunteer's name, or --by on import)
            "created_at": str,
            "consent": str,  # the consent they gave, in the words they were shown
            "source": str,  # "studio" or "import"
            "seconds": float,
            "loudness_in": float,  # LUFS before normalising
            "loudness_out": float,
            "status": str,  # recorded (waiting for an admin), approved, rejected
            "reviewed_by": str,
            "reviewed_at": str,
        },
        pk="id",
        not_null={"text_key", "lang", "words", "file", "by", "created_at", "consent", "status"},
    )
    db["recordings"].create_index(["text_key", "lang"])
    # What terminals report: narration lines played since each one started, per
    # language, and how many by a human voice (counts only, no person).
    db["voice_played"].create(
        {"terminal": str, "site": str, "lang": str, "human": int, "total": int, "updated_at": str},
        pk=("terminal", "lang"),
    )


@migrations()
def m004_hardening(db: Database) -> None:
    # Wrong passwords per name and address (the name may not exist): they slow
    # that address down instead of locking the account for everyone.
    db["login_throttle"].create(
        {"name": str, "address": str, "failures": int, "next_try_at": str},
        pk=("name", "address"),
    )
    # Other hubs that may forward their terminals' status here, and for which sites.
    db["hubs"].create(
        {"name": str, "sites": str, "key_hash": str, "created_at": str, "revoked_at": str},
        pk="name",
    )
    db["hubs"].create_index(["key_hash"], unique=True)


@migrations()
def m005_resident_language(db: Database) -> None:
    db["help_requests"].add_column("lang", str, not_null_default="")


@migrations()
def m006_volunteer_admin_and_audit(db: Database) -> None:
    # A disabled volunteer keeps their name on past requests and recordings but
    # cannot log in; their sessions are ended when they are disabled.
    db["volunteers"].add_column("disabled_at", str)
    # Who changed what: content saves and publishes, voice reviews, volunteer changes.
    db["audit"].create(
        {
            "id": int,
            "at": str,  # hub clock
            "who": str,  # a volunteer's name, or "command line (<user>)"
            "action": str,  # an AuditAction value
            "target": str,  # what it was done to: a file, a release, a volunteer, a recording
            "detail": str,  # JSON: named facts (site, version, files...), no personal data
        },
        pk="id",
        not_null={"at", "who", "action"},
    )
    db["audit"].create_index(["at"])


@migrations()
def m007_recording_site_and_size(db: Database) -> None:
    # A recording belongs to the site of the volunteer who made it: only that
    # site's volunteers and admins play and review it. "" (imported with
    # `kiosk hub recordings import`) belongs to every site. `bytes` counts
    # against the volunteer's quota (hub.recording_quota_mib).
    db["recordings"].add_column("site", str, not_null_default="")
    db["recordings"].add_column("bytes", int, not_null_default=0)
    db.execute(
        "update recordings set site = coalesce((select v.site from volunteers v "
        "where v.name = recordings.by), '')"
    )


@migrations()
def m008_call_display(db: Database) -> None:
    # Waiting-room displays read one site's calls with their own revocable key.
    db["displays"].create(
        {"name": str, "site": str, "key_hash": str, "created_at": str, "revoked_at": str},
        pk="name",
    )
    db["displays"].create_index(["key_hash"], unique=True)
    # The desk a volunteer sits at (0: not said), and at each call the desk and
    # who called, so the display can be rebuilt from the database after a restart.
    db["volunteers"].add_column("desk", int, not_null_default=0)
    db["help_requests"].add_column("desk", int, not_null_default=0)
    db["help_requests"].add_column("called_by", str, not_null_default="")
    db["help_requests"].create_index(["site", "called_at"])


@migrations()
def m009_printed_ticket(db: Database) -> None:
    # The number a terminal printed, when the hub gave the request another one
    # (that number was already open at the site); "" when they are the same.
    db["help_requests"].add_column("printed_ticket", str, not_null_default="")


class AuditAction(StrEnum):
    """What the activity page lists."""

    CONTENT_SAVE = "content.save"
    CONTENT_RESTORE = "content.restore"
    CONTENT_PUBLISH = "content.publish"
    CONTENT_PUBLISH_REFUSED = "content.publish_refused"
    CONTENT_ROLLBACK = "content.rollback"
    CONTENT_PROMOTE = "content.promote"  # a pilot release given to every site
    VOICE_UPLOAD = "voice.upload"
    VOICE_APPROVE = "voice.approve"
    VOICE_REJECT = "voice.reject"
    VOLUNTEER_ADD = "volunteer.add"
    VOLUNTEER_UPDATE = "volunteer.update"
    VOLUNTEER_DISABLE = "volunteer.disable"
    VOLUNTEER_ENABLE = "volunteer.enable"
    VOLUNTEER_REMOVE = "volunteer.remove"
    VOLUNTEER_DISPLAY_NAME = "volunteer.display_name"  # set by an admin
    # The help queue's closing actions and their undoing (kiosk/hub/store.py act);
    # the other steps (call, serve) are only in each request's history.
    REQUEST_DONE = "request.done"
    REQUEST_NO_SHOW = "request.no-show"
    REQUEST_CANCEL = "request.cancel"
    REQUEST_REQUEUE = "request.requeue"
    REQUEST_REOPEN = "request.reopen"
    REQUEST_DAY_CLOSED = "request.day_closed"  # the day's end cancelled what was still open


# The queue's actions the activity page lists (with who, when, the ticket, its site).
QUEUE_AUDIT = {
    "done": AuditAction.REQUEST_DONE,
    "no-show": AuditAction.REQUEST_NO_SHOW,
    "cancel": AuditAction.REQUEST_CANCEL,
    "requeue": AuditAction.REQUEST_REQUEUE,
    "reopen": AuditAction.REQUEST_REOPEN,
}


@migrations()
def m007_impact_report(db: Database) -> None:
    # What the monthly impact report needs beyond the queue: flows finished and
    # sessions begun (per day, terminal, service), the hours each terminal was
    # heard from (uptime), and narration lines per day and language (from the
    # heartbeats' counts since each start). Counts only, no person.
    db["usage"].add_column("finished", int, not_null_default=0)
    db["usage"].add_column("sessions", int, not_null_default=0)
    db["heard_hours"].create(
        {"terminal": str, "site": str, "hour": str},  # hour: UTC, "YYYY-MM-DDTHH"
        pk=("terminal", "hour"),
    )
    db["voice_daily"].create(
        {"day": str, "terminal": str, "site": str, "lang": str, "human": int, "total": int},
        pk=("day", "terminal", "lang"),
    )


@migrations()
def m010_request_events(db: Database) -> None:
    # Who moved a request from which state to which, and when (the audit trail of
    # the queue; no name, phone or note in it). A request closed by mistake is
    # reopened to the state it was closed from (`closed_from`), and only by who
    # closed it (`closed_by`) or an admin.
    db["help_request_events"].create(
        {
            "id": int,
            "request_id": int,
            "site": str,
            "ticket": str,
            "at": str,  # hub clock
            "volunteer": str,
            "action": str,  # an Action value, or NOTE_EVENT
            "from_status": str,
            "to_status": str,
        },
        pk="id",
        not_null={"request_id", "site", "at", "volunteer", "action", "from_status", "to_status"},
    )
    db["help_request_events"].create_index(["request_id"])
    db["help_requests"].add_column("closed_from", str, not_null_default="")
    db["help_requests"].add_column("closed_by", str, not_null_default="")


@migrations()
def m011_hub_clock(db: Database) -> None:
    # What the hub knows of its own clock (kiosk/hub/fleet/clock_check.py): one row, JSON.
    db["hub_clock"].create({"id": int, "state": str}, pk="id")


@migrations()
def m012_display_names(db: Database) -> None:
    # The name the waiting room sees and hears for a volunteer ("Aysel"), set by an
    # admin or the volunteer. "" (every account from before): the display and the
    # spoken call name no one, never the account's name ("quliyeva.aysel").
    db["volunteers"].add_column("display_name", str, not_null_default="")


HEARTBEAT_FIELDS = (
    "interval_seconds",
    "content_version",
    "printer",
    "printer_message",
    "paper_low",
    "last_error",
    "update_last_success",
    "update_error",
    "uptime_seconds",
    "app_version",
)
USAGE_COUNTS = ("opened", "printed", "help", "finished", "sessions")


def _iso(when: datetime) -> str:
    # Stored in UTC so text order is time order.
    return when.astimezone(UTC).isoformat(timespec="milliseconds")


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Action(StrEnum):
    """What a volunteer can do to a request."""

    CALL = "call"
    RECALL = "recall"
    SERVE = "serve"
    DONE = "done"
    NO_SHOW = "no-show"
    CANCEL = "cancel"
    REQUEUE = "requeue"
    REOPEN = "reopen"  # closed by mistake: back to the state it was closed from


# A request's history line for a note written or changed (no state moves).
NOTE_EVENT = "note"

W, C, S = RequestStatus.WAITING, RequestStatus.CALLED, RequestStatus.SERVING
# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[RequestStatus], RequestStatus]] = {
    Action.CALL: (frozenset({W}), C),
    Action.RECALL: (frozenset({C}), C),
    Action.SERVE: (frozenset({W, C}), S),
    Action.DONE: (frozenset({C, S}), RequestStatus.DONE),
    Action.NO_SHOW: (frozenset({W, C}), RequestStatus.NO_SHOW),
    Action.CANCEL: (frozenset({W, C, S}), RequestStatus.CANCELLED),
    # The person came back after being marked no-show: back in line at their old place.
    Action.REQUEUE: (frozenset({RequestStatus.NO_SHOW}), W),
    # Closed by mistake: back to the state it was closed from (looked up by `act`;
    # the state given here is only its default).
    Action.REOPEN: (
        frozenset({RequestStatus.DONE, RequestStatus.NO_SHOW, RequestStatus.CANCELLED}),
        W,
    ),
}


def quota_message(used: int, quota: int) -> str:
    mib = 1024 * 1024
    return (
        f"your recordings already take {used / mib:.1f} MiB of the hub's disk and the limit "
        f"for one volunteer is {quota / mib:.0f} MiB (hub.recording_quota_mib): ask an admin"
    )


class StoreError(Exception):
    """A change the data does not allow; `code` is the HTTP status the API answers with."""

    def __init__(self, code: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after

    def headers(self) -> dict[str, str] | None:
        return None if self.retry_after is None else {"Retry-After": str(self.retry_after)}


@dataclass(frozen=True)
class Terminal:
    name: str
    site: str


@dataclass(frozen=True)
class Volunteer:
    name: str
    site: str
    admin: bool = False


class LoginResult(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # the same for an unknown name and a wrong password
    DISABLED = "disabled"  # the right password for an account an admin disabled
    THROTTLED = "throttled"  # too many wrong ones from this address at this name: wait
    BUSY = "busy"  # too many password checks running and waiting already


@dataclass(frozen=True)
class Hub:
    """Another hub that may forward its own terminals' status for `sites`."""

    name: str
    sites: tuple[str, ...]


@dataclass(frozen=True)
class Session:
    token: str  # only known right after login; the database holds its hash
    volunteer: Volunteer
    csrf: str
    expires_at: datetime | None = None  # after it the session is gone (its live feed ends)


@dataclass(frozen=True)
class LoginAttempt:
    result: LoginResult
    session: Session | None = None
    retry_after: int = 0  # seconds, for THROTTLED and BUSY


class HubStore:
    """All hub data, behind one lock: FastAPI runs sync endpoints on a thread pool."""

    def __init__(
        self,
        db_path: Path,
        *,
        lockout_attempts: int = 5,
        lockout_minutes: int = 15,
        password_hasher: PasswordHasher | None = None,
        password_gate: PasswordGate | None = None,
    ):
        db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(db_path), check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        self._db = Database(conn)
        self._lock = threading.RLock()
        # Tests pass a cheap hasher; the default costs about half a second on a small hub.
        self._hasher = password_hasher or PasswordHasher()
        # Verified against for unknown names, so a wrong name takes as long as a wrong password.
        self._dummy_hash = ""
        self.lockout_attempts = lockout_attempts  # wrong passwords before tries must wait
        self.lockout_minutes = lockout_minutes  # the longest wait between tries
        self._gate = password_gate or PasswordGate(at_once=2, queued=6)
        # Tries being checked right now, per (name, address): counted as wrong until
        # judged, so a try that finds the wait set by them waits for their verdict
        # first (concurrent right passwords are not wrong ones).
        self._judging: dict[tuple[str, str], int] = {}
        self._verdicts = threading.Condition()
        with self._lock:
            migrations.apply(self._db)

    @contextmanager
    def _tx(self) -> Iterator[Database]:
        """One write transaction. It takes the write lock first (BEGIN IMMEDIATE, which
        waits for another process's writes like any other statement): a deferred one
        that reads and then writes fails at once with "database is locked" when the
        running hub wrote in between (a `kiosk hub` command beside a running hub)."""
        with self._lock:
            conn = self._db.conn
            if conn.in_transaction:
                with self._db.atomic():
                    yield self._db
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._db.query(sql, params or []))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ---- terminals --------------------------------------------------------

    def _issue_key(self, table: str, prefix: str, name: str, site: str, now: datetime) -> str:
        """A new key for `name` in `table` (terminals, displays), replacing any old
        one; returned once, stored hashed. `table` is always one of this module's."""
        key = prefix + secrets.token_urlsafe(32)
        with self._tx() as db:
            db[table].upsert(
                {
                    "name": name,
                    "site": site,
                    "key_hash": hash_key(key),
                    "created_at": _iso(now),
                    "revoked_at": None,
                },
                pk="name",
            )
        return key

    def _revoke_key(self, table: str, name: str, now: datetime) -> bool:
        with self._tx() as db:
            cur = db.execute(
                f"update {table} set revoked_at = ? where name = ? and revoked_at is null",
                [_iso(now), name],
            )
            return cur.rowcount > 0

    def add_terminal(self, name: str, site: str, now: datetime) -> str:
        """A new key for terminal `name` (replacing any old one); returned once, stored hashed."""
        return self._issue_key("terminals", "kmk_", name, site, now)

    def revoke_terminal(self, name: str, now: datetime) -> bool:
        return self._revoke_key("terminals", name, now)

    def terminals(self) -> list[dict[str, Any]]:
        return self._rows("select name, site, created_at, revoked_at from terminals order by name")

    def terminal_for_key(self, key: str) -> Terminal | None:
        rows = self._rows(
            "select name, site from terminals where key_hash = ? and revoked_at is null",
            [hash_key(key)],
        )
        return Terminal(rows[0]["name"], rows[0]["site"]) if rows else None

    def remove_terminal(self, name: str) -> bool:
        """Forget a terminal (or a forwarded "HUB/TERMINAL"): its key, its status
        and its usage counts. Its help requests stay, as history."""
        with self._tx() as db:
            removed = db.execute("delete from terminals where name = ?", [name]).rowcount
            removed += db.execute("delete from heartbeats where terminal = ?", [name]).rowcount
            removed += db.execute("delete from usage where terminal = ?", [name]).rowcount
        return removed > 0

    # ---- other hubs ---------------------------------------------------------

    def add_hub(self, name: str, sites: list[str], now: datetime) -> str:
        """A new forwarding key for hub `name`, good for `sites` only (replacing any old key)."""
        key = "kmh_" + secrets.token_urlsafe(32)
        with self._tx() as db:
            db["hubs"].upsert(
                {
                    "name": name,
                    "sites": json.dumps(sorted(set(sites))),
                    "key_hash": hash_key(key),
                    "created_at": _iso(now),
                    "revoked_at": None,
                },
                pk="name",
            )
        return key

    def hub_for_key(self, key: str) -> Hub | None:
        rows = self._rows(
            "select name, sites from hubs where key_hash = ? and revoked_at is null",
            [hash_key(key)],
        )
        return Hub(rows[0]["name"], tuple(json.loads(rows[0]["sites"]))) if rows else None

    def hubs(self) -> list[dict[str, Any]]:
        return self._rows("select name, sites, created_at, revoked_at from hubs order by name")

    def remove_hub(self, name: str) -> int:
        """Revoke hub `name`'s key and forget every terminal it forwarded; returns
        how many terminals went (-1: no such hub)."""
        with self._tx() as db:
            if not db.execute("delete from hubs where name = ?", [name]).rowcount:
                return -1
            db.execute(
                "delete from usage where terminal in (select terminal from heartbeats "
                "where via = ?) or substr(terminal, 1, length(?)) = ?",
                [name, name + "/", name + "/"],
            )
            return db.execute("delete from heartbeats where via = ?", [name]).rowcount

    def forwarded_terminals(self, hub: str) -> set[str]:
        rows = self._rows("select terminal from heartbeats where via = ?", [hub])
        return {r["terminal"] for r in rows}

    # ---- volunteers and sessions -----------------------------------------

    def add_volunteer(
        self, name: str, site: str, password: str, now: datetime, *, admin: bool = False
    ) -> bool:
        """Create the account, or set a new password, site and admin flag; True when it is new."""
        digest = self._hasher.hash(password)
        with self._tx() as db:
            new = not list(db.query("select 1 from volunteers where name = ?", [name]))
            db["volunteers"].upsert(
                {
                    "name": name,
                    "site": site,
                    "password_hash": digest,
                    "failed_attempts": 0,
                    "locked_until": None,
                    "created_at": _iso(now),
                    "admin": int(admin),
                },
                pk="name",
            )
            if not new:
                db.execute("delete from sessions where volunteer = ?", [name])
        return new

    def volunteers(self) -> list[dict[str, Any]]:
        """Every account: name, display name, site, admin, created, disabled, and open sessions."""
        rows = self._rows(
            "select v.name, v.display_name, v.site, v.admin, v.created_at, v.disabled_at, "
            "(select count(*) from sessions s where s.volunteer = v.name) as sessions "
            "from volunteers v order by v.name"
        )
        for r in rows:
            r["admin"] = bool(r["admin"])
        return rows

    def volunteer(self, name: str) -> dict[str, Any] | None:
        found = [r for r in self.volunteers() if r["name"] == name]
        return found[0] if found else None

    def set_display_name(self, name: str, display_name: str) -> bool:
        """The name the waiting room sees and hears for `name` ("" for none; checked
        by the caller with core.textclean.display_name); False: no such account."""
        with self._tx() as db:
            cur = db.execute(
                "update volunteers set display_name = ? where name = ?", [display_name, name]
            )
            return cur.rowcount > 0

    def display_names(self, site: str) -> dict[str, str]:
        """Account -> display name, for the accounts of `site` that have one."""
        rows = self._rows(
            "select name, display_name from volunteers where site = ? and display_name != ''",
            [site],
        )
        return {r["name"]: r["display_name"] for r in rows}

    def display_name(self, name: str) -> str:
        rows = self._rows("select display_name from volunteers where name = ?", [name])
        return rows[0]["display_name"] if rows else ""

    def set_volunteer_disabled(self, name: str, disabled: bool, now: datetime) -> bool:
        """Disable (their sessions end at once) or enable an account; False: no such name."""
        with self._tx() as db:
            cur = db.execute(
                "update volunteers set disabled_at = ? where name = ?",
                [_iso(now) if disabled else None, name],
            )
            if cur.rowcount and disabled:
                db.execute("delete from sessions where volunteer = ?", [name])
            return cur.rowcount > 0

    def remove_volunteer(self, name: str) -> bool:
        """Delete the account and its sessions. Requests and recordings keep the name as history."""
        with self._tx() as db:
            db.execute("delete from sessions where volunteer = ?", [name])
            return db.execute("delete from volunteers where name = ?", [name]).rowcount > 0

    # ---- the audit log ------------------------------------------------------

    def audit(
        self,
        who: str,
        action: AuditAction,
        target: str,
        now: datetime,
        **detail: str | int,
    ) -> None:
        """One line of the activity log. `detail` is named facts (site, version, files...)
        that the activity page labels in the reader's language; never personal data."""
        with self._tx() as db:
            db["audit"].insert(
                {
                    "at": _iso(now),
                    "who": who,
                    "action": AuditAction(action).value,
                    "target": target,
                    "detail": json.dumps(detail, ensure_ascii=False)[:2000],
                }
            )

    def activity(
        self, limit: int = 200, before_id: int | None = None, kind: str = ""
    ) -> list[dict[str, Any]]:
        """The audit log, newest first (`before_id`: the page after the one shown;
        `kind` "queue": only the help queue's lines, "other": all but those)."""
        where, params = "1", []
        if before_id is not None:
            where, params = "id < ?", [before_id]
        if kind:
            where += " and substr(action, 1, 8) " + ("=" if kind == "queue" else "!=") + " ?"
            params.append("request.")
        rows = self._rows(
            f"select * from audit where {where} order by id desc limit ?", [*params, limit]
        )
        for r in rows:
            r["detail"] = json.loads(r["detail"] or "{}")
        return rows

    def login(self, name: str, password: str, now: datetime, address: str = "") -> LoginAttempt:
        """Check a password; unknown names take the same path and the same work.

        Every try is counted as wrong before the check runs (so concurrent guesses
        cannot slip past the count) and forgiven when it was right. A try that
        finds a wait set only by tries still being checked waits for their verdict
        (at most JUDGING_WAIT seconds): right passwords sent at once for one
        account (two tabs, a reloaded phone) are not wrong ones."""
        place = (name, address)
        try:
            with self._gate.admit():
                wait = self._reserve_after_verdicts(place, now)
                if wait:
                    return LoginAttempt(LoginResult.THROTTLED, retry_after=wait)
                try:
                    with self._gate.turn():
                        rows = self._rows("select * from volunteers where name = ?", [name])
                        digest = rows[0]["password_hash"] if rows else self._dummy()
                        ok = self._verify(digest, password)
                    if rows and ok:
                        return self._logged_in(rows[0], address, now)
                    return LoginAttempt(LoginResult.WRONG)
                finally:
                    with self._verdicts:
                        self._judging[place] -= 1
                        if not self._judging[place]:
                            del self._judging[place]
                        self._verdicts.notify_all()
        except GateFull:
            return LoginAttempt(LoginResult.BUSY, retry_after=5)

    def _reserve_after_verdicts(self, place: tuple[str, str], now: datetime) -> int:
        """_reserve_try, waiting while the wait comes from tries still being checked.
        When it returns 0 the try is counted and marked as being checked (one lock
        for both, so no verdict is missed in between)."""
        deadline = time.monotonic() + JUDGING_WAIT
        with self._verdicts:
            while True:
                wait = self._reserve_try(place[0], place[1], now)
                if not wait:
                    self._judging[place] = self._judging.get(place, 0) + 1
                    return 0
                left = deadline - time.monotonic()
                if not self._judging.get(place) or left <= 0:
                    return wait
                self._verdicts.wait(left)

    def _logged_in(self, vol: dict[str, Any], address: str, now: datetime) -> LoginAttempt:
        name = vol["name"]
        if vol["disabled_at"]:
            # Said only to whoever knows the password: nobody learns who is disabled by guessing.
            with self._tx() as db:
                db.execute(
                    "delete from login_throttle where name = ? and address = ?", [name, address]
                )
            return LoginAttempt(LoginResult.DISABLED)
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        with self._tx() as db:
            db.execute("delete from login_throttle where name = ? and address = ?", [name, address])
            db["sessions"].insert(
                {
                    "token_hash": hash_key(token),
                    "volunteer": name,
                    "csrf": csrf,
                    "created_at": _iso(now),
                    "expires_at": _iso(now + timedelta(hours=SESSION_HOURS)),
                }
            )
        volunteer = Volunteer(name, vol["site"], bool(vol["admin"]))
        expires = now + timedelta(hours=SESSION_HOURS)
        return LoginAttempt(LoginResult.OK, Session(token, volunteer, csrf, expires))

    def _dummy(self) -> str:
        """A hash to check unknown names against, made with the same cost as real ones."""
        if not self._dummy_hash:
            self._dummy_hash = self._hasher.hash(secrets.token_hex(16))
        return self._dummy_hash

    def _reserve_try(self, name: str, address: str, now: datetime) -> int:
        """Seconds this address must still wait before trying `name` again; when 0,
        the try is counted (as wrong until proven right) in the same transaction."""
        with self._tx() as db:
            rows = list(
                db.query(
                    "select failures, next_try_at from login_throttle "
                    "where name = ? and address = ?",
                    [name, address],
                )
            )
            next_try = _parse(rows[0]["next_try_at"]) if rows else None
            if next_try and next_try > now:
                return max(1, math.ceil((next_try - now).total_seconds()))
            failures = (rows[0]["failures"] if rows else 0) + 1
            delay = throttle_delay(
                failures, self.lockout_attempts, timedelta(minutes=self.lockout_minutes)
            )
            db.execute(
                "insert into login_throttle (name, address, failures, next_try_at) "
                "values (?, ?, ?, ?) on conflict (name, address) do update set "
                "failures = excluded.failures, next_try_at = excluded.next_try_at",
                [name, address, failures, _iso(now + delay)],
            )
        return 0

    def _verify(self, digest: str, password: str) -> bool:
        try:
            return self._hasher.verify(digest, password)
        except (VerificationError, InvalidHashError):
            return False

    def session(self, token: str, now: datetime) -> Session | None:
        rows = self._rows(
            "select s.csrf, s.expires_at, v.name, v.site, v.admin from sessions s "
            "join volunteers v on v.name = s.volunteer "
            "where s.token_hash = ? and v.disabled_at is null",
            [hash_key(token)],
        )
        expires = _parse(rows[0]["expires_at"]) if rows else None
        if expires is None or expires <= now:
            return None
        r = rows[0]
        return Session(token, Volunteer(r["name"], r["site"], bool(r["admin"])), r["csrf"], expires)

    def logout(self, token: str) -> None:
        with self._tx() as db:
            db.execute("delete from sessions where token_hash = ?", [hash_key(token)])

    # ---- help requests ----------------------------------------------------

    @staticmethod
    def _check_rate(db: Database, terminal: str, now: datetime, per_minute: int) -> None:
        """StoreError 429 when `terminal` already sent `per_minute` new requests in the
        minute up to `now`. Requests stamped a little after `now` count too: a
        concurrent request may read the clock before another that is stored first.
        Requests stamped over a minute after `now` (the hub's clock stepped back)
        do not, and Retry-After is never more than a minute."""
        row = next(
            db.query(
                "select count(*) as n, min(received_at) as oldest from help_requests "
                "where terminal = ? and received_at > ? and received_at <= ?",
                [terminal, _iso(now - RATE_WINDOW), _iso(now + RATE_WINDOW)],
            )
        )
        if row["n"] < per_minute:
            return
        oldest = _parse(row["oldest"]) or now
        wait = (oldest + RATE_WINDOW - now).total_seconds()
        raise StoreError(
            429,
            f"more than {per_minute} help requests a minute from this terminal",
            retry_after=min(int(RATE_WINDOW.total_seconds()), max(1, math.ceil(wait))),
        )

    def find_by_key(self, key: str) -> dict[str, Any] | None:
        rows = self._rows("select * from help_requests where idem_key = ?", [key])
        return rows[0] if rows else None

    def add_request(
        self,
        *,
        key: str,
        terminal: Terminal,
        ticket: str,
        topic_service_id: str | None,
        first_name: str,
        phone: str,
        issued_at: datetime | None,
        now: datetime,
        per_minute: int | None = None,
        lang: str = "",
    ) -> tuple[dict[str, Any], bool]:
        """Store a request once per idempotency key: (row, True) if new, (row, False) if seen.

        With `per_minute`, a new request beyond that many from this terminal in the
        minute before `now` raises StoreError 429; checked and stored in one
        transaction, so concurrent requests cannot slip past. Retries of a stored
        request always get through.

        `issued_at` None: the terminal's clock could not be right (1970 before
        network time); the request is taken all the same, as issued now.

        The number is unique among the site's open requests (waiting, called,
        being helped), whatever a terminal forgot (its data folder wiped) or its
        clock did: a number already open gets the next free one of its letter,
        and the row keeps the number the terminal printed (`printed_ticket`) for
        the volunteer to match the resident's slip; the answer tells the terminal."""
        # A terminal clock that is off must not make someone look like they waited a day.
        if issued_at is None:
            issued_at = now
        waiting_since = issued_at if now - timedelta(hours=1) <= issued_at <= now else now
        with self._tx() as db:
            seen = list(db.query("select * from help_requests where idem_key = ?", [key]))
            if seen:
                if seen[0]["terminal"] != terminal.name:
                    raise StoreError(409, "idempotency key belongs to another terminal")
                return seen[0], False
            if per_minute is not None:
                self._check_rate(db, terminal.name, now, per_minute)
            waiting_since = self._after_a_clock_set_back(db, terminal.site, now, waiting_since)
            number = self._free_number(db, terminal.site, ticket)
            db["help_requests"].insert(
                {
                    "idem_key": key,
                    "terminal": terminal.name,
                    "site": terminal.site,
                    "ticket": number,
                    "printed_ticket": ticket if number != ticket else "",
                    "topic_service_id": topic_service_id or "",
                    "first_name": first_name,
                    "phone": phone,
                    "lang": lang,
                    "issued_at": _iso(issued_at),
                    "received_at": _iso(now),
                    "waiting_since": _iso(waiting_since),
                    "status": RequestStatus.WAITING.value,
                    "call_count": 0,
                    "note": "",
                }
            )
            row = next(db.query("select * from help_requests where idem_key = ?", [key]))
        return row, True

    @staticmethod
    def _after_a_clock_set_back(
        db: Database, site: str, now: datetime, waiting_since: datetime
    ) -> datetime:
        """When the hub's clock was set back (it stamped a request later than it now
        reads), a new arrival still queues behind everyone waiting, never ahead."""
        [newest] = db.execute(
            "select max(received_at) from help_requests where site = ?", [site]
        ).fetchone()
        if newest is None or _iso(now) >= newest:
            return waiting_since
        open_states = [s.value for s in RequestStatus if s.open]
        [last] = db.execute(
            "select max(waiting_since) from help_requests where site = ? "
            f"and status in ({', '.join('?' for _ in open_states)})",
            [site, *open_states],
        ).fetchone()
        last_at = _parse(last)
        return last_at if last_at is not None and last_at > waiting_since else waiting_since

    @staticmethod
    def _free_number(db: Database, site: str, ticket: str) -> str:
        """`ticket` when no open request at `site` has it, else the next number of its
        letter above every open one."""
        open_states = [s.value for s in RequestStatus if s.open]
        letter = ticket.split("-", 1)[0]
        taken = {
            r["ticket"]
            for r in db.query(
                "select ticket from help_requests where site = ? and status in (?, ?, ?) "
                "and substr(ticket, 1, ?) = ?",
                [site, *open_states, len(letter) + 1, letter + "-"],
            )
        }
        if ticket not in taken:
            return ticket
        numbers = [int(t.split("-", 1)[1]) for t in taken if t.split("-", 1)[1].isdigit()]
        return format_ticket(letter, max(numbers, default=0) + 1)

    def _service_minutes(self, site: str, now: datetime) -> float:
        rows = self._rows(
            "select coalesce(serving_at, called_at) as start, finished_at from help_requests "
            "where site = ? and status = ? and finished_at > ? and coalesce(serving_at, called_at) "
            "is not null order by finished_at desc limit 20",
            [site, RequestStatus.DONE.value, _iso(now - timedelta(hours=RECENT_HOURS))],
        )
        spans = [
            (_parse(r["finished_at"]) - _parse(r["start"])).total_seconds() / 60  # type: ignore[operator]
            for r in rows
        ]
        if not spans:
            return DEFAULT_SERVICE_MINUTES
        return min(30.0, max(1.0, sum(spans) / len(spans)))

    def queue_status(self, key: str, terminal: Terminal, now: datetime) -> QueueStatus | None:
        row = self.find_by_key(key)
        if row is None or row["terminal"] != terminal.name:
            return None
        status = RequestStatus(row["status"])
        if status is not RequestStatus.WAITING:
            return QueueStatus(status, 0, 0)
        ahead = self._rows(
            "select count(*) as n from help_requests where site = ? and status = ? "
            "and (waiting_since < ? or (waiting_since = ? and id < ?))",
            [row["site"], status.value, row["waiting_since"], row["waiting_since"], row["id"]],
        )[0]["n"]
        minutes = math.ceil(ahead * self._service_minutes(row["site"], now))
        return QueueStatus(status, ahead, minutes)

    def queue(self, site: str, now: datetime) -> list[dict[str, Any]]:
        """Open requests oldest first, then today's finished ones, newest first."""
        open_states = [s.value for s in RequestStatus if s.open]
        open_rows = self._rows(
            "select * from help_requests where site = ? and status in (?, ?, ?) "
            "order by waiting_since, id",
            [site, *open_states],
        )
        done_rows = self._rows(
            "select * from help_requests where site = ? and status not in (?, ?, ?) "
            "and finished_at > ? order by finished_at desc limit 50",
            [site, *open_states, _iso(now - timedelta(hours=RECENT_HOURS))],
        )
        return open_rows + done_rows

    def act(
        self,
        request_id: int,
        action: Action,
        volunteer: Volunteer,
        now: datetime,
        reopen_since: datetime | None = None,
    ) -> dict[str, Any]:
        """One action on one request of the volunteer's site, with its line in the
        request's history. A reopen takes a request closed at or after
        `reopen_since` (the API gives the later of the reopen window's start and
        today's start) back to the state it was closed from."""
        allowed_from, to = TRANSITIONS[action]
        with self._tx() as db:
            rows = list(
                db.query(
                    "select * from help_requests where id = ? and site = ?",
                    [request_id, volunteer.site],
                )
            )
            if not rows:
                raise StoreError(404, "no such request")
            row = rows[0]
            current = RequestStatus(row["status"])
            if current not in allowed_from:
                raise StoreError(409, f"request is {current.value}")
            changes: dict[str, Any] = {"status": to.value, "updated_by": volunteer.name}
            if action is Action.REOPEN:
                to = self._reopen_to(row, volunteer, now if reopen_since is None else reopen_since)
                changes["status"] = to.value
                # Its number may have been given to someone else meanwhile (a terminal
                # that forgot its numbers): it gets a free one, its slip's stays shown.
                number = self._free_number(db, volunteer.site, row["ticket"])
                if number != row["ticket"]:
                    changes["ticket"] = number
                    changes["printed_ticket"] = row["printed_ticket"] or row["ticket"]
            if action in (Action.CALL, Action.RECALL):
                changes["called_at"] = _iso(now)
                changes["call_count"] = (row["call_count"] or 0) + 1
                changes["called_by"] = volunteer.name
                changes["desk"] = self._desk(db, volunteer.name)
            elif action is Action.SERVE:
                changes["serving_at"] = _iso(now)
            if to.open:
                changes.update(finished_at=None, closed_from="", closed_by="")
            else:
                changes.update(
                    finished_at=_iso(now), closed_from=current.value, closed_by=volunteer.name
                )
            db["help_requests"].update(request_id, changes)
            if action.value in QUEUE_AUDIT:
                # For the admins' activity page: no name, phone or note.
                detail = {"site": volunteer.site, "from": current.value, "to": to.value}
                db["audit"].insert(
                    {
                        "at": _iso(now),
                        "who": volunteer.name,
                        "action": QUEUE_AUDIT[action.value].value,
                        "target": changes.get("ticket", row["ticket"]),
                        "detail": json.dumps(detail),
                    }
                )
            db["help_request_events"].insert(
                {
                    "request_id": request_id,
                    "site": volunteer.site,
                    "ticket": changes.get("ticket", row["ticket"]),
                    "at": _iso(now),
                    "volunteer": volunteer.name,
                    "action": action.value,
                    "from_status": current.value,
                    "to_status": to.value,
                }
            )
            return next(db.query("select * from help_requests where id = ?", [request_id]))

    @staticmethod
    def _reopen_to(row: dict[str, Any], volunteer: Volunteer, since: datetime) -> RequestStatus:
        """The open state a closed request goes back to, or StoreError when it may not:
        closed with its day, closed before `since` (the resident has long gone: it
        must not come back as a ghost), or closed by another volunteer (only they
        or an admin may undo it)."""
        closer = row["closed_by"] or row["updated_by"] or ""
        if closer == DAY_CLOSED or row["updated_by"] == DAY_CLOSED:
            raise StoreError(409, "this request was closed with its day; it cannot be reopened")
        finished = _parse(row["finished_at"])
        if finished is None or finished < since:
            raise StoreError(409, "this request was closed too long ago to be reopened")
        if closer != volunteer.name and not volunteer.admin:
            raise StoreError(
                403, "only the volunteer who closed this request or an admin may reopen it"
            )
        if row["closed_from"]:
            return RequestStatus(row["closed_from"])
        # Closed before the hub kept the state it was closed from: its times say.
        if row["serving_at"]:
            return RequestStatus.SERVING
        return RequestStatus.CALLED if row["called_at"] else RequestStatus.WAITING

    def history(self, request_id: int, site: str) -> list[dict[str, Any]] | None:
        """Every change of one request of `site` (its state, a note written),
        oldest first; None: no such request."""
        if not self._rows(
            "select id from help_requests where id = ? and site = ?", [request_id, site]
        ):
            return None
        return self._rows(
            "select at, volunteer, action, from_status, to_status, ticket "
            "from help_request_events where request_id = ? and site = ? order by id",
            [request_id, site],
        )

    @staticmethod
    def _desk(db: Database, volunteer: str) -> int:
        rows = list(db.query("select desk from volunteers where name = ?", [volunteer]))
        return int(rows[0]["desk"] or 0) if rows else 0

    # ---- desks and call displays (a display sees no personal data) ---------

    def set_desk(self, volunteer: str, desk: int) -> None:
        """The desk `volunteer` calls people to from now on (0: none said)."""
        with self._tx() as db:
            db.execute("update volunteers set desk = ? where name = ?", [desk, volunteer])

    def desk(self, volunteer: str) -> int:
        with self._lock:
            return self._desk(self._db, volunteer)

    def add_display(self, name: str, site: str, now: datetime) -> str:
        """A new key for display `name` (replacing any old one); returned once, stored hashed."""
        return self._issue_key("displays", "kmd_", name, site, now)

    def revoke_display(self, name: str, now: datetime) -> bool:
        return self._revoke_key("displays", name, now)

    def displays(self) -> list[dict[str, Any]]:
        return self._rows("select name, site, created_at, revoked_at from displays order by name")

    def display_site(self, key: str) -> str | None:
        """The site a working display key may read, else None."""
        rows = self._rows(
            "select site from displays where key_hash = ? and revoked_at is null", [hash_key(key)]
        )
        return rows[0]["site"] if rows else None

    # Only these columns ever leave for a display: no first name, phone or note.
    # (printed_ticket, where the hub gave a request another number than the one
    # on its slip, is read when the database has it: the slip's picture follows it.)
    # (called_by_name: the caller's display name, "" when they have none: an
    # account's own name, often "surname.name", is never what a display shows.)
    _DISPLAY_BASE = (
        "id, ticket, status, desk, called_by, called_at, call_count, issued_at, received_at, "
        "coalesce((select v.display_name from volunteers v where v.name = called_by), '') "
        "as called_by_name"
    )

    @property
    def _DISPLAY_COLUMNS(self) -> str:  # noqa: N802
        with self._lock:
            columns = {c.name for c in self._db["help_requests"].columns}
        extra = ", printed_ticket" if "printed_ticket" in columns else ""
        return self._DISPLAY_BASE + extra

    def display_calls(self, site: str, since: datetime, limit: int) -> list[dict[str, Any]]:
        """The latest calls at `site` since `since`, newest first (no personal data)."""
        return self._rows(
            f"select {self._DISPLAY_COLUMNS} from help_requests where site = ? "
            "and called_at is not null and called_at >= ? order by called_at desc, id desc limit ?",
            [site, _iso(since), limit],
        )

    def display_waiting(self, site: str, limit: int) -> list[dict[str, Any]]:
        """The next waiting tickets at `site`, in the order they will be called."""
        return self._rows(
            f"select {self._DISPLAY_COLUMNS} from help_requests where site = ? and status = ? "
            "order by waiting_since, id limit ?",
            [site, RequestStatus.WAITING.value, limit],
        )

    def display_request(self, site: str, request_id: int) -> dict[str, Any] | None:
        rows = self._rows(
            f"select {self._DISPLAY_COLUMNS} from help_requests where site = ? and id = ?",
            [site, request_id],
        )
        return rows[0] if rows else None

    def close_past_days(self, site: str, now: datetime, day_starts_hour: int) -> int:
        """Open requests from before today's start (in `now`'s time zone: the hub's
        clock tells the hub's) are closed: the resident has long gone (or the
        terminal was switched off mid-flow). Returns how many were closed; they
        show as cancelled by "day closed". One stamped while the hub's clock read
        before 2000 (not set yet) has no day anyone knows: volunteers close it."""
        local = now if now.tzinfo is not None else now.astimezone()
        day = ticket_day(local, day_starts_hour)
        start = datetime.combine(day, dtime(hour=day_starts_hour), tzinfo=local.tzinfo)
        open_states = [s.value for s in RequestStatus if s.open]
        with self._tx() as db:
            # Each one's history says so (cancelled by "day closed").
            db.execute(
                "insert into help_request_events (request_id, site, ticket, at, volunteer, "
                "action, from_status, to_status) select id, site, ticket, ?, ?, ?, status, ? "
                "from help_requests where site = ? and status in (?, ?, ?) and received_at < ?",
                [
                    _iso(now),
                    DAY_CLOSED,
                    Action.CANCEL.value,
                    RequestStatus.CANCELLED.value,
                    site,
                    *open_states,
                    _iso(start),
                ],
            )
            cur = db.execute(
                "update help_requests set status = ?, finished_at = ?, updated_by = ?, "
                "closed_by = ? where site = ? and status in (?, ?, ?) and received_at < ? "
                "and received_at >= ?",
                [
                    RequestStatus.CANCELLED.value,
                    _iso(now),
                    DAY_CLOSED,
                    DAY_CLOSED,
                    site,
                    *open_states,
                    _iso(start),
                    NO_DAY_BEFORE,
                ],
            )
            if cur.rowcount:
                db["audit"].insert(
                    {
                        "at": _iso(now),
                        "who": DAY_CLOSED,
                        "action": AuditAction.REQUEST_DAY_CLOSED.value,
                        "target": site,
                        "detail": json.dumps({"site": site, "requests": cur.rowcount}),
                    }
                )
            return cur.rowcount

    def sites_with_open_requests(self) -> list[str]:
        open_states = [s.value for s in RequestStatus if s.open]
        rows = self._rows(
            "select distinct site from help_requests where status in (?, ?, ?) order by site",
            open_states,
        )
        return [r["site"] for r in rows]

    # ---- the hub's own clock (kiosk/hub/fleet/clock_check.py) ---------------------

    def clock_state(self) -> dict[str, Any]:
        rows = self._rows("select state from hub_clock where id = 1")
        try:
            state = json.loads(rows[0]["state"]) if rows else {}
        except ValueError:
            return {}
        return state if isinstance(state, dict) else {}

    def save_clock_state(self, state: dict[str, Any]) -> None:
        with self._tx() as db:
            db["hub_clock"].upsert({"id": 1, "state": json.dumps(state)}, pk="id")

    def oldest_waiting(self, site: str) -> int | None:
        rows = self._rows(
            "select id from help_requests where site = ? and status = ? "
            "order by waiting_since, id limit 1",
            [site, RequestStatus.WAITING.value],
        )
        return rows[0]["id"] if rows else None

    def set_note(
        self, request_id: int, note: str, volunteer: Volunteer, now: datetime
    ) -> dict[str, Any]:
        """Write a request's note; a changed note is a line in its history (who and
        when, never the note's words: the history outlives the personal data)."""
        with self._tx() as db:
            rows = list(
                db.query(
                    "select * from help_requests where id = ? and site = ?",
                    [request_id, volunteer.site],
                )
            )
            if not rows:
                raise StoreError(404, "no such request")
            db.execute(
                "update help_requests set note = ?, updated_by = ? where id = ?",
                [note, volunteer.name, request_id],
            )
            if (rows[0]["note"] or "") != note:
                db["help_request_events"].insert(
                    {
                        "request_id": request_id,
                        "site": volunteer.site,
                        "ticket": rows[0]["ticket"],
                        "at": _iso(now),
                        "volunteer": volunteer.name,
                        "action": NOTE_EVENT,
                        "from_status": rows[0]["status"],
                        "to_status": rows[0]["status"],
                    }
                )
            return next(db.query("select * from help_requests where id = ?", [request_id]))

    # ---- privacy ----------------------------------------------------------

    def purge_personal_data(self, now: datetime, days: int) -> int:
        """Blank names, phones and notes of closed requests older than `days` (by
        when they came or were closed, the earlier: one stamped by a clock far
        ahead still goes); drop expired sessions. Returns how many requests were
        blanked. A request still open keeps them (the resident may be in the
        room; the day's closing closes it first)."""
        cutoff = _iso(now - timedelta(days=days))
        open_states = [s.value for s in RequestStatus if s.open]
        with self._tx() as db:
            cur = db.execute(
                "update help_requests set first_name = '', phone = '', note = '' "
                "where min(received_at, coalesce(finished_at, received_at)) < ? "
                "and (first_name != '' or phone != '' or note != '') "
                f"and status not in ({', '.join('?' for _ in open_states)})",
                [cutoff, *open_states],
            )
            db.execute("delete from sessions where expires_at < ?", [_iso(now)])
            db.execute(
                "delete from login_throttle where next_try_at < ?",
                [_iso(now - timedelta(days=1))],
            )
            return cur.rowcount

    # ---- fleet status (no personal data in any of these tables) -----------

    def record_heartbeat(
        self, terminal: str, site: str, status: dict[str, Any], received_at: datetime, via: str = ""
    ) -> None:
        row = {k: status.get(k) for k in HEARTBEAT_FIELDS}
        for k, v in row.items():  # the API refuses these; nothing else may store them either
            if isinstance(v, float) and not math.isfinite(v):
                row[k] = None
        row.update(terminal=terminal, site=site, via=via, received_at=_iso(received_at))
        hour = received_at.astimezone(UTC).strftime("%Y-%m-%dT%H")
        with self._tx() as db:
            db["heartbeats"].upsert(row, pk="terminal")
            db.execute(
                "insert or ignore into heard_hours (terminal, site, hour) values (?, ?, ?)",
                [terminal, site, hour],
            )

    def record_usage(self, terminal: str, rows: list[dict[str, Any]], now: datetime) -> None:
        """Absolute totals per day and service: storing the same totals twice changes nothing."""
        cols = ", ".join(USAGE_COUNTS)
        changed = " or ".join(f"{c} != excluded.{c}" for c in USAGE_COUNTS)
        sql = (
            f"insert into usage (day, terminal, service, {cols}, updated_at) "
            f"values (?, ?, ?, {', '.join('?' for _ in USAGE_COUNTS)}, ?) "
            "on conflict (day, terminal, service) do update set "
            + ", ".join(f"{c} = excluded.{c}" for c in USAGE_COUNTS)
            + f", updated_at = excluded.updated_at where {changed}"
        )
        with self._tx() as db:
            for r in rows:
                db.execute(
                    sql,
                    [
                        r["day"],
                        terminal,
                        r["service"] or "",
                        *(int(r.get(c) or 0) for c in USAGE_COUNTS),
                        _iso(now),
                    ],
                )

    def record_voice(
        self, terminal: str, site: str, rows: list[dict[str, Any]], now: datetime
    ) -> None:
        """A terminal's narration counts since its start, per language (replacing the
        last). What grew since the last report is added to today's lines (a count
        that went down means the terminal started again: all of it is new). The
        day is `now`'s in its own time zone (the hub's clock tells the hub's)."""
        day = now.date().isoformat()
        with self._tx() as db:
            for r in rows:
                human, total = int(r["human"]), int(r["total"])
                last = list(
                    db.query(
                        "select human, total from voice_played where terminal = ? and lang = ?",
                        [terminal, r["lang"]],
                    )
                )
                d_human, d_total = human, total
                if last and total >= last[0]["total"] and human >= last[0]["human"]:
                    d_human, d_total = human - last[0]["human"], total - last[0]["total"]
                if d_total > 0:
                    db.execute(
                        "insert into voice_daily (day, terminal, site, lang, human, total) "
                        "values (?, ?, ?, ?, ?, ?) on conflict (day, terminal, lang) do update "
                        "set human = human + excluded.human, total = total + excluded.total",
                        [day, terminal, site, r["lang"], d_human, d_total],
                    )
                db["voice_played"].upsert(
                    {
                        "terminal": terminal,
                        "site": site,
                        "lang": r["lang"],
                        "human": int(r["human"]),
                        "total": int(r["total"]),
                        "updated_at": _iso(now),
                    },
                    pk=("terminal", "lang"),
                )

    def voice_by_site(self) -> list[dict[str, Any]]:
        """Narration lines played (by a human voice, in all) per site and language."""
        return self._rows(
            "select site, lang, sum(human) as human, sum(total) as total from voice_played "
            "group by site, lang order by site, lang"
        )

    def read(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a read-only query (the impact report's figures)."""
        return self._rows(sql, params)

    def heartbeats(self) -> list[dict[str, Any]]:
        return self._rows("select * from heartbeats order by site, terminal")

    def usage_rows(
        self, since_day: str = "", changed_since: datetime | None = None
    ) -> list[dict[str, Any]]:
        sql = f"select day, terminal, service, {', '.join(USAGE_COUNTS)} from usage where day >= ?"
        params: list[Any] = [since_day]
        if changed_since is not None:
            sql += " and updated_at > ?"
            params.append(_iso(changed_since))
        return self._rows(sql + " order by day, terminal, service", params)

    def usage_by_service(self) -> list[dict[str, Any]]:
        """All-time totals per service, for the Prometheus counters."""
        return self._rows(
            "select service, sum(opened) as opened, sum(printed) as printed, sum(help) as help "
            "from usage group by service order by service"
        )

    def waiting_by_site(self) -> dict[str, int]:
        rows = self._rows(
            "select site, count(*) as n from help_requests where status = ? group by site",
            [RequestStatus.WAITING.value],
        )
        return {r["site"]: r["n"] for r in rows}

    def call_waits(self) -> list[float]:
        """Seconds each called or served request waited (to its latest call)."""
        rows = self._rows(
            "select waiting_since, coalesce(called_at, serving_at) as answered from help_requests "
            "where coalesce(called_at, serving_at) is not null"
        )
        return [
            max(0.0, (_parse(r["answered"]) - _parse(r["waiting_since"])).total_seconds())  # type: ignore[operator]
            for r in rows
        ]

    # ---- recorded voices (no personal data beyond the volunteer's name) ----

    def add_recording(
        self, row: dict[str, Any], now: datetime, quota_bytes: int | None = None
    ) -> dict[str, Any]:
        """Store a recording whose audio file is already complete; returns the row.
        With `quota_bytes`, StoreError 413 when the recorder's recordings would
        take more (checked and stored in one transaction)."""
        data = {
            **row,
            "created_at": _iso(now),
            "status": "recorded",
            "reviewed_by": "",
            "reviewed_at": None,
        }
        with self._tx() as db:
            if quota_bytes is not None:
                used = self._recording_bytes(db, row["by"])
                if used + int(row.get("bytes") or 0) > quota_bytes:
                    raise StoreError(413, quota_message(used, quota_bytes))
            rid = db["recordings"].insert(data).last_pk
            return next(db.query("select * from recordings where id = ?", [rid]))

    @staticmethod
    def _recording_bytes(db: Database, by: str) -> int:
        return next(
            db.query("select coalesce(sum(bytes), 0) as n from recordings where by = ?", [by])
        )["n"]

    def recording_bytes(self, by: str) -> int:
        """Disk the recordings made by `by` take."""
        with self._lock:
            return self._recording_bytes(self._db, by)

    def recordings(self, lang: str | None = None, site: str | None = None) -> list[dict[str, Any]]:
        """Every recording (of one language; one site's and those of every site),
        newest first."""
        sql, params = "select * from recordings where 1", []
        if lang is not None:
            sql, params = sql + " and lang = ?", [*params, lang]
        if site is not None:
            sql, params = sql + " and site in (?, '')", [*params, site]
        return self._rows(sql + " order by created_at desc, id desc", params)

    def recording(self, recording_id: int, site: str | None = None) -> dict[str, Any] | None:
        """One recording; with `site`, only when it belongs to that site (or every site)."""
        rows = self._rows("select * from recordings where id = ?", [recording_id])
        if rows and site is not None and rows[0]["site"] not in (site, ""):
            return None
        return rows[0] if rows else None

    def review_recording(
        self, recording_id: int, status: str, by: str, now: datetime, site: str | None = None
    ) -> dict[str, Any]:
        """Approve or reject a recording (with `site`: only one of that site or of
        every site); approving one rejects nothing else (the newest approved
        recording of a text is the one exported)."""
        if status not in ("approved", "rejected"):
            raise ValueError(status)
        where, params = ("id = ?", [recording_id])
        if site is not None:
            where, params = ("id = ? and site in (?, '')", [recording_id, site])
        with self._tx() as db:
            cur = db.execute(
                f"update recordings set status = ?, reviewed_by = ?, reviewed_at = ? where {where}",
                [status, by, _iso(now), *params],
            )
            if cur.rowcount == 0:
                raise StoreError(404, f"no recording {recording_id}")
            return next(db.query("select * from recordings where id = ?", [recording_id]))
