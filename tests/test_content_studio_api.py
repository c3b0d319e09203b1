"""The content studio's API on a real hub: admins only, CSRF on every change,
each problem placed at its field, conflicts between two admins, restore, and
Publish refused while there are problems, then signed by the hub's delegated
key so that a terminal installs it."""

from __future__ import annotations

import pytest
import requests

from kiosk.core.content.update import ContentUpdater, UpdateStatus
from tests._updates import RepoServer, terminal_settings
from tests.fleet_support import FleetHub, content_hub, content_publisher

API = "/api/v1/studio/content"
ID_CARD = "services/id-card.toml"


@pytest.fixture
def publisher(tmp_path):
    return content_publisher(tmp_path)


@pytest.fixture
def hub(tmp_path, publisher):
    h = content_hub(tmp_path, publisher)
    yield h
    h.stop()


class Admin:
    def __init__(self, hub: FleetHub, name: str, admin: bool = True):
        self.url = hub.url
        self.http = hub.admin(name, admin=admin)
        me = self.http.get(f"{hub.url}/api/v1/console/me", timeout=5).json()
        self.csrf = me["csrf_token"]

    def get(self, path: str, **kw) -> requests.Response:
        return self.http.get(self.url + path, timeout=30, **kw)

    def send(self, method: str, path: str, body: dict, csrf: bool = True) -> requests.Response:
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return self.http.request(method, self.url + path, json=body, headers=headers, timeout=180)

    def open(self, path: str) -> dict:
        r = self.get(f"{API}/files/{path}")
        assert r.status_code == 200, r.text
        return r.json()

    def save(self, doc: dict) -> requests.Response:
        return self.send(
            "PUT",
            f"{API}/files/{doc['path']}",
            {"base_revision": doc["revision"], "data": doc["data"]},
        )


def step(doc: dict, step_id: str) -> dict:
    return next(s for s in doc["data"]["steps"] if s["id"] == step_id)


def test_a_volunteer_and_a_stranger_cannot_reach_the_studio(hub):
    volunteer = Admin(hub, "nigar", admin=False)
    assert volunteer.get("/studio/content/").status_code == 403
    assert 'data-t="admins_only_text"' in volunteer.get("/studio/content/").text
    assert volunteer.get(f"{API}/files").status_code == 403
    assert volunteer.get(f"{API}/files/{ID_CARD}").status_code == 403
    doc = {"path": ID_CARD, "revision": 0, "data": {"id": "id-card"}}
    assert volunteer.save(doc).status_code == 403
    assert volunteer.send("POST", f"{API}/publish", {}).status_code == 403
    stranger = requests.get(f"{hub.url}/studio/content/", timeout=5, allow_redirects=False)
    assert stranger.status_code == 303  # to the studio's login page, then back here
    assert stranger.headers["location"].startswith("/login?next=/studio/content/")
    assert requests.get(f"{hub.url}{API}/files", timeout=5).status_code == 401


def test_each_problem_is_placed_at_its_field_and_publish_waits_for_none(hub, publisher):
    admin = Admin(hub, "leyla")
    timestamp = (publisher.repo / "metadata" / "timestamp.json").read_bytes()
    doc = admin.open(ID_CARD)
    step(doc, "what")["text"]["az"] = ""
    r = admin.save(doc)
    assert r.status_code == 200, r.text
    (problem,) = r.json()["problems"]
    assert problem["file"] == ID_CARD
    assert (problem["step"], problem["field"], problem["lang"]) == ("what", "text", "az")

    refused = admin.send("POST", f"{API}/publish", {})
    assert refused.status_code == 409
    assert "nothing was published" in refused.json()["detail"]["message"]
    assert (publisher.repo / "metadata" / "timestamp.json").read_bytes() == timestamp

    doc = admin.open(ID_CARD)
    step(doc, "what")["text"]["az"] = "Vəsiqəni ASAN xidmətdə alırsınız."
    assert admin.save(doc).json()["problems"] == []


def test_changes_need_the_csrf_token_and_bounded_bodies(hub):
    admin = Admin(hub, "leyla")
    doc = admin.open(ID_CARD)
    body = {"base_revision": doc["revision"], "data": doc["data"]}
    assert admin.send("PUT", f"{API}/files/{ID_CARD}", body, csrf=False).status_code == 403
    huge = {"base_revision": 0, "data": {"admin_note": "x" * 600_000}}
    assert admin.send("PUT", f"{API}/files/{ID_CARD}", huge).status_code == 413
    assert admin.send("PUT", f"{API}/files/../../etc/passwd", body).status_code in (404, 422)
    assert admin.open(ID_CARD)["revision"] == 0  # nothing was written


def test_two_admins_get_a_conflict_and_can_restore(hub):
    leyla, rashad = Admin(hub, "leyla"), Admin(hub, "rashad")
    mine, theirs = leyla.open(ID_CARD), rashad.open(ID_CARD)
    step(mine, "what")["text"]["en"] = "Leyla's words."
    assert leyla.save(mine).status_code == 200
    step(theirs, "what")["text"]["en"] = "Rashad's words."
    r = rashad.save(theirs)
    assert r.status_code == 409
    detail = r.json()["detail"]
    assert "leyla" in detail["message"] and "not saved" in detail["message"]
    assert "Leyla's words." in detail["changes"][0]["diff"]

    changes = leyla.get(f"{API}/history", params={"path": ID_CARD}).json()["changes"]
    assert [(c["revision"], c["author"]) for c in changes] == [(1, "leyla"), (0, "")]
    r = rashad.send("POST", f"{API}/restore", {"path": ID_CARD, "revision": 0, "base_revision": 1})
    assert r.status_code == 200, r.text
    assert "Leyla's words." not in str(rashad.open(ID_CARD)["data"])


def test_publish_signs_with_the_hub_key_and_a_terminal_installs_it(tmp_path, hub, publisher):
    admin = Admin(hub, "leyla")
    doc = admin.open(ID_CARD)
    step(doc, "what")["text"]["az"] = "Vəsiqə ASAN xidmətdə verilir."
    assert admin.save(doc).status_code == 200
    r = admin.send("POST", f"{API}/publish", {})
    assert r.status_code == 200, r.text
    assert r.json()["bundle_version"] == 2
    overview = admin.get(f"{API}/files").json()
    assert overview["published_version"] == 2
    assert overview["unpublished"] == 0
    assert overview["help_points_step"] == {"item": "free-help", "step": "points"}

    with RepoServer(publisher.repo) as server:
        terminal = ContentUpdater(terminal_settings(tmp_path, server.url, publisher.trusted_root))
        result = terminal.check_once()
        assert result.status == UpdateStatus.UPDATED_STAGED, result.reason
        assert terminal.switch_pending()
    text = (terminal.installed_dir() / ID_CARD).read_text(encoding="utf-8")
    assert 'text.az = "Vəsiqə ASAN xidmətdə verilir."' in text
    assert text.startswith("# ID card: issue and replacement")  # comments travel too


def test_the_screen_picture_and_the_voice(hub):
    admin = Admin(hub, "leyla")
    body = {"lang": "az", "screen": "step", "item": "id-card", "step": "what", "shape": "1280x800"}
    r = admin.send("POST", f"{API}/preview", body)
    assert r.status_code == 200, r.text
    picture = r.json()
    assert picture["error"] == ""
    assert picture["image"].startswith("data:image/png;base64,")
    bad = admin.send("POST", f"{API}/preview", body | {"shape": "99x99"})
    assert bad.status_code == 422

    wav = admin.get(f"{API}/listen", params={"lang": "az", "text": "Salam"})
    if wav.status_code == 503:
        pytest.skip(f"no speech engine on this machine: {wav.text}")
    assert wav.status_code == 200
    assert wav.headers["content-type"] == "audio/wav"
    assert wav.content[:4] == b"RIFF"


def test_a_recorded_clip_plays_and_nothing_outside_the_draft_does(hub):
    from kiosk.core.narration.engines import write_silence

    admin = Admin(hub, "leyla")
    draft = hub.data_dir / "studio" / "content"
    (draft / "audio").mkdir()
    write_silence(draft / "audio" / "what-az.wav", 0.2)
    clip = admin.get(f"{API}/recording", params={"file": "audio/what-az.wav"})
    assert clip.status_code == 200
    assert clip.headers["content-type"] == "audio/wav"
    assert clip.content[:4] == b"RIFF"
    for bad in ("../hub.db", "/etc/passwd", "bundle.toml", "audio/none.wav"):
        assert admin.get(f"{API}/recording", params={"file": bad}).status_code == 404
    volunteer = Admin(hub, "nigar", admin=False)
    assert (
        volunteer.get(f"{API}/recording", params={"file": "audio/what-az.wav"}).status_code == 403
    )


def test_the_studio_lists_sources_and_what_an_author_marked_unconfirmed(hub):
    """The same list as `kiosk content sources --json`, for the draft, admins only."""
    admin = Admin(hub, "aysel")
    volunteer = Admin(hub, "nigar", admin=False)
    assert volunteer.get(f"{API}/sources").status_code == 403
    doc = admin.open(ID_CARD)
    first = doc["data"]["steps"][0]
    doc["data"]["sources"] = {"asan": {"url": "https://asan.gov.az/", "checked": "2026-11-29"}}
    first["unconfirmed"] = True
    first["ask"] = "142"
    r = admin.save(doc)
    assert r.status_code == 200, r.text
    data = admin.get(f"{API}/sources").json()
    entry = next(f for f in data["files"] if f["id"] == "id-card")
    assert entry["unconfirmed"][0]["item"] == f"step {first['id']!r}"
    assert entry["unconfirmed"][0]["ask"] == "142"
    assert entry["sources"][0]["key"] == "asan"
    assert data["today"] and "totals" in data
    # JSON has no dates: the day went into the file as a TOML date (a quoted one is refused)
    problems = admin.get(f"{API}/files").json()["problems"]
    assert not [p for p in problems if "source 'asan'" in p["item"]], problems


def test_a_sources_problems_say_which_source_and_field_they_belong_to(hub):
    """A page not on https and a day after today are placed beside that source's
    address and date in the form; a citation of a missing key beside the item's
    provenance; the draft keeps what was saved."""
    admin = Admin(hub, "aysel")
    doc = admin.open(ID_CARD)
    key = next(iter(doc["data"]["sources"]))
    doc["data"]["sources"][key]["url"] = "http://bpqmi.gov.az/"
    doc["data"]["sources"][key]["checked"] = "2099-01-01"
    doc["data"]["steps"][0]["source"] = "no-such-page"
    r = admin.save(doc)
    assert r.status_code == 200, r.text
    mine = [p for p in r.json()["problems"] if p["file"] == ID_CARD]
    where = {(p["code"], p.get("source", ""), p.get("field", "")) for p in mine}
    assert ("source_bad_url", key, "url") in where
    assert ("checked_future", key, "checked") in where
    assert ("unknown_source", "", "source") in where
    assert admin.open(ID_CARD)["data"]["sources"][key]["url"] == "http://bpqmi.gov.az/"
    overview = admin.get(f"{API}/files").json()
    assert "gov.az" in overview["official_domains"] and overview["today"]
