"""Provenance is data: a service or site file lists the pages a person read
(`[sources.KEY]` with url and the day checked) and every fact-bearing item cites
them or says it is unconfirmed. The validator refuses what breaks that, naming
file and item."""

from datetime import date
from pathlib import Path

import pytest

from kiosk.core.content import check_bundle
from kiosk.core.content.model import Ask, Step
from kiosk.core.content.provenance import (
    missing,
    needs_source,
    official_source,
    report,
    unused,
)

ALLOW = ("gov.az", "e-gov.az", "edu.az")
TODAY = date(2026, 12, 7)

SERVICE = """
id = "prov-test"
group = "social"
icon = "hand-heart"
title = { az = "Sınaq", ru = "Проба", en = "Trial" }
summary = { az = "Sınaq xidməti", ru = "Пробная услуга", en = "A trial service" }
link = "https://www.e-gov.az"

[sources.dsmf]
url = "https://dsmf.gov.az/az/udsy"
checked = 2026-11-29
title = "DSMF: ÜDSY"

[sources.news]
url = "https://ictnews.az/print.php?content=41085"
checked = 2016-05-01
note = "news, not the ministry"

[[documents]]
az = "Şəxsiyyət vəsiqəsi"
ru = "Удостоверение личности"
en = "ID card"
source = "dsmf"

[[documents]]
az = "Ailə tərkibi haqqında arayış"
ru = "Справка о составе семьи"
en = "Family certificate"
unconfirmed = true
ask = "142"

[[steps]]
id = "what"
kind = "info"
icon = "hand-heart"
text = { az = "Qərar 15 iş günü ərzində verilir.", ru = "Решение за 15 рабочих дней.", en = "A decision in 15 working days." }
source = ["dsmf", "news"]

[[steps]]
id = "maybe"
kind = "info"
icon = "hand-heart"
text = { az = "Ərizə 90 gün etibarlıdır.", ru = "Заявление действует 90 дней.", en = "The application is valid 90 days." }
unconfirmed = true

[[steps]]
id = "documents"
kind = "documents"
icon = "file-document-multiple"
text = { az = "Lazımdır:", ru = "Нужно:", en = "You need:" }

[[steps]]
id = "finish"
kind = "finish"
icon = "check-circle"
text = { az = "Vərəqəni çap edin.", ru = "Распечатайте памятку.", en = "Print your slip." }
"""

SITE_TAIL = """

[sources.prov-asan]
url = "https://asan.gov.az/az/centers"
checked = 2026-11-20

[places.prov-test]
az = "ASAN xidmət"
ru = "АСАН"
en = "ASAN"
source = "prov-asan"

[places.prov-maybe]
az = "DOST mərkəzi"
ru = "центр DOST"
en = "DOST centre"
unconfirmed = true

[[help_points]]
name = { az = "DOST", ru = "DOST", en = "DOST" }
phone = "142"
source = "prov-asan"
"""


def add_trial(root: Path) -> None:
    """The trial service in group social, and Bərdə's additions; whatever Bərdə's own
    places and help points do not cite yet cites the trial's source (a site file
    that lists [sources] must be complete)."""
    (root / "services" / "prov-test.toml").write_text(SERVICE, encoding="utf-8")
    groups = root / "groups.toml"
    groups.write_text(
        groups.read_text().replace("services = [", 'services = ["prov-test", ', 1),
        encoding="utf-8",
    )
    site = root / "sites" / "barda.toml"
    site.write_text(site.read_text(encoding="utf-8") + SITE_TAIL, encoding="utf-8")
    complete_site(site)


def complete_site(site: Path) -> None:
    """Every place and help point of the site file that cites nothing cites the
    trial's source "prov-asan" (added to the file if it is not there)."""
    import tomlkit

    doc = tomlkit.parse(site.read_text(encoding="utf-8"))
    sources = doc.setdefault("sources", tomlkit.table(is_super_table=True))
    if "prov-asan" not in sources:
        sources["prov-asan"] = {"url": "https://asan.gov.az/az/centers", "checked": TODAY}
    for table in [*doc.get("places", {}).values(), *doc.get("help_points", [])]:
        unmarked = "source" not in table and "unconfirmed" not in table
        if unmarked or "://" in str(table.get("source", "")):
            table["source"] = "prov-asan"
    site.write_text(tomlkit.dumps(doc), encoding="utf-8")


@pytest.fixture
def bundle_dir(content_copy: Path) -> Path:
    """The default content plus a service and site additions in the new schema."""
    add_trial(content_copy)
    return content_copy


def trial_point(root: Path, **changes: object) -> None:
    """Change the trial's help point (Bərdə's last one); None removes a key."""
    import tomlkit

    site = root / "sites" / "barda.toml"
    doc = tomlkit.parse(site.read_text(encoding="utf-8"))
    point = doc["help_points"][-1]
    for key, value in changes.items():
        if value is None:
            del point[key]
        else:
            point[key] = value
    site.write_text(tomlkit.dumps(doc), encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(root: Path) -> list[str]:
    bundle, problems = check_bundle(root, ALLOW, today=TODAY)
    assert bundle is None, "the bundle should have been refused"
    return [str(p) for p in problems]


def test_the_new_schema_is_read_into_the_model(bundle_dir):
    bundle, problems = check_bundle(bundle_dir, ALLOW, today=TODAY)
    assert problems == [] and bundle is not None
    svc = bundle.services["prov-test"]
    assert svc.sources["dsmf"].url == "https://dsmf.gov.az/az/udsy"
    assert svc.sources["dsmf"].checked == "2026-11-29"
    assert svc.sources["dsmf"].title == "DSMF: ÜDSY"
    assert svc.sources["news"].note == "news, not the ministry"
    assert svc.step("what").provenance.sources == ("dsmf", "news")
    assert not svc.step("what").provenance.unconfirmed
    maybe = svc.step("maybe").provenance
    assert maybe.unconfirmed and maybe.ask is Ask.VOLUNTEER
    assert svc.document_provenance(0).sources == ("dsmf",)
    assert svc.document_provenance(1).unconfirmed
    assert svc.document_provenance(1).ask is Ask.LINE
    # the document's own text does not pick up the provenance keys as languages
    assert set(svc.documents[0].values) == {"az", "ru", "en"}
    site = bundle.sites["barda"]
    assert site.place_provenance["prov-test"].sources == ("prov-asan",)
    assert site.place_provenance["prov-maybe"].unconfirmed
    assert set(site.places["prov-test"].values) == {"az", "ru", "en"}
    point = site.help_points[-1]
    assert point.provenance.sources == ("prov-asan",)
    # a help point citing a key is reachable and verified through that source
    assert point.source == "https://asan.gov.az/az/centers"
    assert point.checked == "2026-11-20"
    assert point.verified


def test_a_source_key_that_is_not_in_the_file_is_refused(bundle_dir):
    edit(bundle_dir / "services" / "prov-test.toml", 'source = "dsmf"', 'source = "dsfm"')
    assert any(
        p.startswith("services/prov-test.toml: service 'prov-test' document 1: source 'dsfm'")
        and "not in this file's [sources]" in p
        for p in problems_of(bundle_dir)
    )


def test_a_site_cites_only_its_own_sources(bundle_dir):
    site = bundle_dir / "sites" / "barda.toml"
    edit(site, 'en = "ASAN"\nsource = "prov-asan"', 'en = "ASAN"\nsource = "dsmf"')
    assert any(
        p.startswith("sites/barda.toml: site 'barda' place 'prov-test': source 'dsmf'")
        for p in problems_of(bundle_dir)
    )


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://dsmf.gov.az/udsy", "must start with https://"),
        ("http://dsmf.gov.az/udsy", "must start with https:// (not http://"),
        ("dsmf.gov.az/udsy", "must start with https://"),
        ("https://dsmf gov.az/udsy", "has spaces in it"),
        ("https://user:pw@dsmf.gov.az/", "must not hold a user name or password"),
        ("https:///udsy", "has no host name"),
    ],
)
def test_a_source_url_must_be_a_web_page(bundle_dir, url, why):
    edit(bundle_dir / "services" / "prov-test.toml", "https://dsmf.gov.az/az/udsy", url)
    assert any(
        p.startswith("services/prov-test.toml: service 'prov-test' source 'dsmf': url") and why in p
        for p in problems_of(bundle_dir)
    ), why


@pytest.mark.parametrize(
    ("checked", "why"),
    [
        ('"2026-11-29"', "must be a date written without quotes"),
        ("2026-11-29T10:00:00", "must be a date written without quotes"),
        ("1999-12-31", "is before 2000"),
        ("2026-12-08", "is in the future (today is 2026-12-07)"),
    ],
)
def test_a_checked_date_must_be_a_real_past_day(bundle_dir, checked, why):
    edit(bundle_dir / "services" / "prov-test.toml", "checked = 2026-11-29", f"checked = {checked}")
    assert any(
        p.startswith("services/prov-test.toml: service 'prov-test' source 'dsmf': 'checked'")
        and why in p
        for p in problems_of(bundle_dir)
    ), why


def test_a_terminal_without_today_never_refuses_a_future_date(bundle_dir):
    """A terminal's clock may be wrong: only the admin's side checks "in the future"."""
    edit(bundle_dir / "services" / "prov-test.toml", "checked = 2026-11-29", "checked = 2099-01-01")
    bundle, problems = check_bundle(bundle_dir, ALLOW)
    assert problems == [] and bundle is not None


def test_a_source_needs_url_and_checked(bundle_dir):
    edit(
        bundle_dir / "services" / "prov-test.toml",
        'url = "https://dsmf.gov.az/az/udsy"\nchecked = 2026-11-29\n',
        "",
    )
    found = problems_of(bundle_dir)
    assert (
        "services/prov-test.toml: service 'prov-test' source 'dsmf': 'url' (the page a person read) is missing"
        in found
    )
    assert any(
        "source 'dsmf': 'checked' (the day a person read the page) is missing" in p for p in found
    )


def test_ask_must_be_volunteer_or_142(bundle_dir):
    edit(bundle_dir / "services" / "prov-test.toml", 'ask = "142"', 'ask = "113"')
    assert any(
        p.startswith("services/prov-test.toml: service 'prov-test' document 2: ask '113'")
        for p in problems_of(bundle_dir)
    )


# ---- which items must name a source ------------------------------------------------


def test_the_trial_service_and_site_additions_lack_nothing(bundle_dir):
    bundle, problems = check_bundle(bundle_dir, ALLOW, today=TODAY)
    assert bundle is not None and problems == []
    found = [f"{file}: {item}" for file, item, _ in missing(bundle)]
    assert not [p for p in found if "prov-test" in p or "barda" in p]


@pytest.mark.parametrize(
    ("old", "new", "item"),
    [
        # an info step always
        ('source = ["dsmf", "news"]\n', "", "step 'what'"),
        ("unconfirmed = true\n\n[[steps]]", "\n[[steps]]", "step 'maybe'"),
        # a document line
        ('en = "ID card"\nsource = "dsmf"', 'en = "ID card"', "document 1"),
    ],
)
def test_a_fact_without_source_or_unconfirmed_is_named(bundle_dir, old, new, item):
    edit(bundle_dir / "services" / "prov-test.toml", old, new)
    assert (
        f"services/prov-test.toml: service 'prov-test' {item}: names no source: cite one of "
        'the file\'s [sources] (source = "KEY") or mark it unconfirmed = true'
    ) in problems_of(bundle_dir)


def test_a_place_and_a_help_point_without_source_are_named(bundle_dir):
    site = bundle_dir / "sites" / "barda.toml"
    edit(site, 'en = "ASAN"\nsource = "prov-asan"', 'en = "ASAN"')
    trial_point(bundle_dir, source=None)
    last = len(check_bundle(bundle_dir, ALLOW, draft=True)[0].sites["barda"].help_points)
    found = problems_of(bundle_dir)
    assert any(
        p.startswith("sites/barda.toml: site 'barda' place 'prov-test': names no") for p in found
    )
    assert any(
        p.startswith(f"sites/barda.toml: site 'barda' help point {last}: names no") for p in found
    )


def step_of(**fields: str) -> Step:
    from kiosk.core.content.model import Choice, StepKind, Text

    text = Text({"az": fields.get("text", "Bəli?")})
    choices = tuple(
        Choice(Text({"az": c}), "check") for c in fields.get("choices", "").split("|") if c
    )
    return Step("s", StepKind(fields.get("kind", "question")), "check", text, text, choices)


@pytest.mark.parametrize(
    ("fields", "needs"),
    [
        ({"kind": "info", "text": "Ərizə verin."}, True),
        ({"kind": "online", "text": "e-gov.az"}, True),
        ({"kind": "question", "text": "ASAN İmzanız var?", "choices": "Bəli|Xeyr"}, False),
        ({"kind": "question", "text": "63 yaşınız var?", "choices": "Bəli|Xeyr"}, True),
        ({"kind": "question", "text": "Necə?", "choices": "142-yə zəng|Xeyr"}, True),
        ({"kind": "question", "text": "2. Ərizəniz var?", "choices": "Bəli|Xeyr"}, False),
        ({"kind": "finish", "text": "Vərəqəni çap edin."}, False),
        ({"kind": "finish", "text": "Cavab 15 gündə gəlir."}, True),
        ({"kind": "documents", "text": "Lazımdır:"}, False),
        ({"kind": "help_points", "text": "Pulsuz kömək:"}, False),
    ],
)
def test_which_steps_tell_the_resident_a_fact(fields, needs):
    assert needs_source(step_of(**fields)) is needs


def test_an_unused_source_is_a_warning_not_a_refusal(bundle_dir):
    edit(bundle_dir / "services" / "prov-test.toml", 'source = ["dsmf", "news"]', 'source = "dsmf"')
    bundle, problems = check_bundle(bundle_dir, ALLOW, today=TODAY)
    assert bundle is not None and problems == []
    assert (
        "services/prov-test.toml: service 'prov-test' source 'news' is cited by no item"
        in unused(bundle)
    )


# ---- what an admin rechecks --------------------------------------------------------


def entry(data: dict, kind: str, ident: str) -> dict:
    return next(f for f in data["files"] if f["kind"] == kind and f["id"] == ident)


def test_the_report_lists_sources_unconfirmed_items_and_what_to_recheck(bundle_dir):
    bundle, _ = check_bundle(bundle_dir, ALLOW, today=TODAY)
    data = report(bundle, TODAY)
    svc = entry(data, "service", "prov-test")
    by_key = {s["key"]: s for s in svc["sources"]}
    assert (
        by_key["dsmf"]["checked"] == "2026-11-29"
        and by_key["dsmf"]["age_days"] == (TODAY - date(2026, 11, 29)).days
    )
    assert not by_key["dsmf"]["stale"]
    assert by_key["news"]["stale"] and by_key["news"]["age_days"] > 180
    assert svc["stale"] == ["news"]
    assert by_key["dsmf"]["cited_by"] == ["step 'what'", "document 1"]
    assert [(u["item"], u["ask"]) for u in svc["unconfirmed"]] == [
        ("step 'maybe'", "volunteer"),
        ("document 2", "142"),
    ]
    assert svc["missing"] == []
    site = entry(data, "site", "barda")
    assert [u["item"] for u in site["unconfirmed"]] == ["place 'prov-maybe'"]
    # A news page is kept for the admin, flagged and listed to recheck.
    assert by_key["dsmf"]["official"] and not by_key["news"]["official"]
    assert svc["unofficial"] == ["news"] and data["totals"]["unofficial"] >= 1


@pytest.mark.parametrize(
    ("url", "official"),
    [
        ("https://dsmf.gov.az/az/udsy", True),
        ("https://gov.az/", True),
        ("https://E-QANUN.AZ/framework/1", True),
        ("https://president.az/az/articles/view/1", True),
        ("https://www.ombudsman.az/az/faq", True),
        ("http://dsmf.gov.az/az/udsy", False),  # not https
        ("https://report.az/sosial-mudafie/x", False),  # news
        ("https://evilgov.az/", False),  # not a sub-domain of gov.az
        ("https://gov.az.example.com/", False),
        ("not a url", False),
    ],
)
def test_an_official_source_is_https_on_an_official_domain(url, official):
    assert official_source(url) is official


def test_180_days_is_still_fresh_181_is_due(bundle_dir):
    bundle, _ = check_bundle(bundle_dir, ALLOW, today=TODAY)
    read = date(2026, 11, 29)
    on_the_day = entry(
        report(bundle, date.fromordinal(read.toordinal() + 180)), "service", "prov-test"
    )
    assert "dsmf" not in on_the_day["stale"]
    day_after = entry(
        report(bundle, date.fromordinal(read.toordinal() + 181)), "service", "prov-test"
    )
    assert "dsmf" in day_after["stale"]


def test_content_sources_command_prints_json_and_text(bundle_dir):
    import json
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", "content", "sources", str(bundle_dir), *args],
            capture_output=True,
            text=True,
        )

    out = run("--json", "--today", "2026-12-01")
    data = json.loads(out.stdout)
    assert data["today"] == "2026-12-01"
    assert entry(data, "service", "prov-test")["stale"] == ["news"]
    # exit 1 while any item names no source; the text says which
    assert out.returncode == (1 if data["totals"]["missing"] else 0)
    text = run("--today", "2026-12-01").stdout
    assert "service prov-test (services/prov-test.toml)" in text
    assert "  source news: checked 2016-05-01 (" in text and "RECHECK  NOT OFFICIAL" in text
    assert "not on an official domain" in text.splitlines()[-1]
    assert "  unconfirmed step 'maybe' (ask volunteer): Ərizə 90 gün etibarlıdır." in text


# ---- an unconfirmed fact sends the resident to a person: voice and slip -------------


def terminal_bundle(root: Path):
    from kiosk.core.content.places import for_site

    bundle, problems = check_bundle(root, ALLOW, today=TODAY)
    assert problems == [] and bundle is not None
    site = bundle.sites["barda"]
    return for_site(bundle, site), site


@pytest.mark.parametrize("lang", ["az", "ru", "en"])
def test_the_voice_says_an_unconfirmed_step_is_not_certain(bundle_dir, lang):
    from kiosk.core.narration.script import step_lines

    bundle, site = terminal_bundle(bundle_dir)
    svc = bundle.services["prov-test"]
    said = [line.words for line in step_lines(bundle, svc, svc.step("maybe"), lang, site)]
    assert said == [svc.step("maybe").say(lang), bundle.strings["unconfirmed.volunteer_say"](lang)]
    # a confirmed step says only itself
    sure = [line.words for line in step_lines(bundle, svc, svc.step("what"), lang, site)]
    assert sure == [svc.step("what").say(lang)]


def test_the_voice_marks_an_unconfirmed_document_and_says_whom_to_ask(bundle_dir):
    from kiosk.core.narration.script import step_lines

    bundle, site = terminal_bundle(bundle_dir)
    svc = bundle.services["prov-test"]
    said = [line.words for line in step_lines(bundle, svc, svc.step("documents"), "ru", site)]
    assert said == [
        "Нужно:",
        "Удостоверение личности",
        "Справка о составе семьи",
        "Это не подтверждено.",
        "Это не подтверждено. Позвоните по номеру сто сорок два и спросите.",
    ]


def test_a_step_naming_an_unconfirmed_place_is_unconfirmed_there(bundle_dir):
    """Bərdə's [places.prov-maybe] is unconfirmed: a step naming it is too, at Bərdə."""
    from kiosk.core.content.places import fill_service

    edit(
        bundle_dir / "services" / "prov-test.toml",
        'text = { az = "Qərar 15 iş günü ərzində verilir."',
        'text = { az = "Gedin: {place:prov-maybe}."',
    )
    for other in (bundle_dir / "sites").glob("*.toml"):
        if other.stem != "barda":
            other.write_text(
                other.read_text() + '\n[places.prov-maybe]\naz = "X"\nru = "X"\nen = "X"\n'
                "unconfirmed = true\n",
                encoding="utf-8",
            )
            complete_site(other)
    edit(
        bundle_dir / "sites" / "barda.toml",
        'en = "DOST centre"\nunconfirmed = true',
        'en = "DOST centre"\nunconfirmed = true\nask = "142"',
    )
    bundle, problems = check_bundle(bundle_dir, ALLOW, today=TODAY)
    assert problems == [], problems
    filled = fill_service(bundle.services["prov-test"], bundle.sites["barda"])
    step = filled.step("what")
    assert step.text("az") == "Gedin: DOST mərkəzi."
    assert step.provenance.unconfirmed and step.provenance.ask is Ask.LINE
    assert step.provenance.sources == ("dsmf", "news")  # still listed for the admin


def find_strip(img, strip) -> bool:
    """Is `strip` (full paper width) drawn somewhere in `img`, dot for dot?"""
    from PIL import ImageChops

    h = strip.height
    img, strip = img.convert("L"), strip.convert("L")
    return any(
        ImageChops.difference(img.crop((0, y, img.width, y + h)), strip).getbbox() is None
        for y in range(img.height - h + 1)
    )


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_the_slip_marks_the_unconfirmed_document_and_sends_to_a_person(bundle_dir, lang):
    from datetime import datetime

    from kiosk.core.slips import render_service_slip
    from kiosk.core.slips.layout import STYLES, _Slip

    bundle, _ = terminal_bundle(bundle_dir)
    img = render_service_slip(
        bundle, "prov-test", lang, "barda", "t-1", 58, datetime(2026, 12, 1, 10, 0)
    )
    s = STYLES[58]
    svc = bundle.services["prov-test"]
    want = _Slip(s)
    want.caution(bundle.string("slip.unconfirmed", lang), s.body)  # volunteer: a step says so
    want.checklist([svc.documents[1](lang)], s.body, [True])  # the marked line
    want.checklist([svc.documents[0](lang)], s.body, [False])  # the confirmed one, unmarked
    caution, marked, plain = want.strips
    assert find_strip(img, caution)
    assert find_strip(img, marked)
    assert find_strip(img, plain)
    # a service with nothing unconfirmed prints no caution
    sure = render_service_slip(bundle, "id-card", lang, "barda", "t-1", 58, datetime(2026, 12, 1))
    assert not find_strip(sure, caution)


def test_an_unconfirmed_help_point_is_never_shown_or_said(bundle_dir):
    from kiosk.core.narration.script import step_lines

    trial_point(bundle_dir, source=None, unconfirmed=True)
    bundle, site = terminal_bundle(bundle_dir)
    point = site.help_points[-1]
    assert point.provenance.unconfirmed and not point.verified
    assert point not in site.shown_points and len(site.shown_points) == len(site.help_points) - 1
    svc = bundle.services["free-help"]
    hp = next(s for s in svc.steps if s.kind.value == "help_points")
    said = [line.words for line in step_lines(bundle, svc, hp, "az", site)]
    assert point.name("az") not in said
    assert site.shown_points[0].name("az") in said


@pytest.mark.parametrize(
    ("file", "old", "new", "item"),
    [
        (
            "services/prov-test.toml",
            'link = "https://www.e-gov.az"',
            'link = "https://www.e-gov.az"\nchecked = 2026-11-29',
            "service 'prov-test'",
        ),
        (
            "services/prov-test.toml",
            'link = "https://www.e-gov.az"',
            'link = "https://www.e-gov.az"\nsource = "https://dsmf.gov.az"',
            "service 'prov-test'",
        ),
    ],
)
def test_the_old_source_and_checked_keys_are_refused_with_the_new_way(
    bundle_dir, file, old, new, item
):
    edit(bundle_dir / file, old, new)
    found = problems_of(bundle_dir)
    assert any(
        p.startswith(f"{file}: {item}: ")
        and "is no longer read: list each page under [sources.KEY]" in p
        for p in found
    ), found


def test_a_help_point_with_a_page_address_for_its_source_is_refused(bundle_dir):
    trial_point(bundle_dir, source="https://dost.gov.az")
    found = problems_of(bundle_dir)
    assert any("help point" in p and "'source' here is no longer read" in p for p in found), found
