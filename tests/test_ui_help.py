"""Call a helper: a ticket at once, on screen and spoken, delivered to the hub;
one ticket per resident however often the button is pressed."""

import time

import pytest

from kiosk.core.narration.numbers import ticket_words

pytestmark = pytest.mark.ui


def in_service(ui, service="social-assistance", lang="az"):
    ui.app.begin()
    ui.app.choose_language(lang)
    ui.app.open_service(service)
    ui.frames(3)


def wait_until(ui, cond, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ui.frames(1)
        if cond():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def test_call_a_helper_from_any_screen_gives_a_ticket_at_once(ui):
    in_service(ui)
    ui.tap(ui.app.root.ids.help)
    assert ui.current == "help"
    ui.tap(ui.app.sm.get_screen("help").ids.ticket)
    assert ui.current == "ticket"
    number = ui.app.resident.ticket
    letter = ui.app.terminal.settings["kiosk.ticket_letter"]
    assert number.startswith(letter + "-") and len(number) == 5
    screen = ui.app.sm.get_screen("ticket")
    assert screen.ids.number.text == number
    words = ui.app.terminal.narrator.last_words
    # The number in words, as the waiting-room display calls it ("A on dörd"),
    # after "your slip is printing" while it prints.
    start = words.index("Sizin nömrəniz:")
    assert words[start + 1] == ticket_words(number, "az")
    assert not any(ch.isdigit() for ch in words[start + 1])
    # The outbox delivers it to the hub with its topic, in the background.
    wait_until(
        ui,
        lambda: any(
            r.get("topic") == "social-assistance" or "social-assistance" in str(r)
            for r in ui.hub.stored.values()
        ),
    )


def test_pressing_help_again_shows_the_same_ticket(ui):
    in_service(ui)
    ui.app.call_helper()
    ui.app.issue_ticket("")
    first = ui.app.resident.ticket
    ui.tap(ui.app.root.ids.back)
    for _ in range(5):
        ui.app.call_helper()
    assert ui.current == "ticket" and ui.app.resident.ticket == first


def test_phone_number_on_the_keypad_goes_with_the_request_not_on_screen(ui):
    ui.app.terminal.headphones.plugged = True  # the number read back into them
    in_service(ui, "id-card", "ru")
    ui.app.call_helper()
    ui.tap(ui.app.sm.get_screen("help").ids.phone)
    assert ui.current == "keypad"
    keys = {b.key: b for b in ui.find("KeyButton")}
    for d in "0501234567":
        ui.tap(keys[d])
    assert ui.app.sm.get_screen("keypad").ids.number.text == "050 123 45 67"  # grouped to check
    ui.tap(ui.app.sm.get_screen("keypad").ids.done)
    assert ui.current == "keypad"  # read back first, in groups
    assert ui.app.terminal.narrator.last_words == [
        "Ваш номер: 050 123 45 67. Если верно, нажмите «Готово» ещё раз."
    ]
    ui.tap(ui.app.sm.get_screen("keypad").ids.done)
    assert ui.current == "ticket"
    assert "0501234567" not in ui.app.sm.get_screen("ticket").ids.number.text
    assert ui.app.resident.phone == ""
    wait_until(ui, lambda: any("0501234567" in str(r) for r in ui.hub.stored.values()))
    sent = [r for r in ui.hub.stored.values() if r["phone"] == "0501234567"]
    assert sent[-1]["lang"] == "ru"  # the volunteer greets the resident in their language


def test_a_new_resident_gets_a_new_ticket(ui):
    in_service(ui)
    ui.app.call_helper()
    ui.app.issue_ticket("")
    first = ui.app.resident.ticket
    ui.app.start_over()
    in_service(ui)
    ui.app.call_helper()
    assert ui.current == "help"
    ui.app.issue_ticket("")
    assert ui.app.resident.ticket != first


def test_usage_is_counted_without_personal_data(ui):
    from datetime import datetime

    usage = ui.app.terminal.usage
    day = datetime.now().date().isoformat()
    before = usage.totals(day).get("id-card", {})
    in_service(ui, "id-card")
    ui.app.call_helper()
    ui.app.issue_ticket("0509998877")
    after = usage.totals(day)["id-card"]
    assert after.get("opened", 0) == before.get("opened", 0) + 1
    assert after.get("help", 0) == before.get("help", 0) + 1
    assert "0509998877" not in str(usage.unsent())


def test_sessions_and_finished_flows_are_counted_for_the_impact_report(ui):
    """One resident is one session; reaching a flow's finish step counts it as
    finished once, however often the resident comes back to it."""
    from datetime import datetime

    from kiosk.core.content.model import StepKind

    usage = ui.app.terminal.usage
    day = datetime.now().date().isoformat()
    before = usage.totals(day)
    in_service(ui, "id-card")
    nav = ui.app.navigator
    for _ in range(30):  # Next, or the first choice that stays in the flow, until the end
        if nav.step.kind == StepKind.FINISH:
            break
        if nav.can_go_next():
            ui.app.next_step()
        else:
            index = next(i for i, c in enumerate(nav.choices()) if c.go or c.flow)
            ui.app.choose(index)
    assert nav.step.kind == StepKind.FINISH
    ui.app.go_back()
    ui.frames(2)
    if nav.can_go_next():
        ui.app.next_step()  # the finish step again: not a second finished flow
    after = usage.totals(day)
    svc = nav.service.id
    assert after[""]["sessions"] == before.get("", {}).get("sessions", 0) + 1
    assert after[svc]["finished"] == before.get(svc, {}).get("finished", 0) + 1


def test_the_ticket_shows_people_ahead_and_the_wait_from_the_hub(ui):
    from kiosk.core.helpdesk.model import QueueStatus, RequestStatus

    in_service(ui)
    ui.app.call_helper()
    ui.app.issue_ticket("")
    ticket = ui.app.terminal._tickets[ui.app.resident.ticket]
    ui.hub.statuses[ticket.key] = QueueStatus(RequestStatus.WAITING, 2, 9)
    wait_until(ui, lambda: ticket.key in ui.hub.stored)  # delivered by the outbox
    ui.app._ask_queue()
    screen = ui.app.sm.get_screen("ticket")
    wait_until(ui, lambda: "2" in screen.ids.ahead.text)
    assert screen.ids.ahead.text == "Qabağınızda 2 nəfər var\nTəxminən 9 dəqiqə gözləmə"


def test_without_espeak_the_screen_shows_that_sound_is_off(ui, monkeypatch):
    from tests.fakes import RecordingNarrator

    monkeypatch.setattr(ui.app.terminal, "narrator", RecordingNarrator(available=False))
    in_service(ui)
    assert ui.app.sound_off
    assert ui.app.root.ids.sound_notice.text == "Səs işləmir"
    assert ui.app.root.ids.speaker.icon == "volume-off"


def test_a_full_disk_sends_the_resident_to_a_person_and_records_the_fault(ui, monkeypatch):
    import sqlite3

    def full(*_a, **_k):
        raise sqlite3.OperationalError("database or disk is full")

    in_service(ui)
    monkeypatch.setattr(ui.app.terminal.helpdesk, "request", full)
    ui.app.call_helper()
    ui.tap(ui.app.sm.get_screen("help").ids.ticket)
    assert ui.current == "help"  # no ticket shown that was never stored
    assert ui.app.resident.ticket is None
    screen = ui.app.sm.get_screen("help")
    assert screen.ids.words.text.startswith("Bağışlayın")
    assert ui.app.terminal.narrator.last_words[0].startswith("Bağışlayın")
    assert any("disk is full" in f for f in ui.app.terminal.faults)


def test_people_ahead_show_as_soon_as_the_hub_knows_the_ticket(ui):
    in_service(ui)
    ui.app.call_helper()
    ui.app.issue_ticket("")
    screen = ui.app.sm.get_screen("ticket")
    # No waiting for a 20-second poll: asked again soon after the outbox delivers.
    wait_until(ui, lambda: screen.ids.ahead.text.startswith("Qabağınızda"), seconds=6)


def test_without_the_hub_the_ticket_screen_says_the_number_is_kept(ui):
    ui.hub.up = False
    try:
        in_service(ui)
        ui.app.call_helper()
        ui.app.issue_ticket("")
        screen = ui.app.sm.get_screen("ticket")
        wait_until(ui, lambda: screen.ids.ahead.text != "", seconds=10)
        assert screen.ids.ahead.text == (
            "Köməkçilərlə hələ əlaqə yoxdur. Nömrəniz saxlanıb, sizi çağıracaqlar."
        )
    finally:
        ui.hub.up = True


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("az", "Nömrə köməkçilərə çatmadı. Könüllüyə yaxınlaşın"),
        ("ru", "Номер не дошёл до помощников. Подойдите к волонтёру"),
    ],
)
def test_a_ticket_the_hub_refused_sends_the_resident_to_a_person(ui, lang, words):
    from kiosk.core.helpdesk.model import HubRejected

    ui.hub.reject = HubRejected(403, "revoked terminal key")
    try:
        in_service(ui, lang=lang)
        ui.app.call_helper()
        ui.app.issue_ticket("")
        screen = ui.app.sm.get_screen("ticket")
        # Never "you will be called" for a number the helpers do not have: said and shown.
        wait_until(ui, lambda: screen.ids.ahead.text.startswith(words), seconds=20)
        assert "142" in screen.ids.ahead.text
        said = ui.app.terminal.narrator.said  # the slip's "take it" may be said after it
        wait_until(ui, lambda: any(words in line.words for lines in said for line in lines))
    finally:
        ui.hub.reject = None
        ui.app.start_over()  # no queue polling left behind for the next test
