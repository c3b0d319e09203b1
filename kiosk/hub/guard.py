"""The hub's front door for every route, as one plain ASGI middleware: the Host
check, the request-body limit and one strict JSON parse.

- Host: only the names in `InputPolicy.hosts` and IP addresses are served; any
  other Host header gets 400 (a DNS-rebinding page carries its own name there).
- Login first: a body sent to a path given to `require_login` (the studios' API)
  is refused with 401 before one byte of it is read, unless the request carries
  a live session; so nobody who is not logged in can make the hub read a body
  there at all.
- Body: at most `InputPolicy.max_body` bytes (more on the exact paths and
  content types given to `allow_larger`: the voice upload); a larger body gets
  413 before any route sees it, whether it says its length or not. A body
  within the usual limit is read here and handed on; a larger one allowed by
  `allow_larger` is passed through as it arrives (counted, never buffered), so
  the route's multipart parser spools it to disk.
- JSON: a body sent as JSON must be strict JSON: no NaN or Infinity (nor numbers
  that overflow to it), no integers beyond 64 bits, no lone surrogates, no deep
  nesting. Anything else gets 422 in FastAPI's own error shape. JSON is never
  taken beyond the usual limit, and one larger than `PARSE_INLINE` bytes is
  checked in a worker thread, not on the event loop.
- Redirects to the hub itself are made relative (Location: /console/).

Routers added later (`app.include_router`) are covered without doing anything.
Errors never echo the body back (see `validation_error` for FastAPI's own 422s).
Never buffers a response, so server-sent events still stream.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.hub.web.errors import error_body

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY = 256 * 1024
PARSE_INLINE = 32 * 1024  # JSON bodies larger than this are checked in a worker thread
MAX_JSON_DEPTH = 32
INT64 = 2**63


class StrictJSONError(ValueError):
    """A body that is not strict JSON; the message says why (never quotes the body)."""


def _no_constant(name: str) -> Any:
    raise StrictJSONError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise StrictJSONError("number out of range")
    return value


def _int64(text: str) -> int:
    if len(text) > 20:  # longer than any 64-bit integer; also spares int() the work
        raise StrictJSONError("integer out of range")
    value = int(text)
    if not -INT64 <= value < INT64:
        raise StrictJSONError("integer out of range")
    return value


def _check_tree(doc: Any) -> None:
    """No lone surrogates in any string or key; nesting at most MAX_JSON_DEPTH deep."""
    stack: list[tuple[Any, int]] = [(doc, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise StrictJSONError(f"nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise StrictJSONError("text with a lone surrogate") from None
        elif isinstance(item, dict):
            for k, v in item.items():
                stack.append((k, depth + 1))
                stack.append((v, depth + 1))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def strict_json_loads(data: bytes | str) -> Any:
    """Parse JSON strictly (see the module docstring); raises StrictJSONError."""
    try:
        doc = json.loads(
            data,
            parse_constant=_no_constant,
            parse_float=_finite_float,
            parse_int=_int64,
        )
    except StrictJSONError:
        raise
    except RecursionError:
        raise StrictJSONError(f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    except UnicodeDecodeError:
        raise StrictJSONError("not UTF-8") from None
    except ValueError as exc:  # json.JSONDecodeError and int() limits
        raise StrictJSONError(f"not valid JSON: {getattr(exc, 'msg', 'bad number')}") from None
    _check_tree(doc)
    return doc


def is_json(content_type: str | None) -> bool:
    """Whether FastAPI would parse a body with this Content-Type as JSON."""
    if not content_type:
        return True  # FastAPI parses a body without a Content-Type as JSON
    main = content_type.split(";", 1)[0].strip().lower()
    return main == "application/json" or (
        main.startswith("application/") and main.endswith("+json")
    )


def host_name(host_header: str) -> str:
    """The name in a Host header, lower case, without port or IPv6 brackets."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def certificate_names(cert_file: str | Path) -> list[str]:
    """DNS names in a PEM certificate's subjectAltName (and its common name)."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    cert = x509.load_pem_x509_certificate(Path(cert_file).read_bytes())
    names: list[str] = []
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names += san.value.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        pass
    for attr in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME):
        if isinstance(attr.value, str):
            names.append(attr.value)
    return [n.lower() for n in names]


def default_hosts(
    configured_host: str, tls_cert: str = "", extra: Iterable[str] = ()
) -> frozenset[str]:
    """hub.allowed_hosts plus the configured listen name, localhost and the names
    in the TLS certificate. (IP addresses are always served: see `InputGuard`.)"""
    names = {"localhost", *(h.lower() for h in extra)}
    if configured_host and not is_ip(configured_host):
        names.add(configured_host.lower())
    if tls_cert:
        try:
            names.update(certificate_names(tls_cert))
        except (OSError, ValueError) as exc:
            log.warning("could not read names from %s: %s", tls_cert, exc)
    return frozenset(names)


# Whether a request may send a body to a guarded path (e.g. it has a live session).
LoginCheck = Callable[[Headers], Awaitable[bool]]


@dataclass
class InputPolicy:
    """What InputGuard lets in; kept on app.state.input_policy so routers can widen
    the body limit for their own paths with `allow_larger`, and ask for a login
    before any body is read with `require_login`."""

    hosts: frozenset[str]
    max_body: int = DEFAULT_MAX_BODY
    # exact path -> (bytes, the content types allowed that many; empty: any)
    larger: dict[str, tuple[int, frozenset[str]]] = field(default_factory=dict)
    logins: dict[str, LoginCheck] = field(default_factory=dict)  # path prefix -> check

    def allow_larger(self, path: str, max_bytes: int, content_types: Iterable[str] = ()) -> None:
        """Bodies up to `max_bytes` on exactly `path` (e.g. an upload route), only
        of these content types (e.g. multipart/form-data) when any are given."""
        self.larger[path] = (max_bytes, frozenset(t.lower() for t in content_types))

    def require_login(self, path_prefix: str, check: LoginCheck) -> None:
        """A body to any path under `path_prefix` is refused with 401, unread,
        unless `check(headers)` says the sender is logged in."""
        self.logins[path_prefix] = check

    def body_limit(self, path: str, content_type: str | None = None) -> int:
        found = self.larger.get(path)
        if found is None:
            return self.max_body
        limit, types = found
        if types and _main_type(content_type) not in types:
            return self.max_body
        return max(limit, self.max_body)

    def login_check(self, path: str) -> LoginCheck | None:
        best, check = -1, None
        for prefix, c in self.logins.items():
            if path.startswith(prefix) and len(prefix) > best:
                best, check = len(prefix), c
        return check

    def host_allowed(self, host_header: str | None) -> bool:
        if not host_header:
            return False
        name = host_name(host_header)
        if not name or len(name) > 253:
            return False
        # An IP address cannot come from DNS rebinding: the page's own name would be
        # in the Host header. Terminals and volunteers often reach a LAN hub by address.
        return name in self.hosts or is_ip(name)


def _main_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _json_answer(
    status: int, scope: Scope, detail: Any, headers: dict[str, str] | None = None
) -> Any:
    body = error_body(status, detail, Headers(scope=scope))
    return JSONResponse(body, status_code=status, headers=headers)


def _json_error(message: str) -> list[dict[str, Any]]:
    # FastAPI's HTTPValidationError shape, so clients and the schema see one kind of 422.
    return [{"type": "json_invalid", "loc": ["body"], "msg": message}]


_TOO_LARGE = b"\0too large"  # a marker, compared by identity


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, `_TOO_LARGE` past `limit` bytes, None when the client left."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return _TOO_LARGE
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class BodyTooLarge(HTTPException):
    """A streamed body went past its limit, found while the route reads it: 413
    (an HTTPException, so FastAPI's body parsing passes it on as it is)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413, f"request body larger than {limit} bytes", headers={"Connection": "close"}
        )


def _counted(receive: Receive, limit: int) -> Receive:
    size = 0

    async def counted() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise BodyTooLarge(limit)
        return message

    return counted


class InputGuard:
    """Plain ASGI middleware applying an InputPolicy to every HTTP request."""

    def __init__(self, app: ASGIApp, policy: InputPolicy):
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host")
        if not self.policy.host_allowed(host):
            await _json_answer(400, scope, "unknown Host header")(scope, receive, send)
            return

        content_type = headers.get("content-type")
        limit = self.policy.body_limit(scope["path"], content_type)
        too_large = _json_answer(
            413, scope, f"request body larger than {limit} bytes", {"Connection": "close"}
        )
        length = headers.get("content-length")
        if length is not None and not length.isdigit():
            await _json_answer(400, scope, "bad Content-Length")(scope, receive, send)
            return
        has_body = (length is not None and int(length) > 0) or "transfer-encoding" in headers
        check = self.policy.login_check(scope["path"]) if has_body else None
        if check is not None and not await check(headers):
            # Unread: the connection is closed after this answer, with the body.
            refused = _json_answer(401, scope, "log in first", {"Connection": "close"})
            await refused(scope, receive, send)
            return
        if length is not None and int(length) > limit:
            await too_large(scope, receive, send)
            return

        if limit > self.policy.max_body and not is_json(content_type):
            # An upload: handed on as it arrives, counted, never held here.
            app_receive = _counted(receive, limit)
        else:
            body = await _read_body(receive, limit)
            if body is None:
                return  # the client went away
            if body is _TOO_LARGE:
                await too_large(scope, receive, send)
                return
            if body and is_json(content_type):
                try:
                    if len(body) > PARSE_INLINE:
                        await anyio.to_thread.run_sync(strict_json_loads, body)
                    else:
                        strict_json_loads(body)
                except StrictJSONError as exc:
                    await _json_answer(422, scope, _json_error(str(exc)))(scope, receive, send)
                    return
            app_receive = _replay(body, receive)

        own_host = host_name(host or "")

        async def send_relative(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                location = out.get("location")
                if location:
                    parts = urlsplit(location)
                    if parts.netloc and host_name(parts.netloc) == own_host:
                        out["location"] = (parts.path or "/") + (
                            f"?{parts.query}" if parts.query else ""
                        )
            await send(message)

        await self.app(scope, app_receive, send_relative)


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 without the `input` it would echo back (up to the whole body)."""
    errors = [{k: v for k, v in err.items() if k in ("type", "loc", "msg")} for err in exc.errors()]
    return JSONResponse(error_body(422, jsonable_encoder(errors), request.headers), status_code=422)


def document_guard(app: FastAPI) -> None:
    """List the guard's own answers in /openapi.json for every operation, also of
    routers included later: 400 (Host) everywhere, 413 and 422 wherever a body
    may be sent."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        problem = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        invalid = {
            "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
        }
        for item in schema.get("paths", {}).values():
            for method, op in item.items():
                responses = op.setdefault("responses", {})
                responses.setdefault(
                    "400",
                    {"description": "Host header not one of this hub's names", "content": problem},
                )
                if method in ("post", "put", "patch", "delete"):
                    responses.setdefault(
                        "413", {"description": "request body too large", "content": problem}
                    )
                    responses.setdefault(
                        "422", {"description": "not strict JSON, or invalid", "content": invalid}
                    )
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
