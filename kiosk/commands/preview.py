"""`kiosk preview`: every screen of every flow to PNG, off-screen, at the display
size the settings give (or --size/--dpi), with every layout problem printed."""

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
    parser.add_argument(
        "--size",
        type=_size,
        help="screen size WxH in pixels as residents see it, e.g. 1080x1920 (default: display.width/height)",
    )
    parser.add_argument(
        "--dpi", type=_dpi, help="screen density in dots per inch (default: display.dpi)"
    )
    parser.add_argument(
        "--sample",
        action="store_true",
        help="only one screen of each kind (a group, one step per kind), for a quick look",
    )
    parser.add_argument(
        "--screens",
        help="only these screens, comma separated (attract, language, home, group, step, help, keypad, ticket, slip, idle, staff)",
    )
    parser.add_argument(
        "--access",
        choices=("usual", "large"),
        default="usual",
        help="large: every screen in high contrast (text scaled by access.large_scale, or --scale), as a resident turns it on",
    )
    parser.add_argument(
        "--scale",
        type=float,
        help="with --access large: text this many times its size (default access.large_scale)",
    )
    add_config_arg(parser)
    parser.set_defaults(func=cmd_preview)


def _dpi(text: str) -> int:
    if not text.isdigit() or not 50 <= int(text) <= 600:
        raise argparse.ArgumentTypeError(f"{text!r}: dpi is a whole number from 50 to 600")
    return int(text)


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1080x1920") from None
    if width < 320 or height < 320:
        raise argparse.ArgumentTypeError(f"{text!r}: a screen is at least 320x320 pixels")
    return width, height


def cmd_preview(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.content:
        settings = settings.replace(kiosk__content_dir=str(args.content))
    if args.size:
        settings = settings.replace(display__width=args.size[0], display__height=args.size[1])
    if args.dpi:
        settings = settings.replace(display__dpi=args.dpi)
    if args.scale:
        settings = settings.replace(access__large_scale=args.scale)
    # The preview shows what residents see: the window is not turned by display.rotation.
    settings = settings.replace(display__rotation=0)
    languages = [code.strip() for code in args.lang.split(",") if code.strip()]

    from kiosk.ui.boot import configure_kivy

    configure_kivy(settings, windowed=True, offscreen=True)
    from kiosk.core.terminal import NoNarration, Terminal, load_terminal_content
    from kiosk.ui.fit import QR_MIN_MM
    from kiosk.ui.harness import OffscreenKiosk
    from kiosk.ui.preview import render_all

    bundle, site = load_terminal_content(settings)
    # A stopped clock: however long rendering takes, the idle timer never sends the
    # preview back to the attract screen.
    kiosk = OffscreenKiosk(Terminal(settings, bundle, site, NoNarration()), now=lambda: 0.0)
    qr: dict[str, list[float]] = {}
    kinds = tuple(n.strip() for n in args.screens.split(",") if n.strip()) if args.screens else None
    problems = render_all(
        kiosk, args.out, languages, args.sample, large=args.access == "large", qr=qr, kinds=kinds
    )
    count = sum(1 for _ in args.out.rglob("*.png"))
    report = []
    for name, found in problems.items():
        for p in found:
            report.append(f"{name}: {p}")
    if report:
        print("\n".join(report))
    # Every QR code's size in the report file; the smallest and largest printed.
    sizes = [(mm, name) for name, found in qr.items() for mm in found]
    qr_lines = [f"{name}: QR code {mm:.1f} mm" for mm, name in sorted(sizes, key=lambda s: s[1])]
    (args.out / "report.txt").write_text("\n".join(report + qr_lines) + "\n", encoding="utf-8")
    if sizes:
        low, high = min(sizes), max(sizes)
        print(
            f"QR codes on {len(sizes)} screens: {low[0]:.1f} mm ({low[1]}) to {high[0]:.1f} mm"
            f" (the least is {QR_MIN_MM:g} mm; every size in {args.out / 'report.txt'})"
        )
    shape = kiosk.app.theme
    where = f"{count} screens at {shape.width}x{shape.height}, {shape.dpi} dpi ({shape.shape}) in {args.out}"
    print(f"{'ok' if not problems else f'problems on {len(problems)} screen(s)'}: {where}")
    return 1 if problems else 0
