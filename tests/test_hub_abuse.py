"""The hub under a hostile LAN: login floods, concurrent wrong passwords and
concurrent help requests, and a hub clock that steps back. Concurrency runs
against a real uvicorn on port 0 with real threads; waits are bounded."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import requests
from argon2 import PasswordHasher

from kiosk.core.helpdesk import FakeClock
from kiosk.hub.passwords import GateFull, PasswordGate, throttle_delay
from kiosk.hub.server import start_in_thread
from tests.helpdesk_support import cheap_hasher, free_port, hub_settings, wait_for
from tests.test_hub_api import PASSWORD, Console, Hub

START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


class CountingHasher(PasswordHasher):
    """Cheap argon2 that counts checks and can hold them until released."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.checks = 0
        self.running = 0
        self.most_at_once = 0
        self.hold = threading.Event()
        self.hold.set()
        self._lock = threading.Lock()

    def verify(self, hash, password):  # noqa: A002 - argon2's own parameter name
        with self._lock:
            self.checks += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            assert self.hold.wait(15)
            return super().verify(hash, password)
        finally:
            with self._lock:
                self.running -= 1


class LiveHub:
    def __init__(self, tmp_path, hasher: PasswordHasher | None = None, **settings):
        self.clock = FakeClock(START)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = start_in_thread(
            hub_settings(**settings),
            tmp_path / "hub",
            "127.0.0.1",
            self.port,
            clock=self.clock,
            password_hasher=hasher or cheap_hasher(),
        )
        self.store = self.server.config.app.state.hub.store
        self.store.add_volunteer("aysel", "barda", PASSWORD, self.clock.now())
        self.key = self.store.add_terminal("hall-1", "barda", self.clock.now())

    def stop(self) -> None:
        self.server.should_exit = True

    def csrf(self) -> tuple[str, str]:
        r = requests.get(f"{self.url}/api/v1/console/me", timeout=10)
        return r.json()["csrf_token"], r.cookies["komek_csrf"]

    def login(self, name: str, password: str, csrf: tuple[str, str]) -> requests.Response:
        token, cookie = csrf
        return requests.post(
            f"{self.url}/api/v1/console/login",
            json={"name": name, "password": password},
            headers={"X-CSRF-Token": token},
            cookies={"komek_csrf": cookie},
            timeout=30,
        )


@pytest.fixture
def live(tmp_path):
    hubs: list[LiveHub] = []

    def make(**kw) -> LiveHub:
        hubs.append(LiveHub(tmp_path / str(len(hubs)), **kw))
        return hubs[-1]

    yield make
    for h in hubs:
        h.stop()


# ---- passwords -------------------------------------------------------------------


def test_concurrent_wrong_passwords_are_throttled(live):
    hub = live(lockout_attempts=5)
    csrf = hub.csrf()
    codes: list[int] = []
    with ThreadPoolExecutor(20) as pool:
        for _burst in range(3):
            codes += pool.map(
                lambda i: hub.login("aysel", f"guess {i}", csrf).status_code, range(20)
            )
    assert set(codes) <= {401, 429, 503}
    # Only the free tries and the one that started the wait were checked at all.
    assert codes.count(401) <= 6
    assert codes.count(429) >= 60 - 6 - codes.count(503)
    r = hub.login("aysel", PASSWORD, csrf)
    assert r.status_code == 429  # this address waits, even with the right password
    hub.clock.advance(minutes=16)
    assert hub.login("aysel", PASSWORD, csrf).status_code == 200


def test_an_address_that_guesses_does_not_lock_out_another(tmp_path):
    hub = Hub(tmp_path, lockout_attempts=2)
    c = Console(hub.client)
    assert [c.login("aysel", "nope").status_code for _ in range(4)] == [401, 401, 429, 429]
    # The same volunteer from her own device (another address) logs in at once.
    store = hub.store
    assert store.login("aysel", PASSWORD, hub.clock.now(), "10.0.0.7").result.value == "ok"


def test_unknown_and_known_names_get_the_same_answers_and_the_same_work(tmp_path):
    hasher = CountingHasher()
    hub = Hub(tmp_path, lockout_attempts=2)
    hub.store._hasher = hasher
    hub.store._dummy()  # made once, like the first login after start
    answers = {}
    for name in ("aysel", "nobody-here"):
        c = Console(hub.client)
        before = hasher.checks
        answers[name] = [c.login(name, "wrong guess").status_code for _ in range(4)]
        assert hasher.checks - before == 2  # one argon2 check per try that was not throttled
    assert answers["aysel"] == answers["nobody-here"] == [401, 401, 429, 429]


def test_a_login_flood_runs_only_a_few_password_checks_at_once(live):
    hasher = CountingHasher()
    hasher.hold.clear()
    hub = live(hasher=hasher, password_checks_at_once=2, password_checks_queued=3)
    names = [f"user-{i}" for i in range(12)]  # other names: no throttling in the way
    csrf = hub.csrf()
    with ThreadPoolExecutor(12) as pool:
        futures = [pool.submit(hub.login, n, "guess", csrf) for n in names]
        # Beyond 2 running and 3 waiting, the answer is 503 at once; the rest wait.
        wait_for(lambda: sum(f.done() for f in futures) >= 7, what="7 logins refused")
        done = [f for f in futures if f.done()]
        assert len(done) == 7
        assert all(f.result().status_code == 503 for f in done)
        assert all("Retry-After" in f.result().headers for f in done)
        # A terminal's heartbeat is not held up by the waiting logins.
        beat = requests.post(
            f"{hub.url}/api/v1/terminal/heartbeat",
            json={"printer": "ok"},
            headers={"Authorization": f"Bearer {hub.key}"},
            timeout=10,
        )
        assert beat.status_code == 200
        hasher.hold.set()
        rest = [f.result(timeout=20).status_code for f in futures if f not in done]
    assert hasher.most_at_once <= 2
    assert rest == [401] * 5


def test_the_gate_refuses_beyond_its_queue():
    gate = PasswordGate(at_once=1, queued=1, wait_seconds=0.05)
    with gate.admit(), gate.turn(), gate.admit():
        with pytest.raises(GateFull), gate.admit():
            pass
        with pytest.raises(GateFull), gate.turn():  # nobody finishes in time
            pass
    with gate.admit(), gate.turn():
        pass  # places are given back


def test_throttle_delays_grow_and_are_capped():
    longest = timedelta(minutes=15)
    delays = [throttle_delay(n, 5, longest).total_seconds() for n in range(1, 16)]
    assert delays[:4] == [0, 0, 0, 0]
    assert delays[4:8] == [2, 4, 8, 16]
    assert max(delays) == 900 and delays == sorted(delays)


# ---- the per-terminal rate limit ---------------------------------------------------


def _press(hub: LiveHub, i: int) -> int:
    return requests.post(
        f"{hub.url}/api/v1/terminal/help-requests",
        json={"ticket": f"B-{i:03d}", "issued_at": hub.clock.now().isoformat()},
        headers={"Authorization": f"Bearer {hub.key}", "Idempotency-Key": f"press-{i:06d}"},
        timeout=30,
    ).status_code


def test_concurrent_presses_cannot_slip_past_the_rate_limit(live):
    hub = live(requests_per_minute=6)
    with ThreadPoolExecutor(20) as pool:
        codes = list(pool.map(lambda i: _press(hub, i), range(100)))
    assert codes.count(201) == 6
    assert codes.count(429) == 94
    assert len(hub.store.queue("barda", hub.clock.now())) == 6


def test_requests_stamped_in_the_hubs_future_do_not_count(tmp_path):
    hub = Hub(tmp_path, requests_per_minute=3)
    key = hub.keys["barda"]
    assert [hub.send(key).status_code for _ in range(3)] == [201] * 3
    r = hub.send(key)
    assert r.status_code == 429 and 1 <= int(r.headers["Retry-After"]) <= 60
    hub.clock.advance(hours=-1)  # the hub's clock stepped back an hour
    assert hub.send(key).status_code == 201
    assert len(hub.store.queue("barda", hub.clock.now())) == 4


def test_retry_after_is_never_more_than_a_minute(tmp_path):
    hub = Hub(tmp_path, requests_per_minute=2)
    key = hub.keys["barda"]
    for step in range(6):
        hub.send(key)
        r = hub.send(key)
        if r.status_code == 429:
            assert 1 <= int(r.headers["Retry-After"]) <= 60
        hub.clock.advance(seconds=-7 if step % 2 else 25)


def test_right_passwords_sent_at_once_are_not_wrong_ones(live):
    hasher = CountingHasher()
    hasher.hold.clear()
    hub = live(
        hasher=hasher, lockout_attempts=2, password_checks_at_once=2, password_checks_queued=6
    )
    csrf = hub.csrf()
    with ThreadPoolExecutor(8) as pool:
        # Two tabs, a reloaded phone...: eight right logins for one account, all at once.
        futures = [pool.submit(hub.login, "aysel", PASSWORD, csrf) for _ in range(8)]
        wait_for(lambda: hasher.running == 2, what="two checks running")
        time.sleep(0.3)  # the others arrive and find the wait those two set
        assert not any(f.done() for f in futures)  # nobody was told to wait for a minute
        hasher.hold.set()
        codes = [f.result(timeout=30).status_code for f in futures]
    assert codes == [200] * 8
    # Wrong passwords still count, from zero.
    assert [hub.login("aysel", "nope", csrf).status_code for _ in range(3)] == [401, 401, 429]


def test_twenty_presses_at_once_on_the_real_clock_store_at_most_six(tmp_path):
    """On the hub's real clock each request reads its own time, so one that
    reads it earlier may be stored after others: they must count all the same."""
    from tests.hub_process import HubProcess

    with HubProcess(tmp_path / "hub", requests_per_minute=6) as hub:
        key = hub.keys["hall-1"]

        def press(i: int) -> int:
            return requests.post(
                f"{hub.url}/api/v1/terminal/help-requests",
                json={"ticket": f"B-{i:03d}", "issued_at": datetime.now(UTC).isoformat()},
                headers={"Authorization": f"Bearer {key}", "Idempotency-Key": f"press-{i:06d}"},
                timeout=30,
            ).status_code

        stored = 0
        for burst in range(3):
            with ThreadPoolExecutor(20) as pool:
                codes = list(pool.map(press, range(burst * 20, burst * 20 + 20)))
            assert set(codes) <= {201, 429}
            stored += codes.count(201)
        assert stored <= 6
