"""Bundle limits and types: a file, a text or a nesting too large, or a key of the
wrong type, is a clear refusal from `kiosk content validate` and from the
updater (recorded in `update --status`), never a traceback; a refused release is
not downloaded again until it is published anew."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.content import check_bundle
from kiosk.core.content.limits import MAX_FILE_BYTES, MAX_STRING_CHARS
from kiosk.core.content.publish import load_signers, write_release
from kiosk.core.content.update import UpdateStatus
from kiosk.paths import DEFAULT_CONTENT
from tests._updates import Publisher

ALLOW = ("gov.az", "e-gov.az", "edu.az")
BROKEN_SERVICE = """id = "broken"
icon = "help-circle"
title.az = "Sınaq"
title.ru = "Тест"
title.en = "Test"
summary.az = "Sınaq"
summary.ru = "Тест"
summary.en = "Test"
"""


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "validate", str(path)],
        capture_output=True,
        text=True,
    )


def languages_as_a_table(root: Path) -> None:
    f = root / "bundle.toml"
    text = f.read_text(encoding="utf-8")
    head = text[: text.index("[[languages]]")]
    f.write_text(head + '[languages]\naz = "Azərbaycanca"\nru = "Русский"\n', encoding="utf-8")


def steps_as_strings(root: Path) -> None:
    (root / "services" / "broken.toml").write_text(
        BROKEN_SERVICE + 'steps = ["what", "where"]\n', encoding="utf-8"
    )


def very_deep_nesting(root: Path) -> None:
    (root / "services" / "broken.toml").write_text(
        BROKEN_SERVICE + "extra = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8"
    )


def a_bit_too_deep(root: Path) -> None:
    (root / "services" / "broken.toml").write_text(
        BROKEN_SERVICE + "extra = " + "[" * 20 + "1" + "]" * 20 + "\n", encoding="utf-8"
    )


def a_five_megabyte_string(root: Path) -> None:
    f = root / "services" / "id-card.toml"
    f.write_text(
        f.read_text(encoding="utf-8") + 'admin_note = "' + "a" * 5_000_000 + '"\n',
        encoding="utf-8",
    )


def a_long_text(root: Path) -> None:
    f = root / "services" / "id-card.toml"
    text = f.read_text(encoding="utf-8")
    f.write_text(
        text.replace('title.ru = "', 'title.ru = "' + "я" * MAX_STRING_CHARS, 1), encoding="utf-8"
    )


def a_huge_audio_file(root: Path) -> None:
    clip = root / "audio" / "huge.ogg"
    clip.parent.mkdir(exist_ok=True)
    with open(clip, "wb") as f:
        f.write(b"OggS")
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: the test disk stays empty


def a_number_for_a_text(root: Path) -> None:
    f = root / "strings.toml"
    f.write_text(f.read_text(encoding="utf-8") + '\n["odd.key"]\naz = 5\n', encoding="utf-8")


BREAKAGES = {
    "languages as a table": (
        languages_as_a_table,
        "bundle.toml: languages: must be a list of tables",
    ),
    "steps as strings": (steps_as_strings, "services/broken.toml: steps[1]: must be a table"),
    "very deep nesting": (very_deep_nesting, "services/broken.toml: is nested more than 10"),
    "a bit too deep": (a_bit_too_deep, "is nested more than 10 tables or lists deep"),
    "a 5 MB string": (a_five_megabyte_string, "a TOML file may be 262,144 bytes"),
    "a long text": (
        a_long_text,
        f"title.ru: is {MAX_STRING_CHARS + len('Удостоверение личности')} characters long",
    ),
    "a huge audio file": (
        a_huge_audio_file,
        "audio/huge.ogg: is 16,777,217 bytes; a file may be 16,777,216 bytes",
    ),
    "a number for a text": (a_number_for_a_text, "strings.toml: odd.key.az: must be text"),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_validate_refuses_clearly_without_a_traceback(content_copy: Path, breakage: str):
    breaker, expected = BREAKAGES[breakage]
    breaker(content_copy)
    out = validate(content_copy)
    assert out.returncode == 1, out.stdout
    assert "Traceback" not in out.stderr, out.stderr[-2000:]
    assert expected in out.stdout, out.stdout[-2000:]


def test_the_default_content_is_well_within_the_limits():
    bundle, problems = check_bundle(DEFAULT_CONTENT, ALLOW)
    assert problems == [] and bundle is not None


def sign_broken_release(admin: Publisher, tmp_path: Path, breaker) -> None:
    """A release signed with the real keys whose content is broken (publish would refuse it)."""
    src = tmp_path / "broken-src"
    shutil.copytree(admin.src, src)
    breaker(src)
    bundle_toml = src / "bundle.toml"
    text = bundle_toml.read_text(encoding="utf-8")
    bundle_toml.write_text(text.replace("version = 1", "version = 2", 1), encoding="utf-8")
    files = {p.relative_to(src).as_posix(): p for p in src.rglob("*") if p.is_file()}
    write_release(admin.repo, load_signers(admin.keys), files, bundle_version=2)


@pytest.mark.parametrize(
    "breakage", ["languages as a table", "steps as strings", "very deep nesting", "a long text"]
)
def test_the_updater_refuses_a_signed_bundle_of_wrong_types_and_records_why(
    tmp_path, admin, server, installed_terminal, breakage
):
    terminal = installed_terminal
    breaker, expected = BREAKAGES[breakage]
    sign_broken_release(admin, tmp_path, breaker)
    server.reset_counts()
    result = terminal.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "fails its checks" in result.reason and expected.split(": ", 1)[-1] in result.reason
    status = terminal.status()
    assert status.last_result == "refused" and result.reason in status.last_error
    assert terminal.installed_version() == 1 and not terminal.pending()
    assert server.target_requests(), "the broken release was downloaded once"

    # The same release again: refused from its metadata alone, nothing downloaded.
    server.reset_counts()
    again = terminal.check_once()
    assert again.status == UpdateStatus.REFUSED
    assert "refused before" in again.reason and expected.split(": ", 1)[-1] in again.reason
    assert server.target_requests() == {}
    assert "refused before" in terminal.status().last_error

    # A new release (the admin fixed it, as version 3) is downloaded and installed.
    admin.bump()
    admin.bump()
    admin.publish()
    assert terminal.check_once().status == UpdateStatus.UPDATED_STAGED


def test_the_updater_refuses_an_oversized_file_before_downloading_it(
    tmp_path, admin, server, installed_terminal
):
    sign_broken_release(admin, tmp_path, a_huge_audio_file)
    server.reset_counts()
    result = installed_terminal.check_once()
    assert result.status == UpdateStatus.REFUSED
    assert "audio/huge.ogg is 16,777,217 bytes; a file may be" in result.reason
    assert "audio/huge.ogg" not in server.target_requests()
    assert result.bytes_downloaded < 1_000_000
    assert os.path.getsize(tmp_path / "broken-src" / "audio" / "huge.ogg") > MAX_FILE_BYTES
