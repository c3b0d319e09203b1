"""Screens ready before they are needed.

While a resident listens to a screen being read aloud, the screens one touch
away (Next, each choice, each group or service, Home) are built off-screen, in
small slices between frames: make the screen (its .kv rules), fill it
(`prepare`), let Kivy lay it out, then render its words one label a frame. A
touch then only swaps in what is ready. Nothing is prepared while a finger is
on the glass, and a touch is always answered before the next slice.

Prepared screens are ordinary screen instances kept out of the ScreenManager
in a small cache (least recently used out); the one a swap replaces goes back
into the cache, so Back is instant too. The cache is emptied between residents
when the process uses more memory than the terminal allows
(`display.prepared_memory_mib`).

Only screens whose look depends on nothing but (screen, language, place in a
flow, arguments) are prepared: language, home, group and step. The others
(help, keypad, ticket, slip, staff) show what the resident just did.
"""

from __future__ import annotations

import gc
import importlib
import logging
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen, ScreenManager

from kiosk.core.flow import Navigator, Position
from kiosk.ui.textcache import render_like, render_now

log = logging.getLogger(__name__)

PREPARABLE = ("language", "home", "group", "step")
REST_FRAMES = 2  # after a screen change, its own frames come first
LAYOUT_PASSES = 4  # a bound: a prepared screen's labels settle in one or two
# Python's full garbage collection (100-700 ms here) may come after 10 young ones;
# from this many on, it is run while the resident listens rather than in a touch.
FULL_GC_AFTER = 8

Key = tuple[Any, ...]


class KioskScreenManager(ScreenManager):
    """A ScreenManager that can put a prepared screen in place of the one of the
    same name, and changes screens within the frame of the touch (no transition)."""

    def swap_in(self, screen: Screen) -> Screen | None:
        """Manage `screen` instead of the managed screen of its name; returns that one."""
        old = self.get_screen(screen.name) if self.has_screen(screen.name) else None
        if old is None:
            self.add_widget(screen)
            return None
        was_current = self.current_screen is old
        index = self.screens.index(old)
        old.unbind(name=self._screen_name_changed)
        old.manager = None
        screen.manager = self
        screen.bind(name=self._screen_name_changed)
        self.screens[index] = screen
        if was_current:
            self._show_now(screen, old)
        return old

    def show(self, name: str) -> None:
        """Make the screen of this name the shown one, now."""
        screen = self.get_screen(name)
        if screen is not self.current_screen:
            self._show_now(screen, self.current_screen)
        self.current = name  # the same screen: Kivy starts no transition

    def _show_now(self, screen: Screen, old: Screen | None) -> None:
        self.transition.stop()
        if old is not None:
            old.dispatch("on_pre_leave")
            if old.parent is self:
                self.real_remove_widget(old)
        self.real_add_widget(screen)
        # Its size comes with the manager's layout in this frame (a prepared screen
        # already has it: no passing size that would lay its words out again).
        screen.pos = self.pos
        self.current_screen = screen  # the screen-change event others listen to
        screen.dispatch("on_pre_enter")
        if old is not None:
            old.dispatch("on_leave")
        screen.dispatch("on_enter")


class _AsIf:
    """The app as it will be after a touch: another language, another place in a flow."""

    def __init__(self, app: Any, lang: str, position: Position | None):
        self._app = app
        self.lang = lang
        self.navigator = Navigator(app.terminal.bundle)
        if position is not None:
            self.navigator.history = [position]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)


def state_key(app: Any, name: str, kwargs: dict[str, Any], lang: str, position: Any) -> Key | None:
    """What a screen shows, as a key; None for a screen that is not prepared."""
    if name not in PREPARABLE:
        return None
    if name != "step":
        position = None
    elif position is None:
        return None
    return (id(app.terminal.bundle), name, lang, position, tuple(sorted(kwargs.items())))


def one_touch_away(app: Any) -> Iterator[tuple[str, dict[str, Any], str, Position | None]]:
    """The screens a resident can reach with one touch from the shown one, likeliest first."""
    bundle = app.terminal.bundle
    lang = app.lang
    current = app.sm.current
    nav = app.navigator
    if current == "attract":
        yield "language", {}, lang, None
        return
    if current == "language":
        for code in app.terminal.settings["kiosk.languages"]:
            yield "home", {}, code, None
        return
    if current == "home":
        for group in bundle.groups:
            yield "group", {"group_id": group.id}, lang, None
        return
    if current == "group":
        group_id = app.screen.group_id
        for svc in bundle.services_in(group_id):
            yield "step", {}, lang, Position(svc.id, svc.first_step.id)
    elif current == "step" and nav.position is not None:
        service, step = nav.service, nav.step
        if nav.can_go_next():
            yield "step", {}, lang, Position(service.id, service.next_of(step))  # type: ignore[arg-type]
        for choice in step.choices:
            if choice.action is None and choice.go:
                yield "step", {}, lang, Position(service.id, choice.go)
            elif choice.action is None and choice.flow:
                yield (
                    "step",
                    {},
                    lang,
                    Position(choice.flow, bundle.services[choice.flow].first_step.id),
                )
        if len(nav.history) > 1:
            yield "step", {}, lang, nav.history[-2]
    if current != "home":
        yield "home", {}, lang, None


class PreparedScreens:
    """The bounded cache of prepared screens and the slices that fill it."""

    def __init__(self, app: Any, capacity: int):
        self.app = app
        self.capacity = capacity
        self.ready: OrderedDict[Key, Screen] = OrderedDict()
        self.used = 0  # screens shown from the cache
        self.slices = 0  # slices of preparation run
        self.collections = 0  # full garbage collections run while nothing was left to do
        self._plan: list[tuple[Key, str, dict[str, Any], str, Position | None]] = []
        self._job: Iterator[None] | None = None
        self._job_key: Key | None = None
        self._rest = 0
        self._event = Clock.schedule_interval(self._slice, 0) if capacity > 0 else None

    @property
    def busy(self) -> bool:
        """Something is left to do while the resident listens: screens to prepare,
        or a full garbage collection that is due."""
        return (
            self._job is not None
            or bool(self._plan)
            or (self._event is not None and gc.get_count()[2] >= FULL_GC_AFTER)
        )

    def take(self, key: Key | None) -> Screen | None:
        """The prepared screen for this key, out of the cache (None: not ready)."""
        if key is None:
            return None
        screen = self.ready.pop(key, None)
        if screen is not None:
            self.used += 1
        return screen

    def keep(self, key: Key | None, screen: Screen) -> None:
        """A screen the resident left, kept for a return (Back, Home)."""
        if key is None or self.capacity <= 0:
            return
        self.ready[key] = screen
        self.ready.move_to_end(key)
        while len(self.ready) > self.capacity:
            self.ready.popitem(last=False)

    def plan(self) -> None:
        """After a screen change: prepare what is one touch away from it (what is
        already prepared stays, the rest of the old plan is dropped)."""
        if self.capacity <= 0:
            return
        app = self.app
        self._rest = REST_FRAMES
        self._plan = []
        wanted: list[Key] = []
        for name, kwargs, lang, position in one_touch_away(app):
            key = state_key(app, name, kwargs, lang, position)
            if key is None or key in wanted or key == getattr(app.screen, "state_key", None):
                continue
            wanted.append(key)
            if key in self.ready:
                self.ready.move_to_end(key)
            elif key != self._job_key:
                self._plan.append((key, name, kwargs, lang, position))
        self._plan = self._plan[: self.capacity]
        if self._job_key is not None and self._job_key not in wanted:
            self._job = None  # what it was building is no longer one touch away
            self._job_key = None

    def clear(self) -> None:
        """Forget every prepared screen (between residents, when memory demands)."""
        self.ready.clear()
        self._plan = []
        self._job = None
        self._job_key = None

    def stop(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None
        self.clear()

    # -- slices ---------------------------------------------------------------
    def _slice(self, _dt: float = 0) -> None:
        """One small piece of preparation, between frames; none while a finger is down."""
        if EventLoop.touches:
            return  # a finger is on the glass: its touch comes first
        if self._rest > 0:
            self._rest -= 1
            return
        if self._job is None:
            if not self._plan:
                if gc.get_count()[2] >= FULL_GC_AFTER:
                    self.collections += 1
                    gc.collect()  # all is prepared: the resident is listening
                return
            key, name, kwargs, lang, position = self._plan.pop(0)
            self._job_key = key
            self._job = self._build(key, name, kwargs, lang, position)
        self.slices += 1
        try:
            next(self._job)
        except StopIteration:
            self._job = None
            self._job_key = None
        except Exception:  # a screen that cannot be prepared is built when shown, as before
            log.exception("preparing a screen failed")
            self._job = None
            self._job_key = None

    def _build(
        self, key: Key, name: str, kwargs: dict[str, Any], lang: str, position: Position | None
    ) -> Iterator[None]:
        module = importlib.import_module(f"kiosk.ui.screens.{name}")
        screen = module.SCREEN(name=name)  # the .kv rules
        yield
        screen.as_if = _AsIf(self.app, lang, position)
        try:
            # Laid out where it will be shown: a move on the touch would lay it out again.
            title_row = screen.title_in_compact  # (a step's may depend on the step)
            screen.pos, screen.size = self.app.screen_box(screen.show_bars, title_row)
            screen.prepare(**kwargs)
        finally:
            screen.as_if = None
        screen.state_key = key
        # Kivy lays it out and measures its words before the next frame; a layout pass
        # can give a label another box, and so new words to render: until none has.
        for _ in range(LAYOUT_PASSES):
            yield
            rendered = False
            for label in [w for w in screen.walk(restrict=True) if isinstance(w, Label)]:
                if render_now(label):
                    rendered = True
                    yield  # one label's words a frame
            if not rendered:
                break
        # The title in the app's bar (or atop the rails), as it will read on this screen.
        screen.as_if = _AsIf(self.app, lang, position)
        try:
            title = screen.title()
        finally:
            screen.as_if = None
        own_row = self.app.theme.icon_bars
        if title and screen.show_bars and (title_row or not own_row):
            changes: dict[str, Any] = {"font_size": self.app._title_font(title)}
            if own_row:  # the title's row is as wide as the screen it heads
                bar_title = self.app.root.ids.side_title
                changes["text_size"] = (screen.width, None)
            else:
                bar_title = self.app.root.ids.title
            render_like(bar_title, title, **changes)
        self.keep(key, screen)
