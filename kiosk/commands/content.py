"""`kiosk content validate|list`: check a content bundle and list its services."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.commands import add_config_arg, settings_from
from kiosk.core.content import check_bundle


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


def cmd_validate(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    bundle, problems = check_bundle(args.path, settings["links.allowlist"])
    for p in problems:
        print(p)
    if bundle is None:
        print(f"failed: {len(problems)} problem(s)")
        return 1
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
            print(f"{svc.id}\t{svc.checked}\t{svc.source}")
            for line in svc.admin_note.strip().splitlines():
                print(f"    {line}")
        else:
            print(f"{svc.id}\t{svc.title('az')}\t{svc.link}")
    return 0
