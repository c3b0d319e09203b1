"""Volunteers' accounts: `kiosk hub volunteers list|disable|enable|remove`, unknown
sites refused by add-volunteer, a disabled volunteer cannot log in and their
sessions end; every change is in the audit log."""

from __future__ import annotations

import io

import requests

from kiosk.cli import main
from kiosk.core.helpdesk import SystemClock
from kiosk.hub.store import HubStore, LoginResult

PASSWORD = "a long password"


def add(tmp_path, monkeypatch, name, *extra):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    argv = ["hub", "add-volunteer", name, "--password-stdin", "--data", str(tmp_path), *extra]
    return main(argv)


def test_an_unknown_site_is_refused_and_nothing_is_stored(tmp_path, monkeypatch, capsys):
    assert add(tmp_path, monkeypatch, "aysel", "--site", "nowhere") == 1
    err = capsys.readouterr().err
    assert "no site 'nowhere' in the hub's content" in err
    assert "barda" in err  # the sites it does know are named
    assert HubStore(tmp_path / "hub.db").volunteers() == []


def test_list_disable_enable_remove(tmp_path, monkeypatch, capsys):
    assert add(tmp_path, monkeypatch, "aysel", "--site", "barda") == 0
    assert add(tmp_path, monkeypatch, "leyla", "--site", "barda", "--admin") == 0
    store = HubStore(tmp_path / "hub.db")
    now = SystemClock().now()
    session = store.login("aysel", PASSWORD, now).session
    assert store.session(session.token, now) is not None
    capsys.readouterr()

    assert main(["hub", "volunteers", "list", "--data", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[:4] == ["name", "site", "role", "state"]
    assert lines[1].split("\t")[:5] == ["aysel", "barda", "volunteer", "active", "1"]
    assert lines[2].split("\t")[:4] == ["leyla", "barda", "admin", "active"]
    assert main(["hub", "volunteers", "--data", str(tmp_path)]) == 0  # list is the default
    assert "aysel" in capsys.readouterr().out

    assert main(["hub", "volunteers", "disable", "aysel", "--data", str(tmp_path)]) == 0
    assert "disabled volunteer aysel; 1 session(s) ended" in capsys.readouterr().out
    assert store.session(session.token, now) is None  # the open session ended at once
    assert store.login("aysel", PASSWORD, now).result is LoginResult.DISABLED
    assert store.login("aysel", "wrong password", now).result is LoginResult.WRONG
    assert main(["hub", "volunteers", "--data", str(tmp_path)]) == 0
    assert "\tdisabled " in capsys.readouterr().out

    assert main(["hub", "volunteers", "enable", "aysel", "--data", str(tmp_path)]) == 0
    assert store.login("aysel", PASSWORD, now).result is LoginResult.OK

    assert main(["hub", "volunteers", "remove", "aysel", "--data", str(tmp_path)]) == 0
    assert [v["name"] for v in store.volunteers()] == ["leyla"]
    assert store.login("aysel", PASSWORD, now).result is LoginResult.WRONG
    assert main(["hub", "volunteers", "remove", "aysel", "--data", str(tmp_path)]) == 1
    assert "no volunteer aysel" in capsys.readouterr().err

    log = [(a["action"], a["target"]) for a in reversed(store.activity())]
    assert log == [
        ("volunteer.add", "aysel"),
        ("volunteer.add", "leyla"),
        ("volunteer.disable", "aysel"),
        ("volunteer.enable", "aysel"),
        ("volunteer.remove", "aysel"),
    ]
    assert all(a["who"].startswith("command line (") for a in store.activity())


def test_add_volunteer_with_a_display_name_and_a_hostile_one_refused(tmp_path, monkeypatch, capsys):
    args = ("aysel.q", "--site", "barda", "--display-name", "  Aysel ")
    assert add(tmp_path, monkeypatch, *args) == 0
    assert HubStore(tmp_path / "hub.db").display_name("aysel.q") == "Aysel"
    capsys.readouterr()
    # A bidi override in the name: refused, and nothing is made (not even the account).
    bad = ("leyla", "--site", "barda", "--display-name", "Ley\u202ela")
    assert add(tmp_path, monkeypatch, *bad) == 1
    assert "invisible or control characters (U+202E). Nothing changed." in capsys.readouterr().err
    assert [v["name"] for v in HubStore(tmp_path / "hub.db").volunteers()] == ["aysel.q"]
    assert main(["hub", "volunteers", "--data", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("\tdisplay name") and lines[1].endswith("\tAysel")


def test_admins_disable_and_remove_in_the_hub_and_sessions_end(tmp_path):
    from datetime import UTC, datetime

    from tests.fleet_support import FleetHub

    hub = FleetHub(tmp_path / "hub", datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    try:
        boss = hub.admin("boss")
        aysel = hub.admin("aysel", admin=False)
        csrf = boss.get(f"{hub.url}/api/v1/console/me", timeout=5).json()["csrf_token"]
        headers = {"X-CSRF-Token": csrf}
        api = f"{hub.url}/api/v1/admin"

        # A volunteer sees neither the list nor the log, and cannot change anyone.
        assert aysel.get(f"{api}/volunteers", timeout=5).status_code == 403
        assert aysel.get(f"{api}/activity", timeout=5).status_code == 403
        names = [v["name"] for v in boss.get(f"{api}/volunteers", timeout=5).json()["volunteers"]]
        assert names == ["aysel", "boss"]

        # Without the CSRF token nothing changes; an admin cannot disable themself.
        assert boss.post(f"{api}/volunteers/aysel/disable", timeout=5).status_code == 403
        r = boss.post(f"{api}/volunteers/boss/disable", headers=headers, timeout=5)
        assert r.status_code == 409 and r.json()["code"] == "own_account"
        assert aysel.get(f"{hub.url}/api/v1/console/queue", timeout=5).status_code == 200

        r = boss.post(f"{api}/volunteers/aysel/disable", headers=headers, timeout=5)
        assert r.status_code == 200 and r.json()["volunteer"]["disabled_at"]
        assert aysel.get(f"{hub.url}/api/v1/console/queue", timeout=5).status_code == 401
        # Logging in again is refused with a reason, only for the right password.
        s = requests.Session()
        token = s.get(f"{hub.url}/api/v1/console/me", timeout=5).json()["csrf_token"]
        login = f"{hub.url}/api/v1/console/login"
        r = s.post(
            login,
            json={"name": "aysel", "password": "fleet-admin-1"},
            headers={"X-CSRF-Token": token},
            timeout=5,
        )
        assert r.status_code == 403 and "disabled" in r.json()["detail"]
        assert r.json()["code"] == "account_disabled"
        ru = s.post(
            login,
            json={"name": "aysel", "password": "fleet-admin-1"},
            headers={"X-CSRF-Token": token, "Accept-Language": "ru"},
            timeout=5,
        )
        assert ru.json()["message"] == "Эта учётная запись отключена. Обратитесь к администратору."
        r = s.post(
            login,
            json={"name": "aysel", "password": "not her password"},
            headers={"X-CSRF-Token": token},
            timeout=5,
        )
        assert r.status_code == 401

        r = boss.delete(f"{api}/volunteers/aysel", headers=headers, timeout=5)
        assert r.status_code == 204
        assert boss.delete(f"{api}/volunteers/aysel", headers=headers, timeout=5).status_code == 404
        log = boss.get(f"{api}/activity", timeout=5).json()["entries"]
        assert [(e["who"], e["action"], e["target"]) for e in log] == [
            ("boss", "volunteer.remove", "aysel"),
            ("boss", "volunteer.disable", "aysel"),
        ]
        assert log[1]["detail"] == {"site": "barda", "sessions_ended": 1}
    finally:
        hub.stop()
