"""`kiosk bench`: speed and memory figures, printed as a table (or --json)."""

from __future__ import annotations

import argparse
import json
import math

from kiosk.commands import add_config_arg, settings_from

ROWS = [
    ("cold start to first frame (median)", "cold_start_s", "s", "≤ 1 s and ≤ half of chromium"),
    ("  bare Kivy window, six buttons", "floor_cold_start_s", "s", ""),
    ("  chromium, same home page, first paint", "chromium_cold_start_s", "s", ""),
    ("touch to next screen drawn, p50", "touch_to_screen_p50_ms", "ms", ""),
    ("touch to next screen drawn, p95", "touch_to_screen_p95_ms", "ms", "≤ 50 ms"),
    ("touch to first changed frame, p50", "touch_to_first_frame_p50_ms", "ms", ""),
    ("touch to first changed frame, p95", "touch_to_first_frame_p95_ms", "ms", ""),
    ("  navigations measured", "navigations", "", ""),
    ("  bare Kivy ScreenManager, two built screens, p50", "floor_touch_to_screen_p50_ms", "ms", ""),
    ("  bare Kivy ScreenManager, two built screens, p95", "floor_touch_to_screen_p95_ms", "ms", ""),
    ("  Kömək p95 / bare Kivy p95", "touch_to_screen_p95_to_floor_ratio", "x", ""),
    ("  touches answered with a prepared screen", "prepared_screens_used", "", ""),
    ("  label texts from the cache / rendered", "text_cache_hits", "", ""),
    ("narration start, from the cache (median)", "narration_start_cached_ms", "ms", "≤ 150 ms"),
    ("narration start, synthesised (median)", "narration_start_uncached_ms", "ms", ""),
    ("slip render, 80 mm (median)", "slip_render_ms", "ms", ""),
    ("slip ESC/POS size", "slip_escpos_kib", "KiB", ""),
    (
        "memory (PSS) after start",
        "pss_after_start_mib",
        "MiB",
        "≤ floor + 60 MiB, < half of chromium",
    ),
    ("  bare Kivy window", "floor_pss_mib", "MiB", ""),
    ("  chromium, all processes", "chromium_pss_mib", "MiB", ""),
    ("  chromium processes", "chromium_processes", "", ""),
    ("memory (PSS) after the navigations", "pss_after_navigations_mib", "MiB", ""),
    ("resident sessions simulated", "sessions", "", ""),
    ("memory growth over the sessions", "pss_growth_percent", "%", "< 5 %"),
    ("threads before / after the sessions", "threads_before_sessions", "", "no thread left behind"),
    ("hub: help requests per second (20 terminals)", "hub_requests_per_s", "/s", ""),
    ("hub: p99 latency", "hub_p99_ms", "ms", ""),
    ("call -> waiting-room display, p50", "display_latency_p50_ms", "ms", "≤ 1 s"),
    ("call -> waiting-room display, slowest", "display_latency_max_ms", "ms", "≤ 1 s"),
    ("  from the hub's call time, p50", "display_from_hub_p50_ms", "ms", ""),
    ("  calls measured", "display_calls", "", ""),
    ("call audio served to the display, az (made at the call)", "display_speech_az_ms", "ms", ""),
    ("call audio served to the display, ru", "display_speech_ru_ms", "ms", ""),
    ("content update: verify and stage", "update_verify_ms", "ms", ""),
    ("content update: switch", "update_switch_ms", "ms", ""),
    ("content update: bytes when one service changed", "update_bytes_one_service_changed", "B", ""),
    ("chromium / Kömək cold start", "chromium_to_komek_start_ratio", "x", ""),
    ("chromium / Kömək memory", "chromium_to_komek_pss_ratio", "x", ""),
]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "bench", help="measure start-up, navigation, narration, slips, hub, updates and memory"
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs and sessions (a minute, for checks)"
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of the table"
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated sections: ui,narration,slip,hub,display,update,chromium",
    )
    add_config_arg(
        parser,
        "settings file whose [display] sets the window size and density (default: built-in defaults)",
    )
    parser.set_defaults(func=cmd_bench)


def fmt(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def table(figures: dict) -> str:
    lines = [
        f"Kömək bench ({'quick' if figures.get('quick') else 'full'}) on {figures.get('machine', '')}",
        f"display {figures.get('display', '')}, load average {figures.get('load_average', '')}",
        "",
    ]
    for label, key, unit, goal in ROWS:
        if key not in figures:
            continue
        value = fmt(figures[key])
        if key == "threads_before_sessions":
            value = f"{figures[key]} / {figures.get('threads_after_sessions')}"
        if key == "text_cache_hits":
            value = f"{figures[key]} / {figures.get('text_cache_misses')}"
        lines.append(f"{label:48} {value:>10} {unit:4} {goal}")
    for key, value in figures.items():
        if key.endswith("_error"):
            lines.append(f"{key}: {value}")
    return "\n".join(lines)


def cmd_bench(args: argparse.Namespace) -> int:
    from kiosk.bench.runner import run_all

    sections = {s.strip() for s in args.only.split(",") if s.strip()} or None
    if args.config is not None:
        settings_from(args)  # a bad file stops here, every bad key named
    figures = run_all(args.quick, sections, args.config)
    print(json.dumps(figures) if args.json else table(figures))
    return 1 if any(k.endswith("_error") for k in figures) else 0
