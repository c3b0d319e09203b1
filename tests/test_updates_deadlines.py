"""Every fetch the updater makes has a total deadline that includes connecting and
the response headers: a repository that drips its headers a byte at a time is
given up on after updates.timeout_seconds, the error is in `update --status`, and
a mirror that does this makes the terminal use the main host."""

from __future__ import annotations

import subprocess
import sys
import threading

from kiosk.core.content import load_bundle
from kiosk.core.content.update import ContentUpdater, UpdateResult, UpdateStatus
from tests._updates import HeaderDripServer, terminal_settings

# Longest a test waits for a check before calling it hung. The updater's own bound
# here is 1 s per source (timeout 1); this only keeps a regression from hanging CI.
HANG_GUARD = 60


def check_in_thread(updater: ContentUpdater) -> UpdateResult:
    out: list[UpdateResult] = []
    worker = threading.Thread(target=lambda: out.append(updater.check_once()), daemon=True)
    worker.start()
    worker.join(HANG_GUARD)
    assert not worker.is_alive(), "the update check is still waiting on a dripping repository"
    return out[0]


def test_a_repository_dripping_its_headers_is_given_up_on(tmp_path, admin):
    with HeaderDripServer() as drip:
        updater = ContentUpdater(
            terminal_settings(tmp_path, drip.url, admin.trusted_root, timeout=1)
        )
        result = check_in_thread(updater)
        assert result.status == UpdateStatus.UNREACHABLE
        assert "timed out" in result.reason and "headers within 1 s" in result.reason
        assert drip.gave_up.wait(10), "the terminal never closed the dripping connection"
        assert drip.connections == 1  # no retry loop against the same host
    status = updater.status()
    assert status.last_result == "unreachable"
    assert "headers within 1 s" in status.last_error
    assert status.last_success is None


def test_a_dripping_mirror_falls_back_to_the_main_host(tmp_path, admin, server):
    with HeaderDripServer() as drip:
        updater = ContentUpdater(
            terminal_settings(tmp_path, server.url, admin.trusted_root, drip.url, timeout=1)
        )
        result = check_in_thread(updater)
    assert result.status == UpdateStatus.UPDATED_STAGED, result.reason
    assert result.source == server.url
    assert result.reason.startswith(f"mirror {drip.url}") and "headers within" in result.reason
    assert "mirror" in updater.status().last_error  # worth knowing, though the update worked
    assert updater.switch_pending()
    assert load_bundle(updater.installed_dir()).version == 1


def test_kiosk_update_once_gives_up_and_status_shows_why(tmp_path, admin):
    config = tmp_path / "kiosk.toml"
    with HeaderDripServer() as mirror, HeaderDripServer() as main:
        config.write_text(
            f"""
[kiosk]
data_dir = "{tmp_path / "terminal"}"

[updates]
repo_url = "{main.url}"
mirror_url = "{mirror.url}"
trusted_root = "{admin.trusted_root}"
timeout_seconds = 1
""",
            encoding="utf-8",
        )
        once = subprocess.run(
            [sys.executable, "-m", "kiosk", "update", "--once", "--config", str(config)],
            capture_output=True,
            text=True,
            timeout=HANG_GUARD,
        )
        assert mirror.connections == 1 and main.connections == 1
    assert once.returncode == 1, once.stderr
    assert once.stdout.startswith("unreachable: mirror")
    status = subprocess.run(
        [sys.executable, "-m", "kiosk", "update", "--status", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    ).stdout
    assert "last_result: unreachable" in status
    error = next(line for line in status.splitlines() if line.startswith("last_error:"))
    assert error.count("did not connect and send its headers within 1 s") == 2, error
