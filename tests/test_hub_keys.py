"""The content-signing keys stay private: `kiosk content delegate` makes its
folders for their owner only (0700) and the key 0600 whatever the umask, and a
hub started with a key other users can read says so in its log and in
`kiosk doctor`."""

from __future__ import annotations

import logging
import os
import stat
from datetime import UTC, datetime

import pytest

from kiosk.cli import main
from kiosk.core.content.publish import delegate, key_exposure
from tests._updates import Publisher
from tests.fleet_support import FleetHub


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def publisher(tmp_path):
    p = Publisher(tmp_path / "offline")
    p.publish()
    return p


def test_delegate_makes_private_folders_and_a_private_key(tmp_path, publisher):
    old = os.umask(0o022)  # the usual umask: new folders 0755, new files 0644
    try:
        out = tmp_path / "hub-secrets" / "studio" / "hub.pem"
        delegate(publisher.repo, publisher.keys, out)
    finally:
        os.umask(old)
    assert mode(tmp_path / "hub-secrets") == 0o700
    assert mode(tmp_path / "hub-secrets" / "studio") == 0o700
    assert mode(out) == 0o600
    assert key_exposure(out.parent) == []


def _exposed_keys(tmp_path, publisher):
    keys = publisher.delegate_to_hub(tmp_path / "hub-keys")
    os.chmod(keys, 0o755)
    os.chmod(keys / "hub.pem", 0o644)  # e.g. copied with a plain cp onto a new machine
    return keys


def test_a_hub_with_a_world_readable_key_warns_at_start(tmp_path, publisher, caplog):
    keys = _exposed_keys(tmp_path, publisher)
    with caplog.at_level(logging.WARNING):
        hub = FleetHub(
            tmp_path / "hub",
            datetime.now(UTC),
            content_repo=str(publisher.repo),
            content_keys=str(keys),
        )
    try:
        warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert any(f"chmod 600 {keys / 'hub.pem'}" in m for m in warned), warned
        assert any(f"chmod 700 {keys}" in m for m in warned), warned
    finally:
        hub.stop()


def test_kiosk_doctor_warns_about_a_readable_hub_key(tmp_path, publisher, capsys):
    keys = _exposed_keys(tmp_path, publisher)
    hub_toml = tmp_path / "hub.toml"
    hub_toml.write_text(f'[hub]\ncontent_keys = "{keys}"\n', encoding="utf-8")
    kiosk_toml = tmp_path / "kiosk.toml"
    kiosk_toml.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    main(["doctor", "--config", str(kiosk_toml), "--hub-config", str(hub_toml)])
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "hub keys" in x)
    assert "warning" in line.lower() and "chmod 600" in line
    os.chmod(keys, 0o700)
    os.chmod(keys / "hub.pem", 0o600)
    main(["doctor", "--config", str(kiosk_toml), "--hub-config", str(hub_toml)])
    line = next(x for x in capsys.readouterr().out.splitlines() if "hub keys" in x)
    assert "only its owner" in line
