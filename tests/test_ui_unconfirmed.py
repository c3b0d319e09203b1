"""An unconfirmed fact on the screen: a framed note with the ask-a-person picture
sends the resident to the volunteer here or to 142, and the voice says the same;
a confirmed step shows no note."""

import pytest

from kiosk.core.content import check_bundle
from kiosk.core.content.places import for_site
from tests.test_content_provenance import ALLOW, TODAY, add_trial
from tests.test_ui_flow import start_in

pytestmark = pytest.mark.ui


@pytest.fixture
def trial(ui, content_copy):
    """The terminal shows the default content plus the trial service (at Bərdə)."""
    add_trial(content_copy)
    bundle, problems = check_bundle(content_copy, ALLOW, today=TODAY)
    assert problems == []
    terminal = ui.app.terminal
    saved = (terminal.bundle, terminal.site)
    site = bundle.sites["barda"]
    terminal.bundle, terminal.site = for_site(bundle, site), site
    ui.app.content_changed()
    yield ui
    terminal.bundle, terminal.site = saved
    ui.app.content_changed()


def cautions(screen):
    return [w for w in screen.ids.body.children if type(w).__name__ == "CautionBox"]


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_an_unconfirmed_step_shows_and_says_ask_a_person(trial, lang):
    ui = trial
    start_in(ui, lang)
    ui.app.open_service("prov-test")
    step = ui.app.sm.get_screen("step")
    bundle = ui.app.terminal.bundle
    assert ui.app.navigator.step.id == "what"
    assert cautions(step) == []  # confirmed: no note
    ui.tap(step.ids.next)
    ui.frames(2)
    assert ui.current == "step", (ui.current, ui.app.navigator.position)
    assert ui.app.navigator.step.id == "maybe"
    [note] = cautions(step)
    assert note.text == bundle.string("unconfirmed.volunteer", lang)
    assert note.height > 0 and note.width > 0  # laid out on the screen
    words = ui.app.terminal.narrator.last_words
    assert bundle.string("unconfirmed.volunteer_say", lang) in words


def test_an_unconfirmed_document_has_the_picture_and_the_note(trial):
    ui = trial
    start_in(ui, "az")
    ui.app.open_service("prov-test")
    step = ui.app.sm.get_screen("step")
    while ui.app.navigator.step.id != "documents":
        ui.tap(step.ids.next)
    ui.frames(2)
    rows = [w for w in reversed(step.ids.body.children) if type(w).__name__ == "ChecklistRow"]
    assert [(r.text, r.icon) for r in rows] == [
        ("Şəxsiyyət vəsiqəsi", "circle-medium"),
        ("Ailə tərkibi haqqında arayış", "account-question"),
    ]
    [note] = cautions(step)
    assert note.text == ui.app.terminal.bundle.string("unconfirmed.line", "az")  # ask = "142"
    words = ui.app.terminal.narrator.last_words
    assert "Bu təsdiqlənməyib." in words
