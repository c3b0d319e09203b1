"""The releases in a published content repository: listing them, what changes
between two, and rolling the fleet back to an earlier one.

Every release stays in the repository (its metadata and its files are never
overwritten, see publish.py), so any earlier one can be read back. A rollback
is published as a NEW release, with a version above the current one and the
earlier release's files: terminals never accept a lower version (TUF's rollback
protection), and they need not, since the new release is the old content.

Who published, when and the change summary are signed into each release's file
list (komek-bundle.json, "release"); releases published before that say nothing
of who. A pilot release also names its sites ("sites"): only terminals of those
sites install it (update.py), the others wait for the next release for every
site, which `rollback(..., promote=True)` makes from the pilot's files.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.core.content.publish import (
    DEFAULT_EXPIRES_DAYS,
    HUB_ROLE,
    MANIFEST,
    PublishError,
    PublishResult,
    _target_path,
    publish,
    published_bundle_version,
)
from kiosk.core.content.wording import said

_VERSION_LINE = re.compile(r"^version\s*=\s*\d+\s*$", re.M)


@dataclass(frozen=True)
class Release:
    version: int  # the bundle version
    at: str  # when it was published (ISO), "" when the repository does not say
    by: str  # who published it, "" when the repository does not say
    note: str  # e.g. "rollback to version 3"
    summary: str  # what changed against the release before, one line
    files: dict[str, dict[str, Any]]  # path -> {"length", "sha256"}
    current: bool = False
    sites: tuple[str, ...] = ()  # a pilot: only terminals of these sites install it


@dataclass
class Changes:
    """What a release changes against another, by kind; each a list of names."""

    services: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    recordings: dict[str, list[str]] = field(default_factory=dict)
    sites: dict[str, list[str]] = field(default_factory=dict)
    other: dict[str, list[str]] = field(default_factory=dict)

    KINDS = ("services", "texts", "recordings", "sites", "other")

    def as_json(self) -> dict[str, dict[str, list[str]]]:
        return {kind: getattr(self, kind) for kind in self.KINDS}

    @property
    def empty(self) -> bool:
        return not any(v for kind in self.KINDS for v in getattr(self, kind).values())

    def line(self) -> str:
        """'services +1 ~2, texts ~3, recordings +1' (added, changed, removed)."""
        parts = []
        for kind in self.KINDS:
            got = getattr(self, kind)
            marks = [
                f"{sign}{len(got.get(name, []))}"
                for name, sign in (("added", "+"), ("changed", "~"), ("removed", "-"))
                if got.get(name)
            ]
            if marks:
                parts.append(f"{kind} {' '.join(marks)}")
        return ", ".join(parts) or "no changes"


def _manifest_paths(repo: Path) -> list[tuple[int, Path]]:
    """(metadata version, manifest file) for every targets metadata that lists one."""
    meta = Path(repo) / "metadata"
    found = []
    for role in ("targets", HUB_ROLE):
        for path in meta.glob(f"*.{role}.json"):
            number = path.name.split(".", 1)[0]
            if not number.isdigit():
                continue
            doc = json.loads(path.read_text(encoding="utf-8"))
            info = doc.get("signed", {}).get("targets", {}).get(MANIFEST)
            if info:
                manifest = _target_path(repo, MANIFEST, info["hashes"]["sha256"])
                found.append((int(number), manifest))
    return found


def list_releases(repo: Path) -> list[Release]:
    """Every release in the repository, newest first (the current one marked)."""
    current = published_bundle_version(Path(repo))
    if current is None:
        return []
    by_version: dict[int, Release] = {}
    for _number, path in _manifest_paths(Path(repo)):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            version = int(doc["bundle_version"])
        except (OSError, ValueError, KeyError):
            continue  # a file the host lost: that release cannot be read back
        info = doc.get("release") or {}
        at = info.get("at") or datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(
            timespec="seconds"
        )
        by_version[version] = Release(
            version=version,
            at=str(at),
            by=str(info.get("by", "")),
            note=str(info.get("note", "")),
            summary=str(info.get("summary", "")),
            files=dict(doc.get("files") or {}),
            current=version == current,
            sites=tuple(info.get("sites") or ()),
        )
    return sorted(by_version.values(), key=lambda r: r.version, reverse=True)


def find_release(repo: Path, version: int) -> Release:
    for release in list_releases(repo):
        if release.version == version:
            return release
    raise PublishError([said("release_no_version", repo=repo, version=version)])


def checkout(repo: Path, release: Release, dest: Path) -> Path:
    """Write the release's files into the empty folder `dest`, each checked against its hash."""
    dest = Path(dest)
    for rel, listed in sorted(release.files.items()):
        source = _target_path(Path(repo), rel, listed["sha256"])
        try:
            data = source.read_bytes()
        except OSError:
            raise PublishError(
                [said("release_file_missing", version=release.version, file=rel)]
            ) from None
        if hashlib.sha256(data).hexdigest() != listed["sha256"]:
            raise PublishError([said("release_hash_wrong", version=release.version, file=rel)])
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    return dest


def content_hashes(folder: Path | None) -> dict[str, str]:
    """sha256 of every bundle file by path (bundle.toml without its version line)."""
    if folder is None:
        return {}
    out = {}
    for path in sorted(Path(folder).rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if not path.is_file() or rel == MANIFEST or any(p.startswith(".") for p in rel.split("/")):
            continue  # the file list of an installed bundle, editor leftovers
        data = path.read_bytes()
        if rel == "bundle.toml":  # the version is raised on every publish: not a change
            data = _VERSION_LINE.sub("version = 0", data.decode("utf-8")).encode()
        out[rel] = hashlib.sha256(data).hexdigest()
    return out


def _texts(folder: Path | None) -> dict[str, dict[str, str]]:
    """Every text residents hear, by key, with its words per language."""
    if folder is None:
        return {}
    from kiosk.core.content.loader import check_bundle
    from kiosk.core.narration.voices import spoken_texts

    try:
        bundle, _problems = check_bundle(Path(folder), draft=True)
    except Exception:  # a bundle that cannot be read: its files still compare
        return {}
    if bundle is None:
        return {}
    return {
        s.key: {lang: s.words(lang) for lang in bundle.language_codes if s.text.has(lang)}
        for s in spoken_texts(bundle)
    }


def _diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[str]]:
    out = {
        "added": sorted(k for k in new if k not in old),
        "changed": sorted(k for k in new if k in old and new[k] != old[k]),
        "removed": sorted(k for k in old if k not in new),
    }
    return {k: v for k, v in out.items() if v}


def compare(old: Path | None, new: Path) -> Changes:
    """What `new` (a bundle folder) changes against `old` (None: nothing published yet)."""
    before, after = content_hashes(old), content_hashes(new)

    def pick(prefix: str, suffix: str = "") -> tuple[dict[str, str], dict[str, str]]:
        def one(files: dict[str, str]) -> dict[str, str]:
            return {
                rel[len(prefix) :].removesuffix(suffix): h
                for rel, h in files.items()
                if rel.startswith(prefix) and rel.endswith(suffix)
            }

        return one(before), one(after)

    changes = Changes()
    changes.services = _diff(*pick("services/", ".toml"))
    changes.sites = _diff(*pick("sites/", ".toml"))
    changes.recordings = _diff(*pick("audio/"))
    changes.texts = _diff(_texts(old), _texts(new))
    kinds = ("services/", "sites/", "audio/")
    rest = [
        {k: v for k, v in files.items() if not k.startswith(kinds)} for files in (before, after)
    ]
    changes.other = _diff(rest[0], rest[1])
    return changes


def compare_with_published(repo: Path, new: Path) -> Changes:
    """What publishing the folder `new` would change for the fleet."""
    try:
        current = published_bundle_version(Path(repo))
    except PublishError:
        current = None
    if not current:
        return compare(None, new)
    with tempfile.TemporaryDirectory(prefix="komek-release-") as tmp:
        old = checkout(repo, find_release(repo, current), Path(tmp) / "old")
        return compare(old, new)


def set_version(folder: Path, version: int) -> None:
    """bundle.toml's `version = N`, keeping the rest of the file as it is."""
    path = Path(folder) / "bundle.toml"
    text = path.read_text(encoding="utf-8")
    if not _VERSION_LINE.search(text):
        raise PublishError([said("release_no_version_line")])
    path.write_text(_VERSION_LINE.sub(f"version = {version}", text, count=1), encoding="utf-8")


def rollback(
    repo: Path,
    keys: Path,
    to_version: int,
    by: str,
    allowlist: list[str] | tuple[str, ...] = ("gov.az", "e-gov.az", "edu.az"),
    expires_days: int = DEFAULT_EXPIRES_DAYS,
    now: datetime | None = None,
    work: Path | None = None,
    promote: bool = False,
) -> tuple[PublishResult, Changes]:
    """Publish the files of release `to_version` again as the next version, for every
    site, so every terminal goes back to that content (`promote`: a pilot's content
    goes to every site). Checked like any publish."""
    current = published_bundle_version(Path(repo))
    if not current:
        raise PublishError([said("release_none_yet", repo=repo)])
    release = find_release(repo, to_version)
    if to_version == current and not (promote and release.sites):
        raise PublishError([said("release_is_current", version=to_version)])
    with tempfile.TemporaryDirectory(dir=work, prefix=".rollback-") as tmp:
        folder = checkout(repo, release, Path(tmp) / "content")
        set_version(folder, current + 1)
        changes = compare_with_published(repo, folder)
        note = (
            f"version {to_version} for every site"
            if promote
            else f"rollback to version {to_version}"
        )
        info = {"by": by, "note": note, "rollback_of": to_version, "summary": changes.line()}
        result = publish(
            folder, repo, keys, allowlist, expires_days=expires_days, now=now, release=info
        )
    return result, changes


def copy_release_into(repo: Path, version: int, dest: Path) -> None:
    """Replace the folder `dest` with the files of release `version` (for tools)."""
    with tempfile.TemporaryDirectory(prefix="komek-release-") as tmp:
        folder = checkout(repo, find_release(repo, version), Path(tmp) / "content")
        if Path(dest).exists():
            shutil.rmtree(dest)
        shutil.copytree(folder, dest)


def fingerprint(folder: Path) -> str:
    """One hash for a bundle folder's content (its version left out): what an admin
    looked at before confirming is what gets published, or the publish is refused."""
    doc = json.dumps(sorted(content_hashes(folder).items())).encode()
    return hashlib.sha256(doc).hexdigest()[:32]


def check_pilot(src: Path, sites: list[str]) -> None:
    """Pilot sites must be sites of the bundle being published."""
    from kiosk.core.content.loader import check_bundle

    bundle, _problems = check_bundle(Path(src), draft=True)
    known = set(bundle.sites) if bundle is not None else set()
    unknown = [s for s in sites if s not in known]
    if unknown:
        raise PublishError(
            [said("publish_unknown_site", site=u, known=", ".join(sorted(known))) for u in unknown]
        )
