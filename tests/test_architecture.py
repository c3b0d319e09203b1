"""Arrows point one way: ui -> core, hub -> core. The core never imports Kivy,
the UI or the hub, so flows, slips, narration text and help requests are
tested and used without a screen."""

import pkgutil
import subprocess
import sys

import kiosk.core


def test_the_core_imports_no_kivy_ui_or_hub():
    modules = [m.name for m in pkgutil.walk_packages(kiosk.core.__path__, "kiosk.core.")]
    assert len(modules) > 20
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'kivy' or m.startswith(('kiosk.ui', 'kiosk.hub')))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_every_screen_is_a_py_and_kv_pair():
    from pathlib import Path

    import kiosk.ui.screens

    folder = Path(kiosk.ui.screens.__path__[0])
    py = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    kv = {p.stem for p in folder.glob("*.kv")}
    assert py == kv
