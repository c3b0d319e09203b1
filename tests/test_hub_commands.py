"""`kiosk hub` and its actions: add-terminal prints a key the hub accepts,
revoke-terminal makes it refuse, add-volunteer takes a password from stdin,
and the hub serves HTTPS when given a certificate."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
import requests

from kiosk.cli import build_parser, main
from kiosk.commands.hub import cmd_serve
from kiosk.core.helpdesk import SystemClock
from kiosk.hub.server import build_server, start_in_thread
from kiosk.hub.store import HubStore, LoginResult
from tests.helpdesk_support import free_port, hub_settings


def key_from(output: str) -> str:
    [line] = [x for x in output.splitlines() if x.startswith("terminal_key = ")]
    return line.split('"')[1]


def test_kiosk_hub_with_no_action_runs_the_server():
    args = build_parser().parse_args(["hub", "--port", "9000", "--data", "x"])
    assert args.func is cmd_serve and args.port == 9000


def test_add_terminal_prints_a_working_key_and_revoke_stops_it(tmp_path, capsys):
    assert main(["hub", "add-terminal", "hall-1", "--site", "barda", "--data", str(tmp_path)]) == 0
    key = key_from(capsys.readouterr().out)
    store = HubStore(tmp_path / "hub.db")
    assert store.terminal_for_key(key).name == "hall-1"
    assert main(["hub", "--data", str(tmp_path), "revoke-terminal", "hall-1"]) == 0
    assert store.terminal_for_key(key) is None
    assert main(["hub", "revoke-terminal", "hall-1", "--data", str(tmp_path)]) == 1


def test_add_volunteer_reads_the_password_from_stdin(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    argv = ["hub", "add-volunteer", "aysel", "--site", "barda", "--password-stdin"]
    assert main([*argv, "--data", str(tmp_path)]) == 0
    assert "added volunteer aysel" in capsys.readouterr().out
    store = HubStore(tmp_path / "hub.db")
    attempt = store.login("aysel", "a long password", SystemClock().now())
    assert attempt.result is LoginResult.OK and attempt.session.volunteer.site == "barda"


def test_a_short_password_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    argv = ["hub", "add-volunteer", "aysel", "--site", "barda", "--password-stdin"]
    assert main([*argv, "--data", str(tmp_path)]) == 1


def test_bad_names_are_refused(tmp_path):
    with pytest.raises(SystemExit):
        main(["hub", "add-terminal", "<hall>", "--data", str(tmp_path)])


def test_half_a_tls_setting_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="tls"):
        build_server(hub_settings(tls_cert="cert.pem"), tmp_path, "127.0.0.1", free_port())


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_the_hub_serves_https_with_a_configured_certificate(tmp_path):
    cert, key = tmp_path / "hub.crt", tmp_path / "hub.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    settings = hub_settings(tls_cert=str(cert), tls_key=str(key))
    server = start_in_thread(settings, tmp_path / "data", "127.0.0.1", port)
    try:
        r = requests.get(f"https://127.0.0.1:{port}/healthz", verify=str(cert), timeout=5)
        assert r.json() == {"status": "ok"}
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    finally:
        server.should_exit = True
