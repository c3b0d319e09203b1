"""Every screen in every language: the text fits its box and stays on screen."""

import pytest

from kiosk.ui.preview import areas, render_all

pytestmark = pytest.mark.ui


@pytest.mark.parametrize("lang", ["az", "ru", "en"])
def test_text_fits_on_every_screen(ui, lang):
    problems = render_all(ui, None, [lang])
    assert problems == {}


def test_the_check_catches_text_that_does_not_fit(ui):
    from kiosk.ui.fit import text_problems

    ui.app.begin()
    ui.app.choose_language("az")
    ui.app.open_service("social-assistance")
    step = ui.app.sm.get_screen("step")
    step.ids.words.text = "Çox uzun mətn " * 60
    ui.frames(3)
    assert any("Çox uzun mətn" in p for p in text_problems(areas(ui)))


def test_preview_writes_named_pngs(ui, tmp_path):
    render_all(ui, tmp_path, ["ru"])
    names = sorted(p.name for p in (tmp_path / "ru").glob("*.png"))
    assert "00-attract.png" in names
    assert any(n.endswith("-step-social-assistance-esign.png") for n in names)
    assert any(n.endswith("-slip-failed.png") for n in names)
    assert (tmp_path / "ru" / "00-attract.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
