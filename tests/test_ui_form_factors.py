"""Every screen fits every kiosk shape: portrait totems, wide panels, 7-inch screens.

For each form factor the shared off-screen window is resized and display.dpi
set, and every screen is checked as `kiosk preview` checks it: text fits its box
without splitting a word, no touch target is under display.min_button_mm and no
text is under the UX minimum. `make test` checks one screen of each kind and the
steps with the least room (`sample`, `crowded`: the longest words, checklists
and notes on unconfirmed facts), every page of them, in az and ru on every
shape; `make check` (KOMEK_FORM_FACTORS=all) checks every screen and page.
"""

from __future__ import annotations

import os

import pytest

from kiosk.core.narration.script import choice_label
from kiosk.ui.fit import QR_MIN_MM
from kiosk.ui.preview import areas, render_all

pytestmark = pytest.mark.ui

# (width, height, dpi): the shapes of issue 15 and the design size.
FORM_FACTORS = {
    "totem 1080x1920": (1080, 1920, 102),
    "wide 1920x1080": (1920, 1080, 102),
    "15.6in 1366x768": (1366, 768, 100),
    "7in 1024x600": (1024, 600, 170),
    "7in 800x480": (800, 480, 133),
    "7in portrait 720x1280": (720, 1280, 210),
    "default 1280x800": (1280, 800, 96),
}
EVERY_SCREEN = os.environ.get("KOMEK_FORM_FACTORS") == "all"


def use_shape(ui, width: int, height: int, dpi: int) -> None:
    """The app laid out for a screen of this size and density."""
    from kivy.core.window import Window

    ui.app.terminal.settings = ui.base_settings.replace(
        display__width=width, display__height=height, display__dpi=dpi
    )
    Window.size = (width, height)
    ui.frames(2)
    ui.app.apply_display()
    ui.frames(2)


@pytest.mark.parametrize("shape, lang", [(s, lang) for s in FORM_FACTORS for lang in ("az", "ru")])
def test_every_screen_fits_the_form_factor(shaped, shape, lang):
    width, height, dpi = FORM_FACTORS[shape]
    use_shape(shaped, width, height, dpi)
    assert (shaped.app.theme.width, shaped.app.theme.height) == (width, height)
    qr: dict[str, list[float]] = {}
    problems = render_all(shaped, None, [lang], sample=not EVERY_SCREEN, qr=qr, crowded=True)
    assert problems == {}
    assert qr and min(min(sizes) for sizes in qr.values()) >= QR_MIN_MM  # some code shown


def test_the_shape_follows_the_window(shaped):
    use_shape(shaped, 1080, 1920, 102)
    assert shaped.app.theme.shape == "portrait"
    use_shape(shaped, 1024, 600, 170)
    assert shaped.app.theme.shape == "compact"
    use_shape(shaped, 1920, 1080, 102)
    assert shaped.app.theme.shape == "landscape"


def test_on_a_totem_the_home_tiles_are_stacked_rows_with_words(shaped):
    use_shape(shaped, 1080, 1920, 102)
    app = shaped.app
    app.begin()
    app.choose_language("az")
    shaped.frames(3)
    tiles = app.sm.current_screen.view.children
    assert len({round(t.x) for t in tiles}) == 1  # one column
    assert all(t.horizontal and t.ids.words.texture_size[0] > 0 for t in tiles)


def test_on_a_totem_a_groups_words_grow_with_their_tall_tiles(shaped):
    """Six services stacked on a totem: each row's words beside its picture are larger
    than a button's usual letters (at most a quarter of the row's height), and fit."""
    from kiosk.ui.fit import layout_problems

    use_shape(shaped, 1080, 1920, 102)
    app = shaped.app
    bundle = app.terminal.bundle
    group = max(bundle.groups, key=lambda g: len(bundle.services_in(g.id)))
    app.begin()
    app.choose_language("ru")
    app.open_group(group.id)
    shaped.frames(3)
    tiles = shaped.find("ServiceButton")
    assert len(tiles) == len(bundle.services_in(group.id))
    for tile in tiles:
        assert app.theme.label < tile.ids.words.font_size <= 0.25 * tile.height
    assert layout_problems(areas(shaped), app.theme) == []


def test_the_checks_catch_a_small_target_and_small_text(shaped):
    from kivy.factory import Factory

    from kiosk.ui.fit import size_problems

    app = shaped.app
    app.begin()
    app.choose_language("az")
    app.open_service("social-assistance")
    shaped.frames(3)
    assert size_problems(areas(shaped), app.theme) == []
    body = app.sm.current_screen.ids.body
    small = app.theme.mm(app.theme.min_button_mm - 5)
    body.add_widget(Factory.PictoButton(text="Kiçik", size_hint=(None, None), size=(small, small)))
    tiny = Factory.Text(text="Xırda yazı")
    tiny.font_size = app.theme.min_text - 3  # after the rule's own size
    body.add_widget(tiny)
    shaped.frames(3)
    found = size_problems(areas(shaped), app.theme)
    app.show("step", push=False)  # the step's own body again
    assert any("touch target" in p and "Kiçik" in p for p in found)
    assert any("under the minimum" in p and "Xırda yazı" in p for p in found)


def test_rotation_turns_the_window(settings):
    """display.rotation 90 or 270: the window opens as the panel is mounted and Kivy turns it."""
    from kivy.config import Config

    from kiosk.ui.boot import configure_kivy

    saved = {k: Config.get("graphics", k) for k in ("width", "height", "rotation")}
    try:
        totem = settings.replace(display__width=1080, display__height=1920, display__rotation=90)
        configure_kivy(totem, windowed=True, offscreen=True)
        assert (Config.get("graphics", "width"), Config.get("graphics", "height")) == (
            "1920",
            "1080",
        )
        assert Config.get("graphics", "rotation") == "90"
    finally:
        for k, v in saved.items():
            Config.set("graphics", k, v)


def test_a_turned_window_lays_out_for_the_turned_shape(shaped):
    from kivy.core.window import Window

    use_shape(shaped, 1920, 1080, 102)
    try:
        Window.rotation = 90
        shaped.frames(2)
        shaped.app.apply_display()
        assert shaped.app.theme.shape == "portrait"
        assert (shaped.app.theme.width, shaped.app.theme.height) == (1080, 1920)
    finally:
        Window.rotation = 0
        shaped.frames(2)


def test_on_a_7_inch_screen_more_shows_the_other_choices_and_says_them(shaped):
    from kiosk.core.flow import Position

    use_shape(shaped, 1024, 600, 170)
    app = shaped.app
    bundle = app.terminal.bundle
    service, step = next(
        (s, st) for s in bundle.services.values() for st in s.steps if len(st.choices) == 4
    )
    app.begin()
    app.choose_language("az")
    app.open_service(service.id)
    app.navigator.history = [Position(service.id, step.id)]
    app.show("step", push=False)
    shaped.frames(3)

    def shown() -> list[str]:
        return [b.text for b in shaped.find("ChoiceButton")]

    labels = [label(app.lang) for label in (choice_label(bundle, c) for c in step.choices)]
    assert shown() == labels[:2]
    shaped.tap(shaped.find("MoreButton")[0])
    assert shown() == labels[2:]
    assert app.terminal.narrator.last_words == labels[2:]
    shaped.tap(shaped.find("MoreButton")[0])
    assert shown() == labels[:2]  # and round again
    before = (shaped.current, app.navigator.position)
    shaped.tap(shaped.find("ChoiceButton")[0])  # a choice on a page still chooses
    assert (shaped.current, app.navigator.position) != before


def test_on_a_7_inch_screen_a_large_group_shows_more_and_every_service_is_reached(shaped):
    use_shape(shaped, 1024, 600, 170)
    app = shaped.app
    bundle = app.terminal.bundle
    group = next(g for g in bundle.groups if len(g.services) > 4)
    titles = [bundle.services[s].title("az") for s in group.services]
    more = bundle.string("nav.more", "az")
    app.begin()
    app.choose_language("az")
    app.open_group(group.id)
    shaped.frames(3)

    def shown() -> list[str]:
        return [b.text for b in shaped.find("ServiceButton")]

    assert shown() == titles[:3] + [more]  # a 2 x 2 grid: three services and "More"
    seen = set(titles[:3])
    while len(seen) < len(titles):
        shaped.tap(shaped.find("ServiceButton")[-1])
        page = [t for t in shown() if t != more]
        assert page and app.terminal.narrator.last_words == page
        seen |= set(page)
    assert seen == set(titles)
    shaped.tap(shaped.find("ServiceButton")[-1])
    assert shown() == titles[:3] + [more]  # and round again
    shaped.tap(shaped.find("ServiceButton")[0])  # a service on a page still opens it
    assert shaped.current == "step" and app.navigator.position.service_id == group.services[0]


@pytest.mark.parametrize("bad", ["1080", "1080x", "axb", "100x100"])
def test_preview_refuses_a_bad_size(bad):
    import argparse

    from kiosk.commands.preview import _size

    with pytest.raises(argparse.ArgumentTypeError):
        _size(bad)


def test_preview_takes_a_size_and_density():
    from kiosk.commands.preview import _dpi, _size

    assert _size("1080x1920") == (1080, 1920)
    assert _dpi("170") == 170


def test_pages_hold_what_fits_and_a_taller_item_gets_a_page_of_its_own():
    from kiosk.ui.screens.step import pages_by_height

    assert pages_by_height([100, 100, 100], room=210, spacing=10) == [2, 1]
    assert pages_by_height([100, 300, 50, 50], room=210, spacing=10) == [1, 1, 2]
    assert pages_by_height([50] * 4, room=500, spacing=10) == [4]


@pytest.mark.parametrize("size", [(1024, 600, 170), (800, 480, 133), (720, 1280, 210)])
def test_on_a_7_inch_screen_the_help_points_come_a_page_at_a_time_and_all_are_said(shaped, size):
    """Each point's name and phone shown once over the pages, never cut; "more"
    goes round and reads out what it shows."""
    from kiosk.core.flow import Position
    from kiosk.ui.fit import layout_problems
    from kiosk.ui.preview import areas

    use_shape(shaped, *size)
    app = shaped.app
    service, step = next(
        (s, st)
        for s in app.terminal.bundle.services.values()
        for st in s.steps
        if st.kind.value == "help_points"
    )
    points = [p.name("ru") for p in app.terminal.site.help_points]
    assert len(points) >= 2
    app.begin()
    app.choose_language("ru")
    app.open_service(service.id)
    app.navigator.history = [Position(service.id, step.id)]
    app.show("step", push=False)
    shaped.frames(3)
    seen = []
    for _page in range(len(points)):
        names = [row.ids.name.text for row in shaped.find("HelpPointRow")]
        assert names, "a page with no help point"
        assert layout_problems(areas(shaped), app.theme) == []
        seen += names
        more = shaped.find("MoreButton")
        if not more:
            break
        shaped.tap(more[0])
        said = " ".join(app.terminal.narrator.last_words)
        assert all(r.ids.name.text in said for r in shaped.find("HelpPointRow"))
    assert sorted(seen) == sorted(points)


def test_on_a_7_inch_screen_the_keypad_message_takes_the_keys_place_until_asked_back(shaped):
    """The read-back is too long for a line beside the number: it covers the keys
    (no key can be touched under it), and the keypad button brings them back."""
    use_shape(shaped, 1024, 600, 170)
    app = shaped.app
    app.begin()
    app.choose_language("az")
    app.open_service("id-card")
    app.call_helper()
    shaped.tap(app.sm.get_screen("help").ids.phone)
    screen = app.sm.get_screen("keypad")
    keys = {b.key: b for b in shaped.find("KeyButton")}
    for d in "0501234567":
        shaped.tap(keys[d])
    shaped.tap(screen.ids.done)
    message = screen.ids.message
    assert shaped.find("KeyButton") == [] and message.parent is not None
    assert message.ids.words.text.startswith("Nömrəniz: 050 123 45 67.")
    shaped.tap(message.ids.show_keys)
    assert len(shaped.find("KeyButton")) == 11 and message.parent is None
    assert app.resident.phone == "0501234567"  # nothing typed is lost
    shaped.tap(screen.ids.done)  # checked again, read back again
    assert message.parent is not None
    shaped.tap(screen.ids.done)
    assert shaped.current == "ticket" and app.resident.ticket


@pytest.mark.parametrize("size", [(720, 1280, 210), (1366, 768, 100)])
def test_every_document_of_the_longest_checklist_is_shown_once_and_whole(shaped, size):
    """On the 15.6-inch panel the longest checklist is all on one screen (a smaller
    picture beside its words); on the 7-inch portrait one a line too tall for a page
    beside the step's words has a page of its own, the words folded away. "More"
    turns through every line once, in order, none cut, and reads each page aloud."""
    from kiosk.core.flow import Position
    from kiosk.ui.fit import layout_problems

    use_shape(shaped, *size)
    app = shaped.app
    bundle = app.terminal.bundle
    if size[0] > size[1]:  # the most lines
        listed = [s for s in bundle.services.values() if s.documents]
        service = max(listed, key=lambda s: sum(len(d("ru")) for d in s.documents))
    else:  # its "Переселенцам: справка о временной регистрации" takes 4 lines (issue 30)
        service = bundle.services["pension-disability"]
    step = next(st for st in service.steps if st.kind.value == "documents")
    app.begin()
    app.choose_language("ru")
    app.open_service(service.id)
    app.navigator.history = [Position(service.id, step.id)]
    app.show("step", push=False)
    shaped.frames(3)
    screen = app.sm.current_screen
    seen, folded = [], 0
    for _page in range(screen.pages):
        rows = [row.text for row in shaped.find("ChecklistRow")]
        assert rows and layout_problems(areas(shaped), app.theme) == []
        folded += screen.ids.words.text == ""
        seen += rows
        if screen.pages > 1:
            shaped.tap(shaped.find("MoreButton")[0])
            assert app.terminal.narrator.last_words == [r.text for r in shaped.find("ChecklistRow")]
    assert seen == [d("ru") for d in service.documents]
    if size[0] > size[1]:
        assert screen.pages == 1 and screen.small_picture
    else:
        assert screen.pages > 1 and folded >= 1


def test_a_preview_png_at_an_odd_width_shows_the_window_unsheared(shaped, tmp_path):
    """1366 px rows are not whole 4-byte words: each pixel of the PNG is where the
    window drew it (the back button's colour at its left edge, the bar's beside it)."""
    from PIL import Image

    use_shape(shaped, 1366, 768, 100)
    app = shaped.app
    app.begin()
    app.choose_language("ru")
    app.open_group(app.terminal.bundle.groups[0].id)
    shaped.frames(3)
    back = app.root.ids.back
    shot = Image.open(shaped.screenshot(tmp_path / "group.png")).convert("RGB")
    assert shot.size == (1366, 768)
    y = 768 - round(back.center_y)

    def colour(x: float) -> tuple[int, ...]:
        return shot.getpixel((round(x), y))

    def rgb(c: tuple[float, ...]) -> tuple[int, ...]:
        return tuple(round(v * 255) for v in c[:3])

    assert colour(back.x + app.theme.mm(1)) == rgb(app.theme.button_bg)
    assert colour(back.right + app.theme.mm(1)) == rgb(app.theme.bar_bg)
