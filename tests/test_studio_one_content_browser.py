"""One content for both studios, in a real browser (Debian's chromium, Playwright)
against a real hub: an admin approves a volunteer's recording in the voice
studio, publishes from the content studio, and a terminal installs a release
with that voice. The admin pages for volunteers (disable, remove) and the
activity log work in az and ru."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from kiosk.browser import CHROMIUM, CHROMIUM_ARGS
from kiosk.core.content import load_bundle
from kiosk.core.content.releases import list_releases
from kiosk.core.content.update import ContentUpdater, UpdateStatus
from kiosk.hub.studio import recordings
from tests._updates import Publisher, RepoServer, terminal_settings
from tests.fleet_support import PASSWORD, FleetHub
from tests.voice_support import speech_like, wav_bytes

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("one-content")
    publisher = Publisher(tmp / "offline")
    publisher.publish()
    publisher.hub_keys = publisher.delegate_to_hub(tmp / "hub-keys")
    hub = FleetHub(
        tmp / "hub",
        datetime.now().astimezone(),
        content_repo=str(publisher.repo),
        content_keys=str(publisher.hub_keys),
        content_source=str(publisher.src),
    )
    hub.store.add_volunteer("boss", "barda", PASSWORD, hub.clock.now(), admin=True)
    hub.store.add_volunteer("aysel", "barda", PASSWORD, hub.clock.now())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield tmp, hub, publisher, browser
        browser.close()
    hub.stop()


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


def page_as(browser, hub, name, lang="en", width=1280, height=800):
    context = browser.new_context(viewport={"width": width, "height": height})
    # The first language only: a switch on the page then holds on the next pages.
    context.add_init_script(
        f"if (!localStorage.getItem('komek.lang')) localStorage.setItem('komek.lang', '{lang}')"
    )
    page = context.new_page()
    page.goto(hub.url + "/studio/login")
    page.fill("#login-name", name)
    page.fill("#login-password", PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#logout")).to_be_visible()
    return page


def test_a_voice_approved_in_the_voice_studio_reaches_the_terminal(world):
    tmp, hub, publisher, browser = world
    shots = Path(os.environ.get("KOMEK_SCREENSHOTS", tmp))
    draft = hub.app.state.content_studio.draft
    row = recordings.add_recording(
        hub.store,
        hub.data_dir,
        load_bundle(draft.root),
        audio=wav_bytes(speech_like()),
        key="home.say",
        lang="az",
        by="aysel",
        consent="I agree",
        source="studio",
        now=hub.clock.now(),
    )
    page = page_as(browser, hub, "boss")
    page.goto(hub.url + "/studio/")
    card = page.locator('.text-card[data-key="home.say"]')
    card.locator("button[data-action=approve]").click()
    expect(card).to_have_attribute("data-state", "approved")

    page.goto(hub.url + "/studio/content/")
    expect(page.locator("#cs-status")).to_contain_text("1 change not published")
    expect(page.locator("#publish")).to_be_enabled()
    page.click("#publish")
    confirm = page.locator("#confirm")
    expect(confirm).to_contain_text("Publish version 2?")
    expect(confirm.locator('li[data-kind="recordings"][data-how="added"]')).to_contain_text(
        "az/home.say.wav"
    )
    # Cancelled: nothing is published.
    page.click("#confirm-no")
    expect(confirm).to_have_count(0)
    assert [r.version for r in list_releases(publisher.repo)] == [1]
    page.click("#publish")
    expect(confirm).to_be_visible()
    page.screenshot(path=str(shots / "content-publish-confirm-1280.png"))
    page.click("#confirm-yes")
    expect(page.locator("#banner")).to_contain_text("Published version 2", timeout=60_000)
    expect(page.locator('#releases li[data-version="2"]')).to_contain_text("boss")

    with RepoServer(publisher.repo) as server:
        terminal = ContentUpdater(terminal_settings(tmp, server.url, publisher.trusted_root))
        assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED
        assert terminal.switch_pending()
    installed = terminal.installed_dir()
    assert load_bundle(installed).strings["home.say"].audio["az"] == "audio/az/home.say.wav"
    recorded = (hub.data_dir / "recordings" / row["file"]).read_bytes()
    assert (installed / "audio" / "az" / "home.say.wav").read_bytes() == recorded

    # The fleet rolled back to version 1 from the studio: a NEW version 3 with the old content.
    page.locator('#releases li[data-version="1"] button[data-action=rollback]').click()
    expect(confirm).to_contain_text("Roll the terminals back to version 1?")
    expect(confirm.locator('li[data-kind="recordings"][data-how="removed"]')).to_contain_text(
        "az/home.say.wav"
    )
    page.click("#confirm-yes")
    expect(page.locator("#banner")).to_contain_text("version 3 is published")
    expect(page.locator('#releases li[data-version="3"]')).to_contain_text("back to version 1")
    with RepoServer(publisher.repo) as server:  # the same terminal, its host on a new port
        terminal = ContentUpdater(terminal_settings(tmp, server.url, publisher.trusted_root))
        result = terminal.check_once()
        assert result.status == UpdateStatus.UPDATED_STAGED, result.reason
        assert terminal.switch_pending()
    installed = terminal.installed_dir()
    back = load_bundle(installed)
    assert back.version == 3 and "az" not in back.strings["home.say"].audio

    # A pilot: version 4 for barda only, then given to every site as version 5.
    # (One touch, one action: the page takes the next tap 0.7 s after the last action.)
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    page.click("#publish")
    expect(confirm).to_contain_text("Publish version 4?")
    page.select_option("#confirm-pilot", "barda")
    page.click("#confirm-yes")
    expect(page.locator("#banner")).to_contain_text("Published version 4", timeout=60_000)
    pilot = page.locator('#releases li[data-version="4"]')
    expect(pilot).to_contain_text("pilot: barda")
    assert list_releases(publisher.repo)[0].sites == ("barda",)
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    pilot.locator("button[data-action=promote]").click()
    expect(confirm).to_contain_text("Give version 4 to every site?")
    page.click("#confirm-yes")
    expect(page.locator("#banner")).to_contain_text("version 5 is published")
    expect(page.locator('#releases li[data-version="5"]')).to_contain_text(
        "version 4 for every site"
    )
    newest = list_releases(publisher.repo)[0]
    assert (newest.version, newest.sites, newest.note) == (5, (), "version 4 for every site")


def test_admins_disable_and_remove_volunteers_and_see_the_activity(world):
    tmp, hub, _publisher, browser = world
    shots = Path(os.environ.get("KOMEK_SCREENSHOTS", tmp))
    volunteer = page_as(browser, hub, "aysel")
    assert volunteer.locator(".shell-nav a[data-nav=volunteers]").count() == 0

    page = page_as(browser, hub, "boss", lang="az", width=390, height=844)
    page.locator(".shell-nav a[data-nav=volunteers]").click()
    expect(page.locator("h1")).to_have_text("Könüllülər")
    row = page.locator('#vol-table tr[data-name="aysel"]')
    expect(row).to_contain_text("Aktiv")
    expect(page.locator('#vol-table tr[data-name="boss"]')).to_contain_text("(siz)")
    # No disable or remove on one's own account (a display name to save, yes).
    assert page.locator('#vol-table tr[data-name="boss"] button[data-action]').count() == 0
    page.once("dialog", lambda d: d.accept())
    row.locator("button[data-action=vol_disable]").click()
    expect(row.locator("td[data-state]")).to_have_attribute("data-state", "disabled")
    expect(page.locator("#vol-said")).to_have_text("aysel söndürüldü.")
    page.screenshot(path=str(shots / "admin-volunteers-az-390.png"), full_page=True)
    # Her open page is logged out: its next call is refused.
    assert volunteer.evaluate("fetch('/api/v1/console/queue').then(r => r.status)") == 401

    page.click("button[data-lang=ru]")
    expect(page.locator("h1")).to_have_text("Волонтёры")
    # One touch, one action: the page takes the next tap 0.7 s after the last action.
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    page.once("dialog", lambda d: d.accept())
    row.locator("button[data-action=vol_remove]").click()
    expect(page.locator("#vol-said")).to_have_text("aysel удалён(а).")
    expect(row).to_have_count(0)
    assert [v["name"] for v in hub.store.volunteers()] == ["boss"]

    page.locator(".shell-nav a[data-nav=activity]").click()
    expect(page.locator("h1")).to_have_text("Действия")
    first = page.locator("#act-table tbody tr").first
    expect(first).to_have_attribute("data-action", "volunteer.remove")
    expect(first).to_contain_text("Удалил(а) волонтёра")
    expect(page.locator('#act-table tr[data-action="content.publish"]').last).to_contain_text(
        "версия: 2"
    )
    expect(page.locator('#act-table tr[data-action="content.publish"]').first).to_contain_text(
        "пилот: barda"
    )
    expect(page.locator('#act-table tr[data-action="content.promote"]')).to_contain_text(
        "Выдал(а) пилотный выпуск всем"
    )
    expect(page.locator('#act-table tr[data-action="content.rollback"]')).to_contain_text(
        "записи -1"
    )
    expect(page.locator('#act-table tr[data-action="voice.approve"]')).to_contain_text("home.say")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "admin-activity-ru-390.png"), full_page=True)
