"""Headphones on a real PulseAudio daemon (tests/pulse_support.py), not on sample
pactl output: narration plays through the kiosk's own player (Kivy's SDL2 audio,
in a child process) into the speaker; a USB headset plugged in is seen, made the
default sink and the clip already playing moves into it; unplugged, narration is
back on the speaker and the headphones count as gone."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.core.narration.engines import write_silence
from kiosk.core.narration.headphones import SystemHeadphones
from tests.pulse_support import PulseDaemon, needs_pulseaudio, wait_until

pytestmark = needs_pulseaudio

# The kiosk's player saying one long clip, until its standard input closes.
PLAYER = """
import sys
from pathlib import Path
from kiosk.ui.audio import KivyPlayer
KivyPlayer().play(Path(sys.argv[1]), lambda: None)
print("playing", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def pulse(tmp_path, monkeypatch):
    daemon = PulseDaemon(tmp_path / "pulse")
    for name in ("HOME", "XDG_RUNTIME_DIR", "PULSE_SERVER"):
        monkeypatch.setenv(name, daemon.env[name])  # pactl, as the kiosk runs it, finds it
    yield daemon
    daemon.stop()


def test_a_usb_headset_plugged_in_takes_the_narration_and_unplugged_gives_it_back(pulse, tmp_path):
    clip = tmp_path / "clip.wav"
    write_silence(clip, 60.0)
    env = {**pulse.env, "SDL_AUDIODRIVER": "pulseaudio", "SDL_VIDEODRIVER": "offscreen"}
    player = subprocess.Popen(
        [sys.executable, "-c", PLAYER, str(clip)],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert player.stdout.readline().strip() == "playing"
        wait_until(lambda: pulse.sink_of_streams() == ["speaker"])
        phones = SystemHeadphones(refresh_s=0.1)
        assert phones.check() == (False, None)
        assert not phones.connected()

        pulse.plug_headset()
        wait_until(phones.connected)
        assert pulse.pactl("get-default-sink") == "usb_headset"
        wait_until(lambda: pulse.sink_of_streams() == ["usb_headset"])  # the clip moved

        pulse.unplug_headset()
        wait_until(lambda: not phones.connected())
        assert pulse.pactl("get-default-sink") == "speaker"
        assert pulse.sink_of_streams() == ["speaker"]
        assert player.poll() is None  # the player never noticed: it went on saying its clip
    finally:
        player.stdin.close()
        player.wait(20)
