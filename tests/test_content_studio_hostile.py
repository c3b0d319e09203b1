"""The content studio given what it must refuse, on a real hub: a bundle version
(or any number) beyond 2^53 is refused by the validator and by the studio before
anything is signed; saves of the wrong type get 422 and change nothing; and a
draft already broken on the hub's disk still loads, naming what is wrong; any edit
(a dotted title losing two languages too) is written as asked, never a 500."""

from __future__ import annotations

import re

from kiosk.core.content import check_bundle
from tests import test_content_studio_api as studio_api
from tests.test_content_studio_api import API, ID_CARD, Admin

hub = studio_api.hub  # the same fixtures: a real hub that publishes with a delegated key
publisher = studio_api.publisher

TOO_BIG = [2**53 + 1, 2**63 - 1]


def test_the_validator_refuses_a_version_beyond_2_53(content_copy):
    meta = content_copy / "bundle.toml"
    text = meta.read_text("utf-8")
    for version in TOO_BIG:
        meta.write_text(re.sub(r"(?m)^version = \d+", f"version = {version}", text), "utf-8")
        bundle, problems = check_bundle(content_copy)
        assert bundle is None
        assert any(p.file == "bundle.toml" and "2^53" in p.message for p in problems), problems
    meta.write_text(re.sub(r"(?m)^version = \d+", f"version = {2**53}", text), "utf-8")
    bundle, problems = check_bundle(content_copy)
    assert problems == [] and bundle.version == 2**53


def _timestamp(publisher) -> bytes:
    return (publisher.repo / "metadata" / "timestamp.json").read_bytes()


def test_the_studio_refuses_a_version_beyond_2_53_before_anything_is_signed(hub, publisher):
    admin = Admin(hub, "leyla")
    signed = _timestamp(publisher)
    for version in TOO_BIG:
        doc = admin.open("bundle.toml")
        doc["data"]["version"] = version
        r = admin.save(doc)
        assert r.status_code == 422, r.text
        assert "2^53" in r.json()["detail"]
        assert admin.open("bundle.toml")["revision"] == 0  # not saved
    # Any number an admin can set, anywhere in a file, is bounded the same way.
    doc = admin.open(ID_CARD)
    doc["data"]["priority"] = 2**60
    assert admin.save(doc).status_code == 422
    # A draft that already holds one (written before this check) cannot be published.
    meta = hub.data_dir / "studio" / "content" / "bundle.toml"
    meta.write_text(
        re.sub(r"(?m)^version = \d+", f"version = {2**63 - 1}", meta.read_text("utf-8")), "utf-8"
    )
    overview = admin.get(f"{API}/files")
    assert overview.status_code == 200
    assert any("2^53" in p["message"] for p in overview.json()["problems"])
    r = admin.send("POST", f"{API}/publish", {})
    assert r.status_code == 409, r.text
    assert "nothing was published" in r.json()["detail"]["message"]
    assert _timestamp(publisher) == signed  # nothing signed, nothing written


WRONG_TYPES = {
    "steps as text": lambda d: d.update(steps="first go to ASAN"),
    "a title that is a number": lambda d: d.update(title={"az": 5, "ru": "Паспорт"}),
    "a title table that is a number": lambda d: d.update(title=7),
    "a step's text as a list": lambda d: d["steps"][0].update(text=["a", "b"]),
}


def test_wrong_typed_saves_get_422_and_change_nothing(hub):
    admin = Admin(hub, "leyla")
    for case, spoil in WRONG_TYPES.items():
        doc = admin.open(ID_CARD)
        spoil(doc["data"])
        r = admin.save(doc)
        assert r.status_code == 422, f"{case}: {r.text}"
        detail = r.json()["detail"]
        assert "not saved" in detail["message"] and detail["problems"], case
        assert admin.open(ID_CARD)["revision"] == 0, case
    assert admin.get(f"{API}/files").status_code == 200


def test_a_draft_broken_on_disk_still_loads_and_says_what_is_wrong(hub):
    admin = Admin(hub, "leyla")
    draft = hub.data_dir / "studio" / "content"
    admin.get(f"{API}/files")  # the draft exists once the studio has started
    service = draft / ID_CARD
    text = service.read_text("utf-8")
    text = re.sub(r"(?m)^title\.az = .*$", "title.az = 5", text)
    service.write_text(text, "utf-8")
    (draft / "services" / "broken.toml").write_text(
        'id = "broken"\ngroup = 3\ntitle = 5\nsteps = "see the website"\n', "utf-8"
    )
    overview = admin.get(f"{API}/files")
    assert overview.status_code == 200, overview.text
    problems = overview.json()["problems"]
    assert any(p["file"] == ID_CARD and p["item"] == "title.az" for p in problems), problems
    assert any(p["file"] == "services/broken.toml" for p in problems), problems
    assert admin.get(f"{API}/files/services/broken.toml").status_code == 200
    meta = draft / "bundle.toml"
    meta.write_text(
        re.sub(r"(?m)^version = .*$", 'version = "seven"', meta.read_text("utf-8")), "utf-8"
    )
    overview = admin.get(f"{API}/files")
    assert overview.status_code == 200, overview.text
    problems = overview.json()["problems"]
    assert any(p["file"] == "bundle.toml" and p["item"] == "version" for p in problems)
    assert admin.send("POST", f"{API}/publish", {}).status_code == 409


def test_a_save_that_drops_languages_of_a_dotted_title_is_saved_not_a_500(hub):
    # title.az / title.ru / title.en are dotted keys: tomlkit's table for them went
    # stale after the first key was deleted, so dropping two gave IndexError (500).
    admin = Admin(hub, "leyla")
    doc = admin.open(ID_CARD)
    doc["data"]["title"] = {"az": "Şəxsiyyət vəsiqəsi"}
    doc["data"]["summary"] = {"en": "Get or replace an ID card"}
    r = admin.save(doc)
    assert r.status_code == 200, r.text
    problems = r.json()["problems"]
    assert any("'title' has no text" in p["message"] for p in problems), problems
    saved = admin.open(ID_CARD)
    assert saved["parse_error"] == "" and saved["revision"] == 1
    assert saved["data"]["title"] == {"az": "Şəxsiyyət vəsiqəsi"}
    assert saved["data"]["summary"] == {"en": "Get or replace an ID card"}
    assert saved["data"]["steps"] == doc["data"]["steps"]  # the rest is as it was


def test_any_edit_of_any_content_file_is_written_as_asked():
    """Bounded random edits (keys dropped, added, changed; list items dropped) of
    every default content file: the merged TOML reads back as the edit asked."""
    import random

    import tomlkit

    from kiosk.hub.studio.content_drafts import merge_toml, plain
    from kiosk.paths import DEFAULT_CONTENT

    rng = random.Random(27)

    def edit(value):
        if isinstance(value, dict):
            out = {k: edit(v) for k, v in value.items() if rng.random() > 0.25}
            if rng.random() < 0.2:
                out[f"new{rng.randint(0, 9)}"] = "z"
            return out
        if isinstance(value, list):
            return [edit(v) for v in value if rng.random() > 0.2]
        return value if rng.random() < 0.8 else "changed"

    def pruned(value):  # TOML cannot write an empty table or list of tables: both vanish
        if isinstance(value, dict):
            return {k: pruned(v) for k, v in value.items() if pruned(v) not in ({}, [])}
        if isinstance(value, list):
            return [pruned(v) for v in value]
        return value

    files = sorted(DEFAULT_CONTENT.rglob("*.toml"))
    for i in range(120):
        path = files[i % len(files)]
        doc = tomlkit.parse(path.read_text("utf-8"))
        wanted = edit(plain(doc))
        merge_toml(doc, wanted)
        assert pruned(plain(tomlkit.parse(tomlkit.dumps(doc)))) == pruned(wanted), path.name
