"""Sub-commands of `kiosk`: one module each, with register(subparsers).

Modules import heavy things (Kivy, FastAPI) inside their handlers, so
`kiosk content validate` starts fast and works without a display.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.core.settings import KIOSK_SETTINGS, Settings, SettingsError, load_settings
from kiosk.paths import CONFIG_DIR


def add_config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="terminal settings file (default: config/kiosk.toml, else built-in defaults)",
    )


def settings_from(args: argparse.Namespace) -> Settings:
    """The terminal's settings, or exit with every bad key named."""
    path = args.config
    if path is None and (CONFIG_DIR / "kiosk.toml").exists():
        path = CONFIG_DIR / "kiosk.toml"
    try:
        return load_settings(path, KIOSK_SETTINGS)
    except SettingsError as exc:
        raise SystemExit(
            f"kiosk: bad settings in {exc.source}:\n  " + "\n  ".join(exc.problems)
        ) from None
