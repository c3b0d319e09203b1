"""A refused rollback says why in Russian on the page, in a real browser (Debian's
chromium via Playwright): version 2 is published from the studio, a file of
version 1 is then damaged in the repository, and "roll back to version 1" is
refused with the coded reason naming the version and the file, in Russian; the
fleet keeps version 2. The publish's confirmation lists the draft's voice warnings
in Russian and publishes anyway."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from kiosk.browser import CHROMIUM, CHROMIUM_ARGS
from kiosk.core.content.publish import published_bundle_version
from tests.fleet_support import PASSWORD, content_hub, content_publisher

pytestmark = pytest.mark.browser

API = "/api/v1/studio/content"
ID_CARD = "services/id-card.toml"


@pytest.fixture
def publisher(tmp_path):
    return content_publisher(tmp_path)


@pytest.fixture
def hub(tmp_path, publisher):
    h = content_hub(tmp_path, publisher, "boss")
    yield h
    h.stop()


def test_a_refused_rollback_says_why_in_russian(tmp_path, hub, publisher):
    shots = Path(os.environ.get("KOMEK_SCREENSHOTS", tmp_path))
    first = hashlib.sha256((publisher.src / ID_CARD).read_bytes()).hexdigest()
    expect.set_options(timeout=30_000)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.add_init_script("localStorage.setItem('komek.lang', 'ru')")
            page.goto(hub.url + "/console/")
            page.fill("#login-name", "boss")
            page.fill("#login-password", PASSWORD)
            page.click("#login-form button[type=submit]")
            expect(page.locator("#logout")).to_be_visible()

            # Version 2: a Russian spoken text names a web address; published from the
            # studio, whose confirmation warns (in Russian) without stopping it.
            csrf = page.request.get(hub.url + "/api/v1/console/me").json()["csrf_token"]
            doc = page.request.get(f"{hub.url}{API}/files/{ID_CARD}").json()
            step = doc["data"]["steps"][0]
            step["say"] = {**(step.get("say") or {}), "ru": "Откройте сайт www.e-gov.az"}
            r = page.request.put(
                f"{hub.url}{API}/files/{ID_CARD}",
                data={"base_revision": doc["revision"], "data": doc["data"]},
                headers={"X-CSRF-Token": csrf},
            )
            assert r.ok, r.text()
            page.goto(hub.url + "/studio/content/")
            expect(page.locator("#publish")).to_be_enabled()
            # The draft loaded (its problems listed: none) before Publish is pressed.
            expect(page.locator("#all-problems li.ok")).to_be_visible()
            page.click("#publish")
            warned = page.locator("#confirm-voice-warnings")
            expect(warned).to_contain_text("Синтетический голос прочтёт это неправильно")
            expect(warned).to_contain_text("веб-адрес читается вслух: назовите сайт словами")
            page.screenshot(path=str(shots / "content-studio-voice-warnings-ru-1366.png"))
            page.click("#confirm-yes")
            expect(page.locator("#banner")).to_contain_text("Опубликована версия 2")
            assert published_bundle_version(publisher.repo) == 2

            # Version 1's ID card file is damaged in the repository.
            (damaged,) = [f for f in publisher.repo.rglob(f"{first}.id-card.toml") if f.is_file()]
            damaged.write_bytes(b"# not what was signed\n")

            page.goto(hub.url + "/studio/content/")
            back = page.locator('#releases li[data-version="1"] button[data-action=rollback]')
            back.click()
            banner = page.locator("#banner")
            expect(banner).to_contain_text(
                "Файла этого выпуска нет в репозитории, или он повреждён; ничего не изменено."
            )
            expect(banner).to_contain_text(
                f"ничего не изменено. Версия 1: файл {ID_CARD} не совпадает со своей контрольной суммой"
            )
            expect(page.locator("#confirm")).to_have_count(0)  # nothing to confirm
            page.screenshot(path=str(shots / "content-studio-rollback-refused-ru-1366.png"))

            # The voice studio marks the Russian texts the synthetic voice would misread.
            page.goto(hub.url + "/studio/")
            page.select_option("#voice-lang", "ru")
            warn = page.locator(".text-card .text-warn").first
            expect(warn).to_contain_text(
                "Синтетический голос прочтёт это неправильно: латинские слова"
            )
            warn.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "voice-studio-warnings-ru-1366.png"))
            browser.close()
    finally:
        expect.set_options(timeout=5_000)
    assert published_bundle_version(publisher.repo) == 2  # the fleet keeps version 2
