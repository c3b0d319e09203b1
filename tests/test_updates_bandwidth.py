"""When one service changes, a terminal downloads the signed metadata and that
file (plus bundle.toml, whose version went up), not the whole bundle.

Run with -s to see the figures (bytes, and times on this machine):
pytest -s tests/test_updates_bandwidth.py
"""

from __future__ import annotations

import time

from kiosk.core.content.update import ContentUpdater, UpdateStatus
from tests._updates import Publisher, RepoServer, terminal_settings


def test_bytes_downloaded_when_one_service_changes(tmp_path):
    admin = Publisher(tmp_path / "admin")
    admin.publish()
    with RepoServer(admin.repo) as server:
        # A terminal whose factory content differs from the published bundle in
        # every file would download everything: that is the full size.
        (tmp_path / "nothing").mkdir()
        full = ContentUpdater(
            terminal_settings(tmp_path, server.url, admin.trusted_root, name="bare").replace(
                kiosk__content_dir=str(tmp_path / "nothing")
            )
        ).check_once()
        assert full.status == UpdateStatus.UPDATED_STAGED
        full_bytes = server.bytes_sent

        server.reset_counts()
        updater = ContentUpdater(terminal_settings(tmp_path, server.url, admin.trusted_root))
        first = updater.check_once()
        assert updater.switch_pending()
        first_bytes = server.bytes_sent

        admin.bump(service="social-assistance")
        admin.publish()
        server.reset_counts()
        started = time.perf_counter()
        second = updater.check_once()
        staged = time.perf_counter()
        assert second.status == UpdateStatus.UPDATED_STAGED
        assert updater.switch_pending()
        switched = time.perf_counter()
        changed = ["bundle.toml", "services/social-assistance.toml"]
        changed_bytes = sum((admin.src / rel).stat().st_size for rel in changed)

    print(
        f"\nwhole bundle, nothing reusable: {full_bytes} bytes in {full.files_downloaded} files\n"
        f"first update over the default content: {first_bytes} bytes "
        f"({first.files_downloaded} files downloaded, {first.files_reused} reused)\n"
        f"one service changed: {second.bytes_downloaded} bytes "
        f"({second.files_downloaded} files downloaded, {second.files_reused} reused; "
        f"the two changed files are {changed_bytes} bytes, the rest is signed metadata)\n"
        f"(figures only, not checked) download+verify+check+stage "
        f"{(staged - started) * 1000:.0f} ms, switch {(switched - staged) * 1000:.1f} ms"
    )
    assert second.bytes_downloaded == server.bytes_sent
    assert second.files_downloaded == 3  # the file list, bundle.toml, the service
    assert changed_bytes < second.bytes_downloaded < full_bytes
