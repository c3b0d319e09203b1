"""The content studio's screen picture (kiosk/preview/worker.py, a real off-screen
Kivy child) shows a step as the chosen site's terminal does: "{place:asan}"
filled in with that district's place, not the raw key. A site whose place is
too long to fit is told so; the same step at another site fits."""

from __future__ import annotations

from pathlib import Path

from kiosk.preview.renderer import ScreenRenderer

LONG = "ASAN xidmət mərkəzi " + "çox uzun ünvan " * 40  # far more than the box holds


def test_the_picture_fills_in_the_chosen_sites_place(tmp_path: Path, content_copy: Path):
    site = content_copy / "sites" / "agdam.toml"
    text = site.read_text(encoding="utf-8")
    old = 'az = "ASAN xidmət mərkəzi, Bərdə"'
    assert old in text
    site.write_text(text.replace(old, f'az = "{LONG}"', 1), encoding="utf-8")
    renderer = ScreenRenderer(tmp_path / "renderer.log")
    try:
        answers = {}
        for sid in ("barda", "agdam"):
            out = tmp_path / f"{sid}.png"
            answers[sid] = renderer.render(
                {
                    "content": str(content_copy),
                    "site": sid,
                    "lang": "az",
                    "screen": "step",
                    "item": "free-help",
                    "step": "asan",
                    "out": str(out),
                },
                (1280, 800),
            )
            assert answers[sid]["ok"], answers[sid]
            assert out.stat().st_size > 0
    finally:
        renderer.close()
    assert answers["barda"]["problems"] == []
    # Only the filled-in words are long enough not to fit: the place was filled in.
    assert answers["agdam"]["problems"], answers["agdam"]
