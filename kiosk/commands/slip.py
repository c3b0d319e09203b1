"""`kiosk slip`: draw a service slip or a help-ticket slip without a printer (PNG,
ESC/POS bytes), or send it to the configured printer to check the setup."""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from pathlib import Path

from kiosk.commands import add_config_arg, settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "slip",
        help="draw a slip to a PNG (and ESC/POS bytes), or print it on the configured printer",
    )
    parser.add_argument("--service", help="service id (see `kiosk content list`)")
    parser.add_argument("--ticket", help="draw a help-ticket slip with this number, e.g. B-014")
    parser.add_argument("--ahead", type=int, default=None, help="ticket slip: people before you")
    parser.add_argument("--lang", default="az", help="language code (default az)")
    parser.add_argument("--out", type=Path, help="PNG file to write")
    parser.add_argument("--escpos-out", type=Path, help="file for the ESC/POS bytes")
    parser.add_argument(
        "--width", type=int, choices=(58, 80), help="paper in mm (default: printer.paper_mm)"
    )
    parser.add_argument("--site", help="site profile id (default: kiosk.site)")
    parser.add_argument("--content", type=Path, help="content bundle (default: kiosk.content_dir)")
    parser.add_argument(
        "--print", action="store_true", help="also send it to the printer in printer.backend"
    )
    add_config_arg(parser)
    parser.set_defaults(func=cmd_slip)


def cmd_slip(args: argparse.Namespace) -> int:
    from kiosk.core.content import BundleError, load_bundle
    from kiosk.core.slips import (
        LinkRefused,
        check_link,
        escpos_bytes,
        make_printer,
        print_in_background,
        render_service_slip,
        render_ticket_slip,
    )

    settings = settings_from(args)
    if not args.service and not args.ticket:
        print("kiosk slip: give --service ID, or --ticket NUMBER for a help-ticket slip")
        return 2
    if not (args.out or args.escpos_out or args.print):
        print("kiosk slip: give --out PNG, --escpos-out FILE or --print")
        return 2
    from kiosk.core.terminal import content_dir

    content = args.content or content_dir(settings)
    allowlist = settings["links.allowlist"]
    try:
        bundle = load_bundle(content, allowlist)
    except BundleError as exc:
        for p in exc.problems:
            print(p)
        return 1
    if args.lang not in bundle.language_codes:
        print(f"kiosk slip: language {args.lang!r} is not in the bundle")
        return 2
    if args.service and args.service not in bundle.services:
        print(f"kiosk slip: no service {args.service!r}; see `kiosk content list {content}`")
        return 2
    paper = args.width or settings["printer.paper_mm"]
    site = args.site or settings["kiosk.site"]
    terminal = settings["kiosk.terminal_id"]
    now = datetime.now()

    started = time.perf_counter()
    if args.ticket:
        img = render_ticket_slip(
            bundle, args.ticket, args.lang, site, terminal, args.service, paper, now, args.ahead
        )
        what = f"ticket {args.ticket}"
    else:
        img = render_service_slip(
            bundle, args.service, args.lang, site, terminal, paper, now, allowlist=allowlist
        )
        what = f"service {args.service}"
    took = time.perf_counter() - started
    print(
        f"{what} [{args.lang}], {paper} mm: {img.width}x{img.height} dots in {took * 1000:.0f} ms"
    )

    if args.service and not args.ticket:
        link = bundle.services[args.service].link
        if not link:
            print("no link: the slip has no QR code")
        else:
            try:
                print(f"QR code: {check_link(link, allowlist)}")
            except LinkRefused:
                print(f"REFUSED link {link}: the slip has no QR code")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        img.save(args.out)
        print(f"wrote {args.out}")
    if args.escpos_out:
        data = escpos_bytes(img)
        args.escpos_out.parent.mkdir(parents=True, exist_ok=True)
        args.escpos_out.write_bytes(data)
        print(f"wrote {args.escpos_out} ({len(data)} bytes of ESC/POS)")
    if args.print:
        printer = make_printer(settings)
        timeout = settings["printer.timeout_seconds"]
        job = print_in_background(printer, img, timeout, lambda r: None)
        result = job.wait(timeout + 1)
        if result is None:
            print("printer: no answer")
            return 1
        print(f"printer ({settings['printer.backend']}): {result.status.value} {result.message}")
        return 0 if result.ok else 1
    return 0
