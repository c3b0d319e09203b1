"""Every problem the content checks find has a stable code and a text in az, ru
and en that still names its file and item: `kiosk content validate` prints the
code beside the English line, and the content studio's API sends each problem
in the three languages (a broken save on a real hub), so the page can show the
admin's. The studio's "today" (a source checked in the future) is the hub's."""

from __future__ import annotations

import shutil
import string
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
import requests

from kiosk.core.content import check_bundle
from kiosk.core.content.wording import ITEM_WORDS, TEXTS, item_told
from kiosk.hub.web import errors
from kiosk.paths import DEFAULT_CONTENT
from tests.fleet_support import FleetHub

API = "/api/v1/studio/content"
ID_CARD = "services/id-card.toml"
# 01:30 on 7 December in Baku, still 6 December in UTC.
NOW = datetime(2026, 12, 7, 21, 30, tzinfo=UTC)


def _placeholders(template: str) -> list[str]:
    return sorted({f[1] for f in string.Formatter().parse(template) if f[1]})


def test_every_code_has_az_ru_en_with_the_same_values_and_is_in_the_hub_catalogue():
    for code, texts in TEXTS.items():
        assert set(texts) == {"az", "ru", "en"}, code
        assert len({tuple(_placeholders(t)) for t in texts.values()}) == 1, (code, texts)
        assert texts["az"] != texts["en"] or code in ("w_id", "g_bool", "source_bad_url"), code
        assert errors.TEXTS[code] is texts  # one catalogue, the hub's
    for word, langs in ITEM_WORDS.items():
        assert set(langs) == {"az", "ru"}, word


def _broken(tmp_path):
    """The default content with one of each kind of mistake an admin makes."""
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, root)
    card = root / "services" / "id-card.toml"
    text = card.read_text(encoding="utf-8")
    text = text.replace(
        'url = "https://www.bpqmi.gov.az/?/az/menu/8/"', 'url = "ftp://bpqmi.gov.az/"'
    )
    text = text.replace("checked = 2026-11-29", "checked = 2031-01-01", 1)
    text = text.replace('link = "https://asan.gov.az"', 'link = "https://asan.gov.az.evil.example"')
    text = text.replace('icon = "card-account-details"', 'icon = "no-such-picture"')
    text = text.replace('title.ru = "Удостоверение личности"', 'title.ru = ""')
    text += '\n[sources.extra]\nurl = "https://www.e-gov.az/"\nchecked = 2026-11-29\nwho = "me"\n'
    card.write_text(text, encoding="utf-8")
    return root


def test_each_problem_has_a_code_and_names_its_file_and_item_in_every_language(tmp_path):
    root = _broken(tmp_path)
    bundle, problems = check_bundle(root, today=date(2026, 12, 7))
    assert bundle is None
    codes = {p.code for p in problems}
    for code in (
        "source_bad_url",
        "checked_future",
        "bad_link",
        "bad_icon",
        "text_empty",
        "source_unknown_key",
    ):
        assert code in codes, (code, [str(p) for p in problems])
    assert "content_problem" not in codes  # no problem without a code
    for p in problems:
        assert p.told("en") == str(p)
        for lang in ("az", "ru"):
            line = p.told(lang)
            assert line.startswith(p.file) and line != str(p), line
            # The item's own names (ids, keys in quotes) stay as written.
            for name in p.item.split("'")[1::2]:
                assert f"'{name}'" in line, (line, p.item)
    by_code = {p.code: p for p in problems}
    future = by_code["checked_future"]
    source = future.item.split("'")[3]  # the first source read on 2026-11-29, whichever it is
    assert future.told("az") == (
        f"services/id-card.toml: xidmət 'id-card' mənbə '{source}': "
        "'checked' 2031-01-01 gələcəkdədir (bu gün 2026-12-07)"
    )
    assert future.told("ru") == (
        f"services/id-card.toml: услуга 'id-card' источник '{source}': "
        "'checked' 2031-01-01 в будущем (сегодня 2026-12-07)"
    )
    url = by_code["source_bad_url"]
    assert "https:// ilə başlamalıdır (http:// və başqaları olmaz)" in url.told(
        "az"
    )  # the why, told too
    assert "должен начинаться с https://" in url.told("ru")
    link = by_code["bad_link"].told("ru")
    assert "'https://asan.gov.az.evil.example'" in link and "не является разрешённым" in link
    assert (
        by_code["text_empty"].told("az").endswith("[ru]: 'title' mətni yoxdur (tərcümə yazılmayıb)")
    )
    assert item_told("service 'help-point' step 'step'", "ru") == "услуга 'help-point' шаг 'step'"


def test_the_validate_command_prints_each_code(tmp_path):
    root = _broken(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "validate", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    line = next(x for x in run.stdout.splitlines() if "ftp://" in x)
    assert line.startswith("services/id-card.toml: service 'id-card' source 'bpqmi-change': ")
    assert line.endswith(
        "must start with https:// (not http:// or anything else)  [source_bad_url]"
    ), line
    assert "[checked_future]" in run.stdout and "[text_empty]" in run.stdout


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    h = FleetHub(tmp_path_factory.mktemp("hub"), NOW)
    yield h
    h.stop()


class Admin:
    def __init__(self, hub: FleetHub):
        self.url = hub.url
        self.http = hub.admin("boss")
        self.csrf = self.http.get(f"{hub.url}/api/v1/console/me", timeout=5).json()["csrf_token"]

    def open(self, path: str) -> dict:
        r = self.http.get(f"{self.url}{API}/files/{path}", timeout=30)
        assert r.status_code == 200, r.text
        return r.json()

    def save(self, doc: dict, data: dict) -> requests.Response:
        return self.http.put(
            f"{self.url}{API}/files/{doc['path']}",
            json={"base_revision": doc["revision"], "data": data},
            headers={"X-CSRF-Token": self.csrf},
            timeout=180,
        )


def test_a_broken_save_comes_back_in_az_ru_and_en_with_file_and_item(hub):
    admin = Admin(hub)
    doc = admin.open(ID_CARD)
    assert not [p for p in admin.http.get(f"{hub.url}{API}/files").json()["problems"]]
    data = doc["data"]
    # Checked "today" in Baku (7 December) is no future date, though it is in UTC.
    data["sources"]["bpqmi-faq"]["checked"] = "2026-12-07"
    data["sources"]["bpqmi-card"]["url"] = "ftp://bpqmi.gov.az/"
    r = admin.save(doc, data)
    assert r.status_code == 200, r.text
    [problem] = r.json()["problems"]  # saved, and what is wrong with it
    assert problem["code"] == "source_bad_url"
    assert (
        problem["message"]
        == "url 'ftp://bpqmi.gov.az/' must start with https:// (not http:// or anything else)"
    )
    item = "service 'id-card' source 'bpqmi-card'"
    assert problem["texts"] == {
        "en": f"{ID_CARD}: {item}: {problem['message']}",
        "az": f"{ID_CARD}: xidmət 'id-card' mənbə 'bpqmi-card': "
        "url 'ftp://bpqmi.gov.az/': https:// ilə başlamalıdır (http:// və başqaları olmaz)",
        "ru": f"{ID_CARD}: услуга 'id-card' источник 'bpqmi-card': "
        "url 'ftp://bpqmi.gov.az/': должен начинаться с https:// (не http:// и не другое)",
    }
    assert problem["messages"]["ru"] == (
        "url 'ftp://bpqmi.gov.az/': должен начинаться с https:// (не http:// и не другое)"
    )
    # A file of the wrong shape is not saved: each problem in the three languages,
    # and the draft keeps what it had.
    doc = admin.open(ID_CARD)
    bad = dict(doc["data"], needs_esign="yes")
    r = admin.save(doc, bad)
    assert r.status_code == 422, r.text
    [refused] = r.json()["detail"]["problems"]
    assert refused["code"] == "wrong_type"
    assert refused["texts"]["az"] == f"{ID_CARD}: needs_esign: true və ya false olmalıdır, mətn yox"
    assert (
        refused["texts"]["ru"] == f"{ID_CARD}: needs_esign: должно быть true или false, а не текст"
    )
    assert admin.open(ID_CARD)["revision"] == doc["revision"]
