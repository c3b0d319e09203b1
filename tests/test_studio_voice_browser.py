"""The voice studio in a real browser (Debian's chromium, Playwright) with a fake
microphone fed from a WAV file: a volunteer on a phone-sized touch screen logs
in, records the home screen's text, listens and sends it; an admin approves it
in the studio; the export puts it in a bundle; and the terminal's narrator plays
that recording instead of synthesising. The page fits the phone and its
buttons are thumb-sized."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import numpy as np
import pytest
from narration_support import make_test_narrator
from playwright.sync_api import expect, sync_playwright

from kiosk.browser import CHROMIUM, CHROMIUM_ARGS
from kiosk.core.content import load_bundle
from kiosk.core.narration import FakeEngine
from kiosk.core.narration.script import home_lines
from kiosk.hub.studio.recordings import export
from kiosk.paths import DEFAULT_CONTENT
from tests.fleet_support import PASSWORD, FleetHub
from tests.voice_support import lufs, speech_like, write_wav

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def hub(tmp_path):
    h = FleetHub(tmp_path / "hub", datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    h.store.add_volunteer("aysel", "barda", PASSWORD, h.clock.now())
    h.store.add_volunteer("boss", "barda", PASSWORD, h.clock.now(), admin=True)
    yield h
    h.stop()


@pytest.fixture
def browser(tmp_path):
    # A quiet voice on a loop, as a phone held a little too far away hears it.
    mic = write_wav(tmp_path / "mic.wav", np.tile(speech_like(seconds=2.0, peak=0.05), 3))
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",  # "allow the microphone" answered yes
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={mic}",
    ]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=args)
        yield b
        b.close()


def log_in(page, hub, name):
    page.goto(hub.url + "/studio/")
    expect(page.locator("#login-form")).to_be_visible()  # asked for a login first
    page.fill("#login-name", name)
    page.fill("#login-password", PASSWORD)
    page.locator("#login-form button[type=submit]").tap()
    expect(page.locator(".text-card").first).to_be_visible()


def test_a_volunteer_records_on_a_phone_an_admin_approves_and_the_terminal_plays_it(
    hub, browser, tmp_path, settings
):
    volunteer = browser.new_context(**PHONE)
    volunteer.add_init_script("localStorage.setItem('komek.lang', 'en')")
    page = volunteer.new_page()
    log_in(page, hub, "aysel")
    assert page.locator(".shell-nav a[data-nav=content]").count() == 0
    assert page.locator(".text-card").first.get_attribute("data-key") == "language.say"

    card = page.locator('.text-card[data-key="home.say"]')
    expect(card.locator(".text-words")).to_have_text("Nə ilə kömək edək? Şəklə toxunun.")
    card.locator(".text-actions button[data-action=record]").tap()
    recorder = card.locator(".recorder")
    recorder.locator("button[data-action=record]").tap()
    expect(recorder.locator(".rec-state")).to_contain_text("Recording… 2 s", timeout=10_000)
    recorder.locator("button[data-action=stop]").tap()
    expect(recorder.locator("audio")).to_be_visible()  # the take, to listen to

    # Sending without consent is not possible.
    recorder.locator("button[data-action=send]").tap()
    expect(recorder.locator(".rec-state")).to_have_text("Tick the consent to send.")
    assert hub.store.recordings() == []

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    smallest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('.recorder button:not([hidden])')]"
        ".map(b => Math.min(b.offsetWidth, b.offsetHeight)))"
    )
    assert smallest >= 44
    recorder.locator(".rec-consent").tap()
    recorder.locator("button[data-action=send]").tap()
    expect(card).to_have_attribute("data-state", "recorded", timeout=60_000)
    expect(card.locator(".card-note")).to_contain_text("Terminals play it once an admin approves")
    [row] = hub.store.recordings()
    assert (row["text_key"], row["lang"], row["by"], row["source"]) == (
        "home.say",
        "az",
        "aysel",
        "studio",
    )
    assert row["consent"].startswith("I agree")
    # A volunteer cannot approve.
    assert card.locator("button[data-action=approve]").count() == 0

    admin = browser.new_context(**PHONE)
    admin.add_init_script("localStorage.setItem('komek.lang', 'en')")
    admin_page = admin.new_page()
    log_in(admin_page, hub, "boss")
    expect(admin_page.locator(".shell-nav a[data-nav=content]")).to_be_visible()
    admin_card = admin_page.locator('.text-card[data-key="home.say"]')
    admin_card.locator("button[data-action=approve]").tap()
    expect(admin_card).to_have_attribute("data-state", "approved", timeout=10_000)
    expect(admin_page.locator("#voice-coverage")).to_contain_text("Human voice: 1 of")

    bundle_dir = tmp_path / "bundle"
    shutil.copytree(DEFAULT_CONTENT, bundle_dir)
    result = export(hub.store, hub.data_dir, bundle_dir)
    assert result.written == ["az home.say -> audio/az/home.say.wav"]
    exported = bundle_dir / "audio" / "az" / "home.say.wav"
    assert lufs(exported.read_bytes()) == pytest.approx(-16, abs=1.5)

    bundle = load_bundle(bundle_dir)
    narrator, player, _ui = make_test_narrator(settings, bundle, FakeEngine(), tmp_path / "c")
    try:
        narrator.say(home_lines(bundle, "az"))
        assert player.playing == exported
    finally:
        narrator.shutdown()
