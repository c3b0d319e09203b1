"""`kiosk doctor`: is this terminal fit to serve residents? One line per check.

Each check returns ok, warning or fail with a short reason an installer can act
on. Checks never change anything and never wait long (network calls have a
short time limit).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from kiosk.core.settings import Settings


class Health(IntEnum):
    OK = 0
    WARNING = 1
    FAIL = 2


@dataclass(frozen=True)
class CheckResult:
    name: str
    health: Health
    detail: str

    def __str__(self) -> str:
        return f"{self.health.name.lower():7} {self.name:9} {self.detail}"


Check = Callable[[Settings], CheckResult]


def check_display(settings: Settings) -> CheckResult:
    if os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY"):
        return CheckResult("display", Health.OK, "a display server is reachable")
    if Path("/dev/dri").exists():
        return CheckResult(
            "display",
            Health.WARNING,
            "no display server in this shell; GPU present (the kiosk service starts cage)",
        )
    return CheckResult(
        "display",
        Health.WARNING,
        "no display server and no /dev/dri: only off-screen rendering will work",
    )


def check_speech(settings: Settings) -> CheckResult:
    if not settings["narration.enabled"] or settings["narration.engine"] == "silent":
        return CheckResult("speech", Health.WARNING, "narration is switched off in the settings")
    exe = shutil.which("espeak-ng")
    if exe is None:
        return CheckResult(
            "speech",
            Health.FAIL,
            "espeak-ng not found: the kiosk runs silent (apt-get install espeak-ng)",
        )
    from kiosk.core.content import load_bundle
    from kiosk.core.terminal import content_dir

    try:
        voices = {
            lang.code: lang.espeak_voice
            for lang in load_bundle(content_dir(settings), settings["links.allowlist"]).languages
        }
    except Exception:  # the content check reports the bundle itself
        voices = {code: code for code in settings["kiosk.languages"]}
    missing = []
    for code in settings["kiosk.languages"]:
        voice = voices.get(code, code)
        out = subprocess.run(
            [exe, f"--voices={voice.split('-')[0]}"], capture_output=True, text=True, timeout=10
        )
        if len(out.stdout.strip().splitlines()) < 2:
            missing.append(f"{code} ({voice})")
    if missing:
        return CheckResult(
            "speech", Health.FAIL, f"espeak-ng has no voice for {', '.join(missing)}"
        )
    return CheckResult(
        "speech", Health.OK, f"espeak-ng voices for {' '.join(settings['kiosk.languages'])}"
    )


def check_content(settings: Settings) -> CheckResult:
    from kiosk.core.content import check_bundle
    from kiosk.core.terminal import content_dir

    path = content_dir(settings)
    bundle, problems = check_bundle(path, settings["links.allowlist"])
    if bundle is None:
        return CheckResult(
            "content", Health.FAIL, f"{path}: {len(problems)} problem(s), first: {problems[0]}"
        )
    if settings["kiosk.site"] not in bundle.sites:
        return CheckResult(
            "content", Health.FAIL, f"site {settings['kiosk.site']!r} is not in the bundle"
        )
    if not bundle.sites[settings["kiosk.site"]].verified_points:
        # Residents would leave with nowhere to go: the terminal must not run like this.
        return CheckResult(
            "content",
            Health.FAIL,
            f"version {bundle.version}; site {settings['kiosk.site']} has no verified help point "
            "(one with a phone or address, a source and a checked date)",
        )
    return CheckResult(
        "content",
        Health.OK,
        f"version {bundle.version}, {len(bundle.services)} services, site {settings['kiosk.site']}",
    )


def check_disk(settings: Settings) -> CheckResult:
    path = settings.path("kiosk.data_dir")
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    mib = free // (1024 * 1024)
    if mib < 200:
        return CheckResult(
            "disk", Health.FAIL, f"{mib} MiB free at {probe}: slips, audio and updates need room"
        )
    if mib < 1024:
        return CheckResult("disk", Health.WARNING, f"only {mib} MiB free at {probe}")
    return CheckResult("disk", Health.OK, f"{mib} MiB free at {probe}")


def check_printer(settings: Settings) -> CheckResult:
    from kiosk.core.slips import PrintStatus, make_printer, status_in_background

    backend = settings["printer.backend"]
    job = status_in_background(
        make_printer(settings), settings["printer.timeout_seconds"], lambda _r: None
    )
    result = job.wait(settings["printer.timeout_seconds"] + 1)
    if result is None or result.status == PrintStatus.TIMEOUT:
        return CheckResult("printer", Health.FAIL, f"{backend}: no answer from the printer")
    if result.status == PrintStatus.OK:
        low = " (paper low)" if getattr(result, "paper_low", False) else ""
        health = Health.WARNING if low else Health.OK
        return CheckResult("printer", health, f"{backend}: {result.message}{low}")
    return CheckResult(
        "printer", Health.FAIL, f"{backend}: {result.status.value}: {result.message}"
    )


def check_hub(settings: Settings) -> CheckResult:
    import requests

    url = settings["hub.url"]
    if not url:
        return CheckResult(
            "hub",
            Health.WARNING,
            "no hub configured (hub.url): help requests stay on this terminal",
        )
    try:
        answer = requests.get(url.rstrip("/") + "/healthz", timeout=settings["hub.timeout_seconds"])
    except requests.RequestException as exc:
        return CheckResult("hub", Health.FAIL, f"{url} unreachable: {type(exc).__name__}")
    if answer.status_code != 200:
        return CheckResult("hub", Health.FAIL, f"{url}/healthz answered {answer.status_code}")
    if not settings["hub.terminal_key"]:
        return CheckResult("hub", Health.WARNING, f"{url} is up, but hub.terminal_key is empty")
    return CheckResult("hub", Health.OK, f"{url} is up")


def check_updates(settings: Settings) -> CheckResult:
    from kiosk.core.content.update import ContentUpdater

    status = ContentUpdater(settings).status().as_dict()
    version = status.get("installed_version")
    where = f"installed version {version}" if version else "the bundled default content"
    if not settings["updates.repo_url"]:
        return CheckResult(
            "updates", Health.OK, f"{where}; remote updates are off (updates.repo_url)"
        )
    error = status.get("last_error")
    result = str(status.get("last_result") or "")
    if "expired" in result.lower():
        return CheckResult(
            "updates",
            Health.WARNING,
            f"{where}; the published metadata has expired: ask the admin to refresh it, "
            f"unless this terminal's clock is wrong (it reads {_clock_reading()})",
        )
    if error:
        return CheckResult("updates", Health.WARNING, f"{where}; last error: {error}")
    return CheckResult(
        "updates",
        Health.OK,
        f"{where}; last successful check {status.get('last_success') or 'never'}",
    )


def _clock_reading() -> str:
    from datetime import UTC, datetime

    return f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"


def run_checks(settings: Settings, checks: list[Check]) -> list[CheckResult]:
    results = []
    for check in checks:
        try:
            results.append(check(settings))
        except Exception as exc:  # a broken check is itself a finding
            name = check.__name__.removeprefix("check_")
            results.append(CheckResult(name, Health.FAIL, f"check failed: {exc}"))
    return results


def default_checks() -> list[Check]:
    return [
        check_display,
        check_speech,
        check_printer,
        check_hub,
        check_content,
        check_updates,
        check_disk,
    ]
