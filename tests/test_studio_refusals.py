"""What the studios and the hub answer to hostile or mistaken input, on one real
hub: a refusal never echoes unbounded input back (a 1,000-character key, a
5,000-character path or language is named by its start and length)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.fleet_support import FleetHub
from tests.test_content_studio_api import API, ID_CARD, Admin

NOW = datetime.now().astimezone()
LONG = 1000


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    h = FleetHub(tmp_path_factory.mktemp("hub"), NOW)
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
    assert r.json()["code"] == "invalid" and r.json()["message"]
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
