"""One touch, one action: double taps 30-250 ms apart through the off-screen
window land one screen on, never two, and never issue a ticket unasked.
(The same taps through a real X server are in test_x_double_tap.py.)"""

import sqlite3

import pytest

from kiosk.core.flow import Position
from tests.test_ui_form_factors import use_shape

pytestmark = pytest.mark.ui

GAPS_MS = (30, 60, 100, 250)


def buttons(container):
    return list(reversed(container.children))


def tickets(ui):
    db = ui.app.terminal.settings.path("kiosk.data_dir") / "kiosk.db"
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from helpdesk_outbox").fetchone()[0]


def at_step(ui, service, *path, lang="az"):
    """On a service's step, with the steps before it on the resident's path."""
    ui.app.begin()
    ui.app.choose_language(lang)
    ui.app.open_service(service)
    for step_id in path[1:] if path and path[0] == ui.app.navigator.step.id else path:
        ui.app.navigator.history.append(Position(service, step_id))
    ui.app.show("step", push=False)
    return ui.app.sm.get_screen("step")


def at_finish(ui, service="id-card"):
    ui.app.begin()
    ui.app.choose_language("az")
    ui.app.open_service(service)
    finish = [s.id for s in ui.app.terminal.bundle.services[service].steps if s.kind == "finish"]
    ui.app.navigator.history.append(Position(service, finish[0]))
    ui.app.show("step", push=False)
    return buttons(ui.app.sm.get_screen("step").ids.body.children[0])


def double_tap(ui, widget, gap):
    refused = ui.app.guard.refused
    ui.double_tap(widget, gap)
    assert ui.app.guard.refused == refused + 1, "the second tap did not reach the app"


@pytest.mark.parametrize("gap", GAPS_MS)
def test_next_moves_one_step(ui, gap):
    step = at_step(ui, "social-assistance", "what")
    double_tap(ui, step.ids.next, gap)
    assert ui.current == "step" and ui.app.navigator.step.id == "who"


@pytest.mark.parametrize("gap", GAPS_MS)
def test_back_goes_back_one_step(ui, gap):
    at_step(ui, "social-assistance", "who", "documents")
    double_tap(ui, ui.app.root.ids.back, gap)
    assert ui.current == "step" and ui.app.navigator.step.id == "who"


@pytest.mark.parametrize("gap", GAPS_MS)
def test_a_home_tile_opens_its_group_not_a_service(ui, gap):
    ui.app.begin()
    ui.app.choose_language("az")
    double_tap(ui, buttons(ui.app.sm.get_screen("home").view)[0], gap)
    assert ui.current == "group" and ui.app.navigator.position is None


@pytest.mark.parametrize("gap", GAPS_MS)
def test_a_choice_leads_to_its_own_screen_only(ui, gap):
    step = at_step(ui, "social-assistance", "how")
    in_person = buttons(step.ids.body.children[0])[1]
    double_tap(ui, in_person, gap)
    assert ui.current == "step" and ui.app.navigator.step.id == "in-person"


@pytest.mark.parametrize("gap", GAPS_MS)
def test_call_a_helper_asks_first_and_issues_no_ticket(ui, gap):
    before = tickets(ui)
    at_step(ui, "social-assistance", "who")
    double_tap(ui, ui.app.root.ids.help, gap)
    assert ui.current == "help"
    assert tickets(ui) == before and ui.app.resident.ticket is None


@pytest.mark.parametrize("gap", GAPS_MS)
def test_call_a_helper_on_a_finish_screen_asks_first(ui, gap):
    before = tickets(ui)
    choices = at_finish(ui)
    helper = [b for b in choices if b.style == "help"][0]
    double_tap(ui, helper, gap)
    assert ui.current == "help"
    assert tickets(ui) == before and ui.app.resident.ticket is None


@pytest.mark.parametrize("gap", GAPS_MS)
def test_leave_my_phone_types_no_stray_digit(ui, gap):
    at_step(ui, "id-card", "who")
    ui.app.call_helper()
    double_tap(ui, ui.app.sm.get_screen("help").ids.phone, gap)
    assert ui.current == "keypad" and ui.app.resident.phone == ""


@pytest.mark.parametrize("gap", (30, 250))
def test_take_a_number_gives_one_ticket_and_keeps_it_on_screen(ui, gap):
    before = tickets(ui)
    at_step(ui, "id-card", "who")
    ui.app.call_helper()
    double_tap(ui, ui.app.sm.get_screen("help").ids.ticket, gap)
    assert ui.current == "ticket" and tickets(ui) == before + 1


@pytest.mark.parametrize("gap", (30, 250))
def test_done_after_the_ticket_does_not_start_a_new_session(ui, gap):
    at_step(ui, "id-card", "who")
    ui.app.call_helper()
    ui.app.issue_ticket("")
    double_tap(ui, ui.app.sm.get_screen("ticket").ids.done, gap)
    assert ui.current == "attract"  # the second tap did not wake the attract screen


@pytest.mark.parametrize("gap", (30, 250))
def test_a_language_opens_home_and_nothing_under_it(ui, gap):
    ui.app.begin()
    double_tap(ui, buttons(ui.app.sm.get_screen("language").view)[0], gap)
    assert ui.current == "home"


def test_a_slow_second_touch_after_the_guard_acts(ui):
    """The guard is short: a second touch after it has passed is a new choice."""
    guard_ms = ui.app.terminal.settings["session.touch_guard_ms"]
    step = at_step(ui, "social-assistance", "what")
    ui.double_tap(step.ids.next, guard_ms + 100)
    assert ui.app.navigator.step.id == "free"  # two steps on: what, who, free


def test_without_the_guard_a_double_tap_skips_a_step(ui):
    """What residents saw before: the test above fails without the guard."""
    ui.app.terminal.settings = ui.base_settings.replace(session__touch_guard_ms=0)
    step = at_step(ui, "social-assistance", "what")
    ui.double_tap(step.ids.next, 60)
    assert ui.app.navigator.step.id == "free"  # two steps on: what, who, free


def test_a_touch_before_the_new_screen_is_drawn_is_dropped(ui):
    """A tap queued while an action ran (or before the first frame) does nothing."""
    step = at_step(ui, "social-assistance", "what")
    ui.settle()
    ui.app.next_step()  # the screen changes; no frame drawn yet
    ui.wait(10)  # however long ago, an undrawn screen takes no touch
    from kivy.base import EventLoop

    from kiosk.ui.harness import _Finger

    finger = _Finger(*step.ids.next.to_window(*step.ids.next.center))
    EventLoop.post_dispatch_input("begin", finger)
    EventLoop.post_dispatch_input("end", finger)
    ui.frames(2)
    assert ui.app.navigator.step.id == "who"


def test_no_ghost_frame_the_old_screen_is_gone_when_the_new_one_is_drawn(ui):
    ui.app.begin()
    ui.app.choose_language("az")
    ui.settle()
    drawn = []

    def on_flip(*_a):
        drawn.append([s.name for s in ui.app.sm.children])

    from kivy.core.window import Window

    Window.bind(on_flip=on_flip)
    try:
        ui.tap(buttons(ui.app.sm.get_screen("home").view)[0])
    finally:
        Window.unbind(on_flip=on_flip)
    assert ui.current == "group"
    assert drawn and all(len(names) == 1 for names in drawn), drawn


# -- within a screen: pages and prompts -------------------------------------------


@pytest.mark.parametrize("gap", GAPS_MS)
@pytest.mark.parametrize("size", [(1024, 600, 170), (720, 1280, 210)], ids=["7in", "7in-portrait"])
def test_more_shows_the_next_page_not_the_one_after(shaped, size, gap):
    """A double tap on "more" on a 7-inch screen's documents list turns one page:
    the page after it (which held the notarised application and the ID card) is
    not skipped."""
    use_shape(shaped, *size)
    step = at_step(shaped, "social-assistance", "who", "documents")
    shaped.frames(3)
    assert step.pages >= 2, "the documents fit one page: nothing to turn"
    first = [row.text for row in shaped.find("ChecklistRow")]
    double_tap(shaped, shaped.find("MoreButton")[0], gap)
    assert step.page == 1
    assert [row.text for row in shaped.find("ChecklistRow")] != first


def test_without_the_guard_a_double_tap_on_more_skips_a_page(shaped):
    """What residents saw before: the test above fails without the guard in pages."""
    use_shape(shaped, 1024, 600, 170)
    shaped.app.terminal.settings = shaped.app.terminal.settings.replace(session__touch_guard_ms=0)
    step = at_step(shaped, "social-assistance", "who", "documents")
    shaped.frames(3)
    pages = step.pages
    shaped.double_tap(shaped.find("MoreButton")[0], 60)
    assert step.page == 2 % pages


@pytest.mark.parametrize("gap", GAPS_MS)
def test_more_time_on_the_prompt_does_not_open_the_tile_under_it(ui, gap):
    """ "Yes, I need more time" lies over a home tile: a double tap closes the
    prompt and nothing else."""
    ui.app.begin()
    ui.app.choose_language("az")
    ui.settle()
    ui.clock.t += ui.app.terminal.settings["session.idle_seconds"] + 1
    ui.app._tick_idle()
    ui.frames(2)
    prompt = ui.app.idle_prompt
    assert prompt.is_open
    more_time = ui.find("PictoButton", root=prompt)[0]
    # A quarter in from the button's left edge: over the tile under it.
    x, y = more_time.to_window(more_time.x + more_time.width / 4, more_time.center_y)
    home = buttons(ui.app.sm.get_screen("home").view)
    assert [b for b in home if b.collide_point(*b.parent.to_widget(x, y))], "over no tile"
    ui.settle()
    refused = ui.app.guard.refused
    ui.double_tap_at(x, y, gap)
    assert ui.app.guard.refused == refused + 1, "the second tap did not reach the app"
    assert not prompt.is_open and ui.current == "home"


@pytest.mark.parametrize("gap", GAPS_MS)
def test_more_on_a_group_shows_its_next_tiles_not_the_first_again(shaped, gap):
    """A 7-inch screen shows a large group's services three at a time and "More":
    a double tap on it turns one page (with two pages, a second turn would bring
    the first tiles back, as if "More" did nothing)."""
    use_shape(shaped, 1024, 600, 170)
    shaped.app.begin()
    shaped.app.choose_language("az")
    shaped.app.open_group("social")
    group = shaped.app.sm.get_screen("group")
    assert group.pages == 2
    first = [b.text for b in shaped.find("ServiceButton")]
    double_tap(shaped, shaped.find("ServiceButton")[-1], gap)  # "More" ends the grid
    assert group.page == 1
    assert [b.text for b in shaped.find("ServiceButton")] != first
