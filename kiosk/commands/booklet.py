"""`kiosk booklet`: the printed booklet for one district, from the content bundle.

Only reads the bundle and writes one PDF; never changes content.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.commands import add_config_arg, settings_from
from kiosk.paths import DEFAULT_CONTENT


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "booklet",
        help="print-ready PDF booklet for one district",
        description=(
            "Build the booklet for one district (site profile) in one language from the "
            "content bundle: every service with its pictogram, documents to bring and a QR "
            "code to the official page, how to get ASAN İmza or SİMA, and the district's "
            "free help points. Its last page is the key card: this terminal's own keys "
            "from [access] in --config, in words a resident understands."
        ),
    )
    parser.add_argument("--site", required=True, help="site profile id, e.g. barda")
    parser.add_argument("--lang", required=True, help="az, ru or en (any language of the bundle)")
    parser.add_argument("--out", type=Path, required=True, help="PDF file to write")
    parser.add_argument(
        "--content",
        type=Path,
        default=DEFAULT_CONTENT,
        help="content bundle folder (default: the bundled default content)",
    )
    order = parser.add_mutually_exclusive_group()
    order.add_argument(
        "--order",
        choices=("a4", "a5-fold"),
        default="a4",
        help="a4: A4 pages in reading order (default); a5-fold: A4 sheets to print on "
        "both sides (flip on short edge), stack and fold to an A5 booklet",
    )
    order.add_argument("--fold", action="store_true", help="the same as --order a5-fold")
    add_config_arg(parser)
    parser.set_defaults(func=cmd_booklet)


def cmd_booklet(args: argparse.Namespace) -> int:
    from kiosk.core.access import KeyMap
    from kiosk.core.booklet import BookletError, build_booklet
    from kiosk.core.content import check_bundle

    settings = settings_from(args)
    bundle, problems = check_bundle(args.content, settings["links.allowlist"])
    if bundle is None:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"kiosk booklet: the content bundle {args.content} has problems", file=sys.stderr)
        return 1
    fold = args.fold or args.order == "a5-fold"
    try:
        made = build_booklet(
            bundle,
            args.site,
            args.lang,
            args.out,
            imposition=fold,
            allowlist=settings["links.allowlist"],
            keymap=KeyMap.from_settings(settings),  # the key card prints this terminal's keys
        )
    except BookletError as exc:
        print(f"kiosk booklet: {exc}", file=sys.stderr)
        return 1
    for service, link in made.skipped_links.items():
        print(f"warning: {service}: link {link} is not on the allowlist; no QR code printed")
    if fold:
        print(
            f"wrote {made.path}: {made.pages} A5 pages on {made.sheets} A4 sheet(s); "
            "print on both sides, flip on the short edge, stack in order and fold"
        )
    else:
        print(f"wrote {made.path}: {made.pages} A4 pages in reading order")
    return 0
