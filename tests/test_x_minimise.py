"""A minimised kiosk comes back: `kiosk run` in kiosk mode on Xvfb under the X
session's window manager (matchbox, tests/test_x_form_factors.py); another client
minimises its window (`xdotool windowminimize`, as any X client may). matchbox
unmaps only its frame, so SDL hears nothing; the kiosk must see it and be mapped
and drawn again within 2 s (a deadline polled, not a measured time), and still
answer a touch.
"""

from __future__ import annotations

import subprocess
import time

from tests.test_x_double_tap import needs_x
from tests.test_x_form_factors import PanelKiosk, spots_at

pytestmark = needs_x("xwininfo", "matchbox-window-manager")

BACK_WITHIN = 2.0  # seconds


def map_state(k: PanelKiosk, window: str) -> str:
    out = subprocess.run(
        ["xwininfo", "-id", window], env=k.env, capture_output=True, text=True, timeout=30
    ).stdout
    return out.split("Map State:", 1)[1].split()[0]


def visible(k: PanelKiosk) -> list[str]:
    return subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--pid", str(k.app.pid)],
        env=k.env, capture_output=True, text=True, timeout=30,
    ).stdout.split()  # fmt: skip


def test_a_minimised_kiosk_is_mapped_and_drawn_again(ui, tmp_path):
    spots = spots_at(ui, 1280, 800, 96)
    k = PanelKiosk(tmp_path, 1280, 800, 96)
    try:
        (window,) = visible(k)
        assert map_state(k, window) == "IsViewable" and k.black_share() < 0.01
        for _ in range(2):  # and again: each time it is hidden
            hidden = len([line for line in k.lines() if "window hidden" in line])
            k.xdotool("windowminimize", window)
            seen_hidden = False
            deadline = time.monotonic() + BACK_WITHIN
            while True:
                state = map_state(k, window)
                seen_hidden |= state != "IsViewable"
                if state == "IsViewable" and visible(k) and k.black_share() < 0.01:
                    break
                assert time.monotonic() < deadline, f"still {state} after {BACK_WITHIN} s"
                time.sleep(0.05)
            # It was minimised for real: seen hidden, or the kiosk logged it hidden.
            again = len([line for line in k.lines() if "window hidden" in line])
            assert seen_hidden or again == hidden + 1
            time.sleep(0.5)
        k.tap(*spots["start"], expect="language")  # alive and touchable
    finally:
        code = k.stop()
    assert code == 0, "the kiosk did not stop cleanly on SIGTERM"
