"""The content studio's draft: saves keep the TOML files' comments and layout,
every change is in the history with who, when and a readable diff, any earlier
version comes back, and two admins on the same file get a conflict, never a
silent overwrite."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.hub.studio.content_drafts import Draft, DraftError
from kiosk.paths import DEFAULT_CONTENT

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
ID_CARD = "services/id-card.toml"


@pytest.fixture
def draft(tmp_path):
    d = Draft(tmp_path / "draft", tmp_path / "history.db", DEFAULT_CONTENT)
    yield d
    d.close()


def step(data, step_id):
    return next(s for s in data["steps"] if s["id"] == step_id)


def test_an_edit_keeps_comments_and_layout(draft):
    original = (DEFAULT_CONTENT / ID_CARD).read_text(encoding="utf-8")
    doc = draft.read(ID_CARD)
    data = doc["data"]
    step(data, "what")["text"]["az"] = "Vəsiqəni ASAN xidmətdə alırsınız."
    saved = draft.save(ID_CARD, data, doc["revision"], "leyla", T0)

    text = draft.text(ID_CARD)
    assert text.startswith("# ID card: issue and replacement")
    assert 'text.az = "Vəsiqəni ASAN xidmətdə alırsınız."' in text
    assert "checked = 2026-11-29" in text  # still a TOML date, not a string
    assert 'admin_note = """' in text  # still a multi-line string
    # Exactly one line changed: everything else is byte for byte the same.
    changed = [
        (a, b) for a, b in zip(original.splitlines(), text.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 1
    assert saved.revision == 1
    assert "-text.az = " in saved.diff and "+text.az = " in saved.diff


def test_steps_added_removed_and_reordered_keep_their_comments(draft):
    path = "services/id-card.toml"
    text = draft.text(path).replace(
        '[[steps]]\nid = "who"', '[[steps]]\n# who may apply (checked 2026)\nid = "who"'
    )
    (draft.root / path).write_text(text, encoding="utf-8")
    doc = draft.read(path)
    data = doc["data"]
    steps = data["steps"]
    shipped = [s["id"] for s in steps]
    who = step(data, "who")
    steps.remove(who)
    steps.insert(0, who)  # reorder
    steps.remove(step(data, "online"))  # remove
    new = copy.deepcopy(step(data, "where"))
    new["id"] = "bus"
    new["text"] = {"az": "Avtobus gəlir.", "ru": "Автобус приезжает.", "en": "A bus comes."}
    del new["say"]
    steps.insert(-1, new)  # add before finish
    draft.save(path, data, doc["revision"], "leyla", T0)

    text = draft.text(path)
    assert text.index('id = "who"') < text.index('id = "what"')
    assert '# who may apply (checked 2026)\nid = "who"' in text
    assert 'id = "online"' not in text
    assert 'text.az = "Avtobus gəlir."' in text  # dotted keys, like the rest of the file
    assert text.index('id = "bus"') < text.index('id = "finish"')
    # who first, online gone, bus just before finish; the rest as shipped
    rest = [i for i in shipped if i not in ("who", "online", "finish")]
    assert [s["id"] for s in draft.read(path)["data"]["steps"]] == [
        "who",
        *rest,
        "bus",
        "finish",
    ]


def test_two_admins_on_the_same_service_get_a_conflict(draft):
    first = draft.read(ID_CARD)
    second = draft.read(ID_CARD)
    step(first["data"], "what")["text"]["az"] = "Leylanın mətni."
    draft.save(ID_CARD, first["data"], first["revision"], "leyla", T0)

    step(second["data"], "what")["text"]["az"] = "Rəşadın mətni."
    with pytest.raises(DraftError) as err:
        draft.save(ID_CARD, second["data"], second["revision"], "rashad", T0 + timedelta(minutes=1))
    assert err.value.code == 409
    assert "leyla" in str(err.value) and "not saved" in str(err.value)
    assert err.value.detail["changes"][0]["author"] == "leyla"
    assert "Leylanın mətni." in err.value.detail["changes"][0]["diff"]
    # Leyla's change stands; nothing of Rashad's was written.
    assert "Leylanın mətni." in draft.text(ID_CARD)
    assert "Rəşadın mətni." not in draft.text(ID_CARD)
    # Other files are not blocked by it.
    groups = draft.read("groups.toml")
    draft.save("groups.toml", groups["data"] | {"x": 1}, groups["revision"], "rashad", T0)


def test_an_earlier_version_can_be_restored(draft):
    original = draft.text(ID_CARD)
    for n, author in enumerate(("leyla", "rashad"), start=1):
        doc = draft.read(ID_CARD)
        step(doc["data"], "what")["text"]["az"] = f"Mətn {n}."
        draft.save(ID_CARD, doc["data"], doc["revision"], author, T0 + timedelta(minutes=n))

    history = draft.history(ID_CARD)
    assert [(h["revision"], h["author"], h["action"]) for h in history] == [
        (2, "rashad", "save"),
        (1, "leyla", "save"),
        (0, "", "original"),
    ]
    assert history[0]["at"] == (T0 + timedelta(minutes=2)).isoformat()

    saved = draft.restore(ID_CARD, 1, 2, "aydan", T0 + timedelta(minutes=3))
    assert saved.revision == 3
    assert 'text.az = "Mətn 1."' in draft.text(ID_CARD)
    assert draft.history(ID_CARD)[0]["note"] == "restored version 1"

    draft.restore(ID_CARD, 0, 3, "aydan", T0 + timedelta(minutes=4))
    assert draft.text(ID_CARD) == original  # byte for byte
    with pytest.raises(DraftError) as err:
        draft.restore(ID_CARD, 1, 2, "aydan", T0)  # from a stale page
    assert err.value.code == 409


@pytest.mark.parametrize(
    "path", ["../bundle.toml", "services/../bundle.toml", "/etc/passwd", "services/x.json"]
)
def test_only_content_files_are_edited(draft, path):
    with pytest.raises(DraftError) as err:
        draft.save(path, {"id": "x"}, 0, "leyla", T0)
    assert err.value.code == 404


@pytest.mark.parametrize(
    "data", [{"id": None}, {"": "x"}, {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {}}}}}}}}}]
)
def test_bad_data_is_refused_and_the_file_is_kept(draft, data):
    before = draft.text(ID_CARD)
    with pytest.raises(DraftError) as err:
        draft.save(ID_CARD, data, 0, "leyla", T0)
    assert err.value.code == 422
    assert draft.text(ID_CARD) == before
    assert draft.history(ID_CARD) == []


def test_history_survives_a_restart(tmp_path, draft):
    doc = draft.read(ID_CARD)
    step(doc["data"], "what")["text"]["az"] = "Saxlanıldı."
    draft.save(ID_CARD, doc["data"], doc["revision"], "leyla", T0)
    draft.close()
    again = Draft(tmp_path / "draft", tmp_path / "history.db", DEFAULT_CONTENT)
    try:
        assert again.revision(ID_CARD) == 1
        assert "Saxlanıldı." in again.text(ID_CARD)
    finally:
        again.close()


def test_one_admin_typing_is_one_change_in_the_history(draft):
    for n, (author, minute) in enumerate(
        [("leyla", 0), ("leyla", 1), ("leyla", 2), ("rashad", 3), ("rashad", 10)], start=1
    ):
        doc = draft.read(ID_CARD)
        step(doc["data"], "what")["text"]["az"] = f"Mətn {n}."
        saved = draft.save(
            ID_CARD, doc["data"], doc["revision"], author, T0 + timedelta(minutes=minute)
        )
        assert saved.revision == n  # always up: an older page still conflicts

    history = draft.history(ID_CARD)
    # Leyla's three saves are one change, Rashad's two are two (seven minutes apart).
    assert [(h["revision"], h["author"]) for h in history] == [
        (5, "rashad"),
        (4, "rashad"),
        (3, "leyla"),
        (0, ""),
    ]
    leyla = history[2]
    assert leyla["diff"].startswith("--- services/id-card.toml (version 0)")
    assert '+text.az = "Mətn 3."' in leyla["diff"]
    assert "Mətn 1." not in leyla["diff"] and "Mətn 2." not in leyla["diff"]
    draft.restore(ID_CARD, 3, 5, "aydan", T0 + timedelta(minutes=11))
    assert 'text.az = "Mətn 3."' in draft.text(ID_CARD)
