"""Admin side of remote content updates: signing keys and the published repository.

`publish()` checks a content source with the same `check_bundle` the terminals
run, then writes it as a TUF repository (The Update Framework, python-tuf) that
any static web host can serve:

    DIR/metadata/1.root.json          the trusted root, installed on terminals
    DIR/metadata/N.targets.json       every bundle file's length and sha256 (+ the manifest)
    DIR/metadata/N.snapshot.json      which targets metadata is current
    DIR/metadata/timestamp.json       which snapshot is current; the only file that changes
    DIR/targets/<dir>/<sha256>.<name> the bundle files, named by content

Every file except timestamp.json is immutable once written (consistent
snapshots), so a host, CDN or site mirror may cache them forever, and a
terminal that is half way through an update when the next publish lands still
gets a consistent set. timestamp.json is written last.

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
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.core.content.loader import check_bundle

ROLES = ("root", "targets", "snapshot", "timestamp")
# Keys an admin should keep off the publishing machine (USB stick, safe).
OFFLINE_ROLES = ("root", "targets")
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
        raise PublishError(
            [f"{out / (existing[0] + '.pem')} already exists; refusing to overwrite keys"]
        )
    out.mkdir(parents=True, exist_ok=True)
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
                raise PublishError([f"{path}: not a private key file ({exc})"]) from None
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
            problems.append(f"{rel}: is a symbolic link; copy the file into the bundle instead")
        elif path.is_file():
            if rel == MANIFEST:
                problems.append(f"{rel}: this name is reserved for the published file list")
            files[rel] = path
    if problems:
        raise PublishError(problems)
    return files


def publish(
    src: Path,
    repo: Path,
    keys: Path,
    allowlist: list[str] | tuple[str, ...] = ("gov.az", "e-gov.az"),
    expires_days: int = DEFAULT_EXPIRES_DAYS,
    now: datetime | None = None,
) -> PublishResult:
    """Check the bundle at `src` and publish it as the next release of the repository `repo`."""
    bundle, problems = check_bundle(Path(src), allowlist)
    if bundle is None:
        raise PublishError([str(p) for p in problems])
    files = bundle_files(Path(src))
    published = published_bundle_version(Path(repo))
    if published is not None and bundle.version <= published:
        raise PublishError(
            [
                f"bundle.toml: version {bundle.version} is not above the published version "
                f"{published}; raise it to {published + 1}"
            ]
        )
    return write_release(
        Path(repo), load_signers(Path(keys)), files, bundle.version, expires_days, now
    )


def published_bundle_version(repo: Path) -> int | None:
    """The bundle version of the repository's current release, None for a new repository."""
    state = _RepoState.read(repo)
    if state is None:
        return None
    info = state.targets.signed.targets.get(MANIFEST)
    if info is None:
        return 0
    manifest = json.loads(_target_path(repo, MANIFEST, info.hashes["sha256"]).read_bytes())
    return int(manifest["bundle_version"])


def write_release(
    repo: Path,
    signers: Mapping[str, object],
    files: Mapping[str, Path],
    bundle_version: int,
    expires_days: int = DEFAULT_EXPIRES_DAYS,
    now: datetime | None = None,
) -> PublishResult:
    """Sign `files` (path inside the bundle -> local file) as the repository's next release.

    No content checks here: `publish()` makes them. Tests call this directly to
    build the releases a broken or hostile publisher might produce.
    """
    from tuf.api.metadata import Metadata, Root, TargetFile, Targets

    now = now or datetime.now(UTC)
    expires = now.replace(microsecond=0) + timedelta(days=expires_days)
    meta_dir = repo / "metadata"
    state = _RepoState.read(repo)
    created = state is None
    if created:
        if repo.exists() and any(repo.iterdir()):
            raise PublishError([f"{repo} is not empty and is not a content repository"])
        missing = [r for r in ROLES if r not in signers]
        if missing:
            raise PublishError(
                [
                    f"a new repository needs every key; missing {', '.join(m + '.pem' for m in missing)}"
                ]
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
        _write_atomic(meta_dir / "1.root.json", root_bytes)
        _write_atomic(meta_dir / "root.json", root_bytes)
        versions = {"targets": 0, "snapshot": 0, "timestamp": 0}
        root_signed = root.signed
    else:
        root_signed = state.root.signed
        versions = {
            "targets": state.targets.signed.version,
            "snapshot": state.snapshot.signed.version,
            "timestamp": state.timestamp.signed.version,
        }
    problems = []
    for role in ("targets", "snapshot", "timestamp"):
        signer = signers.get(role)
        if signer is None:
            problems.append(f"{role}.pem is missing from the keys folder")
        elif signer.public_key.keyid not in root_signed.roles[role].keyids:
            problems.append(f"{role}.pem is not the {role} key of this repository")
    if problems:
        raise PublishError(problems)

    # Target files first, named by content: nothing a terminal may be reading changes.
    # The targets key is kept offline, so its signature lasts longer; the
    # online keys re-sign freshness (`refresh`) as often as needed.
    targets_expires = now.replace(microsecond=0) + timedelta(
        days=max(expires_days, TARGETS_EXPIRES_DAYS)
    )
    targets = Targets(version=versions["targets"] + 1, expires=targets_expires)
    new_files = new_bytes = 0
    items = [(rel, Path(files[rel]).read_bytes()) for rel in sorted(files)]
    listed = {}
    for rel, data in items:
        info = TargetFile.from_data(rel, data)
        listed[rel] = {"length": info.length, "sha256": info.hashes["sha256"]}
    manifest = {"bundle_version": bundle_version, "files": listed}
    manifest_bytes = json.dumps(manifest, indent=1, ensure_ascii=False).encode() + b"\n"
    items.append((MANIFEST, manifest_bytes))
    for rel, data in items:
        info = TargetFile.from_data(rel, data)
        targets.targets[rel] = info
        dest = _target_path(repo, rel, info.hashes["sha256"])
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(dest, data)
            if rel != MANIFEST:
                new_files += 1
                new_bytes += len(data)

    targets_md = Metadata(targets)
    targets_md.sign(signers["targets"])
    targets_bytes = targets_md.to_bytes()
    _write_atomic(meta_dir / f"{targets.version}.targets.json", targets_bytes)
    _write_snapshot_and_timestamp(
        meta_dir, signers, targets.version, targets_bytes, versions, expires
    )

    return PublishResult(
        bundle_version=bundle_version,
        metadata_version=targets.version,
        files=len(files),
        new_files=new_files,
        new_bytes=new_bytes,
        trusted_root=meta_dir / "1.root.json",
        created=created,
    )


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
    now = now or datetime.now(UTC)
    state = _RepoState.read(Path(repo))
    if state is None:
        raise PublishError([f"{repo} is not a content repository; publish first"])
    signers = load_signers(Path(keys), ("snapshot", "timestamp"))
    problems = []
    for role in ("snapshot", "timestamp"):
        if role not in signers:
            problems.append(f"{role}.pem is missing from the keys folder")
        elif signers[role].public_key.keyid not in state.root.signed.roles[role].keyids:
            problems.append(f"{role}.pem is not the {role} key of this repository")
    if problems:
        raise PublishError(problems)
    targets_expires = state.targets.signed.expires
    if targets_expires <= now:
        raise PublishError(
            [
                f"the release's targets signature expired on {targets_expires:%Y-%m-%d}; publish again"
            ]
        )
    expires = min(now.replace(microsecond=0) + timedelta(days=expires_days), targets_expires)
    tv = state.targets.signed.version
    meta_dir = Path(repo) / "metadata"
    targets_bytes = (meta_dir / f"{tv}.targets.json").read_bytes()
    versions = {
        "snapshot": state.snapshot.signed.version,
        "timestamp": state.timestamp.signed.version,
    }
    _write_snapshot_and_timestamp(meta_dir, signers, tv, targets_bytes, versions, expires)
    return expires


def _write_snapshot_and_timestamp(
    meta_dir: Path,
    signers: Mapping[str, object],
    targets_version: int,
    targets_bytes: bytes,
    versions: Mapping[str, int],
    expires: datetime,
) -> None:
    from tuf.api.metadata import Metadata, MetaFile, Snapshot, Timestamp

    snapshot = Snapshot(version=versions["snapshot"] + 1, expires=expires)
    snapshot.meta["targets.json"] = MetaFile.from_data(targets_version, targets_bytes, ["sha256"])
    snapshot_md = Metadata(snapshot)
    snapshot_md.sign(signers["snapshot"])
    snapshot_bytes = snapshot_md.to_bytes()
    _write_atomic(meta_dir / f"{snapshot.version}.snapshot.json", snapshot_bytes)

    timestamp = Timestamp(
        version=versions["timestamp"] + 1,
        expires=expires,
        snapshot_meta=MetaFile.from_data(snapshot.version, snapshot_bytes, ["sha256"]),
    )
    timestamp_md = Metadata(timestamp)
    timestamp_md.sign(signers["timestamp"])
    # Last, and atomically: from here on clients see the new release.
    _write_atomic(meta_dir / "timestamp.json", timestamp_md.to_bytes())


@dataclass
class _RepoState:
    root: object
    timestamp: object
    snapshot: object
    targets: object

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
        except (OSError, ValueError, KeyError) as exc:
            raise PublishError(
                [f"{repo}: repository metadata is incomplete or damaged ({exc})"]
            ) from None
        return cls(root, timestamp, snapshot, targets)


def _target_path(repo: Path, rel: str, sha256: str) -> Path:
    folder, _, name = rel.rpartition("/")
    return Path(repo) / "targets" / folder / f"{sha256}.{name}"


def _write_atomic(path: Path, data: bytes) -> None:
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
