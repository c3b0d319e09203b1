"""Deployment: the systemd units, the session wrapper, the install script and the
monitoring examples in deploy/.

What must hold on a terminal left alone for months: every unit is one systemd
accepts; a crashed app is restarted while staff leaving kiosk mode is not; the
install script changes nothing in --dry-run, installs only what each role needs,
and never overwrites an admin's settings or printer rule; the dashboard reads
only the metrics the hub exports.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
INSTALL = DEPLOY / "install.sh"
SESSION = DEPLOY / "kiosk-session"

HUB_METRICS = {
    "komek_requests_waiting",
    "komek_request_wait_seconds",
    "komek_slips_printed_total",
    "komek_services_opened_total",
    "komek_help_requests_total",
    "komek_terminals_alive",
    "komek_terminal_last_seen_seconds",
    "komek_printer_ok",
}
HISTOGRAMS = {"komek_request_wait_seconds"}


# ---- helpers ---------------------------------------------------------------------


def unit_entries(path: Path) -> dict[str, list[tuple[str, str]]]:
    """A unit file as {section: [(key, value), ...]}; systemd allows repeated keys."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections.setdefault(current, [])
            continue
        key, _, value = line.partition("=")
        sections[current].append((key.strip(), value.strip()))
    return sections


def values(path: Path, section: str, key: str) -> list[str]:
    return [v for k, v in unit_entries(path).get(section, []) if k == key]


def write_stub(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/usr/bin/env bash\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


# Commands that change a system. In --dry-run none may run: each stub records its
# call and fails, so a leak shows in the log and usually in the exit status too.
MUTATING = [
    "apt-get",
    "useradd",
    "usermod",
    "groupadd",
    "install",
    "chown",
    "chmod",
    "mkdir",
    "mv",
    "rm",
    "cp",
    "tar",
    "touch",
    "sed",
    "udevadm",
    "python3",
    "pip",
]


def stub_bin(tmp_path: Path, *, installed_packages: bool, user_exists: bool) -> tuple[Path, Path]:
    """A folder of stub commands for the install script, and the log they write to.

    Read-only look-ups (dpkg-query, getent, id, systemctl is-*) give canned answers,
    so the printed plan does not depend on what this machine has installed.
    """
    bin_dir = tmp_path / "bin"
    log = tmp_path / "calls.log"
    log.write_text("", encoding="utf-8")
    for name in MUTATING:
        write_stub(bin_dir / name, f'echo "{name} $*" >> {log}; exit 1')
    status = "install ok installed" if installed_packages else "unknown ok not-installed"
    write_stub(bin_dir / "dpkg-query", f'printf "%s" "{status}"')
    write_stub(
        bin_dir / "getent",
        f"[[ $1 == passwd ]] && exit {0 if user_exists else 2}; [[ $2 == render ]] && exit 2; exit 0",
    )
    write_stub(
        bin_dir / "id",
        f"[[ $1 == -u ]] && {{ echo 0; exit 0; }}; [[ $1 == -nG ]] && {{ {'echo komek lp dialout video input audio' if user_exists else 'exit 1'}; }}; exit 1",
    )
    write_stub(
        bin_dir / "systemctl",
        f'case $1 in is-enabled|is-active) exit 1;; esac; echo "systemctl $*" >> {log}; exit 1',
    )
    return bin_dir, log


def run_install(
    args: list[str], bin_dir: Path, root: Path | None = None, src: Path = REPO
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
    env.pop("KOMEK_ROOT", None)
    if root is not None:
        env["KOMEK_ROOT"] = str(root)
    return subprocess.run(
        ["bash", str(src / "deploy" / "install.sh"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def actions(out: str) -> list[str]:
    """The printed actions (lines starting with '+ ')."""
    return [line[2:] for line in out.splitlines() if line.startswith("+ ")]


# ---- systemd units -----------------------------------------------------------------


def test_units_exist_for_hub_and_kiosk_under_cage_and_x11():
    assert {u.name for u in UNITS} >= {
        "komek-hub.service",
        "komek-kiosk.service",
        "komek-kiosk-x11.service",
    }


def _system_unit_dir() -> Path | None:
    for d in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")):
        if (d / "sysinit.target").exists():
            return d
    return None


def _verify_root(tmp_path: Path, units: list[Path]) -> Path:
    """A throw-away root with the distribution's units, ours, and stub programs
    where our ExecStart lines point, so verify checks the shipped units unchanged."""
    root = tmp_path / "root"
    shutil.copytree(_system_unit_dir(), root / "usr/lib/systemd/system", symlinks=True)
    for unit in units:
        dest = root / "etc/systemd/system" / unit.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(unit, dest)
        for cmd in values(unit, "Service", "ExecStart"):
            program = cmd.lstrip("-@:+!").split()[0]
            write_stub(root / program.lstrip("/"), "exit 0")
    return root


def _verify(root: Path, unit_name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemd-analyze", "verify", f"--root={root}", f"/etc/systemd/system/{unit_name}"],
        capture_output=True,
        text=True,
        timeout=60,
    )


needs_systemd = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None or _system_unit_dir() is None,
    reason="systemd-analyze or the distribution's unit files are not on this machine",
)


@needs_systemd
@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_every_unit_passes_systemd_analyze_verify(unit, tmp_path):
    root = _verify_root(tmp_path, UNITS)
    result = _verify(root, unit.name)
    # verify reports unknown keys and bad values on stderr but still exits 0.
    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == ""


@needs_systemd
def test_verify_would_catch_a_broken_unit(tmp_path):
    """The check above can fail: a typo in a copy of the hub unit is reported."""
    broken = tmp_path / "komek-hub.service"
    text = (DEPLOY / "systemd/komek-hub.service").read_text(encoding="utf-8")
    broken.write_text(text.replace("Restart=always", "Restart=alwayz"), encoding="utf-8")
    root = _verify_root(tmp_path, [broken])
    result = _verify(root, broken.name)
    assert "alwayz" in result.stdout + result.stderr


def test_shipped_units_run_from_opt_komek_with_settings_from_etc():
    hub = DEPLOY / "systemd/komek-hub.service"
    assert values(hub, "Service", "ExecStart") == [
        "/opt/komek/.venv/bin/kiosk hub --config /etc/komek/hub.toml"
    ]
    for name in ("komek-kiosk.service", "komek-kiosk-x11.service"):
        (cmd,) = values(DEPLOY / "systemd" / name, "Service", "ExecStart")
        assert cmd.startswith("/opt/komek/deploy/kiosk-session ")
    session = SESSION.read_text(encoding="utf-8")
    assert "/opt/komek/.venv/bin/kiosk" in session
    assert "/etc/komek/kiosk.toml" in session
    assert "cage -s --" in session


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_units_restart_forever_and_watch_for_a_frozen_app(unit):
    assert values(unit, "Service", "Type") == ["notify"]
    assert values(unit, "Service", "WatchdogSec") == ["30"]
    assert values(unit, "Service", "Restart") == ["always"]
    assert values(unit, "Service", "User") == ["komek"]
    assert values(unit, "Unit", "StartLimitIntervalSec") == ["0"]
    assert values(unit, "Service", "LogRateLimitIntervalSec")


def test_hub_unit_is_locked_down_to_its_data_folder():
    hub = DEPLOY / "systemd/komek-hub.service"
    assert values(hub, "Service", "RestartSec") == ["2"]
    for key, value in [
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("ReadWritePaths", "/var/lib/komek-hub"),
        ("PrivateTmp", "yes"),
        ("ProtectHome", "yes"),
    ]:
        assert values(hub, "Service", key) == [value], key


@pytest.mark.parametrize("name", ["komek-kiosk.service", "komek-kiosk-x11.service"])
def test_kiosk_units_own_tty1_and_accept_notifications_from_the_app(name):
    unit = DEPLOY / "systemd" / name
    assert values(unit, "Service", "NotifyAccess") == ["all"]
    assert values(unit, "Service", "PAMName") == ["login"]
    assert values(unit, "Service", "TTYPath") == ["/dev/tty1"]
    assert "getty@tty1.service" in " ".join(values(unit, "Unit", "Conflicts"))
    # Staff leaving kiosk mode exit 0: that one status is not restarted.
    assert values(unit, "Service", "RestartPreventExitStatus") == ["0"]


def test_cage_unit_asks_sdl_for_wayland_then_xwayland():
    unit = DEPLOY / "systemd/komek-kiosk.service"
    env = values(unit, "Service", "Environment")
    assert "SDL_VIDEODRIVER=wayland,x11" in env
    assert "seatd.service" in " ".join(values(unit, "Unit", "After"))
    assert "systemd-logind.service" in " ".join(values(unit, "Unit", "Wants"))


def test_journal_is_kept_but_bounded():
    text = (DEPLOY / "journald/komek.conf").read_text(encoding="utf-8")
    assert "[Journal]" in text
    assert re.search(r"^SystemMaxUse=200M$", text, re.M)


# ---- kiosk-session: the app's exit status reaches systemd ----------------------------


@pytest.fixture
def session_env(tmp_path):
    """Stub cage/xinit/X tools and a stub app whose exit status the test chooses."""
    bin_dir = tmp_path / "bin"
    calls = tmp_path / "calls.log"
    # cage: drop its options up to "--", run the client, exit 0 whatever it did (cage 0.1.4).
    write_stub(
        bin_dir / "cage",
        f'echo "cage $*" >> {calls}; while [[ $1 != -- ]]; do shift; done; shift; "$@"; exit 0',
    )
    # xinit: run the client script (first argument), exit 0 whatever it did.
    write_stub(bin_dir / "xinit", f'echo "xinit $*" >> {calls}; "$1"; exit 0')
    write_stub(bin_dir / "xset", f'echo "xset $*" >> {calls}')
    write_stub(bin_dir / "matchbox-window-manager", f'echo "matchbox $*" >> {calls}')
    app = tmp_path / "kiosk"
    write_stub(
        app,
        f'echo "app $*" >> {calls}; case $APP_DOES in exit*) exit ${{APP_DOES#exit}};; '
        f"killed) kill -TERM $$;; esac",
    )
    runtime = tmp_path / "run"
    runtime.mkdir()
    env = dict(
        os.environ,
        PATH=f"{bin_dir}:{os.environ['PATH']}",
        KOMEK_KIOSK=str(app),
        KOMEK_CONFIG="/etc/komek/kiosk.toml",
        RUNTIME_DIRECTORY=str(runtime),
    )
    return env, calls


def run_session(mode: str, env: dict[str, str], app_does: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SESSION), mode],
        env=dict(env, APP_DOES=app_does),
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.parametrize("mode", ["cage", "x11"])
@pytest.mark.parametrize("app_does, expected", [("exit0", 0), ("exit1", 1), ("exit3", 3)])
def test_session_exits_with_the_apps_status_not_the_display_servers(
    session_env, mode, app_does, expected
):
    env, calls = session_env
    result = run_session(mode, env, app_does)
    assert result.returncode == expected, result.stderr
    assert "app run --config /etc/komek/kiosk.toml" in calls.read_text()


@pytest.mark.parametrize("mode", ["cage", "x11"])
def test_session_reports_a_killed_app_as_a_failure(session_env, mode):
    env, _ = session_env
    result = run_session(mode, env, "killed")
    assert result.returncode == 128 + 15


def test_session_fails_when_the_display_server_dies_before_the_app(session_env, tmp_path):
    env, _ = session_env
    write_stub(tmp_path / "bin/cage", "exit 0")  # never starts the app
    result = run_session("cage", env, "exit0")
    assert result.returncode == 1
    assert "before the kiosk app did" in result.stderr


def test_session_runs_cage_with_vt_switching_and_x_without_blanking(session_env):
    env, calls = session_env
    run_session("cage", env, "exit0")
    run_session("x11", env, "exit0")
    log = calls.read_text()
    for _ in range(50):  # the window manager is started in the background
        if "matchbox" in log:
            break
        time.sleep(0.1)
        log = calls.read_text()
    assert re.search(r"^cage -s -- \S+kiosk-session app$", log, re.M)
    assert re.search(r"^xinit \S+/x11/komek-xsession -- :0 vt1 .*-nocursor", log, re.M)
    assert "xset s off s noblank -dpms" in log
    assert "matchbox -use_titlebar no -use_cursor no" in log


# ---- install.sh --------------------------------------------------------------------


def test_install_script_parses():
    result = subprocess.run(["bash", "-n", str(INSTALL)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_shell_scripts_are_shellcheck_clean():
    scripts = [INSTALL, SESSION, DEPLOY / "x11/komek-xsession"]
    result = subprocess.run(
        ["shellcheck", *map(str, scripts)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout


def test_install_rejects_an_unknown_role(tmp_path):
    bin_dir, _ = stub_bin(tmp_path, installed_packages=True, user_exists=True)
    result = run_install(["--role", "kiosk", "--dry-run"], bin_dir, root=tmp_path / "root")
    assert result.returncode == 2
    assert "--role must be terminal, hub or both" in result.stderr


ROLE_PLANS = {
    "both": {
        "present": [
            "systemctl enable komek-hub.service",
            "systemctl enable komek-kiosk.service",
            "/etc/komek/kiosk.toml",
            "/etc/komek/hub.toml",
            "install -d -m 0750 {root}/var/lib/komek-hub",
            "install -d -m 0750 {root}/var/lib/komek",
        ],
        "absent": [],
    },
    "terminal": {
        "present": [
            "systemctl enable komek-kiosk.service",
            "/etc/komek/kiosk.toml",
            "install -d -m 0750 {root}/var/lib/komek",
            "cage xwayland",
            # headset detection (pactl, amixer) and a sound server for pactl to ask
            "pulseaudio-utils alsa-utils pulseaudio",
        ],
        "absent": ["komek-hub.service", "hub.toml", "var/lib/komek-hub"],
    },
    "hub": {
        "present": [
            "systemctl enable komek-hub.service",
            "systemctl restart komek-hub.service",
            "/etc/komek/hub.toml",
            "install -d -m 0750 {root}/var/lib/komek-hub",
        ],
        "absent": [
            "komek-kiosk",
            "kiosk.toml",
            "cage",
            "udevadm",
            "var/lib/komek\n",
            "pulseaudio",
        ],
    },
}


@pytest.mark.parametrize("role", sorted(ROLE_PLANS))
def test_dry_run_prints_each_roles_plan_and_runs_nothing(role, tmp_path):
    bin_dir, log = stub_bin(tmp_path, installed_packages=False, user_exists=False)
    root = tmp_path / "root"
    root.mkdir()
    result = run_install(["--role", role, "--dry-run"], bin_dir, root=root)
    assert result.returncode == 0, result.stderr
    assert log.read_text() == "", "a command ran during --dry-run"
    assert list(root.iterdir()) == [], "--dry-run created files"
    plan = "\n".join(actions(result.stdout)) + "\n"
    for needle in ROLE_PLANS[role]["present"]:
        assert needle.format(root=root) in plan, needle
    for needle in ROLE_PLANS[role]["absent"]:
        assert needle not in plan, needle
    # Every role: the service user with its device groups, the packages from the
    # shared list, the code and its venv, bounded logs.
    assert re.search(r"^useradd --system .* komek$", plan, re.M)
    assert "usermod -aG lp,dialout,video,input,audio komek" in plan  # no 'render' group here
    assert "apt-get install -y --no-install-recommends python3-venv espeak-ng" in plan
    assert f"pip install --quiet -e {root}/opt/komek" in plan
    assert f"{root}/etc/systemd/journald.conf.d/komek.conf" in plan


def test_dry_run_on_the_real_system_changes_nothing(tmp_path):
    watched = [
        Path("/opt/komek"),
        Path("/etc/komek"),
        Path("/var/lib/komek"),
        Path("/var/lib/komek-hub"),
        Path("/etc/systemd/system/komek-hub.service"),
        Path("/etc/systemd/system/komek-kiosk.service"),
        Path("/etc/systemd/journald.conf.d/komek.conf"),
    ]
    before = {p: p.exists() for p in watched}
    bin_dir, log = stub_bin(tmp_path, installed_packages=False, user_exists=False)
    result = run_install(["--dry-run"], bin_dir)
    assert result.returncode == 0, result.stderr
    assert log.read_text() == ""
    assert {p: p.exists() for p in watched} == before
    assert "+ systemctl enable komek-kiosk.service" in result.stdout


def test_dry_run_keeps_an_admins_settings_and_printer_rule(tmp_path):
    src = _source_tree(tmp_path, with_printer_rule=True)
    root = tmp_path / "root"
    (root / "etc/komek").mkdir(parents=True)
    (root / "etc/komek/kiosk.toml").write_text("# the admin's\n", encoding="utf-8")
    (root / "etc/udev/rules.d").mkdir(parents=True)
    (root / "etc/udev/rules.d/99-komek-printer.rules").write_text("# edited\n")
    bin_dir, log = stub_bin(tmp_path, installed_packages=True, user_exists=True)
    result = run_install(["--role", "terminal", "--dry-run"], bin_dir, root=root, src=src)
    assert result.returncode == 0, result.stderr
    assert "keep " + str(root / "etc/komek/kiosk.toml") in result.stdout
    assert "keep " + str(root / "etc/udev/rules.d/99-komek-printer.rules") in result.stdout
    plan = "\n".join(actions(result.stdout))
    assert "kiosk.toml" not in plan and "99-komek-printer.rules" not in plan
    assert "apt-get" not in plan and "useradd" not in plan and "usermod" not in plan
    assert log.read_text() == ""


def test_dry_run_skips_the_printer_rule_with_a_message_when_it_is_missing(tmp_path):
    src = _source_tree(tmp_path, with_printer_rule=False)
    bin_dir, _ = stub_bin(tmp_path, installed_packages=True, user_exists=True)
    result = run_install(["--role", "terminal", "--dry-run"], bin_dir, tmp_path / "r", src)
    assert result.returncode == 0, result.stderr
    assert "skip printer rule: deploy/99-komek-printer.rules is missing" in result.stdout


def test_dry_run_x11_session_installs_xorg_and_enables_the_x11_unit(tmp_path):
    bin_dir, _ = stub_bin(tmp_path, installed_packages=False, user_exists=True)
    result = run_install(
        ["--role", "terminal", "--session", "x11", "--dry-run"], bin_dir, tmp_path / "r"
    )
    assert result.returncode == 0, result.stderr
    plan = "\n".join(actions(result.stdout))
    assert "xserver-xorg xinit x11-xserver-utils matchbox-window-manager" in plan
    assert "systemctl enable komek-kiosk-x11.service" in plan
    assert "systemctl enable komek-kiosk.service" not in plan
    assert " cage " not in plan


def test_terminal_with_pipewire_gets_pactl_but_no_second_sound_server(tmp_path):
    """pactl talks to PipeWire's pipewire-pulse as well; PulseAudio beside it would
    fight over the same socket, so only the client tools come."""
    bin_dir, _ = stub_bin(tmp_path, installed_packages=False, user_exists=True)
    write_stub(
        bin_dir / "dpkg-query",
        '[[ $3 == pipewire-pulse ]] && { printf "install ok installed"; exit 0; }; '
        'printf "unknown ok not-installed"',
    )
    result = run_install(["--role", "terminal", "--dry-run"], bin_dir, tmp_path / "r")
    assert result.returncode == 0, result.stderr
    [install] = [a for a in actions(result.stdout) if "apt-get install" in a]
    assert "pulseaudio-utils alsa-utils" in install
    assert " pulseaudio " not in install + " "


def _source_tree(tmp_path: Path, *, with_printer_rule: bool) -> Path:
    """A copy of this checkout, as an admin would have it, with or without the rule."""
    src = tmp_path / "src"
    shutil.copytree(
        REPO,
        src,
        ignore=shutil.ignore_patterns(".venv", ".pytest_cache", ".ruff_cache", "build"),
    )
    rule = src / "deploy/99-komek-printer.rules"
    if with_printer_rule and not rule.exists():
        rule.write_text('SUBSYSTEM=="usb", ATTRS{idVendor}=="0416", GROUP="lp"\n')
    if not with_printer_rule and rule.exists():
        rule.unlink()
    (src / "kiosk/__pycache__").mkdir(exist_ok=True)
    (src / "kiosk/__pycache__/x.pyc").write_bytes(b"")
    return src


def _real_run_bin(tmp_path: Path) -> tuple[Path, Path]:
    """Stubs for what acts on the running system; file copies are real (under KOMEK_ROOT)."""
    bin_dir = tmp_path / "bin"
    log = tmp_path / "calls.log"
    log.write_text("", encoding="utf-8")
    for name in ["apt-get", "useradd", "usermod", "chown", "udevadm"]:
        write_stub(bin_dir / name, f'echo "{name} $*" >> {log}')
    write_stub(
        bin_dir / "systemctl",
        f'case $1 in is-enabled|is-active) exit 1;; esac; echo "systemctl $*" >> {log}',
    )
    write_stub(bin_dir / "dpkg-query", 'printf "install ok installed"')
    write_stub(bin_dir / "getent", "exit 0")
    write_stub(
        bin_dir / "id", '[[ $1 == -nG ]] && echo "komek lp dialout video render input audio"'
    )
    # python3 -m venv DIR: a venv whose pip, python and kiosk only record their calls.
    tool = tmp_path / "venv-tool"
    write_stub(tool, f'echo "$(basename "$0") $*" >> {log}')
    write_stub(
        bin_dir / "python3",
        f'echo "python3 $*" >> {log}; mkdir -p "$3/bin"; '
        f'for t in pip python kiosk; do cp {tool} "$3/bin/$t"; done',
    )
    return bin_dir, log


def test_install_places_files_keeps_the_admins_edits_and_runs_again_cleanly(tmp_path):
    src = _source_tree(tmp_path, with_printer_rule=True)
    root = tmp_path / "root"
    bin_dir, log = _real_run_bin(tmp_path)

    first = run_install(["--role", "both"], bin_dir, root=root, src=src)
    assert first.returncode == 0, first.stdout + first.stderr

    opt = root / "opt/komek"
    assert (opt / "kiosk").is_dir() and (opt / "deploy/kiosk-session").exists()
    assert os.access(opt / "deploy/kiosk-session", os.X_OK)
    assert not (opt / ".git").exists()
    assert not list(opt.rglob("__pycache__"))
    kiosk_toml = root / "etc/komek/kiosk.toml"
    hub_toml = root / "etc/komek/hub.toml"
    assert 'data_dir = "/var/lib/komek"' in kiosk_toml.read_text(encoding="utf-8")
    assert 'data_dir = "/var/lib/komek-hub"' in hub_toml.read_text(encoding="utf-8")
    assert stat.S_IMODE(kiosk_toml.stat().st_mode) == 0o640
    for unit in UNITS:
        assert (root / "etc/systemd/system" / unit.name).read_bytes() == unit.read_bytes()
    assert (root / "etc/udev/rules.d/99-komek-printer.rules").exists()
    assert (root / "etc/systemd/journald.conf.d/komek.conf").exists()
    assert (root / "var/lib/komek").is_dir() and (root / "var/lib/komek-hub").is_dir()
    calls = log.read_text()
    assert "pip install --quiet -e " + str(opt) in calls
    assert "systemctl enable komek-kiosk.service" in calls
    assert "systemctl enable komek-hub.service" in calls

    # The admin configures the terminal and the printer; the installer runs again.
    kiosk_toml.write_text('[kiosk]\nterminal_id = "barda-1"\n', encoding="utf-8")
    rule = root / "etc/udev/rules.d/99-komek-printer.rules"
    rule.write_text('SUBSYSTEM=="usb", ATTRS{idVendor}=="04b8", GROUP="lp"\n')
    log.write_text("")
    second = run_install(["--role", "both"], bin_dir, root=root, src=src)
    assert second.returncode == 0, second.stdout + second.stderr
    assert kiosk_toml.read_text(encoding="utf-8") == '[kiosk]\nterminal_id = "barda-1"\n'
    assert "04b8" in rule.read_text()
    assert "pip install" not in log.read_text()  # nothing changed in pyproject.toml
    assert "daemon-reload" not in log.read_text()  # units unchanged
    assert (opt / "kiosk").is_dir() and not (root / "opt/komek.old").exists()


# ---- Prometheus and Grafana -------------------------------------------------------------


def test_prometheus_agent_scrapes_each_hubs_metrics_and_writes_to_a_central_prometheus():
    config = yaml.safe_load((DEPLOY / "prometheus/agent.yml").read_text(encoding="utf-8"))
    (job,) = config["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    targets = [t for group in job["static_configs"] for t in group["targets"]]
    assert targets and all(t.endswith(":8470") for t in targets)
    assert config["remote_write"][0]["url"].endswith("/api/v1/write")
    # Agent mode refuses rules and alerting.
    assert "rule_files" not in config and "alerting" not in config


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_promtool_accepts_the_agent_configuration():
    result = subprocess.run(
        ["promtool", "check", "config", "--agent", str(DEPLOY / "prometheus/agent.yml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def dashboard_queries() -> list[str]:
    dashboard = json.loads((DEPLOY / "grafana/komek-dashboard.json").read_text(encoding="utf-8"))
    return [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]


def metric_names(expr: str) -> set[str]:
    return set(re.findall(r"\bkomek_[a-z_]+", expr))


def test_dashboard_uses_only_the_metrics_the_hub_exports():
    queries = dashboard_queries()
    assert queries
    allowed = HUB_METRICS | {
        f"{h}_{suffix}" for h in HISTOGRAMS for suffix in ("bucket", "sum", "count")
    }
    used: set[str] = set()
    for expr in queries:
        names = metric_names(expr)
        assert names, f"no Kömək metric in {expr!r}"
        assert names <= allowed, names - allowed
        used |= {
            re.sub(r"_(bucket|sum|count)$", "", n) if n not in HUB_METRICS else n for n in names
        }
    # Every exported metric has a place on the dashboard.
    assert used == HUB_METRICS


def _grafana_to_promql(expr: str) -> str:
    return (
        expr.replace("$__rate_interval", "5m").replace("$__range", "1d").replace("$district", ".*")
    )


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_every_dashboard_query_is_valid_promql(tmp_path):
    rules = {
        "groups": [
            {
                "name": "dashboard",
                "rules": [
                    {"record": f"komek:dashboard_query_{i}", "expr": _grafana_to_promql(e)}
                    for i, e in enumerate(dashboard_queries())
                ],
            }
        ]
    }
    path = tmp_path / "rules.yml"
    path.write_text(yaml.safe_dump(rules), encoding="utf-8")
    result = subprocess.run(
        ["promtool", "check", "rules", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def panel_query(title: str, target: int = 0, district: str = ".*") -> str:
    dashboard = json.loads((DEPLOY / "grafana/komek-dashboard.json").read_text(encoding="utf-8"))
    (panel,) = [p for p in dashboard["panels"] if p["title"] == title]
    expr = panel["targets"][target]["expr"]
    return _grafana_to_promql(expr).replace('district=~".*"', f'district=~"{district}"')


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_dashboard_panels_show_the_right_numbers(tmp_path):
    """promtool evaluates the panels' queries on made-up hub metrics: three terminals
    in Barda (one printer out of paper), one in Tərtər, a help queue, wait times."""
    b1 = 'district="barda",terminal="barda-1"'
    b2 = 'district="barda",terminal="barda-2"'
    series = {
        'komek_terminals_alive{district="barda"}': "3x70",
        'komek_terminals_alive{district="tartar"}': "1x70",
        'komek_requests_waiting{district="barda"}': "4x70",
        f"komek_printer_ok{{{b1}}}": "1x70",
        f"komek_printer_ok{{{b2}}}": "0x70",
        'komek_printer_ok{district="barda",terminal="barda-3"}': "1x70",
        # Unix time of the last heartbeat: 3540 s, one minute before the 60th minute.
        f"komek_terminal_last_seen_seconds{{{b1}}}": "3540x70",
        # Per minute: one resident waited up to 30 s, one 30-60 s.
        'komek_request_wait_seconds_bucket{district="barda",le="30"}': "0+1x70",
        'komek_request_wait_seconds_bucket{district="barda",le="60"}': "0+2x70",
        'komek_request_wait_seconds_bucket{district="barda",le="+Inf"}': "0+2x70",
        f'komek_services_opened_total{{{b1},service="tesis"}}': "0+1x70",
        f'komek_services_opened_total{{{b2},service="tesis"}}': "0+2x70",
        f'komek_slips_printed_total{{{b1},service="tesis"}}': "0+1x70",
        f'komek_help_requests_total{{{b2},service="asan-imza"}}': "0+1x70",
    }

    def expect(expr: str, value: float, labels: str = "{}") -> dict:
        return {
            "expr": expr,
            "eval_time": "60m",
            "exp_samples": [{"labels": labels, "value": value}],
        }

    checks = [
        expect(panel_query("Terminals alive"), 4),
        expect(panel_query("Terminals alive", district="barda"), 3),
        expect(panel_query("Residents waiting for a helper"), 4),
        expect(panel_query("Printers not ready"), 1),
        expect(panel_query("Printers not ready", district="tartar"), 0),
        expect(panel_query("Median wait for a helper (1 h)"), 30),
        expect(panel_query("Wait for a helper", 1), 54),
        expect(
            panel_query("Terminals: last heartbeat and printer", 0),
            60,
            '{district="barda",terminal="barda-1"}',
        ),
        expect(panel_query("Services opened"), 180, '{service="tesis"}'),
        expect(panel_query("Slips printed"), 60, '{service="tesis"}'),
        expect(panel_query("Help asked"), 60, '{service="asan-imza"}'),
    ]
    test_file = tmp_path / "dashboard_test.yml"
    test_file.write_text(
        yaml.safe_dump(
            {
                "rule_files": [],
                "evaluation_interval": "1m",
                "tests": [
                    {
                        "interval": "1m",
                        "input_series": [{"series": s, "values": v} for s, v in series.items()],
                        "promql_expr_test": checks,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        ["promtool", "test", "rules", str(test_file)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(
    shutil.which("nginx") is None or shutil.which("openssl") is None,
    reason="nginx or openssl not installed",
)
def test_nginx_examples_pass_nginx_t(tmp_path):
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            tmp_path / "k.pem",
            "-out",
            tmp_path / "c.pem",
            "-days",
            "1",
            "-subj",
            "/CN=t",
        ],
        check=True,
        capture_output=True,
    )
    sites = tmp_path / "sites"
    sites.mkdir()
    for name in ("nginx-content.conf", "nginx-hub.conf"):
        text = (DEPLOY / name).read_text()
        text = re.sub(
            r"ssl_certificate_key [^;]+;", f"ssl_certificate_key {tmp_path / 'k.pem'};", text
        )
        text = re.sub(r"ssl_certificate [^;]+;", f"ssl_certificate {tmp_path / 'c.pem'};", text)
        (sites / name).write_text(text)
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\nhttp {{ include {sites}/*.conf; }}\n"
    )
    out = subprocess.run(["nginx", "-t", "-c", str(conf)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
