"""`kiosk doctor` on a machine with and without speech, disk room and good content."""

import subprocess
import sys
from collections import namedtuple

from kiosk.core import doctor
from kiosk.core.doctor import Health, run_checks


def test_speech_ok_with_espeak_ng(settings):
    r = doctor.check_speech(settings)
    assert r.health == Health.OK, r.detail


def test_no_espeak_ng_is_a_failure_that_says_what_to_install(settings, monkeypatch):
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    r = doctor.check_speech(settings)
    assert r.health == Health.FAIL and "espeak-ng not found" in r.detail


def test_a_full_disk_fails(settings, monkeypatch):
    Usage = namedtuple("Usage", "total used free")
    monkeypatch.setattr(
        doctor.shutil, "disk_usage", lambda p: Usage(10**9, 10**9, 50 * 1024 * 1024)
    )
    assert doctor.check_disk(settings).health == Health.FAIL


def test_broken_content_fails_and_names_the_problem(settings, content_copy):
    (content_copy / "groups.toml").write_text("[[groups]\n", encoding="utf-8")
    r = doctor.check_content(settings.replace(kiosk__content_dir=str(content_copy)))
    assert r.health == Health.FAIL and "groups.toml" in r.detail


def test_a_crashing_check_is_reported_not_raised(settings):
    def check_broken(_s):
        raise RuntimeError("boom")

    (r,) = run_checks(settings, [check_broken])
    assert r.health == Health.FAIL and r.name == "broken" and "boom" in r.detail


def test_exit_code_is_the_worst_health(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[kiosk]\ndata_dir = "{tmp_path}"\nsite = "nowhere"\n', encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "doctor", "--config", str(cfg)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert any(
        line.startswith("fail    content") and "nowhere" in line for line in out.stdout.splitlines()
    )


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_hub_check_with_a_running_hub_and_without(settings, tmp_path):
    from kiosk.core.settings import HUB_SETTINGS, validate_values
    from kiosk.hub.server import start_in_thread

    port = free_port()
    down = settings.replace(hub__url=f"http://127.0.0.1:{port}", hub__timeout_seconds=1.0)
    assert doctor.check_hub(down).health == Health.FAIL
    server = start_in_thread(
        validate_values({}, HUB_SETTINGS, "t"), tmp_path / "hub", "127.0.0.1", port
    )
    try:
        up = down.replace(hub__terminal_key="kmk_test")
        r = doctor.check_hub(up)
        assert r.health == Health.OK, r.detail
    finally:
        server.should_exit = True


def test_printer_check_reports_out_of_paper(settings, monkeypatch):
    from kiosk.core.slips import FakePrinter, PrintStatus

    monkeypatch.setattr(
        "kiosk.core.slips.make_printer", lambda s: FakePrinter(PrintStatus.NO_PAPER)
    )
    r = doctor.check_printer(settings)
    assert r.health == Health.FAIL and "no_paper" in r.detail


def test_printer_check_with_the_file_backend(settings):
    assert doctor.check_printer(settings).health == Health.OK


def test_the_default_sites_have_verified_help_points(settings):
    r = doctor.check_content(settings)
    assert r.health == Health.OK, r.detail


def test_a_site_with_only_an_example_help_point_fails(tmp_path):
    # What must survive: an installer never starts a terminal that would send
    # residents to a stand-in address; the doctor fails, it does not merely warn.
    import shutil

    from kiosk.core.settings import KIOSK_SETTINGS, validate_values
    from kiosk.paths import DEFAULT_CONTENT

    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, content)
    site = content / "sites" / "barda.toml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text.replace("[[help_points]]", "[[help_points]]\nexample = true"), "utf-8")
    settings = validate_values(
        {"kiosk.data_dir": str(tmp_path / "data"), "kiosk.content_dir": str(content)},
        KIOSK_SETTINGS,
        "test",
    )
    r = doctor.check_content(settings)
    assert r.health == Health.FAIL and "example" in r.detail
