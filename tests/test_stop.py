"""SIGTERM (systemd's stop, a reboot) and SIGINT end the kiosk cleanly within 2 s
in kiosk mode: the help requests waiting in the outbox are kept, the database is
closed (its write-ahead log folded back in), the process ends with status 0."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.core.helpdesk import HelpDesk
from kiosk.core.helpdesk.transport import NoHubTransport
from kiosk.core.settings import KIOSK_SETTINGS, validate_values

STOP_LIMIT_SECONDS = 2.0  # issue 14: systemd must never need its SIGKILL


def start_kiosk(tmp_path: Path) -> tuple[subprocess.Popen, Path, str]:
    data = tmp_path / "data"
    settings = validate_values(
        {"kiosk.data_dir": str(data), "hub.url": "http://127.0.0.1:9"}, KIOSK_SETTINGS, "test"
    )
    desk = HelpDesk(settings, data / "kiosk.db", NoHubTransport())
    number = desk.request("id-card", "session-before-the-stop", phone="0501234567").number
    desk.close()
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[kiosk]\ndata_dir = "{data}"\n[hub]\nurl = "http://127.0.0.1:9"\n')
    log = tmp_path / "kiosk.log"
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="dummy")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--config", str(config)],  # kiosk mode
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=env,
    )
    deadline = time.monotonic() + 120
    while "terminal services started" not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the kiosk did not start:\n" + log.read_text()[-3000:])
        time.sleep(0.2)
    return proc, data, number


def logged_at(log: str, words: str) -> float:
    line = next(line for line in log.splitlines() if words in line and line[:4].isdigit())
    return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_ends_the_kiosk_cleanly_and_keeps_the_outbox(tmp_path, signum):
    proc, data, number = start_kiosk(tmp_path)
    try:
        proc.send_signal(signum)
        # The process is gone well before systemd's SIGKILL (TimeoutStopSec=15)...
        code = proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log = (tmp_path / "kiosk.log").read_text(errors="replace")
    assert code == 0, log[-3000:]
    assert "terminal closed" in log
    # ...and its own stop, signal to exit call, takes under 2 s by its log's clock (the
    # kernel's teardown of the process after that varies with the machine's load).
    assert logged_at(log, "stopping") + STOP_LIMIT_SECONDS > logged_at(log, "stopped (0)")
    assert not (data / "kiosk.db-wal").exists()  # closed: nothing left in the write-ahead log
    with sqlite3.connect(data / "kiosk.db") as db:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        rows = db.execute("select number, delivery, phone from helpdesk_outbox").fetchall()
    assert rows == [(number, "pending", "0501234567")]  # waits for the hub, not lost


# The stop's own frame, made on purpose: a resize leaves the tile buttons' layouts
# pending when the stop runs (as a SIGTERM during an animation or a screen change
# does now and then). Kivy's own stop then took the screens off the window and
# forgot the app, and the pending layouts' kv rules, which read `app`, crashed it.
STOP_IN_A_BUSY_FRAME = """
import sys
from kiosk.core.settings import KIOSK_SETTINGS, validate_values
settings = validate_values({"kiosk.data_dir": sys.argv[1]}, KIOSK_SETTINGS, "stop-test")
from kiosk.ui.boot import configure_kivy
configure_kivy(settings, windowed=True, offscreen=True)
from kivy.app import App
from kivy.clock import Clock
from kiosk.core.terminal import Terminal, load_terminal_content
from kiosk.ui import app as kiosk_app
from kiosk.ui.harness import OffscreenKiosk
from tests.fakes import RecordingNarrator

bundle, site = load_terminal_content(settings)
ui = OffscreenKiosk(Terminal(settings, bundle, site, RecordingNarrator()))
ui.app.begin()
ui.app.choose_language("az")
ui.frames(3)  # the home screen's tiles are laid out
left = []
import kivy.app  # Kivy's own stop and the kiosk's both leave the loop through it
kivy.app.stopTouchApp = kiosk_app.stopTouchApp = lambda: left.append(True)

def stop_with_layouts_pending(_dt):
    ui.app.root.width -= 40
    ui.app.stop()

Clock.schedule_once(stop_with_layouts_pending, -1)
ui.frames(3)  # raises if a kv rule met a missing app
assert left == [True], left
assert App.get_running_app() is ui.app
print("stopped cleanly")
"""


def test_a_stop_with_layouts_pending_in_its_frame_ends_cleanly(tmp_path):
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="dummy")
    done = subprocess.run(
        [sys.executable, "-c", STOP_IN_A_BUSY_FRAME, str(tmp_path / "data")],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "stopped cleanly" in done.stdout
