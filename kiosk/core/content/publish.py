"""Admin side of remote content updates: signing keys and the published repository.

`publish()` checks a content source with the same `check_bundle` the terminals
run, then writes it as a TUF repository (The Update Framework, python-tuf) that
any static web host can serve:

    DIR/metadata/1.root.json          the trusted root, installed on terminals
    DIR/metadata/N.targets.json       every bundle file's length and sha256 (+ the manifest),
                                      or, once delegated, who may sign them
    DIR/metadata/N.hub.json           the bundle files, signed by the hub's online key
                                      (only after `delegate`)
    DIR/metadata/N.snapshot.json      which targets metadata is current
    DIR/metadata/timestamp.json       which snapshot is current; the only file that changes
    DIR/targets/<dir>/<sha256>.<name> the bundle files, named by content

Every file except timestamp.json is immutable once written (consistent
snapshots), so a host, CDN or site mirror may cache them forever, and a
terminal that is half way through an update when the next publish lands still
gets a consistent set. timestamp.json is written last.

Delegation: `delegate()` lets the offline targets key hand the bundle's files
to an online key held by the hub (a TUF delegated role named "hub"), so the
hub's content studio can publish without the offline keys. The hub's key can
sign only the "hub" role: never root, never the top-level targets, so never
the delegation itself. `revoke()` (offline keys again) takes the files back
into the top-level targets; from then on whatever the hub's key signs is
ignored by every terminal.

This module must never publish a bundle that does not pass `check_bundle`, nor
one whose version is not above the last published one. It never talks to the
network: uploading DIR is the host's business.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.core.content.loader import check_bundle
from kiosk.core.content.wording import said

ROLES = ("root", "targets", "snapshot", "timestamp")
# Keys an admin should keep off the publishing machine (USB stick, safe).
OFFLINE_ROLES = ("root", "targets")
# The delegated role that the hub's online key signs, and what it may sign:
# every bundle file up to four folders deep (TUF path patterns match one
# folder level per "*").
HUB_ROLE = "hub"
HUB_PATHS = ["*", "*/*", "*/*/*", "*/*/*/*"]
# The bundle's version and every file with its length and sha256, itself a TUF
# target: the terminal reads it to know what makes up the bundle, and an
# unchanged list means an unchanged bundle.
MANIFEST = "komek-bundle.json"
ROOT_EXPIRES_DAYS = 3 * 365
TARGETS_EXPIRES_DAYS = 365
DEFAULT_EXPIRES_DAYS = 30


class PublishError(Exception):
    """Publishing refused; `problems` says every reason, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class PublishResult:
    bundle_version: int
    metadata_version: int  # targets metadata version just written
    files: int
    new_files: int  # files whose content was not in the repository yet
    new_bytes: int
    trusted_root: Path  # DIR/metadata/1.root.json
    created: bool  # a new repository (first publish)


def generate_keys(out: Path) -> dict[str, Path]:
    """One ed25519 key per TUF role in `out` (<role>.pem, readable by the owner only)."""
    from securesystemslib.signer import CryptoSigner

    out = Path(out)
    existing = [r for r in ROLES if (out / f"{r}.pem").exists()]
    if existing:
        raise PublishError([said("publish_keys_exist", path=out / (existing[0] + ".pem"))])
    private_dir(out)
    os.chmod(out, 0o700)
    written = {}
    for role in ROLES:
        signer = CryptoSigner.generate_ed25519()
        path = out / f"{role}.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(signer.private_bytes)
        written[role] = path
    return written


def load_signers(keys: Path, roles: tuple[str, ...] = ROLES) -> dict[str, object]:
    """CryptoSigners for the roles whose <role>.pem is in `keys` (missing ones are left out)."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from securesystemslib.signer import CryptoSigner

    signers = {}
    for role in roles:
        path = Path(keys) / f"{role}.pem"
        if path.exists():
            try:
                signers[role] = CryptoSigner(load_pem_private_key(path.read_bytes(), None))
            except ValueError as exc:
                raise PublishError([said("publish_not_key", path=path, error=exc)]) from None
    return signers


def bundle_files(src: Path) -> dict[str, Path]:
    """Every content file of the source folder by its path inside the bundle."""
    src = Path(src)
    files: dict[str, Path] = {}
    problems: list[str] = []
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src).as_posix()
        if any(part.startswith(".") or part == "__pycache__" for part in rel.split("/")):
            continue  # editor and VCS leftovers are not content
        if path.is_symlink():
            problems.append(said("publish_symlink", file=rel))
        elif path.is_file():
            if rel == MANIFEST:
                problems.append(said("publish_reserved_name", file=rel))
            files[rel] = path
    if problems:
        raise PublishError(problems)
    return files


def publish(
    src: Path,
    repo: Path,
    keys: Path,
    allowlist: list[str] | tuple[str, ...] = ("gov.az", "e-gov.az", "edu.az"),
    expires_days: int = DEFAULT_EXPIRES_DAYS,
    now: datetime | None = None,
    release: Mapping[str, Any] | None = None,
) -> PublishResult:
    """Check the bundle at `src` and publish it as the next release of the repository `repo`.

    `release` (who, a note, the change summary: see releases.py) is signed into
    the release's file list, so `kiosk content releases` can say it later."""
    bundle, problems = check_bundle(Path(src), allowlist, today=date.today())
    if bundle is None:
        raise PublishError([str(p) for p in problems])
    files = bundle_files(Path(src))
    state = _RepoState.read(Path(repo))
    if state is not None:
        _check_clock(Path(repo), state, now or datetime.now(UTC))
    published = published_bundle_version(Path(repo))
    if published is not None and bundle.version <= published:
        raise PublishError(
            [
                said(
                    "publish_version_low",
                    version=bundle.version,
                    published=published,
                    next=published + 1,
                )
            ]
        )
    return write_release(
        Path(repo),
        load_signers(Path(keys), (*ROLES, HUB_ROLE)),
        files,
        bundle.version,
        expires_days,
        now,
        release,
    )


def published_bundle_version(repo: Path) -> int | None:
    """The bundle version of the repository's current release, None for a new repository."""
    state = _RepoState.read(repo)
    if state is None:
        return None
    info = state.release_targets.get(MANIFEST)
    if info is None:
        return 0
    manifest = json.loads(_target_path(repo, MANIFEST, info.hashes["sha256"]).read_bytes())
    return int(manifest["bundle_version"])


# A clock this far behind the last release's signing is wrong, not a little off.
CLOCK_SLACK = timedelta(hours=1)


def _check_clock(repo: Path, state: _RepoState, now: datetime) -> None:
    """Refuse to sign while this machine's clock reads a time before the current
    release was signed (a board before network time reads 1970): what it signed
    would be expired, or soon, for every terminal whose clock is right."""
    info = state.release_targets.get(MANIFEST)
    if info is None:
        return
    try:
        manifest = json.loads(_target_path(repo, MANIFEST, info.hashes["sha256"]).read_bytes())
        signed_at = datetime.fromisoformat(manifest["release"]["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return  # a release from before releases said when: nothing to compare with
    if signed_at.tzinfo is None:
        signed_at = signed_at.replace(tzinfo=UTC)
    if now < signed_at - CLOCK_SLACK:
        raise PublishError(
            [
                said(
                    "publish_clock_behind",
                    now=f"{now:%Y-%m-%d %H:%M}",
                    signed=f"{signed_at:%Y-%m-%d %H:%M}",
                )
            ]
        )


def write_release(
    repo: Path,
    signers: Mapping[str, object],
    files: Mapping[str, Path],
    bundle_version: int,
    expires_days: int = DEFAULT_EXPIRES_DAYS,
    now: datetime | None = None,
    release: Mapping[str, Any] | None = None,
) -> PublishResult:
    """Sign `files` (path inside the bundle -> local file) as the repository's next release.

    Signed by the top-level targets key, or, when the repository delegates the
    bundle to the hub, by the hub's key (`signers["hub"]`). No content checks
    here: `publish()` makes them. Tests call this directly to build the
    releases a broken or hostile publisher might produce.
    """
    from tuf.api.metadata import Metadata, Root

    now = (now or datetime.now(UTC)).astimezone(UTC)  # TUF metadata expires in UTC
    expires = now.replace(microsecond=0) + timedelta(days=expires_days)
    meta_dir = repo / "metadata"
    state = _RepoState.read(repo)
    created = state is None
    if created:
        if repo.exists() and any(repo.iterdir()):
            raise PublishError([said("publish_not_empty", repo=repo)])
        missing = [r for r in ROLES if r not in signers]
        if missing:
            raise PublishError(
                [said("publish_new_repo_keys", missing=", ".join(m + ".pem" for m in missing))]
            )
        root = Metadata(
            Root(
                expires=now.replace(microsecond=0) + timedelta(days=ROOT_EXPIRES_DAYS),
                consistent_snapshot=True,
            )
        )
        for role in ROLES:
            root.signed.add_key(signers[role].public_key, role)
        root.sign(signers["root"])
        meta_dir.mkdir(parents=True, exist_ok=True)
        root_bytes = root.to_bytes()
        write_atomic(meta_dir / "1.root.json", root_bytes)
        write_atomic(meta_dir / "root.json", root_bytes)
        state = _RepoState(root, None, None, None, None)
    signing_role = HUB_ROLE if state.delegation is not None else "targets"
    _check_signers(state, signers, (signing_role, "snapshot", "timestamp"))

    # Target files first, named by content: nothing a terminal may be reading changes.
    # The targets key is kept offline, so its signature lasts longer; the
    # online keys re-sign freshness (`refresh`) as often as needed.
    info = {"at": now.replace(microsecond=0).isoformat(), **(release or {})}
    listed, new_files, new_bytes = _write_targets(repo, files, bundle_version, info)
    targets_expires = now.replace(microsecond=0) + timedelta(
        days=max(expires_days, TARGETS_EXPIRES_DAYS)
    )
    metas = state.metas()
    if signing_role == HUB_ROLE:
        metas[HUB_ROLE] = _sign_targets(
            meta_dir, HUB_ROLE, state.version(HUB_ROLE) + 1, listed, None, targets_expires, signers
        )
    else:
        metas["targets"] = _sign_targets(
            meta_dir,
            "targets",
            state.version("targets") + 1,
            listed,
            None,
            targets_expires,
            signers,
        )
    _write_snapshot_and_timestamp(meta_dir, signers, metas, state, expires)

    return PublishResult(
        bundle_version=bundle_version,
        metadata_version=metas[signing_role][0],
        files=len(files),
        new_files=new_files,
        new_bytes=new_bytes,
        trusted_root=meta_dir / "1.root.json",
        created=created,
    )


def private_dir(path: Path) -> None:
    """Make `path` and its missing parents, each folder made here only for its
    owner (0700, whatever the umask); folders that exist are left as they are."""
    missing = []
    p = Path(path)
    while not p.exists():
        missing.append(p)
        p = p.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700)
        os.chmod(folder, 0o700)


def key_exposure(keys: Path) -> list[str]:
    """Why the signing keys in the folder `keys` are not private (each a sentence
    with the command that fixes it); [] when only their owner can read them."""
    import stat

    keys = Path(keys)
    problems = []
    try:
        mode = stat.S_IMODE(keys.stat().st_mode)
    except OSError:
        return []
    if mode & 0o007:
        problems.append(
            f"the key folder {keys} is open to every user (mode {mode:04o}): chmod 700 {keys}"
        )
    for pem in sorted(keys.glob("*.pem")):
        mode = stat.S_IMODE(pem.stat().st_mode)
        if mode & 0o077:
            who = "every user" if mode & 0o004 else "its group"
            problems.append(
                f"the signing key {pem} is readable by {who} (mode {mode:04o}): chmod 600 {pem}"
            )
    return problems


def delegate(
    repo: Path,
    keys: Path,
    out: Path,
    expires_days: int = DEFAULT_EXPIRES_DAYS,
    now: datetime | None = None,
) -> str:
    """Delegate the bundle's files to a new online key, written to `out`; returns its key id.

    Needs the offline targets key and the snapshot and timestamp keys. The
    current release stays what terminals have: its files are re-signed by the
    new key. Delegating again replaces the previous hub key.
    """
    from securesystemslib.signer import CryptoSigner
    from tuf.api.metadata import DelegatedRole, Delegations

    now = (now or datetime.now(UTC)).astimezone(UTC)  # TUF metadata expires in UTC
    repo, out = Path(repo), Path(out)
    state = _RepoState.read(repo)
    if state is None:
        raise PublishError([said("publish_not_repo", repo=repo)])
    signers = dict(load_signers(Path(keys), ("targets", "snapshot", "timestamp")))
    _check_signers(state, signers, ("targets", "snapshot", "timestamp"))
    if out.exists():
        raise PublishError([said("publish_key_exists", path=out)])
    hub = CryptoSigner.generate_ed25519()
    private_dir(out.parent)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(hub.private_bytes)
    signers[HUB_ROLE] = hub
    keyid = hub.public_key.keyid
    delegations = Delegations(
        keys={keyid: hub.public_key},
        roles={
            HUB_ROLE: DelegatedRole(
                name=HUB_ROLE, keyids=[keyid], threshold=1, terminating=True, paths=HUB_PATHS
            )
        },
    )
    _resign(repo, state, signers, delegations, expires_days, now)
    return keyid


def revoke(
    repo: Path, keys: Path, expires_days: int = DEFAULT_EXPIRES_DAYS, now: datetime | None = None
) -> None:
    """Take the bundle back from the hub's key, with the offline targets key.

    The current release stays (now signed by the targets key itself); whatever
    the hub's key signs from now on is ignored by every terminal.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)  # TUF metadata expires in UTC
    state = _RepoState.read(Path(repo))
    if state is None:
        raise PublishError([said("publish_not_repo", repo=repo)])
    if state.delegation is None:
        raise PublishError([said("publish_not_delegating", repo=repo)])
    signers = load_signers(Path(keys), ("targets", "snapshot", "timestamp"))
    _check_signers(state, signers, ("targets", "snapshot", "timestamp"))
    _resign(Path(repo), state, signers, None, expires_days, now)


def _resign(
    repo: Path,
    state: _RepoState,
    signers: Mapping[str, object],
    delegations: object,
    expires_days: int,
    now: datetime,
) -> None:
    """The current release under new top-level targets (with or without a delegation)."""
    _check_clock(repo, state, now)
    meta_dir = repo / "metadata"
    listed = dict(state.release_targets)
    targets_expires = now.replace(microsecond=0) + timedelta(
        days=max(expires_days, TARGETS_EXPIRES_DAYS)
    )
    metas = state.metas()
    if delegations is None:
        metas["targets"] = _sign_targets(
            meta_dir,
            "targets",
            state.version("targets") + 1,
            listed,
            None,
            targets_expires,
            signers,
        )
    else:
        metas["targets"] = _sign_targets(
            meta_dir,
            "targets",
            state.version("targets") + 1,
            {},
            delegations,
            targets_expires,
            signers,
        )
        metas[HUB_ROLE] = _sign_targets(
            meta_dir, HUB_ROLE, state.version(HUB_ROLE) + 1, listed, None, targets_expires, signers
        )
    expires = now.replace(microsecond=0) + timedelta(days=expires_days)
    _write_snapshot_and_timestamp(meta_dir, signers, metas, state, expires)


def _check_signers(
    state: _RepoState, signers: Mapping[str, object], roles: tuple[str, ...]
) -> None:
    """Every role in `roles` has its key in `signers`, and it is the one the repository trusts."""
    problems = []
    for role in roles:
        signer = signers.get(role)
        if role == HUB_ROLE:
            trusted = state.delegation.keyids if state.delegation is not None else []
        else:
            trusted = state.root.signed.roles[role].keyids
        if signer is None:
            problems.append(said("publish_key_missing", role=role))
        elif signer.public_key.keyid not in trusted:
            problems.append(said("publish_key_wrong", role=role))
    if problems:
        if "targets" in roles and "targets" not in signers:
            if state.delegation is not None:
                problems.append(said("publish_delegated"))
            elif HUB_ROLE in signers:
                problems = [said("publish_not_delegated")]
        raise PublishError(problems)


def _write_targets(
    repo: Path,
    files: Mapping[str, Path],
    bundle_version: int,
    release: Mapping[str, Any] | None = None,
) -> tuple[dict[str, object], int, int]:
    """Store the bundle files and their manifest by content; their TargetFiles and what was new."""
    from tuf.api.metadata import TargetFile

    new_files = new_bytes = 0
    items = [(rel, Path(files[rel]).read_bytes()) for rel in sorted(files)]
    listed_json = {}
    for rel, data in items:
        info = TargetFile.from_data(rel, data)
        listed_json[rel] = {"length": info.length, "sha256": info.hashes["sha256"]}
    manifest: dict[str, Any] = {"bundle_version": bundle_version, "files": listed_json}
    if release:
        manifest["release"] = dict(release)  # when, who, why: read by `kiosk content releases`
    manifest_bytes = json.dumps(manifest, indent=1, ensure_ascii=False).encode() + b"\n"
    items.append((MANIFEST, manifest_bytes))
    listed = {}
    for rel, data in items:
        info = TargetFile.from_data(rel, data)
        listed[rel] = info
        dest = _target_path(repo, rel, info.hashes["sha256"])
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(dest, data)
            if rel != MANIFEST:
                new_files += 1
                new_bytes += len(data)
    return listed, new_files, new_bytes


def _sign_targets(
    meta_dir: Path,
    role: str,
    version: int,
    listed: Mapping[str, object],
    delegations: object,
    expires: datetime,
    signers: Mapping[str, object],
) -> tuple[int, bytes]:
    """Write <version>.<role>.json (a Targets metadata) signed by the role's key."""
    from tuf.api.metadata import Metadata, Targets

    targets = Targets(
        version=version, expires=expires, targets=dict(listed), delegations=delegations
    )
    md = Metadata(targets)
    md.sign(signers[role])
    data = md.to_bytes()
    write_atomic(meta_dir / f"{version}.{role}.json", data)
    return version, data


def refresh(
    repo: Path,
    keys: Path,
    expires_days: int = DEFAULT_EXPIRES_DAYS,
    now: datetime | None = None,
) -> datetime:
    """Re-sign the current release as fresh for `expires_days`, with the online keys only.

    Nothing in the bundle changes; terminals stay `current`. Returns when the
    release now expires (no later than its targets metadata does).
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)  # TUF metadata expires in UTC
    state = _RepoState.read(Path(repo))
    if state is None:
        raise PublishError([said("publish_not_repo", repo=repo)])
    signers = load_signers(Path(keys), ("snapshot", "timestamp"))
    _check_signers(state, signers, ("snapshot", "timestamp"))
    _check_clock(Path(repo), state, now)
    targets_expires = min(
        md.signed.expires for md in (state.targets, state.delegated) if md is not None
    )
    if targets_expires <= now:
        raise PublishError([said("publish_expired", date=f"{targets_expires:%Y-%m-%d}")])
    expires = min(now.replace(microsecond=0) + timedelta(days=expires_days), targets_expires)
    _write_snapshot_and_timestamp(Path(repo) / "metadata", signers, state.metas(), state, expires)
    return expires


def _write_snapshot_and_timestamp(
    meta_dir: Path,
    signers: Mapping[str, object],
    metas: Mapping[str, tuple[int, bytes]],
    state: _RepoState,
    expires: datetime,
) -> None:
    """Snapshot of `metas` (role -> version, bytes), then the timestamp that points at it."""
    from tuf.api.metadata import Metadata, MetaFile, Snapshot, Timestamp

    snapshot = Snapshot(version=state.version("snapshot") + 1, expires=expires)
    for role, (version, data) in sorted(metas.items()):
        snapshot.meta[f"{role}.json"] = MetaFile.from_data(version, data, ["sha256"])
    snapshot_md = Metadata(snapshot)
    snapshot_md.sign(signers["snapshot"])
    snapshot_bytes = snapshot_md.to_bytes()
    write_atomic(meta_dir / f"{snapshot.version}.snapshot.json", snapshot_bytes)

    timestamp = Timestamp(
        version=state.version("timestamp") + 1,
        expires=expires,
        snapshot_meta=MetaFile.from_data(snapshot.version, snapshot_bytes, ["sha256"]),
    )
    timestamp_md = Metadata(timestamp)
    timestamp_md.sign(signers["timestamp"])
    # Last, and atomically: from here on clients see the new release.
    write_atomic(meta_dir / "timestamp.json", timestamp_md.to_bytes())


@dataclass
class _RepoState:
    """The repository's current metadata; None parts for a repository being created."""

    root: Any
    timestamp: Any
    snapshot: Any
    targets: Any
    delegated: Any  # the hub role's metadata, once there has been a delegation
    meta_dir: Path | None = None

    @classmethod
    def read(cls, repo: Path) -> _RepoState | None:
        """The current metadata of an existing repository (newest root), None if there is none."""
        from tuf.api.metadata import Metadata

        meta = Path(repo) / "metadata"
        if not (meta / "1.root.json").exists():
            return None
        try:
            n = 1
            while (meta / f"{n + 1}.root.json").exists():
                n += 1
            root = Metadata.from_file(str(meta / f"{n}.root.json"))
            timestamp = Metadata.from_file(str(meta / "timestamp.json"))
            sv = timestamp.signed.snapshot_meta.version
            snapshot = Metadata.from_file(str(meta / f"{sv}.snapshot.json"))
            tv = snapshot.signed.meta["targets.json"].version
            targets = Metadata.from_file(str(meta / f"{tv}.targets.json"))
            delegated = None
            if f"{HUB_ROLE}.json" in snapshot.signed.meta:
                hv = snapshot.signed.meta[f"{HUB_ROLE}.json"].version
                delegated = Metadata.from_file(str(meta / f"{hv}.{HUB_ROLE}.json"))
        except (OSError, ValueError, KeyError) as exc:
            raise PublishError([said("publish_damaged", repo=repo, error=exc)]) from None
        return cls(root, timestamp, snapshot, targets, delegated, meta)

    @property
    def delegation(self) -> Any:
        """The top-level targets' delegation of the bundle to the hub's key, if there is one."""
        if self.targets is None or self.targets.signed.delegations is None:
            return None
        roles = self.targets.signed.delegations.roles or {}
        return roles.get(HUB_ROLE)

    @property
    def release_targets(self) -> dict[str, Any]:
        """The current release's files (TargetFile by path), whoever signed them."""
        if self.targets is None:
            return {}
        if self.delegation is not None and self.delegated is not None:
            return self.delegated.signed.targets
        return self.targets.signed.targets

    def version(self, role: str) -> int:
        """The current version of a role's metadata; 0 before the first."""
        md = {
            "targets": self.targets,
            "snapshot": self.snapshot,
            "timestamp": self.timestamp,
            HUB_ROLE: self.delegated,
        }[role]
        return md.signed.version if md is not None else 0

    def metas(self) -> dict[str, tuple[int, bytes]]:
        """The targets metadata the current snapshot lists, as (version, file bytes).

        A role once listed stays listed (terminals refuse a snapshot that drops one).
        """
        out = {}
        if self.meta_dir is None:
            return out
        for role in ("targets", HUB_ROLE):
            v = self.version(role)
            if v:
                out[role] = (v, (self.meta_dir / f"{v}.{role}.json").read_bytes())
        return out


def _target_path(repo: Path, rel: str, sha256: str) -> Path:
    folder, _, name = rel.rpartition("/")
    return Path(repo) / "targets" / folder / f"{sha256}.{name}"


def write_atomic(path: Path, data: bytes) -> None:
    """The whole file or none: a temporary file in the same folder, synced, renamed."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
