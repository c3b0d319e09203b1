"""`kiosk run`: the terminal app, full screen in kiosk mode (or --windowed)."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from kiosk.commands import add_config_arg, settings_from
from kiosk.core.settings import HUB_SETTINGS, Settings, validate_values

log = logging.getLogger(__name__)


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

    server = None
    if args.with_hub:
        settings, server = start_local_hub(settings)
    code = run_app(settings, server)
    # The terminal is closed by now (outbox and databases closed, narration ended).
    # Python's own teardown of Kivy's objects can take seconds more, past the 2 s a
    # clean stop is given under systemd: skip it.
    logging.getLogger(__name__).info("stopped (%s)", code)
    for handler in logging.getLogger().handlers:
        handler.flush()  # not logging.shutdown(): it waits for every handler's lock
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def start_local_hub(settings: Settings) -> tuple[Settings, object]:
    """A hub in this process for `kiosk run --with-hub`, and settings that point at it."""
    from urllib.parse import urlsplit

    from kiosk.hub.server import dev_terminal_key, start_in_thread

    url = urlsplit(settings["hub.url"] or "http://127.0.0.1:8470")
    host, port = url.hostname or "127.0.0.1", url.port or 8470
    hub_settings = validate_values(
        {"hub.host": host, "hub.port": port}, HUB_SETTINGS, "kiosk run --with-hub"
    )
    data = settings.path("kiosk.data_dir") / "hub"
    data.mkdir(parents=True, exist_ok=True)
    key = dev_terminal_key(data, settings["kiosk.terminal_id"], settings["kiosk.site"])
    server = start_in_thread(hub_settings, data, host, port)
    log.info(
        "hub running on http://%s:%s (add a volunteer: kiosk hub add-volunteer NAME --site %s --data %s)",
        host,
        port,
        settings["kiosk.site"],
        data,
    )
    return settings.replace(hub__url=f"http://{host}:{port}", hub__terminal_key=key), server
