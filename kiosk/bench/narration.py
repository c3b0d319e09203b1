"""Narration start: from say() on a screen opening to the first clip playing."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from kiosk.core.settings import Settings


class NarrationBenchError(Exception):
    pass


class _TimedPlayer:
    """Wraps a player and notes when each clip has started playing."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.started: float | None = None

    def play(self, path: Path, on_end) -> None:
        self.inner.play(path, on_end)
        self.started = time.perf_counter()

    def stop(self) -> None:
        self.inner.stop()

    def set_volume(self, volume: float) -> None:
        self.inner.set_volume(volume)


def measure_narration_start(
    settings: Settings, lang: str, screens: int, fake_player: bool
) -> dict[str, Any]:
    """say() to the first clip playing, for cache misses (fresh cache) then hits."""
    import contextlib
    import os
    import queue
    import tempfile

    from kiosk.core.content import load_bundle
    from kiosk.core.narration import AudioCache, FakePlayer, all_lines, make_engine
    from kiosk.core.narration.narrator import Narrator
    from kiosk.core.terminal import content_dir

    root = content_dir(settings)
    bundle = load_bundle(root, settings["links.allowlist"])
    engine = make_engine(settings)
    if problem := engine.available():
        raise NarrationBenchError(problem)
    lines = [line for line in all_lines(bundle, [lang]) if not line.recorded]
    lines = lines[:screens]

    if fake_player:
        inner = FakePlayer()
        pending: queue.Queue = queue.Queue()
        schedule = pending.put

        def pump() -> None:
            with contextlib.suppress(queue.Empty):
                pending.get(timeout=0.001)()
    else:
        os.environ.setdefault("KIVY_NO_ARGS", "1")
        from kivy.clock import Clock

        from kiosk.ui.audio import KivyPlayer, ui_schedule

        inner, schedule = KivyPlayer(), ui_schedule
        pump = Clock.tick

    with tempfile.TemporaryDirectory(prefix="komek-bench-") as tmp:
        player = _TimedPlayer(inner)
        narrator = Narrator(settings, bundle, engine, AudioCache(Path(tmp)), player, schedule)
        results: dict[str, list[float]] = {"miss": [], "hit": []}
        try:
            for case in ("miss", "hit"):  # the misses fill the cache the hits use
                for line in lines:
                    player.started = None
                    opened = time.perf_counter()
                    narrator.say([line])
                    deadline = opened + 30
                    while player.started is None and time.perf_counter() < deadline:
                        pump()
                    if player.started is None:
                        raise NarrationBenchError(
                            f"narration did not start for {line.words[:40]!r}"
                        )
                    results[case].append((player.started - opened) * 1000)
                    narrator.stop()
        finally:
            narrator.shutdown()
    return {
        "screens": len(lines),
        "engine": engine.id,
        "player": "fake" if fake_player else "Kivy (SDL2 mixer)",
        "hit_median_ms": statistics.median(results["hit"]),
        "hit_max_ms": max(results["hit"]),
        "miss_median_ms": statistics.median(results["miss"]),
        "miss_max_ms": max(results["miss"]),
    }
