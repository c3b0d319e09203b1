"""A hub with a display key, a terminal and a volunteer, and people in its queue
whose names, phones and notes must never reach a display (issue 27)."""

from __future__ import annotations

from datetime import datetime

import requests

from kiosk.core.helpdesk import SystemClock
from tests.helpdesk_support import RunningHub

PASSWORD = "volunteer-pass-1"
VOLUNTEER = "aysel.quliyeva"  # the display shows her display name, "Aysel", only
# What residents typed and volunteers noted: none of it may reach a display.
PEOPLE = [
    ("Gülnarə Əliyeva", "0501234567", "Həsənova bacısı ilə gəlib"),
    ("Rauf Məmmədov", "+994552223344", "Quliyev soyadı ilə yazılıb"),
    ("Səbinə Hüseynova", "0709998877", "telefon 0123456789"),
]
PRIVATE = [
    part
    for name, phone, note in PEOPLE
    for part in (*name.split(), phone, phone.lstrip("+"), note, "Quliyeva", "quliyeva")
]


def start_hub(data_dir) -> RunningHub:
    hub = RunningHub(data_dir)
    store = hub.store()
    now = SystemClock().now()
    hub.key = store.add_terminal("hall-1", "barda", now)
    hub.display_key = store.add_display("hall-tv", "barda", now)
    hub.other_key = store.add_display("ganja-tv", "ganja", now)
    store.add_volunteer(VOLUNTEER, "barda", PASSWORD, now)
    store.set_display_name(VOLUNTEER, "Aysel")  # what she chose to be called
    store.close()
    return hub.start()


def send_request(hub: RunningHub, n: int, name: str = "", phone: str = "", topic: str = "id-card"):
    r = requests.post(
        hub.url + "/api/v1/terminal/help-requests",
        json={
            "ticket": f"A-{n:03d}",
            "topic_service_id": topic,
            "first_name": name,
            "phone": phone,
            "issued_at": datetime.now().astimezone().isoformat(),
        },
        headers={"Authorization": f"Bearer {hub.key}", "Idempotency-Key": f"idem-{n:06d}"},
        timeout=10,
    )
    assert r.status_code in (200, 201), r.text
    return r.json()


class Volunteer:
    """The console's API as a logged-in volunteer (cookies and the CSRF token)."""

    def __init__(self, hub: RunningHub):
        self.url = hub.url + "/api/v1/console"
        self.http = requests.Session()
        self.csrf = self.http.get(self.url + "/me", timeout=10).json()["csrf_token"]
        r = self.post("login", {"name": VOLUNTEER, "password": PASSWORD})
        assert r.status_code == 200, r.text
        self.csrf = r.json()["csrf_token"]

    def post(self, path: str, body=None):
        return self.http.post(
            f"{self.url}/{path}", json=body, headers={"X-CSRF-Token": self.csrf}, timeout=10
        )

    def queue(self) -> list[dict]:
        return self.http.get(self.url + "/queue", timeout=10).json()["requests"]

    def call_next(self) -> dict:
        r = self.post("call-next")
        assert r.status_code == 200, r.text
        return r.json()
