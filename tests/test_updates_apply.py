"""A terminal picks up published content: staged, switched between residents,
unchanged files reused, the previous bundle kept, status reported."""

from __future__ import annotations

import random
import threading

from kiosk.cli import main
from kiosk.core.content import load_bundle
from kiosk.core.content.update import ContentUpdater, UpdateStatus
from kiosk.paths import DEFAULT_CONTENT
from tests._updates import terminal_settings


def test_nothing_installed_means_the_default_content(tmp_path, admin, server):
    updater = ContentUpdater(terminal_settings(tmp_path, server.url, admin.trusted_root))
    assert updater.installed_dir() == DEFAULT_CONTENT
    assert updater.installed_version() is None
    assert not updater.pending()


def test_an_update_is_staged_then_switched_in(tmp_path, admin, server):
    ready = []
    updater = ContentUpdater(
        terminal_settings(tmp_path, server.url, admin.trusted_root), on_ready=ready.append
    )
    assert updater.check_once().status == UpdateStatus.UPDATED_STAGED
    assert updater.switch_pending()

    version = admin.bump(marker="new text")
    admin.publish()
    result = updater.check_once()
    assert result.status == UpdateStatus.UPDATED_STAGED, result.reason
    assert result.version == version
    assert [r.version for r in ready] == [1, version]
    # Staged is not installed: the app keeps the old bundle until it switches.
    assert updater.pending()
    assert load_bundle(updater.installed_dir()).version == 1

    prepared = []
    assert updater.switch_pending(before_switch=prepared.append)
    assert not updater.pending()
    installed = updater.installed_dir()
    assert prepared == [installed]
    assert load_bundle(installed).version == version
    assert "new text" in (installed / "services" / "id-card.toml").read_text(encoding="utf-8")
    assert updater.installed_version() == version
    assert updater.check_once().status == UpdateStatus.CURRENT


def test_unchanged_files_are_not_downloaded_again(tmp_path, admin, server):
    updater = ContentUpdater(terminal_settings(tmp_path, server.url, admin.trusted_root))
    updater.check_once()
    updater.switch_pending()

    admin.bump(service="asan-imza")
    admin.publish()
    server.reset_counts()
    result = updater.check_once()
    assert result.status == UpdateStatus.UPDATED_STAGED
    # Only what changed: the file list, bundle.toml (new version) and the one service.
    assert server.target_requests() == {
        "komek-bundle.json": 1,
        "bundle.toml": 1,
        "services/asan-imza.toml": 1,
    }
    assert result.files_reused == len(admin.files()) - 2
    assert result.bytes_downloaded == server.bytes_sent


def test_a_current_terminal_downloads_only_the_timestamp_metadata(tmp_path, admin, server):
    updater = ContentUpdater(terminal_settings(tmp_path, server.url, admin.trusted_root))
    updater.check_once()
    updater.switch_pending()
    server.reset_counts()
    result = updater.check_once()
    assert result.status == UpdateStatus.CURRENT
    # TUF always asks whether a newer root exists (404 here), then the timestamp.
    assert sorted(server.requests) == ["/metadata/2.root.json", "/metadata/timestamp.json"]


def test_a_failing_narration_prerender_keeps_the_old_bundle(tmp_path, admin, server):
    updater = ContentUpdater(terminal_settings(tmp_path, server.url, admin.trusted_root))
    updater.check_once()
    updater.switch_pending()
    admin.bump()
    admin.publish()
    assert updater.check_once().status == UpdateStatus.UPDATED_STAGED

    def broken_prerender(path):
        raise RuntimeError("speech engine gone")

    assert not updater.switch_pending(before_switch=broken_prerender)
    assert load_bundle(updater.installed_dir()).version == 1
    assert "speech engine gone" in updater.status().last_error


def test_the_previous_bundle_is_restored_when_the_new_one_fails_to_load(tmp_path, admin, server):
    updater = ContentUpdater(terminal_settings(tmp_path, server.url, admin.trusted_root))
    updater.check_once()
    updater.switch_pending()
    admin.bump()
    admin.publish()
    updater.check_once()
    assert updater.switch_pending()
    assert updater.installed_version() == 2

    # The app could not load it (or the disk ate a file): back to version 1.
    (updater.installed_dir() / "groups.toml").unlink()
    fresh = ContentUpdater(terminal_settings(tmp_path, server.url, admin.trusted_root))
    assert load_bundle(fresh.installed_dir()).version == 1
    assert "restored the previous" in fresh.status().last_error


def test_status_says_version_check_times_and_errors(tmp_path, admin, server):
    updater = ContentUpdater(terminal_settings(tmp_path, server.url, admin.trusted_root))
    before = updater.status()
    assert before.installed_version is None and before.last_check is None
    updater.check_once()
    updater.switch_pending()
    status = updater.status().as_dict()
    assert status["installed_version"] == 1
    assert status["last_result"] == "updated_staged"
    assert status["last_success"] == status["last_check"] is not None
    assert status["last_error"] == ""


def test_polling_waits_the_interval_plus_jitter(tmp_path, admin):
    settings = terminal_settings(tmp_path, "http://unused", admin.trusted_root).replace(
        updates__interval_minutes=30, updates__jitter_minutes=5
    )
    updater = ContentUpdater(settings, rng=random.Random(7))
    delays = [updater.next_delay() for _ in range(200)]
    assert all(30 * 60 <= d <= 35 * 60 for d in delays)
    assert max(delays) - min(delays) > 60  # the jitter really spreads a fleet


def test_the_polling_thread_stages_and_tells_the_app(tmp_path, admin, server):
    staged = threading.Event()
    updater = ContentUpdater(
        terminal_settings(tmp_path, server.url, admin.trusted_root),
        on_ready=lambda result: staged.set(),
    )
    updater.start(first_delay=0)
    try:
        assert staged.wait(20)
    finally:
        updater.stop()
    assert updater.pending()


def test_kiosk_update_once_prints_the_outcome(tmp_path, admin, server, capsys):
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\n'
        f'[updates]\nrepo_url = "{server.url}"\ntrusted_root = "{admin.trusted_root}"\n',
        encoding="utf-8",
    )
    assert main(["update", "--once", "--config", str(config)]) == 0
    assert "updated to version 1" in capsys.readouterr().out
    assert main(["update", "--once", "--config", str(config)]) == 0
    assert "already current: version 1" in capsys.readouterr().out
    server.stop()
    assert main(["update", "--once", "--config", str(config)]) == 1
    assert "unreachable" in capsys.readouterr().out
    assert main(["update", "--status", "--config", str(config)]) == 0
    status = capsys.readouterr().out
    assert "installed_version: 1" in status and "last_error: " in status
    assert "cannot reach" in status


def test_updates_are_off_without_a_repository(tmp_path, settings):
    result = ContentUpdater(settings).check_once()
    assert result.status == UpdateStatus.NOT_CONFIGURED
    assert "repo_url" in result.reason


def test_the_app_never_waits_for_a_slow_check(tmp_path, admin, server):
    updater = ContentUpdater(
        terminal_settings(tmp_path, server.url, admin.trusted_root, timeout=30.0)
    )
    updater.check_once()
    updater.switch_pending()
    server.reset_counts()
    server.hang = True  # the next check blocks on the network
    checking = threading.Thread(target=updater.check_once, daemon=True)
    checking.start()
    while not server.requests:
        checking.join(0.01)
    # Between residents the app asks what to load and whether to switch.
    assert load_bundle(updater.installed_dir()).version == 1
    assert not updater.switch_pending()
    assert updater.status().installed_version == 1
    assert checking.is_alive()  # all of the above ran while the check was stuck
    server.stop()
    checking.join(30)
