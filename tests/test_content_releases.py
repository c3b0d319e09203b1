"""Releases: `kiosk content releases --repo R` lists every release (version, date,
who, what changed); `kiosk content rollback` publishes an earlier release's
content again as a NEW version, and a terminal on the newer release installs it
(TUF's rollback protection is never asked to accept a lower version)."""

from __future__ import annotations

import getpass
import io

from kiosk.cli import main
from kiosk.core.content import load_bundle
from kiosk.core.content.releases import checkout, compare, find_release, list_releases
from kiosk.core.content.update import ContentUpdater, UpdateStatus
from tests._updates import Publisher, RepoServer, terminal_settings

MARK = "# changed for version 2"


def test_releases_are_listed_and_a_rollback_reaches_a_terminal(tmp_path, capsys, monkeypatch):
    publisher = Publisher(tmp_path / "offline")
    publisher.publish()  # version 1, as the library publishes (no "who")
    assert publisher.bump() == 2
    repo, keys = str(publisher.repo), str(publisher.keys)
    assert main(["content", "publish", str(publisher.src), "--repo", repo, "--keys", keys]) == 0
    out = capsys.readouterr().out
    assert "changes: services ~1" in out and "services changed: id-card" in out

    assert main(["content", "releases", "--repo", repo]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "version\tdate\tby\tsummary"
    v2, v1 = (line.split("\t") for line in lines[1:])
    assert v2[0] == "2" and v2[2] == getpass.getuser()
    assert v2[3] == "services ~1  (current)"
    assert v1[0] == "1" and v1[1]  # a date even for a release that does not say who

    with RepoServer(publisher.repo) as server:
        terminal = ContentUpdater(terminal_settings(tmp_path, server.url, publisher.trusted_root))
        assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED
        assert terminal.switch_pending()
        assert MARK in (terminal.installed_dir() / "services/id-card.toml").read_text("utf-8")

        # Asked first; "no" publishes nothing.
        argv = ["content", "rollback", "--repo", repo, "--keys", keys, "--to", "1"]
        monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
        assert main(argv) == 1
        out = capsys.readouterr().out
        assert (
            "publishes version 3 with the content of version 1 for every site: services ~1" in out
        )
        assert "nothing was published" in out
        assert [r.version for r in list_releases(publisher.repo)] == [2, 1]

        assert main([*argv, "--yes"]) == 0
        assert "published bundle version 3 with the content of version 1" in (
            capsys.readouterr().out
        )
        [v3, *_] = list_releases(publisher.repo)
        assert (v3.version, v3.note, v3.current) == (3, "rollback to version 1", True)
        # Bringing back the current release again is refused.
        assert main([*argv[:-1], "3", "--yes"]) == 1

        result = terminal.check_once()
        assert result.status == UpdateStatus.UPDATED_STAGED, result.reason
        assert terminal.switch_pending()
    installed = terminal.installed_dir()
    assert load_bundle(installed).version == 3
    assert MARK not in (installed / "services/id-card.toml").read_text("utf-8")
    # Apart from its version, the terminal now has exactly release 1's content.
    first = tmp_path / "v1"
    checkout(publisher.repo, find_release(publisher.repo, 1), first)
    assert compare(first, installed).empty


def test_a_pilot_release_reaches_its_site_first_then_every_site(tmp_path, capsys):
    publisher = Publisher(tmp_path / "offline")
    publisher.publish()
    publisher.bump()
    repo, keys = str(publisher.repo), str(publisher.keys)
    publish = ["content", "publish", str(publisher.src), "--repo", repo, "--keys", keys]
    assert main([*publish, "--pilot", "nowhere"]) == 1  # a site the bundle does not have
    assert "no site 'nowhere' in the bundle" in capsys.readouterr().out
    assert main([*publish, "--pilot", "barda"]) == 0
    assert "a pilot: only the terminals of barda install it" in capsys.readouterr().out
    assert main(["content", "releases", "--repo", repo]) == 0
    assert "\tpilot for barda; services ~1  (current)" in capsys.readouterr().out

    with RepoServer(publisher.repo) as server:

        def terminal(site):
            settings = terminal_settings(tmp_path, server.url, publisher.trusted_root, name=site)
            return ContentUpdater(settings.replace(kiosk__site=site))

        pilot, other = terminal("barda"), terminal("agdam")
        assert pilot.check_once().status == UpdateStatus.UPDATED_STAGED
        assert pilot.switch_pending()
        result = other.check_once()
        assert result.status == UpdateStatus.CURRENT
        assert "version 2 is a pilot for barda only; site agdam stays" in result.reason
        assert other.installed_dir() is None or MARK not in (
            other.installed_dir() / "services/id-card.toml"
        ).read_text("utf-8")

        promote = ["content", "promote", "--repo", repo, "--keys", keys, "--yes"]
        assert main(promote) == 0
        assert "publishes version 3 with the content of version 2 for every site" in (
            capsys.readouterr().out
        )
        assert main(promote) == 1  # version 3 is for every site already
        for t in (other, pilot):
            result = t.check_once()
            assert result.status == UpdateStatus.UPDATED_STAGED, result.reason
            assert t.switch_pending()
            installed = t.installed_dir()
            assert load_bundle(installed).version == 3
            assert MARK in (installed / "services/id-card.toml").read_text("utf-8")
