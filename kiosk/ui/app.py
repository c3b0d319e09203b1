"""The Kivy app: a small class that holds the resident's language and session,
shows screens, and hands everything else to the core.

The bars at the top (title, speaker) and bottom (back, home, call a helper) are
the app's, not the screens', so those buttons sit in the same place on every
screen. While a resident listens, the screens one touch away are prepared
(kiosk.ui.prepared), and label texts are rendered once (kiosk.ui.textcache). Background work (speech, printing, the hub) reports back through
`on_ui`, the one place that crosses onto the UI thread.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.base import stopTouchApp
from kivy.clock import Clock
from kivy.config import ConfigParser
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.label import Label
from kivy.uix.screenmanager import NoTransition

from kiosk.core import access
from kiosk.core.content.model import Action, StepKind, Text
from kiosk.core.flow import Navigator
from kiosk.core.lockdown import ExitGesture, StaffPin
from kiosk.core.narration.numbers import ticket_words
from kiosk.core.narration.script import Line
from kiosk.core.session import IdleState, IdleTimer, ResidentSession, TouchGuard
from kiosk.core.terminal import Terminal
from kiosk.ui import textcache, widgets  # noqa: F401  (widgets: PictoButton, Icon, Text for .kv)
from kiosk.ui.access import Access
from kiosk.ui.audio import ui_schedule
from kiosk.ui.prepared import KioskScreenManager, PreparedScreens, state_key
from kiosk.ui.theme import make_theme, register_fonts, text_width

log = logging.getLogger(__name__)

# The queue position is asked at once, then after these delays while the hub does
# not know the ticket yet, then every QUEUE_EVERY seconds.
QUEUE_FIRST_ASKS = (0.5, 1.0, 2.0, 4.0, 8.0)
QUEUE_OFFLINE_AFTER = 3  # unanswered asks (about 2 s) before "no connection" shows
QUEUE_EVERY = 20.0
# SIGTERM/SIGINT: the app stops cleanly within this; if anything hangs, the
# process ends anyway (systemd would otherwise wait and SIGKILL it).
STOP_SECONDS = 1.8
# Kiosk mode on X: how often the X server is asked whether the window is still shown.
MAP_CHECK_SECONDS = 0.5

SCREENS = (
    "attract",
    "language",
    "home",
    "group",
    "step",
    "help",
    "keypad",
    "ticket",
    "slip",
    "staff",
)


def on_ui(fn: Callable[..., Any]) -> Callable[..., None]:
    """Wrap a callback from a worker thread so it runs on the UI thread."""
    return lambda *args, **kwargs: ui_schedule(lambda: fn(*args, **kwargs))


def _release_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's malloc_trim; a no-op
    elsewhere), so memory freed between residents shows in the terminal's PSS."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


@functools.lru_cache(maxsize=512)
def title_font(text: str, width: float, sizes: tuple[int, ...]) -> int:
    """The first of `sizes` at which `text` fits `width` on one line: measured once
    per text and width."""
    for size in sizes:
        if width <= 0 or text_width(text, size) <= width:
            return size
    return sizes[-1]


class KomekApp(App):
    lang = StringProperty("az")
    title_text = StringProperty("")
    title_size = NumericProperty(10)
    bars = BooleanProperty(False)  # top and bottom bars shown
    title_row = BooleanProperty(True)  # with side rails: the title heads the screen
    can_back = BooleanProperty(True)
    can_help = BooleanProperty(True)
    can_home = BooleanProperty(True)
    can_again = BooleanProperty(False)  # the ticket screen's "say my number again"
    again_text = StringProperty("")
    # Large letters on a 7-inch panel (theme.tight): "More" in the bottom bar turns
    # the shown screen's page (in the bar only then: every other bar keeps its layout).
    can_more = BooleanProperty(False)
    sound_off = BooleanProperty(False)
    slow = BooleanProperty(False)
    large = BooleanProperty(False)  # large letters and high contrast (kiosk.ui.access)
    theme = ObjectProperty(None, rebind=True)  # kv rules using app.theme.x follow a new theme
    terminal = ObjectProperty(None)

    def __init__(
        self, terminal: Terminal, now: Callable[[], float] = time.monotonic, **kwargs: Any
    ):
        register_fonts()
        textcache.install()  # before the first label is made
        super().__init__(**kwargs)
        self.terminal = terminal
        self.theme = make_theme(terminal.settings, Window.size)
        self.access = Access(self)
        self.kv_file = str(Path(__file__).with_name("app.kv"))
        self.now = now
        self.navigator = Navigator(terminal.bundle)
        self.resident = ResidentSession(self.default_lang)
        self.idle = IdleTimer(
            terminal.settings["session.idle_seconds"],
            terminal.settings["session.countdown_seconds"],
        )
        self.trail: list[tuple[str, dict[str, Any]]] = []
        self.armed: Any = None  # the choice touched once, with touch-to-hear on
        self.help_topic: str | None = None
        self.queue: Any = None  # the hub's QueueStatus for the resident's ticket
        self._queue_event: Any = None
        self._queue_asks = 0
        self._refusal_said = ""  # the ticket whose refusal by the hub was said aloud
        self.idle_prompt: Any = None
        self.lang = self.default_lang
        self.sound_off = not terminal.narrator.available
        self.guard = TouchGuard(self.guard_seconds)
        self._shown = 0  # screens shown so far, to tell a frame's screen from a later one
        self._changes_within = 0  # of those, changes within a screen (a page, a prompt)
        self.exit_gesture = ExitGesture(corner_px=self.theme.button)
        self.staff_pin = StaffPin(terminal.settings["kiosk.exit_pin_hash"])
        self.exit_code = 0
        self.prepared: PreparedScreens | None = None
        self._stopped = False
        self._map_watch: Any = None  # kiosk mode on X: whether the window is shown
        self._hidden = False

    # -- set-up ---------------------------------------------------------------
    @property
    def default_lang(self) -> str:
        return self.terminal.settings["kiosk.languages"][0]

    @property
    def guard_seconds(self) -> float:
        return self.terminal.settings["session.touch_guard_ms"] / 1000

    def load_config(self) -> ConfigParser:
        # Settings come from config/kiosk.toml; Kivy's own ini file is not used.
        self.config = ConfigParser()
        return self.config

    def build(self) -> Any:
        from kiosk.ui.screens import load_screens
        from kiosk.ui.screens.idle import IdlePrompt

        self.title = "Kömək"
        root = self.root_widget_from_kv()
        self.sm: KioskScreenManager = root.ids.screens
        self._bottom_bar = root.ids.bottom_bar
        self.bar_more = Factory.BarButton(icon="dots-horizontal", width=self.theme.button)
        self.bar_more.bind(on_release=lambda b: self.touch_choice(b, self.more_page))
        self.sm.transition = NoTransition()
        self.prepared = PreparedScreens(self, self.terminal.settings["display.prepared_screens"])
        # Only the attract screen before the first frame; the rest right after it,
        # while the attract screen shows (a faster start, no wait on first touch).
        self.sm.add_widget(load_screens(("attract",))[0])
        Window.bind(on_flip=self._first_frame_drawn)
        Window.bind(on_flip=self._frame_drawn)
        self.idle_prompt = IdlePrompt()
        Window.bind(on_touch_down=self._on_any_touch, size=lambda *_a: self.apply_display())
        self.access.bind()  # before kiosk mode's key handler: keys reach guided mode first
        if self.terminal.settings["kiosk.kiosk_mode"]:
            Window.bind(on_request_close=self._refuse_close, on_keyboard=self._on_key)
            Window.bind(on_minimize=self._unminimize)
            Clock.schedule_once(lambda _dt: self._watch_mapped(), 0)
        Window.bind(on_restore=self._redraw, on_show=self._redraw)
        Clock.schedule_interval(self._tick_idle, 0.5)
        self.show("attract", push=False)
        self._start_watchdog()
        return root

    def _first_frame_drawn(self, *_args: Any) -> None:
        Window.unbind(on_flip=self._first_frame_drawn)
        Clock.schedule_once(lambda _dt: self._screen(SCREENS[-1]), 0)
        Clock.schedule_once(lambda _dt: self.terminal.start(), 0)
        Clock.schedule_once(lambda _dt: self._settle_memory(), 0)  # after the two above

    def _settle_memory(self) -> None:
        """Everything made at start (the screens, fonts, content, Kivy itself) lives as
        long as the app: Python's collector stops walking it (gc.freeze), so a
        collection that falls in a touch is short."""
        gc.collect()
        gc.freeze()

    def _screen(self, name: str) -> Any:
        """A screen, built on first use (all of them are built after the first frame)."""
        if not self.sm.has_screen(name):
            from kiosk.ui.screens import load_screens

            for screen in load_screens(tuple(n for n in SCREENS if not self.sm.has_screen(n))):
                self.sm.add_widget(screen)
        return self.sm.get_screen(name)

    def _start_watchdog(self) -> None:
        """Tell systemd we are up once a frame is drawn, then keep telling it from
        the UI thread's clock, so a frozen UI is restarted (WatchdogSec in the unit)."""
        import sdnotify

        notifier = sdnotify.SystemdNotifier()
        Clock.schedule_once(lambda _dt: notifier.notify("READY=1"), 0)
        Clock.schedule_interval(lambda _dt: notifier.notify("WATCHDOG=1"), 10)

    def root_widget_from_kv(self) -> Any:
        from kivy.factory import Factory

        return Factory.KioskRoot()

    def on_stop(self) -> None:
        if self._stopped:
            return  # Kivy dispatches on_stop again as run() returns
        self._stopped = True
        if self.prepared is not None:
            self.prepared.stop()
        if self._map_watch is not None:
            self._map_watch.close()
        self.terminal.close(timeout=STOP_SECONDS / 2)
        log.info("terminal closed")

    def run(self) -> None:
        """The real app (the off-screen harness builds it without run())."""
        self._catch_stop_signals()
        super().run()

    def _stop(self, *_args: Any) -> None:
        """Kivy's stop less its tidying: Kivy then takes the screens off the window and
        forgets the running app, and any layout still pending in that frame evaluates
        kv rules that read `app` (the tile buttons') and crashes the stop, so the
        process exits non-zero and systemd counts a failure. The process ends right
        after this; there is nothing to tidy."""
        self.dispatch("on_stop")
        stopTouchApp()

    def _catch_stop_signals(self) -> None:
        """SIGTERM (systemd stop, reboot) and SIGINT stop the app cleanly, in kiosk mode
        too. SDL turns SIGTERM into a window-close request, which kiosk mode refuses;
        these handlers replace SDL's (the window exists once kivy.core.window is imported)."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_stop_signal)

    def _on_stop_signal(self, signum: int, _frame: Any) -> None:
        log.info("%s: stopping", signal.Signals(signum).name)
        # A last resort: the process ends in time even if a device hangs the stop.
        deadline = threading.Timer(STOP_SECONDS, os._exit, args=(0,))
        deadline.daemon = True
        deadline.start()
        # At the start of the next frame: once stopped, Kivy runs nothing more in it.
        Clock.schedule_once(lambda _dt: self.stop(), 0)

    # -- lockdown ---------------------------------------------------------------
    def _refuse_close(self, *_args: Any, **_kwargs: Any) -> bool:
        log.info("window close ignored in kiosk mode")
        return True

    def _on_key(self, _window: Any, key: int, *_args: Any) -> bool:
        # Esc would close a Kivy app; in kiosk mode no key does anything.
        return True

    def _watch_mapped(self) -> None:
        """Kiosk mode: a window manager may hide the window without a word to SDL
        (matchbox unmaps only its frame on a minimise request from any client), so
        the X server is asked twice a second whether the window is shown."""
        from kiosk.ui.xwindow import MapWatch

        self._map_watch = MapWatch.of_kivy_window(Window)
        if self._map_watch is not None:
            Clock.schedule_interval(self._keep_mapped, MAP_CHECK_SECONDS)

    def _keep_mapped(self, _dt: float = 0) -> None:
        if self._map_watch is None or self._stopped:
            return
        if self._map_watch.viewable():
            self._hidden = False
            return
        if not self._hidden:  # once per time it is hidden; the asking goes on until shown
            log.info("window hidden by the window manager: shown again")
            self._hidden = True
        self._show_again()

    def _unminimize(self, *_args: Any) -> None:
        """A window manager minimised the kiosk (and SDL saw it): bring it back."""
        log.info("window minimised: restored")
        Clock.schedule_once(lambda _dt: self._show_again(), 0)

    def _show_again(self) -> None:
        """Map the window again and draw it. Each call does what SDL can for the way it
        was hidden: restore (SDL saw it minimised), show (SDL saw it unmapped), raise
        (SDL saw nothing: _NET_ACTIVE_WINDOW asks the window manager to show it)."""
        Window.restore()
        Window.show()
        Window.raise_window()
        self._redraw()

    def _redraw(self, *_args: Any) -> None:
        """Shown again (restored, re-mapped): draw the whole screen, never leave it black."""
        Window.canvas.ask_update()

    def leave_kiosk_mode(self) -> None:
        """The staff PIN was right: stop the app (systemd leaves it stopped after a clean exit)."""
        log.warning("staff left kiosk mode")
        self.stop()

    # -- screens ----------------------------------------------------------------
    @property
    def screen(self) -> Any:
        return self.sm.current_screen

    def show(self, name: str, push: bool = True, **kwargs: Any) -> None:
        """Show a screen and read it aloud: the prepared one if it is ready, else
        this screen filled now."""
        self.disarm()
        self.access.screen_shown()
        key = state_key(self, name, kwargs, self.lang, self.navigator.position)
        screen = self.prepared.take(key) if self.prepared else None
        if screen is not None:
            self._screen(name)  # the screens are made (after the first frame)
            replaced = self.sm.swap_in(screen)
            if replaced is not None:
                self.prepared.keep(replaced.state_key, replaced)  # type: ignore[union-attr]
        else:
            screen = self._screen(name)
            screen.prepare(**kwargs)
            screen.state_key = key
        if push:
            self.trail.append((name, kwargs))
        # The frame first: the screen is then laid out once, in its final box.
        self.bars = screen.show_bars
        self.can_back = screen.show_bars and screen.offers_back
        self.can_home = name != "home" and not screen.finished
        self.can_help = screen.offers_help
        self.can_again = name == "ticket"
        self.again_text = self.terminal.bundle.string(access.TICKET_AGAIN, self.lang)
        self.sound_off = not self.terminal.narrator.available
        self.title_row = screen.title_in_compact
        self.show_more(screen)
        self.title_text = screen.title()
        self.title_size = self._title_font(self.title_text)
        self.sm.show(name)
        self.say(screen.narration())
        self._screen_changed()
        if self.prepared is not None:
            self.prepared.plan()

    def show_more(self, screen: Any = None) -> None:
        """The bottom bar's "More" (after home), where large letters on a 7-inch panel
        (theme.tight) leave the shown screen more than one page; out of the bar elsewhere."""
        screen = screen if screen is not None else self.sm.current_screen
        pages = getattr(screen, "pages", 1) if hasattr(screen, "next_page") else 1
        self.can_more = bool(self.theme.tight and self.bars and pages > 1)
        bar, more = self._bottom_bar, self.bar_more
        if self.can_more:
            more.width = more.height = self.theme.button
            words = self.terminal.bundle.strings.get("nav.more")
            more.line = Line(words, self.lang) if words else None
            if more.parent is None:
                bar.add_widget(more, index=bar.children.index(bar.parent.ids.home))
        elif more.parent is not None:
            more.parent.remove_widget(more)

    def more_page(self) -> None:
        """ "More" in the bar: the shown screen's next page (its words read aloud)."""
        screen = self.sm.current_screen
        if hasattr(screen, "next_page"):
            screen.next_page()

    def screen_box(
        self, bars: bool, title_row: bool = True
    ) -> tuple[tuple[float, float], tuple[float, float]]:
        """Where a screen will stand, (x, y) and (width, height): between the bars
        (or the whole window without them); `title_row`: with side rails, whether
        the title heads the screen. Worked out from the window's shape, not from
        the screen now laid out, so it holds before any layout pass: a screen
        prepared in this box is not laid out again when shown, and a screen can cut
        its lists into pages that fit."""
        theme = self.theme
        x, y, width, height = 0.0, 0.0, float(theme.width), float(theme.height)
        if bars:
            if theme.rails:  # the left rail moves the screen right
                x, width = x + theme.bar, width - 2 * theme.bar
            else:  # the bottom bar moves it up
                y, height = y + theme.bar, height - 2 * theme.bar
        if theme.icon_bars and self.root is not None:  # the sound notice under it (app.kv)
            notice = self.root.ids.side_notice.height
            y, height = y + notice, height - notice
        if theme.icon_bars and bars and title_row:  # the title's row above it (app.kv)
            height -= theme.title_row
        return (x, y), (width, height)

    def where(self) -> str:
        """The screen shown, for the log: 'step social-assistance/who', 'group social'.
        Never what the resident typed."""
        if self.idle_prompt is not None and self.idle_prompt.is_open:
            return "idle prompt"
        name = self.sm.current
        if name == "step" and self.navigator.position is not None:
            pos = self.navigator.position
            pages = getattr(self.screen, "pages", 1)
            page = f" page {self.screen.page + 1}/{pages}" if pages > 1 else ""
            return f"step {pos.service_id}/{pos.step_id}{page}"
        if name == "group":
            pages = self.screen.pages
            page = f" page {self.screen.page + 1}/{pages}" if pages > 1 else ""
            return f"group {self.screen.group_id}{page}"
        return name

    def changed_within(self) -> None:
        """What is under a finger changed within the shown screen (another page of a
        list, a prompt opened or closed): the touch guard starts again, as for a new
        screen, so the second tap of a double tap never lands on what came in."""
        self._screen_changed()
        self._changes_within += 1

    @property
    def screens_shown(self) -> int:
        """Screens shown so far, not counting changes within one (a page, a prompt)."""
        return self._shown - self._changes_within

    def _screen_changed(self) -> None:
        """Every screen shown (or refilled) starts the touch guard: touches count again
        only after its first frame is drawn and the guard time has passed."""
        self.guard.guard_seconds = self.guard_seconds
        self.guard.screen_changed()
        self._shown += 1
        Window.canvas.ask_update()  # a frame is drawn even if nothing looks different

    def _frame_drawn(self, *_args: Any) -> None:
        # on_flip comes before the buffers are swapped, and with software GL the swap
        # itself can take longer than the guard: the frame counts as seen from the
        # start of the next one. A touch that arrived meanwhile is handled after that
        # and falls in the guard.
        if self.guard.drawn_at is None:
            shown, where = self._shown, self.where()

            def seen(_dt: float) -> None:
                if shown == self._shown:  # not a screen shown after this frame was drawn
                    self.guard.drawn(self.now())
                    log.info("screen %s", where)  # drawn: what the resident sees now

            Clock.schedule_once(seen, 0)

    def _title_font(self, text: str) -> int:
        """The title's size: the theme's, or a step smaller for a long title (one line
        if it can; at the smallest size it wraps by words)."""
        sizes = (self.theme.title, self.theme.label, self.theme.small)
        return title_font(text, self._title_width(), sizes)

    def _title_width(self) -> float:
        """The room the title has beside the top bar's buttons (known before layout)."""
        if not self.root:
            return 0
        if self.theme.icon_bars:  # the title's own row, between the rails if any
            rails = 2 * self.theme.bar if self.theme.rails else 0
            return Window.width - rails - self.theme.mm(4)
        bar = self.root.ids.top_bar
        buttons = [w for w in bar.children if not isinstance(w, Label)]
        return (
            Window.width
            - bar.padding[0]
            - bar.padding[2]
            - sum(b.width + bar.spacing for b in buttons)
        )

    def apply_display(self) -> None:
        """Lay the screens out again for the window's size and display.dpi (a window
        resized or rotated, or the settings changed): the theme follows, and the
        screen now shown is filled again in its new arrangement."""
        theme = make_theme(self.terminal.settings, Window.size, large=self.large)
        if theme == self.theme:
            return
        log.info("display: %sx%s at %s dpi (%s)", theme.width, theme.height, theme.dpi, theme.shape)
        self.theme = theme
        if self.prepared is not None:
            self.prepared.clear()  # laid out for the old shape
        if self.root is not None and self.sm.current_screen is not None:
            name = self.sm.current
            screen = self.sm.current_screen
            Clock.schedule_once(lambda _dt: self._refill(name, screen), 0)

    def _refill(self, name: str, screen: Any) -> None:
        # Screens whose arrangement is built in Python (grids, pages) are built again;
        # the rest follow the theme through their .kv rules.
        if self.sm.current == name and name in ("language", "home", "group", "step"):
            kwargs = self.trail[-1][1] if self.trail and self.trail[-1][0] == name else {}
            screen.prepare(**kwargs)
            self.show_more(screen)
        self.title_size = self._title_font(self.title_text)

    def say(self, lines: list[Line]) -> None:
        self.terminal.narrator.say(lines)

    def repeat(self) -> None:
        self.disarm()
        self.terminal.narrator.repeat()

    def louder(self) -> None:
        self.terminal.narrator.louder()

    def softer(self) -> None:
        self.terminal.narrator.softer()

    def set_large(self, on: bool, say: bool = True) -> None:
        """Large letters and high contrast on or off (the language screen's toggle, a
        key): every screen is laid out again for it."""
        if on == self.large:
            return
        self.large = on
        self.apply_display()
        if say:
            said = access.LARGE_ON if on else access.LARGE_OFF
            self.say([Line(self.terminal.bundle.strings[said], self.lang)])

    def say_ticket(self) -> None:
        """The ticket number again (the ticket key, the ticket screen's button)."""
        ticket = self.resident.ticket
        if not ticket:
            self.say([Line(self.terminal.bundle.strings[access.NO_TICKET], self.lang)])
            return
        strings = self.terminal.bundle.strings
        number = Text({self.lang: ticket_words(ticket, self.lang)})
        self.say([Line(strings["ticket.say"], self.lang), Line(number, self.lang)])

    def toggle_slow(self) -> None:
        self.slow = not self.slow
        self.terminal.narrator.set_slow(self.slow)
        self.repeat()

    def go_back(self) -> None:
        if self.sm.current == "step" and self.navigator.back() is not None:
            self.show("step", push=False)
            return
        if self.trail:
            self.trail.pop()
        if not self.trail:
            self.start_over()
            return
        name, kwargs = self.trail[-1]
        if name == "step" and self.navigator.position is None:
            self.trail.pop()
            name, kwargs = self.trail[-1] if self.trail else ("home", {})
        self.show(name, push=False, **kwargs)

    def go_home(self) -> None:
        self.navigator.reset()
        self.trail = [("language", {})]
        self.show("home")

    def finish(self) -> None:
        """The resident is done (Done after the slip or the ticket, or that screen's
        timeout): the session ends and the attract screen waits for the next person."""
        log.info("resident done: session ended")
        self.start_over()

    def start_over(self) -> None:
        """Forget the resident entirely and show the attract screen."""
        self.terminal.narrator.stop()
        self.terminal.narrator.reset_for_new_resident()
        self.navigator.reset()
        self.resident = ResidentSession(self.default_lang)
        self.help_topic = None
        self.queue = None
        self.lang = self.default_lang
        self.slow = False
        self.access.reset()
        self.set_large(False, say=False)
        self.trail = []
        if self.idle_prompt is not None:
            self.idle_prompt.close()
        self._drop_prepared_if_memory_demands()
        self._maybe_switch_content()
        self.show("attract", push=False)

    def _drop_prepared_if_memory_demands(self) -> None:
        """Between residents: above the memory budget, prepared screens and rendered
        texts go (they are made again while the next resident listens)."""
        from kiosk.core.proc import pss_kib

        limit_kib = self.terminal.settings["display.prepared_memory_mib"] * 1024
        if self.prepared is not None and pss_kib() > limit_kib:
            log.info("memory above %s KiB between residents: prepared screens dropped", limit_kib)
            self.prepared.clear()
            textcache.CACHE.clear()
            # Now, not at some later touch: the dropped screens are freed (their
            # textures go to textcache.POOL) and the C heap's free pages go back.
            gc.collect()
            textcache.POOL.tidy()
            _release_free_memory()

    def _maybe_switch_content(self) -> None:
        """A new content bundle goes in only here, with nobody mid-flow."""
        if self.terminal.between_residents():
            self.content_changed()

    def content_changed(self) -> None:
        """The terminal's bundle was replaced: rebuild from it (only with nobody mid-flow)."""
        self.navigator = Navigator(self.terminal.bundle)
        if self.prepared is not None:
            self.prepared.clear()  # screens of the old content
        self.property("lang").dispatch(self)  # the bars re-read their words
        if self.sm.current == "attract":
            self.sm.current_screen.prepare()

    # -- what residents touch ---------------------------------------------------
    def begin(self) -> None:
        """First touch on the attract screen: a new resident."""
        self.resident = ResidentSession(self.default_lang)
        self.idle.touch(self.now())
        self.trail = []
        self._finished_counted: set[str] = set()
        self.terminal.count("sessions", None)
        self.show("language")

    def choose_language(self, code: str) -> None:
        self.lang = code
        self.resident.lang = code
        self.show("home")

    def open_group(self, group_id: str) -> None:
        self.show("group", group_id=group_id)

    def open_service(self, service_id: str) -> None:
        self.navigator.start(service_id)
        self.terminal.count("opened", service_id)
        self.show("step")

    def next_step(self) -> None:
        self.navigator.next()
        self._count_finished()
        self.show("step", push=False)

    def _count_finished(self) -> None:
        """A flow's finish step reached: counted once per service and resident."""
        nav = self.navigator
        if nav.position is None or nav.step.kind != StepKind.FINISH:
            return
        done = getattr(self, "_finished_counted", set())
        if nav.service.id not in done:
            done.add(nav.service.id)
            self._finished_counted = done
            self.terminal.count("finished", nav.service.id)

    def choose(self, index: int) -> None:
        outcome = self.navigator.choose(index)
        if outcome.action == Action.HOME:
            self.go_home()
        elif outcome.action == Action.SLIP:
            self.print_slip()
        elif outcome.action == Action.HELP:
            self.call_helper()
        else:
            self._count_finished()
            self.show("step", push=False)

    def touch_choice(self, button: Any, act: Callable[[], None]) -> None:
        """A choice was touched. With touch-to-hear on, the first touch only speaks it."""
        if (
            self.terminal.settings["narration.touch_to_hear"]
            and not self.access.acting  # chosen by key or double tap: at once
            and button.line is not None
            and self.armed is not button
        ):
            self.disarm()
            self.armed = button
            button.armed = True
            self.say([button.line])
            return
        self.disarm()
        act()

    def disarm(self) -> None:
        if self.armed is not None:
            self.armed.armed = False
            self.armed = None

    def call_helper(self) -> None:
        if self.resident.ticket:
            self.show("ticket")
        else:
            self.help_topic = self.navigator.topic
            # No ticket can be stored (full disk): the "go to a person" words at once.
            self.show("help", topic=self.help_topic, failed=not self.terminal.help_available())

    def issue_ticket(self, phone: str) -> None:
        """The ticket is written to the local outbox before it is shown."""
        try:
            ticket = self.terminal.request_help(self.help_topic, self.resident.id, phone, self.lang)
        except Exception as exc:  # a full disk or a broken database: no ticket we could keep
            log.exception("no ticket issued")
            self.terminal.record_fault(f"help request not stored: {exc}")
            self.show("help", push=False, topic=self.help_topic, failed=True)
            return
        self.resident.ticket = ticket
        self.resident.phone = ""  # delivered with the request; not kept on the terminal's screen
        while self.trail and self.trail[-1][0] in ("help", "keypad"):
            self.trail.pop()
        self.queue = None
        self._queue_asks = 0
        self.show("ticket", printed=False)
        self._ask_queue()
        self.terminal.print_ticket_slip(
            ticket, self.help_topic, self.lang, on_ui(self._ticket_printed)
        )

    def _ticket_printed(self, ok: bool) -> None:
        """The number is on screen and spoken either way; a printed slip is to be taken."""
        if ok and self.sm.current == "ticket" and self.resident.ticket:
            self.show("ticket", push=False, printed=True)

    def _ask_queue(self, _dt: float = 0) -> None:
        """How many are ahead: asked of the hub in the background while the ticket
        shows; at once, then soon again until the hub knows the ticket, then every
        QUEUE_EVERY seconds."""
        if self._queue_event is not None:
            self._queue_event.cancel()
            self._queue_event = None
        if self.sm.current != "ticket" or not self.resident.ticket:
            return
        self.terminal.queue_status(self.resident.ticket, on_ui(self._queue_answer))
        soon = QUEUE_FIRST_ASKS[self._queue_asks : self._queue_asks + 1]
        self._queue_asks += 1
        delay = QUEUE_EVERY if self.queue is not None or not soon else soon[0]
        self._queue_event = Clock.schedule_once(self._ask_queue, delay)

    def _queue_answer(self, status: Any) -> None:
        if status is not None:
            self.queue = status
        if self.sm.current == "ticket":
            # No answer after the first quick asks: the hub is out of reach; say so.
            offline = status is None and self._queue_asks >= QUEUE_OFFLINE_AFTER
            # Refused by the hub: this number will not be called; send them to a person.
            refused = status is None and self.terminal.ticket_refused(self.resident.ticket)
            if refused and self._refusal_said != self.resident.ticket:
                self._refusal_said = self.resident.ticket
                self.say([Line(self.terminal.bundle.strings["ticket.refused"], self.lang)])
            self.sm.current_screen.show_queue(self.queue, offline=offline, refused=refused)

    def print_slip(self) -> None:
        service_id = self.navigator.topic
        self.show("slip", service_id=service_id, state="printing")
        self.terminal.print_service_slip(service_id, self.lang, on_ui(self._slip_printed))

    def _slip_printed(self, ok: bool) -> None:
        if self.sm.current != "slip":
            return  # the resident has moved on
        screen = self.sm.get_screen("slip")
        self.show(
            "slip", push=False, service_id=screen.service_id, state="printed" if ok else "failed"
        )

    # -- idle -------------------------------------------------------------------
    def _on_any_touch(self, window: Any, touch: Any) -> bool:
        """Every touch-down passes here first: it keeps the session alive, and it is
        dropped (True) when it came too soon after a screen change."""
        now = self.now()
        self.idle.touch(now)
        if self.exit_gesture.touch(touch.x, window.height - touch.y, now):
            self.show("staff")
            return True
        if self.idle_prompt is not None and self.idle_prompt.is_open:
            self.idle_prompt.close()
            self.screen.cover_personal(False)
            self.screen_resumed()
            self.changed_within()  # a second tap does not reach the screen under it
            return True  # the touch only said "more time"
        if not self.guard.allows(now):
            log.debug("touch dropped: %s screen shown too recently", self.sm.current)
            return True
        if self.access.guided and self.sm.current != "attract":
            self.access.explore(touch.x, touch.y, now)  # says it; a double tap chooses
            return True
        return False

    def screen_resumed(self) -> None:
        self.terminal.narrator.stop()

    def _tick_idle(self, _dt: float = 0) -> None:
        if self.sm.current == "attract":
            self._maybe_switch_content()
            return
        if self.screen.finished:
            # Done: no "more time?" question, the session ends after its own timeout.
            if self.idle.quiet(self.now()) >= self.terminal.settings["session.finished_seconds"]:
                self.finish()
            return
        state = self.idle.state(self.now())
        if state == IdleState.ACTIVE:
            return
        if state == IdleState.EXPIRED:
            log.info("resident left: starting over")
            self.start_over()
            return
        if not self.idle_prompt.is_open:
            self.screen.cover_personal(True)  # typed digits never show around the prompt
            self.idle_prompt.open_for(self)
            self.changed_within()
        self.idle_prompt.remaining = self.idle.remaining(self.now())
