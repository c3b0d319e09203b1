"""A real PulseAudio daemon for tests: a user daemon of its own (socket, home and
runtime folder in a temporary folder, no default script), with a null sink that
stands for the terminal's speaker. A headset is "plugged" by loading a second
null sink marked as a USB device (device.bus = usb, as PulseAudio marks a USB
headset) and "unplugged" by unloading it. Clients (pactl, SDL) reach it through
PULSE_SERVER."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

needs_pulseaudio = pytest.mark.skipif(
    not (shutil.which("pulseaudio") and shutil.which("pactl")),
    reason="needs pulseaudio and pulseaudio-utils (deploy/debian-packages-dev.txt)",
)


class PulseDaemon:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        run, home = folder / "run", folder / "home"
        run.mkdir(parents=True)
        home.mkdir()
        self.socket = run / "native"
        self.env = {
            **os.environ,
            "HOME": str(home),
            "XDG_RUNTIME_DIR": str(run),
            "PULSE_SERVER": f"unix:{self.socket}",
        }
        self.log = folder / "pulseaudio.log"
        self.proc = subprocess.Popen(
            [
                "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1",
                "--use-pid-file=no", "--log-target=stderr",
                f"--load=module-native-protocol-unix socket={self.socket} auth-anonymous=1",
                "--load=module-null-sink sink_name=speaker",
            ],
            env=self.env, stdout=subprocess.DEVNULL, stderr=self.log.open("wb"),
        )  # fmt: skip
        deadline = time.monotonic() + 15
        while subprocess.run(["pactl", "info"], env=self.env, capture_output=True).returncode:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"pulseaudio did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)
        self.headset_module: str | None = None
        # The speaker is the configured default, as a terminal's saved setting is: a
        # new sink does not take over by itself (left unset, PulseAudio may pick it).
        self.pactl("set-default-sink", "speaker")

    def pactl(self, *args: str) -> str:
        done = subprocess.run(["pactl", *args], env=self.env, capture_output=True, text=True)
        assert done.returncode == 0, f"pactl {' '.join(args)}: {done.stderr}"
        return done.stdout.strip()

    def plug_headset(self) -> None:
        self.headset_module = self.pactl(
            "load-module", "module-null-sink", "sink_name=usb_headset",
            "sink_properties=device.bus=usb",
        )  # fmt: skip

    def unplug_headset(self) -> None:
        assert self.headset_module is not None
        self.pactl("unload-module", self.headset_module)
        self.headset_module = None

    def sink_of_streams(self) -> list[str]:
        """The sink name each playing stream (sink input) goes to."""
        names = dict(
            line.split("\t")[:2] for line in self.pactl("list", "short", "sinks").splitlines()
        )
        found = re.findall(r"^\s*Sink: (\d+)$", self.pactl("list", "sink-inputs"), re.M)
        return [names.get(index, index) for index in found]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def wait_until(cond, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)
