"""The real kiosk on a 7-inch panel's X screen: `kiosk run` in kiosk mode on an
Xvfb screen of the panel's size, under the window manager the X session of
deploy/x11 starts (matchbox), with only `display.dpi` set. The window must cover
the whole panel, the layout must be the panel's (not display.width/height), and
double taps must still act once.

Where a widget is comes from the same app laid out off-screen at the panel's
size (the kiosk_ui fixture); where the kiosk went comes from its log.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.test_ui_form_factors import use_shape
from tests.test_x_double_tap import XKiosk, needs_x

pytestmark = needs_x("matchbox-window-manager")

# A 7-inch portrait panel (Raspberry Pi Touch Display 2); `make check` adds the landscape one.
SHAPES = [(720, 1280, 210)]
if os.environ.get("KOMEK_FORM_FACTORS") == "all":
    SHAPES.append((1024, 600, 170))


class PanelKiosk(XKiosk):
    """XKiosk on a screen of the panel's size, with the deploy's window manager."""

    def __init__(self, tmp, width: int, height: int, dpi: int):
        self.size, self.dpi = (width, height), dpi
        super().__init__(tmp)

    def screen_args(self) -> list[str]:
        return ["-screen", "0", f"{self.size[0]}x{self.size[1]}x24"]

    def extra_config(self) -> str:
        return f"[display]\ndpi = {self.dpi}\n"

    def before_app(self) -> None:
        env = dict(os.environ, DISPLAY=self.display)
        self.wm = subprocess.Popen(
            ["matchbox-window-manager", "-use_titlebar", "no", "-use_cursor", "no"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> int | None:
        code = super().stop()
        self.wm.terminate()
        self.wm.wait(timeout=10)
        return code

    def black_share(self) -> float:
        """How much of the panel is left black (not covered by the kiosk's window)."""
        from PIL import ImageGrab

        image = ImageGrab.grab(xdisplay=self.display).convert("RGB")
        assert image.size == self.size
        black = image.histogram()  # per channel; a pixel is black in all three
        pixels = image.size[0] * image.size[1]
        return min(black[0], black[256], black[512]) / pixels


def spots_at(ui, width: int, height: int, dpi: int) -> dict[str, tuple[int, int]]:
    """Where the start, the first language, the first home tile and Next are on
    this panel (X coordinates, top-left origin)."""
    use_shape(ui, width, height, dpi)
    app = ui.app

    def of(widget) -> tuple[int, int]:
        ui.frames(3)
        x, y = widget.to_window(widget.center_x, widget.center_y)
        return round(x), round(height - y)

    kids = lambda w: list(reversed(w.children))  # noqa: E731
    spots = {"start": of(app.sm.get_screen("attract").ids.start)}
    app.begin()
    spots["az"] = of(kids(app.sm.get_screen("language").view)[0])
    app.choose_language("az")
    spots["tile"] = of(kids(app.sm.get_screen("home").view)[0])
    app.open_group("social")
    spots["service"] = of(kids(app.sm.get_screen("group").view)[0])
    app.open_service("social-assistance")
    spots["next"] = of(app.sm.get_screen("step").ids.next)
    app.start_over()
    s = ui.base_settings
    use_shape(ui, s["display.width"], s["display.height"], s["display.dpi"])
    return spots


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_kiosk_fills_a_7_inch_panel_and_double_taps_act_once(shape, ui, tmp_path):
    spots = spots_at(ui, *shape)
    k = PanelKiosk(tmp_path, *shape)
    try:
        assert k.screens()[-1] == "attract"
        assert k.black_share() < 0.01, "the kiosk's window does not cover the panel"
        k.tap(*spots["start"], expect="language")
        assert k.double_tap(*spots["az"], 60) == ["home"]
        assert k.double_tap(*spots["tile"], 60) == ["group social page 1/2"]
        assert k.black_share() < 0.01
        k.tap(*spots["service"], expect="step social-assistance/what")
        assert k.double_tap(*spots["next"], 60) == ["step social-assistance/who"]
    finally:
        code = k.stop()
    assert code == 0, "the kiosk did not stop cleanly on SIGTERM"
