"""Whatever the server does wrong, the terminal refuses or defers with a clear
reason, and the content it was serving keeps serving (version 1 here)."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import Metadata

from kiosk.core.content import load_bundle
from kiosk.core.content.publish import load_signers, refresh, write_release
from kiosk.core.content.update import ContentUpdater, UpdateStatus
from tests._updates import Publisher, closed_port_url, terminal_settings


@pytest.fixture
def terminal(installed_terminal):
    return installed_terminal


def still_serving_version_1(updater: ContentUpdater) -> None:
    assert not updater.pending()
    assert updater.installed_version() == 1
    assert load_bundle(updater.installed_dir()).version == 1
    fresh = ContentUpdater(updater.settings)  # as after a restart
    assert load_bundle(fresh.installed_dir()).version == 1


def target_file(admin: Publisher, rel: str):
    """Where the repository keeps the newest published copy of bundle file `rel`."""
    folder, _, name = rel.rpartition("/")
    digest = hashlib.sha256((admin.src / rel).read_bytes()).hexdigest()
    return admin.repo / "targets" / folder / f"{digest}.{name}"


def test_a_tampered_file_is_refused(admin, terminal):
    admin.bump(service="id-card")
    admin.publish()
    served = target_file(admin, "services/id-card.toml")
    data = served.read_bytes()
    served.write_bytes(data.replace(b"gov.az", b"gov.ax"))  # same length, other bytes
    result = terminal.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "services/id-card.toml" in result.reason and "hash" in result.reason
    still_serving_version_1(terminal)
    assert "hash" in terminal.status().last_error


def test_a_bad_signature_is_refused(admin, terminal):
    admin.bump()
    admin.publish()
    timestamp_path = admin.repo / "metadata" / "timestamp.json"
    forged = Metadata.from_file(str(timestamp_path))
    forged.signed.version += 1
    forged.sign(CryptoSigner.generate_ed25519())  # not a key the terminal trusts
    timestamp_path.write_bytes(forged.to_bytes())
    result = terminal.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "signature" in result.reason
    still_serving_version_1(terminal)


def test_older_metadata_is_refused(tmp_path, admin, terminal, server):
    old_repo = tmp_path / "old-repo"
    shutil.copytree(admin.repo, old_repo)
    admin.bump()
    admin.publish()
    assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED
    assert terminal.switch_pending()
    # A server (or attacker) now serves the older, validly signed release.
    shutil.rmtree(admin.repo)
    shutil.copytree(old_repo, admin.repo)
    result = terminal.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "rollback" in result.reason
    assert terminal.installed_version() == 2


def test_an_older_bundle_version_is_refused(admin, terminal):
    # Signed with the real keys, but the bundle inside is not newer than the installed one.
    admin.bump()
    write_release(admin.repo, load_signers(admin.keys), admin.files(), bundle_version=1)
    result = terminal.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "not newer than the installed 1" in result.reason
    still_serving_version_1(terminal)


def test_expired_metadata_is_reported_and_old_content_kept(admin, terminal):
    admin.bump()
    long_ago = datetime.now(UTC) - timedelta(days=40)
    # A server frozen for ten days (signed then: publish() refuses a clock before its last release)
    write_release(admin.repo, load_signers(admin.keys), admin.files(), 2, 30, long_ago)
    result = terminal.check_once()
    assert result.status == UpdateStatus.EXPIRED
    assert "expired" in result.reason and "stale or frozen" in result.reason
    still_serving_version_1(terminal)
    assert terminal.status().last_result == "expired"

    # The admin re-signs freshness with the online keys; the terminal moves on.
    refresh(admin.repo, admin.keys)
    assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED


@pytest.mark.parametrize("evil", ["../evil.toml", "services/../../evil.toml", ".hidden"])
def test_a_file_name_that_leaves_the_bundle_folder_is_refused(tmp_path, admin, terminal, evil):
    admin.bump()
    files = admin.files()
    payload = tmp_path / "payload.toml"
    payload.write_text("owned = true\n")
    files[evil] = payload
    write_release(admin.repo, load_signers(admin.keys), files, bundle_version=2)
    result = terminal.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "leave the bundle folder" in result.reason and evil in result.reason
    assert not list(tmp_path.rglob("evil.toml"))
    still_serving_version_1(terminal)


def test_a_file_far_larger_than_declared_is_refused(admin, terminal):
    admin.bump(service="free-help")
    admin.publish()
    served = target_file(admin, "services/free-help.toml")
    served.write_bytes(served.read_bytes() + b"#" * 5_000_000)
    result = terminal.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "services/free-help.toml" in result.reason and "larger" in result.reason
    # The download stopped near the declared length, not after 5 MB.
    assert result.bytes_downloaded < 1_000_000
    still_serving_version_1(terminal)


def test_a_server_that_is_down_is_reported_unreachable(tmp_path, admin, terminal):
    down = ContentUpdater(
        terminal_settings(tmp_path, closed_port_url(), admin.trusted_root)
    )  # same data folder as `terminal`
    result = down.check_once()
    assert result.status == UpdateStatus.UNREACHABLE
    assert "cannot reach" in result.reason
    still_serving_version_1(down)
    assert down.status().last_success is not None  # from the earlier good check


def test_a_server_that_hangs_times_out(tmp_path, admin, terminal, server):
    server.hang = True
    impatient = ContentUpdater(
        terminal_settings(tmp_path, server.url, admin.trusted_root, timeout=1.0)
    )  # same data folder as `terminal`
    result = impatient.check_once()
    assert result.status == UpdateStatus.UNREACHABLE
    assert "timed out" in result.reason
    still_serving_version_1(impatient)


def test_a_server_that_sends_a_byte_at_a_time_is_given_up_on(tmp_path, admin, terminal, server):
    # Each byte comes well inside the 1 s gap timeout, but the whole file would
    # take half an hour: the terminal stops at its whole-file deadline.
    admin.bump(service="social-assistance")
    admin.publish()
    server.drip_on = "social-assistance"
    impatient = ContentUpdater(
        terminal_settings(tmp_path, server.url, admin.trusted_root, timeout=1.0)
    )
    result = impatient.check_once()
    assert result.status == UpdateStatus.UNREACHABLE
    assert "too slowly" in result.reason and "social-assistance" in result.reason
    still_serving_version_1(impatient)


def test_a_broken_bundle_signed_by_mistake_is_refused(admin, terminal):
    # The admin's publish refuses this; a terminal must not trust that it did.
    admin.bump()
    (admin.src / "groups.toml").write_text("[[groups]]\n", encoding="utf-8")
    write_release(admin.repo, load_signers(admin.keys), admin.files(), bundle_version=2)
    result = terminal.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "fails its checks" in result.reason and "groups.toml" in result.reason
    still_serving_version_1(terminal)


def test_a_manifest_that_lies_about_the_version_is_refused(admin, terminal):
    admin.bump()
    write_release(admin.repo, load_signers(admin.keys), admin.files(), bundle_version=7)
    result = terminal.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "bundle.toml says version 2" in result.reason
    still_serving_version_1(terminal)


def test_no_trusted_root_means_no_updates(tmp_path, admin, server):
    updater = ContentUpdater(terminal_settings(tmp_path, server.url, tmp_path / "missing.json"))
    result = updater.check_once()
    assert result.status == UpdateStatus.NOT_CONFIGURED
    assert "trusted root" in result.reason


def test_a_root_from_another_publisher_is_refused(tmp_path, admin, server):
    stranger = Publisher(tmp_path / "stranger")
    stranger.publish()
    updater = ContentUpdater(terminal_settings(tmp_path, server.url, stranger.trusted_root))
    result = updater.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "signature" in result.reason
    assert json.loads((admin.repo / "metadata" / "timestamp.json").read_text())  # served fine
    assert updater.installed_version() is None
