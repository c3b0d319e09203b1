"""The volunteers' console on a phone, with touch (Debian's chromium driven by
Playwright, a real hub over HTTP): a double tap (two taps 30-250 ms apart) on
every action moves a request one state, never two; a request closed by mistake
is reopened and is in the queue again; cards are compact enough for three on a
phone's screen, and the phone number is a thumb-sized target. One hub for the
whole module."""

from __future__ import annotations

import itertools
import json
import os
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from kiosk.core.helpdesk import SystemClock
from tests.helpdesk_support import RunningHub, hub_settings

pytestmark = pytest.mark.browser

PASSWORD = "volunteer-pass-1"
PHONE = {"width": 390, "height": 844}
GAPS = itertools.cycle((30, 120, 250))  # ms between the two taps of a double tap


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    # Every test here sends requests from one terminal, within a minute or two.
    running = RunningHub(tmp_path_factory.mktemp("hub"), hub_settings(requests_per_minute=60))
    store = running.store()
    now = SystemClock().now()
    running.key = store.add_terminal("hall-1", "barda", now)
    store.add_volunteer("aysel", "barda", PASSWORD, now)
    store.add_volunteer("boss", "barda", PASSWORD, now, admin=True)
    store.add_volunteer("quliyeva.leyla", "barda", PASSWORD, now)  # sets no display name
    running.display_key = store.add_display("hall-tv", "barda", now)
    store.close()
    running.start()
    running.sent = 0
    yield running
    running.stop()


def send(hub, name: str = "", phone: str = "", topic: str | None = "id-card") -> str:
    """One help request through the terminal API, as a kiosk sends it; its ticket."""
    hub.sent += 1
    body = {
        "ticket": f"B-{hub.sent:03d}",
        "topic_service_id": topic,
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
            "Idempotency-Key": f"touch-{hub.sent:04d}-{os.getpid()}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.load(resp)["ticket"]


def phone_page(browser, hub, lang: str, name: str = "aysel", **options):
    context = browser.new_context(
        viewport=PHONE,
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
        locale="en-US",
        **options,
    )
    page = context.new_page()
    page.dialled = []
    page.on("request", lambda r: r.url.startswith("tel:") and page.dialled.append(r.url))
    page.add_init_script(f"localStorage.setItem('komek.lang', '{lang}')")
    page.goto(hub.url + "/console/")
    page.fill("#login-name", name)
    page.fill("#login-password", PASSWORD)
    page.locator("#login-form button[type=submit]").tap()
    expect(page.locator("#queue-view")).to_be_visible()
    return page


def card(page, ticket: str):
    return page.locator(f".card:has(.ticket:text-is('{ticket}'))")


def double_tap(page, target, gap_ms: int) -> None:
    """Two taps on the spot where `target` is now, `gap_ms` apart (a thumb's double tap)."""
    target.scroll_into_view_if_needed()
    expect(target).to_be_visible()
    box = target.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y)
    page.wait_for_timeout(gap_ms)
    page.touchscreen.tap(x, y)
    # A tap that reached the phone link dials the resident. (Headless chromium then
    # never answers the next touch: it hands tel: to a phone app it does not have.)
    page.wait_for_timeout(50)
    assert not page.dialled, "a double tap dialled the resident"


def history(page, request_id: str) -> list[tuple[str, str, str]]:
    events = page.evaluate(
        "id => fetch(`/api/v1/console/requests/${id}/history`).then(r => r.json())", request_id
    )["events"]
    return [(e["action"], e["from_status"], e["to_status"]) for e in events]


def settle(page) -> None:
    """The guard after the last change has run out (the next tap is a new action)."""
    expect(page.locator("#queue-view")).not_to_have_attribute("aria-busy", "true")


def test_a_double_tap_on_every_action_moves_one_state(hub, browser):
    page = phone_page(browser, hub, "en")
    dialogs: list[str] = []

    def answer(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    a, b, c, d = (send(hub, name="Aysel", phone="0501234567") for _ in range(4))
    expect(page.locator("#open-list .card")).to_have_count(4, timeout=10_000)
    ids = {t: card(page, t).get_attribute("data-id") for t in (a, b, c, d)}
    settle(page)

    def moved(ticket: str, *steps: tuple[str, str, str]) -> None:
        settle(page)
        assert history(page, ids[ticket]) == list(steps), ticket
        assert page.locator("#action-error").text_content() == ""  # no "already changed"

    # "Call next" calls one person, not two.
    double_tap(page, page.locator("#call-next"), next(GAPS))
    expect(card(page, a).locator(".status")).to_have_text("Called")
    moved(a, ("call", "waiting", "called"))
    assert history(page, ids[b]) == []
    # Re-call: one more call, the buttons stay where they were.
    double_tap(page, card(page, a).locator("button[data-action=recall]"), next(GAPS))
    expect(card(page, a).locator(".meta .calls")).to_have_text("called 2×")
    moved(a, ("call", "waiting", "called"), ("recall", "called", "called"))
    # Start helping (the main button once called) does not also press Done under it.
    double_tap(page, card(page, a).locator("button.primary"), next(GAPS))
    expect(card(page, a).locator(".status")).to_have_text("Being served")
    moved(
        a,
        ("call", "waiting", "called"),
        ("recall", "called", "called"),
        ("serve", "called", "serving"),
    )
    # Done: the card leaves the queue and the next one slides under the thumb; it stays waiting.
    double_tap(page, card(page, a).locator("button[data-action=done]"), next(GAPS))
    expect(page.locator(f"#done-list .card:has(.ticket:text-is('{a}')) .status")).to_have_text(
        "Done"
    )
    moved(
        a,
        ("call", "waiting", "called"),
        ("recall", "called", "called"),
        ("serve", "called", "serving"),
        ("done", "serving", "done"),
    )
    moved(b)
    # Call (a waiting card's main button) does not also start helping.
    double_tap(page, card(page, b).locator("button.primary"), next(GAPS))
    expect(card(page, b).locator(".status")).to_have_text("Called")
    moved(b, ("call", "waiting", "called"))
    # Not here: one question, one no-show; the next card is not touched.
    double_tap(page, card(page, b).locator("button[data-action=no-show]"), next(GAPS))
    expect(page.locator(f"#done-list .card:has(.ticket:text-is('{b}')) .status")).to_have_text(
        "No-show"
    )
    moved(b, ("call", "waiting", "called"), ("no-show", "called", "no_show"))
    assert dialogs == [f"{b} did not come?"]
    # Start helping straight from waiting: the Cancel that takes its place is not pressed.
    double_tap(page, card(page, c).locator("button[data-action=serve]"), next(GAPS))
    expect(card(page, c).locator(".status")).to_have_text("Being served")
    moved(c, ("serve", "waiting", "serving"))
    assert len(dialogs) == 1
    # Cancel: one question, one cancel.
    double_tap(page, card(page, c).locator("button[data-action=cancel]"), next(GAPS))
    expect(page.locator(f"#done-list .card:has(.ticket:text-is('{c}')) .status")).to_have_text(
        "Cancelled"
    )
    moved(c, ("serve", "waiting", "serving"), ("cancel", "serving", "cancelled"))
    assert dialogs == [f"{b} did not come?", "Cancel this request?"]
    moved(d)

    # The finished ones: back to the queue, and reopen, each once.
    page.locator("#finished summary").tap()
    done_list = page.locator("#done-list")
    double_tap(
        page,
        done_list.locator(f".card:has(.ticket:text-is('{b}')) button[data-action=requeue]"),
        next(GAPS),
    )
    expect(card(page, b).locator(".status")).to_have_text("Waiting")
    moved(
        b,
        ("call", "waiting", "called"),
        ("no-show", "called", "no_show"),
        ("requeue", "no_show", "waiting"),
    )
    # Reopen the newest finished card: the next finished card slides up and stays closed.
    first = done_list.locator(".card").first
    newest = first.locator(".ticket").text_content()
    assert newest == c
    double_tap(page, first.locator("button[data-action=reopen]"), next(GAPS))
    expect(page.locator(f"#open-list .card:has(.ticket:text-is('{c}')) .status")).to_have_text(
        "Being served"
    )
    moved(
        c,
        ("serve", "waiting", "serving"),
        ("cancel", "serving", "cancelled"),
        ("reopen", "cancelled", "serving"),
    )
    moved(
        a,
        ("call", "waiting", "called"),
        ("recall", "called", "called"),
        ("serve", "called", "serving"),
        ("done", "serving", "done"),
    )
    double_tap(
        page,
        done_list.locator(f".card:has(.ticket:text-is('{a}')) button[data-action=reopen]"),
        next(GAPS),
    )
    expect(page.locator(f"#open-list .card:has(.ticket:text-is('{a}')) .status")).to_have_text(
        "Being served"
    )
    assert history(page, ids[a])[-1] == ("reopen", "done", "serving")
    # All four are in the queue again, in their order, and the waiting ones are counted.
    expect(page.locator("#open-list .card .ticket")).to_have_text([a, b, c, d])
    expect(page.locator("#counts")).to_have_text("Waiting: 2 · Called: 0 · Being served: 2")
    assert len(dialogs) == 2
    page.context.close()


NAMES = ("Gülnarə", "Əbülfəz Səfərəliyev", "Şəhriyar", "Ülviyyə Məmmədquluzadə", "Иван")
TOPICS = ("social-assistance", "id-card", None, "pension", "id-card")


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("KOMEK_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("shots")


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_three_cards_fit_a_phone_and_the_phone_link_fits_a_thumb(hub, browser, shots, lang):
    page = phone_page(browser, hub, lang)
    expect(page.locator("#counts")).not_to_be_empty()  # the first queue is in
    for n in range(page.locator("#open-list .card").count(), 5):
        send(hub, name=NAMES[n], phone="+994501234567", topic=TOPICS[n])
        expect(page.locator("#open-list .card")).to_have_count(n + 1, timeout=10_000)
    if page.locator("#alert").is_visible():
        page.locator("#alert").tap()  # "new request": read, and put away
    first = page.locator("#open-list .card").first
    if first.get_attribute("data-status") == "waiting":
        first.locator("button[data-action=call]").tap()
        expect(first).to_have_attribute("data-status", "called")
    settle(page)
    page.screenshot(path=str(shots / f"console-{lang}-390x844-cards.png"))
    sizes = page.evaluate(
        """() => {
        const header = document.querySelector("header.bar").getBoundingClientRect().bottom;
        const cards = [...document.querySelectorAll("#open-list .card")];
        const tall = Math.max(...cards.map((c) => c.getBoundingClientRect().height));
        const phones = [...document.querySelectorAll("#open-list .phone")].map((a) => {
          const r = a.getBoundingClientRect();
          return [r.width, r.height];
        });
        // Words cut by their own box (a button too narrow for its label).
        const cut = [...document.querySelectorAll(".card button, .card .topic, .card .ticket")]
          .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent);
        // Anything of a card drawn beyond the card's own edges.
        const outside = cards.flatMap((c) => {
          const box = c.getBoundingClientRect();
          return [...c.querySelectorAll("button, a, span, div")].filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width && (r.left < box.left - 1 || r.right > box.right + 1);
          }).map((el) => el.textContent);
        });
        const tools = [...document.querySelectorAll("header.bar .tools > *, header.bar .logo")]
          .filter((el) => el.getClientRects().length).map((el) => el.getBoundingClientRect());
        const overlapping = tools.some((a, i) => tools.some((b, j) => i < j &&
          a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1));
        const buttons = [...document.querySelectorAll(".card button")]
          .filter((b) => b.getClientRects().length)
          .map((b) => Math.min(b.offsetWidth, b.offsetHeight));
        return { header, tall, phones, cut, outside, overlapping, smallest: Math.min(...buttons),
                 wide: document.documentElement.scrollWidth };
        }"""
    )
    below_header = PHONE["height"] - sizes["header"]
    print(lang, sizes)
    assert below_header / (sizes["tall"] + 8) >= 3, sizes  # three cards or more at a time
    assert all(w >= 48 and h >= 48 for w, h in sizes["phones"]), sizes["phones"]
    assert (sizes["cut"], sizes["outside"], sizes["overlapping"]) == ([], [], False), sizes
    assert sizes["smallest"] >= 44 and sizes["wide"] <= PHONE["width"]
    page.context.close()


def logged_in(hub, name: str) -> requests.Session:
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


def test_a_requests_history_shows_who_did_what_when_while_the_queue_stays_live(hub, browser, shots):
    """Who called, started, wrote a note, closed and reopened, at what time of the
    hub's time zone (Asia/Baku; the phone's own clock is in another), in a fold of
    the card that leaves the live queue running: a new request arriving meanwhile
    is shown and announced, and the open history follows what others do."""
    boss = logged_in(hub, "boss")
    page = phone_page(browser, hub, "az", timezone_id="America/Sao_Paulo")
    expect(page.locator("#counts")).not_to_be_empty()
    ticket = send(hub, name="Nigar", phone="0501234567")
    mine = card(page, ticket)
    expect(mine).to_be_visible(timeout=10_000)
    rid = mine.get_attribute("data-id")
    for action in ("call", "serve"):
        page.evaluate(f"Shell.api('POST', '/api/v1/console/requests/{rid}/{action}')")
    page.evaluate(
        f"Shell.api('POST', '/api/v1/console/requests/{rid}/note', {{note: 'sənəd gətirəcək'}})"
    )
    page.evaluate(f"Shell.api('POST', '/api/v1/console/requests/{rid}/done')")
    assert boss.post(f"{hub.url}/api/v1/console/requests/{rid}/reopen").status_code == 200
    expect(card(page, ticket).locator(".status")).to_have_text("Kömək olunur")
    if page.locator("#alert").is_visible():
        page.locator("#alert").tap()
    settle(page)

    # One double tap opens it once (the second tap does not fold it again).
    toggle = card(page, ticket).locator(".history-toggle")
    double_tap(page, toggle, 120)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    rows = card(page, ticket).locator(".history-list li")
    said = [
        "Nigar",  # not in the history: the resident's name is on the card only
        "terminalından gəldi",
        "aysel çağırdı",
        "aysel kömək etməyə başladı",
        "aysel qeyd yazdı",
        "aysel bitirdi",
        "boss yenidən açdı → Kömək olunur",
    ]
    expect(rows).to_have_count(6)
    texts = [rows.nth(i).locator(".what").text_content() for i in range(6)]
    assert texts[0] == "hall-1 terminalından gəldi"
    assert texts[1:] == said[2:]
    assert "sənəd" not in card(page, ticket).locator(".history").text_content()  # no note words
    # The times are the hub's (Asia/Baku), not the phone's (São Paulo, 7 hours behind).
    events = boss.get(f"{hub.url}/api/v1/console/requests/{rid}/history").json()
    assert events["time_zone"] == "Asia/Baku"
    baku = [
        datetime.fromisoformat(e["at"]).astimezone(ZoneInfo("Asia/Baku")).strftime("%H:%M")
        for e in events["events"]
    ]
    shown = [rows.nth(i).locator("time").text_content() for i in range(1, 6)]
    assert shown == baku, (shown, baku)
    expect(card(page, ticket).locator(".history-zone")).to_have_text("vaxt: Asia/Baku")

    # The queue stays live while the history is open: a new request is shown and announced.
    before = page.locator("#open-list .card").count()
    newcomer = send(hub, name="Rəşad")
    expect(card(page, newcomer)).to_be_visible(timeout=10_000)
    expect(page.locator("#open-list .card")).to_have_count(before + 1)
    expect(page.locator("#alert")).to_be_visible()
    expect(page.locator("#alert")).to_contain_text(newcomer)
    expect(card(page, ticket).locator(".history")).to_be_visible()
    # What another volunteer does to the request shows in its open history at once.
    assert boss.post(f"{hub.url}/api/v1/console/requests/{rid}/done").status_code == 200
    closed = page.locator(f"#done-list .card:has(.ticket:text-is('{ticket}'))")
    expect(closed.locator(".status")).to_have_text("Bitdi")
    page.locator("#alert").tap()
    settle(page)
    page.locator("#finished summary").tap()
    expect(closed.locator(".history")).to_be_visible()
    expect(closed.locator(".history-list li")).to_have_count(7)
    expect(closed.locator(".history-list li").last.locator(".what")).to_have_text("boss bitirdi")
    settle(page)
    closed.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "console-history-az-390x844.png"))

    def fits() -> dict:
        return page.evaluate(
            """() => {
            const box = (el) => el.getBoundingClientRect();
            const panels = [...document.querySelectorAll(".card .history:not([hidden])")];
            const outside = panels.flatMap((p) => {
              const card = box(p.closest(".card"));
              return [...p.querySelectorAll("li, time, .what, h3, p")].filter((el) => {
                const r = box(el);
                return r.width && (r.left < card.left - 1 || r.right > card.right + 1);
              }).map((el) => el.textContent);
            });
            const cut = [...document.querySelectorAll(".history time, .history .what")]
              .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent);
            const toggles = [...document.querySelectorAll(".history-toggle")]
              .filter((b) => b.getClientRects().length)
              .map((b) => Math.min(b.offsetWidth, b.offsetHeight));
            return { outside, cut, smallest: Math.min(...toggles),
                     wide: document.documentElement.scrollWidth };
            }"""
        )

    sizes = fits()
    assert (sizes["outside"], sizes["cut"]) == ([], []), sizes
    assert sizes["smallest"] >= 44 and sizes["wide"] <= PHONE["width"], sizes
    # Russian: the same history in its words, still inside the card.
    page.locator(".langs button[data-lang=ru]").tap()
    expect(closed.locator(".history-list li").last.locator(".what")).to_have_text(
        "boss завершил(а)"
    )
    expect(closed.locator(".history-list li").nth(5).locator(".what")).to_have_text(
        "boss открыл(а) снова → Обслуживается"
    )
    closed.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "console-history-ru-390x844.png"))
    sizes = fits()
    assert (sizes["outside"], sizes["cut"]) == ([], []), sizes
    assert sizes["wide"] <= PHONE["width"], sizes
    page.set_viewport_size({"width": 1280, "height": 800})
    closed.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "console-history-ru-1280x800.png"))
    page.context.close()


def test_admins_see_who_closed_and_reopened_requests_on_the_activity_page(hub, browser, shots):
    """The admins' activity page lists the queue's closings and reopens: who, which
    ticket, from which state to which, when (in the hub's time zone, not the
    admin's computer's), and shows the queue's lines alone when asked."""
    aysel = logged_in(hub, "aysel")
    ticket = send(hub)
    queue = aysel.get(f"{hub.url}/api/v1/console/queue").json()["requests"]
    [rid] = [r["id"] for r in queue if r["ticket"] == ticket and r["status"] == "waiting"]
    for action in ("serve", "done"):
        assert aysel.post(f"{hub.url}/api/v1/console/requests/{rid}/{action}").status_code == 200
    page = phone_page(browser, hub, "az", name="boss", timezone_id="America/Sao_Paulo")
    page.evaluate(f"Shell.api('POST', '/api/v1/console/requests/{rid}/reopen')")
    page.goto(hub.url + "/studio/activity/")
    page.select_option("#act-kind", "queue")
    rows = page.locator("#act-table tbody tr")
    newest = rows.first
    expect(newest).to_have_attribute("data-action", "request.reopen")
    cells = newest.locator("td")
    expect(cells.nth(1)).to_have_text("boss")
    expect(cells.nth(2)).to_have_text("Müraciəti yenidən açdı")
    expect(cells.nth(3)).to_have_text(ticket)
    expect(cells.nth(4)).to_have_text("bitdi → kömək olunur · məntəqə: barda")
    done = rows.nth(1)
    expect(done).to_have_attribute("data-action", "request.done")
    expect(done.locator("td").nth(1)).to_have_text("aysel")
    # Only the queue's lines are listed.
    actions = rows.evaluate_all("rs => rs.map(r => r.dataset.action)")
    assert actions and all(a.startswith("request.") for a in actions), actions
    # The time is the hub's (Asia/Baku), not the phone's (São Paulo).
    log = page.evaluate("Shell.api('GET', '/api/v1/admin/activity?kind=queue&limit=1')")
    at = datetime.fromisoformat(log["entries"][0]["at"]).astimezone(ZoneInfo("Asia/Baku"))
    expect(cells.nth(0)).to_contain_text(at.strftime("%H:%M"))
    page.screenshot(path=str(shots / "activity-queue-az-390x844.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(".langs button[data-lang=ru]").tap()
    expect(cells.nth(2)).to_have_text("Открыл(а) заявку снова")
    expect(cells.nth(4)).to_have_text("готово → обслуживается · пункт: barda")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(shots / "activity-queue-ru-1280x800.png"))
    page.context.close()


def test_display_names_from_the_volunteers_page_and_the_console_reach_the_display(
    hub, browser, shots
):
    """An admin gives a volunteer the name the waiting room sees (a hostile one is
    refused in the admin's language, what was typed kept); the volunteer changes it
    in the console; the display shows it, and for a volunteer with none it names no
    one (not "Quliyeva"), only where to go."""
    leyla = logged_in(hub, "quliyeva.leyla")
    aysel_api = logged_in(hub, "aysel")
    aysel_api.post(f"{hub.url}/api/v1/console/desk", json={"desk": 0})
    display = browser.new_page(viewport={"width": 1280, "height": 720})
    display.goto(f"{hub.url}/display/?site=barda&key={hub.display_key}")

    def call(volunteer: requests.Session, ticket: str) -> None:
        queue = volunteer.get(f"{hub.url}/api/v1/console/queue").json()["requests"]
        [rid] = [r["id"] for r in queue if r["ticket"] == ticket and r["status"] == "waiting"]
        assert volunteer.post(f"{hub.url}/api/v1/console/requests/{rid}/call").status_code == 200

    ticket = send(hub)
    call(leyla, ticket)
    expect(display.locator("#now-ticket")).to_have_text(ticket, timeout=10_000)
    expect(display.locator("#now-volunteer")).to_have_text(
        "Könüllüyə yaxınlaşın · Подойдите к волонтёру"
    )
    assert "uliyeva" not in display.locator("body").inner_text().lower()
    assert "leyla" not in display.locator("body").inner_text().lower()

    page = phone_page(browser, hub, "az", name="boss")
    page.goto(hub.url + "/studio/volunteers/")
    row = page.locator('#vol-table tr[data-name="aysel"]')
    box = row.locator(".display-name input")
    box.fill("Ay\u202esel")  # a bidi override: the TV would show the letters reordered
    row.locator(".display-name button").tap()
    expect(page.locator("#vol-error")).to_contain_text("görünməyən")
    expect(box).to_have_value("Ay\u202esel")  # what was typed stays to correct
    box.fill("Aysel")
    # One touch, one action: the page takes the next tap 0.7 s after the last action.
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    row.locator(".display-name button").tap()
    expect(page.locator("#vol-said")).to_have_text("aysel: ekranda «Aysel».")
    expect(page.locator("#vol-error")).to_have_text("")
    page.screenshot(path=str(shots / "volunteers-display-name-az-390x844.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(".langs button[data-lang=ru]").tap()
    expect(page.locator("#vol-table thead")).to_contain_text("Имя на экране")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(shots / "volunteers-display-name-ru-1280x800.png"))
    page.context.close()

    # Her call shows the name she was given; she changes it in the console.
    second = send(hub)
    call(aysel_api, second)
    expect(display.locator("#now-ticket")).to_have_text(second, timeout=10_000)
    expect(display.locator("#now-volunteer")).to_have_text("Könüllü: Aysel · Волонтёр: Aysel")
    console = phone_page(browser, hub, "ru")
    expect(console.locator("#shell-who")).to_contain_text("Aysel ·")
    console.locator("#my-name-fold summary").scroll_into_view_if_needed()
    console.locator("#my-name-fold summary").tap()
    expect(console.locator("#my-name")).to_have_value("Aysel")
    # The box takes 30 characters at most; a zero-width joiner is refused by the hub.
    console.locator("#my-name").fill("Aysel" + "ə" * 40)
    expect(console.locator("#my-name")).to_have_value("Aysel" + "ə" * 25)
    console.locator("#my-name").fill("Ay\u200dsel")
    console.locator("#my-name-form button").tap()
    expect(console.locator("#my-name-said")).to_contain_text("невидимый или управляющий символ")
    expect(console.locator("#my-name")).to_have_value("Ay\u200dsel")
    console.locator("#my-name").fill("Aysel Məmmədova")
    console.locator("#my-name-form button").tap()
    expect(console.locator("#my-name-said")).to_have_text("Сохранено: на экране «Aysel Məmmədova».")
    expect(console.locator("#shell-who")).to_contain_text("Aysel Məmmədova ·")
    expect(display.locator("#now-volunteer")).to_have_text(
        "Könüllü: Aysel Məmmədova · Волонтёр: Aysel Məmmədova"
    )
    console.screenshot(path=str(shots / "console-my-name-ru-390x844.png"))
    assert console.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The longest name there may be (30 characters), twice, stays inside the call's panel.
    longest = "Ülviyyə Məmmədquluzadə-Hacıyev"
    assert len(longest) == 30
    aysel_api.post(f"{hub.url}/api/v1/console/display-name", json={"display_name": longest})
    expect(display.locator("#now-volunteer")).to_contain_text(longest)
    panel = display.locator(".now").bounding_box()
    line = display.locator("#now-volunteer").bounding_box()
    assert line["y"] + line["height"] <= panel["y"] + panel["height"], (line, panel)
    assert line["x"] >= panel["x"] and line["x"] + line["width"] <= panel["x"] + panel["width"]
    display.screenshot(path=str(shots / "display-name-1280x720.png"))
    # Put back for the other tests: her calls name her "Aysel".
    aysel_api.post(f"{hub.url}/api/v1/console/display-name", json={"display_name": "Aysel"})
    console.context.close()
    display.close()
