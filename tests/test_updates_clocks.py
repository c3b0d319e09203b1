"""A terminal whose clock is years off. Ahead, every signed date has passed: the
terminal keeps its content and says its clock may be wrong (the admin publishing
again would not help). Behind, signed updates still get in. Either way, once the
clock is right, updates work again.

Only the clock is faked: the terminal's own and the one python-tuf judges expiry by.
A publisher whose clock is behind its last release (a board at 1970) signs nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.core.content import load_bundle
from kiosk.core.content.publish import PublishError, refresh
from kiosk.core.content.update import ContentUpdater, UpdateStatus
from kiosk.core.doctor import Health, check_updates
from tests._updates import terminal_settings


def set_terminal_clock(monkeypatch, updater: ContentUpdater, offset: dt.timedelta) -> None:
    from tuf.ngclient._internal import trusted_metadata_set

    class SkewedDatetime(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.now(tz) + offset

    class SkewedModule:
        datetime = SkewedDatetime
        timezone = dt.timezone
        timedelta = dt.timedelta

    monkeypatch.setattr(trusted_metadata_set, "datetime", SkewedModule)
    monkeypatch.setattr(updater, "_clock", lambda: dt.datetime.now(dt.UTC) + offset)


@pytest.fixture
def terminal(tmp_path, admin, server) -> ContentUpdater:
    updater = ContentUpdater(terminal_settings(tmp_path, server.url, admin.trusted_root))
    assert updater.check_once().status == UpdateStatus.UPDATED_STAGED
    assert updater.switch_pending()
    admin.bump()
    admin.publish()
    return updater


def test_a_clock_years_ahead_keeps_the_content_and_names_the_clock(monkeypatch, terminal):
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(days=3 * 365)
    set_terminal_clock(monkeypatch, terminal, dt.timedelta(days=3 * 365))
    result = terminal.check_once()
    assert result.status == UpdateStatus.EXPIRED
    assert "terminal's clock is wrong" in result.reason
    assert f"it reads {ahead:%Y-%m-%d}" in result.reason
    assert load_bundle(ContentUpdater(terminal.settings).installed_dir()).version == 1
    doctor = check_updates(terminal.settings)
    assert doctor.health == Health.WARNING and "clock" in doctor.detail

    monkeypatch.undo()  # the clock is set right (NTP came back)
    assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED
    assert terminal.switch_pending()
    assert load_bundle(terminal.installed_dir()).version == 2


def test_a_clock_years_behind_still_takes_signed_updates(monkeypatch, terminal):
    set_terminal_clock(monkeypatch, terminal, -dt.timedelta(days=6 * 365))
    assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED
    assert terminal.switch_pending()
    assert load_bundle(terminal.installed_dir()).version == 2
    monkeypatch.undo()
    assert terminal.check_once().status == UpdateStatus.CURRENT


def test_a_publisher_whose_clock_reads_1970_signs_nothing(admin, terminal):
    """A hub board before network time would sign metadata that expired in 1970:
    every terminal would refuse it. publish and refresh refuse, naming the clock."""
    timestamp = (admin.repo / "metadata" / "timestamp.json").read_bytes()
    boot = dt.datetime(1970, 1, 1, 0, 0, 12, tzinfo=dt.UTC)
    admin.bump()
    for sign in (
        lambda: admin.publish(now=boot),
        lambda: refresh(admin.repo, admin.keys, now=boot),
    ):
        with pytest.raises(PublishError) as refused:
            sign()
        assert "clock reads 1970-01-01" in str(refused.value) and "nothing was signed" in str(
            refused.value
        )
    assert (admin.repo / "metadata" / "timestamp.json").read_bytes() == timestamp
    assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED  # version 2, as before
    admin.publish()  # the clock is right: version 3
    assert terminal.switch_pending() and terminal.check_once().status == UpdateStatus.UPDATED_STAGED
