"""Site profiles tell the truth: real help points with sources, no placeholder ever
reaches a resident, district routes filled in per site, phones spoken, speech
warnings from `kiosk content validate`, and `kiosk content sites`."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from kiosk.cli import main as kiosk_main
from kiosk.core.content import check_bundle, load_bundle
from kiosk.core.content.places import for_site
from kiosk.core.content.speech import say_problems, speech_warnings
from kiosk.core.narration.script import all_lines, spoken_phone, step_lines
from kiosk.paths import DEFAULT_CONTENT

SITES = ("barda", "agdam", "terter", "goranboy", "mingachevir", "yevlakh", "agdash", "goygol")
PLACEHOLDERS = ("inzibatçı", "nümunə", "администратор", "впишет", "(the admin", "example = true")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    dst = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, dst)
    return dst


def problems_of(root: Path) -> list[str]:
    bundle, problems = check_bundle(root)
    assert bundle is None
    return [str(p) for p in problems]


def test_no_file_of_the_default_content_holds_placeholder_words():
    for path in DEFAULT_CONTENT.rglob("*.toml"):
        text = path.read_text(encoding="utf-8").lower()
        for word in PLACEHOLDERS:
            assert word.lower() not in text, f"{path.name}: {word!r}"


def test_every_district_has_a_help_point_with_phone_and_source():
    bundle = load_bundle(DEFAULT_CONTENT)
    assert set(bundle.sites) == set(SITES)
    for site in bundle.sites.values():
        points = [p for p in site.help_points if p.phone and p.provenance.sources]
        assert points, site.id
        for p in site.help_points:
            for key in p.provenance.sources:
                src = site.sources[key]
                assert src.url.startswith(("https://", "http://")), (site.id, key)
                assert date.fromisoformat(src.checked), (site.id, key)


def test_a_help_point_marked_as_an_example_fails_validation(content: Path):
    site = content / "sites" / "yevlakh.toml"
    site.write_text(
        site.read_text(encoding="utf-8").replace(
            "[[help_points]]", "[[help_points]]\nexample = true", 1
        ),
        encoding="utf-8",
    )
    found = problems_of(content)
    assert any("yevlakh" in p and "example" in p for p in found), found


def test_a_help_point_holding_placeholder_words_fails_validation(content: Path):
    site = content / "sites" / "agdash.toml"
    site.write_text(
        site.read_text(encoding="utf-8")
        + '\n[[help_points]]\nname = { az = "Könüllü masa", ru = "Стойка", en = "Desk" }\n'
        'address = { az = "Ağdaş (ünvanı inzibatçı yazmalıdır)", ru = "Агдаш (адрес впишет '
        'администратор)", en = "Aghdash (the admin fills in the address)" }\n'
        'phone = "142"\nunconfirmed = true\n',
        encoding="utf-8",
    )
    found = problems_of(content)
    for word in ("inzibatçı", "администратор", "admin"):
        assert any("agdash" in p and word in p for p in found), word


def test_a_help_point_without_source_or_a_way_to_reach_it_fails(content: Path):
    site = content / "sites" / "goygol.toml"
    site.write_text(
        site.read_text(encoding="utf-8")
        + '\n[[help_points]]\nname = { az = "Yer", ru = "Место", en = "Place" }\n',
        encoding="utf-8",
    )
    found = " | ".join(problems_of(content))
    assert "needs a phone or an address" in found
    assert "help point" in found and "names no source" in found


def test_a_place_a_site_does_not_give_fails_validation(content: Path):
    site = content / "sites" / "goranboy.toml"
    text = site.read_text(encoding="utf-8")
    start = text.index("[places.asan]")
    end = text.index("[[help_points]]")
    site.write_text(text[:start] + text[end:], encoding="utf-8")
    found = problems_of(content)
    assert any("{place:asan}" in p and "goranboy" in p for p in found), found


@pytest.mark.parametrize("site_id", ["agdam", "yevlakh", "mingachevir"])
def test_the_district_route_is_filled_in_per_site(site_id: str):
    bundle = load_bundle(DEFAULT_CONTENT)
    site = bundle.sites[site_id]
    shown = for_site(bundle, site)
    for svc in shown.services.values():
        for st in svc.steps:
            for lang in bundle.language_codes:
                assert "{place:" not in st.text(lang) and "{place:" not in st.say(lang)
    asan = shown.services["free-help"].step("asan")
    # president.az: the Bərdə centre serves Ağdam and Yevlax; a Mingəçevir centre is
    # named only by the press, so Mingəçevir's terminal sends residents to the volunteer.
    expected = {"agdam": "Bərdə", "yevlakh": "Bərdə", "mingachevir": "könüllüdən"}[site_id]
    assert expected in asan.text("az") and expected in asan.say("az")
    # The voice reads the same filled-in words.
    said = [line.words for line in step_lines(shown, shown.services["free-help"], asan, "az", site)]
    assert any(expected in w for w in said)


def test_every_line_the_cache_renders_has_its_places_filled():
    bundle = load_bundle(DEFAULT_CONTENT)
    lines = list(all_lines(bundle))
    assert lines and not [li.words for li in lines if "{place:" in li.words]
    for where in ("Bərdə", "Gəncə", "könüllüdən soruşun"):
        assert any(where in li.words for li in lines if li.lang == "az")


def test_help_point_phones_are_spoken_group_by_group():
    assert spoken_phone("142") == "142"
    assert spoken_phone("012-916") == "0 12, 916"
    assert spoken_phone("(012) 525-41-03") == "0 12, 525, 41, 0 3"
    bundle = load_bundle(DEFAULT_CONTENT)
    site = bundle.sites["barda"]
    svc = bundle.services["free-help"]
    said = [li.words for li in step_lines(bundle, svc, svc.step("points"), "az", site)]
    assert "Telefon: 142" in said
    # No ASAN line is confirmed on an official page: the ASAN centre gives its town only.
    assert "Telefon: 108" not in said and any("Bərdə şəhəri" in w for w in said)


def test_speech_warnings_name_spelled_words_latin_in_russian_and_web_addresses():
    assert say_problems("SIM kartınızı verməyin", "az")
    assert not say_problems("sim kartınızı verməyin", "az")
    assert not say_problems("DOST mərkəzinə, ASAN xidmətə gedin", "az")
    assert say_problems("Центр DOST", "ru")
    assert not say_problems("Центр Дост", "ru")
    assert say_problems("e-social.gov.az saytında", "az")


def test_speech_warnings_are_told_in_az_ru_and_en():
    [spelled] = say_problems("SIM kartınızı verməyin", "az")
    assert spelled.code == "say_spelled"
    assert (
        spelled.told("az") == "SIM hərf-hərf oxunacaq: deyildiyi kimi yazın (məsələn, 'sim kart')"
    )
    assert spelled.told("ru").startswith("SIM будет прочитано по буквам")
    assert (
        spelled
        == "SIM would be spelled letter by letter: write it as it is said (for example 'sim kart')"
    )
    [latin] = say_problems("Центр DOST", "ru")
    assert latin.told("ru") == (
        "латинские слова DOST читает английский голос: напишите их кириллицей, "
        "как их произносит русскоговорящий"
    )
    [web] = say_problems("e-social.gov.az saytında", "az")
    assert web.told("az") == "veb ünvan səslə oxunur: saytın adını sözlərlə deyin"


def test_validate_prints_speech_warnings_and_still_ends_ok(content: Path, capsys):
    svc = content / "services" / "free-help.toml"
    svc.write_text(
        svc.read_text(encoding="utf-8").replace(
            'say.az = "Bu rayonda pulsuz kömək yerləri:"',
            'say.az = "Bu rayonda pulsuz kömək yerləri, SIM kart:"',
        ),
        encoding="utf-8",
    )
    assert kiosk_main(["content", "validate", str(content)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("warning:") and "SIM" in line for line in out)
    assert out[-1].startswith("ok:")
    assert speech_warnings(load_bundle(content))


def test_sites_command_prints_one_line_per_help_point(capsys):
    assert kiosk_main(["content", "sites", str(DEFAULT_CONTENT)]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows and all(len(r) == 5 for r in rows)
    assert {r[0] for r in rows} == set(SITES)
    for site in SITES:
        assert any(r[0] == site and r[3] and r[4].startswith("https://") for r in rows), site


def test_social_assistance_names_the_certificate_and_the_notarised_application():
    bundle = load_bundle(DEFAULT_CONTENT)
    svc = bundle.services["social-assistance"]
    docs = " ".join(d("az") for d in svc.documents)
    assert "icra nümayəndəsi" in docs and "Notariusun təsdiq etdiyi ərizə" in docs
    steps = " ".join(st.text("az") for st in svc.steps)
    assert "İcra nümayəndəsindən" in steps and "notarius" in steps
    # No e-signature gate: online needs the ID and the notarised application's number.
    assert not svc.needs_esign and "esign" not in {st.id for st in svc.steps}


def test_school_enrolment_and_refused_have_official_links():
    bundle = load_bundle(DEFAULT_CONTENT)
    assert bundle.services["school-enrolment"].link == "https://mektebeqebul.edu.az"
    assert bundle.services["refused"].link == "https://sosial.gov.az/udsy-muraciet-qaydasi"


def test_refused_states_the_legal_route_and_the_ombudsman():
    bundle = load_bundle(DEFAULT_CONTENT)
    refused = bundle.services["refused"]
    said = " ".join(st.text("az") + " " + st.say("az") for st in refused.steps)
    # ombudsman.az gives 916 (24/7); 012-916 from mobiles is press only: not told.
    ombudsman = refused.step("ombudsman").text("az")
    assert "məhkəmə" in said and "916" in ombudsman and "012-916" not in ombudsman
    # The court deadline rests on an NGO's Q&A only: no number, marked unconfirmed.
    deadline = refused.step("deadline")
    assert deadline.provenance.unconfirmed and not re.search(r"\d", deadline.text("az"))
    assert any(st.kind.value == "help_points" for st in refused.steps)


def test_at_least_fourteen_services_with_the_staj_record_and_property_registration():
    bundle = load_bundle(DEFAULT_CONTENT)
    assert len(bundle.services) >= 14
    assert {"insurance-record", "property-registration"} <= set(bundle.services)


@pytest.mark.parametrize("site_id", ["yevlakh", "agdam"])
def test_a_help_point_without_an_address_is_never_shown_or_said_empty(site_id: str, tmp_path):
    # What must survive: the screen, the voice, the slip and the booklet carry only
    # the checked fields; an unknown address is left out, not printed as a stand-in.
    from kiosk.core.booklet import build_booklet
    from tests.test_booklet import page_texts

    bundle = load_bundle(DEFAULT_CONTENT)
    site = bundle.sites[site_id]
    svc = bundle.services["free-help"]
    said = [li.words for li in step_lines(bundle, svc, svc.step("points"), "az", site)]
    assert all(w.strip() for w in said)
    for p in site.help_points:
        assert p.name("az") in said
    made = build_booklet(bundle, site_id, "az", tmp_path / "b.pdf", imposition=False)
    text = " ".join(page_texts(made.path)).lower()
    for word in PLACEHOLDERS[:4]:
        assert word not in text
    assert site.name("az").lower() in text
