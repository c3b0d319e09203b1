"""Receipt printers get the slip as an ESC/POS raster image (GS v 0) and a cut;
the printer's paper and online status is asked before printing, and a printer
that is out of paper, offline or silent gives a result instead of a crash."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from escpos.printer import Dummy, File, Network
from PIL import Image
from pyzbar.pyzbar import decode

from kiosk.core.content import Bundle
from kiosk.core.slips import (
    EscposPrinter,
    PrintStatus,
    escpos_bytes,
    render_service_slip,
)

NOW = datetime(2026, 11, 27, 10, 30)
GS_V0 = b"\x1dv0"
FULL_CUT = b"\x1dV\x00"
ASK_ONLINE = b"\x10\x04\x01"
ASK_PAPER = b"\x10\x04\x04"
# Status bytes as ESC/POS printers send them (DLE EOT n).
ONLINE, OFFLINE = 0x12, 0x1A
PAPER_OK, PAPER_LOW, PAPER_OUT = 0x12, 0x1E, 0x72


def raster_blocks(data: bytes) -> list[tuple[int, int, bytes]]:
    """(width in bytes, height, bits) for every GS v 0 image in `data`."""
    blocks = []
    i = data.find(GS_V0)
    while i >= 0:
        head = data[i + 4 : i + 8]
        wb = head[0] + 256 * head[1]
        h = head[2] + 256 * head[3]
        start = i + 8
        blocks.append((wb, h, data[start : start + wb * h]))
        i = data.find(GS_V0, start + wb * h)
    return blocks


def raster_to_image(blocks: list[tuple[int, int, bytes]]) -> Image.Image:
    """What the print head would put on paper, rebuilt from the raster bytes."""
    wb = blocks[0][0]
    height = sum(h for _, h, _ in blocks)
    img = Image.new("1", (wb * 8, height), 1)
    y0 = 0
    for w, h, bits in blocks:
        assert w == wb
        for y in range(h):
            for xb in range(wb):
                byte = bits[y * wb + xb]
                for bit in range(8):
                    if byte & (0x80 >> bit):  # 1 is a burnt (black) dot
                        img.putpixel((xb * 8 + bit, y0 + y), 0)
        y0 += h
    return img


@pytest.fixture(scope="module")
def slip58(bundle: Bundle) -> Image.Image:
    return render_service_slip(bundle, "social-assistance", "az", "barda", "t-1", 58, NOW)


def test_escpos_bytes_hold_a_raster_image_and_a_cut(slip58: Image.Image, bundle: Bundle) -> None:
    data = escpos_bytes(slip58)
    blocks = raster_blocks(data)
    assert blocks, "no GS v 0 raster image"
    assert {wb for wb, _, _ in blocks} == {384 // 8}
    assert sum(h for _, h, _ in blocks) == slip58.height
    # The cut comes after the whole picture.
    assert data.rfind(FULL_CUT) > data.rfind(GS_V0)
    # The raster is the slip itself: the printed QR still opens the official page.
    printed = raster_to_image(blocks)
    assert printed.tobytes() == slip58.tobytes()
    codes = [c.data.decode() for c in decode(printed.convert("L"))]
    assert codes == [bundle.services["social-assistance"].link]


class ScriptedEscpos(Dummy):
    """python-escpos's Dummy that answers status queries like a real printer."""

    def __init__(self, online: int = ONLINE, paper: int = PAPER_OK):
        super().__init__()
        self.answers = {ASK_ONLINE: online, ASK_PAPER: paper}
        self.last = b""

    def _raw(self, msg: bytes) -> None:
        self.last = msg
        super()._raw(msg)

    def _read(self) -> bytes:
        return bytes([self.answers[self.last]])


def scripted(**kw: int) -> tuple[EscposPrinter, list[ScriptedEscpos]]:
    made: list[ScriptedEscpos] = []

    def connect() -> ScriptedEscpos:
        made.append(ScriptedEscpos(**kw))
        return made[-1]

    return EscposPrinter(connect, 384, can_tell_status=True), made


def test_printer_with_paper_prints_and_cuts(slip58: Image.Image) -> None:
    printer, made = scripted()
    result = printer.print_image(slip58)
    assert result.status is PrintStatus.OK and not result.paper_low
    out = made[0].output
    # Status asked before the picture was sent.
    assert out.find(ASK_PAPER) < out.find(GS_V0)
    assert FULL_CUT in out


def test_printer_out_of_paper_prints_nothing(slip58: Image.Image) -> None:
    printer, made = scripted(paper=PAPER_OUT)
    assert printer.print_image(slip58).status is PrintStatus.NO_PAPER
    assert GS_V0 not in made[0].output  # no half-printed slip when paper comes back


def test_printer_offline_prints_nothing(slip58: Image.Image) -> None:
    printer, made = scripted(online=OFFLINE)
    assert printer.print_image(slip58).status is PrintStatus.OFFLINE
    assert GS_V0 not in made[0].output


def test_paper_nearly_out_still_prints_and_says_so(slip58: Image.Image) -> None:
    printer, made = scripted(paper=PAPER_LOW)
    result = printer.print_image(slip58)
    assert result.status is PrintStatus.OK and result.paper_low
    assert GS_V0 in made[0].output


def test_status_without_printing() -> None:
    printer, made = scripted(paper=PAPER_OUT)
    assert printer.status().status is PrintStatus.NO_PAPER
    assert GS_V0 not in made[0].output


def test_slip_wider_than_the_paper_is_refused(bundle: Bundle) -> None:
    wide = render_service_slip(bundle, "id-card", "az", "barda", "t-1", 80, NOW)
    printer, made = scripted()
    assert printer.print_image(wide).status is PrintStatus.REFUSED
    assert not made or GS_V0 not in made[0].output


def test_unplugged_usb_printer_is_offline(slip58: Image.Image) -> None:
    from escpos.exceptions import DeviceNotFoundError

    def connect() -> Dummy:
        raise DeviceNotFoundError("no such device")

    printer = EscposPrinter(connect, 384, can_tell_status=True)
    assert printer.print_image(slip58).status is PrintStatus.OFFLINE


def test_device_file_gets_raster_and_cut(slip58: Image.Image, tmp_path: Path) -> None:
    dev = tmp_path / "lp0"
    printer = EscposPrinter(lambda: File(str(dev)), 384, can_tell_status=False)
    assert printer.print_image(slip58).status is PrintStatus.OK
    data = dev.read_bytes()
    assert raster_blocks(data) and FULL_CUT in data


def test_device_file_that_cannot_open_is_offline(slip58: Image.Image, tmp_path: Path) -> None:
    dev = tmp_path / "no-such-dir" / "lp0"
    printer = EscposPrinter(lambda: File(str(dev)), 384, can_tell_status=False)
    assert printer.print_image(slip58).status is PrintStatus.OFFLINE


class FakeNetworkPrinter:
    """A real TCP server on 127.0.0.1 that speaks like an ESC/POS network printer."""

    def __init__(self, online: int | None = ONLINE, paper: int | None = PAPER_OK):
        self.answers = {ASK_ONLINE: online, ASK_PAPER: paper}
        self.received = bytearray()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(5)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                while True:
                    try:
                        chunk = conn.recv(65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    self.received += chunk
                    for ask, answer in self.answers.items():
                        if chunk.endswith(ask) and answer is not None:
                            conn.sendall(bytes([answer]))

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(timeout=5)


@pytest.fixture
def net_printer() -> Iterator[type[FakeNetworkPrinter]]:
    made: list[FakeNetworkPrinter] = []

    def make(**kw: int | None) -> FakeNetworkPrinter:
        made.append(FakeNetworkPrinter(**kw))
        return made[-1]

    yield make  # type: ignore[misc]
    for server in made:
        server.close()


def network(server: FakeNetworkPrinter, timeout: float = 2.0) -> EscposPrinter:
    return EscposPrinter(
        lambda: Network("127.0.0.1", port=server.port, timeout=timeout),
        384,
        can_tell_status=True,
    )


def test_network_printer_prints(slip58: Image.Image, net_printer) -> None:
    server = net_printer()
    assert network(server).print_image(slip58).status is PrintStatus.OK
    server.close()
    assert sum(h for _, h, _ in raster_blocks(bytes(server.received))) == slip58.height
    assert FULL_CUT in server.received


def test_network_printer_out_of_paper(slip58: Image.Image, net_printer) -> None:
    server = net_printer(paper=PAPER_OUT)
    assert network(server).print_image(slip58).status is PrintStatus.NO_PAPER
    server.close()
    assert GS_V0 not in server.received


def test_network_printer_that_never_answers_times_out(slip58: Image.Image, net_printer) -> None:
    server = net_printer(online=None, paper=None)
    result = network(server, timeout=0.3).print_image(slip58)
    assert result.status is PrintStatus.TIMEOUT
    server.close()
    assert GS_V0 not in server.received


def test_network_printer_nobody_listening_is_offline(slip58: Image.Image) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # the port is now closed: connection refused
    printer = EscposPrinter(
        lambda: Network("127.0.0.1", port=port, timeout=1), 384, can_tell_status=True
    )
    assert printer.print_image(slip58).status is PrintStatus.OFFLINE
