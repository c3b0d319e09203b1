"""`kiosk hash-pin`: make the hash of a staff PIN for kiosk.exit_pin_hash."""

from __future__ import annotations

import argparse
import getpass
import sys


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("hash-pin", help="hash a staff PIN for kiosk.exit_pin_hash")
    parser.add_argument("--stdin", action="store_true", help="read the PIN from standard input")
    parser.set_defaults(func=cmd_hash_pin)


def cmd_hash_pin(args: argparse.Namespace) -> int:
    from kiosk.core.lockdown import hash_pin

    pin = (
        sys.stdin.readline().strip() if args.stdin else getpass.getpass("Staff PIN (4-12 digits): ")
    )
    try:
        print(hash_pin(pin))
    except ValueError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    return 0
