"""Double taps in a real X server on the default, totem (portrait 1080x1920) and
7-inch (1024x600 at 170 dpi) panels, and within a screen: `kiosk run` in kiosk
mode on an Xvfb screen of the panel's size under the X session's window manager
(tests/test_x_form_factors.py), xdotool clicks 30-250 ms apart. On each panel a
double tap on a home tile, Next and Back moves one screen; on the 7-inch panel a
double tap on "More" in a group and under a documents list turns one page (the
page after it is not skipped, the first is not brought back); and a double tap on the idle prompt's "Yes, I need more time", where
the button lies over a home tile, closes the prompt and does not open the tile.

`make test` runs one gap per panel; `make check` (KOMEK_TAP_GAPS=all) runs 30, 60,
100 and 250 ms on each. Where a widget is comes from the same app laid out
off-screen at the panel's size; what the kiosk showed comes from its log.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.test_ui_form_factors import use_shape
from tests.test_x_double_tap import needs_x
from tests.test_x_form_factors import PanelKiosk

pytestmark = needs_x("matchbox-window-manager")

ALL_GAPS = os.environ.get("KOMEK_TAP_GAPS") == "all"
# Each panel, and the one gap `make test` taps it at (together they span 30-250 ms).
PANELS = {
    "default 1280x800": ((1280, 800, 96), 100),
    "totem 1080x1920": ((1080, 1920, 102), 30),
    "7in 1024x600": ((1024, 600, 170), 250),
}
IDLE_SECONDS = 15  # the shortest session.idle_seconds: the prompt comes after this
SERVICE = "idp"  # its documents list, two Nexts in, takes three pages on a 7-inch panel


class IdleKiosk(PanelKiosk):
    def extra_config(self) -> str:
        return super().extra_config() + f"[session]\nidle_seconds = {IDLE_SECONDS}\n"

    def wait_for_screen(self, name: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.screens()[-1] != name:
            assert time.monotonic() < deadline, f"no {name} after {seconds} s"
            time.sleep(0.1)


def spots_at(ui, width: int, height: int, dpi: int) -> dict:
    """Where the widgets touched are on this panel (X coordinates, top-left
    origin), and the names the kiosk logs for the screens they lead to."""
    app = ui.app
    app.terminal.narrator.available = False  # as the X kiosk: narration off, its notice shown
    try:
        return _spots_at(ui, width, height, dpi)
    finally:
        app.terminal.narrator.available = True
        s = ui.base_settings
        use_shape(ui, s["display.width"], s["display.height"], s["display.dpi"])


def _spots_at(ui, width: int, height: int, dpi: int) -> dict:
    use_shape(ui, width, height, dpi)
    app = ui.app
    bundle = app.terminal.bundle

    def of(widget, x=None) -> tuple[int, int]:
        ui.frames(3)
        wx, wy = widget.to_window(widget.center_x if x is None else x, widget.center_y)
        return round(wx), round(height - wy)

    kids = lambda w: list(reversed(w.children))  # noqa: E731
    group = next(g for g in bundle.groups if SERVICE in [s.id for s in bundle.services_in(g.id)])
    spots: dict = {"start": of(app.sm.get_screen("attract").ids.start)}
    app.begin()
    spots["az"] = of(kids(app.sm.get_screen("language").view)[0])
    app.choose_language("az")
    home = kids(app.sm.get_screen("home").view)
    spots["tile"] = of(home[[g.id for g in bundle.groups].index(group.id)])
    app.open_group(group.id)
    ui.frames(3)
    spots["group"] = [app.where()]
    screen = app.sm.get_screen("group")
    title = bundle.services[SERVICE].title("az")
    if title not in [b.text for b in ui.find("ServiceButton")]:  # on a later page
        spots["group more"] = of(ui.find("ServiceButton")[-1])  # "More" ends the grid
        screen.next_page()
        ui.frames(3)
        spots["group"].append(app.where())
        assert screen.pages == 2, "a second turn would bring the first tiles back"
    (tile,) = [b for b in ui.find("ServiceButton") if b.text == title]
    spots["service"] = of(tile)
    app.open_service(SERVICE)
    step = app.sm.get_screen("step")
    spots["next"] = of(step.ids.next)
    spots["back"] = of(app.root.ids.back)
    spots["home"] = of(app.root.ids.home)
    app.next_step()
    app.next_step()
    ui.frames(3)
    spots["documents"] = [app.where()]
    if step.pages > 1:
        spots["more"] = of(ui.find("MoreButton")[0])
        step.next_page()
        ui.frames(3)
        spots["documents"].append(app.where())
        assert step.pages >= 3, "a skipped page would look like none turned"
    app.start_over()
    app.begin()
    app.choose_language("az")
    ui.settle()
    ui.clock.t += app.terminal.settings["session.idle_seconds"] + 1
    app._tick_idle()
    ui.frames(3)
    prompt = app.idle_prompt
    assert prompt.is_open
    more_time = ui.find("PictoButton", root=prompt)[0]
    # A quarter in from the button's left edge: over a home tile.
    x = more_time.x + more_time.width / 4
    wx, wy = more_time.to_window(x, more_time.center_y)
    assert [b for b in home if b.collide_point(*b.parent.to_widget(wx, wy))], "over no tile"
    spots["more time"] = of(more_time, x)
    prompt.close()
    app.start_over()
    return spots


@pytest.mark.parametrize("panel", list(PANELS))
def test_double_taps_act_once_on_each_panel_and_within_a_screen(panel, ui, tmp_path):
    shape, one_gap = PANELS[panel]
    spots = spots_at(ui, *shape)
    k = IdleKiosk(tmp_path, *shape)
    try:
        assert k.screens()[-1] == "attract"
        k.tap(*spots["start"], expect="language")
        k.tap(*spots["az"], expect="home")
        results, want = {}, {}
        for gap in (30, 60, 100, 250) if ALL_GAPS else (one_gap,):
            got = results[gap] = {}
            got["home tile"] = k.double_tap(*spots["tile"], gap)
            if "group more" in spots:
                got["group more"] = k.double_tap(*spots["group more"], gap)
            k.tap(*spots["service"], expect=f"step {SERVICE}/what")
            got["next"] = k.double_tap(*spots["next"], gap)
            got["back"] = k.double_tap(*spots["back"], gap)
            k.tap(*spots["next"], expect=f"step {SERVICE}/who")
            k.tap(*spots["next"], expect=spots["documents"][0])
            if "more" in spots:
                got["more"] = k.double_tap(*spots["more"], gap)
            k.tap(*spots["home"], expect="home")
            k.wait_for_screen("idle prompt", IDLE_SECONDS + 30)  # no touch meanwhile
            got["yes, more time"] = k.double_tap(*spots["more time"], gap)
            want[gap] = {
                "home tile": spots["group"][:1],
                **({"group more": spots["group"][1:]} if "group more" in spots else {}),
                "next": [f"step {SERVICE}/who"],
                "back": [f"step {SERVICE}/what"],
                **({"more": spots["documents"][1:]} if "more" in spots else {}),
                "yes, more time": ["home"],  # the prompt closed; the tile did not open
            }
        assert results == want
    finally:
        code = k.stop()
    assert code == 0, "the kiosk did not stop cleanly on SIGTERM"
