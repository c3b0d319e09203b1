"""Every staff page as volunteers and admins use it, in real headless Chromium
(Debian's, through Playwright) against a real hub over HTTP: at a phone's width
nothing scrolls sideways or sticks out of the screen and every target is a
thumb's 44 CSS px; at a laptop's and a tablet's width the volunteers table fits
its page in az, ru and en, with a long account name and a disabled account.
One hub and one browser for the module."""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.request
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from kiosk.core.helpdesk import SystemClock
from tests.helpdesk_support import RunningHub, hub_settings

pytestmark = pytest.mark.browser

PASSWORD = "volunteer-pass-1"
LONG_NAME = "məmmədquluzadə.ülviyyə"  # an account name that is one long word


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    running = RunningHub(tmp_path_factory.mktemp("hub"), hub_settings(requests_per_minute=60))
    store = running.store()
    now = SystemClock().now()
    running.key = store.add_terminal("hall-1", "barda", now)
    store.add_volunteer("aysel", "barda", PASSWORD, now)
    store.add_volunteer("boss", "barda", PASSWORD, now, admin=True)
    store.add_volunteer(LONG_NAME, "barda", PASSWORD, now)
    store.add_volunteer("quliyeva.leyla", "barda", PASSWORD, now)
    store.set_volunteer_disabled("quliyeva.leyla", True, now)
    store.close()
    running.start()
    running.sent = 0
    yield running
    running.stop()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("KOMEK_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("shots")


def send(hub, name: str = "Gülnarə Məmmədova", phone: str = "+994501234567") -> str:
    """One help request through the terminal API, as a kiosk sends it; its ticket."""
    hub.sent += 1
    body = {
        "ticket": f"C-{hub.sent:03d}",
        "topic_service_id": "social-assistance",
        "first_name": name,
        "phone": phone,
        "issued_at": SystemClock().now().isoformat(),
        "lang": "az",
    }
    req = urllib.request.Request(
        hub.url + "/api/v1/terminal/help-requests",
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {hub.key}",
            "Idempotency-Key": f"staff-{hub.sent:04d}-{os.getpid()}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.load(resp)["ticket"]


def logged_in(browser, hub, name: str, lang: str, width: int, height: int, phone: bool):
    """A page of a fresh browser context, logged in as `name` (through the hub's API)."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=2 if phone else 1,
        has_touch=phone,
        is_mobile=phone,
    )
    context.add_init_script(f"localStorage.setItem('komek.lang', '{lang}')")
    token = context.request.get(hub.url + "/api/v1/console/me").json()["csrf_token"]
    r = context.request.post(
        hub.url + "/api/v1/console/login",
        data={"name": name, "password": PASSWORD},
        headers={"X-CSRF-Token": token},
    )
    assert r.ok, r.text()
    return context.new_page()


# What a person would see as broken: the page scrolling sideways, a part of it
# beyond the screen's edge (not inside a box that scrolls on purpose, like the
# terminals table), a button or link smaller than a thumb (44 CSS px), a label
# cut by its own box.
LAYOUT = """(touch) => {
  const vw = document.documentElement.clientWidth;
  const shown = (el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden";
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} ` +
    (el.textContent || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 30);
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const all = [...document.querySelectorAll("main *, header *")].filter(shown);
  const outside = all.filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width && (r.right > vw + 1 || r.left < -1) && !scrolls(el);
  }).map(name);
  const cut = [...document.querySelectorAll("main button, header button, main a.button, main td")]
    .filter(shown).filter((el) => el.scrollWidth > el.clientWidth + 1).map(name);
  const targets = "button, a[href], summary, select, input:not([type=hidden]):not([type=checkbox])";
  const small = !touch ? [] : [...document.querySelectorAll(targets)].filter(shown)
    .filter((el) => !el.closest("p, li.history-line"))  // a link inside a sentence
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
    .map((el) => { const r = el.getBoundingClientRect();
                   return `${name(el)} ${Math.round(r.width)}x${Math.round(r.height)}`; });
  // The console's cards: nothing of a card beyond the card's own edges.
  const cards = [...document.querySelectorAll(".card")].filter(shown).flatMap((c) => {
    const box = c.getBoundingClientRect();
    return [...c.querySelectorAll("button, a, span")].filter(shown).filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width && (r.left < box.left - 1 || r.right > box.right + 1);
    }).map(name);
  });
  return { wide: document.documentElement.scrollWidth, outside: outside.concat(cards), cut, small };
}"""

PAGES = (
    "/console/",
    "/studio/volunteers/",
    "/studio/activity/",
    "/studio/",
    "/admin/",
    "/studio/content/",
    "/studio/report/",
)


def settled(page, path: str) -> None:
    if path == "/console/":
        expect(page.locator("#open-list .card").first).to_be_visible(timeout=10_000)
        expect(page.locator("#queue-view")).not_to_have_attribute("aria-busy", "true")
    else:
        page.wait_for_load_state("networkidle")
    if path == "/studio/content/":  # a file open in the editor, with its citations
        expect(page.locator("#form .cites label").first).to_be_visible(timeout=10_000)


@pytest.mark.parametrize("lang", ["ru"])
def test_every_staff_page_fits_a_narrow_phone_with_thumb_sized_targets(hub, browser, shots, lang):
    """360x740 at device scale 2 with touch, in Russian (the longest words): the
    console's four buttons on a waiting card wrap inside the card instead of
    sticking out; the header's language switch, log-out and navigation are 44 px."""
    for _ in range(3):
        send(hub)
    page = logged_in(browser, hub, "boss", lang, 360, 740, phone=True)
    page.goto(hub.url + "/console/")
    settled(page, "/console/")
    # A called card and a served one too (their heads and buttons differ).
    page.evaluate("Shell.api('POST', '/api/v1/console/call-next')")
    page.evaluate("Shell.api('POST', '/api/v1/console/call-next')")
    rid = page.locator("#open-list .card[data-status=called]").first.get_attribute("data-id")
    page.evaluate(f"Shell.api('POST', '/api/v1/console/requests/{rid}/serve')")
    expect(page.locator("#open-list .card[data-status=serving]")).to_have_count(1)
    found = {}
    for path in PAGES:
        page.goto(hub.url + path)
        settled(page, path)
        sizes = page.evaluate(LAYOUT, True)
        name = path.strip("/").replace("/", "-")
        # (The content studio's page is tens of thousands of pixels long on a phone.)
        whole = path in ("/console/", "/studio/volunteers/")
        page.screenshot(path=str(shots / f"staff-{name}-{lang}-360x740.png"), full_page=whole)
        if sizes["wide"] > 360 or sizes["outside"] or sizes["cut"] or sizes["small"]:
            found[path] = sizes
    assert found == {}, json.dumps(found, ensure_ascii=False)
    page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (768, 1024)], ids=["laptop", "tablet"])
def test_the_volunteers_table_fits_a_laptop_and_a_tablet(hub, browser, shots, width, height):
    """The known one: in Russian at 1366 px the table was a few pixels wider than
    its column and scrolled sideways. Now it fits in every language, also with an
    account name that is one long word and a disabled account's date."""
    page = logged_in(browser, hub, "boss", "ru", width, height, phone=False)
    page.goto(hub.url + "/studio/volunteers/")
    expect(page.locator(f'#vol-table tr[data-name="{LONG_NAME}"]')).to_be_visible()
    for lang in ("ru", "az", "en"):
        page.locator(f".langs button[data-lang={lang}]").click()
        expect(page.locator("#vol-table thead th").first).to_have_text(
            {"ru": "Имя", "az": "Ad", "en": "Name"}[lang]
        )
        sizes = page.evaluate(
            """() => ({ table: document.querySelector("#vol-table").scrollWidth,
                        room: document.querySelector(".table-wrap").clientWidth,
                        page: document.documentElement.scrollWidth })"""
        )
        assert sizes["table"] <= sizes["room"] and sizes["page"] <= width, (lang, sizes)
        layout = page.evaluate(LAYOUT, False)
        assert (layout["outside"], layout["cut"]) == ([], []), (lang, layout)
        page.screenshot(path=str(shots / f"volunteers-{lang}-{width}x{height}.png"), full_page=True)
    page.context.close()


def api_session(hub, name: str) -> requests.Session:
    """Another volunteer at another phone: a session of their own, over HTTP."""
    s = requests.Session()
    token = s.get(f"{hub.url}/api/v1/console/me", timeout=10).json()["csrf_token"]
    r = s.post(
        f"{hub.url}/api/v1/console/login",
        json={"name": name, "password": PASSWORD},
        headers={"X-CSRF-Token": token},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    s.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return s


def switch(page, lang: str) -> None:
    page.locator(f".langs button[data-lang={lang}]").tap()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def double_tap(page, target, gap_ms: int) -> None:
    """Two taps on the spot where `target` is now, `gap_ms` apart (a thumb's double tap)."""
    target.scroll_into_view_if_needed()
    expect(target).to_be_visible()
    box = target.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y)
    page.wait_for_timeout(gap_ms)
    page.touchscreen.tap(x, y)


def posts(page) -> list[str]:
    """The API calls that change something, as the page sends them."""
    sent: list[str] = []
    page.on("request", lambda r: r.method != "GET" and sent.append(r.url.split("/api/v1/")[-1]))
    return sent


def test_one_touch_is_one_action_on_the_volunteers_page_and_a_notes_save(hub, browser):
    """A double tap on Disable disabled the volunteer and at once enabled them again
    (the second tap landed on the Enable now in its place), or asked twice; a
    double tap on a note's Save on a phone pressed the Cancel that slid under the
    thumb when the editor folded. Now each double tap is one action."""
    page = logged_in(browser, hub, "boss", "en", 390, 844, phone=True)
    sent = posts(page)
    asked: list[str] = []
    page.on("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.goto(hub.url + "/studio/volunteers/")
    row = page.locator('#vol-table tr[data-name="aysel"]')
    state = row.locator("td[data-state]")
    for n, gap in enumerate((30, 120, 250)):
        verb, now = ("disable", "disabled") if n % 2 == 0 else ("enable", "active")
        double_tap(page, row.locator(f"button[data-action=vol_{verb}]"), gap)
        expect(state).to_have_attribute("data-state", now)
        expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
        assert sent == [f"admin/volunteers/aysel/{verb}"], (gap, sent)
        assert len(asked) == (1 if verb == "disable" else 0), (gap, asked)
        sent.clear()
        asked.clear()
    # Back to active for the other tests.
    row.locator("button[data-action=vol_enable]").tap()
    expect(state).to_have_attribute("data-state", "active")
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    sent.clear()
    # A display name's Save: one request.
    row.locator(".display-name input").fill("Aysel")
    double_tap(page, row.locator(".display-name button"), 120)
    expect(page.locator("#vol-said")).to_have_text("aysel: the display says “Aysel”.")
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    assert sent == ["admin/volunteers/aysel/display-name"], sent
    page.context.close()

    # A note's Save on a phone: saved once, nothing else pressed, nothing asked.
    ticket = send(hub)
    page = logged_in(browser, hub, "aysel", "en", 390, 844, phone=True)
    sent = posts(page)
    page.on("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.goto(hub.url + "/console/")
    mine = page.locator(f".card:has(.ticket:text-is('{ticket}'))")
    expect(mine).to_be_visible(timeout=10_000)
    expect(page.locator("#queue-view")).not_to_have_attribute("aria-busy", "true")
    rid = mine.get_attribute("data-id")
    for gap in (30, 250):
        mine.locator(".note-toggle").tap()
        expect(mine.locator(".note-input")).to_be_visible()
        mine.locator(".note-input").fill(f"brings the papers ({gap})")
        double_tap(page, mine.locator(".note-save"), gap)
        expect(mine.locator(".note-view")).to_have_text(f"brings the papers ({gap})")
        expect(page.locator("#queue-view")).not_to_have_attribute("aria-busy", "true")
        assert sent == [f"console/requests/{rid}/note"], (gap, sent)
        assert asked == [], asked
        sent.clear()
    expect(mine).to_have_attribute("data-status", "waiting")
    page.context.close()


def test_a_hub_restart_and_a_reload_lose_no_typed_note_and_say_so(hub, browser, shots):
    """The hub stops while a volunteer types a note: the page says it has no
    connection, in the language chosen (also after a switch); Save says it did not
    get through and keeps the words; a reload meanwhile keeps them too; when the
    hub is back the page reconnects by itself and the note is saved. Then a
    session that expires: the page says so in the chosen language."""
    ticket = send(hub)
    page = logged_in(browser, hub, "aysel", "az", 390, 844, phone=True)
    page.goto(hub.url + "/console/")
    mine = page.locator(f".card:has(.ticket:text-is('{ticket}'))")
    expect(mine).to_be_visible(timeout=10_000)
    expect(page.locator("#queue-view")).not_to_have_attribute("aria-busy", "true")
    words = "Sənədləri sabah gətirəcək — 15:00"
    mine.locator(".note-toggle").tap()
    mine.locator(".note-input").fill(words)
    hub.stop()
    try:
        offline = page.locator("#offline")
        expect(offline).to_have_text("Hub ilə əlaqə yoxdur, yenidən qoşulur…", timeout=10_000)
        switch(page, "ru")
        expect(offline).to_have_text("Нет связи с хабом, переподключение…")
        expect(page.locator("#queue-view")).not_to_have_attribute("aria-busy", "true")
        mine.locator(".note-save").tap()
        error = page.locator("#action-error")
        expect(error).to_have_text("Нет связи с хабом, переподключение…")
        expect(mine.locator(".note-input")).to_have_value(words)
        switch(page, "en")
        expect(error).to_have_text("No connection to the hub, reconnecting…")
        page.screenshot(path=str(shots / "console-offline-en-390x844.png"))
        # A reload while the hub is away: the browser cannot fetch the page.
        with pytest.raises(PlaywrightError):
            page.reload(timeout=5_000)
    finally:
        hub.start()
    page.goto(hub.url + "/console/")
    expect(mine).to_be_visible(timeout=10_000)
    expect(mine.locator(".note-input")).to_have_value(words)  # the words came back
    expect(mine.locator(".note-input")).to_be_visible()  # in its open editor
    expect(page.locator("#offline")).to_be_hidden()
    expect(page.locator("#queue-view")).not_to_have_attribute("aria-busy", "true")
    mine.locator(".note-save").tap()
    expect(mine.locator(".note-view")).to_have_text(words)
    queue = page.evaluate("Shell.api('GET', '/api/v1/console/queue')")["requests"]
    assert [r["note"] for r in queue if r["ticket"] == ticket and r["note"]] == [words]
    # Saved: a reload shows the hub's note, no draft left over.
    page.reload()
    expect(mine.locator(".note-view")).to_have_text(words)
    assert (
        page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('komek.note.'))") == []
    )

    # The session expires (12 hours on): the page says so in its language, queue hidden.
    switch(page, "ru")
    conn = sqlite3.connect(hub.data_dir / "hub.db")
    with conn:
        conn.execute(
            "update sessions set expires_at = '2000-01-01T00:00:00+00:00' where volunteer = 'aysel'"
        )
    conn.close()
    notice = page.locator("#shell-ended-notice")
    expect(notice.locator("h1")).to_have_text("Сессия закончилась", timeout=15_000)
    expect(page.locator(".card")).to_have_count(0)
    switch(page, "az")
    expect(notice.locator("h1")).to_have_text("Sessiya bitdi")
    expect(notice.locator("#shell-login-again")).to_have_text("Yenidən daxil ol")
    page.context.close()


def test_messages_already_shown_follow_a_language_switch(hub, browser, shots):
    """A refusal or a "done" already on the screen changes language with the
    switch (the hub's words come in az, ru and en): the console's "another
    volunteer already changed this request" (two volunteers on one request at
    once), the console's and the volunteers page's display-name answers, and the
    login page's "wrong password"."""
    page = logged_in(browser, hub, "aysel", "az", 390, 844, phone=True)
    page.goto(hub.url + "/console/")
    ticket = send(hub)
    mine = page.locator(f".card:has(.ticket:text-is('{ticket}'))")
    expect(mine).to_be_visible(timeout=10_000)
    expect(page.locator("#queue-view")).not_to_have_attribute("aria-busy", "true")
    rid = mine.get_attribute("data-id")
    other = api_session(hub, "boss")

    def meanwhile(dialog) -> None:
        # While aysel reads "did not come?", boss cancels the same request.
        assert other.post(f"{hub.url}/api/v1/console/requests/{rid}/cancel").status_code == 200
        dialog.accept()

    page.once("dialog", meanwhile)
    mine.locator("button[data-action=no-show]").tap()
    error = page.locator("#action-error")
    expect(error).to_have_text("Bu müraciəti artıq başqa könüllü dəyişib.")
    switch(page, "ru")
    expect(error).to_have_text("Эту заявку уже изменил другой волонтёр.")
    switch(page, "en")
    expect(error).to_have_text("Another volunteer already changed this request.")
    assert [
        e["action"]
        for e in other.get(f"{hub.url}/api/v1/console/requests/{rid}/history").json()["events"]
    ] == ["cancel"]

    # The console's own display name: refused (a zero-width joiner), then saved.
    page.locator("#my-name-fold summary").scroll_into_view_if_needed()
    page.locator("#my-name-fold summary").tap()
    page.locator("#my-name").fill("Ay\u200dsel")
    page.locator("#my-name-form button").tap()
    said = page.locator("#my-name-said")
    expect(said).to_contain_text("invisible or control character")
    switch(page, "az")
    expect(said).to_contain_text("görünməyən və ya idarəedici simvol")
    expect(page.locator("#my-name")).to_have_value("Ay\u200dsel")  # what was typed stays
    page.locator("#my-name").fill("Aysel")
    page.locator("#my-name-form button").tap()
    expect(said).to_have_text("Saxlanıldı: ekranda «Aysel».")
    switch(page, "ru")
    expect(said).to_have_text("Сохранено: на экране «Aysel».")
    page.context.close()

    # The volunteers page: a refusal and a "saved", each in the next language.
    admin = logged_in(browser, hub, "boss", "ru", 1366, 768, phone=False)
    admin.goto(hub.url + "/studio/volunteers/")
    row = admin.locator('#vol-table tr[data-name="aysel"]')
    row.locator(".display-name input").fill("Ay\u202esel")
    row.locator(".display-name button").click()
    expect(admin.locator("#vol-error")).to_contain_text("невидимый или управляющий символ")
    admin.locator(".langs button[data-lang=az]").click()
    expect(admin.locator("#vol-error")).to_contain_text("görünməyən və ya idarəedici simvol")
    row.locator(".display-name input").fill("Aysel")
    # (One touch, one action: the page takes the next tap 0.7 s after the last action.)
    expect(admin.locator("main")).not_to_have_attribute("aria-busy", "true")
    row.locator(".display-name button").click()
    expect(admin.locator("#vol-said")).to_have_text("aysel: ekranda «Aysel».")
    expect(admin.locator("#vol-error")).to_have_text("")
    admin.locator(".langs button[data-lang=en]").click()
    expect(admin.locator("#vol-said")).to_have_text("aysel: the display says “Aysel”.")
    admin.screenshot(path=str(shots / "volunteers-said-en-1366x768.png"))
    admin.context.close()

    # The login page: a wrong password said again in the language chosen next.
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    context.add_init_script("localStorage.setItem('komek.lang', 'az')")
    login = context.new_page()
    login.goto(hub.url + "/login")
    login.fill("#login-name", "aysel")
    login.fill("#login-password", "not-her-password")
    login.locator("#login-form button[type=submit]").tap()
    expect(login.locator("#login-error")).to_have_text("Ad və ya parol səhvdir.")
    switch(login, "ru")
    expect(login.locator("#login-error")).to_have_text("Неверное имя или пароль.")
    context.close()
