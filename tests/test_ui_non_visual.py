"""Blind and low-vision residents: every flow by keypad and voice alone (EN 301
549 5.1.3, the EZ Access keys), off-screen with the recording narrator.

Key events only, never a touch: the social assistance flow to a printed slip and
the help flow to a ticket, the words said at each focus checked against the flow
data (the way through is planned from it, tests/access_support.py). Then guided
touch exploration: one touch speaks and does not act, a double tap acts once.
"""

from __future__ import annotations

import time

import pytest

from kiosk.core import access
from kiosk.core.narration.numbers import ticket_words
from kiosk.core.slips import PrintStatus
from tests.access_support import SERVICE, group_of, plan_to_slip, step_words
from tests.pulse_support import PulseDaemon, needs_pulseaudio
from tests.pulse_support import wait_until as wait_until_true

pytestmark = pytest.mark.ui


def said(ui) -> list[str]:
    return ui.app.terminal.narrator.last_words


def focus_through(ui, words: list[str] | tuple[str, ...]) -> None:
    """Down once per choice, from no focus: each focus says the next of `words`."""
    for i, expected in enumerate(words):
        ui.key("down")
        assert said(ui) == [expected], f"focus {i}"


def choose(ui, words, target: int, expect: str | None = None) -> None:
    focus_through(ui, list(words)[: target + 1])
    ui.key("enter")
    if expect is not None:
        assert ui.current == expect


def wait_for(ui, cond, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        ui.frames(2)
        time.sleep(0.02)


def start_by_key(ui, lang: str = "az") -> None:
    """The first key on the attract screen: guided mode, the keys explained, the language."""
    app = ui.app
    bundle = app.terminal.bundle
    langs = app.terminal.settings["kiosk.languages"]
    assert ui.current == "attract" and not app.access.guided
    ui.key("numpad5")  # any key starts
    assert ui.current == "language" and app.access.guided
    # The keys explained in every language, in the content's words (strings.toml access.*).
    intro = access.guided_intro(bundle.strings, app.access.keymap, langs)
    expected = [text(code) for code in langs for text in intro]
    words = said(ui)
    assert words[: len(expected)] == expected
    assert words[:5] == [bundle.string(k, langs[0]) for k in ("access.intro",)] + [
        "aşağı ox və ya 2",
        bundle.string("access.does.down", langs[0]),
        "yuxarı ox və ya 8",
        bundle.string("access.does.up", langs[0]),
    ]
    languages = [bundle.strings["language.say"](code) for code in langs]
    assert words[len(expected) :] == languages  # then the screen's own words
    contrast = bundle.string(access.LARGE_BUTTON, app.lang)
    choose(ui, languages + [contrast], langs.index(lang), "home")
    assert app.lang == lang


def to_service(ui, lang: str) -> None:
    bundle = ui.app.terminal.bundle
    groups = [g.say(lang) for g in bundle.groups]
    g = group_of(bundle, SERVICE)
    choose(ui, groups, g, "group")
    services = [bundle.services[s].title(lang) for s in bundle.groups[g].services]
    choose(ui, services, bundle.groups[g].services.index(SERVICE), "step")


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_non_visual_social_assistance_to_a_printed_slip_by_keys_alone(ui, lang):
    app = ui.app
    bundle = app.terminal.bundle
    printed = len(app.terminal.printer.printed)
    heard = len(app.terminal.narrator.said)  # what this resident hears comes after
    start_by_key(ui, lang)
    to_service(ui, lang)
    plan = plan_to_slip(bundle, SERVICE, lang)
    for move in plan:
        assert app.navigator.position.step_id == move.step_id
        # Help says the screen again and which keys do what.
        ui.key("f1")
        help_words = said(ui)
        assert help_words[: len(app.screen.narration())] == [
            line.words for line in app.screen.narration()
        ]
        back = access.key_words(bundle.strings, app.access.keymap, access.KeyAction.BACK, lang)
        i = help_words.index(back)
        assert help_words[i + 1] == bundle.string("access.does.back", lang)
        assert bundle.string("access.does.ticket", lang) not in help_words  # no ticket yet
        before = app.navigator.position
        # (counted before the choice: a fast printer may be done before the slip screen is seen)
        heard = len(app.terminal.narrator.said)
        choose(ui, move.words, move.target)
        assert app.navigator.position != before or ui.current == "slip"
    assert ui.current == "slip"
    wait_for(ui, lambda: app.screen.state == "printed")
    assert len(app.terminal.printer.printed) == printed + 1
    # Announced: "your slip is printing", then "take your slip" once it is out.
    announced = [[line.words for line in lines] for lines in app.terminal.narrator.said]
    assert [bundle.string("slip.printing", lang)] in announced[heard:]
    assert said(ui) == [bundle.string("slip.take", lang)]
    # Done, by keys: the session ends and the next resident meets the attract screen.
    choose(ui, [bundle.string("slip.done", lang)], 0, "attract")
    assert not app.access.guided


def test_non_visual_help_flow_to_a_ticket_by_keys_alone(ui):
    app = ui.app
    bundle = app.terminal.bundle
    lang = "az"
    start_by_key(ui, lang)
    to_service(ui, lang)
    first = bundle.services[SERVICE].first_step.id
    # The step's own choices, then the bottom bar: Back, Home, Call a helper.
    bars = [bundle.string(k, lang) for k in ("nav.back", "nav.home", "finish.help")]
    choose(
        ui,
        step_words(bundle, SERVICE, first, lang) + bars,
        len(step_words(bundle, SERVICE, first, lang)) + 2,
        "help",
    )
    choose(ui, [bundle.string("help.ticket", lang), bundle.string("help.phone", lang)], 0, "ticket")
    ticket = app.resident.ticket
    number = ticket_words(ticket, lang)
    assert number.startswith(ticket[0] + " ") and not any(c.isdigit() for c in number)
    # Announced as the slip prints, then again once it is out ("take your slip").
    announced = [[line.words for line in lines] for lines in app.terminal.narrator.said]
    printing = [bundle.string(k, lang) for k in ("slip.printing", "ticket.say")] + [number]
    assert any(words[:3] == printing for words in announced)
    wait_for(ui, lambda: app.screen.printed)
    assert said(ui)[:2] == printing[1:] and said(ui)[-1] == bundle.string("slip.take", lang)
    # Help now names the ticket key too; it and the screen's button say the number again.
    ui.key("f1")
    ticket_keys = access.key_words(bundle.strings, app.access.keymap, access.KeyAction.TICKET, lang)
    i = said(ui).index(ticket_keys)
    assert said(ui)[i : i + 2] == [ticket_keys, bundle.string("access.does.ticket", lang)]
    ui.key("f3")
    assert said(ui) == [bundle.string("ticket.say", lang), number]
    # The screen's Done, then the bottom bar's "say my number again".
    focus_through(ui, [bundle.string("slip.done", lang), bundle.string(access.TICKET_AGAIN, lang)])
    ui.key("enter")
    assert said(ui) == [bundle.string("ticket.say", lang), number]
    assert ui.current == "ticket"


def test_non_visual_phone_digits_typed_by_keys_are_private_without_headphones(ui):
    app = ui.app
    bundle = app.terminal.bundle
    start_by_key(ui, "az")
    app.call_helper()
    choose(ui, [bundle.string("help.ticket", "az"), bundle.string("help.phone", "az")], 1, "keypad")
    for d in "0501234567":
        ui.key(d)
        assert said(ui) == [bundle.string(access.DIGIT_ENTERED, "az")]
    assert app.resident.phone == "0501234567"
    # Done comes after the number's keys (1 to 9, plus, 0, delete).
    plus, delete = (bundle.string(access.BUTTON_WORDS[k], "az") for k in ("+", "del"))
    keys = [str(d) for d in range(1, 10)] + [plus, "0"]
    focus_through(ui, keys + [delete, bundle.string("keypad.done", "az")])
    ui.key("enter")
    assert ui.current == "keypad"
    # Read back privately: only how many.
    assert said(ui) == [bundle.string(access.DIGITS_ENTERED, "az", n="10")]
    ui.key("enter")  # the focus stayed on Done: sent
    assert ui.current == "ticket"


def test_non_visual_the_words_about_the_keys_are_the_contents_own(ui, content_copy):
    """An admin's edit of strings.toml (as the studio writes it) and a recorded voice
    are what the resident hears: the guided introduction, a key's name, "digit
    entered" (nothing about the keys is a code constant)."""
    from kiosk.core.content import load_bundle
    from kiosk.core.narration.engines import write_silence

    (content_copy / "audio").mkdir()
    write_silence(content_copy / "audio" / "digit.wav", 0.3)
    strings = content_copy / "strings.toml"
    text = strings.read_text(encoding="utf-8")
    for old, new in (
        ("Bu terminalı düymələrlə də idarə etmək olar.", "Düymələrlə də olar."),
        ('az = "aşağı ox"', 'az = "aşağı düymə"'),
        (
            '["access.digit_entered"]\naz = "Rəqəm yazıldı."',
            '["access.digit_entered"]\naz = "Yazıldı."',
        ),
    ):
        assert old in text
        text = text.replace(old, new)
    text = text.replace('az = "Yazıldı."', 'az = "Yazıldı."\naudio = { az = "audio/digit.wav" }')
    strings.write_text(text, encoding="utf-8")
    terminal = ui.app.terminal
    saved = terminal.bundle
    terminal.bundle = load_bundle(content_copy)
    try:
        ui.key("numpad5")
        assert said(ui)[:3] == ["Düymələrlə də olar.", "aşağı düymə və ya 2", "növbəti seçim."]
        ui.app.call_helper()
        ways = [terminal.bundle.string(k, "az") for k in ("help.ticket", "help.phone")]
        choose(ui, ways, 1, "keypad")
        ui.key("7")
        (line,) = terminal.narrator.said[-1]
        assert line.words == "Yazıldı." and line.recorded == "audio/digit.wav"
    finally:
        terminal.bundle = saved


@needs_pulseaudio
def test_non_visual_digits_are_said_in_full_only_while_a_headset_is_plugged(
    ui, tmp_path, monkeypatch
):
    """A real PulseAudio daemon (tests/pulse_support.py) and the kiosk's own
    detection (access.headphones = auto): a USB headset plugged in, the digits are
    said as typed; unplugged, "digit entered" again."""
    from kiosk.core.narration.headphones import SystemHeadphones

    pulse = PulseDaemon(tmp_path / "pulse")
    for name in ("HOME", "XDG_RUNTIME_DIR", "PULSE_SERVER"):
        monkeypatch.setenv(name, pulse.env[name])
    terminal = ui.app.terminal
    fake, terminal.headphones = terminal.headphones, SystemHeadphones(refresh_s=0.1)
    try:
        bundle = terminal.bundle
        start_by_key(ui, "az")
        ui.app.call_helper()
        ways = [bundle.string(k, "az") for k in ("help.ticket", "help.phone")]
        choose(ui, ways, 1, "keypad")
        ui.key("0")
        assert said(ui) == [bundle.string(access.DIGIT_ENTERED, "az")]
        pulse.plug_headset()
        wait_until_true(ui.app.access.headphones)
        ui.key("5")
        assert said(ui) == ["5"]
        pulse.unplug_headset()
        wait_until_true(lambda: not ui.app.access.headphones())
        ui.key("0")
        assert said(ui) == [bundle.string(access.DIGIT_ENTERED, "az")]
        assert ui.app.resident.phone == "050"
    finally:
        terminal.headphones = fake
        pulse.stop()


def test_non_visual_a_held_or_bouncing_key_acts_once(ui):
    app = ui.app
    start_by_key(ui, "az")
    from kivy.core.window import Keyboard

    code = Keyboard.keycodes["down"]
    for _ in range(5):  # held: the keyboard repeats key-down without a key-up
        ui.window.dispatch("on_key_down", code, 0, None, [])
    ui.window.dispatch("on_key_up", code, 0)
    ui.frames(2)
    bundle = app.terminal.bundle
    assert said(ui) == [bundle.groups[0].say("az")]
    ui.key("down", settle=False)  # a bounce: down again at once
    assert said(ui) == [bundle.groups[0].say("az")]
    ui.wait(0.5)
    ui.key("down", settle=False)
    assert said(ui) == [bundle.groups[1].say("az")]


def test_non_visual_more_is_reached_by_keys_on_a_7_inch_screen(shaped):
    from kiosk.core.flow import Position
    from kiosk.core.narration.script import choice_label
    from tests.test_ui_form_factors import use_shape

    ui = shaped
    use_shape(ui, 1024, 600, 170)
    app = ui.app
    bundle = app.terminal.bundle
    service, step = next(
        (s, st) for s in bundle.services.values() for st in s.steps if len(st.choices) == 4
    )
    start_by_key(ui, "az")
    app.open_service(service.id)
    app.navigator.history = [Position(service.id, step.id)]
    app.show("step", push=False)
    more = bundle.string("nav.more", "az")
    while said(ui) != [more]:
        ui.key("down")
    ui.key("enter")
    labels = [choice_label(bundle, c)("az") for c in step.choices]
    assert [b.text for b in ui.find("ChoiceButton")] == labels[2:]
    ui.key("up")  # the focus stayed on More: up is the last choice of the new page
    assert said(ui)[0] in [w for w in step_words(bundle, service.id, step.id, "az")][2:]


@pytest.fixture
def shaped(ui):
    yield ui
    from tests.test_ui_form_factors import use_shape

    s = ui.base_settings
    use_shape(ui, s["display.width"], s["display.height"], s["display.dpi"])


def test_non_visual_guided_touch_speaks_then_a_double_tap_acts_once(ui):
    app = ui.app
    bundle = app.terminal.bundle
    start_by_key(ui, "az")
    home = app.sm.get_screen("home")
    tile = list(reversed(home.view.children))[0]
    ui.tap(tile)  # one touch: said, nothing chosen
    assert ui.current == "home" and said(ui) == [bundle.groups[0].say("az")]
    assert app.access.focus is tile
    ui.wait(2.0)
    ui.tap(tile)  # long after: said again, still nothing chosen
    assert ui.current == "home"
    screens = app._shown
    ui.double_tap(tile, 250)  # chosen, once
    assert ui.current == "group" and app._shown == screens + 1
    # A third touch right after lands on the new screen: held back or only said.
    first = list(reversed(app.screen.view.children))[0]
    ui.tap(first)
    assert ui.current == "group"


def test_non_visual_printer_failure_is_said_with_the_code_on_screen(ui):
    app = ui.app
    app.terminal.printer.state = PrintStatus.NO_PAPER
    start_by_key(ui, "az")
    app.open_service(SERVICE)
    app.print_slip()
    wait_for(ui, lambda: app.screen.state == "failed")
    assert said(ui) == [app.terminal.bundle.string("slip.failed", "az")]


LARGE_SHAPES = ["default 1280x800", "7in 1024x600", "totem 1080x1920"]
if __import__("os").environ.get("KOMEK_FORM_FACTORS") == "all":
    LARGE_SHAPES = [
        "wide 1920x1080",
        "15.6in 1366x768",
        "7in 800x480",
        "7in portrait 720x1280",
        *LARGE_SHAPES,
    ]


@pytest.mark.parametrize("lang", ["az", "ru"])
@pytest.mark.parametrize("shape", LARGE_SHAPES)
def test_non_visual_high_contrast_screens_fit_the_shapes(shaped, shape, lang):
    """Every kind of screen in high contrast fits (`make check`: every screen, every shape)."""
    import os

    from kiosk.ui.preview import render_all
    from tests.test_ui_form_factors import FORM_FACTORS, use_shape

    every = os.environ.get("KOMEK_FORM_FACTORS") == "all"
    use_shape(shaped, *FORM_FACTORS[shape])
    problems = render_all(shaped, None, [lang], sample=not every, large=True)
    assert shaped.app.large is False  # render_all ends on the attract screen: mode off
    assert problems == {}


def test_non_visual_end_screens_in_large_letters_after_usual_ones_keep_no_old_height(shaped):
    """The ending screens seen in usual letters on a large panel, then in large letters
    on a 7-inch one, fit: a height the layout gave a text under the usual size hint is
    not kept where the large layout's rule gives it its words' height (the slip's
    empty link row kept 90 px and pushed the picture out of the screen)."""
    from kiosk.ui.preview import END_SCREENS, render_all
    from tests.test_ui_form_factors import use_shape

    kinds = tuple(k for k in END_SCREENS if k != "keypad")
    use_shape(shaped, 1280, 800, 96)
    assert render_all(shaped, None, ["ru"], sample=True, kinds=kinds) == {}
    shaped.app.choose_language("ru")
    shaped.app.show("slip", service_id="social-assistance", state="printed")  # no link
    shaped.frames(3)
    use_shape(shaped, 1024, 600, 170)
    assert render_all(shaped, None, ["ru"], sample=True, large=True, kinds=kinds) == {}


# Large letters (access.large_scale 1.5, the default) on the large panels, every
# screen; on the 7-inch panels every kind of screen too (SMALL_PANEL_SCREENS: the
# attract, help, keypad, ticket, slip and staff screens and the idle prompt, and the
# language, home, group and step screens in pages with the bar's More). `make test` one large
# shape per language and one 7-inch one, `make check` every screen on each shape in
# both languages.
SMALL_PANEL_SCREENS = ("attract", "help", "keypad", "ticket", "slip", "idle", "staff") + (
    "language",
    "home",
    "group",
    "step",
)
SMALL_PANELS = ("7in 1024x600", "7in 800x480", "7in portrait 720x1280")
LARGE_TEXT_SHAPES = [
    ("default 1280x800", "az", None),
    ("totem 1080x1920", "ru", None),
    ("7in 800x480", "ru", SMALL_PANEL_SCREENS),
]
if __import__("os").environ.get("KOMEK_FORM_FACTORS") == "all":
    LARGE_TEXT_SHAPES = [
        (shape, lang, SMALL_PANEL_SCREENS if shape in SMALL_PANELS else None)
        for shape in ("default 1280x800", "15.6in 1366x768", "wide 1920x1080", "totem 1080x1920")
        + SMALL_PANELS
        for lang in ("az", "ru")
    ]


@pytest.mark.parametrize(("shape", "lang", "kinds"), LARGE_TEXT_SHAPES)
def test_non_visual_text_at_1_5_times_fits_the_large_panels(shaped, shape, lang, kinds):
    """With text at 1.5 times, every kind of screen fits (`kinds`: these screens; on
    a 7-inch panel in pages, "More" in the bar), and no text is under 1.5 times the
    usual minimum (the layout check's minimum follows the scale); QR codes shown
    stay at least QR_MIN_MM."""
    import os

    from kiosk.ui.fit import QR_MIN_MM
    from kiosk.ui.preview import render_all
    from tests.test_ui_form_factors import FORM_FACTORS, use_shape

    every = os.environ.get("KOMEK_FORM_FACTORS") == "all"
    use_shape(shaped, *FORM_FACTORS[shape])
    usual = shaped.app.theme
    shaped.app.terminal.settings = shaped.app.terminal.settings.replace(access__large_scale=1.5)
    shaped.app.set_large(True, say=False)
    large = shaped.app.theme
    shaped.app.set_large(False, say=False)
    assert large.min_text >= 1.5 * usual.min_text - 1
    for part in ("body", "title", "label", "small", "huge"):  # whole pixels: 1.5 give or take one
        assert getattr(large, part) >= 1.5 * getattr(usual, part) - 1, part
    qr: dict[str, list[float]] = {}
    problems = render_all(shaped, None, [lang], sample=not every, large=True, qr=qr, kinds=kinds)
    assert problems == {}
    assert min((min(sizes) for sizes in qr.values()), default=QR_MIN_MM) >= QR_MIN_MM
    if kinds and "keypad" in kinds:  # the keys' digits too, and the keys no smaller
        shaped.app.set_large(True, say=False)
        shaped.app.show("keypad")
        shaped.frames(3)
        keys = [b for b in shaped.find("KeyButton") if b.get_root_window() is not None]
        assert len(keys) == 11
        usual_digits = min(usual.huge // 2, round(usual.button * 0.6))
        for key in keys:
            assert key.ids.words.font_size >= 1.5 * usual_digits - 1, key.key
            assert min(key.size) >= large.button - 2, key.key
        shaped.app.start_over()


def test_non_visual_large_letters_on_a_7_inch_panel_show_every_word_over_the_pages(shaped):
    """Large letters on a 7-inch panel: a step's pages, turned by the bar's "More",
    show all of its words in order and each of its choices once, and each page is
    said as it turns; home and group tiles come a page at a time the same way."""
    from kiosk.core.narration.script import choice_label
    from kiosk.ui.hyphen import unbroken
    from kiosk.ui.widgets import PictoButton
    from tests.test_ui_form_factors import use_shape

    app = shaped.app
    use_shape(shaped, 1024, 600, 170)
    app.terminal.settings = app.terminal.settings.replace(access__large_scale=1.5)
    app.start_over()
    app.set_large(True, say=False)
    app.begin()
    app.choose_language("az")
    assert app.theme.tight and app.can_more  # four groups: more than one page
    bundle = app.terminal.bundle
    seen_groups = []
    for _ in range(app.screen.pages):
        seen_groups += [b.text for b in app.screen.view.children if isinstance(b, PictoButton)]
        app.more_page()
    assert sorted(seen_groups) == sorted(g.title("az") for g in bundle.groups)
    service = bundle.services["asan-imza"]
    step = next(s for s in service.steps if len(s.choices) >= 3)
    app.open_service(service.id)
    from kiosk.core.flow import Position

    app.navigator.history = [Position(service.id, step.id)]
    app.show("step", push=False)
    screen = app.screen
    assert screen.pages > 1 and app.can_more
    more = app.root.ids.bottom_bar.children[
        app.root.ids.bottom_bar.children.index(app.root.ids.home) - 1
    ]
    assert more is app.bar_more and more.icon == "dots-horizontal"
    assert more in app.access.choices()  # the keys reach it too, after home
    words, choices = [], []
    for page in range(screen.pages):
        if page:
            shaped.frames(1)
            app.more_page()
            assert said(shaped)  # the page's words or choices, aloud
        if screen.ids.words.text:
            words.append(screen.ids.words.text)
        choices += [
            b.text for b in screen.ids.body.walk(restrict=True) if isinstance(b, PictoButton)
        ]
    assert unbroken(" ".join(words)).split() == step.text("az").split()
    assert choices == [choice_label(bundle, c)("az") for c in step.choices]
    app.set_large(False, say=False)
    app.start_over()
    assert not app.can_more


def test_non_visual_large_letters_on_a_7_inch_panel_turn_help_ticket_and_slip_by_the_bar(shaped):
    """Large letters on a 7-inch panel: the help screen's, a ticket's and a failed
    slip's words come in pages turned by the bar's "More" alone (one "more" on the
    screen, which the keys reach), each page said as it turns and every word shown
    once over them; a ticket whose queue news adds pages while shown gets it too."""
    from collections.abc import Callable

    from kiosk.core.helpdesk.model import QueueStatus, RequestStatus
    from tests.test_ui_form_factors import use_shape

    app = shaped.app
    use_shape(shaped, 800, 480, 133)
    app.terminal.settings = app.terminal.settings.replace(access__large_scale=1.5)
    bundle = app.terminal.bundle
    app.start_over()
    app.begin()
    app.choose_language("ru")
    app.set_large(True, say=False)

    def turned(words: Callable[[], list[str]]) -> list[str]:
        """Each page's words, turning by the bar's More (one "more" shown: that one)."""
        screen = app.screen
        assert screen.pages > 1 and app.can_more
        mores = [
            b for b in app.root.walk(restrict=True) if getattr(b, "icon", None) == "dots-horizontal"
        ]
        assert mores == [app.bar_more] and app.bar_more in app.access.choices()
        shown = []
        for page in range(screen.pages):
            if page:
                shaped.frames(1)
                app.more_page()
                assert said(shaped) == words()
            shown += words()
        return shown

    service = next(iter(bundle.services))
    app.navigator.start(service)
    app.show("help", topic=service)
    shown = turned(lambda: [app.screen.shown_words])
    assert " ".join(shown).split() == bundle.string("help.say", "ru").split()
    app.resident.ticket = "A-014"
    app.queue = QueueStatus(RequestStatus.WAITING, 3, 12)
    app.show("ticket", printed=True)
    turned(lambda: app.screen.shown_lines)
    app.screen.page = 0
    app.screen.show_queue(None, refused=True)  # the hub's news while shown: other pages
    shown = turned(lambda: app.screen.shown_lines)
    assert app.can_more and shown[-1] == bundle.string("slip.take", "ru")
    app.show("slip", service_id="social-assistance", state="failed")
    shown = turned(lambda: [app.screen.shown_words])
    assert " ".join(shown).split() == bundle.string("slip.failed", "ru").split()
    app.set_large(False, say=False)
    app.start_over()
    assert not app.can_more


def test_non_visual_large_letters_cut_a_long_word_said_whole_and_keep_an_address(shaped):
    """Large letters on a 7-inch panel: a word wider than a line is cut at a
    hyphenation point and said whole; a web address in a step's words is broken only
    after a dot, never by a hyphen; the school-enrolment code keeps QR_MIN_MM."""
    from kiosk.ui.fit import QR_MIN_MM, layout_problems, qr_sizes
    from kiosk.ui.hyphen import BREAK, HYPHEN, unbroken
    from kiosk.ui.preview import areas, show_one
    from tests.test_ui_form_factors import use_shape

    app = shaped.app
    use_shape(shaped, 800, 480, 133)
    app.terminal.settings = app.terminal.settings.replace(access__large_scale=1.5)
    bundle = app.terminal.bundle

    def pages(lang: str, service: str, step: str) -> list[tuple[str, list[str], list[float]]]:
        """Each page's words, what "More" says of it, and its QR codes' sides in mm."""
        show_one(shaped, lang, "step", service, step)
        app.set_large(True, say=False)
        shaped.frames(2)
        screen, out = app.screen, []
        for page in range(screen.pages):
            if page:
                app.more_page()
                shaped.frames(2)
            assert layout_problems(areas(shaped), app.theme) == [], (service, step, page)
            lines = [t(lang) for t in screen.shown_items]
            if page:
                assert said(shaped) == lines
            if HYPHEN in screen.ids.words.text:  # a touch on the words says them whole
                app.access.explore(*screen.ids.words.to_window(*screen.ids.words.center), 0.0)
                assert said(shaped) == [unbroken(screen.ids.words.text).replace("\n", " ")]
            out.append((screen.ids.words.text, lines, qr_sizes(areas(shaped), app.theme)))
        app.set_large(False, say=False)
        return out

    text = bundle.services["property-registration"].step("why").text("ru")
    shown = pages("ru", "property-registration", "why")
    cut = [(words, lines) for words, lines, _ in shown if HYPHEN in words]
    assert cut  # «Незарегистри-рованное»
    for words, lines in cut:
        assert lines[0] == unbroken(words) and "\u2010" not in lines[0]  # said whole
    assert "Незарегистрированное" in " ".join(lines[0] for _, lines in cut)
    assert unbroken(" ".join(w for w, _, _ in shown if w)).split() == text.split()
    online = pages("az", "school-enrolment", "online")
    assert min(online[0][2]) >= QR_MIN_MM  # the code alone on its page, large enough
    words = [w for w, _, _ in online if "mektebeqebul" in w]
    assert any(BREAK in w for w in words)  # too wide for a line: broken after a dot
    assert all("mektebeqebul.edu.az" in w.replace(BREAK, "") for w in words)
    assert all("\u2010" not in w for w in words)  # never by a hyphen
    app.start_over()


def test_non_visual_high_contrast_from_the_language_screen_and_by_a_key(ui):
    app = ui.app
    bundle = app.terminal.bundle
    langs = app.terminal.settings["kiosk.languages"]
    ui.key("down")
    words = [bundle.strings["language.say"](c) for c in langs]
    words.append(bundle.string(access.LARGE_BUTTON, "az"))
    choose(ui, words, len(langs), "language")  # the toggle: the same screen, in high contrast
    assert app.large and app.theme.contrast and app.theme.background == (0.0, 0.0, 0.0, 1.0)
    assert said(ui) == [bundle.string(access.LARGE_ON, "az")]
    ui.key("f2")
    assert not app.large and said(ui) == [bundle.string(access.LARGE_OFF, "az")]
    ui.key("numpaddivide")
    assert app.large
    app.start_over()  # the next resident starts in the usual colours
    assert not app.large


def test_non_visual_large_letters_without_speech_fit_a_7_inch_panel(shaped, monkeypatch):
    """A terminal whose speech is missing ("Səs işləmir") in large letters on a 7-inch
    panel: the screens that are not paged (attract, keypad, slip, staff) fit; the notice's
    row under the screen pushed the slip's picture into the title and made the keypad's
    keys smaller than 20 mm. The struck loudspeaker in the bar still says it."""
    from kiosk.ui.preview import render_all
    from tests.fakes import RecordingNarrator
    from tests.test_ui_form_factors import use_shape

    use_shape(shaped, 800, 480, 133)
    monkeypatch.setattr(shaped.app.terminal, "narrator", RecordingNarrator(available=False))
    kinds = ("attract", "keypad", "slip", "staff")
    assert render_all(shaped, None, ["az"], sample=True, large=True, kinds=kinds) == {}
    shaped.app.choose_language("az")
    shaped.frames(3)
    assert shaped.app.root.ids.side_notice.height > 0  # usual letters: the notice's row
    shaped.app.set_large(True, say=False)
    shaped.frames(3)
    assert shaped.app.sound_off
    assert shaped.app.root.ids.side_notice.height == 0
