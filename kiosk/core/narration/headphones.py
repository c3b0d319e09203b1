"""Are headphones plugged in? Typed digits (a phone number) are said aloud only
into headphones; through the speaker they are "digit entered" (kiosk.ui.access).

`SystemHeadphones` asks the platform where it can: PulseAudio (`pactl`: a
headphone port that is available, or a USB audio sink) or else ALSA (`amixer`'s
"Headphone Jack" control, a USB-Audio card in /proc/asound/cards). When a USB
headset appears under PulseAudio it is made the default sink, so narration
plays there: PulseAudio (16, and pipewire-pulse) then moves the stream already
playing, Kivy's SDL2 one included, so the clip being said goes on in the headset
(tests/test_headphones_pulse.py shows it on a real daemon). A jack on the built-in
card is switched by the sound card itself.
The answer is refreshed in the background at most every REFRESH_S, so asking
never blocks the UI. `NoHeadphones` never assumes any (access.headphones =
"none"); `FakeHeadphones` is for tests.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

REFRESH_S = 2.0
TIMEOUT_S = 2.0


class Headphones(Protocol):
    def connected(self) -> bool:
        """True when what narration plays goes into headphones (cheap: any thread)."""
        ...


class NoHeadphones:
    def connected(self) -> bool:
        return False


class FakeHeadphones:
    def __init__(self, plugged: bool = False) -> None:
        self.plugged = plugged

    def connected(self) -> bool:
        return self.plugged


def _run(*args: str) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout if done.returncode == 0 else ""


def pulse_state(listing: str) -> tuple[bool, str | None]:
    """From `pactl list sinks`: (headphones connected, a USB sink to switch to)."""
    connected, usb = False, None
    for block in re.split(r"\n(?=Sink #)", listing):
        name = re.search(r"^\s*Name: (\S+)", block, re.M)
        if re.search(r'device\.bus = "usb"', block) and name:
            connected, usb = True, name.group(1)
        for port in re.finditer(r"^\s*(\S*head\S*): .*$", block, re.M | re.I):
            line = port.group(0)
            if "not available" not in line and "available" in line:
                connected = True
    return connected, usb


def alsa_state(controls: str, cards: str) -> bool:
    """From `amixer contents` (a "Headphone Jack" control that is on) and /proc/asound/cards."""
    # numid=18,iface=CARD,name='Headphone Jack' / ; type=BOOLEAN,... / : values=on
    jack = re.search(r"name='[^']*Headphone[^']*Jack'[^\n]*\n[^\n]*\n\s*: values=on", controls)
    return bool(jack) or "USB-Audio" in cards


class SystemHeadphones:
    def __init__(self, refresh_s: float = REFRESH_S) -> None:
        self.refresh_s = refresh_s
        self._connected = False
        self._checked_at: float | None = None
        self._usb_default: str | None = None
        self._lock = threading.Lock()
        self._busy = False

    def connected(self) -> bool:
        now = time.monotonic()
        with self._lock:
            stale = self._checked_at is None or now - self._checked_at >= self.refresh_s
            if stale and not self._busy:
                self._busy = True
                threading.Thread(target=self._refresh, name="headphones", daemon=True).start()
            return self._connected

    def _refresh(self) -> None:
        try:
            connected, usb = self.check()
            if usb and usb != self._usb_default:
                _run("pactl", "set-default-sink", usb)  # narration goes to the headset
                log.info("USB headset %s: narration switched to it", usb)
            with self._lock:
                if connected != self._connected:
                    log.info("headphones %s", "connected" if connected else "unplugged")
                self._connected, self._usb_default = connected, usb
        finally:
            with self._lock:
                self._checked_at, self._busy = time.monotonic(), False

    def check(self) -> tuple[bool, str | None]:
        """Ask the platform now (blocking)."""
        if shutil.which("pactl"):
            listing = _run("pactl", "list", "sinks")
            if listing:
                return pulse_state(listing)
        cards = Path("/proc/asound/cards")
        text = cards.read_text(errors="replace") if cards.exists() else ""
        controls = _run("amixer", "contents") if shutil.which("amixer") else ""
        return alsa_state(controls, text), None


def make_headphones(setting: str) -> Headphones:
    return SystemHeadphones() if setting == "auto" else NoHeadphones()
