"""Printing never blocks the screen: it runs off the caller's thread with a time
limit, and out of paper, offline or a hanging printer each come back once as a
result the screen can act on (the on-screen QR)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from kiosk.core.settings import Settings
from kiosk.core.slips import (
    CupsPrinter,
    EscposPrinter,
    FakePrinter,
    FilePrinter,
    PrintResult,
    PrintStatus,
    SlipSpooler,
    make_printer,
    print_in_background,
)

WAIT = 10  # seconds a test waits for a result that should come at once; never reached


@pytest.fixture
def slip() -> Image.Image:
    return Image.new("1", (384, 200), 1)


class Collector:
    """on_done that remembers every call and the thread it came from."""

    def __init__(self) -> None:
        self.results: list[PrintResult] = []
        self.threads: list[int] = []
        self.called = threading.Event()

    def __call__(self, result: PrintResult) -> None:
        self.results.append(result)
        self.threads.append(threading.get_ident())
        self.called.set()


@pytest.fixture
def hanging() -> Iterator[FakePrinter]:
    printer = FakePrinter(hang=True)
    yield printer
    printer.release()  # let the stuck worker end with the test


@pytest.mark.parametrize(
    "state", [PrintStatus.OK, PrintStatus.NO_PAPER, PrintStatus.OFFLINE, PrintStatus.ERROR]
)
def test_result_comes_back_once_off_the_callers_thread(state: PrintStatus, slip) -> None:
    printer = FakePrinter(state)
    done = Collector()
    job = print_in_background(printer, slip, timeout=WAIT, on_done=done)
    assert job.wait(WAIT) is not None
    assert [r.status for r in done.results] == [state]
    assert done.threads[0] != threading.get_ident()
    assert (len(printer.printed) == 1) is (state is PrintStatus.OK)


def test_hanging_printer_times_out_without_blocking_the_caller(hanging, slip) -> None:
    done = Collector()
    job = print_in_background(hanging, slip, timeout=0.05, on_done=done)
    # The call returned while the printer was still stuck: the screen stays alive.
    assert not hanging.finished.is_set()
    assert done.called.wait(WAIT)
    assert [r.status for r in done.results] == [PrintStatus.TIMEOUT]
    assert job.printer_busy
    # When the printer finally answers, on_done is not called a second time.
    hanging.release()
    job.worker.join(WAIT)
    assert hanging.finished.is_set()
    assert [r.status for r in done.results] == [PrintStatus.TIMEOUT]


def test_printer_that_raises_gives_error(slip) -> None:
    class Broken(FakePrinter):
        def print_image(self, img: Image.Image) -> PrintResult:
            raise RuntimeError("driver crashed")

    done = Collector()
    print_in_background(Broken(), slip, timeout=WAIT, on_done=done).wait(WAIT)
    assert [r.status for r in done.results] == [PrintStatus.ERROR]


def test_failing_on_done_does_not_break_the_job(slip) -> None:
    def on_done(result: PrintResult) -> None:
        raise ValueError("screen went away")

    job = print_in_background(FakePrinter(), slip, timeout=WAIT, on_done=on_done)
    assert job.wait(WAIT) == PrintResult(PrintStatus.OK, "fake printer: printed")


def test_spooler_sends_no_second_slip_to_a_stuck_printer(hanging, slip) -> None:
    spooler = SlipSpooler(hanging, timeout=0.05)
    first, second = Collector(), Collector()
    spooler.submit(slip, first)
    assert first.called.wait(WAIT)
    assert spooler.busy
    spooler.submit(slip, second)
    assert second.called.wait(WAIT)
    assert [r.status for r in second.results] == [PrintStatus.TIMEOUT]
    assert hanging.calls == 1
    hanging.release()


def test_spooler_prints_again_once_the_printer_is_free(slip) -> None:
    printer = FakePrinter()
    spooler = SlipSpooler(printer, timeout=WAIT)
    for _ in range(2):
        job = spooler.submit(slip, Collector())
        assert job.wait(WAIT).status is PrintStatus.OK
        job.worker.join(WAIT)
    assert len(printer.printed) == 2


def test_file_printer_writes_png(tmp_path: Path, slip) -> None:
    slip.putpixel((10, 10), 0)
    printer = FilePrinter(tmp_path / "slips", clock=lambda: datetime(2026, 11, 27, 9, 0, 0))
    assert printer.status().ok
    first = printer.print_image(slip)
    second = printer.print_image(slip)
    assert first.ok and second.ok
    assert first.message != second.message  # two slips in one second: two files
    for result in (first, second):
        path = Path(result.message)
        assert path.parent == tmp_path / "slips" and path.suffix == ".png"
        with Image.open(path) as saved:
            assert saved.size == slip.size and saved.getpixel((10, 10)) == 0


def test_file_printer_that_cannot_write_reports_error(tmp_path: Path, slip) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    assert FilePrinter(blocker).print_image(slip).status is PrintStatus.ERROR


def fake_lp(tmp_path: Path, exit_code: int = 0) -> Path:
    """An `lp` stand-in that records its arguments and keeps the file it was given."""
    script = tmp_path / "lp"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > "{tmp_path}/lp-args"\n'
        'for a; do last="$a"; done\n'
        f'cp "$last" "{tmp_path}/lp-file.png"\n'
        f"exit {exit_code}\n"
    )
    script.chmod(0o755)
    return script


def test_cups_printer_sends_png_to_the_queue(tmp_path: Path, slip) -> None:
    printer = CupsPrinter("receipt", lp=str(fake_lp(tmp_path)))
    assert printer.print_image(slip).ok
    args = (tmp_path / "lp-args").read_text().split()
    assert args[args.index("-d") + 1] == "receipt"
    with Image.open(tmp_path / "lp-file.png") as sent:
        assert sent.size == slip.size


def test_cups_printer_failure_is_an_error(tmp_path: Path, slip) -> None:
    printer = CupsPrinter("", lp=str(fake_lp(tmp_path, exit_code=1)))
    assert printer.print_image(slip).status is PrintStatus.ERROR


def test_cups_without_lp_installed_is_an_error(tmp_path: Path, slip) -> None:
    printer = CupsPrinter("", lp=str(tmp_path / "no-lp-here"))
    assert printer.print_image(slip).status is PrintStatus.ERROR


def test_make_printer_follows_the_settings(settings: Settings, tmp_path: Path) -> None:
    default = make_printer(settings)
    assert isinstance(default, FilePrinter)
    assert default.out_dir == tmp_path / "data" / "slips"
    assert isinstance(make_printer(settings.replace(printer__backend="fake")), FakePrinter)
    cups = make_printer(settings.replace(printer__backend="cups", printer__cups_queue="tm20"))
    assert isinstance(cups, CupsPrinter) and cups.queue == "tm20"
    for connection, tells in [
        ("usb", True),
        ("serial", True),
        ("network", True),
        ("device", False),
    ]:
        p = make_printer(
            settings.replace(printer__backend="escpos", printer__connection=connection)
        )
        assert isinstance(p, EscposPrinter)
        assert p.can_tell_status is tells, connection
        assert p.paper_dots == 576  # printer.paper_mm defaults to 80
    quiet = settings.replace(printer__backend="escpos", printer__check_status=False)
    assert make_printer(quiet).can_tell_status is False
