"""Provenance is data: a service or site file lists the pages a person read
(`[sources.KEY]` with url and the day checked) and every fact-bearing item cites
them or says it is unconfirmed. The validator refuses what breaks that, naming
file and item."""

from datetime import date
from pathlib import Path

import pytest

from kiosk.core.content import check_bundle
from kiosk.core.content.model import Ask

ALLOW = ("gov.az", "e-gov.az", "edu.az")
TODAY = date(2026, 12, 1)

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
url = "http://ictnews.az/print.php?content=41085"
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

[sources.asan]
url = "https://asan.gov.az/az/centers"
checked = 2026-11-20

[places.prov-test]
az = "ASAN xidmət"
ru = "АСАН"
en = "ASAN"
source = "asan"

[places.prov-maybe]
az = "DOST mərkəzi"
ru = "центр DOST"
en = "DOST centre"
unconfirmed = true

[[help_points]]
name = { az = "DOST", ru = "DOST", en = "DOST" }
phone = "142"
source = "asan"
"""


@pytest.fixture
def bundle_dir(content_copy: Path) -> Path:
    """The default content plus a service and site additions in the new schema."""
    (content_copy / "services" / "prov-test.toml").write_text(SERVICE, encoding="utf-8")
    groups = content_copy / "groups.toml"
    groups.write_text(
        groups.read_text().replace("services = [", 'services = ["prov-test", ', 1),
        encoding="utf-8",
    )
    site = content_copy / "sites" / "barda.toml"
    site.write_text(site.read_text() + SITE_TAIL, encoding="utf-8")
    return content_copy


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
    assert site.place_provenance["prov-test"].sources == ("asan",)
    assert site.place_provenance["prov-maybe"].unconfirmed
    assert set(site.places["prov-test"].values) == {"az", "ru", "en"}
    point = site.help_points[-1]
    assert point.provenance.sources == ("asan",)
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
    edit(site, 'en = "ASAN"\nsource = "asan"', 'en = "ASAN"\nsource = "dsmf"')
    assert any(
        p.startswith("sites/barda.toml: site 'barda' place 'prov-test': source 'dsmf'")
        for p in problems_of(bundle_dir)
    )


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://dsmf.gov.az/udsy", "must start with https://"),
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
        ("2026-12-02", "is in the future (today is 2026-12-01)"),
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
