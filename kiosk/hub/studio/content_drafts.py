"""The content studio's draft: a working copy of the content source on the hub,
with every save recorded (who, when, a readable diff), any earlier version of a
file restorable, and conflicting saves refused instead of overwritten.

Admins edit a file as plain JSON (what the web editor shows); `merge_toml`
writes that back into the file's TOML document with tomlkit, so comments,
key order and layout that the admin did not touch stay as they were.

History lives in its own SQLite file beside the draft. Nothing here knows
HTTP; kiosk/hub/content_studio.py is the web side.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import tomlkit
from sqlite_utils import Database, Migrations
from tomlkit.container import OutOfOrderTableProxy
from tomlkit.items import AoT, Table

from kiosk.core.content import limits
from kiosk.core.content.loader import Problem, check_bundle
from kiosk.core.content.provenance import report as provenance_report
from kiosk.hub.fields import shown
from kiosk.hub.web.errors import told

migrations = Migrations("content-studio")

# What an admin may edit, by folder: the content source's TOML files.
EDITABLE = re.compile(
    r"^(bundle|groups|strings)\.toml$|^(services|sites)/[a-z0-9][a-z0-9-]{0,62}\.toml$"
)
MAX_FILE_BYTES = 256 * 1024  # the largest default content file is ~12 kB
MAX_DEPTH = 6  # document, steps, a step, its choices, a choice, a label, its text
HISTORY_LIMIT = 200
TYPING_SESSION = timedelta(minutes=3)


@migrations()
def m001_versions(db: Database) -> None:
    db["versions"].create(
        {
            "id": int,
            "path": str,  # inside the content source, e.g. services/id-card.toml
            "revision": int,  # 0: the file as it was before the studio first changed it
            "author": str,
            "at": str,  # hub clock, ISO
            "action": str,  # original, save, restore, publish, voice (approved recordings)
            "note": str,
            "text": str,  # the whole file after this change
            "diff": str,  # unified diff from the revision before
        },
        pk="id",
        not_null={"path", "revision", "author", "at", "action", "text"},
    )
    db["versions"].create_index(["path", "revision"], unique=True)
    db["publishes"].create(
        {"id": int, "author": str, "at": str, "bundle_version": int, "result": str}, pk="id"
    )


def seed_dir(settings: Mapping[str, Any]) -> Path:
    """The content folder the draft is first copied from (hub.content_source)."""
    from kiosk.paths import DEFAULT_CONTENT

    configured = settings["hub.content_source"]
    return Path(os.path.expanduser(configured)) if configured else DEFAULT_CONTENT


def draft_dir(data_dir: Path) -> Path:
    """Where the hub keeps its draft: the one content both studios work on."""
    return Path(data_dir) / "studio" / "content"


def hub_content_dir(settings: Mapping[str, Any], data_dir: Path) -> Path:
    """The hub's content, the one source of truth: the studios' draft once the hub
    has made it, before that the folder it will be copied from."""
    draft = draft_dir(data_dir)
    return draft if (draft / "bundle.toml").exists() else seed_dir(settings)


class DraftError(Exception):
    """A save or restore that cannot be done; `code` is the HTTP status to answer with."""

    def __init__(self, code: int, message: str, detail: dict[str, Any] | None = None):
        self.code = code
        self.detail = detail or {}
        super().__init__(message)


@dataclass(frozen=True)
class Saved:
    path: str
    revision: int
    diff: str


def file_kind(path: str) -> str:
    """service, site, groups, strings or bundle."""
    if path.startswith("services/"):
        return "service"
    if path.startswith("sites/"):
        return "site"
    return path.removesuffix(".toml")


def check_path(path: str) -> str:
    if not isinstance(path, str) or not EDITABLE.match(path):
        raise DraftError(404, f"{shown(path)} is not a content file the studio edits")
    return path


# ---- TOML kept round-trip --------------------------------------------------------


def plain(value: Any) -> Any:
    """A tomlkit document or value as JSON-safe Python (dates as ISO strings)."""
    if hasattr(value, "unwrap"):
        value = value.unwrap()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _check_json(value: Any, depth: int = 0) -> None:
    """Only what TOML content holds: tables, lists, strings, numbers, booleans."""
    if depth > MAX_DEPTH:
        raise DraftError(422, "the data is nested too deeply")
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str) or not k or len(k) > 64:
                raise DraftError(422, f"bad key {shown(k)}")
            _check_json(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _check_json(v, depth + 1)
    elif value is None:
        raise DraftError(422, "empty values are not allowed; remove the key instead")
    elif not isinstance(value, str | int | float | bool):
        raise DraftError(422, f"unsupported value {shown(value)}")
    elif not isinstance(value, bool | str) and not abs(value) <= limits.MAX_NUMBER:
        raise DraftError(422, limits.number_problem(value))


def _check_types(path: str, data: Mapping[str, Any]) -> None:
    """The checks the validator makes before reading a file (types of the keys it
    knows, lengths, numbers), made at save: a file of the wrong shape is refused
    with every problem named, and the draft keeps what it had."""
    found = [
        Problem(path, key, "", message) for key, message in limits.doc_problems(path, dict(data))
    ]
    if found:
        named = [str(p) for p in found]
        raise DraftError(
            422,
            f"not saved: {named[0]}" + (f" (and {len(named) - 1} more)" if len(named) > 1 else ""),
            {
                "problems": [
                    {"file": path, "item": p.item, "message": p.message, "text": str(p), **told(p)}
                    for p in found
                ]
            },
        )


def _scalar(old: Any, new: Any) -> Any:
    """The TOML item for `new`, keeping the old one's kind (date, multi-line string)."""
    if isinstance(old, date) and isinstance(new, str):
        try:
            return date.fromisoformat(new)
        except ValueError:
            return new  # the validator names it
    if isinstance(old, str) and isinstance(new, str) and "\n" in new:
        return tomlkit.string(new, multiline=True)
    return new


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _typed(key: str, value: Any) -> Any:
    """JSON has no dates: a source's `checked` day comes as "2026-11-29" and goes
    back into the file as a TOML date, as the content files write it."""
    if key == "checked" and isinstance(value, str) and _DAY.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value  # the validator names it
    return value


def _same(old: Any, new: Any) -> bool:
    return plain(old) == plain(new)


def merge_toml(container: Any, new: Mapping[str, Any], parent: Any = None, name: str = "") -> None:
    """Make the tomlkit table `container` equal to `new`, changing only what differs.
    `parent[name]` is `container` when it is a table inside another."""
    for key in [k for k in container if k not in new]:
        del container[key]
        if parent is not None and isinstance(container, OutOfOrderTableProxy):
            # A table written as dotted keys (title.az = …) is a proxy that goes stale
            # once one of its keys is deleted (tomlkit): take it afresh.
            if name not in parent:
                parent[name] = tomlkit.table()
            container = parent[name]
    for key, value in new.items():
        value = _typed(key, value)
        if key not in container:
            _add(container, key, value)
            continue
        old = container[key]
        if _same(old, value):
            continue
        if isinstance(value, dict) and isinstance(old, dict):
            merge_toml(old, value, container, key)
        elif (
            isinstance(old, AoT)
            and isinstance(value, list)
            and all(isinstance(v, dict) for v in value)
        ):
            _merge_aot(old, value)
        else:
            container[key] = _scalar(plain(old), value)


def _add(container: Any, key: str, value: Any) -> None:
    """A new key, written the way the content files write them."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        aot = tomlkit.aot()
        for v in value:
            aot.append(_new_table(v))
        container[key] = aot
    elif isinstance(value, dict) and all(not isinstance(v, dict | list) for v in value.values()):
        # title.az = "..." style, as every text in the content is written
        if isinstance(container, Table | tomlkit.TOMLDocument):
            for sub, v in value.items():
                container.append(tomlkit.key([key, sub]), _typed(sub, v))
        else:
            container[key] = {sub: _typed(sub, v) for sub, v in value.items()}
    elif isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        # tables of tables ([sources.KEY], [places.KEY]) as the content files write them
        outer = tomlkit.table(is_super_table=True)
        for sub, v in value.items():
            outer.append(sub, _new_table(v))
        container[key] = outer
    else:
        container[key] = value


def _new_table(value: Mapping[str, Any]) -> Table:
    table = tomlkit.table()
    for k, v in value.items():
        _add(table, k, _typed(k, v))
    return table


def _merge_aot(old: AoT, new: list[dict[str, Any]]) -> None:
    """Make the array of tables `old` equal to `new`, in place. Tables are matched by
    their id (or by position when they have none), so an edit or a reorder keeps
    each table's own comments and blank lines."""
    by_id = {t.get("id"): t for t in old if isinstance(t.get("id"), str)}
    unused = [t for t in old if not isinstance(t.get("id"), str)]
    tables = []
    for value in new:
        vid = value.get("id")
        table = by_id.pop(vid, None) if isinstance(vid, str) else None
        if table is None and not isinstance(vid, str) and unused:
            table = unused.pop(0)
        if table is None:
            table = _new_table(value)
        else:
            merge_toml(table, value)
        tables.append(table)
    if [id(t) for t in tables] != [id(t) for t in old]:
        while len(old):
            del old[0]
        for table in tables:
            old.append(table)


# ---- the draft and its history --------------------------------------------------------


class Draft:
    """The hub's working copy of the content source, and the history of every change."""

    def __init__(self, root: Path, db_path: Path, seed: Path):
        self.root = Path(root)
        # One lock for the files and the database: FastAPI calls from its thread pool.
        self._lock = threading.RLock()
        if not (self.root / "bundle.toml").exists():
            if self.root.exists() and any(self.root.iterdir()):
                raise DraftError(500, f"{self.root} is not empty and has no bundle.toml")
            self.root.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(dir=self.root.parent, prefix=".draft-"))
            shutil.copytree(seed, tmp, dirs_exist_ok=True)
            if self.root.exists():
                self.root.rmdir()
            os.replace(tmp, self.root)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(db_path), check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        self.db = Database(conn)
        with self._lock:
            migrations.apply(self.db)

    def close(self) -> None:
        with self._lock:
            self.db.close()

    # ---- reading ----------------------------------------------------------------

    def paths(self) -> list[str]:
        out = []
        for path in sorted(self.root.rglob("*.toml")):
            rel = path.relative_to(self.root).as_posix()
            if EDITABLE.match(rel):
                out.append(rel)
        return out

    def revision(self, path: str) -> int:
        with self._lock:
            row = self.db.execute(
                "select max(revision) from versions where path = ?", [path]
            ).fetchone()
        return row[0] if row and row[0] is not None else 0

    def text(self, path: str) -> str:
        try:
            return (self.root / check_path(path)).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise DraftError(404, f"{path} does not exist") from None

    def read(self, path: str) -> dict[str, Any]:
        """The file as plain data, with the revision a save must name."""
        text = self.text(path)
        try:
            data = plain(tomlkit.parse(text))
        except tomlkit.exceptions.ParseError as exc:
            data = None
            error = str(exc)
        else:
            error = ""
        return {
            "path": path,
            "kind": file_kind(path),
            "revision": self.revision(path),
            "data": data,
            "parse_error": error,
        }

    def problems(self, allowlist: list[str] | tuple[str, ...], today: date) -> list[Problem]:
        """What `kiosk content validate` says about the draft on `today`."""
        with self._lock:
            bundle, problems = check_bundle(self.root, allowlist, today=today)
        return problems

    def sources(self, allowlist: list[str] | tuple[str, ...], today: date) -> dict[str, Any]:
        """What `kiosk content sources` says about the draft: every source and its
        date, unconfirmed items, what to recheck (a draft with problems too)."""
        with self._lock:
            bundle, problems = check_bundle(self.root, allowlist, draft=True, today=today)
        if bundle is None:
            return {"today": today.isoformat(), "files": [], "totals": {}, "unreadable": True}
        return provenance_report(bundle, today)

    def snapshot(self, dest: Path) -> None:
        """Copy the draft as it is now (for rendering while admins go on saving, and
        to publish). A symbolic link stays one, so publishing refuses it: copied as a
        file it would put whatever it points at (any file the hub can read) into
        the bundle every terminal downloads."""
        with self._lock:
            shutil.copytree(self.root, dest, symlinks=True, ignore=shutil.ignore_patterns(".*"))

    # ---- changing ---------------------------------------------------------------

    def save(
        self, path: str, data: Mapping[str, Any], base_revision: int, author: str, now: datetime
    ) -> Saved:
        """Write `data` into the file (comments kept); refused when someone saved since."""
        check_path(path)
        if not isinstance(data, dict):
            raise DraftError(422, "the file's data must be a table")
        _check_json(data)
        _check_types(path, data)
        with self._lock:
            self._check_base(path, base_revision)
            old_text = self.text(path)
            try:
                doc = tomlkit.parse(old_text)
            except tomlkit.exceptions.ParseError as exc:
                raise DraftError(409, f"{path} is not valid TOML on the hub: {exc}") from None
            kept = set(doc) & set(data)
            if len(doc) and not kept:
                # PUT would empty the file; the studio has no "delete a file", so a save
                # that keeps none of its entries is a mistake (an empty or wrong body).
                raise DraftError(
                    422,
                    f"not saved: the data keeps none of the entries of {path}, so it would "
                    "empty the file; nothing was changed",
                )
            merge_toml(doc, data)
            return self._write(path, old_text, tomlkit.dumps(doc), author, now, "save", "")

    def restore(
        self, path: str, revision: int, base_revision: int, author: str, now: datetime
    ) -> Saved:
        """Make the file what it was at `revision` (0: before the studio changed it)."""
        check_path(path)
        with self._lock:
            self._check_base(path, base_revision)
            row = self._version(path, revision)
            if row is None:
                raise DraftError(404, f"{path} has no version {revision}")
            return self._write(
                path,
                self.text(path),
                row["text"],
                author,
                now,
                "restore",
                f"restored version {revision}",
            )

    def set_bundle_version(self, version: int, author: str, now: datetime) -> None:
        """bundle.toml's version, raised before a publish (recorded like any save)."""
        with self._lock:
            old_text = self.text("bundle.toml")
            doc = tomlkit.parse(old_text)
            if doc.get("version") == version:
                return
            doc["version"] = version
            self._write(
                "bundle.toml",
                old_text,
                tomlkit.dumps(doc),
                author,
                now,
                "publish",
                f"version {version} for publishing",
            )

    def locked(self) -> threading.RLock:
        """Hold it to read and write several files with no save in between (`with draft.locked():`)."""
        return self._lock

    def write_text(self, path: str, text: str, author: str, now: datetime, note: str) -> Saved:
        """A whole new text for a file, from the hub itself (approved voices written
        in): recorded in the history like a save, so an admin's older page conflicts
        instead of undoing it."""
        check_path(path)
        with self._lock:
            return self._write(path, self.text(path), text, author, now, "voice", note)

    def record_publish(self, author: str, now: datetime, version: int, result: str) -> None:
        with self._lock, self.db.conn:
            self.db["publishes"].insert(
                {
                    "author": author,
                    "at": now.isoformat(),
                    "bundle_version": version,
                    "result": result,
                }
            )

    def last_publish(self) -> dict[str, Any] | None:
        return self._first("select * from publishes where result = 'published' order by id desc")

    def history(self, path: str | None = None, limit: int = HISTORY_LIMIT) -> list[dict[str, Any]]:
        """Changes, newest first (who, when, what), without the whole file texts."""
        where, params = ("where path = ?", [path]) if path else ("", [])
        with self._lock:
            return list(
                self.db.query(
                    "select id, path, revision, author, at, action, note, diff from versions "
                    f"{where} order by id desc limit ?",
                    [*params, limit],
                )
            )

    def changes_since(self, at: str | None) -> int:
        """Saves since a time (the last publish); all saves when None."""
        sql = "select count(*) from versions where action in ('save', 'restore', 'voice')"
        params: list[Any] = []
        if at:
            sql += " and at > ?"
            params.append(at)
        with self._lock:
            return self.db.execute(sql, params).fetchone()[0]

    # ---- inside -------------------------------------------------------------------

    def _version(self, path: str, revision: int) -> dict[str, Any] | None:
        return self._first(
            "select * from versions where path = ? and revision = ?", [path, revision]
        )

    def _first(self, sql: str, params: list[Any] | None = None) -> dict[str, Any] | None:
        with self._lock:
            rows = list(self.db.query(sql + " limit 1", params or []))
        return rows[0] if rows else None

    def _check_base(self, path: str, base_revision: int) -> None:
        current = self.revision(path)
        if base_revision == current:
            return
        newer = [h for h in self.history(path, 20) if h["revision"] > base_revision]
        who = ", ".join(sorted({h["author"] for h in newer})) or "someone"
        last = newer[0]["at"] if newer else ""
        raise DraftError(
            409,
            f"{path} was changed by {who} (at {last}) after you opened it; "
            "your change was not saved. Reload to see their change, then make yours again.",
            {
                "current_revision": current,
                "changes": [
                    {k: h[k] for k in ("revision", "author", "at", "action", "diff")} for h in newer
                ],
            },
        )

    def _typing_session(
        self, path: str, current: int, author: str, now: datetime, action: str
    ) -> dict[str, Any] | None:
        """The version before the latest, when the latest is this admin's save of a few
        minutes ago (to fold the new save into it); else None."""
        latest = self._version(path, current) if current else None
        if action != "save" or latest is None or latest["action"] != "save":
            return None
        if latest["author"] != author:
            return None
        if now - datetime.fromisoformat(latest["at"]) > TYPING_SESSION:
            return None
        published = self.last_publish()
        if published is not None and published["at"] >= latest["at"]:
            return None
        return self._first(
            "select revision, text from versions where path = ? and revision < ? "
            "order by revision desc",
            [path, current],
        )

    def _write(
        self,
        path: str,
        old_text: str,
        new_text: str,
        author: str,
        now: datetime,
        action: str,
        note: str,
    ) -> Saved:
        if len(new_text.encode()) > MAX_FILE_BYTES:
            raise DraftError(413, f"{path} would be larger than {MAX_FILE_BYTES // 1024} kB")
        current = self.revision(path)
        diff = _diff(path, old_text, new_text, current, current + 1)
        if not diff:
            return Saved(path, current, "")
        # Saves come as an admin types: one admin's saves in a row, within a few
        # minutes and with no publish between, are one change in the history.
        # The revision still goes up, so anybody else's older page still conflicts.
        replaced = self._typing_session(path, current, author, now, action)
        if replaced is not None:
            diff = _diff(path, replaced["text"], new_text, replaced["revision"], current + 1)
        with self.db.conn:
            if replaced is not None and diff:
                self.db.execute(
                    "delete from versions where path = ? and revision = ?", [path, current]
                )
            if current == 0 and self._version(path, 0) is None:
                self.db["versions"].insert(
                    {
                        "path": path,
                        "revision": 0,
                        "author": "",
                        "at": now.isoformat(),
                        "action": "original",
                        "note": "before the studio changed it",
                        "text": old_text,
                        "diff": "",
                    }
                )
            self.db["versions"].insert(
                {
                    "path": path,
                    "revision": current + 1,
                    "author": author,
                    "at": now.isoformat(),
                    "action": action,
                    "note": note,
                    "text": new_text,
                    "diff": diff,
                }
            )
            _write_atomic(self.root / path, new_text)
        return Saved(path, current + 1, diff)


def _diff(path: str, old: str, new: str, old_rev: int, new_rev: int) -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            f"{path} (version {old_rev})",
            f"{path} (version {new_rev})",
            n=1,
        )
    )


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
