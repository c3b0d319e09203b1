"""The content studio in a real browser (Debian's chromium via Playwright) at
laptop size: an admin changes a step's Azerbaijani text, sees the problem
beside the field and the screen picture change, publishes; a terminal then
runs `kiosk update --once` and has the new text. A volunteer gets 403."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from kiosk.browser import CHROMIUM, CHROMIUM_ARGS
from kiosk.cli import main
from kiosk.core.content import load_bundle
from kiosk.core.content.update import ContentUpdater
from kiosk.paths import DEFAULT_CONTENT
from tests._updates import RepoServer, terminal_settings
from tests.fleet_support import PASSWORD, FleetHub, content_hub, content_publisher

pytestmark = pytest.mark.browser

NEW_TEXT = "Vəsiqəni ASAN xidmət mərkəzində alırsınız. Növbə gözləmədən."
PICTURE_TIMEOUT_MS = 180_000  # the first picture starts Kivy in the renderer process


@pytest.fixture
def publisher(tmp_path):
    return content_publisher(tmp_path)


@pytest.fixture
def hub(tmp_path, publisher):
    h = content_hub(tmp_path, publisher, "boss", nigar=False)
    yield h
    h.stop()


@pytest.fixture(autouse=True)
def patient_expect():
    """Each save is checked and drawn on a busy two-core machine: wait longer than 5 s."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


def log_in(page, hub: FleetHub, name: str) -> None:
    page.goto(hub.url + "/console/")
    page.fill("#login-name", name)
    page.fill("#login-password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page.locator("#logout")).to_be_visible()


def test_an_admin_edits_checks_sees_and_publishes(tmp_path, hub, publisher):
    shots = Path(os.environ.get("KOMEK_SCREENSHOTS", tmp_path))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.add_init_script("localStorage.setItem('komek.lang', 'en')")
        log_in(page, hub, "boss")
        page.goto(hub.url + "/studio/content/#services/id-card.toml")

        # What every fact rests on, as `kiosk content sources` lists it.
        expect(page.locator("#sources-title")).to_have_text("Sources to recheck")
        expect(page.locator("#sources-summary")).to_contain_text("without a source (today ")
        expect(page.locator("#sources-list")).to_contain_text("service id-card")
        page.locator("#sources-title").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "content-studio-sources-1366.png"))

        card = page.locator('.list-steps > .card[data-id="what"]')
        az = card.locator('.field[data-key="text"] .lang-cell[data-lang="az"]')
        shipped = load_bundle(DEFAULT_CONTENT).services["id-card"]
        what = next(s for s in shipped.steps if s.id == "what")
        expect(az.locator("textarea")).to_have_value(what.text.values["az"])
        card.locator("button", has_text="Show screen").click()
        picture = page.locator("#pv-img")
        expect(picture).to_be_visible(timeout=PICTURE_TIMEOUT_MS)
        expect(picture).not_to_have_attribute("aria-busy", "true", timeout=PICTURE_TIMEOUT_MS)
        expect(page.locator("#pv-what")).to_have_text("id-card · step what")
        before = picture.get_attribute("src")

        # Emptied: the problem appears beside the Azerbaijani field; Publish is off.
        az.locator("textarea").fill("")
        expect(az.locator(".field-problem")).to_contain_text("'text' has no text")
        expect(page.locator("#publish")).to_be_disabled()
        expect(page.locator("#all-problems")).to_contain_text("[az]: 'text' has no text")
        expect(page.locator("a[data-path='services/id-card.toml'] .count")).to_have_text(
            "1 problem"
        )
        expect(page.locator("#save-state")).to_contain_text("Saved (version 1)")
        card.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "content-studio-problem-1366.png"))
        expect(picture).not_to_have_attribute("aria-busy", "true", timeout=PICTURE_TIMEOUT_MS)
        emptied = picture.get_attribute("src")  # the draft is still drawn, without that text
        assert emptied != before

        # New text: saved, checked, no problem left, and the screen is drawn again.
        az.locator("textarea").fill(NEW_TEXT)
        expect(page.locator("#save-state")).to_contain_text("Saved (version 2)")
        expect(az.locator(".field-problem")).to_have_count(0)
        expect(page.locator("#all-problems")).to_contain_text("No problems")
        expect(picture).not_to_have_attribute("aria-busy", "true", timeout=PICTURE_TIMEOUT_MS)
        expect(page.locator("#pv-state")).to_have_text("Everything fits.")
        assert picture.get_attribute("src") not in (before, emptied)
        expect(page.locator("#history")).to_contain_text("boss")
        page.screenshot(path=str(shots / "content-studio-1366.png"))

        # A file linked into the hub's draft is refused, and the page says why in the
        # admin's language (Azerbaijani here); nothing it points at is published.
        link = hub.data_dir / "studio" / "content" / "notes.txt"
        (tmp_path / "outside.txt").write_text("not for the terminals", "utf-8")
        link.symlink_to(tmp_path / "outside.txt")
        page.click("[data-lang=az]")
        page.click("#publish")
        page.click("#confirm-yes")
        expect(page.locator("#banner li")).to_have_text(
            "notes.txt: simvolik keçiddir; faylın özünü paketə köçürün", timeout=60_000
        )
        link.unlink()
        page.click("[data-lang=en]")

        # One touch, one action: the page takes the next tap 0.7 s after the last action.
        expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
        expect(page.locator("#publish")).to_be_enabled()
        page.click("#publish")
        # Asked first, with what changes for the fleet.
        expect(page.locator("#confirm")).to_contain_text("Services changed (1): id-card")
        page.click("#confirm-yes")
        expect(page.locator("#banner")).to_contain_text("Published version 2", timeout=60_000)
        expect(page.locator("#cs-status")).to_contain_text("published: version 2")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366

        # A volunteer, logged in, is turned away.
        other = browser.new_page(viewport={"width": 1366, "height": 768})
        log_in(other, hub, "nigar")
        response = other.goto(hub.url + "/studio/content/")
        assert response.status == 403
        expect(other.locator("h1")).to_have_text("Admins only")
        browser.close()

    # A terminal configured with the repository installs the hub's release.
    with RepoServer(publisher.repo) as server:
        settings = terminal_settings(tmp_path, server.url, publisher.trusted_root)
        config = tmp_path / "kiosk.toml"
        config.write_text(
            f'[kiosk]\ndata_dir = "{settings["kiosk.data_dir"]}"\n'
            f'[updates]\nrepo_url = "{server.url}"\ntrusted_root = "{publisher.trusted_root}"\n',
            encoding="utf-8",
        )
        assert main(["update", "--once", "--config", str(config)]) == 0
    installed = load_bundle(ContentUpdater(settings).installed_dir())
    assert installed.version == 2
    what = next(s for s in installed.services["id-card"].steps if s.id == "what")
    assert what.text.values["az"] == NEW_TEXT
