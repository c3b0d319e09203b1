"""Leaving kiosk mode: a hidden gesture, then the staff PIN.

The gesture is five quick touches in the top-left corner; the PIN is checked
against an argon2 hash in the settings (kiosk.exit_pin_hash, made by
`kiosk hash-pin`). Wrong PINs lock the pad for a while. Nothing here knows
about screens: the UI feeds touches and digits in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_pin(pin: str) -> str:
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise ValueError("a staff PIN is 4 to 12 digits")
    return _hasher.hash(pin)


@dataclass
class ExitGesture:
    """Five touches within four seconds, each inside the corner square."""

    corner_px: float
    taps_needed: int = 5
    within_seconds: float = 4.0
    taps: list[float] = field(default_factory=list)

    def touch(self, x: float, y_from_top: float, now: float) -> bool:
        if x > self.corner_px or y_from_top > self.corner_px:
            self.taps.clear()
            return False
        self.taps = [t for t in self.taps if now - t <= self.within_seconds] + [now]
        if len(self.taps) >= self.taps_needed:
            self.taps.clear()
            return True
        return False


@dataclass
class StaffPin:
    pin_hash: str
    max_attempts: int = 5
    lock_seconds: float = 300.0
    failures: int = 0
    locked_until: float = 0.0

    @property
    def configured(self) -> bool:
        return bool(self.pin_hash)

    def locked(self, now: float) -> bool:
        return now < self.locked_until

    def check(self, pin: str, now: float) -> bool:
        if not self.configured or self.locked(now):
            return False
        try:
            ok = _hasher.verify(self.pin_hash, pin)
        except (VerificationError, InvalidHashError):
            ok = False
        if ok:
            self.failures = 0
            return True
        self.failures += 1
        if self.failures >= self.max_attempts:
            self.failures = 0
            self.locked_until = now + self.lock_seconds
        return False
