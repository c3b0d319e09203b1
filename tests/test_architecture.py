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


def _imports(folder: str) -> dict[str, set[str]]:
    """Every kiosk module each file under kiosk/<folder> imports, also inside functions."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "kiosk"
    found: dict[str, set[str]] = {}
    where = root / folder
    for path in [where] if where.is_file() else sorted(where.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
        found[path.relative_to(root.parent).as_posix()] = {
            n for n in names if n.split(".")[0] == "kiosk"
        }
    assert found, folder
    return found


def _reaching(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{file} imports {name}"
        for file, names in _imports(folder).items()
        for name in names
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    )


def test_no_import_runs_back_up_the_house():
    """Also imports inside functions count: the hub never imports the UI (its screen
    pictures come from kiosk.preview's worker, a child process), the UI never
    imports the benchmarks, the core neither of them."""
    ui = ("kiosk.ui",)
    assert _reaching("hub", (*ui, "kiosk.preview.worker", "kiosk.bench")) == []
    assert _reaching("ui", ("kiosk.bench", "kiosk.hub", "kiosk.commands")) == []
    assert _reaching("core", (*ui, "kiosk.hub", "kiosk.bench", "kiosk.preview")) == []
    # The renderer's client is what the hub uses: it must not draw itself.
    assert _reaching("preview/renderer.py", ui) == []


def test_the_renderer_client_loads_without_kivy():
    code = (
        "import sys, kiosk.preview.renderer\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'kivy' or m.startswith('kiosk.ui')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_hub_keeps_its_rooms():
    """The hub's top level holds only what every room shares; the rest lives in
    queue/, fleet/, studio/ and web/ (DESIGN.md, "The parts")."""
    from pathlib import Path

    import kiosk.hub

    top = Path(kiosk.hub.__path__[0])
    shared = {"__init__", "app", "server", "context", "guard", "passwords", "fields", "store"}
    assert {p.stem for p in top.glob("*.py")} == shared
    rooms = {p.name for p in top.iterdir() if (p / "__init__.py").is_file()}
    assert {"queue", "fleet", "studio", "web"} <= rooms
    assert (top / "web" / "static" / "console.js").is_file()
