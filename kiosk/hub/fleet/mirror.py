"""A site hub's caching mirror of the content repository.

A district centre on a slow link fetches each published file from the main
host once; its terminals then download from the hub over the LAN. The mirror
is untrusted by design: it verifies nothing, and terminals check every
signature, version, expiry, length and hash themselves (and fall back to the
main host when the mirror fails or serves something wrong).

Caching follows the repository layout written by `kiosk content publish`:
every file is immutable (versioned metadata, targets named by their sha256)
except metadata/timestamp.json, which is re-fetched after a short time and
served stale when the upstream is down (terminals notice expiry themselves).

This module must never serve a path outside its cache folder, and never keep
an upstream error page as if it were content.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import time
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

# Metadata whose name carries no version may change at the next publish.
_MUTABLE = re.compile(r"^metadata/(timestamp|root|snapshot|targets)\.json$")
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _safe(path: str) -> bool:
    parts = path.split("/")
    return (
        len(parts) >= 2
        and parts[0] in ("metadata", "targets")
        and all(_SEGMENT.match(p) and ".." not in p for p in parts)
    )


def mirror_router(
    upstream_url: str,
    cache_dir: Path,
    *,
    timeout: float = 20.0,
    deadline: float = 300.0,
    timestamp_ttl: float = 60.0,
    max_file_bytes: int = 200 * 1024 * 1024,
) -> APIRouter:
    """Routes serving GET /content/<path> from `upstream_url`, cached in `cache_dir`.

    One upstream fetch may take `deadline` seconds in all (connect, headers and
    body; `timeout` bounds each wait for bytes). Waiting terminals hold no
    server thread: the route is async and the fetch is cancelled at the deadline.
    """
    import httpx

    upstream = upstream_url.rstrip("/")
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    locks: dict[str, asyncio.Lock] = {}
    tls = httpx.create_ssl_context()  # made once: building one per fetch costs the loop dearly
    router = APIRouter()

    async def fetch(path: str, dest: Path) -> int:
        """Upstream status; on 200 the body is in `dest` (written whole, then renamed)."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as f:
                async with (
                    asyncio.timeout(deadline),
                    httpx.AsyncClient(
                        timeout=timeout, follow_redirects=False, verify=tls
                    ) as client,
                    client.stream("GET", f"{upstream}/{path}") as r,
                ):
                    if r.status_code != 200:
                        return r.status_code
                    size = 0
                    async for chunk in r.aiter_bytes(65536):
                        size += len(chunk)
                        if size > max_file_bytes:
                            return 413
                        f.write(chunk)
            os.replace(tmp, dest)
            return 200
        finally:
            Path(tmp).unlink(missing_ok=True)

    @router.get("/content/{path:path}", include_in_schema=False)
    async def content(path: str) -> FileResponse:
        if not _safe(path):
            raise HTTPException(404, "not a content repository path")
        dest = cache / path
        mutable = bool(_MUTABLE.match(path))
        lock = locks.setdefault(path, asyncio.Lock())
        # One fetch per file however many terminals ask at once.
        async with lock:
            fresh = dest.is_file() and (
                not mutable or time.time() - dest.stat().st_mtime < timestamp_ttl
            )
            if not fresh:
                try:
                    status = await fetch(path, dest)
                except (httpx.HTTPError, TimeoutError, OSError):
                    status = 502
                if status != 200 and not dest.is_file():
                    raise HTTPException(404 if status == 404 else 502, f"upstream: {status}")
        headers = {
            "Cache-Control": "no-cache" if mutable else "public, max-age=31536000, immutable"
        }
        return FileResponse(dest, headers=headers)

    return router
