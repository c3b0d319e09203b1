"""`kiosk bench --quick` runs and reports every figure. Timings are not asserted."""

import json
import math
import os
import subprocess
import sys

import pytest

EVERY_FIGURE = [
    "cold_start_s",
    "floor_cold_start_s",
    "touch_to_screen_p50_ms",
    "touch_to_screen_p95_ms",
    "touch_to_first_frame_p50_ms",
    "touch_to_first_frame_p95_ms",
    "floor_touch_to_screen_p50_ms",
    "floor_touch_to_screen_p95_ms",
    "touch_to_screen_p95_to_floor_ratio",
    "pss_after_navigations_mib",
    "narration_start_cached_ms",
    "narration_start_uncached_ms",
    "slip_render_ms",
    "slip_escpos_kib",
    "pss_after_start_mib",
    "floor_pss_mib",
    "pss_growth_percent",
    "threads_before_sessions",
    "threads_after_sessions",
    "hub_requests_per_s",
    "hub_p99_ms",
    "display_latency_p50_ms",
    "display_latency_max_ms",
    "display_from_hub_p50_ms",
    "display_speech_az_ms",
    "display_speech_ru_ms",
    "update_verify_ms",
    "update_switch_ms",
    "update_bytes_one_service_changed",
    "chromium_cold_start_s",
    "chromium_pss_mib",
    "chromium_to_komek_start_ratio",
    "chromium_to_komek_pss_ratio",
]


@pytest.mark.browser
def test_quick_bench_reports_every_figure():
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "bench", "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    missing = [k for k in EVERY_FIGURE if k not in figures]
    assert not missing, missing
    # Memory may shrink over the sessions (caches dropped between residents): growth may be < 0.
    bad = {
        k: figures[k]
        for k in EVERY_FIGURE
        if not isinstance(figures[k], int | float)
        or not math.isfinite(figures[k])
        or (figures[k] < 0 and k != "pss_growth_percent")
    }
    assert not bad, bad
    assert figures["update_bytes_one_service_changed"] > 0
    assert figures["chromium_processes"] >= 1


def test_the_table_names_every_figure():
    from kiosk.commands.bench import ROWS, table

    figures = {key: 1.0 for _label, key, _unit, _goal in ROWS} | {
        "machine": "test",
        "threads_after_sessions": 4,
    }
    text = table(figures)
    assert all(label in text for label, *_ in ROWS)


def _bench_child(tmp_path, *args: str) -> dict:
    from kiosk.bench.runner import CHILD_ENV

    config = tmp_path / "portrait.toml"
    config.write_text("[display]\nwidth = 540\nheight = 960\n", encoding="utf-8")
    env = dict(
        os.environ, **CHILD_ENV, KOMEK_BENCH_CONFIG=str(config), KOMEK_BENCH_DATA=str(tmp_path)
    )
    out = subprocess.run(
        [sys.executable, "-m", "kiosk.bench.child", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_floor_switches_screens_at_the_configured_size(tmp_path):
    """The bare-Kivy floor is measured at the [display] size of --config, like Kömək."""
    floor = _bench_child(tmp_path, "floor", "6")
    assert floor["window"] == [540, 960]
    assert floor["nav_count"] == 6
    assert floor["nav_p95_ms"] >= floor["nav_p50_ms"] > 0
    assert floor["first_frame_p95_ms"] > 0


def test_komek_is_measured_at_the_configured_size(tmp_path):
    k = _bench_child(tmp_path, "komek", "8", "2")
    assert k["window"] == [540, 960]
    assert k["nav_count"] == 8
    assert k["nav_p95_ms"] >= k["nav_p50_ms"] > 0
    assert k["pss_after_navigations_kib"] > 0
    assert k["threads_after_sessions"] == k["threads_before_sessions"]
