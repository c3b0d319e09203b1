"""`kiosk preview`: every screen of every flow to PNG, off-screen."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.commands import add_config_arg, settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("preview", help="render every screen of every flow to PNG files")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    parser.add_argument(
        "--lang", default="az,ru,en", help="languages, comma separated (default az,ru,en)"
    )
    parser.add_argument(
        "--content", type=Path, help="content bundle to preview (default: the terminal's)"
    )
    add_config_arg(parser)
    parser.set_defaults(func=cmd_preview)


def cmd_preview(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.content:
        settings = settings.replace(kiosk__content_dir=str(args.content))
    languages = [code.strip() for code in args.lang.split(",") if code.strip()]

    from kiosk.ui.boot import configure_kivy

    configure_kivy(settings, windowed=True, offscreen=True)
    from kiosk.core.terminal import NoNarration, Terminal, load_terminal_content
    from kiosk.ui.harness import OffscreenKiosk
    from kiosk.ui.preview import render_all

    bundle, site = load_terminal_content(settings)
    kiosk = OffscreenKiosk(Terminal(settings, bundle, site, NoNarration()))
    problems = render_all(kiosk, args.out, languages)
    count = sum(1 for _ in args.out.rglob("*.png"))
    for name, found in problems.items():
        for p in found:
            print(f"{name}: {p}")
    print(
        f"{'ok' if not problems else 'text does not fit on ' + str(len(problems)) + ' screen(s)'}: {count} screens in {args.out}"
    )
    return 1 if problems else 0
