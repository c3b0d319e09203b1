"""Hostile input at the hub's front door, for every route: the Host check, the
body limit (413 before any route reads it), one strict JSON parse (no NaN,
Infinity, huge integers, lone surrogates or deep nesting) and 422s that never
echo the body back. Uses the real app; a real uvicorn where chunked bodies matter."""

from __future__ import annotations

import socket

import pytest
import requests

from tests.helpdesk_support import RunningHub, hub_settings
from tests.test_hub_api import PASSWORD, Hub

LOGIN = "/api/v1/console/login"
HEARTBEAT = "/api/v1/terminal/heartbeat"


@pytest.fixture
def hub(tmp_path):
    return Hub(tmp_path)


def _auth(hub: Hub) -> dict[str, str]:
    return {"Authorization": f"Bearer {hub.keys['barda']}", "Content-Type": "application/json"}


# ---- Host ------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8470", "localhost.evil.example"])
def test_a_foreign_host_gets_400_on_every_route(hub, host):
    for path in ("/healthz", "/console/", "/api/v1/console/me", "/", "/admin/"):
        r = hub.client.get(path, headers={"Host": host}, follow_redirects=False)
        assert r.status_code == 400, (path, r.status_code)
        assert "location" not in r.headers
    r = hub.send(hub.keys["barda"])  # a known name still works
    assert r.status_code == 201
    assert hub.store.queue("barda", hub.clock.now())  # and the request was kept


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:8470", "127.0.0.1:8470", "[::1]:8470", "192.168.1.20"]
)
def test_localhost_and_ip_addresses_are_served(hub, host):
    assert hub.client.get("/healthz", headers={"Host": host}).status_code == 200


def test_allowed_hosts_adds_names(tmp_path):
    hub = Hub(tmp_path, allowed_hosts=["testserver", "hub.barda.lan"])
    assert hub.client.get("/healthz", headers={"Host": "HUB.barda.lan:443"}).status_code == 200
    assert hub.client.get("/healthz", headers={"Host": "hub.ganja.lan"}).status_code == 400


def test_the_configured_host_is_allowed(tmp_path):
    hub = Hub(tmp_path, host="komek-hub.local")
    assert hub.client.get("/healthz", headers={"Host": "komek-hub.local:8470"}).status_code == 200


def self_signed(tmp_path, names: list[str]):
    """A throwaway certificate naming `names` (subjectAltName DNS entries)."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "hub.crt", tmp_path / "hub.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_names_in_the_tls_certificate_are_allowed(tmp_path):
    cert, key = self_signed(tmp_path, ["hub.example.az", "komek.local"])
    hub = Hub(tmp_path, tls_cert=str(cert), tls_key=str(key))
    for name in ("hub.example.az", "komek.local"):
        assert hub.client.get("/healthz", headers={"Host": name}).status_code == 200
    assert hub.client.get("/healthz", headers={"Host": "other.az"}).status_code == 400


def test_redirects_are_relative(hub):
    for path, where in (("/", "/console/"), ("/admin", "/admin/"), ("/console", "/console/")):
        r = hub.client.get(path, headers={"Host": "localhost:8470"}, follow_redirects=False)
        assert r.status_code in (302, 307), path
        assert r.headers["location"] == where, path


# ---- body limit ------------------------------------------------------------------


def test_a_1_mb_body_gets_413_on_every_kind_of_route(hub):
    big = b'{"name": "' + b"a" * 1_000_000 + b'", "password": "x"}'
    for path in (
        LOGIN,
        HEARTBEAT,
        "/api/v1/hub/forward",
        "/api/v1/terminal/help-requests",
        "/healthz",
    ):
        r = hub.client.post(path, content=big, headers=_auth(hub))
        assert r.status_code == 413, (path, r.status_code)
        assert len(r.content) < 200  # nothing echoed


def test_a_chunked_body_without_length_is_cut_off_too(tmp_path):
    running = RunningHub(tmp_path / "hub", hub_settings(max_body_kib=16))
    running.start()
    try:
        with socket.create_connection(("127.0.0.1", running.port), timeout=10) as sock:
            sock.sendall(
                f"POST {LOGIN} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
            )
            chunk = b"x" * 4096
            for _ in range(8):  # 32 KiB, no Content-Length, no end chunk
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
        assert requests.get(f"{running.url}/healthz", timeout=5).status_code == 200
    finally:
        running.stop()


def test_max_body_kib_sets_the_limit(tmp_path):
    hub = Hub(tmp_path, max_body_kib=16)
    body = {"printer": "ok", "last_error": "x" * 100}
    assert hub.client.post(HEARTBEAT, json=body, headers=_auth(hub)).status_code == 200
    padded = b'{"printer": "ok"' + b" " * 17_000 + b"}"
    assert hub.client.post(HEARTBEAT, content=padded, headers=_auth(hub)).status_code == 413


def test_a_router_can_allow_a_larger_body_for_its_own_paths(hub):
    hub.app.state.input_policy.allow_larger("/api/v1/terminal/heartbeat", 2 * 1024 * 1024)
    padded = b'{"printer": "ok"' + b" " * 1_000_000 + b"}"
    assert hub.client.post(HEARTBEAT, content=padded, headers=_auth(hub)).status_code == 200
    assert hub.client.post(LOGIN, content=padded, headers=_auth(hub)).status_code == 413


# ---- strict JSON -------------------------------------------------------------------


BAD_JSON = [
    b'{"uptime_seconds": Infinity}',
    b'{"uptime_seconds": -Infinity}',
    b'{"uptime_seconds": NaN}',
    b'{"uptime_seconds": 1e999}',
    b'{"interval_seconds": 123456789012345678901234567890}',
    b'{"last_error": "\\ud800"}',
    b'{"\\udfff": 1}',
    b"[" * 5000 + b"]" * 5000,
    b'{"last_error": "\xff\xfe"}',
    b'{"printer": "ok"',
]


@pytest.mark.parametrize("body", BAD_JSON)
def test_bad_json_gets_422_and_nothing_is_stored(hub, body):
    r = hub.client.post(HEARTBEAT, content=body, headers=_auth(hub))
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body"]
    assert hub.store.heartbeats() == []


@pytest.mark.parametrize("body", BAD_JSON[:7])
def test_bad_json_gets_422_without_login_too(hub, body):
    r = hub.client.post(LOGIN, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422


def test_a_json_body_without_content_type_is_checked_too(hub):
    r = hub.client.post(
        HEARTBEAT,
        content=b'{"uptime_seconds": NaN}',
        headers={"Authorization": f"Bearer {hub.keys['barda']}"},
    )
    assert r.status_code == 422


def test_a_422_never_echoes_the_body(hub):
    secret = "s3cret-" + "p" * 150_000
    c_headers = {"Content-Type": "application/json"}
    r = hub.client.post(LOGIN, json={"name": "aysel", "password": secret}, headers=c_headers)
    assert r.status_code == 422
    assert "s3cret" not in r.text and len(r.content) < 1000
    r = hub.client.post(LOGIN, content=b'"just a string ' + b"q" * 1000 + b'"', headers=c_headers)
    assert r.status_code == 422 and "qqqq" not in r.text


def test_good_json_still_works(hub):
    c = hub.console()
    assert c.client.get("/api/v1/console/queue").status_code == 200
    r = hub.client.post(
        HEARTBEAT, json={"printer": "ok", "uptime_seconds": 12.5}, headers=_auth(hub)
    )
    assert r.status_code == 200
    assert PASSWORD  # the console above logged in with it
