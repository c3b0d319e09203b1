"""A resident walks through a flow by touching real buttons in the off-screen
window, and lands where they should."""

import pytest

pytestmark = pytest.mark.ui


def buttons(container):
    return list(reversed(container.children))


def start_in(ui, lang="az"):
    ui.tap(ui.app.sm.get_screen("attract").ids.start)
    assert ui.current == "language"
    codes = ui.app.terminal.settings["kiosk.languages"]
    ui.tap(buttons(ui.app.sm.get_screen("language").view)[codes.index(lang)])
    assert ui.current == "home"


def test_attract_language_home_in_russian(ui):
    start_in(ui, "ru")
    assert ui.app.lang == "ru"
    assert ui.app.title_text == "С чем вам помочь?"
    assert ui.app.terminal.narrator.last_words[0] == "С чем вам помочь? Коснитесь картинки."


def test_language_screen_speaks_each_name_in_its_own_language(ui):
    ui.tap(ui.app.sm.get_screen("attract").ids.start)
    words = ui.app.terminal.narrator.last_words
    assert words == [
        "Azərbaycan dili üçün bura toxunun.",
        "Для русского языка коснитесь здесь.",
        "For English, touch here.",
    ]


def test_two_touches_from_home_reach_a_service_and_next_back_home_work(ui):
    start_in(ui)
    home = ui.app.sm.get_screen("home")
    ui.tap(buttons(home.view)[0])  # social
    assert ui.current == "group"
    ui.tap(buttons(ui.app.sm.get_screen("group").view)[0])
    assert ui.current == "step"
    assert ui.app.navigator.position.step_id == "what"
    step = ui.app.sm.get_screen("step")
    assert ui.app.terminal.narrator.last_words[0].startswith("Ünvanlı sosial yardım")
    ui.tap(step.ids.next)
    assert ui.app.navigator.position.step_id == "who"
    ui.tap(ui.app.root.ids.back)
    assert ui.app.navigator.position.step_id == "what"
    ui.tap(ui.app.root.ids.back)
    assert ui.current == "group"
    ui.tap(ui.app.root.ids.home)
    assert ui.current == "home"
    assert ui.app.navigator.position is None


def test_e_signature_question_branches_on_touch(ui):
    start_in(ui)
    ui.app.open_service("property-extract")
    step = ui.app.sm.get_screen("step")
    while ui.app.navigator.step.id != "esign":
        ui.tap(step.ids.next)
    choices = buttons(step.ids.body.children[0])
    assert [c.text for c in choices] == [
        "Bəli, var",
        "Yox, şəxsən gedəcəyəm",
        "İmzanı necə alım?",
        "Köməkçi çağır",
    ]
    ui.tap(choices[1])
    assert ui.app.navigator.position.step_id == "in-person"
    ui.tap(ui.app.root.ids.back)
    ui.tap(buttons(step.ids.body.children[0])[0])
    assert ui.app.navigator.position.step_id == "online"
    panel = step.ids.body.children[0]
    assert panel.ids.link.text == "e-gov.az"  # the extract is in the e-gov personal cabinet
    assert panel.ids.qr.texture is not None


def test_speaker_and_volume_buttons_reach_the_narrator(ui):
    start_in(ui)
    narrator = ui.app.terminal.narrator
    narrator.events.clear()
    ids = ui.app.root.ids
    for b in (ids.speaker, ids.louder, ids.softer, ids.slower):
        ui.tap(b)
    assert narrator.events[:4] == ["repeat", "louder", "softer", "slow=True"]


def test_touch_to_hear_first_touch_speaks_second_chooses(ui):
    ui.app.terminal.settings = ui.base_settings.replace(narration__touch_to_hear=True)
    ui.tap(ui.app.sm.get_screen("attract").ids.start)
    russian = buttons(ui.app.sm.get_screen("language").view)[1]
    ui.tap(russian)
    assert ui.current == "language"
    assert russian.armed
    assert ui.app.terminal.narrator.last_words == ["Для русского языка коснитесь здесь."]
    ui.tap(russian)
    assert ui.current == "home" and ui.app.lang == "ru"


def test_every_button_is_at_least_20_mm(ui):
    from kiosk.ui.preview import screen_states

    mm20 = ui.app.theme.mm(20)
    for name in screen_states(ui, "az"):
        ui.frames(2)
        small = [
            (type(b).__name__, b.text, round(b.width), round(b.height))
            for b in ui.find("PictoButton")
            + ui.find("KeyButton")
            + ui.find("ChoiceButton")
            + ui.find("BarButton")
            if min(b.width, b.height) < mm20 - 0.5
        ]
        assert not small, f"{name}: buttons under 20 mm: {small}"


def test_call_a_helper_is_offered_once_per_screen(ui):
    start_in(ui)
    ui.app.open_service("social-assistance")
    assert ui.app.can_help  # an information step: the bar's button
    nav = ui.app.navigator
    finish = [s.id for s in nav.service.steps if s.kind == "finish"][0]
    from kiosk.core.flow import Position

    nav.history.append(Position("social-assistance", finish))
    ui.app.show("step", push=False)
    assert not ui.app.can_help  # the finish choices have their own "Call a helper"


def test_progress_is_shown_as_dots_and_said(ui):
    start_in(ui)
    ui.app.open_service("social-assistance")
    step = ui.app.sm.get_screen("step")
    ui.tap(step.ids.next)
    ui.tap(step.ids.next)
    n, total = ui.app.navigator.progress()
    assert n == 3 and total >= n
    assert (step.ids.progress.filled, step.ids.progress.count) == (3, total)
    assert ui.app.terminal.narrator.last_words[-1] == f"Addım 3, cəmi {total}"
    ui.tap(ui.app.root.ids.back)
    assert step.ids.progress.filled == 2


def test_documents_are_a_plain_list_not_checkboxes(ui):
    from kiosk.core.flow import Position

    start_in(ui)
    service = next(
        s for s in ui.app.terminal.bundle.services.values()
        if any(st.kind == "documents" for st in s.steps)
    )  # fmt: skip
    ui.app.open_service(service.id)
    docs = next(st for st in service.steps if st.kind == "documents")
    ui.app.navigator.history.append(Position(service.id, docs.id))
    ui.app.show("step", push=False)
    rows = ui.app.sm.get_screen("step").ids.body.children
    icons = [w.name for row in rows for w in row.children if type(w).__name__ == "Icon"]
    assert icons and set(icons) == {"circle-medium"}  # a bullet, nothing to tick
