"""The layout check sees what a person sees: for each kind of problem a layout is
broken on purpose and the check must name it (kiosk.ui.fit, used by `kiosk preview`
and the form-factor tests). Each test puts the screen back as it was."""

from __future__ import annotations

import pytest

from kiosk.core.flow import Position
from kiosk.ui.fit import QR_MIN_MM, layout_problems, qr_sizes
from kiosk.ui.preview import areas
from tests.test_ui_form_factors import use_shape

pytestmark = pytest.mark.ui


def on_step(ui, service: str, kind: str, lang: str = "az"):
    app = ui.app
    step = next(s for s in app.terminal.bundle.services[service].steps if s.kind.value == kind)
    app.begin()
    app.choose_language(lang)
    app.open_service(service)
    app.navigator.history = [Position(service, step.id)]
    app.show("step", push=False)
    ui.frames(3)
    return app.sm.get_screen("step")


def problems(ui) -> list[str]:
    ui.frames(3)
    return layout_problems(areas(ui), ui.app.theme)


def test_a_wrapped_title_cut_by_its_row_is_seen(shaped):
    """The 7-inch first screen's title in three languages wrapped to two lines in a
    one-line row: its first line cut at the top edge, the second under a button."""
    use_shape(shaped, 1024, 600, 170)
    app = shaped.app
    app.begin()
    app.choose_language("az")
    shaped.frames(3)
    assert problems(shaped) == []
    app.title_text = "Dil seçin · Выберите язык · Choose a language"
    app.title_size = app.theme.small
    found = problems(shaped)
    app.show("home")
    assert any(p.startswith("title row: text does not fit its box") for p in found), found


def test_text_cut_by_the_screen_edge_is_seen(shaped):
    from kivy.factory import Factory

    use_shape(shaped, 1024, 600, 170)
    screen = on_step(shaped, "social-assistance", "info")
    width = shaped.app.theme.width * 2
    screen.ids.body.add_widget(
        Factory.Text(text="Bu mətn ekrandan çıxır", size_hint_x=None, width=width)
    )
    found = problems(shaped)
    shaped.app.show("step", push=False)
    assert any("screen's edge" in p for p in found), found


def test_a_pictogram_outside_its_button_is_seen(shaped):
    """The help screen's pictograms stuck out above their buttons (and the white
    ticket vanished on the white screen)."""
    use_shape(shaped, 1024, 600, 170)
    app = shaped.app
    app.begin()
    app.choose_language("az")
    app.open_service("id-card")
    app.call_helper()
    shaped.frames(3)
    assert problems(shaped) == []
    ticket = app.sm.get_screen("help").ids.ticket
    ticket.icon_size = ticket.height * 1.5
    found = problems(shaped)
    ticket.icon_size = app.theme.icon_small
    assert any("pictogram 'ticket-confirmation' is drawn outside its button" in p for p in found)


def test_a_pictogram_outside_its_box_is_seen(shaped):
    """The slip screen's check mark was drawn over the title above its box."""
    use_shape(shaped, 1024, 600, 170)
    app = shaped.app
    app.begin()
    app.choose_language("az")
    app.show("slip", service_id="social-assistance", state="printed")
    shaped.frames(3)
    assert problems(shaped) == []
    picture = app.sm.get_screen("slip").ids.picture
    picture.height = picture.font_size / 3
    found = problems(shaped)
    app.show("slip", service_id="social-assistance", state="printed")
    assert any("pictogram 'check-circle' is drawn outside its box" in p for p in found), found


def test_widgets_over_each_other_are_seen(shaped):
    from kivy.factory import Factory
    from kivy.uix.floatlayout import FloatLayout

    screen = on_step(shaped, "social-assistance", "info")
    layer = FloatLayout()
    for text in ("Birinci", "İkinci"):
        layer.add_widget(Factory.PictoButton(text=text, size_hint=(0.6, 1), pos_hint={"x": 0}))
    screen.ids.body.add_widget(layer)
    found = problems(shaped)
    shaped.app.show("step", push=False)
    assert any(
        "'İkinci' overlaps 'Birinci'" in p or "'Birinci' overlaps 'İkinci'" in p for p in found
    )


@pytest.mark.parametrize("size", [(1024, 600, 170), (720, 1280, 210)], ids=["7in", "7in-portrait"])
def test_a_qr_code_under_25_mm_is_seen_and_its_size_given(shaped, size):
    use_shape(shaped, *size)
    screen = on_step(shaped, "social-assistance", "online")
    (mm,) = qr_sizes(areas(shaped), shaped.app.theme)
    assert mm >= QR_MIN_MM
    found = problems(shaped)

    assert found == []
    qr = next(w for w in screen.walk() if type(w).__name__ == "Image")
    qr.size_hint = (None, None)
    qr.size = (shaped.app.theme.mm(20),) * 2  # the picture, quiet zone and all
    found = problems(shaped)
    shaped.app.show("step", push=False)
    (small,) = [p for p in found if p.startswith("QR code")]
    assert small.endswith(f"mm is under {QR_MIN_MM:g} mm")
    assert float(small.split()[2]) < 20  # the code itself, without its white margin


def test_a_qr_code_is_measured_from_its_own_texture_not_one_freed_before(ui):
    """A code's share of its picture is its own texture's: a texture that takes the id
    of one freed before (Python reuses ids) is not given the old one's."""
    from kiosk.ui import fit
    from kiosk.ui.images import qr_texture

    allow = ui.app.terminal.settings["links.allowlist"]
    short = qr_texture("https://e-gov.az", allow)
    long = qr_texture("https://e-gov.az/" + "a" * 120, allow)
    shares = fit._dark_share(short), fit._dark_share(long)
    assert shares[0] < shares[1]  # a longer link: more modules, less quiet zone
    assert fit._dark_share(long) == shares[1]


def test_a_small_picture_in_a_large_tile_is_seen(shaped):
    """On a totem the home pictograms stayed small in huge tiles."""
    use_shape(shaped, 1080, 1920, 102)
    app = shaped.app
    app.begin()
    app.choose_language("az")
    shaped.frames(3)
    assert problems(shaped) == []
    tile = app.sm.get_screen("home").view.children[0]
    tile.grow = False
    tile.icon_size = app.theme.icon_medium
    found = problems(shaped)
    tile.grow, tile.icon_size = True, 0
    assert any("is small for its" in p and "mm tile" in p for p in found), found
    assert any(p.startswith("screen: words of") for p in found), found


def test_a_sentence_set_but_not_shown_is_seen(shaped):
    """The 7-inch online step hid "scan it with your phone"."""
    from kivy.factory import Factory

    screen = on_step(shaped, "social-assistance", "info")
    screen.ids.body.add_widget(Factory.Text(text="Telefonunuzla oxudun", opacity=0))
    found = problems(shaped)
    shaped.app.show("step", push=False)
    assert any("text is set but not shown: 'Telefonunuzla oxudun'" in p for p in found), found
