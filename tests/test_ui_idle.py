"""Idle reset: warn, give more time on one touch, then forget the resident."""

import pytest

pytestmark = pytest.mark.ui


def into_a_flow(ui):
    ui.tap(ui.app.sm.get_screen("attract").ids.start)
    ui.app.choose_language("ru")
    ui.app.open_service("social-assistance")
    ui.app.next_step()
    ui.app.resident.phone = "0501112233"


def tick(ui, seconds):
    ui.clock.t += seconds
    ui.app._tick_idle()
    ui.frames(2)


def test_more_time_prompt_is_shown_and_spoken_then_one_touch_extends(ui):
    s = ui.app.terminal.settings
    into_a_flow(ui)
    tick(ui, s["session.idle_seconds"] + 1)
    assert ui.app.idle_prompt.is_open
    assert ui.app.terminal.narrator.last_words == ["Вам нужно больше времени? Коснитесь экрана."]
    assert ui.app.idle_prompt.remaining == s["session.countdown_seconds"] - 1
    ui.tap_at(10, 10)  # anywhere
    assert not ui.app.idle_prompt.is_open
    assert ui.current == "step"
    assert ui.app.navigator.position.step_id == "who"  # nothing lost
    tick(ui, s["session.idle_seconds"] - 1)
    assert not ui.app.idle_prompt.is_open


def test_walking_away_forgets_everything(ui):
    s = ui.app.terminal.settings
    into_a_flow(ui)
    first_session = ui.app.resident.id
    tick(ui, s["session.idle_seconds"] + 1)
    tick(ui, s["session.countdown_seconds"])
    assert ui.current == "attract"
    assert not ui.app.idle_prompt.is_open
    assert ui.app.navigator.position is None
    assert ui.app.resident.phone == "" and ui.app.resident.id != first_session
    assert ui.app.lang == "az"
    assert "reset" in ui.app.terminal.narrator.events  # volume and rate back to default


def test_the_countdown_is_at_least_20_seconds(ui):
    assert ui.app.terminal.settings["session.countdown_seconds"] >= 20


def test_kiosk_mode_ignores_escape_and_window_close(ui):
    from kivy.core.window import Window

    assert ui.app._refuse_close() is True
    assert ui.app._on_key(Window, 27) is True  # Esc
    assert ui.app._on_key(Window, 285, 0, None, ["alt"]) is True  # Alt+F4


def test_hidden_corner_gesture_then_wrong_pin_keeps_the_kiosk(ui, monkeypatch):
    from kiosk.core.lockdown import StaffPin, hash_pin

    ui.app.staff_pin = StaffPin(hash_pin("4821"))
    ui.app.begin()
    h = ui.window.height
    for _ in range(5):
        ui.tap_at(5, h - 5)
    assert ui.current == "staff"
    staff = ui.app.sm.get_screen("staff")
    for d in "1111":
        staff.press(d)
    stopped = []
    monkeypatch.setattr(ui.app, "leave_kiosk_mode", lambda: stopped.append(True))
    staff.submit()
    assert ui.current == "staff" and not stopped
    assert staff.ids.message.text == "PİN səhvdir"
    for d in "4821":
        staff.press(d)
    staff.submit()
    assert stopped == [True]


def test_kiosk_mode_brings_a_minimised_window_back_and_redraws_it(ui, monkeypatch):
    from kivy.core.window import Window

    calls = []
    monkeypatch.setattr(Window, "restore", lambda: calls.append("restore"))
    monkeypatch.setattr(Window, "raise_window", lambda: calls.append("raise"))
    Window.dispatch("on_minimize")
    ui.frames(2)
    assert calls == ["restore", "raise"]
