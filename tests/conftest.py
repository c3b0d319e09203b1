"""Shared fixtures. Every test gets its own temporary data folder; nothing
touches the real home directory."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONFIG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from kiosk.core.content import Bundle, load_bundle  # noqa: E402
from kiosk.core.settings import KIOSK_SETTINGS, Settings, validate_values  # noqa: E402
from kiosk.paths import DEFAULT_CONTENT  # noqa: E402


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    """The bundled default content, loaded once."""
    return load_bundle(DEFAULT_CONTENT)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the default content, for breaking on purpose."""
    dest = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, dest)
    return dest


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default terminal settings with the data folder inside the test's tmp dir."""
    return validate_values({"kiosk.data_dir": str(tmp_path / "data")}, KIOSK_SETTINGS, "test")


@pytest.fixture
def admin(tmp_path):
    """An admin's published content repository (the default content, version 1)."""
    from tests._updates import Publisher

    a = Publisher(tmp_path / "admin")
    a.publish()
    return a


@pytest.fixture
def server(admin):
    """The admin's repository served over HTTP on 127.0.0.1."""
    from tests._updates import RepoServer

    with RepoServer(admin.repo) as s:
        yield s


@pytest.fixture
def installed_terminal(tmp_path, admin, server):
    """A terminal that installed version 1 from the server."""
    from kiosk.core.content.update import ContentUpdater, UpdateStatus
    from tests._updates import terminal_settings

    updater = ContentUpdater(terminal_settings(tmp_path, server.url, admin.trusted_root))
    assert updater.check_once().status == UpdateStatus.UPDATED_STAGED
    assert updater.switch_pending()
    return updater


@pytest.fixture(scope="session")
def kiosk_ui(tmp_path_factory):
    """The real app in the off-screen window, shared by the UI tests (Kivy has one window).

    Devices at the edge are fakes; the terminal's settings can be swapped per test.
    """
    from kiosk.core.narration.headphones import FakeHeadphones
    from tests.fakes import FakeClock, RecordingNarrator

    data = tmp_path_factory.mktemp("ui-data")
    settings = validate_values({"kiosk.data_dir": str(data)}, KIOSK_SETTINGS, "ui-test")
    from kiosk.ui.boot import configure_kivy

    configure_kivy(settings, windowed=True, offscreen=True)
    from kiosk.core.helpdesk import HelpDesk
    from kiosk.core.helpdesk.transport import FakeHubTransport
    from kiosk.core.slips import FakePrinter
    from kiosk.core.terminal import Terminal, load_terminal_content
    from kiosk.ui.harness import OffscreenKiosk

    bundle, site = load_terminal_content(settings)
    hub = FakeHubTransport()
    desk = HelpDesk(settings, data / "kiosk.db", hub)
    from kiosk.core.usage import UsageCounter

    terminal = Terminal(
        settings,
        bundle,
        site,
        RecordingNarrator(),
        printer=FakePrinter(),
        helpdesk=desk,
        usage=UsageCounter.in_data_dir(data),
        headphones=FakeHeadphones(),
    )  # the app starts the desk's delivery after its first frame
    clock = FakeClock()
    k = OffscreenKiosk(terminal, now=clock)
    k.clock = clock
    k.base_settings = settings
    k.hub = hub
    yield k
    k.close()
    terminal.close()


@pytest.fixture
def ui(kiosk_ui):
    """The app back on its attract screen with a fresh resident and default settings."""
    from kiosk.core.slips import PrintStatus

    kiosk_ui.app.terminal.settings = kiosk_ui.base_settings
    kiosk_ui.app.terminal.printer.state = PrintStatus.OK
    kiosk_ui.app.terminal.printer.hang = False
    kiosk_ui.app.terminal.headphones.plugged = False  # digits are said as "digit entered"
    kiosk_ui.app.start_over()
    kiosk_ui.frames(2)
    return kiosk_ui


@pytest.fixture(scope="module")
def browser():
    """Real headless Chromium, one per test file (a file may define its own, e.g.
    with other flags)."""
    from playwright.sync_api import sync_playwright

    from kiosk.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# Files whose tests bound a behaviour in time (double taps 30 ms apart, a hub that
# must answer within half a second under attack, a call on the display within a
# second): scripts/run-tests runs them alone, after the files that run two at a
# time, so the other core's load cannot make them fail. A test elsewhere can ask
# for the same with @pytest.mark.serial.
SERIAL_FILES = (
    "test_x_",
    "test_hub_abuse",
    "test_hub_studio_abuse",
    "test_hub_deadlines",
    "test_display",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name.startswith(SERIAL_FILES):
            item.add_marker(pytest.mark.serial)


@pytest.fixture
def shaped(ui):
    """The shared app, to be laid out for other screens (tests.test_ui_form_factors.use_shape);
    back at the design size afterwards."""
    from tests.test_ui_form_factors import use_shape

    yield ui
    s = ui.base_settings
    use_shape(ui, s["display.width"], s["display.height"], s["display.dpi"])
