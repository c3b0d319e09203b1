"""`kiosk narration render`: fill the narration audio cache for the installed bundle.

Run it after installing or changing content so the first resident hears every
screen without waiting for synthesis (the kiosk also fills the cache in the
background at start). It speaks through the engine the settings choose, on this
command's one thread; it never plays sound.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kiosk.commands import add_config_arg, settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("narration", help="prepare the spoken narration")
    nsub = parser.add_subparsers(dest="narration_command", metavar="ACTION")
    nsub.required = True

    render = nsub.add_parser(
        "render", help="synthesise every text of the installed bundle into the audio cache"
    )
    render.add_argument(
        "--lang",
        default="",
        help="comma-separated languages, e.g. az,ru (default: kiosk.languages)",
    )
    render.add_argument(
        "--out", type=Path, default=None, help="cache folder (default: <data_dir>/narration)"
    )
    render.add_argument(
        "--content",
        type=Path,
        default=None,
        help="bundle folder (default: kiosk.content_dir, else the bundled default content)",
    )
    add_config_arg(render)
    render.set_defaults(func=cmd_render)

    bench = nsub.add_parser(
        "bench",
        help="measure how long narration takes to start after a screen opens (cache hit and miss)",
    )
    bench.add_argument("--lang", default="az", help="language to measure (default: az)")
    bench.add_argument("--screens", type=int, default=20, help="screens to open per case")
    bench.add_argument(
        "--fake-player", action="store_true", help="time without Kivy's audio (no sound)"
    )
    add_config_arg(bench)
    bench.set_defaults(func=cmd_bench)


def cmd_render(args: argparse.Namespace) -> int:
    from kiosk.core.content import BundleError, load_bundle
    from kiosk.core.narration import AudioCache, EngineError, all_lines, cache_dir, make_engine
    from kiosk.core.narration.engines import wav_seconds
    from kiosk.core.narration.narrator import voice_for

    settings = settings_from(args)
    from kiosk.core.terminal import content_dir

    root = args.content or content_dir(settings)
    try:
        bundle = load_bundle(root, settings["links.allowlist"])
    except BundleError as exc:
        print(f"failed: the bundle in {root} has problems:\n{exc}")
        return 1
    wanted = [c.strip() for c in args.lang.split(",") if c.strip()] or list(
        settings["kiosk.languages"]
    )
    unknown = [c for c in wanted if c not in bundle.language_codes]
    if unknown:
        print(f"failed: the bundle has no language {', '.join(unknown)}")
        return 1

    engine = make_engine(settings)
    problem = engine.available()
    if problem:
        print(f"failed: {problem}")
        return 1
    cache = AudioCache(args.out or cache_dir(settings))
    cache.clear_partial()
    rates = sorted({settings["narration.rate"], settings["narration.slow_rate"]}, reverse=True)

    clips = 0
    seconds = 0.0
    failures = 0
    render_ms: list[float] = []
    for lang in wanted:
        voice = voice_for(bundle, lang)
        made = cached = recorded = 0
        lang_seconds = 0.0
        for line in all_lines(bundle, [lang]):
            if line.recorded:
                recorded += 1
                continue
            for rate in rates:
                clip = cache.get(line.words, voice, rate, engine.id)
                if clip is None:
                    started = time.perf_counter()
                    try:
                        clip = cache.render(engine, line.words, voice, rate)
                    except EngineError as exc:
                        failures += 1
                        print(f"  {lang}: could not render {line.words[:50]!r}: {exc}")
                        continue
                    render_ms.append((time.perf_counter() - started) * 1000)
                    made += 1
                else:
                    cached += 1
                lang_seconds += wav_seconds(clip)
        clips += made + cached
        seconds += lang_seconds
        print(
            f"{lang} ({voice}): {made + cached} clips, {lang_seconds:.1f} s "
            f"({made} new, {cached} already cached, {recorded} texts with a recorded voice)"
        )
    engine.close()
    print(
        f"engine {engine.id}, rates {', '.join(map(str, rates))} words per minute, cache {cache.root}"
    )
    if render_ms:
        print(
            f"synthesis per clip: median {statistics.median(render_ms):.0f} ms, "
            f"slowest {max(render_ms):.0f} ms"
        )
    if failures:
        print(f"failed: {failures} clip(s) could not be rendered")
        return 1
    print(f"ok: {clips} clips, {seconds:.0f} seconds of audio, {len(wanted)} languages")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from kiosk.bench.narration import NarrationBenchError, measure_narration_start

    settings = settings_from(args)
    try:
        figures = measure_narration_start(settings, args.lang, args.screens, args.fake_player)
    except NarrationBenchError as exc:
        print(f"failed: {exc}")
        return 1
    print(
        f"{figures['screens']} screens in {args.lang}, engine {figures['engine']}, player {figures['player']}"
    )
    for case, label in (("hit", "cache hit "), ("miss", "cache miss")):
        print(
            f"{label}: say() to sound started: median {figures[case + '_median_ms']:.1f} ms, "
            f"slowest {figures[case + '_max_ms']:.1f} ms"
        )
    return 0
