"""The hub's refusals in the reader's language: every error answer, also the
input guard's own (Host, body size, JSON) and FastAPI's 422s, keeps its English
`detail` and adds a stable `code` and a `message` in az, ru or en, chosen by the
pages' `komek_lang` cookie, else Accept-Language, else Azerbaijani."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from kiosk.core.helpdesk import FakeClock
from kiosk.hub.app import create_app
from kiosk.hub.web import errors
from tests.helpdesk_support import cheap_hasher, hub_settings


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(
        hub_settings(),
        tmp_path_factory.mktemp("hub"),
        clock=FakeClock(datetime(2026, 12, 6, 9, 0, tzinfo=UTC)),
        password_hasher=cheap_hasher(),
    )
    with TestClient(app) as c:
        yield c


def test_the_language_is_the_cookie_then_accept_language_then_azerbaijani():
    assert errors.language({}) == "az"
    assert errors.language({"accept-language": "ru-RU,ru;q=0.9,en;q=0.8"}) == "ru"
    assert errors.language({"accept-language": "de-DE,en;q=0.5"}) == "en"
    both = {"cookie": "a=1; komek_lang=en", "accept-language": "ru"}
    assert errors.language(both) == "en"
    assert errors.language({"cookie": "komek_lang=xx", "accept-language": "ru"}) == "ru"
    assert errors.language({"cookie": "\x00broken;;==", "accept-language": "ru"}) == "ru"


@pytest.mark.parametrize(
    ("lang", "message"),
    [("az", "Əvvəlcə daxil olun."), ("ru", "Сначала войдите."), ("en", "Log in first.")],
)
def test_a_refusal_says_it_in_each_language(client, lang, message):
    r = client.get("/api/v1/console/queue", headers={"Accept-Language": lang})
    assert r.status_code == 401
    assert r.json() == {
        "detail": "log in first",
        "code": "login_first",
        "message": message,
        "messages": {"az": "Əvvəlcə daxil olun.", "ru": "Сначала войдите.", "en": "Log in first."},
    }


def test_the_guards_own_answers_carry_a_code_and_message(client):
    ru = {"Accept-Language": "ru"}
    big = client.post("/api/v1/console/login", content=b"x" * 300_000, headers=ru)
    assert (big.status_code, big.json()["code"]) == (413, "too_large")
    assert big.json()["message"] == "Отправленное слишком велико."
    host = client.get("/healthz", headers={"Host": "evil.example", **ru})
    assert (host.status_code, host.json()["code"]) == (400, "unknown_host")
    bad_json = client.post(
        "/api/v1/console/login",
        content=b'{"name": NaN}',
        headers={"Content-Type": "application/json", **ru},
    )
    assert (bad_json.status_code, bad_json.json()["code"]) == (422, "invalid")
    assert bad_json.json()["detail"][0]["type"] == "json_invalid"  # FastAPI's own shape stays


def test_an_unknown_refusal_gets_its_statuss_general_code(client):
    r = client.get("/api/v1/console/requests/1/nothing", headers={"Accept-Language": "az"})
    assert r.status_code in (404, 405, 422)
    assert r.json()["code"] in ("not_found", "invalid", "failed")
    assert r.json()["message"]  # never empty, never only English
    assert errors.code_for(409, "something new") == "conflict"
    assert errors.code_for(418, "teapot") == "failed"


def test_every_code_has_all_three_languages():
    for code, texts in errors.TEXTS.items():
        assert set(texts) == set(errors.LANGS), code
    for _, code in errors.KNOWN:
        assert code in errors.TEXTS
    assert set(errors.BY_STATUS.values()) <= set(errors.TEXTS)
