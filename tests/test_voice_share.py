"""The share of narration a human voice says, from the terminal to /metrics: the
narrator counts the lines it plays per language and which were recordings, the
heartbeat carries the counts (numbers only), and the hub exposes the share per
site and language. Must survive: counts that make no sense (more human than in
all) are not stored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests
from narration_support import make_test_narrator

from kiosk.core.content import load_bundle
from kiosk.core.heartbeat import Heartbeat, terminal_status
from kiosk.core.helpdesk import RequestsHubTransport
from kiosk.core.narration import FakeEngine
from kiosk.core.narration.engines import write_silence
from kiosk.core.narration.script import home_lines, idle_lines
from kiosk.core.terminal import Terminal
from tests.fleet_support import FleetHub, metric
from tests.helpdesk_support import kiosk_settings

START = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def recorded_home(content_copy):
    """home.say recorded in Azerbaijani, the rest synthetic."""
    (content_copy / "audio" / "az").mkdir(parents=True)
    write_silence(content_copy / "audio" / "az" / "home.wav", 1.0)
    strings = content_copy / "strings.toml"
    marker = '["home.say"]\n'
    strings.write_text(
        strings.read_text("utf-8").replace(
            marker, marker + 'audio = { az = "audio/az/home.wav" }\n'
        ),
        "utf-8",
    )
    return load_bundle(content_copy)


def play_through(narrator, player, ui, lines) -> None:
    narrator.say(lines)
    for _ in range(len(lines)):
        assert ui.run_until(lambda: player.playing is not None)
        player.finish()
        ui.pump()


def test_the_narrator_counts_human_and_synthetic_lines(settings, recorded_home, tmp_path):
    narrator, player, ui = make_test_narrator(settings, recorded_home, FakeEngine(), tmp_path / "c")
    try:
        home = home_lines(recorded_home, "az")  # home.say (recorded) + one line per group
        play_through(narrator, player, ui, home)
        play_through(narrator, player, ui, idle_lines(recorded_home, "ru"))
        assert narrator.voice_counts() == {"az": (1, len(home)), "ru": (0, 1)}
    finally:
        narrator.shutdown()


def test_the_hub_exposes_the_human_share_per_site_and_language(tmp_path, settings, recorded_home):
    hub = FleetHub(tmp_path / "hub", START)
    try:
        key = hub.add_terminal("hall-1", site="barda")
        narrator, player, ui = make_test_narrator(
            settings, recorded_home, FakeEngine(), tmp_path / "c"
        )
        ksettings = kiosk_settings(
            tmp_path, hub__url=hub.url, hub__terminal_key=key, kiosk__terminal_id="hall-1"
        )
        terminal = Terminal(ksettings, recorded_home, recorded_home.sites["barda"], narrator)
        home = home_lines(recorded_home, "az")
        play_through(narrator, player, ui, home)
        play_through(narrator, player, ui, home)
        status = terminal_status(terminal)
        assert status["narration"] == [{"lang": "az", "human": 2, "total": 2 * len(home)}]
        beat = Heartbeat(
            ksettings,
            lambda: terminal_status(terminal),
            None,
            RequestsHubTransport(hub.url, key, 5),
        )
        assert beat.send_once(), beat.last_problem
        values = hub.metrics()
        assert metric(values, "komek_narration_human_share", site="barda", lang="az") == (
            pytest.approx(1 / len(home), abs=1e-3)
        )
        assert metric(values, "komek_narration_lines", site="barda", lang="az", voice="human") == 2
        terminal.close()

        # Nonsense counts are dropped, the rest of the heartbeat is taken.
        r = requests.post(
            f"{hub.url}/api/v1/terminal/heartbeat",
            json={"printer": "ok", "narration": [{"lang": "ru", "human": 9, "total": 1}]},
            headers={"Authorization": f"Bearer {key}"},
            timeout=5,
        )
        assert r.status_code == 200, r.text
        assert metric(hub.metrics(), "komek_narration_human_share", site="barda", lang="ru") is None
    finally:
        hub.stop()
