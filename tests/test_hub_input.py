"""Hostile input at the hub's front door, for every route: the Host check, the
body limit (413 before any route reads it), one strict JSON parse (no NaN,
Infinity, huge integers, lone surrogates or deep nesting) and 422s that never
echo the body back. Uses the real app; a real uvicorn where chunked bodies matter."""

from __future__ import annotations

import select
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
        # Nothing echoed: the refusal's own words (in az, ru and en) and no more.
        assert b"aaaa" not in r.content and len(r.content) < 600, r.content


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
            for _ in range(8):  # up to 32 KiB, no Content-Length, no end chunk
                # The hub may answer and close as soon as it is past the limit; stop
                # sending then, or the next chunk meets a reset that can drop the answer.
                if select.select([sock], [], [], 0.2)[0]:
                    break
                try:
                    sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                except (BrokenPipeError, ConnectionResetError):
                    break
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


# ---- bounded models ----------------------------------------------------------------


@pytest.mark.parametrize(
    "field",
    [
        {"issued_at": "not a time"},
        {"issued_at": "2026-03-10T09:00:00"},  # no UTC offset
        {"ticket": "B-\u0661\u0662\u0663"},  # Arabic-Indic digits
        {"phone": "\u0660\u0665\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667"},
        {"phone": "\uff10\uff15\uff10\uff11\uff12\uff13"},  # fullwidth
        {"phone": "050 123 45 67 ext 9"},
        {"first_name": "A" * 41},
    ],
)
def test_out_of_range_help_requests_get_422_and_are_not_stored(hub, field):
    r = hub.send(hub.keys["barda"], **field)
    assert r.status_code == 422, r.text
    assert hub.store.queue("barda", hub.clock.now()) == []


@pytest.mark.parametrize(
    "issued_at",
    ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "1970-01-01T00:00:12+04:00"],
)
def test_a_clock_reading_that_cannot_be_right_is_taken_as_issued_now(hub, issued_at):
    # A terminal's clock before network time (1970) must not keep a resident out of
    # the queue: the request is stored as issued when it arrived, with no overflow.
    r = hub.send(hub.keys["barda"], issued_at=issued_at)
    assert r.status_code == 201, r.text
    [row] = hub.store.queue("barda", hub.clock.now())
    assert row["waiting_since"] == row["received_at"] == row["issued_at"]


def test_bidi_and_control_characters_are_stripped_from_names_and_notes(hub):
    r = hub.send(
        hub.keys["barda"],
        first_name="\u202eAysel\u200f\x07 \u2066Quliyeva\u2069",
        phone="+994 (50) 123-45-67",
    )
    assert r.status_code == 201, r.text
    c = hub.console()
    [item] = c.client.get("/api/v1/console/queue").json()["requests"]
    assert item["first_name"] == "Aysel Quliyeva"
    assert item["phone"] == "+994501234567"
    r = c.post(f"requests/{item['id']}/note", json={"note": "call\u202e back\x00 later\n"})
    assert r.status_code == 200 and r.json()["note"] == "call back later"


@pytest.mark.parametrize(
    "path", ["requests/99999999999999999999999/call", "requests/-1/call", "requests/0/note"]
)
def test_out_of_range_request_ids_get_422(hub, path):
    c = hub.console()
    assert c.post(path, json={"note": "x"}).status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"uptime_seconds": 1e300},
        {"content_version": "v" * 5_000_000},
        {"content_version": 2**60},
        {"usage": [{"day": "0001-01-01", "service": "x", "opened": 1}]},
        {"usage": [{"day": "2026-03-10", "service": "x", "opened": 2**40}]},
        {"update_last_success": "x" * 41},
    ],
)
def test_out_of_range_heartbeats_get_4xx_and_store_nothing(hub, body):
    r = hub.client.post(HEARTBEAT, json=body, headers=_auth(hub))
    assert r.status_code in (413, 422), r.text
    assert hub.store.heartbeats() == []


def test_the_terminals_page_survives_bad_rows_already_stored(hub):
    c = hub.console()
    hub.store.add_volunteer("boss", "barda", PASSWORD, hub.clock.now(), admin=True)
    db = hub.store._db
    db["heartbeats"].insert_all(
        [
            {"terminal": "inf-1", "site": "barda", "via": "", "received_at": "2026-03-10T09:00:00+00:00",
             "uptime_seconds": float("inf"), "interval_seconds": 60, "content_version": "v" * 100_000},
            {"terminal": "nan-1", "site": "barda", "via": "", "received_at": "not a time",
             "uptime_seconds": float("nan"), "interval_seconds": "sixty"},
            {"terminal": "neg-1", "site": "barda", "via": "", "received_at": None,
             "uptime_seconds": -1e308},
        ]
    )  # fmt: skip
    r = c.client.get("/admin/")
    assert r.status_code == 200
    assert "inf-1" in r.text and "nan-1" in r.text and "neg-1" in r.text
    assert len(r.text) < 50_000
    assert hub.client.get("/metrics").status_code == 200


def test_an_infinite_uptime_never_reaches_the_database(hub):
    hub.store.record_heartbeat("t", "barda", {"uptime_seconds": float("inf")}, hub.clock.now())
    assert hub.store.heartbeats()[0]["uptime_seconds"] is None
