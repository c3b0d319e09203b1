"""Runs the hub on uvicorn: plain HTTP, or HTTPS when hub.tls_cert and hub.tls_key
are set. Trusts X-Forwarded-* only from 127.0.0.1 (nginx on the same machine).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import uvicorn

from kiosk.hub.app import create_app


def build_server(
    settings: Mapping[str, Any],
    data_dir: Path,
    host: str,
    port: int,
    log_level: str = "info",
    **app_options: Any,
) -> uvicorn.Server:
    """`app_options` go to create_app (clock, password_hasher: for tests)."""
    cert, key = settings["hub.tls_cert"], settings["hub.tls_key"]
    if bool(cert) != bool(key):
        raise ValueError("set both hub.tls_cert and hub.tls_key, or neither")
    config = uvicorn.Config(
        create_app(settings, data_dir, **app_options),
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


def start_in_thread(
    settings: Mapping[str, Any],
    data_dir: Path,
    host: str,
    port: int,
    timeout: float = 15.0,
    **app_options: Any,
) -> uvicorn.Server:
    """A hub in a daemon thread of this process (`kiosk run --with-hub`, tests);
    returns once it listens. Stop it with `server.should_exit = True`."""
    server = build_server(settings, data_dir, host, port, log_level="warning", **app_options)
    thread = threading.Thread(target=server.run, name="hub", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the hub did not start on {host}:{port}")
        time.sleep(0.02)
    return server


def dev_terminal_key(data_dir: Path, terminal: str, site: str) -> str:
    """A fresh key for `terminal` on the hub at `data_dir` (replacing its old one), for
    running a terminal and a hub together on one development machine."""
    from kiosk.core.helpdesk.clock import SystemClock
    from kiosk.hub.store import HubStore

    store = HubStore(Path(data_dir) / "hub.db")
    try:
        return store.add_terminal(terminal, site, SystemClock().now())
    finally:
        store.close()
