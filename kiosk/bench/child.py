"""Measurements that need a fresh process: `python -m kiosk.bench.child MODE ...`.

Prints one JSON object on its last line. Modes:
  komek NAV SESSIONS   cold start to the attract screen's first frame, then
                       navigation latency and memory over simulated resident sessions
  floor NAV            a bare Kivy window with six buttons and no Kömək code; with
                       NAV > 0 also a bare ScreenManager switching between two
                       already-built six-button screens (Kivy's own cost of a change)

Both take the window size and density from the settings file named by
KOMEK_BENCH_CONFIG (its [display]), else the defaults, so the floor and Kömək
are measured at the same size in the same run.

A touch is timed from the finger lifting to the frames it causes: the first
frame that shows a change, and the last one before the window is still again
(the screen finished). Between touches Kömək gets the frames a resident spends
listening to the screen being read aloud, bounded (see `listen`).
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


LISTEN_FRAMES = 240  # at most ~4 s at 60 frames a second: a short screen read aloud
SETTLE_FRAMES = 30  # a touch's frames are counted until the window is still, at most this many


def bench_settings() -> object:
    """The settings of KOMEK_BENCH_CONFIG (else the defaults), with the bench's own data folder."""
    from pathlib import Path

    from kiosk.core.settings import KIOSK_SETTINGS, load_settings

    config = os.environ.get("KOMEK_BENCH_CONFIG")
    settings = load_settings(Path(config) if config else None, KIOSK_SETTINGS)
    return settings.replace(
        kiosk__data_dir=os.environ.get(
            "KOMEK_BENCH_DATA", os.path.join(tempfile.gettempdir(), "komek-bench")
        )
    )


def first_flip_recorder() -> dict[str, float]:
    from kivy.core.window import Window

    seen: dict[str, float] = {}

    def flip(*_a: object) -> None:
        seen.setdefault("first_frame", time.time())

    Window.bind(on_flip=flip)
    return seen


def floor(navigations: int) -> dict[str, object]:
    settings = bench_settings()
    from kiosk.ui.boot import configure_kivy

    configure_kivy(settings, windowed=True, offscreen=True)  # the same window size as Kömək's
    from kivy.base import EventLoop
    from kivy.uix.button import Button
    from kivy.uix.gridlayout import GridLayout
    from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

    from kiosk.core.proc import pss_kib

    seen = first_flip_recorder()
    EventLoop.ensure_window()
    sm = ScreenManager(transition=NoTransition())
    for name, other in (("one", "two"), ("two", "one")):
        screen = Screen(name=name)
        grid = GridLayout(cols=3)
        for i in range(6):
            button = Button(text=f"{name} {i + 1}", font_size=32)
            button.bind(on_release=lambda _b, other=other: setattr(sm, "current", other))
            grid.add_widget(button)
        screen.add_widget(grid)
        sm.add_widget(screen)
    EventLoop.window.add_widget(sm)
    while "first_frame" not in seen:
        EventLoop.idle()
    for _ in range(5):
        EventLoop.idle()
    result: dict[str, object] = {
        "first_frame": seen["first_frame"],
        "pss_kib": pss_kib(),
        "window": list(EventLoop.window.size),
    }
    if navigations:
        sm.current = "two"  # both screens drawn once: "already built"
        for _ in range(3):
            EventLoop.idle()
        firsts, settled = [], []
        for _ in range(navigations):
            grid = sm.current_screen.children[0]
            first, last = touch_timing(EventLoop, grid.children[0])
            firsts.append(first)
            settled.append(last)
        result |= latency_figures(firsts, settled)
    return result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def latency_figures(firsts: list[float], settled: list[float]) -> dict[str, object]:
    return {
        "nav_count": len(settled),
        "nav_p50_ms": statistics.median(settled) * 1000,
        "nav_p95_ms": percentile(settled, 95) * 1000,
        "first_frame_p50_ms": statistics.median(firsts) * 1000,
        "first_frame_p95_ms": percentile(firsts, 95) * 1000,
    }


def komek(navigations: int, sessions: int) -> dict[str, object]:
    settings = bench_settings()
    from kiosk.ui.boot import configure_kivy

    configure_kivy(settings, windowed=True, offscreen=True)
    seen = first_flip_recorder()
    from kivy.base import EventLoop

    from kiosk.core.proc import os_thread_count, pss_kib
    from kiosk.ui.harness import OffscreenKiosk
    from kiosk.ui.main import build_terminal

    terminal = build_terminal(settings, bench=True)
    k = OffscreenKiosk(terminal)
    result: dict[str, object] = {"first_frame": seen["first_frame"], "window": list(k.window.size)}
    for _ in range(5):
        k.frames(1)
    result["pss_start_kib"] = pss_kib()
    result["threads_start"] = os_thread_count()

    if navigations:
        firsts, settled = navigation_latencies(k, EventLoop, navigations)
        result |= latency_figures(firsts, settled)
        result["pss_after_navigations_kib"] = pss_kib()
        prepared = getattr(k.app, "prepared", None)
        if prepared is not None:
            result["prepared_screens_used"] = prepared.used
        from kiosk.ui.textcache import CACHE

        result["text_cache_hits"], result["text_cache_misses"] = CACHE.hits, CACHE.misses
        result["text_cache_kib"] = CACHE.bytes // 1024

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


def touch_timing(loop: object, widget: object) -> tuple[float, float]:
    """Touch a widget; seconds from the finger lifting to the first changed frame
    and to the last frame before the window is still."""
    from kivy.core.window import Window

    from kiosk.ui.harness import _Finger

    flips: list[float] = []

    def flip(*_a: object) -> None:
        flips.append(time.perf_counter())

    x, y = widget.to_window(widget.center_x, widget.center_y)  # type: ignore[attr-defined]
    finger = _Finger(x, y)
    loop.post_dispatch_input("begin", finger)  # type: ignore[attr-defined]
    loop.idle()  # type: ignore[attr-defined]
    Window.bind(on_flip=flip)
    t0 = time.perf_counter()
    loop.post_dispatch_input("end", finger)  # type: ignore[attr-defined]
    for _ in range(SETTLE_FRAMES):
        drawn = len(flips)
        loop.idle()  # type: ignore[attr-defined]  # input handled, screen laid out and drawn
        if len(flips) == drawn and drawn:
            break  # a frame with nothing to draw: the screen is finished
    Window.unbind(on_flip=flip)
    if not flips:  # nothing changed on screen at all
        return 0.0, 0.0
    return flips[0] - t0, flips[-1] - t0


def listen(k: object) -> None:
    """The resident listens to the screen being read aloud: the app gets frames to
    prepare what comes next, until it has nothing left to prepare (bounded)."""
    prepared = getattr(k.app, "prepared", None)  # type: ignore[attr-defined]
    for _ in range(LISTEN_FRAMES):
        if prepared is None or not prepared.busy:
            break
        k.frames(1)  # type: ignore[attr-defined]


def navigation_latencies(k: object, loop: object, count: int) -> tuple[list[float], list[float]]:
    """Touch released -> the next screen's first frame and its finished frame, in
    seconds, over real flows."""
    app = k.app  # type: ignore[attr-defined]
    services = list(app.terminal.bundle.services)
    firsts: list[float] = []
    settled: list[float] = []
    i = 0
    while len(settled) < count:
        app.start_over()
        k.frames(1)  # type: ignore[attr-defined]
        for widget in _taps_for_one_resident(k, services[i % len(services)]):
            k.settle()  # type: ignore[attr-defined]  # a resident who looks first: past the touch guard
            listen(k)
            first, last = touch_timing(loop, widget)
            firsts.append(first)
            settled.append(last)
        i += 1
    return firsts[:count], settled[:count]


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
    if mode == "floor":
        out = floor(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    else:
        out = komek(int(sys.argv[2]), int(sys.argv[3]))
    print(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)  # skip Kivy's slow teardown; the figures are out


if __name__ == "__main__":
    main()
