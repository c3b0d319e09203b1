"""Every screen in every language: the text fits its box and stays on screen.
`make test` checks every screen in az and ru and a sample in en and for a crowded
bundle; `make check` (KOMEK_FORM_FACTORS=all) checks every screen everywhere."""

import os

import pytest

from kiosk.ui.preview import areas, render_all

pytestmark = pytest.mark.ui

EVERY_SCREEN = os.environ.get("KOMEK_FORM_FACTORS") == "all"


@pytest.mark.parametrize("lang", ["az", "ru", "en"])
def test_text_fits_on_every_screen(ui, lang, tmp_path):
    """Every screen checked, and (once, for ru) written as the preview writes it."""
    out = tmp_path if lang == "ru" else None
    problems = render_all(ui, out, [lang], sample=lang == "en" and not EVERY_SCREEN)
    assert problems == {}
    if out is not None:
        names = sorted(p.name for p in (out / "ru").glob("*.png"))
        assert "00-attract.png" in names
        assert any(n.endswith("-step-property-extract-esign.png") for n in names)
        assert any(n.endswith("-slip-failed.png") for n in names)
        assert (out / "ru" / "00-attract.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_check_catches_text_that_does_not_fit(ui):
    from kiosk.ui.fit import text_problems

    ui.app.begin()
    ui.app.choose_language("az")
    ui.app.open_service("social-assistance")
    step = ui.app.sm.get_screen("step")
    step.ids.words.text = "Çox uzun mətn " * 60
    ui.frames(3)
    assert any("Çox uzun mətn" in p for p in text_problems(areas(ui)))


def crowded_bundle(content_copy):
    """Six groups on the home screen and three help points: the most the layout allows."""
    groups = content_copy / "groups.toml"
    groups.write_text(
        groups.read_text(encoding="utf-8")
        + """
[[groups]]
id = "extra-one"
icon = "school"
title = { az = "Təhsil və məktəblər", ru = "Образование и школы", en = "Education and schools" }
services = ["id-card"]

[[groups]]
id = "extra-two"
icon = "cash"
title = { az = "Vergilər və ödənişlər", ru = "Налоги и платежи", en = "Taxes and payments" }
services = ["utility-payments"]
""",
        encoding="utf-8",
    )
    site = content_copy / "sites" / "barda.toml"
    text = site.read_text(encoding="utf-8")
    block = text[text.rindex("[[help_points]]") :]  # the profile's last help point
    site.write_text(
        text + "\n" + block.replace("ASAN xidmət mərkəzi", "Könüllülər"), encoding="utf-8"
    )
    return content_copy


def test_text_fits_with_six_groups_and_three_help_points(ui, content_copy):
    from kiosk.core.content import load_bundle
    from kiosk.core.flow import Navigator

    app = ui.app
    original = (app.terminal.bundle, app.terminal.site, app.navigator)
    bundle = load_bundle(crowded_bundle(content_copy), app.terminal.settings["links.allowlist"])
    assert len(bundle.groups) == 6 and len(bundle.sites["barda"].help_points) == 3
    try:
        app.terminal.bundle, app.terminal.site = bundle, bundle.sites["barda"]
        app.navigator = Navigator(bundle)
        problems = render_all(ui, None, ["az", "ru"], sample=not EVERY_SCREEN)
    finally:
        app.terminal.bundle, app.terminal.site, app.navigator = original
    assert problems == {}
