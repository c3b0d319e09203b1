"""`kiosk content validate|list|sites|sources|keygen|publish|releases|rollback|refresh|delegate|revoke`:
check a content bundle, list its services, help points and sources, make signing keys,
publish a signed bundle for terminals, list the releases and roll the fleet back
to an earlier one (as a new version), keep the published release fresh, and hand
publishing to the hub's online key (or take it back) with the offline keys."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.commands import add_config_arg, settings_from
from kiosk.core.content import check_bundle
from kiosk.core.content.provenance import STALE_DAYS, report, report_lines, unused
from kiosk.core.content.speech import speech_warnings
from kiosk.core.content.wording import said
from kiosk.paths import DEFAULT_CONTENT


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("content", help="check and list content bundles")
    csub = parser.add_subparsers(dest="content_command", metavar="ACTION")
    csub.required = True

    validate = csub.add_parser("validate", help="print every problem in a bundle; exit 1 on any")
    validate.add_argument("path", type=Path)
    add_config_arg(validate)
    validate.set_defaults(func=cmd_validate)

    lst = csub.add_parser("list", help="one line per service: id, title in az, link")
    lst.add_argument("path", type=Path)
    lst.add_argument(
        "--facts",
        action="store_true",
        help="instead: id, date checked, source, and what is not confirmed (admin_note)",
    )
    add_config_arg(lst)
    lst.set_defaults(func=cmd_list)

    sites = csub.add_parser(
        "sites", help="one line per help point: site, name, address, phone, source (az)"
    )
    sites.add_argument("path", type=Path)
    add_config_arg(sites)
    sites.set_defaults(func=cmd_sites)

    sources = csub.add_parser(
        "sources",
        help=f"per service and site: every source and its date, unconfirmed items, "
        f"sources checked over {STALE_DAYS} days ago; exit 1 if an item names no source",
    )
    sources.add_argument("path", type=Path, nargs="?", default=DEFAULT_CONTENT)
    sources.add_argument("--json", action="store_true", help="the same as JSON")
    sources.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="count ages from this day (YYYY-MM-DD) instead of today",
    )
    add_config_arg(sources)
    sources.set_defaults(func=cmd_sources)

    keygen = csub.add_parser(
        "keygen", help="make the four signing keys (keep root.pem and targets.pem offline)"
    )
    keygen.add_argument("--out", type=Path, required=True, help="folder for the key files")
    keygen.set_defaults(func=cmd_keygen)

    pub = csub.add_parser(
        "publish", help="check a bundle, then sign and write it to a repository folder"
    )
    pub.add_argument("src", type=Path, help="content source folder (with bundle.toml)")
    pub.add_argument("--repo", type=Path, required=True, help="repository folder to upload")
    pub.add_argument("--keys", type=Path, required=True, help="folder made by `content keygen`")
    pub.add_argument(
        "--expires-days",
        type=int,
        default=30,
        help="days until terminals call this release stale (default 30); publish again before",
    )
    pub.add_argument(
        "--pilot",
        action="append",
        metavar="SITE",
        default=[],
        help="only this site's terminals install the release (repeat for more); "
        "`kiosk content promote` then gives it to every site",
    )
    add_config_arg(pub)
    pub.set_defaults(func=cmd_publish)

    rels = csub.add_parser(
        "releases", help="every release in a repository: version, date, who, what changed"
    )
    rels.add_argument("--repo", type=Path, required=True, help="repository folder")
    rels.set_defaults(func=cmd_releases)

    back = csub.add_parser(
        "rollback",
        help="publish an earlier release's content again, as a new version every terminal takes",
    )
    back.add_argument("--repo", type=Path, required=True, help="repository folder")
    back.add_argument(
        "--keys", type=Path, required=True, help="folder with the signing keys (or the hub's)"
    )
    back.add_argument(
        "--to", type=int, required=True, metavar="VERSION", help="release to bring back"
    )
    back.add_argument("--yes", action="store_true", help="do not ask before publishing")
    back.set_defaults(promote=False)
    back.add_argument("--expires-days", type=int, default=30, help="days until stale (default 30)")
    add_config_arg(back)
    back.set_defaults(func=cmd_rollback)

    prom = csub.add_parser(
        "promote", help="give a pilot release to every site (published as a new version)"
    )
    prom.add_argument("--repo", type=Path, required=True, help="repository folder")
    prom.add_argument(
        "--keys", type=Path, required=True, help="folder with the signing keys (or the hub's)"
    )
    prom.add_argument(
        "--version",
        type=int,
        dest="to",
        default=0,
        help="the pilot release (default: the current one)",
    )
    prom.add_argument("--yes", action="store_true", help="do not ask before publishing")
    prom.add_argument("--expires-days", type=int, default=30, help="days until stale (default 30)")
    add_config_arg(prom)
    prom.set_defaults(func=cmd_rollback, promote=True)

    ref = csub.add_parser(
        "refresh",
        help="re-sign the current release as fresh (snapshot and timestamp keys only)",
    )
    ref.add_argument("--repo", type=Path, required=True, help="repository folder")
    ref.add_argument(
        "--keys", type=Path, required=True, help="folder with snapshot.pem, timestamp.pem"
    )
    ref.add_argument("--expires-days", type=int, default=30, help="days until stale (default 30)")
    ref.set_defaults(func=cmd_refresh)

    dele = csub.add_parser(
        "delegate",
        help="let the hub's content studio publish: the offline keys delegate the bundle to a new online key",
    )
    dele.add_argument(
        "--keys",
        type=Path,
        required=True,
        help="folder with targets.pem, snapshot.pem, timestamp.pem",
    )
    dele.add_argument("--repo", type=Path, required=True, help="repository folder")
    dele.add_argument(
        "--out", type=Path, required=True, help="file for the hub's new private key (e.g. hub.pem)"
    )
    dele.add_argument("--expires-days", type=int, default=30, help="days until stale (default 30)")
    dele.set_defaults(func=cmd_delegate)

    rev = csub.add_parser(
        "revoke", help="take publishing back from the hub's key (offline targets key)"
    )
    rev.add_argument(
        "--keys",
        type=Path,
        required=True,
        help="folder with targets.pem, snapshot.pem, timestamp.pem",
    )
    rev.add_argument("--repo", type=Path, required=True, help="repository folder")
    rev.add_argument("--expires-days", type=int, default=30, help="days until stale (default 30)")
    rev.set_defaults(func=cmd_revoke)


def cmd_validate(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    bundle, problems = check_bundle(args.path, settings["links.allowlist"], today=date.today())
    for p in problems:
        print(f"{p}  [{p.code}]")  # the code the content studio shows it under, too
    if bundle is None:
        print(f"failed: {len(problems)} problem(s)")
        return 1
    from kiosk.core.narration.voices import coverage

    for lang in bundle.language_codes:
        print(coverage(bundle, lang).line())
    for w in speech_warnings(bundle) + unused(bundle):
        print(f"warning: {w}")
    print(
        f"ok: {len(bundle.services)} services in {len(bundle.groups)} groups, "
        f"{bundle.step_count} steps, languages {' '.join(bundle.language_codes)}"
    )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    bundle, problems = check_bundle(args.path, settings["links.allowlist"])
    if bundle is None:
        for p in problems:
            print(p)
        return 1
    for svc in bundle.services.values():
        if args.facts:
            # The oldest check among the file's [sources] (`content sources` lists each).
            checked = min((src.checked for src in svc.sources.values()), default="")
            source = "; ".join(src.url for src in svc.sources.values())
            print(f"{svc.id}\t{checked}\t{source}")
            for line in svc.admin_note.strip().splitlines():
                print(f"    {line}")
        else:
            print(f"{svc.id}\t{svc.title('az')}\t{svc.link}")
    return 0


def cmd_sites(args: argparse.Namespace) -> int:
    """site<TAB>name<TAB>address<TAB>phone<TAB>source, in Azerbaijani; empty where unknown."""
    settings = settings_from(args)
    bundle, problems = check_bundle(args.path, settings["links.allowlist"])
    if bundle is None:
        for p in problems:
            print(p)
        return 1
    for site in bundle.sites.values():
        for point in site.help_points:
            fields = (site.id, point.name("az"), point.address("az"), point.phone, point.source)
            print("\t".join(f.replace("\t", " ") for f in fields))
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    """What every fact rests on: sources with their dates, unconfirmed items, what
    to recheck. A draft with other problems is still listed (they go to stderr)."""
    settings = settings_from(args)
    today = args.today or date.today()
    bundle, problems = check_bundle(args.path, settings["links.allowlist"], draft=True, today=today)
    if bundle is None:
        for p in problems:
            print(f"{p}  [{p.code}]", file=sys.stderr)
        return 1
    for p in problems:
        print(f"problem: {p}  [{p.code}]", file=sys.stderr)
    data = report(bundle, today)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print("\n".join(report_lines(data)))
    return 1 if data["totals"]["missing"] else 0


def cmd_keygen(args: argparse.Namespace) -> int:
    from kiosk.core.content.publish import OFFLINE_ROLES, PublishError, generate_keys

    try:
        written = generate_keys(args.out)
    except PublishError as exc:
        print(f"refused: {exc}")
        return 1
    for role, path in written.items():
        where = "keep offline" if role in OFFLINE_ROLES else "on the publishing machine"
        print(f"{role:9} {path}  ({where})")
    print(
        "Keep root.pem and targets.pem offline (USB stick in a safe) and bring them only to "
        "publish; anyone with them can change what every terminal shows."
    )
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from kiosk.core.content.publish import PublishError, publish

    if args.expires_days < 1:
        print("refused: --expires-days must be 1 or more")
        return 1
    from kiosk.core.content.releases import check_pilot, compare_with_published

    settings = settings_from(args)
    release: dict[str, Any] = {"by": _who()}
    try:
        if args.pilot:
            check_pilot(args.src, args.pilot)
            release["sites"] = sorted(set(args.pilot))
        changes = compare_with_published(args.repo, args.src)
        release["summary"] = changes.line()
        result = publish(
            args.src,
            args.repo,
            args.keys,
            allowlist=settings["links.allowlist"],
            expires_days=args.expires_days,
            release=release,
        )
    except PublishError as exc:
        for p in exc.problems:
            print(p)
        print(f"refused: nothing was published ({len(exc.problems)} problem(s))")
        return 1
    print(
        f"published bundle version {result.bundle_version} "
        f"(release {result.metadata_version}, {result.files} files, "
        f"{result.new_files} new or changed, {result.new_bytes} bytes) to {args.repo}"
    )
    print(f"changes: {changes.line()}")
    print_changes(changes)
    if args.pilot:
        print(
            f"a pilot: only the terminals of {', '.join(release['sites'])} install it; "
            f"`kiosk content promote --repo {args.repo} --keys KEYS` gives it to every site"
        )
    print(f"expires in {args.expires_days} days: publish again before then")
    if result.created:
        print(
            f"new repository: install {result.trusted_root} on every terminal "
            "(setting updates.trusted_root)"
        )
    print(f"upload the whole folder {args.repo} to the content host, metadata/timestamp.json last")
    return 0


def _who() -> str:
    """Who publishes from this command line, as the release list says it."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "command line"


def print_changes(changes: Any) -> None:
    """Each kind of change on its own lines: services, texts, recordings, sites, other files."""
    for kind, got in changes.as_json().items():
        for how in ("added", "changed", "removed"):
            if got.get(how):
                print(f"  {kind} {how}: {', '.join(got[how])}")


def cmd_releases(args: argparse.Namespace) -> int:
    from kiosk.core.content.publish import PublishError
    from kiosk.core.content.releases import list_releases

    try:
        releases = list_releases(args.repo)
    except PublishError as exc:
        print(f"refused: {exc}")
        return 1
    if not releases:
        print(f"no releases in {args.repo}")
        return 1
    print("version\tdate\tby\tsummary")
    for r in releases:
        what = "; ".join(x for x in (r.note, r.summary) if x) or "-"
        mark = "  (current)" if r.current else ""
        pilot = f"pilot for {', '.join(r.sites)}; " if r.sites else ""
        print(f"{r.version}\t{r.at}\t{r.by or '-'}\t{pilot}{what}{mark}")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    import tempfile

    from kiosk.core.content.publish import PublishError, published_bundle_version
    from kiosk.core.content.releases import (
        checkout,
        compare_with_published,
        find_release,
        rollback,
    )

    if args.expires_days < 1:
        print("refused: --expires-days must be 1 or more")
        return 1
    settings = settings_from(args)
    try:
        current = published_bundle_version(args.repo)
        if args.promote and not args.to:
            args.to = current or 0
        release = find_release(args.repo, args.to)
        if current == args.to and not (args.promote and release.sites):
            raise PublishError([said("release_is_current", version=args.to)])
        if args.promote and not release.sites:
            raise PublishError([said("release_for_every_site", version=args.to)])
        with tempfile.TemporaryDirectory(prefix="komek-rollback-") as tmp:
            changes = compare_with_published(
                args.repo, checkout(args.repo, release, Path(tmp) / "content")
            )
    except PublishError as exc:
        print(f"refused: {exc}")
        return 1
    print(
        f"the fleet is on version {current}; this publishes version {(current or 0) + 1} "
        f"with the content of version {args.to} for every site: {changes.line()}"
    )
    print_changes(changes)
    if not args.yes:
        answer = input("Publish it? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("nothing was published")
            return 1
    try:
        result, _ = rollback(
            args.repo,
            args.keys,
            args.to,
            _who(),
            settings["links.allowlist"],
            args.expires_days,
            promote=args.promote,
        )
    except PublishError as exc:
        for p in exc.problems:
            print(p)
        print("refused: nothing was published")
        return 1
    print(
        f"published bundle version {result.bundle_version} with the content of version "
        f"{args.to}; upload {args.repo} to the content host, metadata/timestamp.json last"
    )
    return 0


def _signed(args: argparse.Namespace, refused: str, sign: Callable[[], Any]) -> tuple[bool, Any]:
    """Run one signing step with the offline keys: (True, its result), or (False, None)
    after printing every problem and what was not done."""
    from kiosk.core.content.publish import PublishError

    if args.expires_days < 1:
        print("refused: --expires-days must be 1 or more")
        return False, None
    try:
        return True, sign()
    except PublishError as exc:
        for p in exc.problems:
            print(p)
        print(f"refused: {refused}")
        return False, None


def cmd_refresh(args: argparse.Namespace) -> int:
    from kiosk.core.content.publish import refresh

    ok, expires = _signed(
        args, "nothing was re-signed", lambda: refresh(args.repo, args.keys, args.expires_days)
    )
    if not ok:
        return 1
    print(f"re-signed: the current release is fresh until {expires:%Y-%m-%d %H:%M} UTC")
    print(f"upload {args.repo}/metadata to the content host, timestamp.json last")
    return 0


def cmd_delegate(args: argparse.Namespace) -> int:
    from kiosk.core.content.publish import delegate

    ok, keyid = _signed(
        args,
        "nothing was delegated",
        lambda: delegate(args.repo, args.keys, args.out, args.expires_days),
    )
    if not ok:
        return 1
    print(f"delegated the bundle to the key {keyid[:16]}… written to {args.out}")
    print(
        "Put it on the hub as hub.pem, beside snapshot.pem and timestamp.pem, in the folder "
        "named by the hub setting hub.content_keys; take targets.pem and root.pem back offline."
    )
    print(f"upload {args.repo} to the content host, metadata/timestamp.json last")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from kiosk.core.content.publish import revoke

    ok, _ = _signed(
        args, "nothing was revoked", lambda: revoke(args.repo, args.keys, args.expires_days)
    )
    if not ok:
        return 1
    print("revoked: terminals no longer accept anything the hub's key signs")
    print(f"upload {args.repo} to the content host, metadata/timestamp.json last")
    return 0
