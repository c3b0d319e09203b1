"""Settings for the terminal and the hub: each declared once, here, with its type,
default and a one-line meaning.

`config/kiosk.toml` and `config/hub.toml` are rendered from these declarations
(a test keeps them equal). A bad value stops start-up with a message that names
the key and what is wrong; this module never guesses a fix.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LANGUAGE_CODES = ("az", "ru", "en")
# Where official links may point: gov.az, the national portal e-gov.az (not a
# sub-domain of gov.az) and the Ministry of Education's edu.az (school enrolment).
OFFICIAL_DOMAINS = ["gov.az", "e-gov.az", "edu.az"]


@dataclass(frozen=True)
class Setting:
    key: str  # "section.name"
    type: type  # str, int, float, bool or list (of str)
    default: Any
    help: str
    choices: tuple[Any, ...] = ()
    check: Callable[[Any], str | None] | None = None

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]


def _between(lo: float, hi: float) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if lo <= value <= hi else f"must be between {lo} and {hi}"

    return check


def _languages(value: list[str]) -> str | None:
    bad = [v for v in value if v not in LANGUAGE_CODES]
    if bad:
        return f"unknown language {bad[0]!r}; known: {', '.join(LANGUAGE_CODES)}"
    if not value:
        return "must name at least one language"
    return None


def _ticket_letter(value: str) -> str | None:
    return None if re.fullmatch(r"[A-Z]", value) else "must be one capital letter A-Z"


def _domains(value: list[str]) -> str | None:
    for d in value:
        if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", d):
            return f"{d!r} is not a domain name like 'gov.az'"
    return None


def _key_names(value: list[str]) -> str | None:
    from kiosk.core.access import check_key_names

    return check_key_names(value)


def _time_zone(value: str) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return (
            f"unknown time zone {value!r}; use a name from the tz database like 'Asia/Baku' "
            "(Debian's tzdata package holds them)"
        )
    return None


def _host_names(value: list[str]) -> str | None:
    for h in value:
        if not re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*", h):
            return f"{h!r} is not a host name like 'hub.barda.lan'"
    return None


KIOSK_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "kiosk.terminal_id", str, "terminal-1", "this terminal's name, as staff and admins see it"
    ),
    Setting(
        "kiosk.ticket_letter",
        str,
        "A",
        "letter that starts this terminal's ticket numbers (A-014)",
        check=_ticket_letter,
    ),
    Setting(
        "kiosk.site",
        str,
        "barda",
        "site profile (district) from the content bundle that this terminal stands in",
    ),
    Setting(
        "kiosk.languages",
        list,
        ["az", "ru", "en"],
        "languages offered to residents, in order; the first is the default",
        check=_languages,
    ),
    Setting(
        "kiosk.content_dir",
        str,
        "",
        "content shown until a bundle is installed by updates (they go under data_dir); empty means the bundled default in assets/content",
    ),
    Setting(
        "kiosk.data_dir",
        str,
        "~/.local/share/komek",
        "where the terminal keeps its database, caches, slips and updates",
    ),
    Setting(
        "kiosk.kiosk_mode",
        bool,
        True,
        "full screen, no cursor, Esc and window close ignored (run --windowed to develop)",
    ),
    Setting(
        "kiosk.exit_pin_hash",
        str,
        "",
        "hash of the staff PIN that leaves kiosk mode (make one with `kiosk hash-pin`); empty: no exit",
    ),
    Setting(
        "display.width",
        int,
        1280,
        "window width in pixels as residents see it, when not full screen (kiosk mode uses the whole screen)",
        check=_between(320, 7680),
    ),
    Setting(
        "display.height",
        int,
        800,
        "window height in pixels as residents see it, when not full screen (kiosk mode uses the whole screen)",
        check=_between(240, 4320),
    ),
    Setting(
        "display.dpi",
        int,
        96,
        "screen density in dots per inch, used to size buttons in millimetres (96 dpi: a 15.6-inch 1366x768 or 21.5-inch 1920x1080 panel is 100-110)",
        check=_between(50, 600),
    ),
    Setting(
        "display.rotation",
        int,
        0,
        "degrees the picture is turned for a panel mounted rotated (90 or 270: a landscape panel standing as a portrait totem)",
        choices=(0, 90, 180, 270),
    ),
    Setting(
        "display.min_button_mm",
        float,
        20.0,
        "smallest side of any touch target, in millimetres (UX.md: at least 20)",
        check=_between(20, 60),
    ),
    Setting(
        "display.prepared_screens",
        int,
        6,
        "screens one touch away (Next, the choices, Home) built off-screen while the resident listens, so a touch only swaps them in; 0: build each screen when touched",
        check=_between(0, 64),
    ),
    Setting(
        "display.prepared_memory_mib",
        int,
        384,
        "when the terminal's memory (PSS) is above this between residents, the prepared screens and rendered texts are dropped and freed",
        check=_between(64, 65536),
    ),
    Setting(
        "session.idle_seconds",
        int,
        90,
        "seconds without a touch before the 'Do you need more time?' prompt",
        check=_between(15, 3600),
    ),
    Setting(
        "session.countdown_seconds",
        int,
        30,
        "seconds the 'more time?' prompt waits before starting over (at least 20)",
        check=_between(20, 300),
    ),
    Setting(
        "session.touch_guard_ms",
        int,
        400,
        "after a new screen is drawn, touches are not acted on for this long, so a double tap moves one step (0: off)",
        check=_between(0, 2000),
    ),
    Setting(
        "session.finished_seconds",
        int,
        60,
        "seconds a finished screen (slip taken, ticket shown) stays without a touch before the session ends",
        check=_between(10, 600),
    ),
    Setting("narration.enabled", bool, True, "read every screen aloud"),
    Setting(
        "narration.engine",
        str,
        "pyttsx3",
        "speech engine: pyttsx3 (espeak-ng) or silent",
        choices=("pyttsx3", "silent"),
    ),
    Setting(
        "narration.rate",
        int,
        150,
        "normal speaking rate, words per minute",
        check=_between(60, 300),
    ),
    Setting(
        "narration.slow_rate",
        int,
        110,
        "speaking rate when the resident asks for slower speech",
        check=_between(50, 300),
    ),
    Setting(
        "narration.volume",
        float,
        0.8,
        "default volume, 0 to 1, restored for every new resident",
        check=_between(0.0, 1.0),
    ),
    Setting(
        "narration.touch_to_hear",
        bool,
        False,
        "first touch on a choice speaks it, a second touch chooses it",
    ),
    Setting(
        "access.guided",
        bool,
        True,
        "the first key press on the attract screen starts guided mode: the keys are explained, the keypad moves a focus ring, a touch speaks and a double tap chooses",
    ),
    Setting(
        "access.up_keys",
        list,
        ["up", "numpad8"],
        "keys that move the focus to the choice before (Kivy key names: up, numpad8, f1, a, 5)",
        check=_key_names,
    ),
    Setting(
        "access.down_keys",
        list,
        ["down", "numpad2"],
        "keys that move the focus to the next choice, in reading order",
        check=_key_names,
    ),
    Setting(
        "access.enter_keys",
        list,
        ["enter", "numpad5", "numpadenter", "spacebar"],
        "keys that choose the choice in focus",
        check=_key_names,
    ),
    Setting(
        "access.back_keys",
        list,
        ["escape", "numpad4", "left"],
        "keys that go back one screen",
        check=_key_names,
    ),
    Setting(
        "access.help_keys",
        list,
        ["f1", "numpad0", "h"],
        "keys that say the screen's instruction again and which keys do what",
        check=_key_names,
    ),
    Setting(
        "access.faster_keys",
        list,
        ["numpadadd", "pageup"],
        "keys that make the speech faster",
        check=_key_names,
    ),
    Setting(
        "access.slower_keys",
        list,
        ["numpadsubstract", "pagedown"],
        "keys that make the speech slower",
        check=_key_names,
    ),
    Setting(
        "access.large_keys",
        list,
        ["numpaddivide", "f2"],
        "keys that turn high contrast (light on black) on or off",
        check=_key_names,
    ),
    Setting(
        "access.ticket_keys",
        list,
        ["numpadmul", "f3"],
        "keys that say the resident's ticket number again",
        check=_key_names,
    ),
    Setting(
        "access.key_bounce_ms",
        int,
        250,
        "a key pressed again within this acts once (a bouncing or held key is one press)",
        check=_between(0, 2000),
    ),
    Setting(
        "access.double_tap_ms",
        int,
        600,
        "guided mode: a second touch on the same choice within this chooses it (the first only speaks)",
        check=_between(200, 2000),
    ),
    Setting(
        "access.rate_step",
        int,
        20,
        "words per minute the faster and slower keys change the speech by",
        check=_between(5, 100),
    ),
    Setting(
        "access.large_scale",
        float,
        1.5,
        "in high contrast, every text this many times its usual size (1.5: every screen fits every tested shape, paged with More on a 7-inch panel; `kiosk preview --access large --scale N` lists what does not fit at another)",
        check=_between(1.0, 3.0),
    ),
    Setting(
        "access.headphones",
        str,
        "auto",
        "typed digits are said aloud only into headphones: auto (a headphone jack or USB headset, as ALSA or PulseAudio report it) or none (never assume headphones: digits are said as 'digit entered')",
        choices=("auto", "none"),
    ),
    Setting(
        "printer.backend",
        str,
        "file",
        "where slips go: file (PNG files), escpos, cups or fake",
        choices=("file", "escpos", "cups", "fake"),
    ),
    Setting(
        "printer.paper_mm",
        int,
        80,
        "receipt paper width in millimetres: 58 (384 dots) or 80 (576 dots)",
        choices=(58, 80),
    ),
    Setting(
        "printer.connection",
        str,
        "usb",
        "escpos only: usb, serial, network or device",
        choices=("usb", "serial", "network", "device"),
    ),
    Setting("printer.usb_vendor_id", str, "0x0416", "escpos usb: vendor id (lsusb)"),
    Setting("printer.usb_product_id", str, "0x5011", "escpos usb: product id (lsusb)"),
    Setting("printer.serial_port", str, "/dev/ttyUSB0", "escpos serial: port"),
    Setting("printer.serial_baudrate", int, 19200, "escpos serial: baud rate"),
    Setting("printer.host", str, "", "escpos network: printer address"),
    Setting("printer.port", int, 9100, "escpos network: printer port", check=_between(1, 65535)),
    Setting("printer.device", str, "/dev/usb/lp0", "escpos device: device file"),
    Setting(
        "printer.check_status",
        bool,
        True,
        "escpos usb, serial and network: ask the printer for paper and online status before each slip (turn off for printers that never answer)",
    ),
    Setting(
        "printer.cups_queue", str, "", "cups: printer queue name; empty means the system default"
    ),
    Setting("printer.out_dir", str, "", "file: folder for slip PNGs; empty means <data_dir>/slips"),
    Setting(
        "printer.timeout_seconds",
        float,
        15.0,
        "longest a print may take before the slip is shown on screen instead",
        check=_between(1, 120),
    ),
    Setting(
        "links.allowlist",
        list,
        OFFICIAL_DOMAINS,
        "domains (and their sub-domains) that links and QR codes may point to; e-gov.az is the national portal, not a sub-domain of gov.az; edu.az is the Ministry of Education's (school enrolment)",
        check=_domains,
    ),
    Setting(
        "hub.url",
        str,
        "http://127.0.0.1:8470",
        "the site hub that takes help requests and status; empty: no hub",
    ),
    Setting("hub.terminal_key", str, "", "this terminal's key from `kiosk hub add-terminal`"),
    Setting(
        "hub.timeout_seconds",
        float,
        5.0,
        "longest one call to the hub may take",
        check=_between(0.5, 60),
    ),
    Setting(
        "hub.heartbeat_seconds",
        int,
        60,
        "how often the terminal sends its status and usage counts to the hub",
        check=_between(10, 3600),
    ),
    Setting(
        "helpdesk.day_starts_hour",
        int,
        6,
        "hour (0-23, in helpdesk.time_zone) when ticket numbers start again from 1",
        check=_between(0, 23),
    ),
    Setting(
        "helpdesk.time_zone",
        str,
        "Asia/Baku",
        "time zone of the site: ticket days and the times on slips follow it, whatever "
        "the terminal's own clock is set to (the hub's hub.time_zone should be the same)",
        check=_time_zone,
    ),
    Setting(
        "updates.repo_url",
        str,
        "",
        "published content repository (https); empty: no remote updates",
    ),
    Setting(
        "updates.mirror_url",
        str,
        "",
        "site mirror of the content repository, tried first; empty: none",
    ),
    Setting(
        "updates.interval_minutes",
        int,
        30,
        "minutes between update checks",
        check=_between(1, 10080),
    ),
    Setting(
        "updates.jitter_minutes",
        int,
        5,
        "random extra delay so a fleet does not check all at once",
        check=_between(0, 1440),
    ),
    Setting(
        "updates.timeout_seconds",
        float,
        20.0,
        "longest wait for the content host to connect or send more bytes before giving up",
        check=_between(1, 300),
    ),
    Setting(
        "updates.trusted_root",
        str,
        "config/root.json",
        "signed root metadata pinned on this terminal (1.root.json from `kiosk content publish`); relative paths start at the Kömək folder",
    ),
)

HUB_SETTINGS: tuple[Setting, ...] = (
    Setting("hub.host", str, "127.0.0.1", "address the hub listens on (0.0.0.0 for the whole LAN)"),
    Setting("hub.port", int, 8470, "port the hub listens on", check=_between(1, 65535)),
    Setting("hub.data_dir", str, "~/.local/share/komek-hub", "where the hub keeps its database"),
    Setting(
        "hub.tls_cert",
        str,
        "",
        "certificate file for HTTPS; empty: plain HTTP (put nginx in front)",
    ),
    Setting("hub.tls_key", str, "", "private key file for HTTPS"),
    Setting(
        "hub.allowed_hosts",
        list,
        [],
        "host names the hub answers to besides hub.host, localhost and the names in "
        "hub.tls_cert (IP addresses always work); add the name nginx passes on",
        check=_host_names,
    ),
    Setting(
        "hub.max_body_kib",
        int,
        256,
        "largest request body the hub reads, in KiB; larger ones get 413",
        check=_between(16, 4096),
    ),
    Setting(
        "hub.personal_data_days",
        int,
        7,
        "days after which first names and phone numbers are deleted",
        check=_between(1, 365),
    ),
    Setting(
        "hub.clock_trust_hours",
        int,
        24,
        "hours a forward jump of the hub's clock that no terminal on another machine "
        "confirms is held back from deleting names and closing the day",
        check=_between(1, 720),
    ),
    Setting(
        "hub.lockout_attempts",
        int,
        5,
        "wrong passwords in a row for one name from one address before each "
        "further try there must wait (2 s, 4 s, 8 s...); other addresses are not slowed",
        check=_between(1, 100),
    ),
    Setting(
        "hub.lockout_minutes",
        int,
        15,
        "the longest wait between tries after many wrong passwords",
        check=_between(1, 1440),
    ),
    Setting(
        "hub.password_checks_at_once",
        int,
        2,
        "password checks run at the same time (each holds 64 MiB for about half a second)",
        check=_between(1, 16),
    ),
    Setting(
        "hub.password_checks_queued",
        int,
        6,
        "logins that may wait for a check; more get 503 at once",
        check=_between(0, 100),
    ),
    Setting(
        "hub.requests_per_minute",
        int,
        6,
        "help requests one terminal may make per minute",
        check=_between(1, 600),
    ),
    Setting(
        "hub.recording_quota_mib",
        int,
        200,
        "disk one volunteer's voice recordings may take on the hub, in MiB (a recording "
        "of a few seconds takes about 0.3 MiB); beyond it their uploads are refused",
        check=_between(1, 100_000),
    ),
    Setting(
        "hub.time_zone",
        str,
        "Asia/Baku",
        "time zone of the residents the hub serves: the hours and days of tickets, displays, status pages and the impact report",
        check=_time_zone,
    ),
    Setting(
        "hub.day_starts_hour",
        int,
        6,
        "hour (0-23, hub local time) when requests still open from the day before are closed",
        check=_between(0, 23),
    ),
    Setting(
        "hub.reopen_minutes",
        int,
        30,
        "minutes after a request was closed (done, no-show, cancelled) that the volunteer "
        "who closed it (or an admin) may still reopen it; never after its day ended",
        check=_between(1, 720),
    ),
    Setting(
        "hub.display_calls",
        int,
        5,
        "calls a waiting-room display lists (the newest is shown large)",
        check=_between(1, 12),
    ),
    Setting(
        "hub.display_waiting",
        int,
        6,
        "next waiting tickets a waiting-room display shows",
        check=_between(0, 20),
    ),
    Setting(
        "hub.display_languages",
        list,
        ["az", "ru"],
        "languages a waiting-room display shows and says each call in, in order",
        check=_languages,
    ),
    Setting(
        "hub.display_speech_rate",
        int,
        140,
        "speaking rate of a call said by espeak-ng on the hub, words per minute",
        check=_between(60, 300),
    ),
    Setting("hub.central_url", str, "", "central hub to forward status and counts to; empty: none"),
    Setting("hub.central_key", str, "", "this hub's key on the central hub"),
    Setting(
        "hub.forward_seconds",
        int,
        60,
        "how often the hub forwards its terminals' status and counts to the central hub",
        check=_between(10, 3600),
    ),
    Setting(
        "hub.content_upstream",
        str,
        "",
        "content repository this hub mirrors for its terminals; empty: no mirror",
    ),
    Setting(
        "hub.content_source",
        str,
        "",
        "content folder the studios' one draft is copied from at the hub's first start (<data_dir>/studio/content: both studios then work on the draft, and approved voices go into it); empty: the bundled default content",
    ),
    Setting(
        "hub.content_repo",
        str,
        "",
        "repository folder the content studio publishes to (upload it to the content host); empty: <data_dir>/content-repo",
    ),
    Setting(
        "hub.content_keys",
        str,
        "",
        "folder with hub.pem (from `kiosk content delegate`), snapshot.pem and timestamp.pem; empty: the studio cannot publish",
    ),
    Setting(
        "hub.content_allowlist",
        list,
        OFFICIAL_DOMAINS,
        "domains content links may point to, checked by the content studio: the same as the terminals' links.allowlist",
        check=_domains,
    ),
    Setting(
        "hub.content_upstream_deadline_seconds",
        int,
        300,
        "longest one mirror fetch from the upstream may take in all (connect, headers, "
        "body); terminals then fall back to the main host",
        check=_between(1, 3600),
    ),
)


class SettingsError(Exception):
    """A config file that cannot be used; `problems` names each key and what is wrong."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


class Settings(Mapping[str, Any]):
    """Read-only values by full key: settings["printer.backend"]."""

    def __init__(self, values: dict[str, Any], source: str = "defaults"):
        self._values = dict(values)
        self.source = source

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def path(self, key: str) -> Path:
        """A path setting, with ~ expanded."""
        return Path(os.path.expanduser(self._values[key]))

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed; keys use __ for the dot (printer__backend)."""
        values = dict(self._values)
        for k, v in changes.items():
            key = k.replace("__", ".")
            if key not in values:
                raise KeyError(key)
            values[key] = v
        return Settings(values, self.source)


def _coerce(setting: Setting, value: Any) -> tuple[Any, str | None]:
    t = setting.type
    if t is bool:
        if isinstance(value, bool):
            return value, None
        return value, f"must be true or false, got {value!r}"
    if t is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        return value, f"must be a whole number, got {value!r}"
    if t is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value), None
        return value, f"must be a number, got {value!r}"
    if t is str:
        if isinstance(value, str):
            return value, None
        return value, f"must be text in quotes, got {value!r}"
    if t is list:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value, None
        return value, f'must be a list of texts like ["a", "b"], got {value!r}'
    raise TypeError(t)


def validate_values(raw: Mapping[str, Any], spec: tuple[Setting, ...], source: str) -> Settings:
    """Defaults overlaid by `raw` (flat keys), checked; SettingsError lists every problem."""
    by_key = {s.key: s for s in spec}
    values = {s.key: s.default for s in spec}
    problems: list[str] = []
    for key, value in raw.items():
        setting = by_key.get(key)
        if setting is None:
            problems.append(f"{key}: unknown setting")
            continue
        value, err = _coerce(setting, value)
        if err is None and setting.choices and value not in setting.choices:
            err = f"must be one of {', '.join(map(str, setting.choices))}, got {value!r}"
        if err is None and setting.check is not None:
            err = setting.check(value)
        if err:
            problems.append(f"{key}: {err}")
        else:
            values[key] = value
    if problems:
        raise SettingsError(source, problems)
    return Settings(values, source)


def flatten(doc: Mapping[str, Any]) -> dict[str, Any]:
    """{"printer": {"backend": "file"}} -> {"printer.backend": "file"}."""
    flat: dict[str, Any] = {}
    for section, body in doc.items():
        if isinstance(body, dict):
            for name, value in body.items():
                flat[f"{section}.{name}"] = value
        else:
            flat[section] = body
    return flat


def load_settings(path: Path | None, spec: tuple[Setting, ...] = KIOSK_SETTINGS) -> Settings:
    """Settings from a TOML file (None: all defaults)."""
    if path is None:
        return validate_values({}, spec, "defaults")
    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(str(path), ["file not found"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(str(path), [f"not valid TOML: {exc}"]) from None
    return validate_values(flatten(doc), spec, str(path))


def settings_kind(path: Path) -> tuple[str, list[str]]:
    """Whether a settings file is a hub's ("hub") or a terminal's ("kiosk"), from its
    keys, with the keys that tell. Keys only one of them knows decide; a file with
    none (empty, or only keys both know) is a terminal's."""
    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return "kiosk", []  # load_settings says what is wrong with it
    keys = set(flatten(doc))
    hub_keys = {s.key for s in HUB_SETTINGS}
    kiosk_keys = {s.key for s in KIOSK_SETTINGS}
    hub_only = sorted(keys & (hub_keys - kiosk_keys))
    kiosk_only = sorted(keys & (kiosk_keys - hub_keys))
    if len(hub_only) > len(kiosk_only):
        return "hub", hub_only
    return "kiosk", kiosk_only


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)


def render_documented(spec: tuple[Setting, ...], title: str) -> str:
    """The documented config file: every setting, its default and its meaning."""
    lines = [
        f"# {title}",
        "# Every setting with its default value. Change what you need; delete the rest.",
        "",
    ]
    section = None
    for s in spec:
        if s.section != section:
            if section is not None:
                lines.append("")
            lines.append(f"[{s.section}]")
            section = s.section
        meaning = s.help
        if s.choices:
            meaning += f" ({' | '.join(map(str, s.choices))})"
        lines.append(f"# {meaning}")
        lines.append(f"{s.name} = {_toml_value(s.default)}")
    return "\n".join(lines) + "\n"
