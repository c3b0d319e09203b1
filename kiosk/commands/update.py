"""`kiosk update --once|--status`: one content update check on this terminal, or
what is installed and how the last check went.

The running app checks by itself on its polling interval; this command is for
installers and admins at the terminal (and for testing a new repository).
"""

from __future__ import annotations

import argparse

from kiosk.commands import add_config_arg, settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("update", help="check the content repository once and install")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--once", action="store_true", help="one check, print the outcome, exit")
    what.add_argument(
        "--status",
        action="store_true",
        help="installed content version, last successful check and last error",
    )
    parser.add_argument(
        "--no-switch",
        action="store_true",
        help="only stage a new bundle; the running app switches to it between residents",
    )
    add_config_arg(parser)
    parser.set_defaults(func=cmd_update)


def cmd_update(args: argparse.Namespace) -> int:
    from kiosk.core.content.update import ContentUpdater, UpdateStatus

    settings = settings_from(args)
    updater = ContentUpdater(settings)
    if args.status:
        for key, value in updater.status().as_dict().items():
            print(f"{key}: {'' if value is None else value}")
        return 0
    result = updater.check_once()
    if result.status == UpdateStatus.UPDATED_STAGED:
        if args.no_switch:
            print(f"staged version {result.version}; the app switches to it between residents")
        elif updater.switch_pending():
            print(f"updated to version {result.version}")
        else:
            print(f"refused: {updater.status().last_error}")
            return 1
    elif result.status == UpdateStatus.CURRENT:
        print(f"already current: version {result.version}")
    else:
        print(f"{result.status.value}: {result.reason}")
    if result.status in (UpdateStatus.UPDATED_STAGED, UpdateStatus.CURRENT):
        if result.reason:
            print(f"note: {result.reason}")
        print(
            f"downloaded {result.bytes_downloaded} bytes "
            f"({result.files_downloaded} files, {result.files_reused} reused from installed content)"
        )
        return 0
    return 1 if result.status != UpdateStatus.NOT_CONFIGURED else 2
