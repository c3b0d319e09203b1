"""The content studio shows the validator's problems in the admin's language, in
a real browser (Debian's chromium via Playwright): after a broken upload (a
source whose url is not a web page's) and a Russian text emptied in the form,
the page says both in Azerbaijani, and in Russian after the language switch,
each naming its file and item; the codes stay the same. The form's field names
switch with them."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from kiosk.browser import CHROMIUM, CHROMIUM_ARGS
from tests.fleet_support import PASSWORD, FleetHub

pytestmark = pytest.mark.browser

API = "/api/v1/studio/content"
ID_CARD = "services/id-card.toml"


@pytest.fixture
def hub(tmp_path):
    h = FleetHub(tmp_path / "hub", datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    h.store.add_volunteer("boss", "barda", PASSWORD, h.clock.now(), admin=True)
    yield h
    h.stop()


def test_a_broken_upload_is_shown_in_azerbaijani_then_russian(tmp_path, hub):
    shots = Path(os.environ.get("KOMEK_SCREENSHOTS", tmp_path))
    expect.set_options(timeout=30_000)  # each save is checked on a busy machine
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.add_init_script("localStorage.setItem('komek.lang', 'az')")
            page.goto(hub.url + "/console/")
            page.fill("#login-name", "boss")
            page.fill("#login-password", PASSWORD)
            page.click("#login-form button[type=submit]")
            expect(page.locator("#logout")).to_be_visible()

            # The broken upload: the file saved with a source at an ftp:// address.
            csrf = page.request.get(hub.url + "/api/v1/console/me").json()["csrf_token"]
            doc = page.request.get(f"{hub.url}{API}/files/{ID_CARD}").json()
            doc["data"]["sources"]["bpqmi-card"]["url"] = "ftp://bpqmi.gov.az/"
            r = page.request.put(
                f"{hub.url}{API}/files/{ID_CARD}",
                data={"base_revision": doc["revision"], "data": doc["data"]},
                headers={"X-CSRF-Token": csrf},
            )
            assert r.ok, r.text()

            page.goto(hub.url + "/studio/content/#" + ID_CARD)
            listed = page.locator("#all-problems a[data-code=source_bad_url]")
            expect(listed).to_have_text(
                f"{ID_CARD}: xidmət 'id-card' mənbə 'bpqmi-card': "
                "url 'ftp://bpqmi.gov.az/': https:// ilə başlamalıdır (http:// və başqaları olmaz)"
            )
            # And a Russian text emptied in the form: beside its field, in Azerbaijani.
            card = page.locator('.list-steps > .card[data-id="what"]')
            ru = card.locator('.field[data-key="text"] .lang-cell[data-lang="ru"]')
            ru.locator("textarea").fill("")
            note = ru.locator(".field-problem[data-code=text_empty]")
            expect(note).to_have_text("Problem: ru: 'text' mətni yoxdur (tərcümə yazılmayıb)")
            expect(page.locator("#publish")).to_be_disabled()
            card.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "content-studio-problems-az-1366.png"))

            name = card.locator('.field[data-key="text"] > .name')
            expect(name).to_have_text("göstərilən")
            page.click("[data-lang=ru]")
            # The form's field names follow the switch too, and what was typed stays.
            expect(name).to_have_text("показывается")
            expect(ru.locator("textarea")).to_have_value("")
            expect(
                card.locator('.field[data-key="text"] .lang-cell[data-lang="az"] textarea')
            ).not_to_have_value("")
            expect(listed).to_have_text(
                f"{ID_CARD}: услуга 'id-card' источник 'bpqmi-card': "
                "url 'ftp://bpqmi.gov.az/': должен начинаться с https:// (не http:// и не другое)"
            )
            expect(note).to_have_text("Проблема: ru: у 'text' нет текста (перевод не написан)")
            expect(page.locator("#all-problems")).to_contain_text(
                f"{ID_CARD}: услуга 'id-card' шаг 'what' [ru]: у 'text' нет текста"
            )
            card.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "content-studio-problems-ru-1366.png"))
            browser.close()
    finally:
        expect.set_options(timeout=5_000)
