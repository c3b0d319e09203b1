"""Print my slip from the finish screen: printed, or the QR on screen when the
printer cannot print. The screen never waits for the printer."""

import time

import pytest

from kiosk.core.flow import Position
from kiosk.core.slips import PrintStatus

pytestmark = pytest.mark.ui


def to_finish(ui, service="id-card", lang="ru"):
    ui.app.begin()
    ui.app.choose_language(lang)
    ui.app.open_service(service)
    finish = [s.id for s in ui.app.terminal.bundle.services[service].steps if s.kind == "finish"][0]
    ui.app.navigator.history.append(Position(service, finish))
    ui.app.show("step", push=False)
    ui.frames(3)  # laid out, so the touch lands on the button
    step = ui.app.sm.get_screen("step")
    return list(reversed(step.ids.body.children[0].children))  # the finish choices


def wait_for_slip_state(ui, wanted, seconds=20):
    deadline = time.monotonic() + seconds
    screen = ui.app.sm.get_screen("slip")
    while time.monotonic() < deadline:
        ui.frames(1)
        if screen.state == wanted:
            return screen
        time.sleep(0.02)
    raise AssertionError(f"slip screen stayed {screen.state!r}")


def test_print_my_slip_prints_and_says_take_your_slip(ui):
    printer = ui.app.terminal.printer
    before = len(printer.printed)
    slip_button = to_finish(ui)[0]
    ui.tap(slip_button)
    assert ui.current == "slip"
    screen = wait_for_slip_state(ui, "printed")
    assert len(printer.printed) == before + 1
    assert printer.printed[-1].width == 576  # 80 mm by default
    assert screen.ids.qr.opacity == 0
    assert ui.app.terminal.narrator.last_words == ["Возьмите памятку."]


def test_out_of_paper_shows_the_link_as_a_large_qr_and_records_the_fault(ui):
    ui.app.terminal.printer.state = PrintStatus.NO_PAPER
    ui.tap(to_finish(ui, "social-assistance")[0])
    screen = wait_for_slip_state(ui, "failed")
    assert screen.ids.qr.opacity == 1 and screen.ids.qr.texture is not None
    assert screen.ids.qr.width >= ui.app.theme.mm(50)
    assert screen.ids.link.text == "sosial.gov.az"  # the service's own page, not the portal home
    assert ui.app.terminal.narrator.last_words == [
        "Принтер не работает. Наведите камеру телефона на этот код."
    ]
    assert any("no_paper" in f for f in ui.app.terminal.faults)


def test_a_hung_printer_never_freezes_the_screen(ui):
    printer = ui.app.terminal.printer
    printer.hang = True
    ui.app.terminal.spooler.timeout = 0.5
    try:
        ui.tap(to_finish(ui)[0])
        # The UI keeps drawing frames while the printer hangs, and ends on the QR.
        screen = wait_for_slip_state(ui, "failed")
        ui.tap(screen.ids.done)
        assert ui.current == "attract"
    finally:
        printer.release()
        ui.app.terminal.spooler.timeout = ui.base_settings["printer.timeout_seconds"]


def test_no_way_back_while_printing_then_done_ends_the_session(ui):
    printer = ui.app.terminal.printer
    printer.hang = True
    try:
        ui.tap(to_finish(ui)[0])
        assert ui.current == "slip" and not ui.app.can_back
        assert ui.app.sm.get_screen("slip").ids.done.hidden
    finally:
        printer.hang = False
        printer.release()
    screen = wait_for_slip_state(ui, "printed")
    # The resident is done: one way on, Done, and it ends the session.
    assert not ui.app.can_back and not ui.app.can_home and not screen.ids.done.hidden
    session = ui.app.resident.id
    ui.tap(screen.ids.done)
    assert ui.current == "attract"
    assert ui.app.navigator.position is None and ui.app.trail == []
    assert ui.app.resident.id != session and ui.app.lang == "az"
