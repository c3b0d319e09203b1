"""`kiosk doctor`: one line per check, ok / warning / fail; exit 0, 1 or 2."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.commands import add_config_arg, settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("doctor", help="check display, speech, printer, hub, content and disk")
    add_config_arg(parser)
    parser.add_argument(
        "--hub-config",
        type=Path,
        default=None,
        help="hub settings file to check too (default: config/hub.toml when present)",
    )
    parser.set_defaults(func=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    from kiosk.core.doctor import default_checks, run_checks

    results = run_checks(settings_from(args), default_checks())
    results += _hub_checks(args)
    for r in results:
        print(r)
    return max((int(r.health) for r in results), default=0)


def _hub_checks(args: argparse.Namespace) -> list:  # type: ignore[type-arg]
    """The hub's own findings: its content-signing keys must be private."""
    from kiosk.commands import CONFIG_DIR, settings_or_exit
    from kiosk.core.content.publish import key_exposure
    from kiosk.core.doctor import CheckResult, Health
    from kiosk.core.settings import HUB_SETTINGS

    path = getattr(args, "hub_config", None)
    if path is None and not (CONFIG_DIR / "hub.toml").exists():
        return []
    settings = settings_or_exit(path, HUB_SETTINGS, "hub.toml", "hub")
    keys = settings["hub.content_keys"]
    if not keys:
        return []
    folder = Path(keys).expanduser()
    problems = key_exposure(folder)
    if problems:
        return [CheckResult("hub keys", Health.WARNING, "; ".join(problems))]
    return [CheckResult("hub keys", Health.OK, f"{folder}: only its owner can read the keys")]
