"""The default content bundle: the e-services residents of the regions need, in
Azerbaijani, Russian and English, sourced, and every flow leading to a finish.

These tests guard what must survive any edit of assets/content: an admin who
breaks a link, drops a translation, misspells Azerbaijani or strands a resident
in a flow with no way out gets a failing test naming the service and step.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest

from kiosk.core.content import Action, StepKind, check_bundle, link_allowed
from kiosk.core.content.model import Ask, Bundle, Service, Text
from kiosk.core.content.places import fill_service
from kiosk.core.flow import Navigator, Position
from kiosk.core.settings import KIOSK_SETTINGS
from kiosk.paths import DEFAULT_CONTENT

LANGS = ("az", "ru", "en")
DEFAULT_ALLOWLIST = next(s.default for s in KIOSK_SETTINGS if s.key == "links.allowlist")

# The services the issue asks for, by topic; ids other code relies on are fixed.
REQUIRED_SERVICES = {
    "social-assistance",
    "pension-disability",
    "id-card",
    "birth-registration",
    "property-extract",
    "labour-contract",
    "school-enrolment",
    "utility-payments",
    "tax-return",
    "idp",
    "asan-imza",
    "free-help",
    "refused",
}

SITES = {
    "barda": ("Bərdə", "Барда", "Barda"),
    "agdam": ("Ağdam", "Агдам", "Aghdam"),
    "terter": ("Tərtər", "Тертер", "Tartar"),
    "goranboy": ("Goranboy", "Геранбой", "Goranboy"),
    "mingachevir": ("Mingəçevir", "Мингечевир", "Mingachevir"),
    "yevlakh": ("Yevlax", "Евлах", "Yevlakh"),
    "agdash": ("Ağdaş", "Агдаш", "Aghdash"),
    "goygol": ("Göygöl", "Гёйгёль", "Goygol"),
}

# Common words written with a plain Latin letter instead of ə, ü, ç, ş, ı, ğ or ö:
# the misspelling on the left must never appear in an Azerbaijani text.
AZ_MISSPELLINGS = {
    "ve": "və",
    "ucun": "üçün",
    "üçun": "üçün",
    "erize": "ərizə",
    "muraciet": "müraciət",
    "müraciet": "müraciət",
    "xidmet": "xidmət",
    "merkez": "mərkəz",
    "merkezi": "mərkəzi",
    "vesiqe": "vəsiqə",
    "vesiqesi": "vəsiqəsi",
    "sexsiyyet": "şəxsiyyət",
    "komek": "kömək",
    "kömek": "kömək",
    "ile": "ilə",
    "yardim": "yardım",
    "sened": "sənəd",
    "senedler": "sənədlər",
    "emek": "əmək",
    "emlak": "əmlak",
    "elillik": "əlillik",
    "qebul": "qəbul",
    "mekteb": "məktəb",
    "sinfe": "sinfə",
    "zeng": "zəng",
    "ailenin": "ailənin",
    "gelir": "gəlir",
    "beyanname": "bəyannamə",
    "beyannamesi": "bəyannaməsi",
    "seyyar": "səyyar",
    "Berde": "Bərdə",
    "Mingecevir": "Mingəçevir",
    "Terter": "Tərtər",
    "Agdam": "Ağdam",
    "Agdas": "Ağdaş",
    "Goygol": "Göygöl",
}
AZ_WRONG = {wrong.casefold(): right for wrong, right in AZ_MISSPELLINGS.items()}

# Screen texts must fit: titles on a big button (two lines at most), one or two
# short sentences on a step.
MAX_TITLE = 28
MAX_LABEL = 28
MAX_STEP_TEXT = 110
MAX_DOCUMENT = 60
MAX_SUMMARY = 50

# Steps that tell the resident something and so must say where it came from.
TELLING = (StepKind.INFO, StepKind.ONLINE)

URL_RE = re.compile(r"\S+\.(?:az|com|org|net)\S*")
WORD_RE = re.compile(r"[^\W\d_]+")


def all_texts(bundle: Bundle) -> Iterator[tuple[str, Text]]:
    """Every text a resident can see or hear, with where it lives."""
    for key, text in bundle.strings.items():
        yield f"strings.toml {key}", text
    for g in bundle.groups:
        yield f"group {g.id} title", g.title
        yield f"group {g.id} say", g.say
    for svc in bundle.services.values():
        yield from service_texts(svc)
    for site in bundle.sites.values():
        yield f"site {site.id} name", site.name
        for i, p in enumerate(site.help_points):
            for what in ("name", "address", "hours"):
                if what == "name" or getattr(p, what).values:  # unknown address, hours: empty
                    yield f"site {site.id} help point {i + 1} {what}", getattr(p, what)
        for key, place in site.places.items():
            yield f"site {site.id} place {key}", place


def service_texts(svc: Service) -> Iterator[tuple[str, Text]]:
    yield f"{svc.id} title", svc.title
    yield f"{svc.id} summary", svc.summary
    for i, d in enumerate(svc.documents):
        yield f"{svc.id} document {i + 1}", d
    for step in svc.steps:
        yield f"{svc.id}/{step.id} text", step.text
        yield f"{svc.id}/{step.id} say", step.say
        for j, c in enumerate(step.choices):
            if c.label.values:
                yield f"{svc.id}/{step.id} choice {j + 1}", c.label


def narrations(bundle: Bundle) -> Iterator[tuple[str, Text]]:
    """Every say text as a terminal speaks it: with each district's places filled in."""
    for site in bundle.sites.values():
        for svc in bundle.services.values():
            for step in fill_service(svc, site).steps:
                yield f"{svc.id}/{step.id} say ({site.id})", step.say
    for g in bundle.groups:
        yield f"group {g.id} say", g.say


def reaches_finish(bundle: Bundle, start: Position) -> tuple[bool, set[Position]]:
    """Walk every touch from `start` with the Navigator; (a finish is reachable
    from every position seen, positions seen)."""
    seen: set[Position] = set()
    edges: dict[Position, set[Position]] = {}
    finishing: set[Position] = set()
    todo = [start]
    while todo:
        pos = todo.pop()
        if pos in seen:
            continue
        seen.add(pos)
        nav = Navigator(bundle)
        nav.history = [pos]
        step = nav.step
        out: set[Position] = set()
        if step.kind == StepKind.FINISH:
            finishing.add(pos)
        if nav.can_go_next():
            out.add(nav.next().position)
        for i in range(len(step.choices)):
            nav.history = [pos]
            outcome = nav.choose(i)
            if outcome.position is not None:
                out.add(outcome.position)
        edges[pos] = out
        todo.extend(out)
    good = set(finishing)
    changed = True
    while changed:
        changed = False
        for pos, out in edges.items():
            if pos not in good and out & good:
                good.add(pos)
                changed = True
    return seen <= good, seen


def az_misspellings(bundle: Bundle) -> list[str]:
    """Azerbaijani words from the misspelling table, outside web addresses."""
    found = []
    for where, text in all_texts(bundle):
        for word in WORD_RE.findall(URL_RE.sub(" ", text("az"))):
            if word.casefold() in AZ_WRONG:
                found.append(f"{where} [az]: {word} -> {AZ_WRONG[word.casefold()]}")
    return found


def test_default_bundle_validates_with_the_default_allowlist():
    bundle, problems = check_bundle(DEFAULT_CONTENT, DEFAULT_ALLOWLIST)
    assert problems == []
    assert bundle is not None
    assert bundle.language_codes == LANGS


def test_every_link_is_https_on_the_default_allowlist(bundle):
    for svc in bundle.services.values():
        if svc.link:
            assert link_allowed(svc.link, DEFAULT_ALLOWLIST), f"{svc.id}: {svc.link}"


def test_every_fact_names_its_source_and_the_date_it_was_checked(bundle):
    """Every step that tells something, every document line, place and help point
    cites a page of its own file (with the day it was read) or says unconfirmed."""
    for svc in bundle.services.values():
        assert svc.sources, f"{svc.id} lists no sources"
        for key, src in svc.sources.items():
            assert src.url.startswith(("https://", "http://")), f"{svc.id} source {key}"
            assert date.fromisoformat(src.checked), f"{svc.id} source {key} has no checked date"
        items = [(f"step {st.id}", st.provenance) for st in svc.steps if st.kind in TELLING]
        items += [(f"document {i + 1}", p) for i, p in enumerate(svc.documents_provenance)]
        assert len(svc.documents_provenance) == len(svc.documents), svc.id
        for where, prov in items:
            assert prov.marked, f"{svc.id} {where}: no source and not marked unconfirmed"
            assert set(prov.sources) <= set(svc.sources), f"{svc.id} {where}: {prov.sources}"
    for site in bundle.sites.values():
        items = [(f"place {k}", p) for k, p in site.place_provenance.items()]
        items += [(f"help point {i + 1}", p.provenance) for i, p in enumerate(site.help_points)]
        assert set(site.place_provenance) == set(site.places), site.id
        for where, prov in items:
            assert prov.marked, f"site {site.id} {where}: no source and not marked unconfirmed"
            assert set(prov.sources) <= set(site.sources), f"site {site.id} {where}"
            for key in prov.sources:
                assert date.fromisoformat(site.sources[key].checked), f"site {site.id} {key}"


def test_every_text_and_narration_exists_in_az_ru_and_en(bundle):
    for where, text in all_texts(bundle):
        for lang in LANGS:
            assert text.has(lang), f"{where} has no {lang} text"


@pytest.mark.parametrize("service_id", sorted(REQUIRED_SERVICES))
def test_every_flow_reaches_a_finish_step(bundle, service_id):
    svc = bundle.services[service_id]
    ok, seen = reaches_finish(bundle, Position(svc.id, svc.first_step.id))
    assert ok, f"{service_id}: a resident can get stuck with no way to a finish step"
    own = {p.step_id for p in seen if p.service_id == service_id}
    assert own == {s.id for s in svc.steps}, f"{service_id}: steps no touch reaches"


def test_every_finish_offers_slip_helper_and_home(bundle):
    for svc in bundle.services.values():
        for step in svc.steps:
            if step.kind == StepKind.FINISH:
                actions = {c.action for c in step.choices}
                assert {Action.SLIP, Action.HELP, Action.HOME} <= actions, f"{svc.id}/{step.id}"


def test_at_least_ten_services_in_four_to_six_groups(bundle):
    assert set(bundle.services) >= REQUIRED_SERVICES
    assert len(bundle.services) >= 10
    assert 4 <= len(bundle.groups) <= 6
    listed = [s for g in bundle.groups for s in g.services]
    assert sorted(listed) == sorted(bundle.services), "every service in exactly one group"


def test_targeted_social_assistance_is_first(bundle):
    first = bundle.groups[0]
    assert first.services[0] == "social-assistance"
    assert bundle.services["social-assistance"].group == first.id


def test_every_e_signature_service_asks_and_branches_to_asan_imza(bundle):
    esign = [s for s in bundle.services.values() if s.needs_esign]
    assert {"tax-return", "labour-contract", "property-extract"} <= {s.id for s in esign}
    for svc in esign:
        questions = [
            st
            for st in svc.steps
            if st.kind == StepKind.QUESTION and any(c.flow == "asan-imza" for c in st.choices)
        ]
        assert questions, f"{svc.id} never offers how to get ASAN İmza"
        q = questions[0]
        assert "ASAN İmza" in q.text("az") and "SİMA" in q.text("az"), svc.id
        yes = [svc.step(c.go) for c in q.choices if c.go]
        assert any(st.kind == StepKind.ONLINE for st in yes), f"{svc.id}: yes -> apply online"
        assert any(c.action == Action.HELP for c in q.choices), f"{svc.id}: call a helper"


def test_every_service_explains_documents_and_the_online_link(bundle):
    for svc in bundle.services.values():
        kinds = {st.kind for st in svc.steps}
        if svc.group != "start":
            assert StepKind.DOCUMENTS in kinds, f"{svc.id} has no documents checklist"
            assert svc.link == "" or StepKind.ONLINE in kinds, f"{svc.id} never shows its link"


def test_refused_flow_leads_to_the_reason_a_new_try_and_free_advice(bundle):
    refused = bundle.services["refused"]
    question = refused.first_step
    assert question.kind == StepKind.QUESTION and len(question.choices) == 2
    for choice in question.choices:
        _, seen = reaches_finish(bundle, Position("refused", choice.go))
        kinds = {refused.step(p.step_id).kind for p in seen if p.service_id == "refused"}
        assert StepKind.HELP_POINTS in kinds, f"'{choice.label('en')}' never shows free help"
    assert "again" in {s.id for s in refused.steps}
    for lang in LANGS:
        assert any("142" in s.text(lang) for s in refused.steps), lang
    offered = [
        c.flow for st in bundle.services["social-assistance"].steps for c in st.choices if c.flow
    ]
    assert "refused" in offered


def test_eight_site_profiles_with_names_in_three_languages(bundle):
    assert set(bundle.sites) == set(SITES)
    for sid, (az, ru, en) in SITES.items():
        site = bundle.sites[sid]
        assert (site.name("az"), site.name("ru"), site.name("en")) == (az, ru, en)
        # Every district has a real place to go or call, and says where that came from.
        assert site.verified_points, sid
        assert any(p.phone for p in site.verified_points), sid  # a line to call everywhere
        for p in site.help_points:
            # A point says how to reach it (no phone where none is confirmed: the ASAN
            # centres give their town) and cites its pages; one the press alone names
            # is marked unconfirmed, and so not shown.
            assert (p.phone or p.address) and p.provenance.sources, sid


def test_azerbaijani_is_never_written_with_plain_e_for_schwa(bundle):
    assert az_misspellings(bundle) == []


def test_azerbaijani_capital_i_keeps_its_dot_in_names(bundle):
    for where, text in all_texts(bundle):
        for lang in ("az", "ru"):
            assert not re.search(r"\bImza\b|\bSIMA\b", text(lang)), f"{where} [{lang}]"


def test_the_spelling_check_catches_a_misspelling(content_copy):
    f = content_copy / "services" / "id-card.toml"
    f.write_text(f.read_text().replace("və ya", "ve ya", 1), encoding="utf-8")
    bundle, _ = check_bundle(content_copy, DEFAULT_ALLOWLIST)
    assert any("ve -> və" in p for p in az_misspellings(bundle))


def test_narration_speaks_names_not_web_addresses_or_digits(bundle):
    for where, text in narrations(bundle):
        for lang in LANGS:
            said = text(lang)
            assert not re.search(r"https?:|www\.|\.gov\.az|\.az\b", said), f"{where} [{lang}]"
            assert not re.search(r"\d", said), f"{where} [{lang}]: say numbers in words"


def test_russian_narration_spells_names_in_cyrillic(bundle):
    # The Russian voice hands Latin words to an English voice: "ASAN xidmət"
    # comes out as English. Names are written as a Russian speaker says them.
    for where, text in narrations(bundle):
        latin = re.findall(r"[A-Za-zƏəİıĞğŞşÇçÖöÜü]+", text("ru"))
        assert not [w for w in latin if w != "SIM"], f"{where} [ru]: {latin}"


def test_english_narration_has_no_azerbaijani_letters(bundle):
    for where, text in narrations(bundle):
        assert not re.search(r"[ƏəİıĞğŞşÇçÖöÜü]", text("en")), f"{where} [en]"


def test_no_fee_or_amount_is_told_to_residents(bundle):
    # Fees are unconfirmed in the facts sheet: they live in admin_note only.
    for where, text in all_texts(bundle):
        for lang in LANGS:
            assert not re.search(r"AZN|manat|манат|₼", text(lang)), f"{where} [{lang}]"
    assert "AZN" in bundle.services["id-card"].admin_note


def test_screen_texts_fit(bundle):
    for g in bundle.groups:
        for lang in LANGS:
            assert len(g.title(lang)) <= MAX_TITLE, f"group {g.id} [{lang}]"
    for svc in bundle.services.values():
        for lang in LANGS:
            assert len(svc.title(lang)) <= MAX_TITLE, f"{svc.id} title [{lang}]"
            assert len(svc.summary(lang)) <= MAX_SUMMARY, f"{svc.id} summary [{lang}]"
            for i, d in enumerate(svc.documents):
                assert len(d(lang)) <= MAX_DOCUMENT, f"{svc.id} document {i + 1} [{lang}]"
            for step in svc.steps:
                assert len(step.text(lang)) <= MAX_STEP_TEXT, f"{svc.id}/{step.id} [{lang}]"
                for c in step.choices:
                    if c.label.values:
                        assert len(c.label(lang)) <= MAX_LABEL, f"{svc.id}/{step.id} [{lang}]"


def test_admins_can_list_where_each_fact_came_from():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "list", "--facts", str(DEFAULT_CONTENT)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    card = lines.index(next(line for line in lines if line.startswith("id-card\t")))
    service_id, checked, source = lines[card].split("\t")
    assert date.fromisoformat(checked) and "asan.gov.az" in source
    # The unconfirmed fees show to the admin, indented under their service.
    assert "AZN" in lines[card + 1] and lines[card + 1].startswith("    ")


def texts_of(svc: Service, lang: str = "az") -> str:
    return " ".join(st.text(lang) + " " + st.say(lang) for st in svc.steps)


def test_social_assistance_shows_the_refusal_grounds_before_the_notary(bundle):
    """Families must not pay a notary before they know the official refusal grounds,
    and a family that may match one is offered a helper right there."""
    svc = bundle.services["social-assistance"]
    ids = [st.id for st in svc.steps]
    grounds = [st for st in svc.steps if st.id.startswith("refusal-")]
    said = " ".join(st.text("az") for st in grounds)
    for word in ("maşın", "iki ev", "İşıq, qaz, telefon", "alış-satış", "iş təklifi", "gəlir"):
        assert word in said, word
    check = svc.step("check")
    # dost.gov.az: false or incomplete data lose the right (its period is in news only).
    assert "hüququnu itirirsiniz" in check.text("az"), "false data: the right is lost"
    assert "1 il" not in check.text("az")
    assert any(c.action == Action.HELP for c in check.choices), "maybe us -> a helper"
    last_ground = max(ids.index(st.id) for st in grounds + [check])
    assert last_ground < ids.index("certificate") < ids.index("notary"), ids
    # Every way into the notary step passes the check first.
    assert svc.first_step.id == "what" and ids.index("check") < ids.index("ready")


def test_the_notary_step_says_consent_and_the_unconfirmed_validity_asks_142(bundle):
    """Consent is on dost.gov.az; the 90 days only in news and an unofficial copy of
    the rules: that step names no number and sends the resident to 142."""
    svc = bundle.services["social-assistance"]
    valid = svc.step("notary-valid")
    assert valid.provenance.unconfirmed and valid.provenance.ask == Ask.LINE
    for lang, consent in (("az", "razı"), ("ru", "согласие"), ("en", "agree")):
        assert consent in svc.step("notary").text(lang), lang
        for said in (valid.text(lang), valid.say(lang), svc.step("ready").text(lang)):
            assert "90" not in said and "девяност" not in said and "doxsan" not in said


def test_reporting_new_income_is_on_the_screen_and_the_slip_not_only_spoken(bundle):
    svc = bundle.services["social-assistance"]
    for lang in LANGS:
        assert "15" in svc.step("report").text(lang), lang  # on screen, not only in say
        docs = " ".join(d(lang) for d in svc.documents)  # the slip's checklist
        assert "15" in docs, lang
    # dost.gov.az: a change in income, reported online; repayment is in news only.
    assert "gəliri dəyişsə" in svc.step("report").text("az")
    assert "internetdə" in svc.step("report").text("az")
    assert "qaytar" not in texts_of(svc) + " ".join(d("az") for d in svc.documents)


def test_a_fraud_warning_stands_where_money_or_a_signature_is_asked(bundle):
    for sid in ("social-assistance", "asan-imza", "free-help"):
        said = texts_of(bundle.services[sid])
        assert "təsdiq etməyin" in said, sid  # never approve someone else's request
        assert "pul verməyin" in said, sid  # never pay a "helper"
    assert "pulsuzdur" in texts_of(bundle.services["social-assistance"])
    for lang, free in (("az", "pulsuz"), ("ru", "бесплатн"), ("en", "free")):  # every slip
        assert free in bundle.string("slip.pin_warning", lang), lang
        assert "QR" in bundle.string("slip.pin_warning", lang), lang


def test_no_text_sends_anyone_to_an_office_no_source_names(bundle):
    for where, text in all_texts(bundle):
        for lang in LANGS:
            low = text(lang).casefold()
            assert "rayon idarəsi" not in low and "районный отдел" not in low, where


def test_at_least_twenty_services_with_the_new_ones(bundle):
    assert len(bundle.services) >= 20
    new = {"idp-allowance", "job-seeker", "child-benefits", "old-age-allowance", "legal-aid"}
    assert new <= set(bundle.services)
    for g in bundle.groups:
        assert len(g.services) <= 6, f"group {g.id}: a 7-inch screen pages it, a totem stacks six"
