"""Drive the real app off-screen, frame by frame: for `kiosk preview`, the UI
tests and `kiosk bench`. Touches go through the window like a finger's would.

Call kiosk.ui.boot.configure_kivy(..., offscreen=True) before importing this.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.base import EventLoop
from kivy.input.motionevent import MotionEvent

from kiosk.core.terminal import Terminal


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

    def __init__(self, terminal: Terminal, now: Any = None):
        from kivy.core.window import Window

        from kiosk.ui.app import KomekApp

        EventLoop.ensure_window()
        self.window = Window
        kwargs = {"now": now} if now else {}
        self.app = KomekApp(terminal, **kwargs)
        self.app.load_config()
        self.app.load_kv(filename=self.app.kv_file)
        self.app.root = self.app.build()
        Window.add_widget(self.app.root)
        self.app.dispatch("on_start")
        self.frames(3)

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
        """Touch the centre of a widget through the window, down then up."""
        x, y = widget.to_window(widget.center_x, widget.center_y)
        self.tap_at(x, y)

    def tap_at(self, x: float, y: float) -> None:
        finger = _Finger(x, y)
        EventLoop.post_dispatch_input("begin", finger)
        self.frames(1)
        EventLoop.post_dispatch_input("end", finger)
        self.frames(2)

    def screenshot(self, path: Path) -> Path:
        self.frames(2)
        path.parent.mkdir(parents=True, exist_ok=True)
        made = Path(self.window.screenshot(name=str(path.with_suffix(".png"))))
        made.replace(path)
        return path

    def find(self, cls_name: str, root: Any = None) -> list[Any]:
        """Widgets of a class (by name) on the shown screen and bars, in tree order."""
        root = root or self.app.root
        return [
            w
            for w in root.walk(restrict=True)
            if type(w).__name__ == cls_name and w.opacity > 0 and not w.disabled
        ]
