"""Certificates for serving the hub's pages over HTTPS on a LAN (`kiosk hub
make-cert`): browsers open the microphone (the voice studio) only on HTTPS or
localhost, so a phone on the LAN needs https://<hub>/.

Makes a small certificate authority of the hub's own (ca.crt, the file an admin
installs on volunteers' phones and laptops and gives terminals as their CA
bundle) and the hub's certificate signed by it (hub.crt, hub.key: the values of
hub.tls_cert and hub.tls_key), valid for the names and IP addresses given. The
CA's key stays next to them (0600) to sign a new hub certificate later; the
hub itself never reads it. Never overwrites existing files unless told.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Browsers and phones refuse server certificates valid longer than 825 days
# (Apple, since 2019); the CA may live longer.
SERVER_DAYS = 825
CA_DAYS = 3650


@dataclass(frozen=True)
class Certificates:
    ca_cert: Path
    ca_key: Path
    cert: Path
    key: Path


class CertificateError(Exception):
    """Bad names or files already there; the message says which."""


def _san(names: list[str]) -> list[x509.GeneralName]:
    out: list[x509.GeneralName] = []
    for name in names:
        try:
            out.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            if not name or any(c in name for c in " /:\\") or name.startswith("."):
                raise CertificateError(
                    f"{name!r} is neither a host name nor an IP address"
                ) from None
            out.append(x509.DNSName(name.lower()))
    return out


def _write(path: Path, data: bytes, private: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o600 if private else 0o644)


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def make_certificates(
    out: Path, names: list[str], now: dt.datetime | None = None, force: bool = False
) -> Certificates:
    """ca.crt, ca.key, hub.crt, hub.key in `out` for `names` (host names and IPs)."""
    if not names:
        raise CertificateError("give at least one name or IP address the hub is reached by")
    san = _san(names)
    files = Certificates(out / "ca.crt", out / "ca.key", out / "hub.crt", out / "hub.key")
    there = [p for p in vars(files).values() if p.exists()]
    if there and not force:
        raise CertificateError(f"{there[0]} exists; use --force to make new certificates")
    now = now or dt.datetime.now(dt.UTC)
    start = now - dt.timedelta(minutes=5)  # a clock a little behind still accepts it

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kömək hub"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"Kömək hub CA ({names[0]})"),
        ]
    )
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )

    _write(files.ca_key, _pem_key(ca_key), private=True)
    _write(files.key, _pem_key(key), private=True)
    _write(files.ca_cert, ca_cert.public_bytes(serialization.Encoding.PEM), private=False)
    _write(files.cert, cert.public_bytes(serialization.Encoding.PEM), private=False)
    return files
