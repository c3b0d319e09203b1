"""The validator: the default bundle passes, and each kind of mistake is named
with its file, item and language."""

import re
import subprocess
import sys
from pathlib import Path

from kiosk.core.content import check_bundle, link_allowed
from kiosk.paths import DEFAULT_CONTENT

ALLOW = ("gov.az", "e-gov.az", "edu.az")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True)


def problems_of(path: Path) -> list[str]:
    bundle, problems = check_bundle(path, ALLOW)
    assert bundle is None
    return [str(p) for p in problems]


def test_default_bundle_validates_from_the_command_line():
    out = run_cli("content", "validate", str(DEFAULT_CONTENT))
    assert out.returncode == 0, out.stdout
    last = out.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"ok: \d+ services in \d+ groups, \d+ steps, languages az ru en", last), (
        last
    )


def test_broken_copy_fails_from_the_command_line(content_copy):
    f = content_copy / "services" / "id-card.toml"
    f.write_text(
        f.read_text().replace('title.ru = "Удостоверение личности"\n', ""), encoding="utf-8"
    )
    out = run_cli("content", "validate", str(content_copy))
    assert out.returncode == 1
    assert "services/id-card.toml: service 'id-card' [ru]: 'title' has no text" in out.stdout


def test_missing_translation_names_file_item_and_language(content_copy):
    f = content_copy / "services" / "social-assistance.toml"
    text = f.read_text()
    text = text.replace(
        'text.ru = "Семьям с низким доходом государство платит денежную помощь."\n', ""
    )
    f.write_text(text, encoding="utf-8")
    assert (
        "services/social-assistance.toml: service 'social-assistance' step 'what' [ru]: 'text' has no text"
        in problems_of(content_copy)
    )


def test_link_outside_the_allowlist_names_the_service(content_copy):
    f = content_copy / "services" / "id-card.toml"
    f.write_text(
        f.read_text().replace("https://asan.gov.az", "https://asan-help.example.com"),
        encoding="utf-8",
    )
    assert any(
        "service 'id-card'" in p and "not https on an allowed domain" in p
        for p in problems_of(content_copy)
    )


def test_choice_to_unknown_step_and_unknown_pictogram(content_copy):
    f = content_copy / "services" / "social-assistance.toml"
    text = (
        f.read_text()
        .replace('go = "online"', 'go = "nowhere"')
        .replace('icon = "web"', 'icon = "no-such-icon"')
    )
    f.write_text(text, encoding="utf-8")
    found = problems_of(content_copy)
    assert any("choice leads to unknown step 'nowhere'" in p for p in found)
    assert any("pictogram 'no-such-icon'" in p for p in found)


def test_flow_without_finish_is_refused(content_copy):
    f = content_copy / "services" / "id-card.toml"
    text = f.read_text()
    f.write_text(text[: text.index('[[steps]]\nid = "finish"')], encoding="utf-8")
    assert any("is the last step but not a finish step" in p for p in problems_of(content_copy))


def test_malformed_toml_is_reported_not_raised(content_copy):
    (content_copy / "groups.toml").write_text("[[groups]\n", encoding="utf-8")
    assert any(
        p.startswith("groups.toml") and "not valid TOML" in p for p in problems_of(content_copy)
    )


def test_recorded_audio_must_exist_and_be_audio(content_copy):
    f = content_copy / "services" / "id-card.toml"
    text = f.read_text().replace(
        'id = "what"\nkind = "info"\n',
        'id = "what"\nkind = "info"\nsay_audio = { az = "audio/az/missing.wav", ru = "audio/ru/bad.wav" }\n',
    )
    f.write_text(text, encoding="utf-8")
    (content_copy / "audio" / "ru").mkdir(parents=True)
    (content_copy / "audio" / "ru" / "bad.wav").write_bytes(b"not audio at all")
    found = problems_of(content_copy)
    assert any("[az]" in p and "does not exist" in p for p in found)
    assert any("[ru]" in p and "is not readable audio" in p for p in found)


def test_links_must_be_https_on_an_allowed_domain():
    assert link_allowed("https://e-social.gov.az/x", ALLOW)
    assert link_allowed("https://www.e-gov.az", ALLOW)
    assert not link_allowed("http://e-social.gov.az", ALLOW)
    assert not link_allowed("https://gov.az.evil.com", ALLOW)
    assert not link_allowed("https://evilgov.az", ALLOW)
    assert not link_allowed("https://user@e-social.gov.az", ALLOW)
    assert not link_allowed("javascript:alert(1)", ALLOW)


def test_content_list_prints_id_title_link():
    out = run_cli("content", "list", str(DEFAULT_CONTENT))
    assert out.returncode == 0
    rows = [line.split("\t") for line in out.stdout.strip().splitlines()]
    assert [
        "social-assistance",
        "Ünvanlı sosial yardım",
        "https://sosial.gov.az/udsy-muraciet-qaydasi",
    ] in rows
