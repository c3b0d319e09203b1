"""A terminal killed (power cut, OOM, kill -9) while downloading or switching
content always starts again with a bundle that loads, and finishes the update
on its next check."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.content import load_bundle
from kiosk.core.content.update import ContentUpdater, UpdateStatus
from tests._updates import terminal_settings

ROOT = Path(__file__).resolve().parent.parent


class Killed(BaseException):
    """Stands for the process dying: nothing after it runs, no except clause catches it."""


def test_killed_during_download_keeps_a_loadable_bundle(tmp_path, admin, server):
    settings = terminal_settings(tmp_path, server.url, admin.trusted_root)
    updater = ContentUpdater(settings)
    updater.check_once()
    assert updater.switch_pending()
    admin.bump(service="social-assistance")
    admin.publish()

    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\ndata_dir = "{settings["kiosk.data_dir"]}"\n'
        f'[updates]\nrepo_url = "{server.url}"\ntrusted_root = "{admin.trusted_root}"\n'
        "timeout_seconds = 60.0\n",
        encoding="utf-8",
    )
    server.stall_on = "social-assistance"  # half the file, then nothing
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "update", "--once", "--config", str(config)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert server.stalled.wait(30), "the download never started"
        assert any((updater.home / "staging").iterdir())  # it was mid-download
    finally:
        proc.kill()
        proc.wait(10)

    restarted = ContentUpdater(settings)
    assert load_bundle(restarted.installed_dir()).version == 1
    assert not restarted.pending()

    server.stall_on = ""
    result = restarted.check_once()
    assert result.status == UpdateStatus.UPDATED_STAGED, result.reason
    assert not any((restarted.home / "staging").iterdir())  # the half file is gone
    assert restarted.switch_pending()
    assert load_bundle(restarted.installed_dir()).version == 2


FS_STEPS = ("symlink", "replace", "rename", "unlink", "rmdir")


def _count_or_kill(monkeypatch, kill_at: int | None) -> list[str]:
    """Wrap the file-system steps; die at step number `kill_at`."""
    done: list[str] = []
    for name in FS_STEPS:
        real = getattr(os, name)

        def step(*args, _real=real, _name=name, **kwargs):
            if kill_at is not None and len(done) == kill_at:
                raise Killed(_name)
            done.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, step)
    return done


def test_killed_at_any_step_of_the_switch_keeps_a_loadable_bundle(
    tmp_path, admin, server, monkeypatch
):
    settings = terminal_settings(tmp_path, server.url, admin.trusted_root)
    updater = ContentUpdater(settings)
    updater.check_once()
    updater.switch_pending()
    admin.bump()
    admin.publish()
    assert updater.check_once().status == UpdateStatus.UPDATED_STAGED
    # Version 1 installed, version 2 staged: the moment before a switch.
    data = Path(settings["kiosk.data_dir"])
    saved = tmp_path / "saved"
    shutil.copytree(data, saved, symlinks=True)

    with monkeypatch.context() as m:
        steps = _count_or_kill(m, kill_at=None)
        assert ContentUpdater(settings).switch_pending()
    assert len(steps) >= 3, steps

    for kill_at in range(len(steps)):
        shutil.rmtree(data)
        shutil.copytree(saved, data, symlinks=True)
        with monkeypatch.context() as m:
            _count_or_kill(m, kill_at)
            with pytest.raises(Killed):
                ContentUpdater(settings).switch_pending()

        restarted = ContentUpdater(settings)
        loaded = load_bundle(restarted.installed_dir())
        assert loaded.version in (1, 2), f"killed at step {kill_at}: {steps[kill_at]}"
        # The next check and switch finish the job.
        restarted.check_once()
        restarted.switch_pending()
        assert load_bundle(restarted.installed_dir()).version == 2, f"killed at step {kill_at}"
