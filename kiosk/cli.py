"""The one `kiosk` command. Each sub-command lives in kiosk/commands/<name>.py
with a `register(subparsers)` function; this file only gathers them.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import kiosk.commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Kömək touchscreen kiosk")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for info in sorted(pkgutil.iter_modules(kiosk.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"kiosk.commands.{info.name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
