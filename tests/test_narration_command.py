"""`kiosk narration render` fills the audio cache for the installed bundle: every
text in az, ru and en at the normal and the slow rate, and a second run finds
them all ready. Must survive: a terminal without espeak-ng (clear failure)."""

from __future__ import annotations

import re

import pytest

from kiosk.cli import main
from kiosk.core.narration import all_lines


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    return path


def ok_line(out: str) -> tuple[int, float, int]:
    last = out.strip().splitlines()[-1]
    m = re.fullmatch(r"ok: (\d+) clips, (\d+) seconds of audio, (\d+) languages", last)
    assert m, last
    return int(m[1]), float(m[2]), int(m[3])


def test_render_covers_every_text_in_every_language(bundle, config, tmp_path, capsys):
    out_dir = tmp_path / "cache"
    assert main(["narration", "render", "--config", str(config), "--out", str(out_dir)]) == 0
    first = capsys.readouterr().out
    clips, seconds, languages = ok_line(first)
    texts = len(list(all_lines(bundle, ["az", "ru", "en"])))
    assert clips == 2 * texts  # normal and slow rate
    assert languages == 3
    assert seconds > clips  # every clip is more than a second of speech on average
    assert len(list(out_dir.rglob("*.wav"))) == clips
    assert "Audio saved" not in first  # pyttsx3's chatter stays out of the output

    assert main(["narration", "render", "--config", str(config), "--out", str(out_dir)]) == 0
    second = capsys.readouterr().out
    assert ok_line(second) == (clips, seconds, languages)
    assert "(0 new" in second and "synthesis per clip" not in second


def test_render_one_language_into_the_data_folder(bundle, config, tmp_path, capsys):
    assert main(["narration", "render", "--config", str(config), "--lang", "az"]) == 0
    clips, _seconds, languages = ok_line(capsys.readouterr().out)
    assert languages == 1
    assert clips == 2 * len(list(all_lines(bundle, ["az"])))
    assert len(list((tmp_path / "data" / "narration").rglob("*.wav"))) == clips


def test_render_refuses_an_unknown_language(config, capsys):
    assert main(["narration", "render", "--config", str(config), "--lang", "az,de"]) == 1
    assert "no language de" in capsys.readouterr().out


def test_render_without_speech_says_what_is_missing(config, tmp_path, capsys):
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[narration]\nengine = "silent"\n', encoding="utf-8"
    )
    assert main(["narration", "render", "--config", str(config), "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().out.startswith("failed: narration.engine is set to silent")


def test_bench_measures_the_start_of_narration(config, capsys):
    assert (
        main(["narration", "bench", "--config", str(config), "--fake-player", "--screens", "3"])
        == 0
    )
    out = capsys.readouterr().out
    assert re.search(r"cache hit : say\(\) to sound started: median [\d.]+ ms", out), out
    assert re.search(r"cache miss: say\(\) to sound started: median [\d.]+ ms", out), out
