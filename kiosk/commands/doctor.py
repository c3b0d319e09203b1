"""`kiosk doctor`: one line per check, ok / warning / fail; exit 0, 1 or 2."""

from __future__ import annotations

import argparse

from kiosk.commands import add_config_arg, settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("doctor", help="check display, speech, printer, hub, content and disk")
    add_config_arg(parser)
    parser.set_defaults(func=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    from kiosk.core.doctor import default_checks, run_checks

    results = run_checks(settings_from(args), default_checks())
    for r in results:
        print(r)
    return max((int(r.health) for r in results), default=0)
