"""Links are read with a real URL parser, the way a phone's browser reads them: a
link that would open anything but an allowlisted https host is refused by the
validator and never becomes a QR code (slip, screen, booklet)."""

from __future__ import annotations

import dataclasses
import logging
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from kiosk.core.content import Bundle, LinkProblem, canonical_link, link_allowed
from kiosk.core.slips import LinkRefused, render_qr, render_service_slip

ALLOW = ("gov.az", "e-gov.az", "edu.az")
BACKSLASH = "https://evil.example\\.gov.az/login"


@pytest.mark.parametrize(
    ("link", "why"),
    [
        (BACKSLASH, "backslash"),
        ("https://evil.example\\@e-social.gov.az/", "backslash"),
        ("https://user:pin@e-social.gov.az/", "user name"),
        ("https://@e-social.gov.az/", "user name"),
        ("https://e-social.gov.az:8443/", "port"),
        ("https://e-social.gov.az:/", "port"),
        ("https://e-social.gov.az:443@evil.example/", "user name"),
        ("http://e-social.gov.az/", "https://"),
        ("https:e-social.gov.az/", "https://"),
        ("https:/e-social.gov.az/", "https://"),
        ("https:///e-social.gov.az/", "empty"),
        (" https://e-social.gov.az/", "invisible"),
        ("https://e-social.gov.az /x", "invisible"),
        ("https://evil.example\t.gov.az/", "invisible"),
        ("https://e-social.gov.az/\u202ezaf", "invisible"),
        ("https://gov.az./", "empty"),
        ("https://evil..gov.az/", "empty"),
        ("https://evil.example%2e.gov.az/", "not a valid domain"),
        ("https://[::1]/", "address"),
        ("https://evilgov.az/", "not an allowed domain"),
        ("https://gov.az.evil.example/", "not an allowed domain"),
        ("javascript:alert(1)", "https://"),
        ("", "empty"),
        (None, "empty"),
        ("https://e-social.gov.az/" + "a" * 1000, "longer"),
    ],
)
def test_links_that_would_open_another_host_are_refused_with_a_reason(link, why):
    assert not link_allowed(link, ALLOW)
    with pytest.raises(LinkProblem, match=why):
        canonical_link(link, ALLOW)


@pytest.mark.parametrize(
    ("link", "canonical"),
    [
        ("https://e-social.gov.az/az/page?x=1#top", "https://e-social.gov.az/az/page?x=1#top"),
        ("https://www.e-gov.az", "https://www.e-gov.az"),
        ("https://gov.az/", "https://gov.az/"),
        ("HTTPS://E-Social.GOV.az/x", "https://e-social.gov.az/x"),
        ("https://e-social.gov.az:443/x", "https://e-social.gov.az/x"),
        # IDNA (UTS 46) as browsers apply it: the ideographic full stop is a dot,
        # and a host in Azerbaijani letters becomes its A-label.
        ("https://xidmət.gov.az/", "https://xn--xidmt-hlc.gov.az/"),
        ("https://evil.example\u3002gov.az/", "https://evil.example.gov.az/"),
    ],
)
def test_allowed_links_are_drawn_in_their_canonical_form(link, canonical):
    assert canonical_link(link, ALLOW) == canonical
    assert link_allowed(link, ALLOW)


def test_the_allowlist_is_normalised_too():
    assert link_allowed("https://xn--xidmt-hlc.az/", ("xidmət.az",))
    assert link_allowed("https://e-social.gov.az/", ("GOV.AZ",))


def test_validate_refuses_the_backslash_link_and_names_the_service(content_copy: Path):
    f = content_copy / "services" / "id-card.toml"
    f.write_text(
        # A TOML literal string: the backslash is in the link as written.
        f.read_text(encoding="utf-8").replace(
            'link = "https://asan.gov.az"', f"link = '{BACKSLASH}'", 1
        ),
        encoding="utf-8",
    )
    assert BACKSLASH in f.read_text(encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "validate", str(content_copy)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    line = next(x for x in out.stdout.splitlines() if "evil.example" in x)
    assert "service 'id-card'" in line and "backslash" in line


def qr_texts(img: Image.Image) -> list[str]:
    return [s.data.decode("utf-8") for s in decode(img.convert("L"))]


def tampered(bundle: Bundle, service_id: str, link: str) -> Bundle:
    """A bundle object whose link never went through the validator (a bug, a
    hand-edited file loaded by an older version): drawing must still refuse it."""
    svc = dataclasses.replace(bundle.services[service_id], link=link)
    return dataclasses.replace(bundle, services={**bundle.services, service_id: svc})


def test_the_backslash_link_is_never_a_qr_code_on_screen_or_slip(
    bundle: Bundle, caplog: pytest.LogCaptureFixture
):
    # The screen draws its QR code with render_qr (kiosk.ui.images.qr_texture).
    with caplog.at_level(logging.WARNING, logger="kiosk.slips"), pytest.raises(LinkRefused):
        render_qr(BACKSLASH, ALLOW, 300)
    assert any("backslash" in r.getMessage() for r in caplog.records)
    evil = tampered(bundle, "social-assistance", BACKSLASH)
    img = render_service_slip(
        evil, "social-assistance", "az", "barda", "t-1", 80, datetime(2026, 11, 27, 10, 30)
    )
    assert qr_texts(img) == []


def test_a_qr_code_carries_the_host_that_was_checked(bundle: Bundle):
    img = render_qr("https://E-SOCIAL.gov.az:443/x", ALLOW, 300)
    assert qr_texts(img) == ["https://e-social.gov.az/x"]


def test_the_booklet_skips_the_backslash_link(bundle: Bundle, tmp_path: Path):
    pytest.importorskip("reportlab")
    from kiosk.core.booklet import build_booklet

    evil = tampered(bundle, "social-assistance", BACKSLASH)
    made = build_booklet(evil, "barda", "az", tmp_path / "b.pdf", False, allowlist=ALLOW)
    assert made.skipped_links.get("social-assistance") == BACKSLASH
    assert BACKSLASH not in made.qr_links.values()
