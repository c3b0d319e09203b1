"""Double taps on the real kiosk in a real X server: `kiosk run` in kiosk mode on
Xvfb, mouse taps sent with xdotool 250 ms apart (30, 60, 100 and 250 in
`make check`) on a home tile,
Next, Back, a choice that leads to another screen, "Call a helper" (in the bar
and on a finish screen) and "Leave my phone". Each double tap must change the
screen exactly once, to the right place, and issue no ticket.

Where a widget is comes from the same app laid out off-screen at the same size
(the kiosk_ui fixture); where the kiosk went comes from its log ("screen ...", once drawn).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.core.flow import Position


def needs_x(*tools: str) -> list[pytest.MarkDecorator]:
    """The marks of a real-X test file: Xvfb, xdotool and these other programs
    (installed from deploy/debian-packages-dev.txt), else skipped saying which."""
    tools = ("Xvfb", "xdotool", *tools)
    return [
        pytest.mark.xserver,
        pytest.mark.skipif(
            not all(shutil.which(tool) for tool in tools),
            reason=f"needs {', '.join(tools)} (deploy/debian-packages-dev.txt)",
        ),
    ]


pytestmark = needs_x()

# `make test`: the latest second tap (it lands on the screen the first one opened; the
# earliest, 30 ms, is tapped on the totem in test_x_double_tap_shapes); `make check`
# (KOMEK_TAP_GAPS=all): 30, 60, 100 and 250 ms.
GAPS_MS = (30, 60, 100, 250) if os.environ.get("KOMEK_TAP_GAPS") == "all" else (250,)
WIDTH, HEIGHT = 1280, 800  # the default display.width/height, as the off-screen window
SETTLE = 1.0  # seconds a deliberate resident looks at a drawn screen before a touch (guard: 0.4)


class XKiosk:
    """Xvfb, and `kiosk run` in kiosk mode on it; taps by xdotool; the log read back."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        read, write = os.pipe()
        self.xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), *self.screen_args(), "-nolisten", "tcp"],
            pass_fds=(write,),
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            self.display = ":" + pipe.readline().strip()
        self.data = tmp / "data"
        config = tmp / "kiosk.toml"
        config.write_text(
            f'[kiosk]\ndata_dir = "{self.data}"\n'
            '[hub]\nurl = "http://127.0.0.1:9"\n'  # no hub: tickets wait in the outbox
            "[narration]\nenabled = false\n" + self.extra_config()
        )
        self.log = tmp / "kiosk.log"
        self.env = dict(os.environ, DISPLAY=self.display, SDL_AUDIODRIVER="dummy")
        self.env.pop("SDL_VIDEODRIVER", None)  # the real X11 driver, not off-screen
        self.before_app()
        self.app = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "run", "--config", str(config)],
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            env=self.env,
        )
        self.wait_for_line("terminal services started", 120)

    def screen_args(self) -> list[str]:
        return ["-screen", "0", f"{WIDTH}x{HEIGHT}x24"]

    def extra_config(self) -> str:
        return ""

    def before_app(self) -> None:
        """Anything else the X session runs before the kiosk (a window manager)."""

    def lines(self) -> list[str]:
        return self.log.read_text(errors="replace").splitlines()

    def screens(self) -> list[str]:
        marker = "kiosk.ui.app: screen "
        return [line.split(marker, 1)[1] for line in self.lines() if marker in line]

    def wait_for_line(self, text: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not any(text in line for line in self.lines()):
            if self.app.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"no {text!r} in the kiosk's log:\n" + "\n".join(self.lines()[-30:])
                )
            time.sleep(0.1)

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True, timeout=30)

    def tap(self, x: int, y: int, expect: str) -> None:
        """A deliberate touch: look first, touch once, wait for the screen it leads to."""
        time.sleep(SETTLE)
        before = len(self.screens())
        self.xdotool("mousemove", str(x), str(y), "click", "1")
        deadline = time.monotonic() + 30
        while len(self.screens()) == before:
            assert time.monotonic() < deadline, f"tap at {x},{y} changed nothing"
            time.sleep(0.05)
        assert self.screens()[-1] == expect

    def double_tap(self, x: int, y: int, gap_ms: int) -> list[str]:
        """Two clicks gap_ms apart; the screens shown because of them."""
        time.sleep(SETTLE)
        before = len(self.screens())
        self.xdotool(
            "mousemove", str(x), str(y),
            "click", "1", "sleep", f"{gap_ms / 1000:.3f}", "click", "1",
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while len(self.screens()) == before and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(SETTLE)  # a second screen change, if any, would show by now
        return self.screens()[before:]

    def tickets(self) -> int:
        with sqlite3.connect(self.data / "kiosk.db") as db:
            return db.execute("select count(*) from helpdesk_outbox").fetchone()[0]

    def stop(self) -> int | None:
        code = None
        if self.app.poll() is None:
            self.app.send_signal(signal.SIGTERM)
            try:
                code = self.app.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.app.kill()
                self.app.wait()
        self.xvfb.terminate()
        try:
            self.xvfb.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.xvfb.kill()
            self.xvfb.wait()
        return code


class Spots:
    """Screen positions (X coordinates, top-left origin) of the widgets a resident
    touches, from the same app laid out off-screen."""

    def __init__(self, ui):
        self.ui = ui
        assert (ui.window.width, ui.window.height) == (WIDTH, HEIGHT)

    def of(self, widget) -> tuple[int, int]:
        self.ui.frames(3)
        x, y = widget.to_window(widget.center_x, widget.center_y)
        return round(x), round(HEIGHT - y)

    def collect(self) -> dict[str, tuple[int, int]]:
        app = self.ui.app
        kids = lambda w: list(reversed(w.children))  # noqa: E731
        spots = {"start": self.of(app.sm.get_screen("attract").ids.start)}
        app.begin()
        spots["az"] = self.of(kids(app.sm.get_screen("language").view)[0])
        app.choose_language("az")
        spots["tile"] = self.of(kids(app.sm.get_screen("home").view)[0])
        app.open_group("social")
        spots["service"] = self.of(kids(app.sm.get_screen("group").view)[0])
        app.open_service("social-assistance")
        step = app.sm.get_screen("step")
        spots["next"] = self.of(step.ids.next)
        spots["back"] = self.of(app.root.ids.back)
        spots["home"] = self.of(app.root.ids.home)
        spots["help"] = self.of(app.root.ids.help)
        app.navigator.history.append(Position("social-assistance", "check"))
        app.show("step", push=False)
        spots["none-of-this"] = self.of(kids(step.ids.body.children[0])[1])
        app.navigator.history.append(Position("social-assistance", "ready"))
        app.show("step", push=False)
        spots["have-it"] = self.of(kids(step.ids.body.children[0])[1])
        app.navigator.history.append(Position("social-assistance", "how"))
        app.show("step", push=False)
        spots["in-person"] = self.of(kids(step.ids.body.children[0])[1])
        app.navigator.history.append(Position("social-assistance", "finish"))
        app.show("step", push=False)
        finish = kids(step.ids.body.children[0])
        spots["finish-help"] = self.of([b for b in finish if b.style == "help"][0])
        app.show("help", topic="social-assistance")
        spots["phone"] = self.of(app.sm.get_screen("help").ids.phone)
        app.start_over()
        return spots


@pytest.fixture(scope="module")
def xkiosk(tmp_path_factory):
    k = XKiosk(tmp_path_factory.mktemp("x-kiosk"))
    yield k
    code = k.stop()
    assert code == 0, "the kiosk did not stop cleanly on SIGTERM"


def test_double_taps_in_a_real_x_session_act_once(xkiosk, kiosk_ui):
    spots = Spots(kiosk_ui).collect()
    k = xkiosk
    assert k.screens()[-1] == "attract"
    k.tap(*spots["start"], expect="language")
    k.tap(*spots["az"], expect="home")
    results = {}
    for gap in GAPS_MS:
        got = {}
        got["home tile"] = k.double_tap(*spots["tile"], gap)
        k.tap(*spots["service"], expect="step social-assistance/what")
        got["next"] = k.double_tap(*spots["next"], gap)
        k.tap(*spots["next"], expect="step social-assistance/free")
        got["back"] = k.double_tap(*spots["back"], gap)
        k.tap(*spots["next"], expect="step social-assistance/free")
        for step in ("refusal-1", "refusal-2", "refusal-3", "check"):
            k.tap(*spots["next"], expect=f"step social-assistance/{step}")
        got["choice"] = k.double_tap(*spots["none-of-this"], gap)
        tickets = k.tickets()
        got["call a helper"] = k.double_tap(*spots["help"], gap)
        got["leave my phone"] = k.double_tap(*spots["phone"], gap)
        k.tap(*spots["back"], expect="help")
        k.tap(*spots["back"], expect="step social-assistance/ready")
        k.tap(*spots["have-it"], expect="step social-assistance/documents")
        k.tap(*spots["next"], expect="step social-assistance/how")
        k.tap(*spots["in-person"], expect="step social-assistance/in-person")
        for step in ("registered", "decision", "renew", "report", "finish"):
            k.tap(*spots["next"], expect=f"step social-assistance/{step}")
        got["finish: call a helper"] = k.double_tap(*spots["finish-help"], gap)
        got["tickets issued"] = k.tickets() - tickets
        k.tap(*spots["back"], expect="step social-assistance/finish")
        k.tap(*spots["home"], expect="home")
        results[gap] = got
    want = {
        "home tile": ["group social"],
        "next": ["step social-assistance/who"],
        "back": ["step social-assistance/who"],
        "choice": ["step social-assistance/ready"],
        "call a helper": ["help"],
        "leave my phone": ["keypad"],
        "finish: call a helper": ["help"],
        "tickets issued": 0,
    }
    assert results == {gap: want for gap in GAPS_MS}
