"""Helpers for the content update tests: signing keys, a published repository,
a real HTTP server on 127.0.0.1 that counts what it serves and can misbehave,
and terminal settings pointing at it."""

from __future__ import annotations

import http.server
import re
import shutil
import socket
import threading
from collections import Counter
from pathlib import Path

from kiosk.core.content.publish import bundle_files, delegate, generate_keys, publish
from kiosk.core.settings import KIOSK_SETTINGS, Settings, validate_values
from kiosk.paths import DEFAULT_CONTENT


class RepoServer:
    """Serves a folder over HTTP on 127.0.0.1, counting requests and body bytes per path.

    `hang = True` makes every request wait without answering (until stop());
    `stall_on = "substring"` sends half of a matching file and then waits;
    `drip_on = "substring"` sends a matching file one byte every 0.2 seconds.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self.requests: Counter[str] = Counter()
        self.bytes_sent = 0
        self.hang = False
        self.stall_on = ""
        self.drip_on = ""
        self.stalled = threading.Event()
        self._release = threading.Event()
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(server.root), **kwargs)

            def do_GET(self):
                server.requests[self.path] += 1
                if server.hang:
                    server._release.wait(30)
                    return
                if server.stall_on and server.stall_on in self.path:
                    target = Path(self.translate_path(self.path))
                    if target.is_file():
                        data = target.read_bytes()
                        self.send_response(200)
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data[: len(data) // 2])
                        self.wfile.flush()
                        server.stalled.set()
                        server._release.wait(30)
                        return
                if server.drip_on and server.drip_on in self.path:
                    target = Path(self.translate_path(self.path))
                    if target.is_file():
                        data = target.read_bytes()
                        self.send_response(200)
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        for i in range(len(data)):
                            if server._release.wait(0.2):
                                return
                            try:
                                self.wfile.write(data[i : i + 1])
                                self.wfile.flush()
                            except OSError:
                                return  # the terminal gave up
                        return
                super().do_GET()

            def copyfile(self, source, outputfile):
                data = source.read()
                server.bytes_sent += len(data)
                outputfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> RepoServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset_counts(self) -> None:
        self.requests.clear()
        self.bytes_sent = 0

    def target_requests(self) -> dict[str, int]:
        """Requests for bundle files, by bundle path (hash prefix removed)."""
        out: dict[str, int] = {}
        for path, n in self.requests.items():
            if path.startswith("/targets/"):
                rel = re.sub(r"[0-9a-f]{64}\.", "", path[len("/targets/") :])
                out[rel] = out.get(rel, 0) + n
        return out


class HeaderDripServer:
    """A hostile repository on 127.0.0.1 port 0: it accepts, reads the request, and
    sends its response headers one byte every `gap` seconds, never finishing
    (a bounded 100,000-byte header, so the test cannot hang forever).

    `gave_up` is set when a client closed the connection before the headers ended.
    """

    def __init__(self, gap: float = 0.05):
        self.gap = gap
        self.connections = 0
        self.gave_up = threading.Event()
        self._stop = threading.Event()
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 100_000
        with conn:
            conn.settimeout(5)
            try:
                conn.recv(65536)  # the request
                for i in range(len(head)):
                    if self._stop.wait(self.gap):
                        return
                    conn.sendall(head[i : i + 1])
            except OSError:
                self.gave_up.set()  # the terminal cut the connection

    def __enter__(self) -> HeaderDripServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()


def closed_port_url() -> str:
    """A loopback URL where nothing listens: a server that is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class Publisher:
    """An admin with keys, a content source and a repository folder."""

    def __init__(self, tmp: Path):
        self.keys = tmp / "keys"
        self.repo = tmp / "repo"
        self.src = tmp / "src"
        generate_keys(self.keys)
        shutil.copytree(DEFAULT_CONTENT, self.src)

    @property
    def trusted_root(self) -> Path:
        return self.repo / "metadata" / "1.root.json"

    def bump(self, service: str = "id-card", marker: str = "") -> int:
        """Change one service's text and raise the bundle version; returns the new version."""
        bundle_toml = self.src / "bundle.toml"
        text = bundle_toml.read_text(encoding="utf-8")
        version = int(re.search(r"^version = (\d+)", text, re.M).group(1)) + 1
        bundle_toml.write_text(
            re.sub(r"^version = \d+", f"version = {version}", text, flags=re.M), encoding="utf-8"
        )
        svc = self.src / "services" / f"{service}.toml"
        svc.write_text(
            svc.read_text(encoding="utf-8") + f"\n# changed for version {version} {marker}\n",
            encoding="utf-8",
        )
        return version

    def publish(self, **kwargs):
        return publish(self.src, self.repo, self.keys, **kwargs)

    def files(self) -> dict[str, Path]:
        return bundle_files(self.src)

    def delegate_to_hub(self, folder: Path) -> Path:
        """`kiosk content delegate` into a hub's keys folder, with the two online keys beside."""
        folder.mkdir(parents=True, exist_ok=True)
        delegate(self.repo, self.keys, folder / "hub.pem")
        for role in ("snapshot", "timestamp"):
            shutil.copy(self.keys / f"{role}.pem", folder / f"{role}.pem")
        return folder


def terminal_settings(
    tmp: Path,
    repo_url: str,
    trusted_root: Path,
    mirror_url: str = "",
    name: str = "terminal",
    timeout: float = 5.0,
) -> Settings:
    return validate_values(
        {
            "kiosk.data_dir": str(tmp / name),
            "updates.repo_url": repo_url,
            "updates.mirror_url": mirror_url,
            "updates.trusted_root": str(trusted_root),
            "updates.timeout_seconds": timeout,
        },
        KIOSK_SETTINGS,
        "test",
    )
