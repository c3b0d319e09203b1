"""Drive the real app off-screen, frame by frame: for `kiosk preview`, the UI
tests and `kiosk bench`. Touches go through the window like a finger's would.

The app's clock here is the harness's: `tap()` is a resident who looks at a new
screen before touching it (the clock moves past the touch guard first);
`double_tap()` touches twice a given number of milliseconds apart.

Call kiosk.ui.boot.configure_kivy(..., offscreen=True) before importing this.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.base import EventLoop
from kivy.input.motionevent import MotionEvent

from kiosk.core.terminal import Terminal

KEY_PACE = 0.5  # seconds between a deliberate resident's key presses
STILL = 1000.0  # the app's clock when none is given: only the harness moves it


class _Finger(MotionEvent):
    """A touch fed through Kivy's own input dispatch (as kivy.tests.common does)."""

    def __init__(self, x: float, y: float):
        win = EventLoop.window
        super().__init__(
            "harness",
            99,
            {"x": x / (win.width - 1.0), "y": y / (win.height - 1.0)},
            is_touch=True,
            type_id="touch",
        )
        self.profile = ["pos"]

    def depack(self, args: dict[str, float]) -> None:
        self.sx, self.sy = args["x"], args["y"]
        super().depack(args)


class OffscreenKiosk:
    """One KomekApp in the off-screen window. One per process (Kivy has one window)."""

    def __init__(self, terminal: Terminal, now: Callable[[], float] | None = None):
        from kivy.core.window import Window

        from kiosk.ui.app import KomekApp

        EventLoop.ensure_window()
        self.window = Window
        # Without a clock given, time stands still but for the harness's own steps, so a
        # long run (a preview of every screen) never meets the idle timeout.
        self._base_now = now or (lambda: STILL)
        self.elapsed = 0.0  # seconds the harness moved the app's clock on
        self.app = KomekApp(terminal, now=self.now)
        self.app.load_config()
        self.app.load_kv(filename=self.app.kv_file)
        self.app.root = self.app.build()
        Window.add_widget(self.app.root)
        self.app.dispatch("on_start")
        self.frames(3)

    def now(self) -> float:
        """The app's clock: the given one (or a still one) plus the harness's steps."""
        return self._base_now() + self.elapsed

    def wait(self, seconds: float) -> None:
        self.elapsed += seconds

    def settle(self) -> None:
        """Draw, then let the touch guard run out: the screen is ready for a finger."""
        self.frames(2)
        for _ in range(30):  # drawn, and seen from the frame after (bounded)
            if self.app.guard.ready_at() is not None:
                break
            self.frames(1)
        ready = self.app.guard.ready_at()
        if ready is not None and self.now() < ready:
            self.wait(ready - self.now())

    def frames(self, n: int = 2) -> None:
        for _ in range(n):
            EventLoop.idle()

    def close(self) -> None:
        self.app.dispatch("on_stop")
        self.window.remove_widget(self.app.root)
        if self.app.idle_prompt is not None:
            self.app.idle_prompt.close()
        self.frames(1)

    @property
    def current(self) -> str:
        return self.app.sm.current

    def tap(self, widget: Any) -> None:
        """Touch the centre of a widget through the window, down then up, once the
        screen is drawn and its touch guard has passed (a resident who looks first)."""
        self.settle()
        x, y = widget.to_window(widget.center_x, widget.center_y)
        self.tap_at(x, y)

    def double_tap(self, widget: Any, gap_ms: float, frame_ms: float = 1000 / 60) -> None:
        """Two touches on the same spot, the second `gap_ms` after the first began,
        with the frames the app draws in between, one every `frame_ms` of its clock."""
        self.settle()
        self.double_tap_at(*widget.to_window(widget.center_x, widget.center_y), gap_ms, frame_ms)

    def double_tap_at(self, x: float, y: float, gap_ms: float, frame_ms: float = 1000 / 60) -> None:
        """Two touches on one spot of the window, as `double_tap` (no settling first)."""
        start = self.now()
        first, second = _Finger(x, y), _Finger(x, y)
        EventLoop.post_dispatch_input("begin", first)
        self._frame(frame_ms)
        EventLoop.post_dispatch_input("end", first)
        self._frame(frame_ms)  # the first tap acts; the new screen is drawn
        while self.now() < start + gap_ms / 1000:
            self._frame(frame_ms)
        EventLoop.post_dispatch_input("begin", second)
        self._frame(frame_ms)
        EventLoop.post_dispatch_input("end", second)
        self.frames(2)

    def _frame(self, ms: float) -> None:
        EventLoop.idle()
        self.wait(ms / 1000)

    def tap_at(self, x: float, y: float) -> None:
        finger = _Finger(x, y)
        EventLoop.post_dispatch_input("begin", finger)
        self.frames(1)
        EventLoop.post_dispatch_input("end", finger)
        self.frames(2)

    def key(self, name: str, settle: bool = True) -> None:
        """A key of a keypad or keyboard, by its Kivy name ("down", "numpad5", "f1"),
        pressed and let go through the window, once the screen is ready and half a
        second after the last key (`settle`: a resident's pace, not a bounce)."""
        from kivy.core.window import Keyboard

        if settle:
            self.settle()
            self.wait(KEY_PACE)
        code = Keyboard.keycodes[name]
        self.window.dispatch("on_key_down", code, 0, None, [])
        self.frames(1)
        self.window.dispatch("on_key_up", code, 0)
        self.frames(2)

    def screenshot(self, path: Path) -> Path:
        """The window as drawn, to a PNG file. Read back as 4-byte pixels: Kivy's own
        Window.screenshot reads 3-byte rows, which come out sheared at a width such
        as 1366 (a row is not a whole number of 4-byte words)."""
        from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels
        from PIL import Image

        self.frames(2)
        path.parent.mkdir(parents=True, exist_ok=True)
        width, height = self.window.size
        pixels = glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE)
        shot = Image.frombytes("RGBA", (width, height), pixels).convert("RGB")
        shot.transpose(Image.Transpose.FLIP_TOP_BOTTOM).save(path, format="PNG")
        return path

    def find(self, cls_name: str, root: Any = None) -> list[Any]:
        """Widgets of a class (by name) on the shown screen and bars, in tree order."""
        root = root or self.app.root
        return [
            w
            for w in root.walk(restrict=True)
            if type(w).__name__ == cls_name and w.opacity > 0 and not w.disabled
        ]
