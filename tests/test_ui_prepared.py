"""Screens one touch away are prepared while the resident listens; a touch swaps
them in. Label texts are rendered once and shared. No wall-clock times here:
the tests assert which screen object is shown, what the caches hold, and what
ran in which order."""

import pytest

from kiosk.core.flow import Position
from kiosk.ui.prepared import state_key
from kiosk.ui.textcache import CACHE

pytestmark = pytest.mark.ui

LISTEN_FRAMES = 400  # a bound, not a time: preparation normally needs a few dozen


def buttons(container):
    return list(reversed(container.children))


def listen(ui):
    """The resident listens until the app has prepared what is one touch away."""
    for _ in range(LISTEN_FRAMES):
        if not ui.app.prepared.busy:
            return
        ui.frames(1)
    raise AssertionError("preparation did not finish")


def at_home(ui):
    ui.tap(ui.app.sm.get_screen("attract").ids.start)
    ui.tap(buttons(ui.app.sm.get_screen("language").view)[0])
    assert ui.current == "home"


def test_a_group_prepared_while_listening_is_the_screen_a_touch_shows(ui):
    at_home(ui)
    app = ui.app
    listen(ui)
    group = app.terminal.bundle.groups[0]
    key = state_key(app, "group", {"group_id": group.id}, app.lang, None)
    ready = app.prepared.ready[key]
    used = app.prepared.used
    rendered = CACHE.misses
    ui.tap(buttons(app.sm.get_screen("home").view)[0])
    assert ui.current == "group"
    assert app.sm.current_screen is ready
    assert app.prepared.used == used + 1
    assert app.title_text == group.title(app.lang)
    assert CACHE.misses == rendered  # not even the new title was rendered on the touch


def test_next_shows_the_prepared_step_and_back_the_step_it_left(ui):
    at_home(ui)
    app = ui.app
    ui.tap(buttons(app.sm.get_screen("home").view)[0])
    ui.tap(buttons(app.sm.get_screen("group").view)[0])
    assert ui.current == "step"
    first = app.sm.current_screen
    service = app.navigator.service
    listen(ui)
    following = Position(service.id, service.next_of(app.navigator.step))
    ready = app.prepared.ready[state_key(app, "step", {}, app.lang, following)]
    rendered = CACHE.misses
    ui.tap(first.ids.next)
    assert app.navigator.position == following
    assert app.sm.current_screen is ready
    assert CACHE.misses == rendered  # the touch rendered no text: all of it was ready
    assert app.sm.get_screen("step") is ready
    assert ready.ids.words.text == app.navigator.step.text(app.lang)
    listen(ui)
    ui.tap(app.root.ids.back)  # the step it left was kept, not built again
    assert app.sm.current_screen is first
    assert first.ids.words.text == app.navigator.step.text(app.lang)


def test_a_swapped_in_screen_is_a_screen_change_others_can_hear(ui):
    """Whoever listens for screen changes (the touch guard) hears a prepared swap too."""
    at_home(ui)
    app = ui.app
    ui.tap(buttons(app.sm.get_screen("home").view)[0])
    ui.tap(buttons(app.sm.get_screen("group").view)[0])
    listen(ui)
    changes = []
    app.sm.bind(current_screen=lambda _sm, screen: changes.append(screen))
    used = app.prepared.used
    ui.tap(app.sm.current_screen.ids.next)
    assert app.prepared.used == used + 1
    assert changes == [app.sm.current_screen]


def test_the_cache_of_prepared_screens_is_bounded(ui):
    app = ui.app
    capacity = app.prepared.capacity
    app.prepared.capacity = 2
    try:
        at_home(ui)
        assert len(app.terminal.bundle.groups) > 2
        listen(ui)
        assert len(app.prepared.ready) <= 2
        ui.tap(buttons(app.sm.get_screen("home").view)[0])
        ui.tap(buttons(app.sm.get_screen("group").view)[0])
        listen(ui)
        assert len(app.prepared.ready) <= 2
    finally:
        app.prepared.capacity = capacity
        app.prepared.clear()


def test_a_touch_during_preparation_is_answered_first(ui):
    from kivy.base import EventLoop

    from kiosk.ui.harness import _Finger

    # The touch comes before the double-tap guard has passed; this test is about
    # preparation yielding to a finger, so the guard is off here.
    ui.app.terminal.settings = ui.base_settings.replace(session__touch_guard_ms=0)
    at_home(ui)
    app = ui.app
    for _ in range(LISTEN_FRAMES):  # preparation under way, not finished
        ui.frames(1)
        if app.prepared.slices and app.prepared.busy:
            break
    assert app.prepared.busy
    button = buttons(app.sm.get_screen("home").view)[1]
    x, y = button.to_window(button.center_x, button.center_y)
    finger = _Finger(x, y)
    slices = app.prepared.slices
    EventLoop.post_dispatch_input("begin", finger)
    ui.frames(5)
    assert app.prepared.slices == slices  # nothing is prepared while a finger is down
    EventLoop.post_dispatch_input("end", finger)
    assert ui.current == "group"  # answered at once
    assert app.prepared.slices == slices
    ui.frames(1)
    assert app.prepared.slices == slices  # the new screen's own frame comes first


def test_prepared_screens_and_texts_go_between_residents_when_memory_demands(ui):
    from kiosk.ui.textcache import CACHE

    app = ui.app
    app.terminal.settings = ui.base_settings.replace(display__prepared_memory_mib=65536)
    at_home(ui)
    listen(ui)
    assert app.prepared.ready and len(CACHE)
    app.start_over()  # within the budget: kept for the next resident
    assert app.prepared.ready
    app.terminal.settings = ui.base_settings.replace(display__prepared_memory_mib=64)
    app.start_over()
    assert not app.prepared.ready
    assert len(CACHE) == 0
    assert ui.current == "attract"


def test_screens_dropped_between_residents_are_freed_at_once(ui):
    """The memory drop is real: the dropped screens are freed then (their textures
    go to the pool, to be drawn into again), not at some later touch."""
    import gc
    import weakref

    from kiosk.ui.textcache import POOL

    app = ui.app
    at_home(ui)
    listen(ui)
    dropped = [weakref.ref(screen) for screen in app.prepared.ready.values()]
    assert dropped
    free = POOL.free + POOL.let_go
    app.terminal.settings = ui.base_settings.replace(display__prepared_memory_mib=64)
    gc.disable()  # only the drop itself may collect
    try:
        app.start_over()
    finally:
        gc.enable()
    assert all(ref() is None for ref in dropped)
    assert POOL.free + POOL.let_go > free


def test_a_full_garbage_collection_that_is_due_runs_while_the_resident_listens(ui):
    import gc

    app = ui.app
    at_home(ui)
    listen(ui)
    assert not app.prepared.busy
    collections = app.prepared.collections
    for _ in range(12):  # young collections: Python's full one is due soon
        gc.collect(1)
    assert app.prepared.busy  # the resident's listening time is still wanted
    listen(ui)
    assert app.prepared.collections == collections + 1
    assert gc.get_count()[2] == 0


def test_with_no_prepared_screens_every_screen_is_built_when_touched(ui):
    app = ui.app
    capacity = app.prepared.capacity
    app.prepared.capacity = 0
    try:
        app.prepared.clear()
        at_home(ui)
        assert not app.prepared.busy
        used = app.prepared.used
        ui.tap(buttons(app.sm.get_screen("home").view)[0])
        assert ui.current == "group"
        assert app.prepared.used == used
    finally:
        app.prepared.capacity = capacity


def test_a_screen_prepared_without_the_bars_is_laid_out_for_them(ui):
    """The language screen is prepared on the attract screen (no bars) and shown
    between the bars: prepared at that size, nothing is drawn again on the touch."""
    app = ui.app
    listen(ui)
    ready = app.prepared.ready[state_key(app, "language", {}, app.lang, None)]
    prepared_size = tuple(ready.size)
    assert prepared_size[1] < app.sm.height  # the attract screen fills the window
    rendered = CACHE.misses
    ui.tap(app.sm.get_screen("attract").ids.start)
    assert app.sm.current_screen is ready
    assert tuple(app.sm.size) == prepared_size  # the bars took exactly what was left for them
    assert CACHE.misses == rendered


def test_the_title_is_drawn_only_where_it_shows(ui):
    """Above the screen (side rails) or in the top bar, never also in the other,
    hidden place: a hidden label's words cost as much to draw as shown ones."""
    app = ui.app
    at_home(ui)
    assert not app.theme.rails
    assert app.root.ids.title.text == app.title_text != ""
    assert app.root.ids.side_title.text == ""


def test_on_a_7_inch_screen_with_side_rails_the_prepared_screen_renders_nothing_on_the_touch(
    ui,
):
    """The language screen, prepared on the attract screen (no rails), is laid out
    in the box it will have between the rails (its title in three languages does
    not fit the title's row on one line there: no title row)."""
    from tests.test_ui_form_factors import use_shape

    s = ui.base_settings
    use_shape(ui, 1024, 600, 170)
    try:
        app = ui.app
        assert app.theme.rails
        app.start_over()
        listen(ui)
        ready = app.prepared.ready[state_key(app, "language", {}, app.lang, None)]
        rendered = CACHE.misses
        ui.tap(app.sm.get_screen("attract").ids.start)
        assert app.sm.current_screen is ready
        assert app.title_text != "" and not app.title_row
        assert app.root.ids.side_title.text == app.root.ids.title.text == ""
        assert CACHE.misses == rendered  # its words and its title were ready
    finally:
        use_shape(ui, s["display.width"], s["display.height"], s["display.dpi"])
