"""Terminal side of remote content updates: check, download, verify, stage, switch.

The terminal trusts only the root metadata pinned in `updates.trusted_root`.
python-tuf's ngclient checks every signature against it, refuses metadata
older than what it has seen, notices expired metadata, and checks every file
against its signed length and sha256 before we use it. On top of that this
module refuses bundle file names that would leave the bundle folder, a bundle
whose own version is not above the installed one, and any bundle that does
not pass `check_bundle`.

Files on disk, under <data_dir>/content/:

    tuf/                  trusted metadata (ngclient's cache)
    staging/<tmp>/        a download in progress; thrown away if anything is wrong
    bundles/<v>-<hash>/   complete, checked bundles; never changed once here
    current -> bundles/…  the bundle the app loads (symlink, replaced atomically)
    previous -> bundles/… the one before, restored if the new one fails to load
    pending -> bundles/…  checked and waiting for the app to switch between residents
    state.json            last check, last error (for `kiosk doctor` and the hub)

The network is hostile and optional: nothing here may ever leave the terminal
without a loadable bundle, and nothing here imports Kivy.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import random
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from kiosk.core.content import limits
from kiosk.core.content.loader import check_bundle
from kiosk.core.content.publish import MANIFEST
from kiosk.core.settings import Settings
from kiosk.paths import DEFAULT_CONTENT, ROOT

log = logging.getLogger(__name__)

# A terminal on a slow rural link still gets ~4 kB/s; a server that is slower
# than that for a whole file is treated as hanging (a slow-drip attack).
MIN_BYTES_PER_SECOND = 4096


class UpdateStatus(StrEnum):
    UPDATED_STAGED = "updated_staged"  # a newer bundle is checked and waits for switch_pending()
    CURRENT = "current"  # the repository offers what is installed
    REFUSED = "refused"  # the repository offered something wrong; nothing changed
    UNREACHABLE = "unreachable"  # no answer, an error page or a timeout
    EXPIRED = "expired"  # signed metadata is past its date: stale or frozen server
    NOT_CONFIGURED = "not_configured"  # updates.repo_url is empty or no trusted root


@dataclass(frozen=True)
class UpdateResult:
    status: UpdateStatus
    reason: str = ""
    version: int | None = None  # bundle version staged (UPDATED_STAGED) or installed (CURRENT)
    source: str = ""  # repository URL the answer came from
    bytes_downloaded: int = 0
    files_downloaded: int = 0
    files_reused: int = 0  # files taken from installed bundles because their hash matched

    def __str__(self) -> str:
        if self.status == UpdateStatus.UPDATED_STAGED:
            return f"updated to version {self.version} (staged)"
        if self.status == UpdateStatus.CURRENT:
            return f"already current (version {self.version})"
        return f"{self.status.value}: {self.reason}"


@dataclass(frozen=True)
class UpdaterStatus:
    """What `kiosk doctor` shows and the hub heartbeat reports."""

    installed_version: int | None  # None: the default content that came with the software
    installed_dir: str
    pending_version: int | None
    last_check: str | None  # ISO time of the last check, whatever its outcome
    last_success: str | None  # ISO time the repository last answered with valid metadata
    last_result: str  # an UpdateStatus value, "" before the first check
    last_error: str  # "" when the last check and switch went well

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Refused(Exception):
    """A check ends with `status`. `release=True`: what the signed file list (and the
    files it pins by hash) holds is wrong, not the host that served it or the rest
    of the metadata, so the same list is not downloaded again."""

    def __init__(self, status: UpdateStatus, reason: str, *, release: bool = False):
        self.status = status
        self.reason = reason
        self.release = release
        super().__init__(reason)


def safe_bundle_path(rel: object) -> bool:
    """A file name that stays inside the bundle folder: relative, no '..', nothing hidden."""
    if not isinstance(rel, str) or not rel or len(rel) > 255:
        return False
    if rel.startswith("/") or "\\" in rel or "\x00" in rel or ":" in rel:
        return False
    parts = rel.split("/")
    return all(p and not p.startswith(".") for p in parts) and rel != MANIFEST


class _Deadline:
    """Cuts a connection whose answer has not arrived by a moment (time.monotonic()).

    A socket timeout only bounds each wait for one more byte, so a server that
    drips its headers a byte at a time would never time out. A timer shuts the
    socket down at the deadline instead: the blocked read wakes with an error,
    and `fired` tells that error apart from a server that closed by itself.
    """

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.fired = threading.Event()

    @contextmanager
    def watching(self, sock: socket.socket | None) -> Iterator[None]:
        def cut() -> None:
            self.fired.set()
            if sock is not None:
                with contextlib.suppress(OSError):
                    # socket.socket's own shutdown: an SSL socket's would also drop its TLS state
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

        timer = threading.Timer(max(0.0, self.deadline - time.monotonic()), cut)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()


class HttpFetcher:
    """ngclient's fetcher over urllib3, with no retries and a total deadline per file.

    Each fetch must connect and receive its response headers within `timeout`
    seconds (however slowly the bytes come), and the whole file within
    `timeout + max_length / MIN_BYTES_PER_SECOND`; no single wait for more bytes
    is longer than `timeout`. Counts bytes and requests, which status and the
    measurements report.
    """

    def __init__(self, timeout: float):
        import urllib3
        from tuf.ngclient.fetcher import FetcherInterface
        from urllib3.connection import HTTPConnection, HTTPSConnection
        from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

        fetcher = self

        class _Impl(FetcherInterface):
            def _fetch(self, url: str) -> Iterator[bytes]:
                return fetcher._fetch(url)

            @contextmanager
            def download_file(self, url: str, max_length: int) -> Iterator[IO]:
                fetcher._max_length = max_length
                try:
                    with super().download_file(url, max_length) as f:
                        yield f
                finally:
                    fetcher._max_length = None

        # The response headers are read in getresponse(): watched by the deadline.
        class _Http(HTTPConnection):
            def getresponse(self, *args: Any, **kwargs: Any) -> Any:
                with fetcher._headers_deadline.watching(self.sock):
                    return super().getresponse(*args, **kwargs)

        class _Https(HTTPSConnection):
            def getresponse(self, *args: Any, **kwargs: Any) -> Any:
                with fetcher._headers_deadline.watching(self.sock):
                    return super().getresponse(*args, **kwargs)

        class _HttpPool(HTTPConnectionPool):
            ConnectionCls = _Http

        class _HttpsPool(HTTPSConnectionPool):
            ConnectionCls = _Https

        self.timeout = timeout
        self.bytes = 0
        self.requests = 0
        self._deadline = 0.0
        self._headers_deadline = _Deadline(0.0)
        self._max_length: int | None = None
        self._pool = urllib3.PoolManager(retries=False)
        self._pool.pool_classes_by_scheme = {"http": _HttpPool, "https": _HttpsPool}
        self.tuf_fetcher = _Impl()

    def _fetch(self, url: str) -> Iterator[bytes]:
        import urllib3
        from tuf.api import exceptions

        self.requests += 1
        start = time.monotonic()
        self._headers_deadline = _Deadline(start + self.timeout)
        self._deadline = start + self.timeout + (self._max_length or 0) / MIN_BYTES_PER_SECOND
        try:
            response = self._pool.request(
                "GET",
                url,
                preload_content=False,
                timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout),
            )
        except urllib3.exceptions.HTTPError as exc:
            if self._headers_deadline.fired.is_set():
                raise exceptions.SlowRetrievalError(
                    f"{url} did not connect and send its headers within {self.timeout:g} s"
                ) from exc
            if isinstance(exc, urllib3.exceptions.NewConnectionError):  # a TimeoutError, too
                raise exceptions.DownloadError(f"cannot reach {url}: {exc}") from exc
            if isinstance(exc, urllib3.exceptions.TimeoutError):
                raise exceptions.SlowRetrievalError(f"no answer from {url}") from exc
            raise exceptions.DownloadError(f"cannot reach {url}: {exc}") from exc
        if self._headers_deadline.fired.is_set():  # cut just as the headers were complete
            response.close()
            raise exceptions.SlowRetrievalError(
                f"{url} did not connect and send its headers within {self.timeout:g} s"
            )
        if response.status >= 400:
            response.close()  # the error body is unread: this connection cannot be reused
            raise exceptions.DownloadHTTPError(
                f"{url} answered HTTP {response.status}", response.status
            )
        return self._chunks(response, url)

    def _chunks(self, response: Any, url: str) -> Iterator[bytes]:
        import urllib3
        from tuf.api import exceptions

        complete = False
        try:
            # read1, not stream(): stream() waits for a full chunk, so a server
            # dripping one byte at a time would never reach the deadline check.
            while chunk := response.read1(65536):
                self.bytes += len(chunk)
                yield chunk
                if time.monotonic() > self._deadline:
                    raise exceptions.SlowRetrievalError(f"{url} is sending too slowly")
            complete = True
        except urllib3.exceptions.TimeoutError as exc:
            raise exceptions.SlowRetrievalError(f"{url} stopped sending") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise exceptions.DownloadError(f"download of {url} broke off: {exc}") from exc
        finally:
            # A connection with unread bytes (refused mid-file) must not be reused.
            if complete:
                response.release_conn()
            else:
                response.close()


class ContentUpdater:
    """Keeps this terminal's content bundle up to date from the published repository.

    Thread use: `check_once()` runs on the polling thread (or the CLI);
    `switch_pending()` and `installed_dir()` on the app's thread between
    residents. A lock (and a file lock, for a CLI run beside the app) keeps
    them apart. `on_ready(result)` is called on the checking thread when a new
    bundle is staged: the app should hop to its own thread (Kivy Clock) and
    call `switch_pending()` when no resident is in a flow.
    """

    def __init__(
        self,
        settings: Settings,
        on_ready: Callable[[UpdateResult], None] | None = None,
        *,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] | None = None,
    ):
        self.settings = settings
        self.on_ready = on_ready
        self.home = settings.path("kiosk.data_dir") / "content"
        self._rng = rng or random.Random()
        self._clock = clock or (lambda: datetime.now(UTC))
        # Checks may take minutes on a slow link; the app must never wait for
        # one, so the check holds its own lock and the links are guarded apart.
        self._check_lock = threading.Lock()
        self._links_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._checked_dirs: dict[Path, int | None] = {}
        self._unsaved: dict[str, Any] = {}  # state the disk refused to take (full disk)

    # ---- paths -------------------------------------------------------------

    @property
    def factory_dir(self) -> Path:
        """Content that came with the software: used only when nothing was ever installed."""
        from kiosk.core.terminal import content_dir

        path = content_dir(self.settings)
        return path if path.is_dir() else DEFAULT_CONTENT

    def _trusted_root_path(self) -> Path:
        path = self.settings.path("updates.trusted_root")
        return path if path.is_absolute() else ROOT / path

    def _link(self, name: str) -> Path:
        return self.home / name

    def _target(self, name: str) -> Path | None:
        """Where the link `name` points, if it points at a bundle folder that exists."""
        link = self._link(name)
        try:
            target = link.parent / os.readlink(link)
        except OSError:
            return None
        return target.resolve() if target.is_dir() else None

    # ---- what the app loads -----------------------------------------------

    def installed_dir(self) -> Path:
        """The bundle the app should load: current, else previous, else the factory content.

        A current bundle that does not pass the checks is replaced by the
        previous one here, so a terminal that crashed mid-switch or whose disk
        went bad still starts with good content.
        """
        with self._locked("links"):
            for name in ("current", "previous"):
                target = self._target(name)
                if target is not None and self._loads(target):
                    if name == "previous":
                        try:
                            self._replace_link("current", target)
                        except OSError as exc:  # a full disk: load it, link it another time
                            log.warning("content updates: cannot relink current: %s", exc)
                        self._record(
                            last_error="installed bundle did not load; restored the previous one"
                        )
                    return target
            if self._target("current") is not None:
                self._record(last_error="no installed bundle loads; showing the default content")
            return self.factory_dir

    def installed_version(self) -> int | None:
        """Version of the installed bundle; None when the factory content is in use."""
        target = self._target("current")
        return _manifest_version(target) if target else None

    def pending(self) -> bool:
        """A checked newer bundle is waiting for `switch_pending()`."""
        return self._target("pending") is not None

    def pending_dir(self) -> Path | None:
        """The staged bundle's folder, to prepare (pre-render narration) before the switch."""
        return self._target("pending")

    def switch_pending(self, before_switch: Callable[[Path], None] | None = None) -> bool:
        """Make the staged bundle the installed one; True when it was switched in.

        Call between residents. `before_switch(path)` runs first (pre-render
        narration there); if it raises, the staged bundle is dropped and the
        current one stays. The switch itself is one atomic rename of the
        `current` link; the old bundle becomes `previous`.
        """
        with self._locked("links"):
            new = self._target("pending")
            if new is None:
                return False
            if not self._loads(new):
                self._unlink("pending")
                self._record(last_error=f"staged bundle {new.name} no longer loads; dropped")
                return False
            if before_switch is not None:
                try:
                    before_switch(new)
                except Exception as exc:  # the app's hook: any failure keeps the old content
                    self._unlink("pending")
                    self._record(last_error=f"preparing bundle {new.name} failed: {exc}")
                    return False
            old = self._target("current")
            try:
                if old is not None and old != new:
                    self._replace_link("previous", old)
                self._replace_link("current", new)  # the switch
            except OSError as exc:
                # No room for a new link (a full disk): `current` is unchanged, and the
                # staged bundle waits for the next switch.
                self._record(last_error=f"could not switch in bundle {new.name}: {exc}")
                return False
            self._unlink("pending")
            self._record(last_error="", installed_version=_manifest_version(new))
            self._collect_garbage()
            return True

    def restore_previous(self, reason: str) -> bool:
        """Go back to the previous bundle (the app could not load the current one)."""
        with self._locked("links"):
            old = self._target("previous")
            if old is None:
                return False
            try:
                self._replace_link("current", old)
            except OSError as exc:  # a full disk: installed_dir() falls back to it anyway
                self._record(last_error=f"could not restore the previous bundle: {exc}")
                return False
            self._unlink("previous")
            self._record(last_error=f"restored the previous bundle: {reason}")
            return True

    def status(self) -> UpdaterStatus:
        state = self._read_state()
        pending = self._target("pending")
        return UpdaterStatus(
            installed_version=self.installed_version(),
            installed_dir=str(self._target("current") or self.factory_dir),
            pending_version=_manifest_version(pending) if pending else None,
            last_check=state.get("last_check"),
            last_success=state.get("last_success"),
            last_result=state.get("last_result", ""),
            last_error=state.get("last_error", ""),
        )

    # ---- checking -----------------------------------------------------------

    def check_once(self) -> UpdateResult:
        """Ask the mirror (if any), then the main repository, for a newer bundle; stage it."""
        with self._locked("check"):
            result = self._check()
            now = self._clock().isoformat(timespec="seconds")
            # On success the reason is empty, or says the mirror failed: worth knowing too.
            fields: dict[str, Any] = {
                "last_check": now,
                "last_result": result.status.value,
                "last_error": result.reason,
            }
            if result.status in (UpdateStatus.UPDATED_STAGED, UpdateStatus.CURRENT):
                fields["last_success"] = now
            self._record(**fields)
        if result.status == UpdateStatus.UPDATED_STAGED and self.on_ready is not None:
            self.on_ready(result)
        return result

    def _check(self) -> UpdateResult:
        repo_url = self.settings["updates.repo_url"].strip()
        if not repo_url:
            return UpdateResult(UpdateStatus.NOT_CONFIGURED, "updates.repo_url is empty")
        root_path = self._trusted_root_path()
        try:
            root = root_path.read_bytes()
        except OSError:
            return UpdateResult(
                UpdateStatus.NOT_CONFIGURED,
                f"no trusted root at {root_path} (install 1.root.json from the publisher)",
            )
        self._clean_staging()
        sources = [u for u in (self.settings["updates.mirror_url"].strip(), repo_url) if u]
        failures: list[str] = []
        result = UpdateResult(UpdateStatus.UNREACHABLE, "no source")
        for i, url in enumerate(sources):
            result = self._check_source(url, root)
            if result.status in (UpdateStatus.UPDATED_STAGED, UpdateStatus.CURRENT):
                break
            label = "mirror" if i == 0 and len(sources) > 1 else "repository"
            failures.append(f"{label} {url}: {result.reason}")
        if failures:
            reason = "; ".join(failures)
            result = UpdateResult(
                result.status,
                reason,
                result.version,
                result.source,
                result.bytes_downloaded,
                result.files_downloaded,
                result.files_reused,
            )
        return result

    def _check_source(self, base_url: str, root: bytes) -> UpdateResult:
        from tuf.api import exceptions
        from tuf.ngclient import Updater

        base = base_url.rstrip("/")
        fetcher = HttpFetcher(float(self.settings["updates.timeout_seconds"]))
        meta_dir = self.home / "tuf"
        meta_dir.mkdir(parents=True, exist_ok=True)
        staging: Path | None = None
        release = ""  # the signed release being looked at, once known
        counts = {"downloaded": 0, "reused": 0}

        def done(status: UpdateStatus, reason: str = "", version: int | None = None):
            return UpdateResult(
                status,
                reason,
                version,
                base,
                fetcher.bytes,
                counts["downloaded"],
                counts["reused"],
            )

        try:
            updater = Updater(
                metadata_dir=str(meta_dir),
                metadata_base_url=f"{base}/metadata/",
                target_base_url=f"{base}/targets/",
                fetcher=fetcher.tuf_fetcher,
                bootstrap=root,
            )
            updater.refresh()
            info = updater.get_targetinfo(MANIFEST)
            if info is None:
                raise _Refused(UpdateStatus.REFUSED, f"the repository has no {MANIFEST}")
            current = self._target("current")
            installed = _manifest_version(current) if current else 0
            if current and updater.find_cached_target(info, str(current / MANIFEST)):
                return done(UpdateStatus.CURRENT, version=installed)
            pending = self._target("pending")
            if pending and updater.find_cached_target(info, str(pending / MANIFEST)):
                return done(UpdateStatus.UPDATED_STAGED, version=_manifest_version(pending))
            release = self._release_key(info.hashes.get("sha256", ""))
            refused = self._read_state().get("refused_release") or {}
            if isinstance(refused, dict) and refused.get("key") == release:
                return done(
                    UpdateStatus.REFUSED,
                    f"this release was refused before and is not downloaded again "
                    f"until it is published anew: {refused.get('reason', '')}",
                )
            if too_big := limits.size_problem(MANIFEST, info.length):
                raise _Refused(UpdateStatus.REFUSED, f"{MANIFEST} {too_big}", release=True)

            (self.home / "staging").mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=self.home / "staging"))
            updater.download_target(info, str(staging / MANIFEST))
            counts["downloaded"] += 1
            version, files = _read_manifest(staging / MANIFEST)
            if version <= (installed or 0):
                raise _Refused(
                    UpdateStatus.REFUSED,
                    f"offers bundle version {version}, not newer than the installed {installed}",
                )
            pilot = _pilot_sites(staging / MANIFEST)
            if pilot and self.settings["kiosk.site"] not in pilot:
                # A release for pilot sites only: this one stays on what it has until a
                # release for every site (a higher version) comes.
                return done(
                    UpdateStatus.CURRENT,
                    f"version {version} is a pilot for {', '.join(pilot)} only; "
                    f"site {self.settings['kiosk.site']} stays on its content",
                    version=installed or None,
                )
            infos = []
            for rel, listed in files.items():
                if not safe_bundle_path(rel):
                    raise _Refused(
                        UpdateStatus.REFUSED,
                        f"file name {rel!r} would leave the bundle folder",
                        release=True,
                    )
                ti = updater.get_targetinfo(rel)
                if ti is None:
                    # Not remembered: the signed targets may change under the same list.
                    raise _Refused(UpdateStatus.REFUSED, f"{rel} is listed but not signed")
                if not isinstance(listed, dict) or (
                    listed.get("length"),
                    listed.get("sha256"),
                ) != (ti.length, ti.hashes.get("sha256")):
                    raise _Refused(
                        UpdateStatus.REFUSED,
                        f"{rel}: the file list and the signed targets disagree",
                    )
                # Refused from the signed length, before a byte of it is downloaded.
                if too_big := limits.size_problem(rel, ti.length):
                    raise _Refused(UpdateStatus.REFUSED, f"{rel} {too_big}", release=True)
                infos.append(ti)
            if (total := sum(ti.length for ti in infos)) > limits.MAX_TOTAL_BYTES:
                raise _Refused(
                    UpdateStatus.REFUSED,
                    f"the bundle is {total} bytes; a bundle may be {limits.MAX_TOTAL_BYTES}",
                    release=True,
                )
            donors = [d for d in (current, self._target("previous"), self.factory_dir) if d]
            for ti in infos:
                dest = staging / ti.path
                dest.parent.mkdir(parents=True, exist_ok=True)
                if self._reuse(updater, ti, donors, dest):
                    counts["reused"] += 1
                    continue
                try:
                    updater.download_target(ti, str(dest))
                except (exceptions.RepositoryError, exceptions.DownloadError) as exc:
                    raise _explain(exc, ti.path, self._clock()) from exc
                counts["downloaded"] += 1
            try:
                bundle, problems = check_bundle(staging, self.settings["links.allowlist"])
            except Exception as exc:  # a gap in the checks refuses the bundle, never crashes
                raise _Refused(
                    UpdateStatus.REFUSED,
                    f"the new bundle could not be checked: {exc!r}",
                    release=True,
                ) from exc
            if bundle is None:
                shown = "; ".join(map(str, problems[:3]))
                raise _Refused(
                    UpdateStatus.REFUSED, f"the new bundle fails its checks: {shown}", release=True
                )
            if bundle.version != version:
                raise _Refused(
                    UpdateStatus.REFUSED,
                    f"bundle.toml says version {bundle.version}, the signed list says {version}",
                    release=True,
                )
            _fsync_tree(staging)
            final = self.home / "bundles" / f"{version}-{info.hashes['sha256'][:12]}"
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                shutil.rmtree(final)
            os.rename(staging, final)
            staging = None
            with self._locked("links"):
                self._replace_link("pending", final)
            self._checked_dirs[final.resolve()] = version
            return done(UpdateStatus.UPDATED_STAGED, version=version)
        except _Refused as exc:
            if exc.release and release:
                self._record(refused_release={"key": release, "reason": exc.reason})
            return done(exc.status, exc.reason)
        except (exceptions.RepositoryError, exceptions.DownloadError) as exc:
            refusal = _explain(exc, "", self._clock())
            return done(refusal.status, refusal.reason)
        except OSError as exc:
            return done(UpdateStatus.REFUSED, f"could not write on this terminal: {exc}")
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)

    def _release_key(self, manifest_sha256: str) -> str:
        """A signed release as this terminal judges it: a refusal holds while the
        release, the link allowlist and the software (its checks) stay the same."""
        from kiosk.core.heartbeat import app_version

        allow = ",".join(self.settings["links.allowlist"])
        return f"{manifest_sha256}|{allow}|{app_version()}"

    def _reuse(self, updater: Any, ti: Any, donors: list[Path], dest: Path) -> bool:
        """Copy the file from an installed bundle when its hash already matches."""
        for donor in donors:
            candidate = donor / ti.path
            if updater.find_cached_target(ti, str(candidate)):
                try:
                    shutil.copyfile(candidate, dest)
                except OSError:
                    continue  # a switch may have just removed that bundle
                # Re-check the copy: the donor could change between check and copy.
                if updater.find_cached_target(ti, str(dest)):
                    return True
        return False

    # ---- polling --------------------------------------------------------------

    def next_delay(self) -> float:
        """Seconds until the next check: the interval plus random jitter."""
        interval = self.settings["updates.interval_minutes"] * 60
        jitter = self.settings["updates.jitter_minutes"] * 60
        return interval + self._rng.uniform(0, jitter)

    def start(self, first_delay: float | None = None) -> None:
        """Check in the background: after `first_delay` seconds (default: random jitter), then every interval."""
        if self._thread is not None:
            return
        if first_delay is None:
            first_delay = self._rng.uniform(0, self.settings["updates.jitter_minutes"] * 60)
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._poll, args=(first_delay,), name="content-updates", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _poll(self, delay: float) -> None:
        while not self._stop.wait(delay):
            try:
                self.check_once()
            except Exception as exc:  # never let the poller die: report and try again later
                self._record(last_error=f"update check crashed: {exc!r}")
            delay = self.next_delay()

    # ---- housekeeping --------------------------------------------------------

    @contextmanager
    def _locked(self, which: str) -> Iterator[None]:
        """The thread lock and a file lock, so a `kiosk update --once` beside the app waits."""
        with self._check_lock if which == "check" else self._links_lock:
            self.home.mkdir(parents=True, exist_ok=True)
            with open(self.home / f"{which}.lock", "a+") as f:
                fcntl.flock(f, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(f, fcntl.LOCK_UN)

    def _loads(self, folder: Path) -> bool:
        if folder in self._checked_dirs:
            return True
        bundle, _ = check_bundle(folder, self.settings["links.allowlist"])
        if bundle is None:
            return False
        self._checked_dirs[folder] = bundle.version
        return True

    def _replace_link(self, name: str, target: Path) -> None:
        """Point link `name` at `target` with one atomic rename."""
        tmp = self.home / f".{name}.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(os.path.relpath(target, self.home), tmp)
        os.replace(tmp, self._link(name))
        _fsync_dir(self.home)

    def _unlink(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._link(name).unlink()
        _fsync_dir(self.home)

    def _clean_staging(self) -> None:
        """Leftovers of a download that was cut off (power, kill) are never trusted."""
        shutil.rmtree(self.home / "staging", ignore_errors=True)
        with self._locked("links"):
            pending = self._target("pending")
            if pending is not None and pending == self._target("current"):
                self._unlink("pending")  # a switch was cut off after the rename

    def _collect_garbage(self) -> None:
        keep = {self._target(n) for n in ("current", "previous", "pending")}
        bundles = self.home / "bundles"
        if bundles.is_dir():
            for folder in bundles.iterdir():
                if folder.resolve() not in keep:
                    shutil.rmtree(folder, ignore_errors=True)
                    self._checked_dirs.pop(folder.resolve(), None)

    def _read_state(self) -> dict[str, Any]:
        try:
            state = json.loads((self.home / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = {}
        if not isinstance(state, dict):
            state = {}
        return {**state, **self._unsaved}

    def _record(self, **fields: Any) -> None:
        """Remember fields in state.json. A disk that refuses the write (full, read-only)
        never stops a check or the poller: the fields are kept in memory (status shows
        them) and written with the next record that fits."""
        with self._state_lock:
            state = self._read_state()
            state.update(fields)
            tmp = ""
            try:
                self.home.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=self.home, prefix=".state-")
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(state, f, indent=1, ensure_ascii=False)
                os.replace(tmp, self.home / "state.json")
            except OSError as exc:
                if tmp:
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
                self._unsaved = {**self._unsaved, **fields}
                log.warning("content updates: cannot save state.json: %s", exc)
            else:
                self._unsaved = {}


def _explain(exc: Exception, path: str, now: datetime | None = None) -> _Refused:
    """An ngclient error as a status and a sentence an admin can act on (`now`: this
    terminal's clock, which judges expiry: a clock years ahead expires everything)."""
    from tuf.api import exceptions

    what = f"{path}: " if path else ""
    if isinstance(exc, exceptions.ExpiredMetadataError):
        clock = f" (it reads {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC)" if now else ""
        return _Refused(
            UpdateStatus.EXPIRED,
            f"signed metadata has expired ({exc}); the server is stale or frozen and "
            f"the admin must publish again, or this terminal's clock is wrong{clock}",
        )
    if isinstance(exc, exceptions.UnsignedMetadataError):
        return _Refused(UpdateStatus.REFUSED, f"bad signature: {exc}")
    if isinstance(exc, exceptions.BadVersionNumberError):
        return _Refused(UpdateStatus.REFUSED, f"older metadata than already seen (rollback): {exc}")
    if isinstance(exc, exceptions.LengthOrHashMismatchError):
        return _Refused(UpdateStatus.REFUSED, f"{what}file does not match its signed hash: {exc}")
    if isinstance(exc, exceptions.DownloadLengthMismatchError):
        return _Refused(UpdateStatus.REFUSED, f"{what}file is larger than its signed length: {exc}")
    if isinstance(exc, exceptions.RepositoryError):
        return _Refused(UpdateStatus.REFUSED, f"{what}invalid metadata: {exc}")
    if isinstance(exc, exceptions.SlowRetrievalError):
        return _Refused(UpdateStatus.UNREACHABLE, f"{what}timed out: {exc}")
    if isinstance(exc, exceptions.DownloadHTTPError):
        return _Refused(UpdateStatus.UNREACHABLE, f"{what}{exc}")
    cause = f" ({exc.__cause__})" if exc.__cause__ and str(exc.__cause__) not in str(exc) else ""
    return _Refused(UpdateStatus.UNREACHABLE, f"{what}{exc}{cause}")


def _read_manifest(path: Path) -> tuple[int, dict[str, Any]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        version, files = doc["bundle_version"], doc["files"]
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise _Refused(
            UpdateStatus.REFUSED, f"{MANIFEST} is not readable: {exc!r}", release=True
        ) from None
    if (
        not isinstance(version, int)
        or isinstance(version, bool)
        or not 1 <= version <= limits.MAX_NUMBER
    ):
        raise _Refused(
            UpdateStatus.REFUSED, f"{MANIFEST} has no valid bundle_version", release=True
        )
    if not isinstance(files, dict) or not files or len(files) > limits.MAX_FILES:
        raise _Refused(
            UpdateStatus.REFUSED,
            f"{MANIFEST} has no valid file list (1 to {limits.MAX_FILES} files)",
            release=True,
        )
    return version, files


def _pilot_sites(path: Path) -> list[str]:
    """The sites a release is for, when it is a pilot (the signed file list's
    release.sites); [] for a release for every site."""
    try:
        release = json.loads(path.read_text(encoding="utf-8")).get("release") or {}
        sites = release.get("sites") if isinstance(release, dict) else None
    except (ValueError, AttributeError, RecursionError):
        sites = None
    if sites is None:
        return []
    if (
        not isinstance(sites, list)
        or not sites
        or len(sites) > 100
        or not all(isinstance(x, str) and 0 < len(x) <= 40 for x in sites)
    ):
        raise _Refused(
            UpdateStatus.REFUSED,
            f"{MANIFEST}: release.sites is not a list of site ids",
            release=True,
        )
    return sites


def _manifest_version(folder: Path | None) -> int | None:
    if folder is None:
        return None
    try:
        return int(json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["bundle_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    """Files and folders on disk before the rename makes them a bundle (power cuts happen)."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(folder))
