"""A terminal whose disk fills while an update comes keeps showing the content it
has, says why the update did not get in, and takes the update once there is room,
without a restart.

The full disk is real: a small tmpfs made (and removed) by the test and filled to
the last block and inode. Mounting needs root; elsewhere these tests are skipped.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.content import load_bundle
from kiosk.core.content.update import ContentUpdater, UpdateStatus
from tests._updates import terminal_settings
from tests.helpdesk_support import wait_for


class SmallDisk:
    def __init__(self, mount: Path):
        self.mount = mount
        self._fillers: list[Path] = []

    def fill(self) -> None:
        """Take every free block and inode, as a full SD card would be."""
        blocks = self.mount / "filler"
        self._fillers.append(blocks)
        with open(blocks, "wb", buffering=0) as f:
            for _ in range(100_000):  # bounded: a 4 MiB disk fills long before
                try:
                    f.write(b"x" * 4096)
                except OSError:
                    break
        for i in range(10_000):
            inode = self.mount / f"inode-{i}"
            try:
                inode.touch()
            except OSError:
                break
            self._fillers.append(inode)

    def free(self) -> None:
        for path in self._fillers:
            path.unlink()
        self._fillers.clear()


@pytest.fixture
def small_disk(tmp_path) -> Iterator[SmallDisk]:
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,nr_inodes=400", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if os.geteuid() != 0 or made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.strip()}")
    try:
        yield SmallDisk(mount)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def terminal(small_disk, admin, server) -> ContentUpdater:
    """A terminal on the small disk with version 1 installed, and version 2 published."""
    updater = ContentUpdater(terminal_settings(small_disk.mount, server.url, admin.trusted_root))
    assert updater.check_once().status == UpdateStatus.UPDATED_STAGED
    assert updater.switch_pending()
    admin.bump()
    admin.publish()
    return updater


def serving(updater: ContentUpdater) -> int:
    """The version the app loads, now and after a restart."""
    fresh = ContentUpdater(updater.settings)
    assert (
        load_bundle(fresh.installed_dir()).version == load_bundle(updater.installed_dir()).version
    )
    return load_bundle(updater.installed_dir()).version


def test_a_check_on_a_full_disk_keeps_the_content_and_says_why(small_disk, terminal):
    small_disk.fill()
    result = terminal.check_once()  # before: OSError out of check_once (state.json)
    assert result.status == UpdateStatus.REFUSED
    assert "could not write on this terminal" in result.reason
    assert "No space left" in terminal.status().last_error
    assert serving(terminal) == 1
    home = terminal.home
    assert not [p.name for p in home.iterdir() if p.name.startswith(".state-")]
    staging = home / "staging"
    assert not staging.exists() or not list(staging.iterdir())

    small_disk.free()
    assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED
    assert terminal.status().last_error == ""
    assert terminal.switch_pending() and serving(terminal) == 2


def test_the_update_poller_outlives_a_full_disk(small_disk, terminal):
    checks: list[UpdateStatus] = []
    check_once = terminal.check_once

    def counted():
        result = check_once()
        checks.append(result.status)
        return result

    terminal.check_once = counted
    terminal.next_delay = lambda: 0.05
    small_disk.fill()
    terminal.start(first_delay=0)
    try:
        wait_for(lambda: len(checks) >= 3, what="three checks on the full disk")
        assert terminal._thread is not None and terminal._thread.is_alive()  # before: it died
        small_disk.free()
        wait_for(terminal.pending, what="the update, staged once the disk had room")
    finally:
        terminal.stop()
    assert UpdateStatus.UPDATED_STAGED not in checks[:3]
    assert terminal.switch_pending() and serving(terminal) == 2


def test_a_switch_with_no_room_for_its_link_keeps_the_old_content(small_disk, terminal):
    assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED
    small_disk.fill()
    assert terminal.switch_pending() is False  # before: OSError (the app's start crashed)
    assert serving(terminal) == 1
    assert terminal.pending()
    assert "could not switch in" in terminal.status().last_error
    small_disk.free()
    assert terminal.switch_pending() and serving(terminal) == 2
