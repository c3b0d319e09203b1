"""A site hub mirrors the content repository: each file crosses the slow link
once, terminals verify everything themselves, and fall back to the main host
when the mirror is down or serves something wrong."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from kiosk.core.content import load_bundle
from kiosk.core.content.update import ContentUpdater, UpdateStatus
from kiosk.core.settings import HUB_SETTINGS, validate_values
from kiosk.hub.app import create_app
from tests._updates import RepoServer, closed_port_url, terminal_settings


class Hub:
    """The real hub app on 127.0.0.1, mirroring `upstream` (hub.content_upstream)."""

    def __init__(self, upstream: str, data_dir):
        settings = validate_values({"hub.content_upstream": upstream}, HUB_SETTINGS, "test")
        app = create_app(settings, data_dir)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/content"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.server.started
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture
def upstream(admin):
    with RepoServer(admin.repo) as s:
        yield s


@pytest.fixture
def hub(tmp_path, upstream):
    with Hub(upstream.url, tmp_path / "hub-data") as h:
        yield h


def test_terminals_update_through_the_mirror_and_files_cross_once(tmp_path, admin, upstream, hub):
    admin.bump(service="social-assistance")
    admin.publish()
    upstream.reset_counts()
    results = []
    for name in ("terminal-a", "terminal-b", "terminal-c"):
        updater = ContentUpdater(
            terminal_settings(tmp_path, upstream.url, admin.trusted_root, hub.url, name)
        )
        result = updater.check_once()
        assert result.status == UpdateStatus.UPDATED_STAGED, result.reason
        assert result.source == hub.url.rstrip("/"), (name, result.reason)
        assert updater.switch_pending()
        assert load_bundle(updater.installed_dir()).version == 2
        results.append(result)
    # Each bundle file the terminals needed crossed the upstream link once.
    assert upstream.target_requests()
    assert set(upstream.target_requests().values()) == {1}


def test_the_terminal_falls_back_to_the_main_host_when_the_mirror_is_down(
    tmp_path, admin, upstream
):
    updater = ContentUpdater(
        terminal_settings(tmp_path, upstream.url, admin.trusted_root, closed_port_url())
    )
    result = updater.check_once()
    assert result.status == UpdateStatus.UPDATED_STAGED
    assert result.source == upstream.url
    assert "mirror" in result.reason and "cannot reach" in result.reason
    assert updater.switch_pending()


def test_a_mirror_serving_tampered_files_is_not_trusted(tmp_path, admin, upstream, hub):
    admin.bump()
    admin.publish()
    first = ContentUpdater(
        terminal_settings(tmp_path, upstream.url, admin.trusted_root, hub.url, "first")
    )
    assert first.check_once().status == UpdateStatus.UPDATED_STAGED
    # Someone with access to the hub edits its cache.
    (bundle_toml,) = (tmp_path / "hub-data" / "content-mirror" / "targets").glob("*.bundle.toml")
    bundle_toml.write_bytes(bundle_toml.read_bytes().replace(b"English", b"Engl1sh"))

    second = ContentUpdater(
        terminal_settings(tmp_path, upstream.url, admin.trusted_root, hub.url, "second")
    )
    result = second.check_once()
    assert result.status == UpdateStatus.UPDATED_STAGED
    assert result.source == upstream.url  # got it from the main host instead
    assert "mirror" in result.reason and "hash" in result.reason
    assert second.switch_pending()
    text = (second.installed_dir() / "bundle.toml").read_text(encoding="utf-8")
    assert "English" in text


def test_the_mirror_serves_only_repository_paths(hub):
    import httpx

    base = hub.url
    assert httpx.get(f"{base}/metadata/timestamp.json").status_code == 200
    assert httpx.get(f"{base}/../etc/passwd").status_code == 404
    assert httpx.get(f"{base}/metadata/..%2F..%2Fsecret").status_code == 404
    assert httpx.get(f"{base}/other/file").status_code == 404
    assert httpx.get(f"{base}/metadata/99.root.json").status_code == 404
