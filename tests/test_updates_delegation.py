"""Publishing through the hub's online key: the offline keys delegate the
bundle to it, terminals accept what it signs, revocation stops it, and it can
never sign root or change the delegation itself."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest
from tuf.api.metadata import DelegatedRole, Delegations, Metadata, Root, Targets

from kiosk.cli import main
from kiosk.core.content import load_bundle
from kiosk.core.content.publish import (
    HUB_ROLE,
    PublishError,
    _RepoState,
    _sign_targets,
    _write_snapshot_and_timestamp,
    _write_targets,
    bundle_files,
    delegate,
    load_signers,
    publish,
    published_bundle_version,
    revoke,
    write_release,
)
from kiosk.core.content.update import ContentUpdater, UpdateStatus
from tests._updates import Publisher, terminal_settings


@pytest.fixture
def terminal(tmp_path, admin, server):
    """A terminal that installed version 1 from the server (signed by the offline key)."""
    updater = ContentUpdater(terminal_settings(tmp_path, server.url, admin.trusted_root))
    assert updater.check_once().status == UpdateStatus.UPDATED_STAGED
    assert updater.switch_pending()
    return updater


@pytest.fixture
def hub_keys(tmp_path, admin):
    """The hub's keys folder after `kiosk content delegate`: hub.pem + the two online keys."""
    folder = tmp_path / "hub-keys"
    folder.mkdir()
    code = main(
        [
            "content",
            "delegate",
            "--keys",
            str(admin.keys),
            "--repo",
            str(admin.repo),
            "--out",
            str(folder / "hub.pem"),
        ]
    )
    assert code == 0
    for role in ("snapshot", "timestamp"):
        shutil.copy(admin.keys / f"{role}.pem", folder / f"{role}.pem")
    return folder


def installed_text(updater: ContentUpdater, service: str = "id-card") -> str:
    return (updater.installed_dir() / "services" / f"{service}.toml").read_text(encoding="utf-8")


def test_a_release_signed_by_the_hub_key_is_accepted(admin, terminal, hub_keys):
    # Delegating changes no content: the terminal stays current.
    assert terminal.check_once().status == UpdateStatus.CURRENT
    version = admin.bump(marker="from the hub")
    result = publish(admin.src, admin.repo, hub_keys)
    assert result.bundle_version == version
    assert (admin.repo / "metadata" / f"{result.metadata_version}.{HUB_ROLE}.json").exists()

    got = terminal.check_once()
    assert got.status == UpdateStatus.UPDATED_STAGED, got.reason
    assert terminal.switch_pending()
    assert terminal.installed_version() == version
    assert "from the hub" in installed_text(terminal)


def test_the_offline_key_alone_cannot_publish_over_a_delegation(admin, hub_keys):
    admin.bump()
    with pytest.raises(PublishError) as err:
        admin.publish()  # the keys folder has targets.pem but no hub.pem
    assert any("hub" in p for p in err.value.problems)


def test_after_revocation_the_hub_key_is_refused(admin, terminal, hub_keys, capsys):
    version = admin.bump(marker="hub release")
    publish(admin.src, admin.repo, hub_keys)
    assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED
    assert terminal.switch_pending()

    code = main(["content", "revoke", "--keys", str(admin.keys), "--repo", str(admin.repo)])
    assert code == 0
    assert "revoked" in capsys.readouterr().out
    # The revocation keeps the current release; the terminal is content with it.
    assert terminal.check_once().status == UpdateStatus.CURRENT
    assert published_bundle_version(admin.repo) == version

    # The hub's studio is told so...
    admin.bump(marker="after revocation")
    with pytest.raises(PublishError) as err:
        publish(admin.src, admin.repo, hub_keys)
    assert any("does not delegate publishing to the hub" in p for p in err.value.problems)

    # ...and a hub that signs anyway (its role file, a snapshot and timestamp
    # with the online keys it still holds) changes nothing on the terminal.
    signers = load_signers(hub_keys, ("hub", "snapshot", "timestamp"))
    forge_hub_release(admin, signers)
    result = terminal.check_once()
    assert result.status in (UpdateStatus.CURRENT, UpdateStatus.REFUSED)
    assert terminal.installed_version() == version
    assert not terminal.pending()
    assert "after revocation" not in installed_text(terminal)

    # The offline key publishes again as before revocation.
    assert admin.publish().bundle_version == version + 1


def forge_hub_release(admin: Publisher, signers) -> None:
    """What a hub whose delegation was revoked could write: a new hub role file signed by
    its own key, listed in a snapshot and timestamp signed by the online keys."""
    state = _RepoState.read(admin.repo)
    listed, _, _ = _write_targets(admin.repo, bundle_files(admin.src), 99)
    meta_dir = admin.repo / "metadata"
    expires = datetime.now(UTC) + timedelta(days=30)
    metas = state.metas()
    metas[HUB_ROLE] = _sign_targets(
        meta_dir, HUB_ROLE, state.version(HUB_ROLE) + 1, listed, None, expires, signers
    )
    _write_snapshot_and_timestamp(meta_dir, signers, metas, state, expires)


def test_the_hub_key_cannot_sign_root(admin, terminal, hub_keys):
    hub = load_signers(hub_keys, ("hub",))["hub"]
    meta_dir = admin.repo / "metadata"
    root = Metadata[Root].from_file(str(meta_dir / "1.root.json"))
    root.signed.version = 2
    for role in ("root", "targets"):
        for keyid in list(root.signed.roles[role].keyids):
            root.signed.revoke_key(keyid, role)
        root.signed.add_key(hub.public_key, role)
    root.signatures.clear()
    root.sign(hub)
    (meta_dir / "2.root.json").write_bytes(root.to_bytes())

    result = terminal.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "signature" in result.reason or "root" in result.reason
    assert terminal.installed_version() == 1


def test_the_hub_key_cannot_change_the_delegation(admin, terminal, hub_keys):
    """The hub widening or re-pointing its delegation means signing top-level targets: refused."""
    hub = load_signers(hub_keys, ("hub", "snapshot", "timestamp"))
    admin.bump(marker="sneaked in")
    # Top-level targets signed by the hub key, delegating everything to itself.
    state = _RepoState.read(admin.repo)
    listed, _, _ = _write_targets(admin.repo, bundle_files(admin.src), 2)
    targets = Targets(
        version=state.version("targets") + 1,
        expires=datetime.now(UTC) + timedelta(days=30),
        targets=listed,
        delegations=Delegations(
            keys={hub["hub"].public_key.keyid: hub["hub"].public_key},
            roles={
                "anything": DelegatedRole(
                    name="anything",
                    keyids=[hub["hub"].public_key.keyid],
                    threshold=1,
                    terminating=True,
                    paths=["*"],
                )
            },
        ),
    )
    md = Metadata(targets)
    md.sign(hub["hub"])
    meta_dir = admin.repo / "metadata"
    data = md.to_bytes()
    (meta_dir / f"{targets.version}.targets.json").write_bytes(data)
    metas = state.metas()
    metas["targets"] = (targets.version, data)
    _write_snapshot_and_timestamp(
        meta_dir, hub, metas, state, datetime.now(UTC) + timedelta(days=30)
    )

    result = terminal.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "signature" in result.reason
    assert terminal.installed_version() == 1
    assert load_bundle(terminal.installed_dir()).version == 1


def test_delegate_refuses_without_the_offline_targets_key(tmp_path, admin):
    online_only = tmp_path / "online"
    online_only.mkdir()
    for role in ("snapshot", "timestamp"):
        shutil.copy(admin.keys / f"{role}.pem", online_only / f"{role}.pem")
    with pytest.raises(PublishError) as err:
        delegate(admin.repo, online_only, tmp_path / "hub.pem")
    assert "targets.pem is missing from the keys folder" in err.value.problems
    assert not (tmp_path / "hub.pem").exists()


def test_revoke_without_a_delegation_says_so(admin):
    with pytest.raises(PublishError) as err:
        revoke(admin.repo, admin.keys)
    assert "nothing to revoke" in err.value.problems[0]


def test_a_fresh_delegation_after_revocation_works(tmp_path, admin, terminal, hub_keys):
    revoke(admin.repo, admin.keys)
    new_keys = tmp_path / "hub-keys-2"
    new_keys.mkdir()
    delegate(admin.repo, admin.keys, new_keys / "hub.pem")
    for role in ("snapshot", "timestamp"):
        shutil.copy(admin.keys / f"{role}.pem", new_keys / f"{role}.pem")
    version = admin.bump(marker="new hub key")
    with pytest.raises(PublishError):
        publish(admin.src, admin.repo, hub_keys)  # the old key stays out
    write_release(
        admin.repo,
        load_signers(new_keys, ("hub", "snapshot", "timestamp")),
        bundle_files(admin.src),
        version,
    )
    assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED
    assert terminal.switch_pending()
    assert "new hub key" in installed_text(terminal)
