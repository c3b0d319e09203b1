"""Printing off the caller's thread, with a time limit.

print_in_background returns at once; its on_done(PrintResult) is called exactly
once, from a worker thread: with the printer's answer, or with TIMEOUT when the
printer has not answered in time (a hung USB write, a dead network printer).
The UI wraps on_done with Clock so the result comes back on the UI thread. A
printer that hangs keeps its worker thread, never the caller. This module never
draws a slip and never talks to a device itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PIL import Image

from kiosk.core.slips.printers import Printer, PrintResult, PrintStatus

log = logging.getLogger("kiosk.slips")

OnDone = Callable[[PrintResult], None]


class PrintJob:
    """One slip on its way to a printer; finishes exactly once."""

    def __init__(self, on_done: OnDone):
        self._on_done = on_done
        self._lock = threading.Lock()
        self._result: PrintResult | None = None
        self._finished = threading.Event()
        self.worker: threading.Thread | None = None

    @property
    def result(self) -> PrintResult | None:
        """The result on_done got, or None while the job is still running."""
        return self._result

    @property
    def printer_busy(self) -> bool:
        """True while the printer call still runs, even after a TIMEOUT was reported."""
        return self.worker is not None and self.worker.is_alive()

    def wait(self, timeout: float | None = None) -> PrintResult | None:
        """Block until on_done has returned (for the CLI and tests, never the UI)."""
        self._finished.wait(timeout)
        return self._result

    def _finish(self, result: PrintResult) -> bool:
        with self._lock:
            if self._result is not None:
                return False
            self._result = result
        try:
            self._on_done(result)
        except Exception:
            log.exception("on_done for a print job failed")
        finally:
            self._finished.set()
        return True


def run_in_background(
    call: Callable[[], PrintResult], timeout: float, on_done: OnDone, what: str = "print"
) -> PrintJob:
    """Run a printer call on a worker thread; on_done gets its result or TIMEOUT."""
    job = PrintJob(on_done)

    def timed_out() -> None:
        if job._finish(
            PrintResult(PrintStatus.TIMEOUT, f"no answer from the printer within {timeout:g} s")
        ):
            log.warning("printer gave no answer to %s within %g s", what, timeout)

    timer = threading.Timer(timeout, timed_out)
    timer.daemon = True

    def work() -> None:
        try:
            result = call()
        except Exception as exc:  # a backend that broke its promise not to raise
            log.exception("printer %s failed", what)
            result = PrintResult(PrintStatus.ERROR, f"{type(exc).__name__}: {exc}")
        timer.cancel()
        if not job._finish(result):
            log.warning("printer answered %s after the time limit: %s", what, result)

    job.worker = threading.Thread(target=work, name=f"slip-{what}", daemon=True)
    timer.start()
    job.worker.start()
    return job


def print_in_background(
    printer: Printer, image: Image.Image, timeout: float, on_done: OnDone
) -> PrintJob:
    """Print `image` off the caller's thread; see the module docstring."""
    return run_in_background(lambda: printer.print_image(image), timeout, on_done, "print")


def status_in_background(printer: Printer, timeout: float, on_done: OnDone) -> PrintJob:
    """Ask the printer's status off the caller's thread (for status reports)."""
    return run_in_background(printer.status, timeout, on_done, "status")


class SlipSpooler:
    """One printer, one slip at a time.

    While an earlier slip's printer call is still stuck (after its TIMEOUT), a new
    slip is not sent to the same device: it finishes at once with TIMEOUT, so the
    resident gets the on-screen QR instead of a second stuck job.
    """

    def __init__(self, printer: Printer, timeout: float):
        self.printer = printer
        self.timeout = timeout
        self._lock = threading.Lock()
        self._last: PrintJob | None = None

    @property
    def busy(self) -> bool:
        return self._last is not None and self._last.printer_busy

    def submit(self, image: Image.Image, on_done: OnDone) -> PrintJob:
        with self._lock:
            if self.busy:
                busy = PrintResult(
                    PrintStatus.TIMEOUT, "the printer has not finished an earlier slip"
                )
                return run_in_background(lambda: busy, self.timeout, on_done, "print")
            self._last = print_in_background(self.printer, image, self.timeout, on_done)
            return self._last
