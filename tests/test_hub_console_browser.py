"""The volunteers' console in a real browser (Debian's chromium driven by
Playwright): log in, see a request made through the kiosk's HelpDesk client
arrive live, call it, serve it, mark it done; markup in a name or a note shows
as text and never runs; the page fits a phone without sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from kiosk.browser import CHROMIUM, CHROMIUM_ARGS
from kiosk.core.helpdesk import HelpDesk, RequestsHubTransport, SystemClock
from tests.helpdesk_support import RunningHub, kiosk_settings, wait_for

pytestmark = pytest.mark.browser

PASSWORD = "volunteer-pass-1"
EVIL_NAME = "<img src=x onerror=__pwned=1>Aysel"  # fits the 40-letter name limit
EVIL_NOTE = "<b>bold</b><script>window.__pwned = 2</script> needs SİMA"


@pytest.fixture
def hub(tmp_path):
    running = RunningHub(tmp_path / "hub")
    store = running.store()
    now = SystemClock().now()
    running.key = store.add_terminal("hall-1", "barda", now)
    store.add_volunteer("aysel", "barda", PASSWORD, now)
    store.close()
    running.start()
    yield running
    running.stop()


@pytest.fixture
def desk(tmp_path, hub):
    d = HelpDesk(
        kiosk_settings(tmp_path),
        tmp_path / "kiosk" / "kiosk.db",
        RequestsHubTransport(hub.url, hub.key, timeout=2),
        retry_base_seconds=0.05,
        retry_max_seconds=0.5,
    )
    d.start()
    yield d
    d.close()


@pytest.fixture
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def log_in(page, hub):
    page.goto(hub.url + "/console/")
    page.fill("#login-name", "aysel")
    page.fill("#login-password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page.locator("#queue-view")).to_be_visible()


def settled(page) -> None:
    expect(page.locator("#queue-view")).not_to_have_attribute("aria-busy", "true")


def test_a_volunteer_works_a_kiosk_request_to_done(hub, desk, browser):
    page = browser.new_page(locale="en-US", viewport={"width": 1366, "height": 768})
    page.add_init_script("localStorage.setItem('komek.lang', 'en')")
    log_in(page, hub)
    expect(page.locator("#empty")).to_be_visible()

    ticket = desk.request("id-card", "session-1", EVIL_NAME, "0501234567", lang="ru")

    card = page.locator(f".card:has(.ticket:text-is('{ticket.number}'))")
    expect(card).to_be_visible(timeout=10_000)
    expect(page.locator("#alert")).to_contain_text(ticket.number)
    expect(card.locator(".status")).to_have_text("Waiting")
    expect(card.locator(".topic")).to_have_text("ID card")
    expect(card.locator(".lang")).to_have_text("Language: Русский")
    # The name arrives as text: the markup is visible and nothing ran.
    expect(card.locator(".name")).to_have_text(EVIL_NAME)
    assert card.locator("img").count() == 0
    expect(card.locator(".phone")).to_have_attribute("href", "tel:0501234567")

    settled(page)  # one action at a time: the queue waits a moment after each
    card.locator("button[data-action=call]").click()
    expect(card.locator(".status")).to_have_text("Called")

    card.locator(".note-input").fill(EVIL_NOTE)
    settled(page)  # a note's Save too (on a phone its editor folds, buttons move)
    card.locator(".note-save").click()
    wait_for(lambda: hub.stored_requests()[0]["note"] == EVIL_NOTE, what="the note saved")

    settled(page)  # one action at a time: the queue waits a moment after each
    card.locator("button[data-action=serve]").click()
    expect(card.locator(".status")).to_have_text("Being served")
    settled(page)  # one action at a time: the queue waits a moment after each
    card.locator("button[data-action=done]").click()

    finished = page.locator(f"#done-list .card:has(.ticket:text-is('{ticket.number}'))")
    expect(finished.locator(".status")).to_have_text("Done")
    expect(finished.locator(".note-view")).to_have_text(EVIL_NOTE)
    assert finished.locator("b, script").count() == 0
    expect(page.locator("#open-list .card")).to_have_count(0)
    assert page.evaluate("window.__pwned") is None

    [row] = hub.stored_requests()
    assert (row["status"], row["note"], row["updated_by"]) == ("done", EVIL_NOTE, "aysel")

    # Same page in Azerbaijani.
    page.click("button[data-lang=az]")
    expect(finished.locator(".status")).to_have_text("Bitdi")


def test_the_console_fits_a_phone(hub, desk, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    log_in(page, hub)
    desk.request("social-assistance", "session-1", "Gülnarə", "+994501234567")
    expect(page.locator(".card")).to_have_count(1, timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    smallest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('.card button')]"
        ".filter(b => b.getClientRects().length)"
        ".map(b => Math.min(b.offsetWidth, b.offsetHeight)))"
    )
    assert smallest >= 44  # touch targets a thumb can hit


def test_logging_out_hides_the_queue(hub, desk, browser):
    page = browser.new_page()
    log_in(page, hub)
    desk.request("id-card", "session-1", "Aysel")
    expect(page.locator(".card")).to_have_count(1, timeout=10_000)
    page.click("#logout")
    expect(page.locator("#login-form")).to_be_visible()
    page.reload()
    expect(page.locator("#login-form")).to_be_visible()
    assert "Aysel" not in page.content()


def test_the_console_reconnects_after_a_hub_restart(hub, desk, browser):
    page = browser.new_page()
    log_in(page, hub)
    hub.stop()
    expect(page.locator("#offline")).to_be_visible(timeout=10_000)
    ticket = desk.request("id-card", "session-1")  # issued while the hub is down
    hub.start()
    # The page reconnects by itself and the outbox delivers the waiting ticket.
    expect(page.locator(f".card:has(.ticket:text-is('{ticket.number}'))")).to_be_visible(
        timeout=15_000
    )
    expect(page.locator("#offline")).to_be_hidden()


def test_a_waiting_resident_who_left_is_marked_not_here(hub, desk, browser):
    page = browser.new_page(locale="en-US", viewport={"width": 1366, "height": 768})
    page.add_init_script("localStorage.setItem('komek.lang', 'en')")
    log_in(page, hub)
    ticket = desk.request(None, "session-gone", lang="az")
    card = page.locator(f".card:has(.ticket:text-is('{ticket.number}'))")
    expect(card.locator(".status")).to_have_text("Waiting", timeout=10_000)
    page.once("dialog", lambda dialog: dialog.accept())  # "A-001 did not come?"
    card.locator("button[data-action=no-show]").click()
    finished = page.locator(f"#done-list .card:has(.ticket:text-is('{ticket.number}'))")
    expect(finished.locator(".status")).to_have_text("No-show")
    expect(page.locator("#open-list .card")).to_have_count(0)


def test_a_renumbered_ticket_shows_its_slip_number_and_an_old_one_its_day(
    tmp_path, hub, desk, browser
):
    from datetime import timedelta

    from kiosk.core.helpdesk import FakeClock

    first = desk.request(None, "before-wipe")
    wait_for(lambda: desk.delivered(first), what="first delivery")
    # The same terminal with a wiped data folder and a clock a day behind.
    clock = FakeClock(SystemClock().now() - timedelta(days=1))
    wiped = HelpDesk(
        kiosk_settings(tmp_path / "wiped"),
        tmp_path / "wiped" / "kiosk.db",
        RequestsHubTransport(hub.url, hub.key, timeout=2),
        clock,
    )
    try:
        again = wiped.request(None, "after-wipe")
        assert again.number == first.number  # it forgot
        assert wiped.deliver_due() == 1
        shown = wiped.ticket_for_session("after-wipe").number
        assert shown != first.number
    finally:
        wiped.close()
    for lang, slip in (("en", "slip says"), ("az", "qəbzdə"), ("ru", "на талоне")):
        page = browser.new_page(locale="en-US", viewport={"width": 390, "height": 844})
        page.add_init_script(f"localStorage.setItem('komek.lang', '{lang}')")
        log_in(page, hub)
        card = page.locator(f".card:has(.ticket:text-is('{shown}'))")
        expect(card.locator(".ticket-extra")).to_have_text(f"{slip} {first.number}")
        expect(card.locator(".day-marker")).to_be_visible()  # issued on another day
        plain = page.locator(f".card:has(.ticket:text-is('{first.number}'))")
        expect(plain.locator(".ticket-extra")).to_be_hidden()
        expect(plain.locator(".day-marker")).to_be_hidden()
        page.screenshot(path=str(tmp_path / f"console-renumbered-{lang}.png"), full_page=True)
        page.close()
