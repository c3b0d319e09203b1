"""The hub's own outgoing HTTP (forwarding to a central hub), each call with a
total deadline: connecting, waiting for the headers and reading the body
together may not take longer, however slowly a peer drips its bytes.

httpx's timeouts are per read; the total deadline comes from asyncio
cancellation around the whole exchange. Runs in the caller's thread (its own
event loop), never in the server's.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from kiosk.core.helpdesk.model import HubRejected, HubUnavailable

ANSWER_MAX_BYTES = 64 * 1024  # more than any answer the hub gives


async def _post(
    url: str, body: bytes, headers: dict[str, str], deadline: float
) -> tuple[int, bytes]:
    async with (
        asyncio.timeout(deadline),
        httpx.AsyncClient(timeout=deadline, follow_redirects=False) as client,
        client.stream("POST", url, content=body, headers=headers) as response,
    ):
        data = b""
        async for chunk in response.aiter_bytes():
            data += chunk
            if len(data) > ANSWER_MAX_BYTES:
                break
        return response.status_code, data[:ANSWER_MAX_BYTES]


def post_json(url: str, doc: Any, key: str, deadline: float) -> Any:
    """POST `doc` as JSON with a bearer `key`; the answer's JSON. HubUnavailable when
    the peer cannot be reached, fails (5xx) or takes longer than `deadline` seconds
    in all; HubRejected when it refuses (4xx)."""
    body = json.dumps(doc, allow_nan=False).encode()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    try:
        status, data = asyncio.run(_post(url, body, headers, deadline))
    except TimeoutError:
        raise HubUnavailable(f"no complete answer within {deadline:g} s") from None
    except httpx.HTTPError as exc:
        raise HubUnavailable(f"{type(exc).__name__}: {exc}") from exc
    if status >= 500:
        raise HubUnavailable(f"hub error {status}")
    try:
        answer = json.loads(data) if data else None
    except ValueError:
        answer = None
    if status >= 400:
        detail = answer.get("detail") if isinstance(answer, dict) else data[:200]
        raise HubRejected(status, str(detail)[:200])
    return answer


class CentralHub:
    """Where a site hub forwards its terminals' status: `send_forward(payload)`."""

    def __init__(self, url: str, hub_key: str, deadline: float):
        self._url = url.rstrip("/") + "/api/v1/hub/forward"
        self._key = hub_key
        self._deadline = deadline

    def send_forward(self, payload: dict[str, Any]) -> None:
        post_json(self._url, payload, self._key, self._deadline)
