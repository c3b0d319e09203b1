"""`kiosk bench` display section: call -> waiting-room display latency.

A real `kiosk hub` process, a display page in Debian's headless chromium, and a
volunteer calling tickets through the console API. Latency is the time from the
volunteer's Call request leaving to the display page rendering that call (both
clocks are this machine's), and from the hub's call time to the render. Also
how long the display waits for a call's audio in each language (espeak-ng renders
it on the hub when the call is made). Figures are printed, never asserted.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.browser import CHROMIUM, CHROMIUM_ARGS

PASSWORD = "bench-volunteer-1"


def display_figures(calls: int, data: Path) -> dict[str, Any]:
    import requests
    from playwright.sync_api import sync_playwright

    from kiosk.bench.runner import start_hub_process
    from kiosk.core.helpdesk.clock import SystemClock
    from kiosk.hub.store import HubStore

    hub_dir = data / "hub"
    hub_dir.mkdir(parents=True, exist_ok=True)
    now = SystemClock().now()
    store = HubStore(hub_dir / "hub.db")
    terminal_key = store.add_terminal("bench-hall", "barda", now)
    display_key = store.add_display("bench-tv", "barda", now)
    store.add_volunteer("bench.volunteer", "barda", PASSWORD, now)
    store.set_desk("bench.volunteer", 2)
    store.close()
    config = data / "hub.toml"
    config.write_text("[hub]\nrequests_per_minute = 600\n", encoding="utf-8")
    proc, url = start_hub_process(hub_dir, config, data / "hub.log")
    try:
        for n in range(1, calls + 1):
            requests.post(
                url + "/api/v1/terminal/help-requests",
                json={
                    "ticket": f"A-{n:03d}",
                    "topic_service_id": "social-assistance",
                    "issued_at": datetime.now().astimezone().isoformat(),
                },
                headers={
                    "Authorization": f"Bearer {terminal_key}",
                    "Idempotency-Key": f"bench-display-{n}",
                },
                timeout=10,
            ).raise_for_status()
        http = requests.Session()
        csrf = http.get(url + "/api/v1/console/me", timeout=10).json()["csrf_token"]
        login = http.post(
            url + "/api/v1/console/login",
            json={"name": "bench.volunteer", "password": PASSWORD},
            headers={"X-CSRF-Token": csrf},
            timeout=30,
        )
        login.raise_for_status()
        csrf = login.json()["csrf_token"]

        sent_ms: list[float] = []
        called: list[dict[str, Any]] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=[*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"],
            )
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"{url}/display/?site=barda&key={display_key}")
            _wait(page, "window.komekDisplay && window.komekDisplay.events > 0")
            for _ in range(calls):
                sent_ms.append(time.time() * 1000)
                r = http.post(
                    url + "/api/v1/console/call-next", headers={"X-CSRF-Token": csrf}, timeout=10
                )
                r.raise_for_status()
                called.append(r.json())
                n = len(called)
                _wait(page, f"window.komekDisplay.announced.length >= {n}")
                time.sleep(0.3)  # calls a moment apart, as volunteers make them
            announced = page.evaluate("window.komekDisplay.announced")
            browser.close()
        by_ticket = {a["ticket"]: a["at"] for a in announced}
        from_request = [by_ticket[c["ticket"]] - t for c, t in zip(called, sent_ms, strict=True)]
        from_hub = [
            by_ticket[c["ticket"]] - datetime.fromisoformat(c["called_at"]).timestamp() * 1000
            for c in called
        ]
        # The newest call's audio, as a display fetches it after the event.
        state = requests.get(
            url + "/api/v1/display/state", params={"key": display_key}, timeout=10
        ).json()
        speech: dict[str, float] = {}
        for clip in state["calls"][-1]["audio"]:
            t0 = time.perf_counter()
            requests.get(url + clip["url"], timeout=60).raise_for_status()
            speech[clip["lang"]] = (time.perf_counter() - t0) * 1000
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return {
        "display_calls": calls,
        "display_latency_p50_ms": statistics.median(from_request),
        "display_latency_max_ms": max(from_request),
        "display_from_hub_p50_ms": statistics.median(from_hub),
        "display_speech_az_ms": speech.get("az", float("nan")),
        "display_speech_ru_ms": speech.get("ru", float("nan")),
    }


def _wait(page: Any, expression: str, timeout: float = 15.0) -> None:
    """Poll from outside: the display's CSP allows no eval inside the page."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the display did not show it: {expression}")
        page.wait_for_timeout(10)
