"""`kiosk config`: check a settings file, or rewrite the documented defaults."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.core.settings import (
    HUB_SETTINGS,
    KIOSK_SETTINGS,
    SettingsError,
    load_settings,
    render_documented,
    settings_kind,
)
from kiosk.paths import CONFIG_DIR

KIOSK_TITLE = "Kömək terminal settings (kiosk run). Regenerate with: kiosk config --write"
HUB_TITLE = "Kömək hub settings (kiosk hub). Regenerate with: kiosk config --write"


def documented_files() -> dict[Path, str]:
    return {
        CONFIG_DIR / "kiosk.toml": render_documented(KIOSK_SETTINGS, KIOSK_TITLE),
        CONFIG_DIR / "hub.toml": render_documented(HUB_SETTINGS, HUB_TITLE),
    }


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("config", help="check a settings file or rewrite config/*.toml")
    parser.add_argument("--check", type=Path, help="settings file to check")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument(
        "--hub",
        action="store_true",
        help="--check it as a hub settings file (default: told by its keys)",
    )
    kind.add_argument(
        "--terminal", action="store_true", help="--check it as a terminal settings file"
    )
    parser.add_argument(
        "--write", action="store_true", help="rewrite config/kiosk.toml and config/hub.toml"
    )
    parser.set_defaults(func=cmd_config)


def cmd_config(args: argparse.Namespace) -> int:
    if args.write:
        for path, text in documented_files().items():
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.name}")
    if args.check:
        if args.hub or args.terminal:
            kind, telling = ("hub" if args.hub else "kiosk"), []
        else:
            kind, telling = settings_kind(args.check)
        what = "hub" if kind == "hub" else "terminal"
        if telling:
            shown = ", ".join(telling[:3]) + (" ..." if len(telling) > 3 else "")
            print(f"{args.check}: checked as {what} settings (it sets {shown})")
        try:
            load_settings(args.check, HUB_SETTINGS if kind == "hub" else KIOSK_SETTINGS)
        except SettingsError as exc:
            print("\n".join(f"{exc.source}: {p}" for p in exc.problems))
            if kind == "kiosk" and not args.terminal:
                print(f"(checked as terminal settings; add --hub if {args.check} is a hub's)")
            return 1
        print(f"ok: {args.check} ({what} settings)")
    return 0
