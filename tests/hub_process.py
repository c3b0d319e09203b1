"""A real hub in a process of its own, for tests that measure the hub itself
(its memory, its answers while it is attacked) without the test's own load in
the same process.

    with HubProcess(tmp_path) as hub:
        hub.login("aysel") -> a requests.Session logged in
        hub.rss() -> the hub process's resident memory in bytes

Run as `python -m tests.hub_process DATA_DIR PORT [setting=json ...]`: it
creates the accounts below, prints READY once it listens, and stops at SIGTERM
or when its standard input closes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import requests

PASSWORD = "correct horse 1"
# name -> (site, admin)
ACCOUNTS = {
    "aysel": ("barda", False),
    "boss": ("barda", True),
    "kamran": ("gence", False),
    "leyla": ("gence", True),
}
ROOT = Path(__file__).resolve().parent.parent


class HubProcess:
    def __init__(self, data_dir: Path, cwd: Path | None = None, **settings: object):
        from tests.helpdesk_support import free_port

        self.data_dir = Path(data_dir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [f"{k}={json.dumps(v)}" for k, v in settings.items()]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.hub_process", str(self.data_dir), str(self.port), *args],
            cwd=str(cwd or self.data_dir.parent),
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("READY"):
            self.stop()
            raise RuntimeError(f"the hub process did not start: {line!r}")
        self.keys: dict[str, str] = json.loads(line.split(" ", 1)[1])

    def __enter__(self) -> HubProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def rss(self) -> int:
        """The hub process's resident memory, in bytes."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")

    def login(self, name: str) -> requests.Session:
        s = requests.Session()
        token = s.get(f"{self.url}/api/v1/console/me", timeout=10).json()["csrf_token"]
        r = s.post(
            f"{self.url}/api/v1/console/login",
            json={"name": name, "password": PASSWORD},
            headers={"X-CSRF-Token": token},
            timeout=10,
        )
        assert r.status_code == 200, r.text
        s.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        return s


def main(argv: list[str]) -> int:
    from kiosk.core.helpdesk.clock import SystemClock
    from kiosk.hub.server import build_server
    from tests.helpdesk_support import cheap_hasher, hub_settings

    data_dir, port = Path(argv[0]), int(argv[1])
    values = {k: json.loads(v) for k, v in (a.split("=", 1) for a in argv[2:])}
    server = build_server(
        hub_settings(**values),
        data_dir,
        "127.0.0.1",
        port,
        log_level="warning",
        password_hasher=cheap_hasher(),
    )
    store = server.config.app.state.hub.store
    now = SystemClock().now()
    for name, (site, admin) in ACCOUNTS.items():
        store.add_volunteer(name, site, PASSWORD, now, admin=admin)
    keys = {"hall-1": store.add_terminal("hall-1", "barda", now)}

    def announce() -> None:
        while not server.started:
            threading.Event().wait(0.02)
        print("READY " + json.dumps(keys), flush=True)
        sys.stdin.read()  # the test closed our input (or ended): stop
        server.should_exit = True

    threading.Thread(target=announce, daemon=True).start()
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
