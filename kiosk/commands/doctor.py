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
    results = _hub_clock(settings)
    keys = settings["hub.content_keys"]
    if not keys:
        return results
    folder = Path(keys).expanduser()
    problems = key_exposure(folder)
    if problems:
        return [*results, CheckResult("hub keys", Health.WARNING, "; ".join(problems))]
    return [
        *results,
        CheckResult("hub keys", Health.OK, f"{folder}: only its owner can read the keys"),
    ]


def _hub_clock(settings) -> list:  # type: ignore[no-untyped-def,type-arg]
    """What the hub last knew of its own clock (kept in its database)."""
    import json
    import sqlite3

    from kiosk.core.doctor import CheckResult, Health
    from kiosk.hub.fleet.clock_check import summary

    db = Path(settings["hub.data_dir"]).expanduser() / "hub.db"
    if not db.is_file():
        return []
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            rows = conn.execute("select state from hub_clock where id = 1").fetchall()
        finally:
            conn.close()
        state = json.loads(rows[0][0]) if rows else {}
    except (sqlite3.Error, ValueError) as exc:  # an older hub's database has no such table
        return [CheckResult("hub clock", Health.OK, f"not kept by this hub's database ({exc})")]
    fine, line = summary(
        state if isinstance(state, dict) else {}, settings["hub.clock_trust_hours"]
    )
    return [CheckResult("hub clock", Health.OK if fine else Health.WARNING, line)]
