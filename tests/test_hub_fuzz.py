"""Schema-driven fuzzing of the hub's API, in process (schemathesis over ASGI):
no input may give a 5xx, and every answer must match /openapi.json, status
codes included. Every operation, the studios' too, is tried not logged in and
as a logged-in admin (the widest access). Bounded: a few examples per operation
in `make test`; KOMEK_FUZZ=all (`make check`) tries many more."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")

from kiosk.core.helpdesk import FakeClock  # noqa: E402
from kiosk.hub.app import create_app  # noqa: E402
from tests.helpdesk_support import cheap_hasher, hub_settings  # noqa: E402

PASSWORD = "correct horse 1"
# Examples per operation and role: a small profile in `make test`, more in `make check`.
EXAMPLES = 60 if os.environ.get("KOMEK_FUZZ") == "all" else 6
# No 5xx, and answers as the schema says (status, content type, headers, body).
# Not asked: that every schema-valid body is accepted (the hub also refuses
# dates before 2000 and non-strict JSON, which JSON Schema cannot say) and that
# every invalid one is refused (pydantic takes 1.0 for 1, harmlessly).
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]


def _hub(tmp_root):
    clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    app = create_app(hub_settings(), tmp_root, clock, password_hasher=cheap_hasher())
    store = app.state.hub.store
    key = store.add_terminal("hall-1", "barda", clock.now())
    store.add_volunteer("aysel", "barda", PASSWORD, clock.now(), admin=True)
    hub_key = store.add_hub("district", ["barda"], clock.now())
    return app, key, hub_key


# Built at import: schemathesis collects one test per operation from the schema.
_DATA = tempfile.TemporaryDirectory(prefix="komek-fuzz-")
APP, TERMINAL_KEY, HUB_KEY = _hub(Path(_DATA.name))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
# Schemathesis runs the app's lifespan around every call; the studio (its draft's
# database, its renderer child) is closed once, when this module is done.
_close_studio = APP.state.content_studio.close
APP.state.content_studio.close = lambda: None


@pytest.fixture(scope="module", autouse=True)
def _studio_closed_at_the_end():
    yield
    _close_studio()


@pytest.fixture(scope="module")
def credentials():
    """A logged-in volunteer's cookie and CSRF token, and keys for the other routes."""
    from fastapi.testclient import TestClient

    key, hub_key = TERMINAL_KEY, HUB_KEY
    client = TestClient(APP)
    csrf = client.get("/api/v1/console/me").json()["csrf_token"]
    r = client.post(
        "/api/v1/console/login",
        json={"name": "aysel", "password": PASSWORD},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 200
    return {
        "cookie": f"komek_session={client.cookies['komek_session']}",
        "csrf": r.json()["csrf_token"],
        "terminal": key,
        "hub": hub_key,
    }


@pytest.mark.parametrize("role", ["admin", "nobody"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_gives_a_5xx_or_an_answer_outside_the_schema(case, role, credentials):
    if case.path == "/api/v1/console/events":
        pytest.skip("an endless stream; covered by the console tests")
    if role == "nobody":
        headers = {}
    else:
        key = (
            credentials["hub"] if case.path.startswith("/api/v1/hub/") else credentials["terminal"]
        )
        headers = {
            "Authorization": f"Bearer {key}",
            "Cookie": credentials["cookie"],
            "X-CSRF-Token": credentials["csrf"],
        }
    if case.path.endswith("/logout"):
        headers.pop("Cookie", None)  # keep the session for the other operations
    case.call_and_validate(headers=headers, checks=CHECKS)
