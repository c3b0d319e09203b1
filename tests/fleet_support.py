"""A real hub on 127.0.0.1 (kiosk.hub.server.start_in_thread) with a clock the
test moves, a logged-in admin over HTTP, and Prometheus text parsed into numbers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import requests
from prometheus_client.parser import text_string_to_metric_families

from kiosk.core.helpdesk import FakeClock
from kiosk.hub.server import start_in_thread
from tests._updates import Publisher
from tests.helpdesk_support import cheap_hasher, free_port, hub_settings

PASSWORD = "fleet-admin-1"


class FleetHub:
    def __init__(self, data_dir: Path, start: datetime, **settings: object):
        self.data_dir = data_dir
        self.clock = FakeClock(start)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = start_in_thread(
            hub_settings(**settings),
            data_dir,
            "127.0.0.1",
            self.port,
            clock=self.clock,
            password_hasher=cheap_hasher(),
        )
        self.app = self.server.config.app
        self.store = self.app.state.hub.store

    def add_terminal(self, name: str, site: str = "barda") -> str:
        return self.store.add_terminal(name, site, self.clock.now())

    def admin(
        self, name: str = "boss", site: str = "barda", admin: bool = True
    ) -> requests.Session:
        """A browser-like session logged in as a volunteer (an admin unless told)."""
        self.store.add_volunteer(name, site, PASSWORD, self.clock.now(), admin=admin)
        s = requests.Session()
        s.headers["Accept-Language"] = "en"  # pages and refusals in English, as asserted
        csrf = s.get(f"{self.url}/api/v1/console/me", timeout=5).json()["csrf_token"]
        r = s.post(
            f"{self.url}/api/v1/console/login",
            json={"name": name, "password": PASSWORD},
            headers={"X-CSRF-Token": csrf},
            timeout=5,
        )
        assert r.status_code == 200, r.text
        return s

    def metrics_text(self) -> str:
        r = requests.get(f"{self.url}/metrics", timeout=5)
        assert r.status_code == 200
        return r.text

    def metrics(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        """{(sample name, sorted labels): value} from /metrics."""
        out = {}
        for family in text_string_to_metric_families(self.metrics_text()):
            for sample in family.samples:
                out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return out

    def stop(self) -> None:
        self.server.should_exit = True


def metric(values: dict, name: str, **labels: str) -> float | None:
    return values.get((name, tuple(sorted(labels.items()))))


def content_publisher(root: Path) -> Publisher:
    """The admins' offline side: keys, version 1 published, the bundle delegated to a hub."""
    p = Publisher(root / "offline")
    p.publish()
    p.hub_keys = p.delegate_to_hub(root / "hub-keys")
    return p


def content_hub(root: Path, publisher: Publisher, *admins: str, **volunteers: bool) -> FleetHub:
    """A hub whose content studio publishes `publisher`'s bundle (its clock now), with
    these admins and volunteers (name=True for an admin) at barda, password PASSWORD."""
    h = FleetHub(
        root / "hub",
        datetime.now().astimezone(),
        content_repo=str(publisher.repo),
        content_keys=str(publisher.hub_keys),
        content_source=str(publisher.src),
    )
    for name, admin in {**dict.fromkeys(admins, True), **volunteers}.items():
        h.store.add_volunteer(name, "barda", PASSWORD, h.clock.now(), admin=admin)
    return h
