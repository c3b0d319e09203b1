"""Admins make signing keys and publish a checked bundle to a repository folder;
anything wrong is refused before a byte is written."""

from __future__ import annotations

import json
import os
import shutil
import stat

import pytest

from kiosk.cli import main
from kiosk.core.content.publish import (
    PublishError,
    generate_keys,
    publish,
    published_bundle_version,
    refresh,
)
from kiosk.paths import DEFAULT_CONTENT
from tests._updates import Publisher


def test_keygen_makes_four_private_keys_readable_by_the_owner_only(tmp_path, capsys):
    keys = tmp_path / "keys"
    assert main(["content", "keygen", "--out", str(keys)]) == 0
    out = capsys.readouterr().out
    for role in ("root", "targets", "snapshot", "timestamp"):
        mode = stat.S_IMODE(os.stat(keys / f"{role}.pem").st_mode)
        assert mode == 0o600, role
    assert "root.pem and targets.pem offline" in out


def test_keygen_never_overwrites_keys(tmp_path):
    generate_keys(tmp_path / "keys")
    before = (tmp_path / "keys" / "root.pem").read_bytes()
    with pytest.raises(PublishError, match="already exists"):
        generate_keys(tmp_path / "keys")
    assert (tmp_path / "keys" / "root.pem").read_bytes() == before


def test_publish_writes_signed_metadata_and_the_trusted_root(tmp_path, capsys):
    keys, repo = tmp_path / "keys", tmp_path / "repo"
    generate_keys(keys)
    code = main(
        ["content", "publish", str(DEFAULT_CONTENT), "--repo", str(repo), "--keys", str(keys)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "published bundle version 1" in out
    assert "1.root.json" in out
    root = json.loads((repo / "metadata" / "1.root.json").read_text())
    assert root["signed"]["consistent_snapshot"] is True
    assert set(root["signed"]["roles"]) == {"root", "targets", "snapshot", "timestamp"}
    assert (repo / "metadata" / "timestamp.json").is_file()
    assert published_bundle_version(repo) == 1


def test_publish_refuses_a_bundle_that_does_not_pass_the_checks(tmp_path, capsys):
    admin = Publisher(tmp_path)
    svc = admin.src / "services" / "id-card.toml"
    svc.write_text(svc.read_text(encoding="utf-8").replace("https://", "http://"), encoding="utf-8")
    code = main(
        ["content", "publish", str(admin.src), "--repo", str(admin.repo), "--keys", str(admin.keys)]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "services/id-card.toml" in out and "refused: nothing was published" in out
    assert not admin.repo.exists()


def test_every_publish_needs_a_higher_bundle_version(tmp_path):
    admin = Publisher(tmp_path)
    admin.publish()
    timestamp = (admin.repo / "metadata" / "timestamp.json").read_bytes()
    with pytest.raises(PublishError, match="raise it to 2"):
        admin.publish()
    assert (admin.repo / "metadata" / "timestamp.json").read_bytes() == timestamp
    admin.bump()
    result = admin.publish()
    assert result.bundle_version == 2 and result.metadata_version == 2


def test_unchanged_files_are_stored_once(tmp_path):
    admin = Publisher(tmp_path)
    first = admin.publish()
    assert first.new_files == first.files
    admin.bump(service="free-help")
    second = admin.publish()
    assert second.new_files == 2  # bundle.toml (new version) and the changed service
    assert second.new_bytes < first.new_bytes


def test_publish_refuses_keys_of_another_repository(tmp_path):
    admin = Publisher(tmp_path / "a")
    admin.publish()
    other = tmp_path / "other-keys"
    generate_keys(other)
    admin.bump()
    with pytest.raises(PublishError, match="is not the targets key"):
        publish(admin.src, admin.repo, other)


def test_a_new_repository_needs_the_root_key(tmp_path):
    admin = Publisher(tmp_path)
    shutil.move(admin.keys / "root.pem", tmp_path / "usb-stick-root.pem")
    with pytest.raises(PublishError, match="root.pem"):
        admin.publish()
    # Later releases do not: root.pem stays offline.
    shutil.move(tmp_path / "usb-stick-root.pem", admin.keys / "root.pem")
    admin.publish()
    shutil.move(admin.keys / "root.pem", tmp_path / "usb-stick-root.pem")
    admin.bump()
    assert admin.publish().bundle_version == 2


def test_publish_refuses_a_folder_that_is_not_a_repository(tmp_path):
    admin = Publisher(tmp_path)
    admin.repo.mkdir()
    (admin.repo / "index.html").write_text("hello")
    with pytest.raises(PublishError, match="not a content repository"):
        admin.publish()


def test_refresh_resigns_freshness_with_the_online_keys_only(tmp_path, capsys):
    admin = Publisher(tmp_path)
    admin.publish(expires_days=1)
    for offline in ("root.pem", "targets.pem"):
        shutil.move(admin.keys / offline, tmp_path / offline)
    before = json.loads((admin.repo / "metadata" / "timestamp.json").read_text())["signed"]
    code = main(
        [
            "content",
            "refresh",
            "--repo",
            str(admin.repo),
            "--keys",
            str(admin.keys),
            "--expires-days",
            "20",
        ]
    )
    assert code == 0, capsys.readouterr().out
    after = json.loads((admin.repo / "metadata" / "timestamp.json").read_text())["signed"]
    assert after["version"] == before["version"] + 1
    assert after["expires"] > before["expires"]
    assert published_bundle_version(admin.repo) == 1  # same content


def test_refresh_refuses_keys_of_another_repository(tmp_path):
    admin = Publisher(tmp_path / "a")
    admin.publish()
    other = tmp_path / "other"
    generate_keys(other)
    with pytest.raises(PublishError, match="not the timestamp key"):
        refresh(admin.repo, other)
