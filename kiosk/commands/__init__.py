"""Sub-commands of `kiosk`: one module each, with register(subparsers).

Modules import heavy things (Kivy, FastAPI) inside their handlers, so
`kiosk content validate` starts fast and works without a display.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.core.settings import KIOSK_SETTINGS, Setting, Settings, SettingsError, load_settings
from kiosk.paths import CONFIG_DIR


def add_config_arg(
    parser: argparse.ArgumentParser,
    help: str = "terminal settings file (default: config/kiosk.toml, else built-in defaults)",
) -> None:
    parser.add_argument("--config", type=Path, default=None, help=help)


def settings_from(args: argparse.Namespace) -> Settings:
    """The terminal's settings, or exit with every bad key named."""
    return settings_or_exit(args.config, KIOSK_SETTINGS, "kiosk.toml", "kiosk")


def settings_or_exit(
    path: Path | None, spec: tuple[Setting, ...], default_name: str, who: str
) -> Settings:
    """Settings from `path` (else config/<default_name> if present, else the
    defaults), or exit naming every bad key."""
    if path is None and (CONFIG_DIR / default_name).exists():
        path = CONFIG_DIR / default_name
    try:
        return load_settings(path, spec)
    except SettingsError as exc:
        raise SystemExit(
            f"{who}: bad settings in {exc.source}:\n  " + "\n  ".join(exc.problems)
        ) from None
