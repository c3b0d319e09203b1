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

from kiosk.core.content.wording import Said, said

MAX_LINK_LENGTH = 1000  # a QR code a phone still reads from a slip


class LinkProblem(ValueError):
    """Why a link may not be shown; the message is a sentence for the content admin
    (a `Said`: args[0] is told in az, ru and en)."""


def _ascii_host(host: str) -> str:
    """The host in lower-case ASCII (IDNA A-labels); LinkProblem when it is no valid name."""
    if not host or host.endswith(".") or ".." in host:
        raise LinkProblem(said("host_empty"))
    try:
        return idna.encode(host, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError) as exc:
        raise LinkProblem(said("host_invalid", error=str(exc))) from None


def _bad_character(url: str) -> Said | None:
    for ch in url:
        if ch == "\\":
            return said("char_backslash")
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Zs"):
            return said("char_invisible", code=f"U+{ord(ch):04X}")
    return None


def canonical_link(url: object, allowlist: Sequence[str]) -> str:
    """The link as it may be drawn (https, IDNA host, no default port), or LinkProblem."""
    if not isinstance(url, str) or not url:
        raise LinkProblem(said("link_empty"))
    if len(url) > MAX_LINK_LENGTH:
        raise LinkProblem(said("link_too_long", n=MAX_LINK_LENGTH))
    if bad := _bad_character(url):
        raise LinkProblem(said("link_contains", what=bad))
    if not url[:8].lower() == "https://":
        raise LinkProblem(said("link_https"))
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise LinkProblem(said("link_unparsable", error=str(exc))) from None
    netloc = parts.netloc
    if "@" in netloc:
        raise LinkProblem(said("link_userinfo"))
    if "[" in netloc or "]" in netloc:
        raise LinkProblem(said("link_address"))
    host, colon, port = netloc.partition(":")
    if colon and port != "443":
        raise LinkProblem(said("link_port", port=port))
    ascii_host = _ascii_host(host)
    domains = [_ascii_host(d.strip()) for d in allowlist if d.strip()]
    if not any(ascii_host == d or ascii_host.endswith("." + d) for d in domains):
        raise LinkProblem(said("host_not_allowed", host=ascii_host))
    return urlunsplit(("https", ascii_host, parts.path, parts.query, parts.fragment))


def link_allowed(url: object, allowlist: Sequence[str]) -> bool:
    """True when `canonical_link` accepts `url`."""
    try:
        canonical_link(url, allowlist)
    except LinkProblem:
        return False
    return True
