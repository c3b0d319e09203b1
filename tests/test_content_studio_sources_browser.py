"""Where a fact came from, edited in the content studio in a real browser
(Debian's chromium via Playwright): an admin sees a file's sources (page, day
read, official or not), adds one, cites it from a step, marks another step
unconfirmed and sends the resident to 142. Bad input gets a clear error beside
its field (a page not on https, a day after the hub's today, a key that is not
a key) and nothing saved is lost: after a reload the form, and the draft's TOML
file, hold every value typed, the bad ones too, until they are fixed."""

from __future__ import annotations

import os
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.fleet_support import PASSWORD, FleetHub

pytestmark = pytest.mark.browser

FILE = "services/idp-allowance.toml"  # official and news sources, an unconfirmed step
TODAY = "2026-12-07"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    h = FleetHub(tmp_path_factory.mktemp("hub"), datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    h.store.add_volunteer("boss", "barda", PASSWORD, h.clock.now(), admin=True)
    yield h
    h.stop()


@pytest.fixture(autouse=True)
def patient_expect():
    """Each save is checked on a busy two-core machine: wait longer than 5 s."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


def open_studio(browser, hub: FleetHub, lang: str):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.add_init_script(f"localStorage.setItem('komek.lang', '{lang}')")
    page.goto(hub.url + "/console/")
    page.fill("#login-name", "boss")
    page.fill("#login-password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page.locator("#logout")).to_be_visible()
    page.goto(f"{hub.url}/studio/content/#{FILE}")
    expect(page.locator(".list-sources")).to_be_visible()
    return page


def draft_toml(hub: FleetHub) -> dict:
    root = hub.app.state.content_studio.draft.root
    return tomllib.loads((Path(root) / FILE).read_text(encoding="utf-8"))


def saved(page, n: int) -> None:
    expect(page.locator("#save-state")).to_contain_text(f"Saved (version {n})")


def test_an_admin_edits_sources_and_unconfirmed_marks_and_nothing_is_lost(tmp_path, browser, hub):
    shots = Path(os.environ.get("KOMEK_SCREENSHOTS", tmp_path))
    page = open_studio(browser, hub, "en")

    # The file's sources: page, day read, and whether the page is an official one.
    committee = page.locator('.list-sources > .card[data-id="committee"]')
    expect(committee.locator('.field[data-key="url"] input')).to_have_value("https://idp.gov.az")
    expect(committee.locator('.field[data-key="checked"] input')).to_have_value("2026-11-27")
    expect(committee.locator(".flag")).to_have_text("official page")
    news = page.locator('.list-sources > .card[data-id="card"]')
    expect(news.locator(".flag")).to_have_text(
        "not an official page: recheck against an official one"
    )
    # The step marked unconfirmed shows it, and whom the resident is sent to.
    ask_step = page.locator('.list-steps > .card[data-id="ask"] .field.provenance')
    expect(ask_step.locator("input.unconfirmed")).to_be_checked()
    expect(ask_step.locator("select.ask")).to_have_value("volunteer")

    # A page not on https: a clear error beside the address, Publish off.
    url = committee.locator('.field[data-key="url"] input')
    url.fill("http://idp.gov.az/az")
    saved(page, 1)
    problem = committee.locator('.field[data-key="url"] .field-problem')
    expect(problem).to_contain_text("must start with https://")
    expect(committee.locator(".flag")).to_have_text(
        "not an official page: recheck against an official one"
    )
    expect(page.locator("#publish")).to_be_disabled()

    # A day after the hub's today: a clear error beside the date.
    checked = committee.locator('.field[data-key="checked"] input')
    expect(checked).to_have_attribute("max", TODAY)
    checked.fill("2026-12-20")
    saved(page, 2)
    expect(committee.locator('.field[data-key="checked"] .field-problem')).to_contain_text(
        f"'checked' 2026-12-20 is in the future (today is {TODAY})"
    )

    # A new source: a key that is not a key is refused in words, nothing added.
    page.fill("#f-sources-new-key", "Gov Page")
    page.click("button[data-add=sources]")
    expect(page.locator(".add-source + .key-problem")).to_have_text(
        "A key is lower-case Latin letters, digits and dashes only (like dsmf-udsy)."
    )
    page.fill("#f-sources-new-key", "committee")
    page.click("button[data-add=sources]")
    expect(page.locator(".add-source + .key-problem")).to_have_text(
        "This file already has a source with the key committee."
    )
    page.fill("#f-sources-new-key", "e-qanun-11")
    page.click("button[data-add=sources]")
    added = page.locator('.list-sources > .card[data-id="e-qanun-11"]')
    expect(added.locator('.field[data-key="checked"] input')).to_have_value(TODAY)
    expect(added.locator('.field[data-key="url"] .field-problem')).to_contain_text(
        "'url' (the page a person read) is missing"
    )
    added.locator('.field[data-key="url"] input').fill("https://e-qanun.az/framework/34282")
    added.locator('.field[data-key="title"] input').fill("Cabinet decision 11 (e-qanun.az)")
    expect(added.locator(".flag")).to_have_text("official page")

    # Cited from a step, and another step marked unconfirmed, sent to 142.
    what = page.locator('.list-steps > .card[data-id="what"] .field.provenance')
    what.locator('input[data-cite="e-qanun-11"]').check()
    card_step = page.locator('.list-steps > .card[data-id="stops"] .field.provenance')
    card_step.locator("input.unconfirmed").check()
    expect(card_step.locator("select.ask")).to_be_enabled()
    card_step.locator("select.ask").select_option("142")
    expect(page.locator("#save-state")).to_contain_text("Saved (version")
    expect(page.locator("#save-state")).not_to_contain_text("Saving")
    page.locator(".list-sources").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "content-studio-sources-form-1366.png"))

    # Nothing lost: the draft's file holds what was typed, the bad values too.
    doc = draft_toml(hub)
    assert doc["sources"]["committee"]["url"] == "http://idp.gov.az/az"
    assert doc["sources"]["committee"]["checked"] == date(2026, 12, 20)  # a TOML date
    assert doc["sources"]["e-qanun-11"] == {
        "url": "https://e-qanun.az/framework/34282",
        "checked": date(2026, 12, 7),
        "title": "Cabinet decision 11 (e-qanun.az)",
    }
    steps = {s["id"]: s for s in doc["steps"]}
    assert "e-qanun-11" in steps["what"]["source"]
    assert steps["stops"]["unconfirmed"] is True and steps["stops"]["ask"] == "142"
    assert steps["stops"]["source"] == "three-years"  # its citation stays beside the mark

    # And after a reload the form shows every value again.
    page.reload()
    expect(page.locator(".list-sources")).to_be_visible()
    committee = page.locator('.list-sources > .card[data-id="committee"]')
    expect(committee.locator('.field[data-key="url"] input')).to_have_value("http://idp.gov.az/az")
    expect(committee.locator('.field[data-key="checked"] input')).to_have_value("2026-12-20")
    expect(committee.locator('.field[data-key="url"] .field-problem')).to_contain_text("https://")
    what = page.locator('.list-steps > .card[data-id="what"] .field.provenance')
    expect(what.locator('input[data-cite="e-qanun-11"]')).to_be_checked()
    card_step = page.locator('.list-steps > .card[data-id="stops"] .field.provenance')
    expect(card_step.locator("input.unconfirmed")).to_be_checked()
    expect(card_step.locator("select.ask")).to_have_value("142")

    # Fixed: no problem left, Publish may go.
    committee.locator('.field[data-key="url"] input').fill("https://idp.gov.az")
    committee.locator('.field[data-key="checked"] input').fill(TODAY)
    expect(committee.locator(".field-problem")).to_have_count(0)
    expect(page.locator("#all-problems")).to_contain_text("No problems")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.close()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("az", ("mənbələr", "təsdiqlənməyib", "buradakı könüllüyə", "rəsmi səhifə deyil")),
        ("ru", ("источники", "не подтверждено", "к волонтёру здесь", "не официальная страница")),
    ],
)
def test_the_source_controls_speak_the_admins_language(tmp_path, browser, hub, lang, words):
    shots = Path(os.environ.get("KOMEK_SCREENSHOTS", tmp_path))
    page = open_studio(browser, hub, lang)
    sources, unconfirmed, volunteer, unofficial = words
    expect(page.locator(".list-sources > legend")).to_have_text(sources)
    step = page.locator('.list-steps > .card[data-id="ask"] .field.provenance')
    expect(step).to_contain_text(unconfirmed)
    expect(step.locator("select.ask option[value=volunteer]")).to_have_text(volunteer)
    expect(page.locator('.list-sources > .card[data-id="card"] .flag')).to_contain_text(unofficial)
    page.locator(".list-sources").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"content-studio-sources-{lang}-1366.png"))
    page.close()
