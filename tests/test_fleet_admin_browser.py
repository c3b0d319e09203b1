"""The fleet admin page in a real browser (Debian's chromium via Playwright) at
laptop size: reached from the console's "Terminals" link after login, every
terminal in one table without sideways scrolling, states in words as well as
colours, and markup in a terminal's error shown as text."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from kiosk.browser import CHROMIUM, CHROMIUM_ARGS
from kiosk.core.helpdesk import RequestsHubTransport
from tests.fleet_support import PASSWORD, FleetHub

pytestmark = pytest.mark.browser

EVIL_ERROR = "<img src=x onerror=window.__pwned=1>printer error: USBError [Errno 19] No such device"


def send(hub: FleetHub, name: str, **status) -> None:
    key = hub.add_terminal(name)
    body = {
        "content_version": 12,
        "printer": "ok",
        "uptime_seconds": 3 * 86400 + 7200,
        "app_version": "0.1.0",
        "interval_seconds": 60,
        "usage": [],
    }
    body.update(status)
    RequestsHubTransport(hub.url, key, 5.0).send_heartbeat(body)


@pytest.fixture
def hub(tmp_path):
    h = FleetHub(tmp_path / "hub", datetime.now().astimezone())
    today = h.clock.now().date().isoformat()
    usage = [
        {"day": today, "service": "id-card", "opened": 41, "printed": 17, "help": 3},
        {"day": today, "service": "social-assistance", "opened": 12, "printed": 5, "help": 6},
        {"day": today, "service": "", "opened": 0, "printed": 0, "help": 2},
    ]
    send(h, "barda-hall-1", usage=usage)
    send(h, "barda-hall-2", printer="no_paper", last_error="printer no_paper: out of paper")
    send(h, "barda-library", printer="error", last_error=EVIL_ERROR, content_version=11)
    h.clock.advance(minutes=5)  # the library terminal and the others went quiet...
    send(h, "barda-hall-1", usage=usage)  # ...except these two
    send(h, "barda-hall-2", printer="no_paper", last_error="printer no_paper: out of paper")
    h.add_terminal("barda-school")  # a key handed out, never used yet
    h.store.add_volunteer("boss", "barda", PASSWORD, h.clock.now(), admin=True)
    yield h
    h.stop()


def test_the_admin_page_at_laptop_size(hub, tmp_path):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.add_init_script("localStorage.setItem('komek.lang', 'en')")
        page.goto(hub.url + "/console/")
        page.fill("#login-name", "boss")
        page.fill("#login-password", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.click(".shell-nav a[data-nav=terminals]")  # "Terminals" in every page's bar
        expect(page.locator("h1")).to_have_text("Terminals")

        rows = page.locator("table.terminals tbody tr")
        expect(rows).to_have_count(4)
        expect(page.locator(".summary")).to_contain_text("2 of 4")
        expect(page.locator("tr", has_text="barda-library").locator(".badge.down")).to_have_text(
            "Down"
        )
        expect(page.locator("tr", has_text="barda-school")).to_contain_text("Never seen")
        expect(page.locator("tr", has_text="barda-hall-2")).to_contain_text("No paper")
        expect(page.locator("tr", has_text="barda-library")).to_contain_text(EVIL_ERROR)
        assert page.evaluate("window.__pwned") is None
        expect(page.locator("table.services")).to_contain_text("41")

        # Laptop size: no sideways scrolling, neither of the page nor of the table.
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        assert page.evaluate(
            "[...document.querySelectorAll('.scroll')].every(e => e.scrollWidth <= e.clientWidth)"
        )
        shots = Path(os.environ.get("KOMEK_SCREENSHOTS", tmp_path))
        page.screenshot(path=str(shots / "fleet-admin-1366.png"), full_page=True)
        browser.close()
