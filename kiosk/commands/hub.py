"""`kiosk hub`: run the site hub, and manage its volunteers and terminal keys.

    kiosk hub [--host H] [--port P] [--data DIR] [--config F]     run the server
    kiosk hub add-volunteer NAME --site SITE [--admin] [--display-name N] [--password-stdin]
    kiosk hub volunteers [list]                                   every account and its state
    kiosk hub volunteers disable|enable|remove NAME               disabling ends their sessions
    kiosk hub add-terminal NAME [--site SITE]                     prints the key once
    kiosk hub revoke-terminal NAME
    kiosk hub add-display NAME --site SITE                        a call display's address, once
    kiosk hub revoke-display NAME
    kiosk hub remove-terminal NAME                                forget it (and its counts)
    kiosk hub add-hub NAME --site SITE [--site SITE...]           a key another hub forwards with
    kiosk hub remove-hub NAME                                     revoke it, forget its terminals
    kiosk hub terminals                                           list terminals and hubs
    kiosk hub make-cert NAME... --out DIR                         HTTPS for phones on the LAN
    kiosk hub recordings import FILE --text KEY --lang L --by NAME
    kiosk hub recordings approve (--all | ID...) --by NAME
    kiosk hub recordings export --into BUNDLE
    kiosk hub recordings list

FastAPI and uvicorn are imported inside the handlers.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.commands import settings_or_exit
from kiosk.core.settings import HUB_SETTINGS, KIOSK_SETTINGS, Settings
from kiosk.core.textclean import NAME_PATTERN, SITE_PATTERN

NAME_RE = re.compile(NAME_PATTERN)
SITE_RE = re.compile(SITE_PATTERN)
MIN_PASSWORD = 8
DEFAULT_SITE = next(s.default for s in KIOSK_SETTINGS if s.key == "kiosk.site")


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    # Sub-actions repeat these so `--data` works before or after the action;
    # SUPPRESS keeps an action's missing option from hiding the hub-level one.
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--data", type=Path, default=default, help="hub data folder (default: hub.data_dir)"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=default,
        help="hub settings file (default: config/hub.toml, else built-in defaults)",
    )


def _name(value: str) -> str:
    if not NAME_RE.match(value):
        raise argparse.ArgumentTypeError(
            "use 1-40 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return value


def _terminal_name(value: str) -> str:
    """NAME, or HUB/NAME for a terminal another hub forwarded."""
    parts = value.split("/")
    if len(parts) > 2:
        raise argparse.ArgumentTypeError("use NAME or HUB/NAME")
    for part in parts:
        _name(part)
    return value


def _site(value: str) -> str:
    if not SITE_RE.match(value):
        raise argparse.ArgumentTypeError("use 1-40 lower-case letters, digits, '_' or '-'")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "hub", help="run the site hub (help-request queue and volunteers' console)"
    )
    parser.add_argument("--host", help="address to listen on (default: hub.host)")
    parser.add_argument("--port", type=int, help="port to listen on (default: hub.port)")
    _common(parser, suppress=False)
    parser.set_defaults(func=cmd_serve)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = False

    vol = actions.add_parser("add-volunteer", help="create a volunteer or set a new password")
    vol.add_argument("name", type=_name)
    vol.add_argument("--site", required=True, help="site id whose queue they see, e.g. barda")
    vol.add_argument(
        "--admin",
        action="store_true",
        help="may see every site's terminals on the /admin/ page (others see their own site's)",
    )
    vol.add_argument(
        "--display-name",
        help="the name the waiting-room display shows and says for them, e.g. Aysel "
        "(never the account's name; none unless given)",
    )
    vol.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    _common(vol, suppress=True)
    vol.set_defaults(func=cmd_add_volunteer)

    vols = actions.add_parser(
        "volunteers", help="list volunteers; disable, enable or remove one (their sessions end)"
    )
    _common(vols, suppress=True)
    vols.set_defaults(func=cmd_volunteers_list)
    vsub = vols.add_subparsers(dest="volunteers_action", metavar="ACTION")
    vsub.required = False
    vlist = vsub.add_parser("list", help="name, site, admin, state, open sessions (the default)")
    _common(vlist, suppress=True)
    vlist.set_defaults(func=cmd_volunteers_list)
    for verb, text in (
        ("disable", "refuse their logins and end their sessions now (the name stays on history)"),
        ("enable", "let a disabled volunteer log in again"),
        ("remove", "delete the account and its sessions (requests keep the name as history)"),
    ):
        one = vsub.add_parser(verb, help=text)
        one.add_argument("name", type=_name)
        _common(one, suppress=True)
        one.set_defaults(func=cmd_volunteer_change, verb=verb)

    term = actions.add_parser("add-terminal", help="create a terminal key (prints it once)")
    term.add_argument("name", type=_name)
    term.add_argument(
        "--site",
        default=DEFAULT_SITE,
        help=f"site the terminal stands in (default: {DEFAULT_SITE})",
    )
    _common(term, suppress=True)
    term.set_defaults(func=cmd_add_terminal)

    disp = actions.add_parser(
        "add-display", help="a waiting-room call display for a site (prints its address once)"
    )
    disp.add_argument("name", type=_name)
    disp.add_argument("--site", required=True, type=_site, help="site whose calls it shows")
    _common(disp, suppress=True)
    disp.set_defaults(func=cmd_add_display)

    rev_disp = actions.add_parser("revoke-display", help="refuse a display's key from now on")
    rev_disp.add_argument("name", type=_name)
    _common(rev_disp, suppress=True)
    rev_disp.set_defaults(func=cmd_revoke_display)

    rev = actions.add_parser("revoke-terminal", help="refuse a terminal's key from now on")
    rev.add_argument("name", type=_name)
    _common(rev, suppress=True)
    rev.set_defaults(func=cmd_revoke_terminal)

    rm = actions.add_parser(
        "remove-terminal",
        help="forget a terminal: its key, status and counts (HUB/TERMINAL for a forwarded one)",
    )
    rm.add_argument("name", type=_terminal_name)
    _common(rm, suppress=True)
    rm.set_defaults(func=cmd_remove_terminal)

    add_hub = actions.add_parser(
        "add-hub", help="create the key another hub forwards its terminals' status with"
    )
    add_hub.add_argument("name", type=_name)
    add_hub.add_argument(
        "--site",
        dest="sites",
        action="append",
        required=True,
        type=_site,
        help="a site that hub may report terminals for (repeat for more)",
    )
    _common(add_hub, suppress=True)
    add_hub.set_defaults(func=cmd_add_hub)

    rm_hub = actions.add_parser(
        "remove-hub", help="refuse a hub's key and forget every terminal it forwarded"
    )
    rm_hub.add_argument("name", type=_name)
    _common(rm_hub, suppress=True)
    rm_hub.set_defaults(func=cmd_remove_hub)

    cert = actions.add_parser(
        "make-cert",
        help="a certificate for HTTPS on the LAN (phones open the microphone only on HTTPS)",
        description=(
            "Makes OUT/ca.crt (install it on volunteers' phones and laptops; terminals "
            "use it as their CA bundle), OUT/hub.crt and OUT/hub.key (hub.tls_cert and "
            "hub.tls_key) for the names and IP addresses the hub is reached by."
        ),
    )
    cert.add_argument(
        "names", nargs="+", help="host names and IP addresses, e.g. hub.lan 192.168.1.10"
    )
    cert.add_argument("--out", type=Path, required=True, help="folder for the four files")
    cert.add_argument("--force", action="store_true", help="replace certificates already there")
    cert.set_defaults(func=cmd_make_cert)

    lst = actions.add_parser("terminals", help="list terminals and whether their keys work")
    _common(lst, suppress=True)
    lst.set_defaults(func=cmd_terminals)

    rep = actions.add_parser(
        "report",
        help="the monthly impact report (PDF or CSV): anonymous counts per district",
        description=(
            "Per district and in total: sessions, services opened and finished, slips "
            "printed, help requests (answered, no-show), the wait to be called (median and "
            "90th percentile), busiest hours, languages, the share heard in a human voice, "
            "terminal uptime and outages, against the month before; charts and a plain "
            "summary. Counts under 5 are shown as '< 5'; no name, phone or ticket is read."
        ),
    )
    rep.add_argument("--month", required=True, help="the month, YYYY-MM (e.g. 2026-11)")
    rep.add_argument("--site", type=_site, help="one district only (default: every district)")
    rep.add_argument(
        "--lang",
        choices=("az", "ru", "en"),
        default="az",
        help="the report's language (default az)",
    )
    rep.add_argument(
        "--out", type=Path, help="write the PDF here (default: report-<month>[-<site>].pdf)"
    )
    rep.add_argument(
        "--csv", type=Path, help="also (or only, with no --out) write the figures as CSV"
    )
    _content_arg(rep)
    _common(rep, suppress=True)
    rep.set_defaults(func=cmd_report)

    rec = actions.add_parser(
        "recordings", help="human-voice recordings: import a file, approve, export into a bundle"
    )
    rsub = rec.add_subparsers(dest="recordings_action", metavar="ACTION")
    rsub.required = True
    imp = rsub.add_parser(
        "import", help="add a recording made elsewhere (e.g. a phone's recorder app)"
    )
    imp.add_argument("file", type=Path, help="the audio file (WAV, OGG, WebM, M4A, MP3...)")
    imp.add_argument("--text", required=True, help="the text's key, e.g. home.say")
    imp.add_argument("--lang", required=True, help="language of the recording, e.g. az")
    imp.add_argument("--by", required=True, type=_name, help="who recorded it")
    _content_arg(imp)
    _common(imp, suppress=True)
    imp.set_defaults(func=cmd_recordings_import)
    appr = rsub.add_parser("approve", help="approve recordings so export takes them")
    appr.add_argument("ids", nargs="*", type=int, metavar="ID")
    appr.add_argument("--all", action="store_true", help="every recording waiting for approval")
    appr.add_argument("--by", required=True, type=_name, help="the admin approving")
    _common(appr, suppress=True)
    appr.set_defaults(func=cmd_recordings_approve)
    exp = rsub.add_parser(
        "export", help="write approved recordings into a content bundle folder and its TOML"
    )
    exp.add_argument("--into", type=Path, required=True, help="the bundle folder to change")
    _common(exp, suppress=True)
    exp.set_defaults(func=cmd_recordings_export)
    rls = rsub.add_parser("list", help="every recording: id, state, language, text, who, when")
    _common(rls, suppress=True)
    rls.set_defaults(func=cmd_recordings_list)


def _content_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        type=Path,
        default=None,
        help="content bundle the text is in (default: the hub's content, the studios' draft)",
    )


def hub_settings(args: argparse.Namespace) -> Settings:
    return settings_or_exit(args.config, HUB_SETTINGS, "hub.toml", "kiosk hub")


def _data_dir(args: argparse.Namespace, settings: Settings) -> Path:
    return args.data.expanduser() if args.data else settings.path("hub.data_dir")


def _store(args: argparse.Namespace, settings: Settings | None = None):  # type: ignore[no-untyped-def]
    from kiosk.hub.store import HubStore

    settings = settings or hub_settings(args)
    return HubStore(_data_dir(args, settings) / "hub.db")


def _now():  # type: ignore[no-untyped-def]
    from kiosk.core.helpdesk.clock import SystemClock

    return SystemClock().now()


def cmd_serve(args: argparse.Namespace) -> int:
    import logging

    from kiosk.hub.server import build_server

    # The hub's own lines (who saved and published what, refusals, forwarding)
    # go to standard error, which systemd's journal keeps; uvicorn adds its own.
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    settings = hub_settings(args)
    host = args.host or settings["hub.host"]
    port = args.port or settings["hub.port"]
    data_dir = _data_dir(args, settings)
    try:
        server = build_server(settings, data_dir, host, port)
    except ValueError as exc:
        raise SystemExit(f"kiosk hub: {exc}") from None
    scheme = "https" if settings["hub.tls_cert"] else "http"
    print(f"Kömək hub: console at {scheme}://{host}:{port}/console/  data in {data_dir}")
    server.run()
    return 0


def _cli_who() -> str:
    """Who the audit log names for a change made on the command line."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "?"
    return f"command line ({user})"


def known_sites(settings: Settings, data_dir: Path) -> list[str] | None:
    """Site ids of the hub's content (the studios' draft, else hub.content_source);
    None when that content does not load (then nothing can be checked)."""
    from kiosk.core.content import BundleError, load_bundle
    from kiosk.hub.studio.content_drafts import hub_content_dir

    try:
        return sorted(load_bundle(hub_content_dir(settings, data_dir)).sites)
    except (BundleError, OSError):
        return None


def cmd_add_volunteer(args: argparse.Namespace) -> int:
    settings = hub_settings(args)
    sites = known_sites(settings, _data_dir(args, settings))
    if sites is None:
        print(
            "refused: the hub's content does not load, so the site cannot be checked; "
            "run `kiosk content validate` on hub.content_source",
            file=sys.stderr,
        )
        return 1
    if args.site not in sites:
        print(
            f"refused: no site {args.site!r} in the hub's content; known sites: "
            f"{', '.join(sites)}. Nothing changed.",
            file=sys.stderr,
        )
        return 1
    shown_as = None
    if args.display_name is not None:
        from kiosk.core.textclean import display_name

        try:
            shown_as = display_name(args.display_name)
        except ValueError as exc:
            print(f"refused: {exc}. Nothing changed.", file=sys.stderr)
            return 1
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"Password for {args.name}: ")
        if getpass.getpass("Again: ") != password:
            print("the two passwords differ; nothing changed", file=sys.stderr)
            return 1
    if len(password) < MIN_PASSWORD:
        print(f"a password needs at least {MIN_PASSWORD} characters", file=sys.stderr)
        return 1
    from kiosk.hub.store import AuditAction

    store = _store(args)
    now = _now()
    new = store.add_volunteer(args.name, args.site, password, now, admin=args.admin)
    if shown_as is not None:
        store.set_display_name(args.name, shown_as)
    role = ", admin" if args.admin else ""
    store.audit(
        _cli_who(),
        AuditAction.VOLUNTEER_ADD if new else AuditAction.VOLUNTEER_UPDATE,
        args.name,
        now,
        site=args.site,
        role="admin" if args.admin else "volunteer",
    )
    print(f"{'added' if new else 'updated'} volunteer {args.name} (site {args.site}{role})")
    found = store.volunteer(args.name)
    if found and found["disabled_at"]:
        print(f"{args.name} stays disabled: `kiosk hub volunteers enable {args.name}`")
    return 0


def cmd_volunteers_list(args: argparse.Namespace) -> int:
    rows = _store(args).volunteers()
    if not rows:
        print("no volunteers yet: kiosk hub add-volunteer NAME --site SITE")
        return 0
    print("name\tsite\trole\tstate\tsessions\tsince\tdisplay name")
    for v in rows:
        state = f"disabled {v['disabled_at']}" if v["disabled_at"] else "active"
        role = "admin" if v["admin"] else "volunteer"
        print(
            f"{v['name']}\t{v['site']}\t{role}\t{state}\t{v['sessions']}\t{v['created_at']}"
            f"\t{v['display_name'] or '-'}"
        )
    return 0


def cmd_volunteer_change(args: argparse.Namespace) -> int:
    from kiosk.hub.store import AuditAction

    store = _store(args)
    now = _now()
    found = store.volunteer(args.name)
    if found is None:
        print(f"no volunteer {args.name}; nothing changed", file=sys.stderr)
        return 1
    if args.verb == "remove":
        store.remove_volunteer(args.name)
        action, said = AuditAction.VOLUNTEER_REMOVE, f"removed volunteer {args.name}"
    else:
        disable = args.verb == "disable"
        store.set_volunteer_disabled(args.name, disable, now)
        action = AuditAction.VOLUNTEER_DISABLE if disable else AuditAction.VOLUNTEER_ENABLE
        said = f"{args.verb}d volunteer {args.name}"
    ended = {} if args.verb == "enable" else {"sessions_ended": found["sessions"]}
    store.audit(_cli_who(), action, args.name, now, site=found["site"], **ended)
    print(said + (f"; {found['sessions']} session(s) ended" if ended else ""))
    return 0


def cmd_add_terminal(args: argparse.Namespace) -> int:
    store = _store(args)
    key = store.add_terminal(args.name, args.site, _now())
    print(f"terminal {args.name} (site {args.site}) can now send help requests.")
    print("Put this key in the terminal's config/kiosk.toml; it is shown only now:")
    print()
    print("[hub]")
    print(f'terminal_key = "{key}"')
    return 0


def display_url(settings: Settings, site: str, key: str) -> str:
    """The address a display opens: this hub's name as the LAN sees it."""
    import socket
    from urllib.parse import urlencode

    host = settings["hub.host"]
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    scheme = "https" if settings["hub.tls_cert"] else "http"
    return (
        f"{scheme}://{host}:{settings['hub.port']}/display/?{urlencode({'site': site, 'key': key})}"
    )


def cmd_add_display(args: argparse.Namespace) -> int:
    settings = hub_settings(args)
    sites = known_sites(settings, _data_dir(args, settings))
    if sites is None:
        print(
            "refused: the hub's content does not load, so the site cannot be checked; "
            "run `kiosk content validate` on hub.content_source",
            file=sys.stderr,
        )
        return 1
    if args.site not in sites:
        print(
            f"refused: no site {args.site!r} in the hub's content; known sites: "
            f"{', '.join(sites) or 'none'}",
            file=sys.stderr,
        )
        return 1
    store = _store(args)
    key = store.add_display(args.name, args.site, _now())
    print(f"display {args.name} shows the calls of site {args.site}.")
    print("Open this address on the display (chromium --kiosk, see docs/display.md);")
    print("the key in it is shown only now and reads this site's calls only:")
    print()
    print(display_url(settings, args.site, key))
    return 0


def cmd_revoke_display(args: argparse.Namespace) -> int:
    store = _store(args)
    if not store.revoke_display(args.name, _now()):
        print(f"no working key for display {args.name}", file=sys.stderr)
        return 1
    print(f"revoked the key of display {args.name}; `add-display {args.name}` makes a new one")
    return 0


def cmd_revoke_terminal(args: argparse.Namespace) -> int:
    store = _store(args)
    if not store.revoke_terminal(args.name, _now()):
        print(f"no working key for terminal {args.name}", file=sys.stderr)
        return 1
    print(f"revoked the key of terminal {args.name}; `add-terminal {args.name}` makes a new one")
    return 0


def cmd_remove_terminal(args: argparse.Namespace) -> int:
    store = _store(args)
    if not store.remove_terminal(args.name):
        print(f"no terminal {args.name}", file=sys.stderr)
        return 1
    print(f"removed terminal {args.name}: its key, status and counts")
    return 0


def cmd_add_hub(args: argparse.Namespace) -> int:
    store = _store(args)
    key = store.add_hub(args.name, args.sites, _now())
    print(
        f"hub {args.name} may now forward its terminals for {', '.join(sorted(set(args.sites)))}."
    )
    print("Put this key in that hub's config/hub.toml; it is shown only now:")
    print()
    print("[hub]")
    print(f'central_key = "{key}"')
    return 0


def cmd_remove_hub(args: argparse.Namespace) -> int:
    store = _store(args)
    removed = store.remove_hub(args.name)
    if removed < 0:
        print(f"no hub {args.name}", file=sys.stderr)
        return 1
    print(f"removed hub {args.name} and the {removed} terminals it forwarded")
    return 0


def cmd_make_cert(args: argparse.Namespace) -> int:
    from kiosk.hub.web.tls import CertificateError, make_certificates

    try:
        made = make_certificates(args.out, args.names, force=args.force)
    except CertificateError as exc:
        print(f"kiosk hub make-cert: {exc}", file=sys.stderr)
        return 2
    print(f"made {made.ca_cert}, {made.cert} and {made.key} for {', '.join(args.names)}")
    print("in hub.toml, under [hub]:")
    print(f'  tls_cert = "{made.cert}"')
    print(f'  tls_key = "{made.key}"')
    print(f"install {made.ca_cert} on volunteers' phones and laptops (docs/helpdesk.md, HTTPS);")
    print(f"keep {made.ca_key} private and off the phones: it signs new certificates")
    return 0


def cmd_terminals(args: argparse.Namespace) -> int:
    store = _store(args)
    for t in store.terminals():
        state = f"revoked {t['revoked_at']}" if t["revoked_at"] else "active"
        print(f"{t['name']}\t{t['site']}\t{state}")
    for h in store.hubs():
        state = f"revoked {h['revoked_at']}" if h["revoked_at"] else "active"
        print(f"{h['name']}\thub for {h['sites']}\t{state}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from kiosk.core.content import BundleError, load_bundle
    from kiosk.hub.fleet.report import build_report, month_start, names, to_csv, to_pdf
    from kiosk.paths import DEFAULT_CONTENT

    try:
        month_start(args.month)
    except ValueError as exc:
        print(f"kiosk hub report: {exc}", file=sys.stderr)
        return 2
    settings = hub_settings(args)
    store = _store(args, settings)
    configured = settings["hub.content_source"]
    root = args.content or (Path(configured).expanduser() if configured else DEFAULT_CONTENT)
    try:
        bundle = load_bundle(root)  # service and district names; ids when it does not load
    except BundleError:
        bundle = None
    if args.site and bundle is not None and args.site not in bundle.sites:
        known = ", ".join(sorted(bundle.sites))
        print(f"kiosk hub report: no site {args.site!r} (known: {known})", file=sys.stderr)
        return 2
    # Hours and days in the residents' time zone, as on the hub's report page.
    report = build_report(store, args.month, args.site, tz=ZoneInfo(settings["hub.time_zone"]))
    topics = {k: v.title.values for k, v in bundle.services.items()} if bundle else {}
    places = {k: v.name.values for k, v in bundle.sites.items()} if bundle else {}
    titles, sites = names(topics, places, args.lang)
    suffix = f"-{args.site}" if args.site else ""
    written = []
    if args.csv:
        _write(args.csv, to_csv(report, args.lang, titles, sites).encode("utf-8"))
        written.append(str(args.csv))
    if args.out or not args.csv:
        out = args.out or Path(f"report-{args.month}{suffix}.pdf")
        _write(out, to_pdf(report, args.lang, titles, sites))
        written.append(str(out))
    print("wrote " + ", ".join(written))
    return 0


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a full disk leaves no half-written report."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SystemExit(f"kiosk hub report: could not write {path}: {exc}") from None


# ---- recordings ------------------------------------------------------------------


def _studio_bundle(args: argparse.Namespace, settings: Settings):  # type: ignore[no-untyped-def]
    from kiosk.core.content import BundleError, load_bundle
    from kiosk.hub.studio.content_drafts import hub_content_dir

    root = args.content or hub_content_dir(settings, _data_dir(args, settings))
    try:
        return load_bundle(root)
    except BundleError as exc:
        raise SystemExit(
            f"kiosk hub recordings: the content at {root} does not load: {exc}"
        ) from None


def cmd_recordings_import(args: argparse.Namespace) -> int:
    from kiosk.hub.studio.recordings import RecordingRefused, add_recording

    settings = hub_settings(args)
    bundle = _studio_bundle(args, settings)
    try:
        audio = args.file.read_bytes()
    except OSError as exc:
        print(f"refused: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    store = _store(args)
    try:
        row = add_recording(
            store,
            _data_dir(args, settings),
            bundle,
            audio=audio,
            key=args.text,
            lang=args.lang,
            by=args.by,
            consent=f"recorded elsewhere; consent to public playing confirmed by {args.by} on import",
            source="import",
            now=_now(),
        )
    except RecordingRefused as exc:
        print(f"refused: {exc}; nothing was stored", file=sys.stderr)
        return 1
    print(
        f"recording {row['id']}: {row['lang']} {row['text_key']}, {row['seconds']:.1f} s, "
        f"loudness {row['loudness_in']:.1f} -> {row['loudness_out']:.1f} LUFS; "
        f"waiting for approval (kiosk hub recordings approve {row['id']} --by NAME)"
    )
    return 0


def cmd_recordings_approve(args: argparse.Namespace) -> int:
    from kiosk.hub.store import StoreError
    from kiosk.hub.studio.recordings import approve

    if bool(args.all) == bool(args.ids):
        print("name the recordings to approve, or --all (not both)", file=sys.stderr)
        return 2
    store = _store(args)
    try:
        rows = approve(store, None if args.all else args.ids, args.by, _now())
    except StoreError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    from kiosk.hub.store import AuditAction

    now = _now()
    for row in rows:
        print(f"approved {row['id']}: {row['lang']} {row['text_key']} by {row['by']}")
        store.audit(
            _cli_who(),
            AuditAction.VOICE_APPROVE,
            row["text_key"],
            now,
            lang=row["lang"],
            recording=row["id"],
            by=row["by"],
        )
    written = _voices_into_draft(args, store, now) if rows else None
    if written is not None:
        print(
            f"{len(rows)} approved; {len(written)} voice(s) in the hub's draft: "
            "the next publish from the content studio carries them"
        )
    else:
        print(
            f"{len(rows)} approved; the next publish from the content studio writes them into "
            "the release (or `kiosk hub recordings export --into BUNDLE` for a folder of your own)"
        )
    return 0


def _voices_into_draft(args: argparse.Namespace, store, now) -> list[str] | None:  # type: ignore[no-untyped-def]
    """Approved voices into the studios' draft, as the hub does on an approval in the
    browser; None when the hub has no draft yet or it does not load now."""
    from kiosk.core.content import BundleError
    from kiosk.hub.studio.content_drafts import Draft, draft_dir, seed_dir
    from kiosk.hub.studio.recordings import RecordingRefused, export

    settings = hub_settings(args)
    data = _data_dir(args, settings)
    root = draft_dir(data)
    if not (root / "bundle.toml").exists():
        return None
    draft = Draft(root, root.parent / "history.db", seed_dir(settings))
    who = _cli_who()
    try:
        with draft.locked():
            result = export(
                store,
                data,
                root,
                write_text=lambda rel, text: draft.write_text(
                    rel, text, who, now, "approved voices written in"
                ),
                check=False,
            )
    except (BundleError, RecordingRefused) as exc:
        print(f"the hub's draft does not load now ({exc}); the next publish takes them")
        return None
    finally:
        draft.close()
    for line in result.skipped:
        print(f"skipped {line}")
    return result.written


def cmd_recordings_export(args: argparse.Namespace) -> int:
    from kiosk.core.content import BundleError
    from kiosk.hub.studio.recordings import RecordingRefused, export

    settings = hub_settings(args)
    store = _store(args)
    try:
        result = export(store, _data_dir(args, settings), args.into)
    except (BundleError, RecordingRefused) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    for line in result.written:
        print(f"wrote {line}")
    for line in result.skipped:
        print(f"skipped {line}")
    print(
        f"{len(result.written)} recordings in {args.into}; check with "
        f"`kiosk content validate {args.into}`, then publish as usual"
    )
    return 0


def cmd_recordings_list(args: argparse.Namespace) -> int:
    store = _store(args)
    for r in store.recordings():
        print(
            f"{r['id']}\t{r['status']}\t{r['lang']}\t{r['text_key']}\t{r['by']}\t"
            f"{r['created_at']}\t{r['seconds']:.1f} s"
        )
    return 0
