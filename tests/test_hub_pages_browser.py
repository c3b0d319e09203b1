"""Every hub page in one shell, in a real browser (Debian's chromium via
Playwright), against one real hub for the whole module: each page shows its
words in Azerbaijani and Russian with no English left over; `/admin/` asks for
a login and lands back on /admin/ after it; a session that expires ends its
live queue (no name or phone after it, and the page says the session ended);
the content studio fits a 390 px phone without sideways scrolling and "Add
step" puts the new step before the finish step; in the voice studio a
volunteer searches the texts, goes to the next text without a voice and sends
a recording file made elsewhere.

Screenshots of each page at 390x844 and 1280x800 go to $KOMEK_SCREENSHOTS when
set (else the test's temporary folder)."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from tests._updates import Publisher
from tests.fleet_support import PASSWORD, FleetHub
from tests.voice_support import speech_like, write_wav

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
RESIDENT = "Gülnarə-Secret"
PHONE_NUMBER = "+994501112233"

# page -> (a thing to wait for, words it must show in az, in ru)
PAGES = {
    "/console/": ("#counts", ["Növbəti şəxsi çağır", "Növbə", "Çıxış"], ["Вызвать следующего", "Очередь", "Выйти"]),
    "/studio/": (".text-card", ["Səs studiyası", "Hamısı", "Yaz"], ["Студия голоса", "Все", "Записать"]),
    "/studio/content/": (
        "#form .fields",
        ["Xidmətlər", "Bütün problemlər", "Bu faylın tarixçəsi", "Dərc et"],
        ["Услуги", "Все проблемы", "История этого файла", "Опубликовать"],
    ),
    "/admin/": ("table.terminals", ["Terminallar", "Vəziyyət", "Son 7 gün"], ["Терминалы", "Состояние", "Последние 7 дней"]),
    "/studio/volunteers/": ("#vol-table tbody tr", ["Könüllülər"], ["Волонтёры"]),
    "/studio/activity/": ("#act-table", ["Fəaliyyət"], ["Действия"]),
    "/studio/report/": ("form", ["Hesabat"], ["Отчёт"]),
}  # fmt: skip

# English words the header and the pages used to keep after a switch.
ENGLISH = [
    "Log out", "Log in", "Queue", "Publish", "Choose a file", "All problems",
    "History of this file", "Releases", "Call next person", "Nobody is waiting",
    "Voice studio", "Last error", "Uptime", "Last 7 days", "Never seen",
    "terminals alive", "Counts are anonymous", "Services", "Home screen and words",
    "Sites and help points", "Drawing the screen", "Sound: on", "Finished today",
]  # fmt: skip


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    publisher = Publisher(root / "offline")
    publisher.publish()
    keys = publisher.delegate_to_hub(root / "hub-keys")
    h = FleetHub(
        root / "hub",
        datetime.now().astimezone(),
        content_repo=str(publisher.repo),
        content_keys=str(keys),
        content_source=str(publisher.src),
    )
    h.terminal_key = h.add_terminal("barda-hall-1")
    h.store.add_volunteer("boss", "barda", PASSWORD, h.clock.now(), admin=True)
    h.store.add_volunteer("aysel", "barda", PASSWORD, h.clock.now())
    yield h
    h.stop()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("KOMEK_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("shots")


def context(browser, lang: str, size: dict):
    ctx = browser.new_context(**size)
    ctx.add_init_script(f"localStorage.setItem('komek.lang', '{lang}')")
    return ctx


def log_in(page, name: str) -> None:
    expect(page.locator("#login-form")).to_be_visible()
    page.fill("#login-name", name)
    page.fill("#login-password", PASSWORD)
    page.locator("#login-form button[type=submit]").click()


def help_request(hub: FleetHub, n: int, name: str = "", phone: str = "") -> None:
    r = requests.post(
        f"{hub.url}/api/v1/terminal/help-requests",
        json={
            "ticket": f"B-{n:03d}",
            "topic_service_id": "id-card",
            "first_name": name,
            "phone": phone,
            "issued_at": hub.clock.now().isoformat(),
        },
        headers={"Authorization": f"Bearer {hub.terminal_key}", "Idempotency-Key": f"k-{n:08d}"},
        timeout=5,
    )
    assert r.status_code in (200, 201), r.text


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_every_page_speaks_the_chosen_language(hub, browser, shots, lang):
    index = 1 if lang == "az" else 2
    for size_name, size in (("1280x800", LAPTOP), ("390x844", PHONE)):
        ctx = context(browser, lang, size)
        page = ctx.new_page()
        page.goto(hub.url + "/login")
        expect(page.locator("#login-form h1")).to_have_text(
            "Daxil olun" if lang == "az" else "Вход"
        )
        page.screenshot(path=str(shots / f"login-{lang}-{size_name}.png"))
        log_in(page, "boss")
        expect(page.locator("#counts")).to_be_visible()
        for path, (ready, *words) in PAGES.items():
            page.goto(hub.url + path)
            expect(page.locator(ready).first).to_be_attached(timeout=30_000)
            body = page.locator("body")
            for word in words[index - 1]:
                expect(body).to_contain_text(word)
            text = page.evaluate("document.body.innerText")
            left = [w for w in ENGLISH if w in text]
            assert not left, f"{path} in {lang} still says {left}"
            assert page.evaluate("document.documentElement.lang") == lang
            if size is PHONE:  # the header is a strip, not a quarter of the screen
                header = page.evaluate("document.querySelector('header.bar').offsetHeight")
                print(f"header {path} {lang} 390x844: {header} px")
                assert header <= 844 // 8, f"{path}: header {header} px"
                width = page.evaluate("document.scrollingElement.scrollWidth")
                assert width <= 390, f"{path} in {lang} is {width} px wide"
            name = path.strip("/").replace("/", "-") or "root"
            page.screenshot(path=str(shots / f"{name}-{lang}-{size_name}.png"))
        ctx.close()


def test_a_refusal_reaches_the_page_in_its_language(hub):
    s = hub.admin("leyla")
    r = s.post(f"{hub.url}/api/v1/console/call-next", headers={"Accept-Language": "ru"})
    assert r.status_code == 403  # no CSRF token
    assert r.json()["code"] == "csrf"
    assert r.json()["message"] == "Страница устарела. Обновите страницу и попробуйте снова."
    s.cookies.set("komek_lang", "az")
    r = s.get(f"{hub.url}/api/v1/studio/voice/texts?lang=xx")
    assert (r.status_code, r.json()["code"]) == (404, "no_language")
    assert r.json()["message"] == "Məzmunda bu dil yoxdur."
    assert "xx" in r.json()["detail"]  # the English detail stays, for scripts and logs


def test_admin_asks_for_a_login_and_comes_back(hub, browser):
    ctx = context(browser, "ru", LAPTOP)
    page = ctx.new_page()
    page.goto(hub.url + "/admin/")
    assert page.url.endswith("/login?next=/admin/")
    log_in(page, "boss")
    expect(page.locator("main h1")).to_have_text("Терминалы")
    assert page.url == hub.url + "/admin/"
    # Another site is never where a login leads.
    page.goto(hub.url + "/console/")
    page.click("#logout")
    page.wait_for_url("**/login")
    page.goto(hub.url + "/login?next=//evil.example/")
    log_in(page, "boss")
    expect(page.locator("#counts")).to_be_visible()
    assert page.url == hub.url + "/console/"
    ctx.close()


def test_an_expired_session_ends_the_live_queue(hub, browser, shots):
    ctx = context(browser, "ru", PHONE)
    # Keep every queue event the page receives, to show none came after the end.
    ctx.add_init_script(
        """
        window.__events = [];
        const Native = window.EventSource;
        window.EventSource = function (url) {
          const es = new Native(url);
          es.addEventListener("queue", (e) => window.__events.push(e.data));
          es.addEventListener("ended", () => window.__events.push("ended"));
          return es;
        };
        Object.assign(window.EventSource, { CONNECTING: 0, OPEN: 1, CLOSED: 2 });
        """
    )
    page = ctx.new_page()
    page.goto(hub.url + "/console/")
    log_in(page, "aysel")
    expect(page.locator("#empty")).to_be_visible()  # the first queue came: nobody waits
    help_request(hub, 1, "Aysel", "0501234567")
    expect(page.locator(".card .name").first).to_have_text("Aysel", timeout=15_000)
    page.screenshot(path=str(shots / "console-ru-390x844-queue.png"))
    # The new-request banner follows the language switch while it shows.
    expect(page.locator("#alert")).to_contain_text("Новая заявка: B-001")
    page.click("button[data-lang=az]")
    expect(page.locator("#alert")).to_contain_text("Yeni müraciət: B-001")
    page.click("button[data-lang=ru]")

    # The session's 12 hours are up; a resident asks for help at the same moment.
    hub.clock.advance(hours=12, seconds=1)
    help_request(hub, 2, RESIDENT, PHONE_NUMBER)

    notice = page.locator("#shell-ended-notice")
    expect(notice).to_be_visible(timeout=15_000)
    expect(notice).to_contain_text("Сессия закончилась")
    expect(notice.locator("#shell-login-again")).to_have_attribute(
        "href", "/login?next=%2Fconsole%2F"
    )
    events = page.evaluate("window.__events")
    assert events[-1] == "ended"
    assert not any(RESIDENT in e or PHONE_NUMBER in e for e in events)
    content = page.content()
    assert RESIDENT not in content and "Aysel" not in content  # the queue is gone too
    page.screenshot(path=str(shots / "console-ru-390x844-ended.png"))
    ctx.close()
    # Nothing is lost: the request waits in the hub's database for the next login.
    db = sqlite3.connect(hub.data_dir / "hub.db")
    try:
        names = [r[0] for r in db.execute("select first_name from help_requests")]
    finally:
        db.close()
    assert RESIDENT in names


def test_the_voice_studio_searches_goes_to_the_next_text_and_takes_a_file(
    hub, browser, tmp_path, shots
):
    take = write_wav(tmp_path / "take.wav", speech_like(peak=0.3))
    ctx = context(browser, "ru", PHONE)
    page = ctx.new_page()
    page.goto(hub.url + "/studio/")
    log_in(page, "aysel")
    cards = page.locator("#voice-texts > .text-card")
    expect(cards.first).to_be_visible(timeout=30_000)
    total = cards.count()
    assert total > 200  # the content's texts, most heard first

    page.fill("#voice-search", "şəklə")  # Azerbaijani words, found whatever their case
    expect(page.locator("#voice-found")).to_contain_text("Найдено:")
    visible = page.locator("#voice-texts > .text-card:visible")
    expect(visible.first).to_be_visible()
    words = visible.locator(".text-words").all_inner_texts()
    assert words and all("şəklə" in w.lower() or "Şəklə" in w for w in words)
    assert len(words) < total

    # The next text without a voice: the most heard one first, then the one after it.
    page.click("#voice-next")
    expect(page.locator("#voice-search")).to_have_value("")
    first = page.locator(".text-card:has(.recorder)")
    expect(first).to_have_attribute("data-key", "language.say")
    page.click("#voice-next")
    expect(page.locator(".text-card:has(.recorder)")).to_have_attribute("data-key", "home.say")
    card = page.locator('.text-card[data-key="home.say"]')

    # A recording made elsewhere, sent as a file through the same checks.
    card.locator(".rec-file").set_input_files(str(take))
    expect(card.locator(".rec-state")).to_contain_text("Выбран файл: take.wav")
    page.screenshot(path=str(shots / "studio-ru-390x844-file.png"))
    card.locator(".rec-consent").check()
    card.locator("button[data-action=send]").click()
    expect(card.locator(".rec-state")).to_have_count(0, timeout=60_000)  # sent: recorder closed
    expect(card).to_have_attribute("data-state", "recorded")
    rows = [r for r in hub.store.recordings() if r["text_key"] == "home.say"]
    assert [(r["by"], r["lang"]) for r in rows] == [("aysel", "az")]
    # A file that is no recording is refused in the page's language; nothing is kept.
    bad = tmp_path / "notes.wav"
    bad.write_bytes(b"these are my notes, not a recording" * 20)
    page.click("#voice-next")
    other = page.locator(".text-card:has(.recorder)")
    other.locator(".rec-file").set_input_files(str(bad))
    other.locator(".rec-consent").check()
    other.locator("button[data-action=send]").click()
    expect(other.locator(".rec-state")).to_contain_text("Этот файл не читается как запись")
    assert len(hub.store.recordings()) == 1
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    ctx.close()


# Last: the new step is left in the draft (empty, so the draft has problems).
def test_the_content_studio_fits_a_phone_and_adds_a_step_before_the_finish(hub, browser):
    ctx = context(browser, "az", PHONE)
    page = ctx.new_page()
    page.goto(hub.url + "/studio/content/#services/id-card.toml")
    log_in(page, "boss")
    steps = page.locator("fieldset.list-steps > .card")
    expect(steps.first).to_be_visible(timeout=30_000)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"the studio is {width} px wide on a 390 px phone"
    kinds = page.evaluate(
        "[...document.querySelectorAll('fieldset.list-steps > .card')]"
        ".map(c => c.querySelector(':scope > .fields > .field[data-key=kind] select').value)"
    )
    assert kinds[-1] == "finish"
    count = len(kinds)
    page.locator("fieldset.list-steps > button[data-add=steps]").click()
    expect(steps).to_have_count(count + 1)
    kinds = page.evaluate(
        "[...document.querySelectorAll('fieldset.list-steps > .card')]"
        ".map(c => c.querySelector(':scope > .fields > .field[data-key=kind] select').value)"
    )
    assert kinds[-1] == "finish" and kinds[-2] == "info"
    assert steps.nth(count - 1).get_attribute("data-id") == f"step-{count + 1}"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    ctx.close()
