"""How the hub spends its password checks: each argon2 check holds about 64 MiB
for a moment, so only a few run at once (`PasswordGate`), and wrong guesses
from one address at one name wait longer and longer (`throttle_delay`) instead
of locking the account, which anyone could do to anyone.

Nothing here touches the database or HTTP; store.py keeps the counts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

# argon2-cffi's default cost (RFC 9106 "low memory"): 64 MiB, 3 passes, 4 lanes.
ARGON2_MEMORY_MIB = 64


class GateFull(Exception):
    """More password checks are running and waiting than the hub allows."""


class PasswordGate:
    """At most `at_once` password checks run at a time and at most `queued`
    more wait for a turn; any more are refused at once (GateFull), so a login
    flood costs the hub at most (at_once x 64 MiB) and a few threads."""

    def __init__(self, at_once: int, queued: int, wait_seconds: float = 10.0):
        self.at_once = at_once
        self.queued = queued
        self.wait_seconds = wait_seconds
        self._running = threading.BoundedSemaphore(at_once)
        self._admitted = 0
        self._lock = threading.Lock()

    @contextmanager
    def admit(self) -> Iterator[None]:
        """A place among the running and waiting checks, or GateFull."""
        with self._lock:
            if self._admitted >= self.at_once + self.queued:
                raise GateFull
            self._admitted += 1
        try:
            yield
        finally:
            with self._lock:
                self._admitted -= 1

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait (inside `admit`) until a check may run; GateFull after wait_seconds."""
        if not self._running.acquire(timeout=self.wait_seconds):
            raise GateFull
        try:
            yield
        finally:
            self._running.release()


def throttle_delay(failures: int, free: int, longest: timedelta) -> timedelta:
    """How long the next try from the same address at the same name must wait
    after `failures` wrong passwords in a row: nothing for the first `free`,
    then 2 s, 4 s, 8 s... up to `longest`."""
    if failures < free:
        return timedelta(0)
    exponent = min(failures - free + 1, 30)
    return min(timedelta(seconds=2**exponent), longest)
