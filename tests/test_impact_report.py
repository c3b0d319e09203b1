"""The monthly impact report: figures built from a hub database filled with a
realistic month (three districts, many services, waits, no-shows, terminals that
went quiet), checked against the data; the PDF has its charts and Azerbaijani
letters in its text layer; no name, phone or ticket from the data reaches the PDF
or the CSV; small counts show as "< 5"; admins download it from a real hub."""

from __future__ import annotations

import csv
import io
import random
import shutil
import statistics
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import requests
import sqlite_utils

from kiosk.hub.fleet.report import build_report, month_start, names, shown, to_csv, to_pdf
from kiosk.hub.store import HubStore
from tests.helpdesk_support import RunningHub, cheap_hasher

BAKU = timezone(timedelta(hours=4))
MONTH = "2026-11"
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=BAKU)
SITES = {"barda": 3, "terter": 2, "yevlakh": 1}  # terminals per district
SERVICES = ["social-assistance", "id-card", "pension-disability", "idp", "asan-imza"]
NAMES = ["Aysel", "Rəşad", "Günel", "Elşən", "Ülviyyə"]
TITLES = {
    "social-assistance": {"az": "Ünvanlı sosial yardım", "ru": "Адресная соцпомощь"},
    "id-card": {"az": "Şəxsiyyət vəsiqəsi", "ru": "Удостоверение личности"},
}
PLACES = {"barda": {"az": "Bərdə", "ru": "Барда"}, "terter": {"az": "Tərtər", "ru": "Тертер"}}


def _phone(i: int) -> str:
    return f"+99450{7000000 + i:07d}"


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """A hub database with November 2026 (and a quieter October), and what went into it."""
    folder = tmp_path_factory.mktemp("hub")
    store = HubStore(folder / "hub.db", password_hasher=cheap_hasher())
    rng = random.Random(2026)
    expect = {
        s: {"requests": 0, "no_show": 0, "waits": [], "sessions": 0, "opened": 0} for s in SITES
    }
    expect_oct = {"requests": 0, "sessions": 0}
    terminals = []
    for site, n in SITES.items():
        for k in range(n):
            name = f"{site}-{k + 1}"
            store.add_terminal(name, site, datetime(2026, 9, 1, tzinfo=UTC))
            terminals.append((name, site))
    db = sqlite_utils.Database(folder / "hub.db")
    rid = 0
    for day in range(1, 31):
        when = date(2026, 11, day)
        for name, site in terminals:
            rows = []
            sessions = rng.randint(5, 25)
            expect[site]["sessions"] += sessions
            rows.append({"day": when.isoformat(), "service": "", "sessions": sessions, "help": 1})
            for svc in SERVICES:
                opened = rng.randint(0, 6)
                expect[site]["opened"] += opened
                rows.append(
                    {
                        "day": when.isoformat(),
                        "service": svc,
                        "opened": opened,
                        "finished": opened // 2,
                        "printed": opened // 3,
                    }
                )
            store.record_usage(name, rows, datetime.combine(when, datetime.min.time(), UTC))
        # help requests: a name, a phone and a ticket each, which must never reach the report
        for site in SITES:
            for _ in range(rng.randint(0, 6) if site != "yevlakh" else (1 if day == 3 else 0)):
                rid += 1
                hour = rng.choice([9, 10, 10, 11, 14, 15])
                received = datetime(2026, 11, day, hour, rng.randint(0, 59), tzinfo=BAKU)
                status = rng.choice(["done", "done", "done", "no_show", "cancelled"])
                wait = rng.randint(60, 1800)
                called = received + timedelta(seconds=wait) if status != "cancelled" else None
                expect[site]["requests"] += 1
                expect[site]["no_show"] += status == "no_show"
                if called:
                    expect[site]["waits"].append(wait)
                db["help_requests"].insert(
                    {
                        "id": rid,
                        "idem_key": f"k{rid}",
                        "terminal": f"{site}-1",
                        "site": site,
                        "ticket": f"Q-{700 + rid}",
                        "topic_service_id": rng.choice(SERVICES),
                        "first_name": rng.choice(NAMES),
                        "phone": _phone(rid),
                        "issued_at": received.astimezone(UTC).isoformat(),
                        "received_at": received.astimezone(UTC).isoformat(timespec="milliseconds"),
                        "waiting_since": received.astimezone(UTC).isoformat(),
                        "status": status,
                        "call_count": 1 if called else 0,
                        "called_at": called.astimezone(UTC).isoformat() if called else None,
                        "finished_at": None,
                        "note": f"secret note {rid}",
                        "updated_by": "aysel",
                        "lang": rng.choice(["az", "az", "ru"]),
                    }
                )
    # October: a quieter month before
    for name, _site in terminals[:2]:
        store.record_usage(name, [{"day": "2026-10-15", "service": "", "sessions": 40}], NOW)
        expect_oct["sessions"] += 40
    # Heartbeats: barda-1 every hour of November but a 5-hour silence on the 10th;
    # the others from the 20th on.
    for hour in range(30 * 24):
        at = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=hour)
        for name, site in terminals:
            silent = (
                datetime(2026, 11, 10, 3, tzinfo=UTC) <= at < datetime(2026, 11, 10, 8, tzinfo=UTC)
            )
            late = at < datetime(2026, 11, 20, tzinfo=UTC)
            if (name == "barda-1" and not silent) or (name != "barda-1" and not late):
                store.record_heartbeat(name, site, {"printer": "ok"}, at)
    # Narration counts since each start: barda-1 restarts once (its count drops).
    day = datetime(2026, 11, 5, 10, tzinfo=BAKU)
    store.record_voice("barda-1", "barda", [{"lang": "az", "human": 10, "total": 100}], day)
    store.record_voice("barda-1", "barda", [{"lang": "az", "human": 40, "total": 200}], day)
    store.record_voice(
        "barda-1", "barda", [{"lang": "az", "human": 5, "total": 50}], day + timedelta(days=1)
    )
    store.record_voice("terter-1", "terter", [{"lang": "ru", "human": 0, "total": 150}], day)
    store.close()
    store = HubStore(folder / "hub.db", password_hasher=cheap_hasher())
    yield folder, store, expect, expect_oct
    store.close()


def test_impact_report_figures_match_the_data(month):
    _, store, expect, expect_oct = month
    report = build_report(store, MONTH, tz=BAKU, now=NOW)
    assert set(report.sites) == set(SITES)
    for site, e in expect.items():
        f = report.sites[site]
        assert f.requests == e["requests"], site
        assert f.no_show == e["no_show"], site
        assert f.sessions == e["sessions"], site
        assert f.services_opened == e["opened"], site
        assert sorted(f.waits) == sorted(e["waits"]), site
    total = report.total
    assert total.requests == sum(e["requests"] for e in expect.values())
    all_waits = [w for e in expect.values() for w in e["waits"]]
    assert statistics.median(total.waits) == statistics.median(all_waits)
    assert report.previous[""].sessions == expect_oct["sessions"]
    assert report.trend[-1][1] == total.sessions and report.trend[-2][1] == expect_oct["sessions"]
    # Narration: 100 + (200-100) + 50 after the restart in az, 150 in ru; human 10 + 30 + 5.
    assert total.lines == {"az": 250, "ru": 150}
    assert total.human == 45
    # Uptime, counted from each terminal's first heartbeat to the month's end in Baku
    # (30 Nov 20:00 UTC): barda-1 from 1 Nov 00:00 UTC, 716 hours, silent for 5 of
    # them (one outage); barda-2 and -3 from 20 Nov 00:00 UTC, 260 hours, never silent.
    barda = report.sites["barda"]
    assert barda.outages == 1
    assert barda.window_hours == 716 + 2 * 260
    assert barda.heard_hours == 716 - 5 + 2 * 260
    assert report.sites["yevlakh"].outages == 0


def test_impact_report_one_district_and_small_counts(month):
    _, store, expect, _ = month
    report = build_report(store, MONTH, "yevlakh", tz=BAKU, now=NOW)
    assert list(report.sites) == ["yevlakh"]
    assert report.total.requests == expect["yevlakh"]["requests"] == 1
    titles, sites = names(TITLES, PLACES, "az")
    text = to_csv(report, "az", titles, sites)
    rows = list(csv.reader(io.StringIO(text)))
    requests_row = next(r for r in rows if r[1] == "yevlakh" and r[2] == "Köməkçi çağırışları")
    assert requests_row[3] == "< 5"
    wait_row = next(r for r in rows if r[1] == "yevlakh" and r[2].startswith("Gözləmə, median"))
    assert wait_row[3] in ("< 5", "–")  # one wait is never shown as a figure
    assert shown(0) == "0" and shown(4) == "< 5" and shown(5) == "5"


def test_impact_report_a_small_count_cannot_be_found_by_subtraction(month):
    """Yevlakh's one help request shows as "< 5"; were the total and the other two
    districts exact, 170 - 87 - 82 would give it back. So one more is hidden."""
    _, store, expect, _ = month
    report = build_report(store, MONTH, tz=BAKU, now=NOW)
    titles, sites = names(TITLES, PLACES, "en")
    table = list(csv.reader(io.StringIO(to_csv(report, "en", titles, sites))))
    got = {r[1]: r[3] for r in table if r[2] == "Help requests"}
    assert got["yevlakh"] == "< 5"
    assert got["All districts"] == str(report.total.requests)
    others = [v for k, v in got.items() if k not in ("All districts", "yevlakh")]
    assert sorted(others)[1] == "hidden", got  # one of Bərdə and Tərtər is hidden too
    assert sorted(others)[0].isdigit()

    # Inside one district: one service opened fewer than 5 times hides one more.
    from kiosk.hub.fleet.report import Figures, rows, secondary_hidden

    f = Figures()
    f.opened.update({"id-card": 3, "idp": 40, "pension-disability": 12})
    hidden = secondary_hidden({"barda": f})
    assert hidden == {"barda": {"svc:pension-disability"}, "": {"svc:pension-disability"}}
    shown_rows = {a: b for a, b, _ in rows(f, Figures(), "en", {}, hidden["barda"])}
    assert shown_rows["Services opened: id-card"] == "< 5"
    assert shown_rows["Services opened: pension-disability"] == "hidden"
    assert shown_rows["Services opened: idp"] == "40"


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("lang", ["az", "ru"])
def test_impact_report_pdf_has_charts_letters_and_no_person(month, tmp_path, lang):
    _, store, expect, _ = month
    report = build_report(store, MONTH, tz=BAKU, now=NOW)
    titles, sites = names(TITLES, PLACES, lang)
    pdf = to_pdf(report, lang, titles, sites)
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    if lang == "az":
        assert "ə" in text and "Bərdə" in text and "Ünvanlı sosial yardım" in text
        assert "Saatlara görə gözləmə" in text  # the wait-by-hour chart's title
        assert "Xidmətlər: açılıb" in text  # the bar chart's title
        assert "Aylar üzrə" in text  # the line over the months
    else:
        assert "Ожидание по часам" in text and "Барда" in text
    # The summary states the month's sessions.
    assert str(report.total.sessions) in text
    # The charts are drawn: the bar chart's category labels and the months axis are there.
    assert "2026-10" in text and "2026-11" in text
    csv_text = to_csv(report, lang, titles, sites)
    for i in range(1, 400):
        assert _phone(i) not in text and _phone(i) not in csv_text
        assert f"Q-{700 + i}" not in text and f"Q-{700 + i}" not in csv_text
        assert f"secret note {i}" not in text
    for name in NAMES:
        assert name not in text and name not in csv_text


def test_impact_report_command_writes_pdf_and_csv(month, tmp_path):
    folder, _, expect, _ = month
    out, table = tmp_path / "nov.pdf", tmp_path / "nov.csv"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "hub",
            "report",
            "--month",
            MONTH,
            "--data",
            str(folder),
            "--out",
            str(out),
            "--csv",
            str(table),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(b"%PDF")
    rows = list(csv.reader(table.open(encoding="utf-8")))
    barda = next(r for r in rows if r[1] == "Barda" and r[2] == "Help requests")
    assert barda[3] == str(expect["barda"]["requests"])
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "hub",
            "report",
            "--month",
            "2026-13",
            "--data",
            str(folder),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr
    helptext = subprocess.run(
        [sys.executable, "-m", "kiosk", "hub", "report", "--help"], capture_output=True, text=True
    ).stdout
    for option in ("--month", "--site", "--out", "--csv", "--lang"):
        assert option in helptext


def test_impact_report_download_is_for_admins_only(month, tmp_path):
    folder, _, _, _ = month
    data = tmp_path / "hubdata"
    shutil.copytree(folder, data)
    store = HubStore(data / "hub.db", password_hasher=cheap_hasher())
    now = datetime.now(UTC)
    store.add_volunteer("leyla", "barda", "a long password", now, admin=True)
    store.add_volunteer("aysel", "barda", "a long password", now)
    store.close()
    hub = RunningHub(data).start()
    try:
        url = f"{hub.url}/api/v1/report"
        assert requests.get(url, params={"month": MONTH}, timeout=10).status_code == 401

        def session(name: str) -> requests.Session:
            s = requests.Session()
            csrf = s.get(f"{hub.url}/api/v1/console/me", timeout=10).json()["csrf_token"]
            r = s.post(
                f"{hub.url}/api/v1/console/login",
                json={"name": name, "password": "a long password"},
                headers={"X-CSRF-Token": csrf},
                timeout=10,
            )
            assert r.status_code == 200, r.text
            return s

        assert session("aysel").get(url, params={"month": MONTH}, timeout=10).status_code == 403
        admin = session("leyla")
        r = admin.get(url, params={"month": MONTH, "lang": "ru"}, timeout=60)
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
        assert "attachment" in r.headers["content-disposition"]
        # The page's "All districts" sends an empty site: the whole report, not an error.
        r = admin.get(url, params={"month": MONTH, "site": "", "format": "csv"}, timeout=60)
        assert r.status_code == 200 and "Bərdə" in r.text and "Tərtər" in r.text, r.text
        r = admin.get(url, params={"month": MONTH, "site": "barda", "format": "csv"}, timeout=60)
        assert r.status_code == 200 and "Bərdə" in r.text
        assert _phone(1) not in r.text
        assert admin.get(url, params={"month": "26-11"}, timeout=10).status_code == 422
        assert (
            admin.get(url, params={"month": MONTH, "site": "nowhere"}, timeout=10).status_code
            == 404
        )
        page = admin.get(f"{hub.url}/studio/report/", timeout=10)
        assert page.status_code == 200 and 'action="/api/v1/report"' in page.text
    finally:
        hub.stop()


def test_impact_report_months_off_the_calendar_are_refused_clearly(month):
    """A year 9999 or 0001 once ran the month before off the calendar (a traceback)."""
    _, store, _, _ = month
    for text in ("9999-12", "0001-01", "1999-12", "2026-1", " 2026-11", "2026-11\n"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            month_start(text)
        with pytest.raises(ValueError, match="YYYY-MM"):
            build_report(store, text, tz=BAKU, now=NOW)
    assert month_start("2099-12") == date(2099, 12, 1)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_impact_report_charts_say_which_colour_is_which_and_hide_small_hours(month, tmp_path):
    """The two-series charts once had no legend; an hour with one call was still named."""
    _, store, _, _ = month
    titles, sites = names(TITLES, PLACES, "az")

    def first_page(report) -> str:
        path = tmp_path / "r.pdf"
        path.write_bytes(to_pdf(report, "az", titles, sites))
        out = subprocess.run(["pdftotext", "-l", "1", str(path), "-"], capture_output=True)
        return out.stdout.decode("utf-8")

    text = first_page(build_report(store, MONTH, tz=BAKU, now=NOW))
    for legend in ("Açılan xidmətlər", "Sonadək baxılan xidmətlər", "İstifadə (sakinlər)"):
        assert legend in text
    assert "Köməkçi çağırışları" in text
    # Yevlakh had one request: no hour of it is named or drawn.
    assert "Saatlara görə gözləmə" not in first_page(
        build_report(store, MONTH, "yevlakh", tz=BAKU, now=NOW)
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_impact_report_of_an_empty_hub_is_a_whole_pdf_and_csv(tmp_path):
    """A hub with no data at all: a PDF and CSV of zeros whose chart counts in whole
    numbers (it once marked 0.002, 0.004 … residents)."""
    store = HubStore(tmp_path / "hub.db", password_hasher=cheap_hasher())
    report = build_report(store, MONTH, tz=BAKU, now=NOW)
    store.close()
    titles, sites = names({}, {}, "ru")
    rows = list(csv.reader(io.StringIO(to_csv(report, "ru", titles, sites))))
    assert rows[0][0] == "month" and len(rows) > 10 and rows[1][3] == "0"
    text = _pdf_text(to_pdf(report, "ru", titles, sites), tmp_path)
    assert "Кёмек" in text and "0.002" not in text and "0.01" not in text


@pytest.mark.browser
def test_impact_report_page_in_a_browser_names_districts_and_downloads_all(month, tmp_path):
    """In Russian the districts are named in Russian (they were always Azerbaijani),
    and "All districts" downloads the whole report (it once answered 422)."""
    from playwright.sync_api import sync_playwright

    from kiosk.browser import CHROMIUM, CHROMIUM_ARGS

    folder, _, _, _ = month
    data = tmp_path / "hubdata"
    shutil.copytree(folder, data)
    store = HubStore(data / "hub.db", password_hasher=cheap_hasher())
    store.add_volunteer("leyla", "barda", "a long password", datetime.now(UTC), admin=True)
    store.close()
    hub = RunningHub(data).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ctx = browser.new_context(accept_downloads=True, viewport={"width": 390, "height": 844})
            ctx.add_init_script("localStorage.setItem('komek.lang', 'ru')")
            csrf = ctx.request.get(f"{hub.url}/api/v1/console/me").json()["csrf_token"]
            r = ctx.request.post(
                f"{hub.url}/api/v1/console/login",
                data={"name": "leyla", "password": "a long password"},
                headers={"X-CSRF-Token": csrf},
            )
            assert r.ok, r.text()
            page = ctx.new_page()
            page.goto(f"{hub.url}/studio/report/")
            assert page.locator("#report-site option[value=barda]").text_content() == "Барда"
            assert page.locator("#report-lang").input_value() == "ru"
            page.fill("#report-month", MONTH)
            with page.expect_download(timeout=60_000) as download:
                page.click("button[value=csv]")
            saved = tmp_path / "all.csv"
            download.value.save_as(saved)
            text = saved.read_text(encoding="utf-8")
            assert "Все районы" in text and "Барда" in text and _phone(1) not in text
            browser.close()
    finally:
        hub.stop()
