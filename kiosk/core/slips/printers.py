"""Printers for slips: ESC/POS receipt printers (usb, serial, network, device file)
through python-escpos, CUPS queues through `lp`, PNG files in a folder, and a
scriptable fake for tests.

Every backend answers with a PrintResult, never an exception, so a printer that
is out of paper or unplugged turns into the on-screen QR instead of a crash.
These calls block until the printer answers: run them through
print_in_background (spool.py), never on the UI thread. Nothing here draws a slip.
"""

from __future__ import annotations

import copy
import logging
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from PIL import Image

from kiosk.core.settings import Settings

log = logging.getLogger("kiosk.slips")


class PrintStatus(Enum):
    OK = "ok"
    NO_PAPER = "no_paper"
    OFFLINE = "offline"  # not connected, switched off, cover open
    ERROR = "error"  # the printer or its driver said something went wrong
    TIMEOUT = "timeout"  # no answer within printer.timeout_seconds
    REFUSED = "refused"  # the slip cannot go to this printer (e.g. wider than its paper)


@dataclass(frozen=True)
class PrintResult:
    status: PrintStatus
    message: str = ""
    paper_low: bool = False  # printed, but the roll is nearly out: tell staff

    @property
    def ok(self) -> bool:
        return self.status is PrintStatus.OK


@runtime_checkable
class Printer(Protocol):
    def print_image(self, img: Image.Image) -> PrintResult:
        """Print one slip and cut it; blocks until the printer has it."""
        ...

    def status(self) -> PrintResult:
        """Whether a slip could be printed now, as far as this backend can tell."""
        ...


# --- ESC/POS ------------------------------------------------------------------

# python-escpos reports paper as 2 (plenty), 1 (near the end), 0 (none).
_PAPER_NONE = 0
_PAPER_LOW = 1
# Timeouts of pyusb and pyserial, named so neither library must be importable here.
_TIMEOUT_ERRORS = frozenset({"USBTimeoutError", "SerialTimeoutException"})


def escpos_profile(printer: Any, paper_dots: int) -> None:
    """Tell a python-escpos printer how many dots its paper has, so image() refuses
    anything wider instead of printing it garbled."""
    data = copy.deepcopy(printer.profile.profile_data)
    data.setdefault("media", {}).setdefault("width", {})["pixels"] = paper_dots
    # An instance attribute: the class-level profile is shared by every printer.
    printer.profile.profile_data = data


def send_slip(printer: Any, img: Image.Image) -> None:
    """The slip as a raster image (GS v 0), fed past the tear bar and cut."""
    printer.image(img, impl="bitImageRaster", center=False)
    printer.cut()


def escpos_bytes(img: Image.Image, paper_dots: int | None = None) -> bytes:
    """The bytes an ESC/POS printer would receive for this slip (no printer needed)."""
    from escpos.printer import Dummy

    dummy = Dummy()
    escpos_profile(dummy, paper_dots or img.width)
    send_slip(dummy, img)
    return dummy.output


class EscposPrinter:
    """A receipt printer spoken to with ESC/POS through python-escpos.

    `connect` makes a fresh python-escpos printer object for each slip (opening the
    USB device, serial port or socket happens on first use), so a printer that was
    unplugged and plugged back in works again on the next slip.
    """

    def __init__(
        self,
        connect: Callable[[], Any],
        paper_dots: int,
        *,
        can_tell_status: bool,
        name: str = "escpos",
    ):
        self._connect = connect
        self.paper_dots = paper_dots
        self.can_tell_status = can_tell_status
        self.name = name

    @classmethod
    def from_settings(cls, settings: Settings) -> EscposPrinter:
        from kiosk.core.slips.layout import PAPER_DOTS

        dots = PAPER_DOTS[settings["printer.paper_mm"]]
        timeout = float(settings["printer.timeout_seconds"])
        connection = settings["printer.connection"]
        check = bool(settings["printer.check_status"])

        if connection == "usb":
            vendor = int(settings["printer.usb_vendor_id"], 16)
            product = int(settings["printer.usb_product_id"], 16)

            def connect() -> Any:
                from escpos.printer import Usb

                # pyusb counts milliseconds; 0 would mean wait forever.
                return Usb(vendor, product, timeout=int(timeout * 1000))

            return cls(connect, dots, can_tell_status=check, name=f"usb {vendor:04x}:{product:04x}")
        if connection == "serial":
            port, baud = settings["printer.serial_port"], settings["printer.serial_baudrate"]

            def connect() -> Any:
                from escpos.printer import Serial

                return Serial(devfile=port, baudrate=baud, timeout=min(timeout, 2.0))

            return cls(connect, dots, can_tell_status=check, name=f"serial {port}")
        if connection == "network":
            host, port = settings["printer.host"], settings["printer.port"]

            def connect() -> Any:
                from escpos.printer import Network

                return Network(host, port=port, timeout=timeout)

            return cls(connect, dots, can_tell_status=check, name=f"network {host}:{port}")
        device = settings["printer.device"]

        def connect() -> Any:
            from escpos.printer import File

            return File(device)

        # A device file only takes bytes; it cannot answer a status query.
        return cls(connect, dots, can_tell_status=False, name=f"device {device}")

    def _ask(self, printer: Any) -> PrintResult:
        paper = printer.paper_status()
        if paper == _PAPER_NONE:
            return PrintResult(PrintStatus.NO_PAPER, f"{self.name}: out of paper")
        # Checked after paper: many printers also report "offline" when the roll is out.
        if not printer.is_online():
            return PrintResult(PrintStatus.OFFLINE, f"{self.name}: printer is offline")
        return PrintResult(PrintStatus.OK, paper_low=paper == _PAPER_LOW)

    def _run(self, job: Callable[[Any], PrintResult]) -> PrintResult:
        from escpos.exceptions import DeviceNotFoundError, ImageWidthError

        printer = None
        try:
            printer = self._connect()
            escpos_profile(printer, self.paper_dots)
            return job(printer)
        except DeviceNotFoundError as exc:
            return PrintResult(PrintStatus.OFFLINE, f"{self.name}: {exc}")
        except ImageWidthError as exc:
            return PrintResult(PrintStatus.REFUSED, f"{self.name}: slip wider than paper ({exc})")
        except TimeoutError as exc:
            return PrintResult(PrintStatus.TIMEOUT, f"{self.name}: {exc or 'timed out'}")
        except Exception as exc:  # usb.core.USBError, serial.SerialException, OSError...
            if type(exc).__name__ in _TIMEOUT_ERRORS:
                return PrintResult(PrintStatus.TIMEOUT, f"{self.name}: {exc}")
            log.exception("printing on %s failed", self.name)
            return PrintResult(PrintStatus.ERROR, f"{self.name}: {type(exc).__name__}: {exc}")
        finally:
            if printer is not None:
                try:
                    printer.close()
                except Exception:
                    log.debug("closing %s failed", self.name, exc_info=True)

    def status(self) -> PrintResult:
        if not self.can_tell_status:
            return PrintResult(PrintStatus.OK, f"{self.name}: cannot tell its status")
        return self._run(self._ask)

    def print_image(self, img: Image.Image) -> PrintResult:
        if img.width > self.paper_dots:
            return PrintResult(
                PrintStatus.REFUSED, f"slip is {img.width} dots wide, paper {self.paper_dots}"
            )

        def job(printer: Any) -> PrintResult:
            before = self._ask(printer) if self.can_tell_status else PrintResult(PrintStatus.OK)
            if not before.ok:
                return before
            send_slip(printer, img)
            return PrintResult(PrintStatus.OK, f"printed on {self.name}", before.paper_low)

        return self._run(job)


# --- CUPS -----------------------------------------------------------------------


class CupsPrinter:
    """A CUPS queue, through the system's `lp` command (Debian: cups-client).

    CUPS queues a job and answers at once, so out of paper is only seen as a
    disabled queue on the next slip; an ESC/POS backend sees it before printing.
    """

    def __init__(
        self,
        queue: str = "",
        *,
        timeout: float = 15.0,
        lp: str = "lp",
        lpstat: str = "lpstat",
        dpi: int = 203,
    ):
        self.queue = queue
        self.timeout = timeout
        self.lp = lp
        self.lpstat = lpstat
        self.dpi = dpi

    def _cmd(self, *args: str) -> subprocess.CompletedProcess[str] | PrintResult:
        if shutil.which(args[0]) is None:
            return PrintResult(PrintStatus.ERROR, f"{args[0]} is not installed (cups-client)")
        try:
            return subprocess.run(
                list(args), capture_output=True, text=True, timeout=self.timeout, check=False
            )
        except subprocess.TimeoutExpired:
            return PrintResult(PrintStatus.TIMEOUT, f"{args[0]} gave no answer")
        except OSError as exc:
            return PrintResult(PrintStatus.ERROR, f"{args[0]}: {exc}")

    def status(self) -> PrintResult:
        args = [self.lpstat, "-p", self.queue] if self.queue else [self.lpstat, "-d"]
        done = self._cmd(*args)
        if isinstance(done, PrintResult):
            return done
        out = (done.stdout + done.stderr).strip()
        if done.returncode != 0 or "no system default" in out:
            return PrintResult(PrintStatus.OFFLINE, out or f"queue {self.queue!r} not found")
        if "disabled" in out:
            return PrintResult(PrintStatus.OFFLINE, out)
        return PrintResult(PrintStatus.OK, out)

    def print_image(self, img: Image.Image) -> PrintResult:
        with tempfile.TemporaryDirectory(prefix="komek-slip-") as tmp:
            path = Path(tmp) / "slip.png"
            img.save(path)
            args = [self.lp, "-s"]
            if self.queue:
                args += ["-d", self.queue]
            # At the print head's own density the slip keeps its size: 384 dots = 48 mm.
            args += ["-o", f"ppi={self.dpi}", str(path)]
            done = self._cmd(*args)
        if isinstance(done, PrintResult):
            return done
        if done.returncode != 0:
            return PrintResult(PrintStatus.ERROR, (done.stderr or done.stdout).strip())
        return PrintResult(PrintStatus.OK, f"sent to cups queue {self.queue or '(default)'}")


# --- files and fakes ------------------------------------------------------------


class FilePrinter:
    """Slips as PNG files in a folder: the default when no printer is configured."""

    def __init__(self, out_dir: Path, clock: Callable[[], datetime] = datetime.now):
        self.out_dir = Path(out_dir)
        self._clock = clock
        self._lock = threading.Lock()

    def status(self) -> PrintResult:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return PrintResult(PrintStatus.ERROR, f"cannot make {self.out_dir}: {exc}")
        return PrintResult(PrintStatus.OK, str(self.out_dir))

    def print_image(self, img: Image.Image) -> PrintResult:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            with self._lock:
                stem = self._clock().strftime("slip-%Y%m%d-%H%M%S")
                path = self.out_dir / f"{stem}.png"
                n = 1
                while path.exists():
                    n += 1
                    path = self.out_dir / f"{stem}-{n}.png"
                img.save(path)
        except OSError as exc:
            return PrintResult(PrintStatus.ERROR, f"cannot write slip: {exc}")
        return PrintResult(PrintStatus.OK, str(path))


class FakePrinter:
    """A printer for tests and demos: set `state` to what it should answer, or
    `hang = True` to make print_image block until release() (a stuck USB write)."""

    def __init__(self, state: PrintStatus = PrintStatus.OK, *, hang: bool = False):
        self.state = state
        self.hang = hang
        self.printed: list[Image.Image] = []
        self.calls = 0
        self._released = threading.Event()
        self.started = threading.Event()  # set once a print_image call has begun
        self.finished = threading.Event()  # set once a print_image call has returned

    def release(self) -> None:
        self._released.set()

    def status(self) -> PrintResult:
        return PrintResult(self.state, f"fake printer: {self.state.value}")

    def print_image(self, img: Image.Image) -> PrintResult:
        self.calls += 1
        self.started.set()
        if self.hang:
            # Bounded so a forgotten release() cannot keep a test process alive.
            self._released.wait(timeout=60)
        try:
            if self.state is not PrintStatus.OK:
                return PrintResult(self.state, f"fake printer: {self.state.value}")
            self.printed.append(img.copy())
            return PrintResult(PrintStatus.OK, "fake printer: printed")
        finally:
            self.finished.set()


def make_printer(settings: Settings) -> Printer:
    """The printer the settings name (printer.backend)."""
    backend = settings["printer.backend"]
    if backend == "escpos":
        return EscposPrinter.from_settings(settings)
    if backend == "cups":
        return CupsPrinter(
            settings["printer.cups_queue"], timeout=settings["printer.timeout_seconds"]
        )
    if backend == "fake":
        return FakePrinter()
    out = settings["printer.out_dir"]
    return FilePrinter(Path(out).expanduser() if out else settings.path("kiosk.data_dir") / "slips")
