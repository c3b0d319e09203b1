"""Starting a terminal: a broken configured bundle never bricks it."""

import pytest

pytestmark = pytest.mark.ui


def test_a_broken_content_folder_falls_back_to_the_bundled_content(settings, content_copy):
    from kiosk.ui.main import build_terminal

    (content_copy / "groups.toml").write_text("[[groups]\n", encoding="utf-8")
    terminal = build_terminal(settings.replace(kiosk__content_dir=str(content_copy)), bench=True)
    try:
        assert len(terminal.bundle.services) >= 10  # the bundled default content
        assert any("does not load" in f and "groups.toml" in f for f in terminal.faults)
    finally:
        terminal.close()


def test_a_site_missing_from_the_content_stops_start_up_with_its_name(settings):
    from kiosk.core.terminal import SiteError
    from kiosk.ui.main import build_terminal

    with pytest.raises(SiteError, match="no site profile 'gence'"):
        build_terminal(settings.replace(kiosk__site="gence"), bench=True)
