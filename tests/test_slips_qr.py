"""Slips carry the service's official link as a QR code that phones can read, and
only allowlisted links ever become a QR code."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from kiosk.core.content import Bundle
from kiosk.core.slips import LinkRefused, render_qr, render_service_slip

NOW = datetime(2026, 11, 27, 10, 30)
ALLOW = ("gov.az", "e-gov.az", "edu.az")


def qr_texts(img: Image.Image) -> list[str]:
    return [s.data.decode("utf-8") for s in decode(img.convert("L"))]


def linked_services(bundle: Bundle) -> list[str]:
    ids = [s.id for s in bundle.services.values() if s.link]
    assert ids, "the default bundle must have services with links for these tests to mean anything"
    return ids


@pytest.mark.parametrize("paper", [58, 80])
@pytest.mark.parametrize("lang", ["az", "ru"])
def test_every_service_slip_qr_decodes_to_its_link(bundle: Bundle, lang: str, paper: int) -> None:
    for service_id in linked_services(bundle):
        img = render_service_slip(bundle, service_id, lang, "barda", "t-1", paper, NOW)
        # A resident's phone must open exactly the official page, nothing else.
        assert qr_texts(img) == [bundle.services[service_id].link], service_id


def test_service_without_link_gets_a_slip_without_qr(bundle: Bundle) -> None:
    from dataclasses import replace

    # Every default service has an official link now: an admin's service without one.
    services = {k: replace(s, link="", link_label="") for k, s in bundle.services.items()}
    no_link = replace(bundle, services=services)
    for service_id in ("free-help", "refused"):
        img = render_service_slip(no_link, service_id, "az", "barda", "t-1", 58, NOW)
        assert qr_texts(img) == []


def test_render_qr_is_a_square_of_the_asked_size_and_decodes(bundle: Bundle) -> None:
    link = bundle.services["social-assistance"].link
    img = render_qr(link, ALLOW, 600)
    assert img.size == (600, 600)
    assert qr_texts(img) == [link]


def test_render_qr_too_small_box_is_an_error() -> None:
    with pytest.raises(ValueError):
        render_qr("https://e-social.gov.az", ALLOW, 10)


@pytest.mark.parametrize(
    "link",
    [
        "https://e-social.gov.az.evil.example/login",  # looks official, is not
        "http://e-social.gov.az",  # not https
        "https://user:pin@e-social.gov.az",  # credentials in the link
        "https://example.com",
        "javascript:alert(1)",
        "",
    ],
)
def test_link_not_on_allowlist_is_refused_and_logged(
    link: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.slips"), pytest.raises(LinkRefused):
        render_qr(link, ALLOW, 300)
    assert any("refused" in r.getMessage() for r in caplog.records)


def test_slip_with_refused_link_prints_no_qr(
    bundle: Bundle, caplog: pytest.LogCaptureFixture
) -> None:
    # The terminal's allowlist no longer holds gov.az: the slip still helps
    # (documents, help points), but must not carry the link.
    with caplog.at_level(logging.WARNING, logger="kiosk.slips"):
        img = render_service_slip(
            bundle, "social-assistance", "az", "barda", "t-1", 80, NOW, allowlist=("example.org",)
        )
    assert qr_texts(img) == []
    assert any("refused" in r.getMessage() for r in caplog.records)
