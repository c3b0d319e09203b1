"""What the studios and the hub answer to hostile or mistaken input, on one real
hub: a refusal never echoes unbounded input back (a 1,000-character key, a
5,000-character path or language is named by its start and length), and a save
that would empty a content file is refused in az, ru and en with the file kept
as it was; a refused publish says why in each language too."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests._updates import Publisher
from tests.fleet_support import FleetHub
from tests.test_content_studio_api import API, ID_CARD, Admin

NOW = datetime.now().astimezone()
LONG = 1000


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A hub that publishes with a key the offline keys delegated to it."""
    publisher = Publisher(tmp_path_factory.mktemp("offline"))
    publisher.publish()
    keys = publisher.delegate_to_hub(tmp_path_factory.mktemp("keys") / "hub-keys")
    h = FleetHub(
        tmp_path_factory.mktemp("hub"),
        NOW,
        content_repo=str(publisher.repo),
        content_keys=str(keys),
        content_source=str(publisher.src),
    )
    yield h
    h.stop()


@pytest.fixture(scope="module")
def admin(hub):
    return Admin(hub, "leyla")


def _no_echo(text: str, hostile: str) -> None:
    assert hostile[:200] not in text, text[:300]
    assert len(text) < 1500, len(text)


def test_a_bad_key_is_named_by_its_start_and_length_not_echoed(admin):
    doc = admin.open(ID_CARD)
    key = "k" * LONG
    r = admin.save({**doc, "data": {**doc["data"], key: "x"}})
    assert r.status_code == 422, r.text
    _no_echo(r.text, key)
    assert f"({LONG} characters)" in r.json()["detail"]
    assert r.json()["code"] == "save_bad_key" and r.json()["message"]
    assert admin.open(ID_CARD)["revision"] == doc["revision"]  # nothing was saved


def test_long_paths_and_languages_are_not_echoed(hub, admin):
    path = "services/" + "a" * 5000 + ".toml"
    r = admin.get(f"{API}/files/{path}")
    assert r.status_code == 404
    _no_echo(r.text, path)
    lang = "x" * 5000
    r = admin.get("/api/v1/studio/voice/texts", params={"lang": lang})
    assert r.status_code == 404, r.text
    _no_echo(r.text, lang)
    assert "5000 characters" in r.json()["detail"]


def test_a_save_that_would_empty_a_file_is_refused_in_every_language(admin):
    doc = admin.open(ID_CARD)
    for data in ({}, {"not_a_key_of_the_file": "x"}):
        for lang, word in (("az", "boşalardı"), ("ru", "опустел"), ("en", "would be empty")):
            r = admin.http.put(
                f"{admin.url}{API}/files/{ID_CARD}",
                json={"base_revision": doc["revision"], "data": data},
                headers={"X-CSRF-Token": admin.csrf, "Accept-Language": lang},
                timeout=30,
            )
            assert r.status_code == 422, r.text
            assert r.json()["code"] == "save_empties_file"
            assert word in r.json()["message"], r.json()
    after = admin.open(ID_CARD)
    assert after["revision"] == doc["revision"] and after["data"] == doc["data"]  # all kept


def test_a_save_that_keeps_one_entry_still_saves(admin):
    doc = admin.open(ID_CARD)
    data = dict(doc["data"])
    data["admin_note"] = "checked by phone"
    r = admin.save({**doc, "data": data})
    assert r.status_code == 200, r.text
    assert admin.open(ID_CARD)["data"]["admin_note"] == "checked by phone"


def test_a_refused_publish_says_why_in_az_ru_and_en(admin):
    r = admin.send("POST", f"{API}/publish", {"pilot": ["nowhere"]})
    assert r.status_code == 409, r.text
    [reason] = r.json()["detail"]["problems"]
    assert reason["code"] == "publish_unknown_site"
    assert reason["text"].startswith("no site 'nowhere' in the bundle (it has ")
    assert reason["texts"]["az"].startswith("paketdə 'nowhere' məntəqəsi yoxdur (olanlar: ")
    assert reason["texts"]["ru"].startswith("в пакете нет пункта 'nowhere' (есть: ")


def test_a_symbolic_link_in_the_draft_is_refused_not_published(hub, admin, tmp_path):
    """Someone on the hub's machine links a file into the draft: publishing refuses it,
    in each language, instead of sending what it points at to every terminal."""
    secret = tmp_path / "outside.txt"
    secret.write_text("not for the terminals", "utf-8")
    link = hub.data_dir / "studio" / "content" / "notes.txt"
    link.symlink_to(secret)
    try:
        r = admin.send("POST", f"{API}/publish", {})
        assert r.status_code == 409, r.text
        [reason] = r.json()["detail"]["problems"]
        assert reason["code"] == "publish_symlink"
        assert reason["texts"]["az"] == "notes.txt: simvolik keçiddir; faylın özünü paketə köçürün"
        assert reason["texts"]["ru"].startswith("notes.txt: это символическая ссылка")
    finally:
        link.unlink()
