"""Admins: `kiosk hub add-volunteer NAME --site S --admin` makes an account that
sees every site's terminals; running it again without --admin takes that away;
a hub database from before gains the flag when it is opened."""

from __future__ import annotations

import io

from argon2 import PasswordHasher
from sqlite_utils import Database

from kiosk.cli import main
from kiosk.core.helpdesk import SystemClock
from kiosk.hub.store import HubStore, LoginResult, migrations


def add(tmp_path, monkeypatch, *extra: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    argv = ["hub", "add-volunteer", "leyla", "--site", "barda", "--password-stdin", *extra]
    assert main([*argv, "--data", str(tmp_path)]) == 0


def login(tmp_path):
    store = HubStore(tmp_path / "hub.db")
    try:
        attempt = store.login("leyla", "a long password", SystemClock().now())
        assert attempt.result is LoginResult.OK
        session = attempt.session
        # The flag must also come back with the session cookie on the next request.
        assert store.session(session.token, SystemClock().now()).volunteer.admin == (
            session.volunteer.admin
        )
        return session.volunteer
    finally:
        store.close()


def test_add_volunteer_with_admin_makes_an_admin(tmp_path, monkeypatch, capsys):
    add(tmp_path, monkeypatch, "--admin")
    assert "(site barda, admin)" in capsys.readouterr().out
    assert login(tmp_path).admin is True
    add(tmp_path, monkeypatch)
    assert login(tmp_path).admin is False


def test_a_hub_database_from_before_the_fleet_page_is_upgraded(tmp_path):
    """Must survive: volunteers and their passwords from the older database."""
    db = Database(tmp_path / "hub.db")
    migrations.apply(db, stop_before="m002_fleet")  # the hub as it was before this feature
    db["volunteers"].insert(
        {
            "name": "leyla",
            "site": "barda",
            "password_hash": PasswordHasher().hash("a long password"),
            "failed_attempts": 0,
            "created_at": "2026-01-01T00:00:00.000+00:00",
        }
    )
    db.close()
    assert login(tmp_path).admin is False  # opening it applies the new migration
