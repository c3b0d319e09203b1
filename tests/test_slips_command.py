"""`kiosk slip` draws any service's slip or a ticket slip without a printer, so an
admin can check slips (and a printer setup) from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from kiosk.cli import main
from kiosk.core.content import Bundle


def qr_texts(path: Path) -> list[str]:
    with Image.open(path) as img:
        return [s.data.decode() for s in decode(img.convert("L"))]


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_every_default_service_slip_from_the_command(
    bundle: Bundle, tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for service in bundle.services.values():
        out = tmp_path / f"{service.id}-{lang}.png"
        binary = tmp_path / f"{service.id}-{lang}.bin"
        args = ["slip", "--service", service.id, "--lang", lang, "--out", str(out)]
        assert main([*args, "--escpos-out", str(binary), "--width", "58"]) == 0
        with Image.open(out) as img:
            assert img.width == 384
        assert qr_texts(out) == ([service.link] if service.link else [])
        assert b"\x1dv0" in binary.read_bytes()
    assert "QR code: https://" in capsys.readouterr().out


def test_ticket_slip_from_the_command(tmp_path: Path) -> None:
    out = tmp_path / "ticket.png"
    args = ["slip", "--ticket", "B-014", "--ahead", "2", "--width", "80", "--out", str(out)]
    assert main([*args, "--service", "social-assistance"]) == 0
    with Image.open(out) as img:
        assert img.width == 576
    assert qr_texts(out) == []  # a ticket slip carries no link


def test_print_to_the_configured_printer(tmp_path: Path, capsys) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\n[printer]\nbackend = "file"\n')
    args = ["slip", "--service", "id-card", "--lang", "ru", "--print", "--config", str(config)]
    assert main(args) == 0
    files = list((tmp_path / "data" / "slips").glob("*.png"))
    assert len(files) == 1
    assert "printer (file): ok" in capsys.readouterr().out


def test_unknown_service_is_a_clear_error(tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.png"
    assert main(["slip", "--service", "no-such", "--out", str(out)]) == 2
    assert "no service 'no-such'" in capsys.readouterr().out
    assert not out.exists()
