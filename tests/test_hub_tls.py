"""HTTPS on the LAN: `kiosk hub make-cert` makes a CA and a hub certificate; a
real hub serving with them (hub.tls_cert, hub.tls_key) is trusted by a client
that was given only ca.crt, for a name and an IP address, and its session
cookie is Secure. Bad names and existing files are refused, nothing replaced."""

from __future__ import annotations

import stat

import pytest
import requests

from kiosk.cli import main
from kiosk.hub.server import start_in_thread
from tests.helpdesk_support import cheap_hasher, free_port, hub_settings


def test_a_hub_with_its_own_certificate_is_trusted_with_the_ca_alone(tmp_path, capsys):
    out = tmp_path / "tls"
    assert main(["hub", "make-cert", "localhost", "127.0.0.1", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f'tls_cert = "{out / "hub.crt"}"' in said and "install" in said
    for private in ("hub.key", "ca.key"):
        assert stat.S_IMODE((out / private).stat().st_mode) == 0o600

    port = free_port()
    settings = hub_settings(tls_cert=str(out / "hub.crt"), tls_key=str(out / "hub.key"))
    server = start_in_thread(
        settings, tmp_path / "hub", "127.0.0.1", port, password_hasher=cheap_hasher()
    )
    try:
        ca = str(out / "ca.crt")
        for host in ("127.0.0.1", "localhost"):
            r = requests.get(f"https://{host}:{port}/healthz", verify=ca, timeout=5)
            assert r.json() == {"status": "ok"}
        me = requests.get(f"https://127.0.0.1:{port}/api/v1/console/me", verify=ca, timeout=5)
        assert "secure" in me.headers["set-cookie"].lower()
        with pytest.raises(requests.exceptions.SSLError):  # not trusted without the CA
            requests.get(f"https://127.0.0.1:{port}/healthz", timeout=5)
    finally:
        server.should_exit = True


def test_make_cert_refuses_bad_names_and_keeps_what_is_there(tmp_path, capsys):
    out = tmp_path / "tls"
    assert main(["hub", "make-cert", "hub lan", "--out", str(out)]) == 2
    assert "neither a host name nor an IP address" in capsys.readouterr().err
    assert not out.exists()
    assert main(["hub", "make-cert", "hub.lan", "--out", str(out)]) == 0
    before = (out / "hub.crt").read_bytes()
    assert main(["hub", "make-cert", "hub.lan", "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (out / "hub.crt").read_bytes() == before
    assert main(["hub", "make-cert", "hub.lan", "--out", str(out), "--force"]) == 0
    assert (out / "hub.crt").read_bytes() != before
