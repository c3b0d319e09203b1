"""The keypad checks what it gets: each key said as typed, a wrong number refused
with a reason shown and said (nothing sent), a good one read back in groups and
sent on the second Done."""

import sqlite3

import pytest

pytestmark = pytest.mark.ui


def on_keypad(ui, lang="az"):
    ui.app.begin()
    ui.app.choose_language(lang)
    ui.app.open_service("id-card")
    ui.app.call_helper()
    ui.tap(ui.app.sm.get_screen("help").ids.phone)
    assert ui.current == "keypad"
    return {b.key: b for b in ui.find("KeyButton")}, ui.app.sm.get_screen("keypad")


def tickets(ui):
    db = ui.app.terminal.settings.path("kiosk.data_dir") / "kiosk.db"
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from helpdesk_outbox").fetchone()[0]


def test_each_digit_is_said_as_it_is_typed_aloud_only_into_headphones(ui):
    keys, _screen = on_keypad(ui)
    said = ui.app.terminal.narrator.said
    for d in "05":
        ui.tap(keys[d])
        assert [line.words for line in said[-1]] == ["Rəqəm yazıldı."]  # the speaker: no digit
    ui.app.terminal.headphones.plugged = True
    for d in "050":
        ui.tap(keys[d])
        assert [line.words for line in said[-1]] == [d]


@pytest.mark.parametrize(
    "typed,reason",
    [
        ("8", "Belə nömrə yoxdur. Nömrə 0 ilə başlayır, məsələn 050."),
        ("050123", "Nömrə tam deyil: 0 və daha 9 rəqəm yazın."),
        ("05012345678", "Rəqəm çoxdur. Artıq rəqəmi silin."),
        ("0301234567", "Belə nömrə yoxdur. Nömrə 0 ilə başlayır, məsələn 050."),
    ],
)
def test_a_wrong_number_is_refused_with_a_reason_and_nothing_is_sent(ui, typed, reason):
    before = tickets(ui)
    keys, screen = on_keypad(ui)
    for d in typed:
        ui.tap(keys[d])
    ui.tap(screen.ids.done)
    ui.tap(screen.ids.done)  # and again: still refused
    assert ui.current == "keypad"
    assert screen.ids.reason.text == reason
    assert ui.app.terminal.narrator.last_words == [reason]
    assert tickets(ui) == before and ui.app.resident.ticket is None


def test_nothing_typed_is_refused_too(ui):
    _keys, screen = on_keypad(ui, "ru")
    ui.tap(screen.ids.done)
    assert ui.current == "keypad"
    assert screen.ids.reason.text == "Номер неполный: наберите 0 и ещё 9 цифр."


def test_a_good_number_is_read_back_in_groups_then_sent(ui):
    ui.app.terminal.headphones.plugged = True  # the number is said aloud only into them
    before = tickets(ui)
    keys, screen = on_keypad(ui)
    for d in "+994551234567":
        ui.tap(keys[d])
    assert screen.ids.number.text == "+994 55 123 45 67"
    ui.tap(screen.ids.done)
    readback = "Nömrəniz: +994 55 123 45 67. Düzdürsə, yenə «Hazırdır» düyməsinə toxunun."
    assert ui.current == "keypad" and screen.ids.reason.text == readback
    assert ui.app.terminal.narrator.last_words == [readback]
    ui.app.terminal.headphones.plugged = False
    ui.app.show("keypad", push=False, checked=ui.app.resident.phone)
    assert ui.app.terminal.narrator.last_words == [
        "13 rəqəm yazılıb. Göndərmək üçün Hazırdır düyməsini yenidən seçin."
    ]
    assert screen.ids.reason.text == readback  # shown, not said through the speaker
    ui.tap(screen.ids.done)
    assert ui.current == "ticket" and tickets(ui) == before + 1


def test_a_digit_changed_after_the_read_back_is_checked_again(ui):
    keys, screen = on_keypad(ui)
    for d in "0501234567":
        ui.tap(keys[d])
    ui.tap(screen.ids.done)
    ui.tap(keys["8"])  # one too many now
    ui.tap(screen.ids.done)
    assert ui.current == "keypad"
    assert screen.ids.reason.text == "Rəqəm çoxdur. Artıq rəqəmi silin."


def test_a_plus_only_starts_a_number(ui):
    keys, screen = on_keypad(ui)
    for k in "05+":
        ui.tap(keys[k])
    assert ui.app.resident.phone == "05"
