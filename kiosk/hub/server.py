"""Runs the hub on uvicorn: plain HTTP, or HTTPS when hub.tls_cert and hub.tls_key
are set. Trusts X-Forwarded-* only from 127.0.0.1 (nginx on the same machine).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import uvicorn

from kiosk.hub.app import create_app


def build_server(
    settings: Mapping[str, Any], data_dir: Path, host: str, port: int, log_level: str = "info"
) -> uvicorn.Server:
    cert, key = settings["hub.tls_cert"], settings["hub.tls_key"]
    if bool(cert) != bool(key):
        raise ValueError("set both hub.tls_cert and hub.tls_key, or neither")
    config = uvicorn.Config(
        create_app(settings, data_dir),
        host=host,
        port=port,
        log_level=log_level,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        ssl_certfile=cert or None,
        ssl_keyfile=key or None,
        # Open event streams must not hold a restart up for long.
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)
