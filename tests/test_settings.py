from pathlib import Path

import pytest

from kiosk.commands.config import documented_files
from kiosk.core.settings import HUB_SETTINGS, KIOSK_SETTINGS, SettingsError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "kiosk.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults_without_a_file():
    s = load_settings(None)
    assert s["printer.backend"] == "file"
    assert s["kiosk.languages"] == ["az", "ru", "en"]


def test_documented_config_files_match_the_declarations():
    for path, text in documented_files().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run `kiosk config --write`"
        )


def test_documented_files_load_to_the_defaults():
    for spec, name in ((KIOSK_SETTINGS, "kiosk.toml"), (HUB_SETTINGS, "hub.toml")):
        s = load_settings(Path("config") / name, spec)
        assert dict(s) == {x.key: x.default for x in spec}


def test_every_setting_is_declared_once():
    keys = [s.key for s in KIOSK_SETTINGS + HUB_SETTINGS]
    assert len(keys) == len(set(keys))


def test_a_value_is_read(tmp_path):
    s = load_settings(write(tmp_path, '[printer]\nbackend = "escpos"\npaper_mm = 58\n'))
    assert s["printer.backend"] == "escpos" and s["printer.paper_mm"] == 58


@pytest.mark.parametrize(
    ("text", "key", "says"),
    [
        ('[printer]\nbackend = "laser"\n', "printer.backend", "must be one of"),
        ("[session]\ncountdown_seconds = 5\n", "session.countdown_seconds", "between 20"),
        ('[session]\nidle_seconds = "soon"\n', "session.idle_seconds", "whole number"),
        ('[kiosk]\nticket_letter = "bb"\n', "kiosk.ticket_letter", "capital letter"),
        ('[kiosk]\nlanguages = ["az", "fr"]\n', "kiosk.languages", "unknown language 'fr'"),
        ("[kiosk]\nkiosk_mode = 1\n", "kiosk.kiosk_mode", "true or false"),
        ('[links]\nallowlist = ["https://gov.az"]\n', "links.allowlist", "not a domain"),
        ("[printer]\ncolour = 1\n", "printer.colour", "unknown setting"),
    ],
)
def test_a_bad_value_names_the_key_and_the_problem(tmp_path, text, key, says):
    with pytest.raises(SettingsError) as err:
        load_settings(write(tmp_path, text))
    assert any(p.startswith(key + ":") and says in p for p in err.value.problems), (
        err.value.problems
    )


def test_every_problem_is_reported_at_once(tmp_path):
    with pytest.raises(SettingsError) as err:
        load_settings(write(tmp_path, '[printer]\nbackend = "x"\n[session]\nidle_seconds = 1\n'))
    assert len(err.value.problems) == 2


def test_broken_toml_is_a_clear_error(tmp_path):
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(write(tmp_path, "[printer\n"))


def test_config_check_tells_a_hub_file_by_its_keys(tmp_path, capsys):
    from kiosk.cli import main

    hub = tmp_path / "hub.toml"
    hub.write_text('[hub]\nhost = "0.0.0.0"\nport = 8471\npersonal_data_days = 3\n')
    assert main(["config", "--check", str(hub)]) == 0
    out = capsys.readouterr().out
    assert "checked as hub settings (it sets hub.host" in out and "ok:" in out
    # A hub file with a mistake: the hub's own keys are not called unknown, the bad one is.
    hub.write_text('[hub]\nhost = "0.0.0.0"\nport = 99999\n')
    assert main(["config", "--check", str(hub)]) == 1
    out = capsys.readouterr().out
    assert "hub.port: must be between" in out and "unknown setting" not in out
    # The shipped documented files are each told for what they are.
    assert main(["config", "--check", "config/hub.toml"]) == 0
    assert "hub settings" in capsys.readouterr().out
    assert main(["config", "--check", "config/kiosk.toml"]) == 0
    assert "terminal settings" in capsys.readouterr().out
    # A terminal file that only sets [hub] keys both know stays a terminal file.
    term = tmp_path / "kiosk.toml"
    term.write_text('[hub]\nurl = "http://10.0.0.2:8470"\n[kiosk]\nsite = "barda"\n')
    assert main(["config", "--check", str(term)]) == 0
    assert "terminal settings" in capsys.readouterr().out
