"""Slow peers cannot hold the hub: a content upstream that drips its headers
is given up on at the mirror's total deadline while /healthz and heartbeats
keep answering, and live-queue streams per session are bounded."""

from __future__ import annotations

import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import requests

from kiosk.core.helpdesk import FakeClock
from kiosk.hub.server import start_in_thread
from tests.helpdesk_support import cheap_hasher, free_port, hub_settings, wait_for
from tests.test_hub_api import Hub


class DrippingUpstream:
    """Accepts every connection and sends response headers one byte a second."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(100)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop = threading.Event()
        self.connections = 0
        self._threads: list[threading.Thread] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            t = threading.Thread(target=self._drip, args=(conn,), daemon=True)
            t.start()
            self._threads.append(t)

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n" * 10:
                if self.stop.wait(1.0):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        for t in self._threads:
            t.join(5)


def test_a_dripping_upstream_cannot_exhaust_the_hub(tmp_path):
    upstream = DrippingUpstream()
    port = free_port()
    server = start_in_thread(
        hub_settings(content_upstream=upstream.url, content_upstream_deadline_seconds=3),
        tmp_path / "hub",
        "127.0.0.1",
        port,
        password_hasher=cheap_hasher(),
    )
    url = f"http://127.0.0.1:{port}"
    store = server.config.app.state.hub.store
    key = store.add_terminal("hall-1", "barda", FakeClock(datetime.now(UTC)).now())
    try:
        with ThreadPoolExecutor(45) as pool:
            waiting = [
                pool.submit(requests.get, f"{url}/content/targets/{i}.file.json", timeout=60)
                for i in range(45)
            ]
            wait_for(lambda: upstream.connections >= 45, what="45 upstream fetches")
            # Every mirror client is waiting on the upstream; the hub still answers.
            assert requests.get(f"{url}/healthz", timeout=5).status_code == 200
            beat = requests.post(
                f"{url}/api/v1/terminal/heartbeat",
                json={"printer": "ok"},
                headers={"Authorization": f"Bearer {key}"},
                timeout=10,
            )
            assert beat.status_code == 200
            # At the deadline each waiting terminal is told to go elsewhere.
            assert [f.result(timeout=60).status_code for f in waiting] == [502] * 45
        assert not list((tmp_path / "hub" / "content-mirror").rglob("*.json"))
    finally:
        server.should_exit = True
        upstream.close()


# ---- live-queue streams per session ---------------------------------------------


def test_event_streams_per_session_are_bounded(tmp_path):
    hub = Hub(tmp_path)
    c = hub.console()
    streams = hub.app.state.hub.streams
    token = c.client.cookies["komek_session"]
    stops = [streams.open(token) for _ in range(streams.per_session)]
    assert not any(s.is_set() for s in stops)
    newest = streams.open(token)
    assert stops[0].is_set() and not newest.is_set()  # the oldest makes way
    assert streams.count(token) == streams.per_session
    for s in [*stops, newest]:
        streams.close(token, s)
    assert streams.count(token) == 0


def test_a_stream_that_made_way_says_so_and_ends(tmp_path):
    clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    port = free_port()
    server = start_in_thread(
        hub_settings(), tmp_path / "hub", "127.0.0.1", port, clock=clock,
        password_hasher=cheap_hasher(),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    store = server.config.app.state.hub.store
    store.add_volunteer("aysel", "barda", "correct horse 1", clock.now())
    try:
        s = requests.Session()
        csrf = s.get(f"{url}/api/v1/console/me", timeout=5).json()["csrf_token"]
        r = s.post(
            f"{url}/api/v1/console/login",
            json={"name": "aysel", "password": "correct horse 1"},
            headers={"X-CSRF-Token": csrf},
            timeout=10,
        )
        assert r.status_code == 200
        per_session = server.config.app.state.hub.streams.per_session
        first = s.get(f"{url}/api/v1/console/events", stream=True, timeout=10)
        lines = first.iter_lines(decode_unicode=True)
        assert next(line for line in lines if line.startswith("event:")) == "event: queue"
        others = [
            s.get(f"{url}/api/v1/console/events", stream=True, timeout=10)
            for _ in range(per_session)
        ]
        assert next(line for line in lines if line.startswith("event:")) == "event: replaced"
        for r in [first, *others]:
            r.close()
    finally:
        server.should_exit = True
