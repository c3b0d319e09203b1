"""A bundle published before this software added screen words (the keys' words,
access.*, came in one release) still loads on a terminal: the missing words come
from the bundled default content and are named in the log, and the admins' own
content (their edited titles, their site) is what the terminal shows. The admin's
side still names every missing word, so the next publish can add them."""

import logging
import tomllib
from datetime import date

import tomlkit

from kiosk.core.content import check_bundle
from kiosk.core.settings import KIOSK_SETTINGS, validate_values
from kiosk.core.terminal import load_terminal_content


def an_older_bundle(content_copy):
    strings = content_copy / "strings.toml"
    (content_copy.parent / "strings-default.toml").write_text(strings.read_text("utf-8"), "utf-8")
    doc = tomlkit.parse(strings.read_text(encoding="utf-8"))
    dropped = [key for key in list(doc) if key.startswith("access.")]
    for key in dropped:
        del doc[key]
    doc["home.title"]["az"] = "Bizim xidmətlərimiz"  # the admins' own words
    strings.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return dropped


def test_a_terminal_shows_an_older_bundle_with_the_new_words_borrowed(
    content_copy, tmp_path, caplog
):
    dropped = an_older_bundle(content_copy)
    assert len(dropped) > 10
    settings = validate_values({"kiosk.data_dir": str(tmp_path / "data")}, KIOSK_SETTINGS, "t")
    with caplog.at_level(logging.WARNING, logger="kiosk.core.terminal"):
        bundle, site = load_terminal_content(settings, content_copy)
    assert bundle.root == content_copy  # the admins' bundle, not the default one
    assert bundle.string("home.title", "az") == "Bizim xidmətlərimiz"
    assert sorted(bundle.borrowed) == sorted(dropped)
    default = tomllib.loads((content_copy.parent / "strings-default.toml").read_text())
    for key in dropped:
        assert bundle.string(key, "ru") == default[key]["ru"]
    assert f"predates {len(dropped)} screen words" in caplog.text


def test_the_admins_side_still_names_every_missing_word(content_copy):
    dropped = an_older_bundle(content_copy)
    bundle, problems = check_bundle(content_copy, today=date(2026, 12, 7))
    assert bundle is None
    missing = {p.item for p in problems}
    assert missing == {f"string {key!r}" for key in dropped}


def test_the_default_content_itself_borrows_nothing(tmp_path):
    settings = validate_values({"kiosk.data_dir": str(tmp_path / "data")}, KIOSK_SETTINGS, "t")
    bundle, _site = load_terminal_content(settings)
    assert bundle.borrowed == ()
