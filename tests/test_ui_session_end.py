"""A session ends when the resident is done: Done after the slip or the ticket, or
that screen's own timeout, brings back the attract screen, and the next resident
finds nothing of the last one (no ticket, no digits, no place in a flow)."""

import time

import pytest

from kiosk.core.flow import Position

pytestmark = pytest.mark.ui


def into_service(ui, service="id-card", lang="ru"):
    ui.app.begin()
    ui.app.choose_language(lang)
    ui.app.open_service(service)
    ui.app.next_step()


def next_resident_calls_a_helper(ui):
    ui.tap(ui.app.sm.get_screen("attract").ids.start)
    ui.tap(list(reversed(ui.app.sm.get_screen("language").view.children))[0])
    assert ui.current == "home"
    ui.tap(ui.app.root.ids.help)


def assert_nothing_left(ui, session):
    assert ui.current == "attract"
    assert ui.app.resident.id != session
    assert ui.app.resident.ticket is None and ui.app.resident.phone == ""
    assert ui.app.navigator.position is None and ui.app.trail == []
    assert ui.app.lang == "az"


def tick(ui, seconds):
    ui.clock.t += seconds
    ui.app._tick_idle()
    ui.frames(2)


def wait_until(ui, cond, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ui.frames(1)
        if cond():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def test_done_on_the_ticket_ends_the_session_and_the_next_resident_sees_no_ticket(ui):
    into_service(ui)
    ui.app.call_helper()
    ui.tap(ui.app.sm.get_screen("help").ids.phone)
    for key in "0501234567":
        ui.app.screen.press(key)
    ui.app.screen.submit()
    ui.app.screen.submit()
    assert ui.current == "ticket"
    session = ui.app.resident.id
    assert not ui.app.can_back and not ui.app.can_home  # one way on: Done
    ui.tap(ui.app.sm.get_screen("ticket").ids.done)
    assert_nothing_left(ui, session)
    next_resident_calls_a_helper(ui)
    assert ui.current == "help"  # asked first, not shown the last person's ticket
    ui.tap(ui.app.sm.get_screen("help").ids.phone)
    assert ui.app.sm.get_screen("keypad").ids.number.text == ""  # no digits left over


def test_the_ticket_stays_until_its_own_timeout_then_the_session_ends(ui):
    s = ui.app.terminal.settings
    into_service(ui)
    ui.app.call_helper()
    ui.app.issue_ticket("")
    session = ui.app.resident.id
    tick(ui, s["session.finished_seconds"] - 1)
    assert ui.current == "ticket" and not ui.app.idle_prompt.is_open
    tick(ui, 1)
    assert_nothing_left(ui, session)


def test_done_on_the_slip_ends_the_session(ui):
    ui.app.begin()
    ui.app.choose_language("az")
    ui.app.open_service("id-card")
    finish = [s.id for s in ui.app.navigator.service.steps if s.kind == "finish"][0]
    ui.app.navigator.history.append(Position("id-card", finish))
    ui.app.show("step", push=False)
    session = ui.app.resident.id
    ui.app.print_slip()
    screen = ui.app.sm.get_screen("slip")
    wait_until(ui, lambda: screen.state == "printed")
    assert screen.finished and not ui.app.can_home
    ui.tap(screen.ids.done)
    assert_nothing_left(ui, session)


def test_a_printed_slip_ends_the_session_after_its_timeout(ui):
    s = ui.app.terminal.settings
    ui.app.begin()
    ui.app.choose_language("az")
    ui.app.open_service("id-card")
    session = ui.app.resident.id
    ui.app.print_slip()
    wait_until(ui, lambda: ui.app.sm.get_screen("slip").state == "printed")
    tick(ui, s["session.finished_seconds"])
    assert_nothing_left(ui, session)


def test_the_more_time_prompt_hides_the_typed_number(ui):
    s = ui.app.terminal.settings
    into_service(ui)
    ui.app.call_helper()
    ui.app.show("keypad")
    for key in "050123":
        ui.app.screen.press(key)
    number = ui.app.sm.get_screen("keypad").ids.number
    assert number.text == "050 123"
    tick(ui, s["session.idle_seconds"] + 1)
    assert ui.app.idle_prompt.is_open and number.text == ""
    ui.tap_at(10, 10)  # "more time"
    assert not ui.app.idle_prompt.is_open and number.text == "050 123"


def test_the_ticket_slip_printed_tells_the_resident_to_take_it(ui):
    into_service(ui, lang="az")
    ui.app.call_helper()
    ui.app.issue_ticket("")
    screen = ui.app.sm.get_screen("ticket")
    wait_until(ui, lambda: screen.printed)
    assert screen.ids.take.text == "Vərəqənizi götürün."
    assert ui.app.terminal.narrator.last_words[-1] == "Vərəqənizi götürün."
