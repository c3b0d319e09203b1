"""A title with a bidi override, a NUL or a bell would reach every terminal's
screen, voice and slip, reordering or hiding what is beside it: the content check
refuses it, naming the file, the item, the language and the character, in az, ru
and en. A line break in a long text stays allowed."""

from datetime import date

import pytest

from kiosk.core.content import check_bundle


@pytest.mark.parametrize("char", ["\u202e", "\u0000", "\u0007", "\u200b", "\u2066"])
def test_an_invisible_or_control_character_in_a_title_is_refused_and_named(content_copy, char):
    path = content_copy / "services" / "id-card.toml"
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title.az"))
    escaped = f"\\u{ord(char):04X}"
    path.write_text(text.replace(title, f'title.az = "Şəxsiyyət{escaped} vəsiqəsi"'), "utf-8")
    bundle, problems = check_bundle(content_copy, today=date(2026, 12, 7))
    assert bundle is None
    [problem] = problems
    assert problem.file == "services/id-card.toml" and problem.lang == "az"
    assert f"U+{ord(char):04X}" in str(problem)


def test_a_line_break_in_a_text_is_no_problem(content_copy):
    path = content_copy / "services" / "id-card.toml"
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("summary.az"))
    path.write_text(text.replace(title, title[:-1] + '\\nİkinci sətir."'), "utf-8")
    _bundle, problems = check_bundle(content_copy, today=date(2026, 12, 7))
    assert problems == []
