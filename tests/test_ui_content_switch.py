"""A new content bundle goes in between residents, never mid-flow, with its
narration prepared first; a bundle the app cannot load is rolled back."""

import pytest

from kiosk.core.content import load_bundle

pytestmark = pytest.mark.ui


class StagedUpdater:
    """The updater's side of the switch, at the edge: one staged folder."""

    def __init__(self, staged, current):
        self.staged, self.current = staged, current
        self.restored = None

    def pending_dir(self):
        return self.staged

    def pending(self):
        return self.staged is not None

    def switch_pending(self, before_switch=None):
        if self.staged is None:
            return False
        self.current, self.staged = self.staged, None
        return True

    def installed_dir(self):
        return self.current

    def restore_previous(self, reason):
        self.restored = reason
        return True

    def stop(self):
        pass


@pytest.fixture
def staged(ui, content_copy):
    f = content_copy / "strings.toml"
    f.write_text(
        f.read_text(encoding="utf-8").replace("Nə ilə kömək edək?", "Sizə necə kömək edək?"),
        encoding="utf-8",
    )
    meta = content_copy / "bundle.toml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace("version = 1", "version = 2"), encoding="utf-8"
    )
    terminal = ui.app.terminal
    saved = (terminal.bundle, terminal.site, terminal.updater, ui.app.navigator)
    terminal.updater = StagedUpdater(content_copy, None)
    yield content_copy
    terminal.bundle, terminal.site, terminal.updater, ui.app.navigator = saved


def test_new_content_waits_for_the_resident_to_leave(ui, staged):
    terminal = ui.app.terminal
    ui.app.begin()
    ui.app.choose_language("az")
    ui.app.open_service("id-card")
    terminal.update_staged()  # the updater thread reports a staged bundle
    ui.frames(3)
    assert terminal.bundle.version == 1  # mid-flow: nothing changes
    ui.app.start_over()  # the resident leaves
    assert terminal.bundle.version == 2
    ui.app.begin()
    ui.app.choose_language("az")
    assert ui.app.title_text == "Sizə necə kömək edək?"


def test_a_bundle_the_app_cannot_load_is_rolled_back(ui, staged):
    terminal = ui.app.terminal
    terminal.update_staged()
    (staged / "groups.toml").write_text("[[groups]\n", encoding="utf-8")  # broken after staging
    ui.app.start_over()
    assert terminal.bundle.version == 1
    assert terminal.updater.restored and "could not load" in terminal.updater.restored
    assert any("did not load" in f for f in terminal.faults)


def test_the_staged_bundle_loads_and_validates(staged):
    assert load_bundle(staged).version == 2
