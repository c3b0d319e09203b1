"""Which links a bundle may send a resident's phone to, decided by a real URL parser.

A link becomes a QR code (slip, screen, booklet) only when it is https, carries
no user name or password, no backslash, whitespace or control character, no
port other than 443, and its host, normalised with IDNA (UTS #46, as browsers
do), is an allowlisted domain or under one. Browsers read `\\` as `/`, so
`https://evil.example\\.gov.az/login` opens evil.example: it is refused here,
not guessed at. What is drawn is the canonical form returned by
`canonical_link`, so a phone opens exactly the host that was checked.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

import idna

MAX_LINK_LENGTH = 1000  # a QR code a phone still reads from a slip


class LinkProblem(ValueError):
    """Why a link may not be shown; the message is a sentence for the content admin."""


def _ascii_host(host: str) -> str:
    """The host in lower-case ASCII (IDNA A-labels); LinkProblem when it is no valid name."""
    if not host or host.endswith(".") or ".." in host:
        raise LinkProblem("the host name is empty or has an empty part")
    try:
        return idna.encode(host, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError) as exc:
        raise LinkProblem(f"the host name is not a valid domain name ({exc})") from None


def _bad_character(url: str) -> str | None:
    for ch in url:
        if ch == "\\":
            return "a backslash (browsers read it as '/')"
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Zs"):
            return f"an invisible or control character (U+{ord(ch):04X})"
    return None


def canonical_link(url: object, allowlist: Sequence[str]) -> str:
    """The link as it may be drawn (https, IDNA host, no default port), or LinkProblem."""
    if not isinstance(url, str) or not url:
        raise LinkProblem("the link is empty or not text")
    if len(url) > MAX_LINK_LENGTH:
        raise LinkProblem(f"the link is longer than {MAX_LINK_LENGTH} characters")
    if bad := _bad_character(url):
        raise LinkProblem(f"the link contains {bad}")
    if not url[:8].lower() == "https://":
        raise LinkProblem("the link must start with https://")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise LinkProblem(f"the link cannot be parsed ({exc})") from None
    netloc = parts.netloc
    if "@" in netloc:
        raise LinkProblem("the link carries a user name or password")
    if "[" in netloc or "]" in netloc:
        raise LinkProblem("the host must be a domain name, not an address")
    host, colon, port = netloc.partition(":")
    if colon and port != "443":
        raise LinkProblem(f"the link names port {port!r}; only the https default is allowed")
    ascii_host = _ascii_host(host)
    domains = [_ascii_host(d.strip()) for d in allowlist if d.strip()]
    if not any(ascii_host == d or ascii_host.endswith("." + d) for d in domains):
        raise LinkProblem(f"the host {ascii_host} is not an allowed domain or under one")
    return urlunsplit(("https", ascii_host, parts.path, parts.query, parts.fragment))


def link_allowed(url: object, allowlist: Sequence[str]) -> bool:
    """True when `canonical_link` accepts `url`."""
    try:
        canonical_link(url, allowlist)
    except LinkProblem:
        return False
    return True
