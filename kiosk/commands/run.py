"""`kiosk run`: the terminal app, full screen in kiosk mode (or --windowed)."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from kiosk.commands import add_config_arg, settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run the kiosk app")
    parser.add_argument(
        "--windowed",
        action="store_true",
        help="a normal window instead of kiosk mode (development)",
    )
    parser.add_argument(
        "--with-hub", action="store_true", help="also start a local hub for help requests"
    )
    add_config_arg(parser)
    parser.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = settings_from(args)
    if args.windowed:  # development: a window that closes, Esc works
        settings = settings.replace(kiosk__kiosk_mode=False)
    from kiosk.ui.boot import configure_kivy

    configure_kivy(settings, windowed=args.windowed)
    from kiosk.ui.main import run_app

    code = run_app(settings, with_hub=args.with_hub)
    # The terminal is closed by now (outbox and databases closed, narration ended).
    # Python's own teardown of Kivy's objects can take seconds more, past the 2 s a
    # clean stop is given under systemd: skip it.
    logging.getLogger(__name__).info("stopped (%s)", code)
    for handler in logging.getLogger().handlers:
        handler.flush()  # not logging.shutdown(): it waits for every handler's lock
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
