"""Blind residents in a real X session: `kiosk run` in kiosk mode on Xvfb (the
harness of tests/test_x_double_tap.py), driven by xdotool key presses only, no
pointer: the social assistance flow to a printed slip and the help flow to a
ticket, the words said at each focus (the kiosk logs them) checked against the
flow data, the way through planned from it (tests/access_support.py).
"""

from __future__ import annotations

import shutil
import time

import pytest

from kiosk.core import access
from kiosk.core.content import load_bundle
from kiosk.paths import DEFAULT_CONTENT
from tests.access_support import SERVICE, group_of, plan_to_slip, step_words
from tests.test_x_double_tap import XKiosk

pytestmark = [
    pytest.mark.xserver,
    pytest.mark.skipif(
        not (shutil.which("Xvfb") and shutil.which("xdotool")),
        reason="needs Xvfb and xdotool (deploy/debian-packages-dev.txt)",
    ),
]

PACE = 0.45  # seconds between key presses: past the key bounce (250 ms) and the touch guard


class KeyKiosk(XKiosk):
    def focus(self) -> list[str]:
        marker = "kiosk.ui.access: focus: "
        return [line.split(marker, 1)[1] for line in self.lines() if marker in line]

    def key(self, name: str) -> None:
        """One key press (an X keysym: Down, KP_2, Return), and what it changed."""
        time.sleep(PACE)
        before = (len(self.focus()), len(self.screens()))
        self.xdotool("key", name)
        deadline = time.monotonic() + 30
        while (len(self.focus()), len(self.screens())) == before:
            assert time.monotonic() < deadline, f"key {name} changed nothing"
            time.sleep(0.05)

    def choose(self, words, target: int, expect: str) -> None:
        """Down (the keypad's 2) to the target, each focus saying the next of `words`;
        then Enter (the keypad's 5), which must lead to the screen `expect`."""
        for i, expected in enumerate(list(words)[: target + 1]):
            self.key("KP_2" if i % 2 else "Down")
            assert self.focus()[-1] == expected, f"focus {i} before {expect}"
        screens = len(self.screens())
        self.key("KP_5" if target % 2 else "Return")
        deadline = time.monotonic() + 30
        while len(self.screens()) == screens:
            assert time.monotonic() < deadline, f"Enter did not lead to {expect}"
            time.sleep(0.05)
        assert self.screens()[-1] == expect


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    k = KeyKiosk(tmp_path_factory.mktemp("x-keys"))
    yield k
    assert k.stop() == 0, "the kiosk did not stop cleanly on SIGTERM"


def start(k: KeyKiosk, bundle, lang: str = "az") -> None:
    time.sleep(1.0)  # the attract screen drawn (and logged) before the first key
    assert k.screens()[-1] == "attract"
    k.key("KP_5")  # any key: guided mode
    deadline = time.monotonic() + 30
    while k.screens()[-1] != "language":
        assert time.monotonic() < deadline, "the first key did not start"
        time.sleep(0.05)
    langs = ["az", "ru", "en"]
    k.choose([bundle.strings["language.say"](c) for c in langs], langs.index(lang), "home")
    g = group_of(bundle, SERVICE)
    k.choose([grp.say(lang) for grp in bundle.groups], g, f"group {bundle.groups[g].id}")
    services = bundle.groups[g].services
    first = bundle.services[SERVICE].first_step.id
    k.choose(
        [bundle.services[s].title(lang) for s in services],
        services.index(SERVICE),
        f"step {SERVICE}/{first}",
    )


def test_non_visual_by_xdotool_keys_to_a_slip_and_to_a_ticket(keyed):
    k = keyed
    bundle = load_bundle(DEFAULT_CONTENT)
    lang = "az"
    start(k, bundle, lang)
    plan = plan_to_slip(bundle, SERVICE, lang)
    for move, after in zip(plan, plan[1:] + [None], strict=True):
        expect = f"step {SERVICE}/{after.step_id}" if after else "slip"
        k.choose(move.words, move.target, expect)
    slips = k.data / "slips"
    deadline = time.monotonic() + 30
    while not (slips.is_dir() and any(slips.glob("*.png"))):
        assert time.monotonic() < deadline, "no slip printed"
        time.sleep(0.1)
    while k.screens().count("slip") < 2:  # shown again: "take your slip"
        assert time.monotonic() < deadline, "the slip screen never said it printed"
        time.sleep(0.1)
    k.choose([bundle.string("slip.done", lang)], 0, "attract")

    tickets = k.tickets()
    start(k, bundle, lang)
    first = bundle.services[SERVICE].first_step.id
    own = step_words(bundle, SERVICE, first, lang)
    bars = [bundle.string(key, lang) for key in ("nav.back", "nav.home", "finish.help")]
    k.choose(own + bars, len(own) + 2, "help")
    k.choose([bundle.string("help.ticket", lang)], 0, "ticket")
    assert k.tickets() == tickets + 1
    k.choose(
        [bundle.string("slip.done", lang), bundle.string(access.TICKET_AGAIN, lang)], 0, "attract"
    )
