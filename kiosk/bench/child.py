"""Measurements that need a fresh process: `python -m kiosk.bench.child MODE ...`.

Prints one JSON object on its last line. Modes:
  komek      cold start to the attract screen's first frame, then navigation
             latency and memory over simulated resident sessions
  floor      a bare Kivy window with six buttons and no Kömək code
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time

os.environ.update(
    KIVY_NO_ARGS="1",
    KIVY_NO_CONFIG="1",
    KIVY_NO_FILELOG="1",
    SDL_VIDEODRIVER="offscreen",
    SDL_AUDIODRIVER="dummy",
)


def first_flip_recorder() -> dict[str, float]:
    from kivy.core.window import Window

    seen: dict[str, float] = {}

    def flip(*_a: object) -> None:
        seen.setdefault("first_frame", time.time())

    Window.bind(on_flip=flip)
    return seen


def floor() -> dict[str, object]:
    from kivy.base import EventLoop
    from kivy.uix.button import Button
    from kivy.uix.gridlayout import GridLayout

    from kiosk.bench.proc import pss_kib

    seen = first_flip_recorder()
    EventLoop.ensure_window()
    grid = GridLayout(cols=3)
    for i in range(6):
        grid.add_widget(Button(text=f"Button {i + 1}", font_size=32))
    EventLoop.window.add_widget(grid)
    while "first_frame" not in seen:
        EventLoop.idle()
    for _ in range(5):
        EventLoop.idle()
    return {"first_frame": seen["first_frame"], "pss_kib": pss_kib()}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def komek(navigations: int, sessions: int) -> dict[str, object]:
    from kiosk.core.settings import KIOSK_SETTINGS, validate_values

    settings = validate_values(
        {
            "kiosk.data_dir": os.environ.get(
                "KOMEK_BENCH_DATA", os.path.join(tempfile.gettempdir(), "komek-bench")
            )
        },
        KIOSK_SETTINGS,
        "bench",
    )
    from kiosk.ui.boot import configure_kivy

    configure_kivy(settings, windowed=True, offscreen=True)
    seen = first_flip_recorder()
    from kivy.base import EventLoop

    from kiosk.bench.proc import os_thread_count, pss_kib
    from kiosk.ui.harness import OffscreenKiosk
    from kiosk.ui.main import build_terminal

    terminal = build_terminal(settings, bench=True)
    k = OffscreenKiosk(terminal)
    result: dict[str, object] = {"first_frame": seen["first_frame"]}
    for _ in range(5):
        k.frames(1)
    result["pss_start_kib"] = pss_kib()
    result["threads_start"] = os_thread_count()

    if navigations:
        latencies = navigation_latencies(k, EventLoop, navigations)
        result["nav_count"] = len(latencies)
        result["nav_p50_ms"] = statistics.median(latencies) * 1000
        result["nav_p95_ms"] = percentile(latencies, 95) * 1000

    pss_before = pss_kib()
    threads_before = os_thread_count()
    simulate_sessions(k, sessions)
    result.update(
        sessions=sessions,
        pss_before_sessions_kib=pss_before,
        pss_after_sessions_kib=pss_kib(),
        threads_before_sessions=threads_before,
        threads_after_sessions=os_thread_count(),
    )
    k.close()
    terminal.close()
    return result


def _taps_for_one_resident(k: object, service_id: str) -> object:
    """Yields the widgets a resident touches for one walk through a service."""
    app = k.app  # type: ignore[attr-defined]
    yield app.sm.get_screen("attract").ids.start
    yield list(reversed(app.sm.get_screen("language").view.children))[0]
    bundle = app.terminal.bundle
    group = next(g for g in bundle.groups if service_id in g.services)
    home_buttons = list(reversed(app.sm.get_screen("home").view.children))
    yield home_buttons[[g.id for g in bundle.groups].index(group.id)]
    yield list(reversed(app.sm.get_screen("group").view.children))[
        list(group.services).index(service_id)
    ]
    for _ in range(30):
        nav = app.navigator
        if nav.position is None:
            return
        step_screen = app.sm.get_screen("step")
        if nav.can_go_next():
            yield step_screen.ids.next
        else:
            yield app.root.ids.home  # question or finish: leave through Home
            return


def navigation_latencies(k: object, loop: object, count: int) -> list[float]:
    """Touch released -> the next screen drawn, in seconds, over real flows."""
    from kiosk.ui.harness import _Finger

    app = k.app  # type: ignore[attr-defined]
    services = list(app.terminal.bundle.services)
    latencies: list[float] = []
    i = 0
    while len(latencies) < count:
        app.start_over()
        k.frames(1)  # type: ignore[attr-defined]
        for widget in _taps_for_one_resident(k, services[i % len(services)]):
            x, y = widget.to_window(widget.center_x, widget.center_y)
            finger = _Finger(x, y)
            loop.post_dispatch_input("begin", finger)  # type: ignore[attr-defined]
            loop.idle()  # type: ignore[attr-defined]
            t0 = time.perf_counter()
            loop.post_dispatch_input("end", finger)  # type: ignore[attr-defined]
            loop.idle()  # type: ignore[attr-defined]  # input handled, screen laid out and drawn
            latencies.append(time.perf_counter() - t0)
        i += 1
    return latencies[:count]


def simulate_sessions(k: object, sessions: int) -> None:
    """Residents come and go: each opens a service, reads a few steps and walks away."""
    app = k.app  # type: ignore[attr-defined]
    services = list(app.terminal.bundle.services)
    languages = app.terminal.settings["kiosk.languages"]
    for n in range(sessions):
        app.begin()
        app.choose_language(languages[n % len(languages)])
        app.open_service(services[n % len(services)])
        for _ in range(3):
            if app.navigator.can_go_next():
                app.next_step()
        k.frames(1)  # type: ignore[attr-defined]
        app.start_over()
    k.frames(2)  # type: ignore[attr-defined]


def main() -> None:
    mode = sys.argv[1]
    out = floor() if mode == "floor" else komek(int(sys.argv[2]), int(sys.argv[3]))
    print(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)  # skip Kivy's slow teardown; the figures are out


if __name__ == "__main__":
    main()
