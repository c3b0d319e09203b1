"""How big and what shape a content bundle may be, checked before it is read deeper.

A bundle is signed by the admin, but a targets key gone bad, a mistyped file or
a hostile editor must still not fill a terminal's disk, hang its checks or
crash them with a traceback. These checks run in `kiosk content validate` and
`publish` (through check_bundle) and on every terminal: the updater refuses a
signed file list over the limits before downloading, and check_bundle refuses a
file over them before parsing it, and a parsed file of the wrong shape before
the readers look inside it. Every refusal is a sentence naming file and key.

The shapes below give the types of the keys each file may have; keys not named
here are left to the readers (they report unknown or missing ones themselves).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from kiosk.core.content.wording import Said, said

MAX_FILES = 5000  # files in one bundle
MAX_TOTAL_BYTES = 500 * 1024 * 1024  # the whole bundle, recorded audio included
MAX_FILE_BYTES = 16 * 1024 * 1024  # any one file (a recorded narration clip is far smaller)
MAX_TOML_BYTES = 256 * 1024  # one TOML file (the largest default one is 12 kB)
MAX_STRING_CHARS = 5000  # any text or key (the longest default text is 445 characters)
MAX_DEPTH = 10  # tables and lists inside each other (the default content needs 6)
# The largest whole number anywhere in content (the bundle version first): every
# JSON reader holds it exactly (JavaScript, the terminals' heartbeats, monitoring).
MAX_NUMBER = 2**53

# Shape markers. A type stands for itself; [x] is a list of x; a dict is a table
# with those keys; TEXT is a text in every language; FILES is a table of file names.
TEXT = "text"
FILES = "files"
KEYS = "keys"  # a source key, or a list of them: source = "dsmf" / ["dsmf", "e-gov"]
# A table of sources by key: [sources.KEY] url = "...", checked = 2026-11-29 ...
_SOURCE: dict[str, Any] = {"url": str, "checked": (str, date), "title": str, "note": str}
# What any fact-bearing item may say about where its facts came from.
_PROVENANCE: dict[str, Any] = {"source": KEYS, "unconfirmed": bool, "ask": str}

_STEP: dict[str, Any] = {
    "id": str,
    "kind": str,
    "icon": str,
    "next": str,
    "text": TEXT,
    "say": TEXT,
    "choices": [{"label": TEXT, "say": TEXT, "icon": str, "go": str, "flow": str, "action": str}],
    **_PROVENANCE,
}
_SHAPES: dict[str, dict[str, Any]] = {
    "bundle.toml": {"version": int, "languages": [{"code": str, "name": str, "voice": str}]},
    "groups.toml": {
        "groups": [{"id": str, "icon": str, "title": TEXT, "say": TEXT, "services": [str]}]
    },
    "services/": {
        "id": str,
        "group": str,
        "icon": str,
        "title": TEXT,
        "summary": TEXT,
        "link": str,
        "link_label": str,
        "needs_esign": bool,
        "admin_note": str,
        "documents": [TEXT],
        "steps": [_STEP],
        "sources": {"*": _SOURCE},
    },
    "sites/": {
        "id": str,
        "name": TEXT,
        "volunteer_phone": str,
        "sources": {"*": _SOURCE},
        "places": {"*": TEXT},
        "help_points": [
            {
                "name": TEXT,
                "address": TEXT,
                "hours": TEXT,
                "phone": str,
                "source": KEYS,
                "unconfirmed": bool,
                "ask": str,
            }
        ],
    },
}


def file_problems(root: Path) -> list[tuple[str, Said | str]]:
    """(file, message) for a bundle folder over the file-count or size limits."""
    problems: list[tuple[str, Said | str]] = []
    files = [p for p in sorted(Path(root).rglob("*")) if p.is_file()]
    if len(files) > MAX_FILES:
        problems.append(("", said("too_many_files", n=len(files), max=MAX_FILES)))
    total = 0
    for path in files[:MAX_FILES]:
        rel = path.relative_to(root).as_posix()
        size = path.stat().st_size
        total += size
        if problem := size_problem(rel, size):
            problems.append((rel, problem))
    if total > MAX_TOTAL_BYTES:
        problems.append(("", said("bundle_too_big", size=_mb(total), limit=_mb(MAX_TOTAL_BYTES))))
    return problems


def size_problem(rel: str, size: int) -> Said | str:
    """Why a file of `size` bytes named `rel` is too big for a bundle ("" if it is not)."""
    limit = MAX_TOML_BYTES if rel.endswith(".toml") else MAX_FILE_BYTES
    if size > limit:
        code = "toml_too_big" if limit == MAX_TOML_BYTES else "file_too_big"
        return said(code, size=size, limit=limit, mb=_mb(limit))
    return ""


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} kB"


def doc_problems(rel: str, doc: dict[str, Any]) -> list[tuple[str, Said]]:
    """(key, message) for a parsed TOML file that is nested too deeply, holds an
    over-long text or a number beyond MAX_NUMBER, or has a known key of the wrong type."""
    problems: list[tuple[str, Said]] = []
    _walk(doc, "", 1, problems)
    if problems:
        return problems  # the shape check must not walk what is too deep or too long
    if rel == "strings.toml":
        for key, value in doc.items():
            _shape(value, TEXT, key, problems)
    else:
        shape = _SHAPES.get(rel) or _SHAPES.get(rel.split("/")[0] + "/")
        if shape is not None and rel.count("/") <= 1:
            _shape(doc, shape, "", problems)
    return problems


def _walk(value: Any, where: str, depth: int, out: list[tuple[str, Said]]) -> None:
    if isinstance(value, dict | list) and depth > MAX_DEPTH:
        out.append((where, said("too_deep", n=MAX_DEPTH)))
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if len(key) > MAX_STRING_CHARS:
                out.append((where, said("key_too_long", n=MAX_STRING_CHARS)))
                continue
            _walk(item, _join(where, key), depth + 1, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, f"{where}[{i + 1}]", depth + 1, out)
    elif isinstance(value, str) and len(value) > MAX_STRING_CHARS:
        out.append((where, said("text_too_long", n=len(value), max=MAX_STRING_CHARS)))
    elif _number(value) and not abs(value) <= MAX_NUMBER:  # also NaN and infinity
        out.append((where or "the file", number_problem(value)))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_problem(value: float) -> Said:
    """Why a number is too large for content (the same words in the studio)."""
    return said("number_too_big", value=value, max=MAX_NUMBER)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _describe(shape: Any) -> Said:
    if shape is TEXT:
        return said("t_lang_table")
    if shape is FILES:
        return said("t_file_table")
    if shape is KEYS:
        return said("t_keys")
    if isinstance(shape, dict):
        return said("t_table")
    if isinstance(shape, list):
        inner = shape[0]
        if isinstance(inner, dict):
            return said("t_list_tables")
        return said("t_list_of", inner=_describe(inner))
    if shape is int:
        return said("t_whole")
    if shape is bool:
        return said("t_bool")
    return said("t_text")


def _type_name(value: Any) -> Said | str:
    if isinstance(value, dict):
        return said("g_table")
    if isinstance(value, list):
        return said("g_list")
    if isinstance(value, bool):
        return said("g_bool")
    if isinstance(value, int | float):
        return said("g_number")
    if isinstance(value, str):
        return said("g_text")
    return type(value).__name__


def _fits(value: Any, shape: Any) -> bool:
    if shape is KEYS:
        return isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        )
    if shape is TEXT:
        return isinstance(value, dict)
    if shape is FILES or isinstance(shape, dict):
        return isinstance(value, dict)
    if isinstance(shape, list):
        return isinstance(value, list)
    if shape is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(shape, tuple):
        return isinstance(value, shape)
    return isinstance(value, shape)


def _shape(value: Any, shape: Any, where: str, out: list[tuple[str, Said]]) -> None:
    if not _fits(value, shape):
        if isinstance(shape, tuple):
            expected = said("t_text_or_date" if date in shape else "t_text_or_list")
        else:
            expected = _describe(shape)
        out.append(
            (where or "the file", said("wrong_type", expected=expected, got=_type_name(value)))
        )
        return
    if shape is TEXT:
        for lang, text in value.items():
            # A document line's own voice (`say`) is a text of its own; a document
            # or a place says where its facts came from.
            inner = FILES if lang == "audio" else (TEXT if lang == "say" else str)
            inner = _PROVENANCE.get(lang, inner)
            _shape(text, inner, _join(where, lang), out)
    elif shape is FILES:
        for lang, name in value.items():
            _shape(name, str, _join(where, lang), out)
    elif isinstance(shape, dict) and "*" in shape:  # a table of tables by any key
        for key, item in value.items():
            _shape(item, shape["*"], _join(where, key), out)
    elif isinstance(shape, dict):
        for key, inner in shape.items():
            if key in value:
                _shape(value[key], inner, _join(where, key), out)
            if inner is TEXT and f"{key}_audio" in value:
                _shape(value[f"{key}_audio"], FILES, _join(where, f"{key}_audio"), out)
    elif isinstance(shape, list):
        for i, item in enumerate(value):
            _shape(item, shape[0], f"{where}[{i + 1}]", out)
