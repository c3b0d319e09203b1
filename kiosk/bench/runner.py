"""Run every measurement of `kiosk bench` and gather the figures.

UI figures come from fresh child processes (kiosk.bench.child); the hub runs as
a real `kiosk hub` process on loopback; chromium is Debian's, headless.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.browser import CHROMIUM, CHROMIUM_ARGS
from kiosk.core.settings import KIOSK_SETTINGS, Settings, load_settings, validate_values

Figures = dict[str, Any]
CHILD_ENV = {
    "KIVY_NO_ARGS": "1",
    "KIVY_NO_CONFIG": "1",
    "KIVY_NO_FILELOG": "1",
    "KIVY_NO_CONSOLELOG": "1",
    "SDL_VIDEODRIVER": "offscreen",
    "SDL_AUDIODRIVER": "dummy",
}


def _child(args: list[str], data: Path, config: Path | None) -> tuple[float, dict[str, Any]]:
    """(wall time the child was started, its JSON result)."""
    env = dict(os.environ, **CHILD_ENV, KOMEK_BENCH_DATA=str(data))
    env.pop("KOMEK_BENCH_CONFIG", None)
    if config is not None:
        env["KOMEK_BENCH_CONFIG"] = str(config)
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "kiosk.bench.child", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=3600,
    )
    if out.returncode != 0:
        raise RuntimeError(f"bench child {args} failed: {out.stderr[-2000:]}")
    return started, json.loads(out.stdout.strip().splitlines()[-1])


def ui_figures(
    runs: int, navigations: int, sessions: int, data: Path, config: Path | None = None
) -> Figures:
    starts, floor_starts, floor_pss = [], [], []
    detail: dict[str, Any] = {}
    floor_nav: dict[str, Any] = {}
    for i in range(runs):
        last = i == runs - 1
        # Only the last run switches screens and walks the flows: the others measure start-up.
        started, f = _child(["floor", str(navigations if last else 0)], data, config)
        floor_starts.append(f["first_frame"] - started)
        floor_pss.append(f["pss_kib"])
        nav, ses = (navigations, sessions) if last else (0, 0)
        started, k = _child(["komek", str(nav), str(ses)], data, config)
        starts.append(k["first_frame"] - started)
        if last:
            detail, floor_nav = k, f
    growth = (
        100.0
        * (detail["pss_after_sessions_kib"] - detail["pss_before_sessions_kib"])
        / detail["pss_before_sessions_kib"]
    )
    figures = {
        "cold_start_s": statistics.median(starts),
        "floor_cold_start_s": statistics.median(floor_starts),
        "pss_after_start_mib": detail["pss_start_kib"] / 1024,
        "floor_pss_mib": statistics.median(floor_pss) / 1024,
        "sessions": detail["sessions"],
        "pss_before_sessions_mib": detail["pss_before_sessions_kib"] / 1024,
        "pss_after_sessions_mib": detail["pss_after_sessions_kib"] / 1024,
        "pss_growth_percent": growth,
        "threads_before_sessions": detail["threads_before_sessions"],
        "threads_after_sessions": detail["threads_after_sessions"],
    }
    if navigations:
        figures |= {
            "touch_to_screen_p50_ms": detail["nav_p50_ms"],
            "touch_to_screen_p95_ms": detail["nav_p95_ms"],
            "touch_to_first_frame_p50_ms": detail["first_frame_p50_ms"],
            "touch_to_first_frame_p95_ms": detail["first_frame_p95_ms"],
            "navigations": detail["nav_count"],
            "pss_after_navigations_mib": detail["pss_after_navigations_kib"] / 1024,
            "floor_touch_to_screen_p50_ms": floor_nav["nav_p50_ms"],
            "floor_touch_to_screen_p95_ms": floor_nav["nav_p95_ms"],
            "floor_touch_to_first_frame_p95_ms": floor_nav["first_frame_p95_ms"],
            "touch_to_screen_p95_to_floor_ratio": detail["nav_p95_ms"]
            / max(floor_nav["nav_p95_ms"], 1e-6),
            "prepared_screens_used": detail.get("prepared_screens_used", 0),
            "text_cache_hits": detail["text_cache_hits"],
            "text_cache_misses": detail["text_cache_misses"],
            "text_cache_kib": detail["text_cache_kib"],
        }
    return figures


def narration_figures(settings: Settings, screens: int) -> Figures:
    os.environ.update(CHILD_ENV)
    os.environ["KIVY_LOG_MODE"] = "PYTHON"  # Kivy must not take over stderr in this process
    from kiosk.bench.narration import NarrationBenchError, measure_narration_start

    try:
        f = measure_narration_start(settings, "az", screens, fake_player=False)
    except NarrationBenchError as exc:
        return {"narration_error": str(exc)}
    return {
        "narration_start_cached_ms": f["hit_median_ms"],
        "narration_start_cached_max_ms": f["hit_max_ms"],
        "narration_start_uncached_ms": f["miss_median_ms"],
        "narration_start_uncached_max_ms": f["miss_max_ms"],
    }


def slip_figures(settings: Settings, repeats: int) -> Figures:
    from kiosk.core.content import load_bundle
    from kiosk.core.slips import escpos_bytes, render_service_slip
    from kiosk.paths import DEFAULT_CONTENT

    bundle = load_bundle(DEFAULT_CONTENT, settings["links.allowlist"])
    now = datetime(2026, 11, 27, 10, 0)
    render_service_slip(
        bundle, "social-assistance", "az", "barda", "bench", 80, now
    )  # fonts loaded
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        image = render_service_slip(bundle, "social-assistance", "az", "barda", "bench", 80, now)
        times.append(time.perf_counter() - t0)
    escpos_bytes(image)  # python-escpos loads its printer profiles once
    return {
        "slip_render_ms": statistics.median(times) * 1000,
        "slip_escpos_kib": len(escpos_bytes(image)) / 1024,
    }


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_hub_process(
    hub_dir: Path, config: Path, log_file: Path
) -> tuple[subprocess.Popen[bytes], str]:
    """A real `kiosk hub` process on a free loopback port, once it answers; (process, url)."""
    import requests

    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "hub",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--data",
            str(hub_dir),
            "--config",
            str(config),
        ],
        stdout=subprocess.DEVNULL,
        stderr=log_file.open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url
        except requests.RequestException:
            time.sleep(0.1)
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait(timeout=10)
            # No figures from a hub that is not there: say why instead of "0 per second".
            log = log_file.read_text(errors="replace").strip().splitlines()
            raise RuntimeError("the hub did not start: " + (log[-1] if log else "no answer"))


def hub_figures(terminals: int, seconds: float, data: Path) -> Figures:
    """Help requests per second and latency with simulated terminals on loopback."""
    import requests

    from kiosk.core.helpdesk.clock import SystemClock
    from kiosk.hub.store import HubStore

    hub_dir = data / "hub"
    hub_dir.mkdir(parents=True, exist_ok=True)
    store = HubStore(hub_dir / "hub.db")
    keys = [
        store.add_terminal(f"bench-{i}", "barda", SystemClock().now()) for i in range(terminals)
    ]
    store.close()
    config = data / "hub.toml"
    # The per-terminal limit (a child pressing the button) would cap the figure at its own rate.
    config.write_text("[hub]\nrequests_per_minute = 600\n", encoding="utf-8")
    proc, url = start_hub_process(hub_dir, config, data / "hub.log")
    try:
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def terminal(i: int) -> None:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {keys[i]}"
            n = 0
            while time.monotonic() < stop_at:
                n += 1
                body = {
                    "ticket": f"{chr(65 + i % 26)}-{n % 1000:03d}",
                    "topic_service_id": "social-assistance",
                    "issued_at": datetime.now().astimezone().isoformat(),
                }
                t0 = time.perf_counter()
                try:
                    r = session.post(
                        url + "/api/v1/terminal/help-requests",
                        json=body,
                        headers={"Idempotency-Key": f"bench-{i}-{n}-{time.time_ns()}"},
                        timeout=10,
                    )
                    ok = r.status_code in (200, 201)
                except requests.RequestException:
                    ok = False
                dt = time.perf_counter() - t0
                with lock:
                    if ok:
                        latencies.append(dt)
                    else:
                        errors[0] += 1

        threads = [threading.Thread(target=terminal, args=(i,)) for i in range(terminals)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    lat = sorted(latencies)
    return {
        "hub_terminals": terminals,
        "hub_requests_per_s": len(lat) / elapsed,
        "hub_p99_ms": lat[min(len(lat) - 1, int(0.99 * (len(lat) - 1)))] * 1000
        if lat
        else float("nan"),
        "hub_errors": errors[0],
    }


def update_figures(data: Path) -> Figures:
    """Publish the default content, update a terminal, change one service, update again."""
    import functools
    import http.server

    from kiosk.core.content.publish import generate_keys, publish
    from kiosk.core.content.update import ContentUpdater, UpdateStatus
    from kiosk.paths import DEFAULT_CONTENT

    src = data / "content-src"
    shutil.copytree(DEFAULT_CONTENT, src)
    keys, repo = data / "keys", data / "repo"
    generate_keys(keys)
    publish(src, repo, keys)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *_a: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(repo))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = validate_values(
            {
                "kiosk.data_dir": str(data / "terminal"),
                "updates.repo_url": f"http://127.0.0.1:{server.server_address[1]}",
                "updates.trusted_root": str(repo / "metadata" / "1.root.json"),
            },
            KIOSK_SETTINGS,
            "bench",
        )
        updater = ContentUpdater(settings)
        first = updater.check_once()
        updater.switch_pending()
        # One service changes: a fact corrected by the admin.
        svc = src / "services" / "id-card.toml"
        svc.write_text(
            svc.read_text(encoding="utf-8").replace("10 il", "10 (on) il"), encoding="utf-8"
        )
        meta = src / "bundle.toml"
        meta.write_text(
            meta.read_text(encoding="utf-8").replace("version = 1", "version = 2"), encoding="utf-8"
        )
        publish(src, repo, keys)
        t0 = time.perf_counter()
        second = updater.check_once()
        t1 = time.perf_counter()
        switched = updater.switch_pending()
        t2 = time.perf_counter()
    finally:
        server.shutdown()
    if second.status != UpdateStatus.UPDATED_STAGED or not switched:
        return {"update_error": f"{first.status}/{second.status}: {second.reason}"}
    return {
        "update_verify_ms": (t1 - t0) * 1000,
        "update_switch_ms": (t2 - t1) * 1000,
        "update_bytes_one_service_changed": second.bytes_downloaded,
        "update_bytes_first": first.bytes_downloaded,
    }


HOME_HTML = """<!doctype html><html lang="az"><meta charset="utf-8"><title>Kömək</title>
<style>
@font-face {{ font-family: Noto; src: url("{font}"); }}
body {{ margin: 0; font-family: Noto, sans-serif; background: #fff; }}
header, footer {{ background: #E8EEF5; height: 98px; display: flex; align-items: center; padding: 0 8px; gap: 15px; }}
h1 {{ font-size: 51px; margin: 0; flex: 1; }}
main {{ display: grid; grid-template-columns: 1fr 1fr; gap: 23px; padding: 23px; height: 558px; }}
button {{ background: #0B3D7A; color: #fff; font: bold 36px Noto, sans-serif; border: 0; border-radius: 11px; }}
</style>
<header><h1>Nə ilə kömək edək?</h1><button>Yenə dinlə</button></header>
<main>{buttons}</main>
<footer><button>Geri</button><button>Əsas səhifə</button></footer>
</html>"""


def chromium_figures(runs: int, data: Path) -> Figures:
    """The same home screen as a static page in Debian's headless chromium."""
    if not Path(CHROMIUM).exists():
        return {"chromium_error": "chromium not installed"}
    from playwright.sync_api import sync_playwright

    from kiosk.core.content import load_bundle
    from kiosk.paths import DEFAULT_CONTENT, FONT_REGULAR

    data.mkdir(parents=True, exist_ok=True)
    bundle = load_bundle(DEFAULT_CONTENT)
    buttons = "".join(f"<button>{g.title('az')}</button>" for g in bundle.groups)
    page_file = data / "home.html"
    page_file.write_text(
        HOME_HTML.format(font=FONT_REGULAR.as_uri(), buttons=buttons), encoding="utf-8"
    )
    starts, pss, procs = [], [], []
    with sync_playwright() as pw:
        for i in range(runs):
            profile = data / f"chromium-profile-{i}"
            t0 = time.time()
            context = pw.chromium.launch_persistent_context(
                str(profile),
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 800},
            )
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(page_file.as_uri())
            page.wait_for_function("performance.getEntriesByType('paint').length > 0")
            origin, first_paint = page.evaluate(
                "[performance.timeOrigin, performance.getEntriesByType('paint').map(e => e.startTime).sort((a,b)=>a-b)[0]]"
            )
            starts.append((origin + first_paint) / 1000 - t0)
            time.sleep(0.5)  # settled, as the Kivy figure is after a few frames
            total, count = _chromium_pss(str(profile))
            pss.append(total)
            procs.append(count)
            context.close()
    return {
        "chromium_cold_start_s": statistics.median(starts),
        "chromium_pss_mib": statistics.median(pss) / 1024,
        "chromium_processes": int(statistics.median(procs)),
    }


def _chromium_pss(profile: str) -> tuple[int, int]:
    """PSS summed over the chromium processes started with this profile and their
    children, each process once."""
    from kiosk.core.proc import pss_kib, tree_pids

    roots = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if profile.encode() in cmd:
                roots.append(int(entry.name))
    pids = {pid for root in roots for pid in tree_pids(root)}
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            total += pss_kib(pid)
    return total, len(pids)


def run_all(quick: bool, sections: set[str] | None = None, config: Path | None = None) -> Figures:
    """Every figure of the wanted sections. `config`: a terminal settings file whose
    [display] sets the window size and density (default: the built-in defaults)."""
    want = sections or {"ui", "narration", "slip", "hub", "display", "update", "chromium"}
    settings = load_settings(config, KIOSK_SETTINGS)
    figures: Figures = {
        "quick": quick,
        "machine": machine_line(),
        "display": f"{settings['display.width']}x{settings['display.height']} at {settings['display.dpi']} dpi",
        "load_average": load_line(),
    }
    with tempfile.TemporaryDirectory(prefix="komek-bench-") as tmp:
        data = Path(tmp)
        settings = settings.replace(kiosk__data_dir=str(data / "kiosk"))
        if "ui" in want:
            figures |= ui_figures(
                runs=2 if quick else 5,
                navigations=50 if quick else 500,
                sessions=20 if quick else 5000,
                data=data / "ui",
                config=config,
            )
        if "narration" in want:
            figures |= narration_figures(settings, screens=5 if quick else 20)
        if "slip" in want:
            figures |= slip_figures(settings, repeats=3 if quick else 20)
        if "hub" in want:
            figures |= hub_figures(terminals=20, seconds=2 if quick else 10, data=data / "hubbench")
        if "display" in want:
            from kiosk.bench.display import display_figures

            figures |= display_figures(calls=5 if quick else 30, data=data / "display")
        if "update" in want:
            figures |= update_figures(data / "update")
        if "chromium" in want:
            figures |= chromium_figures(runs=1 if quick else 3, data=data / "chromium")
    if "cold_start_s" in figures and "chromium_cold_start_s" in figures:
        figures["chromium_to_komek_start_ratio"] = (
            figures["chromium_cold_start_s"] / figures["cold_start_s"]
        )
        figures["chromium_to_komek_pss_ratio"] = (
            figures["chromium_pss_mib"] / figures["pss_after_start_mib"]
        )
    return figures


def load_line() -> str:
    """The machine's load average (1, 5, 15 minutes): figures from a busy machine read differently."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def machine_line() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {cpu}, {mem:.0f} GiB, Python {sys.version.split()[0]}, software GL (llvmpipe) off-screen"
