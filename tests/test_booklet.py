"""The printed booklet: built from the same content bundle as the terminals,
checked the way a reader meets it: rendered pages (pdftoppm), their QR codes
(zbar) and their text layer (pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.pyzbar import decode as zbar_decode

from kiosk.cli import main as kiosk_main
from kiosk.core.booklet import (
    BOOKLET_STRINGS,
    PAGE_H,
    PAGE_W,
    BookletError,
    UnknownSite,
    build_booklet,
    saddle_order,
)
from kiosk.core.content import Bundle, link_allowed, load_bundle

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftoppm", "pdftotext", "pdffonts", "pdfinfo")),
    reason="poppler-utils is not installed",
)

ALLOW = ("gov.az", "e-gov.az", "edu.az")


def flat(text: str) -> str:
    """Text as a reader sees it: pictograms (private-use glyphs) dropped, line breaks
    and runs of spaces made single spaces (titles may wrap)."""
    text = re.sub("[\ue000-\uf8ff\U000f0000-\U000ffffd]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def page_texts(pdf: Path, crop: tuple[float, float, float, float] | None = None) -> list[str]:
    args = ["pdftotext", "-raw"]
    if crop:
        x, y, w, h = crop
        args = ["pdftotext", "-raw", "-x", str(int(x)), "-y", str(int(y)), "-W", str(int(w))]
        args += ["-H", str(int(h))]
    out = subprocess.run([*args, str(pdf), "-"], capture_output=True, check=True, text=True)
    return [flat(p) for p in out.stdout.split("\f")[:-1]]


def page_qrs(pdf: Path, tmp: Path, dpi: int = 72) -> list[list[str]]:
    """The QR codes zbar reads on each rendered page, in page order."""
    prefix = tmp / f"{pdf.stem}-page"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
    pngs = sorted(tmp.glob(f"{pdf.stem}-page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [
        [s.data.decode() for s in zbar_decode(Image.open(p), symbols=[ZBarSymbol.QRCODE])]
        for p in pngs
    ]


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


@pytest.fixture(scope="module")
def barda_az(tmp_path_factory: pytest.TempPathFactory, bundle: Bundle):
    out = tmp_path_factory.mktemp("booklet") / "barda-az.pdf"
    return build_booklet(bundle, "barda", "az", out, imposition=False, allowlist=ALLOW)


@pytest.fixture(scope="module")
def barda_az_fold(tmp_path_factory: pytest.TempPathFactory, bundle: Bundle):
    out = tmp_path_factory.mktemp("booklet") / "barda-az-fold.pdf"
    return build_booklet(bundle, "barda", "az", out, imposition=True, allowlist=ALLOW)


def linked(bundle: Bundle) -> dict[str, str]:
    return {s.id: s.link for s in bundle.services.values() if link_allowed(s.link, ALLOW)}


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_every_service_title_is_in_the_text_layer(bundle: Bundle, tmp_path: Path, lang: str):
    made = build_booklet(bundle, "barda", lang, tmp_path / "b.pdf", imposition=False)
    text = " ".join(page_texts(made.path))
    for svc in bundle.services.values():
        assert flat(svc.title(lang)) in text, f"{svc.id}: title missing from the text layer"
    # The district on the cover, letter for letter (ə must not turn into a box or "e").
    assert bundle.sites["barda"].name(lang) in text


def test_azerbaijani_letters_survive_in_the_text_layer(barda_az):
    text = " ".join(page_texts(barda_az.path))
    assert "Bərdə" in text
    for letter in "əğıöüşçİ":
        assert letter in text, f"{letter!r} was lost"


def test_fonts_are_embedded(barda_az):
    out = subprocess.run(["pdffonts", str(barda_az.path)], capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows, "no fonts at all"
    for row in rows:
        # Columns: name type encoding emb sub uni; a printer must not substitute a font.
        assert row.split()[-5] == "yes", f"not embedded: {row}"


@pytest.mark.parametrize("fold", [False, True], ids=["a4", "a5-fold"])
def test_every_qr_decodes_to_its_service_link(bundle: Bundle, tmp_path: Path, fold: bool):
    made = build_booklet(bundle, "barda", "az", tmp_path / "b.pdf", imposition=fold)
    texts = page_texts(made.path)
    qrs = page_qrs(made.path, tmp_path, dpi=100 if fold else 72)
    assert len(qrs) == len(texts) == made.sides
    assert linked(bundle), "no service with an allowlisted link to check"
    by_link: dict[str, set[str]] = {}
    for sid, link in linked(bundle).items():
        by_link.setdefault(link, set()).add(sid)
    for n, (codes, text) in enumerate(zip(qrs, texts, strict=True), start=1):
        for code in codes:
            # A code belongs to a service whose title is on the same page.
            owners = by_link.get(code, set())
            assert any(flat(bundle.services[s].title("az")) in text for s in owners), (
                f"page {n}: QR {code!r} is not next to its service's title"
            )
    for sid, link in linked(bundle).items():
        title = flat(bundle.services[sid].title("az"))
        assert any(
            link in codes and title in text for codes, text in zip(qrs, texts, strict=True)
        ), f"{sid}: no readable QR code for {link}"
    assert made.qr_links == linked(bundle)


def test_only_allowlisted_links_become_qr_codes(bundle: Bundle, tmp_path: Path):
    narrow = ("gov.az",)  # www.e-gov.az is not a sub-domain of gov.az
    outside = {s.id: s.link for s in bundle.services.values() if s.link}
    outside = {k: v for k, v in outside.items() if not link_allowed(v, narrow)}
    assert outside, "the default content should have a link outside gov.az to test with"
    made = build_booklet(bundle, "barda", "az", tmp_path / "b.pdf", False, allowlist=narrow)
    codes = {c for page in page_qrs(made.path, tmp_path) for c in page}
    assert not codes & set(outside.values())
    assert made.skipped_links == outside
    text = " ".join(page_texts(made.path))
    for sid in outside:  # the service itself is still in the booklet
        assert flat(bundle.services[sid].title("az")) in text


def test_folded_booklet_has_the_same_pages_in_saddle_stitch_order(barda_az, barda_az_fold):
    fold = barda_az_fold
    assert fold.pages % 4 == 0
    assert fold.sheets == fold.pages // 4
    assert pdf_pages(fold.path) == fold.sides == 2 * fold.sheets
    plain = page_texts(barda_az.path)
    assert pdf_pages(barda_az.path) == barda_az.pages == len(plain)
    # Cut each printed side into its two A5 halves (pdftotext crops in points at 72 dpi).
    sheet_w = 841.89
    left = page_texts(fold.path, (sheet_w / 2 - PAGE_W, 0, PAGE_W, PAGE_H))
    right = page_texts(fold.path, (sheet_w / 2, 0, PAGE_W, PAGE_H))
    imposed: dict[int, str] = {}
    for (lp, rp), lt, rt in zip(saddle_order(fold.pages), left, right, strict=True):
        imposed[lp], imposed[rp] = lt, rt
    assert sorted(imposed) == list(range(1, fold.pages + 1))
    # Reading pages keep their numbers; the back cover stays last; the padding between
    # is note pages.
    body = len(plain) - 1
    for n in range(1, body + 1):
        assert imposed[n] == plain[n - 1], f"page {n} differs"
    assert imposed[fold.pages] == plain[-1]
    for n in range(body + 1, fold.pages):
        assert imposed[n].startswith("Qeydlər"), f"padding page {n}: {imposed[n]!r}"


@pytest.mark.parametrize("pages", [4, 8, 12, 28])
def test_saddle_order_puts_facing_pages_on_one_sheet(pages: int):
    sides = saddle_order(pages)
    assert len(sides) == pages // 2
    flat_pages = [p for side in sides for p in side]
    assert sorted(flat_pages) == list(range(1, pages + 1))
    # Folded, each side's two pages sit mirror-wise around the middle of the booklet.
    assert all(a + b == pages + 1 for a, b in sides)
    # The outer sheet carries the cover (right of the front) and the back cover (left).
    assert sides[0] == (pages, 1)


def test_saddle_order_refuses_a_page_count_that_cannot_fold():
    with pytest.raises(ValueError):
        saddle_order(10)


def test_missing_site_profile_names_the_site_and_the_available_ones(bundle: Bundle, tmp_path):
    with pytest.raises(UnknownSite) as err:
        build_booklet(bundle, "nowhere", "az", tmp_path / "b.pdf", imposition=False)
    assert "nowhere" in str(err.value)
    for site in bundle.sites:
        assert site in str(err.value)
    assert not (tmp_path / "b.pdf").exists()


def test_cli_missing_site_exits_non_zero_with_a_clear_message(tmp_path, capsys):
    out = tmp_path / "b.pdf"
    code = kiosk_main(["booklet", "--site", "nowhere", "--lang", "az", "--out", str(out)])
    err = capsys.readouterr().err
    assert code != 0
    assert "nowhere" in err and "barda" in err
    assert not out.exists()


def test_cli_writes_the_folded_booklet(tmp_path, capsys):
    out = tmp_path / "b.pdf"
    code = kiosk_main(["booklet", "--site", "barda", "--lang", "ru", "--out", str(out), "--fold"])
    said = capsys.readouterr().out
    assert code == 0
    assert pdf_pages(out) % 2 == 0
    assert "sheet" in said


def test_unknown_language_is_refused(bundle: Bundle, tmp_path: Path):
    with pytest.raises(BookletError, match="'de'"):
        build_booklet(bundle, "barda", "de", tmp_path / "b.pdf", imposition=False)


def test_help_points_page_shows_the_site_profile(bundle: Bundle, barda_az):
    text = " ".join(page_texts(barda_az.path))
    site = bundle.sites["barda"]
    for point in site.help_points:
        for part in (point.name, point.address, point.hours):
            if part.has("az"):
                assert flat(part("az")) in text
        assert point.phone in text


def test_pin_warning_is_printed(bundle: Bundle, barda_az):
    text = " ".join(page_texts(barda_az.path))
    assert bundle.string("booklet.pin_title", "az") in text


def test_booklet_strings_exist_in_the_default_bundle(bundle: Bundle):
    for key in BOOKLET_STRINGS:
        assert key in bundle.strings, key
        for lang in bundle.language_codes:
            assert bundle.strings[key].has(lang), f"{key} [{lang}]"


def test_a_new_district_and_a_long_text_come_from_the_content(content_copy: Path, tmp_path):
    # What must survive: the booklet follows the bundle, not a list in the code,
    # and a text longer than a page continues on the next page instead of being cut.
    (content_copy / "sites" / "tartar.toml").write_text(
        'id = "tartar"\n'
        'name = { az = "Tərtər", ru = "Тертер", en = "Tartar" }\n'
        "[[help_points]]\n"
        'name = { az = "Tərtər DOST", ru = "DOST Тертер", en = "Tartar DOST" }\n'
        'address = { az = "Mərkəzi küçə 1", ru = "Центральная 1", en = "Central st. 1" }\n'
        'hours = { az = "09:00–18:00", ru = "09:00–18:00", en = "09:00–18:00" }\n'
        'phone = "142"\nsource = "dost"\n'
        '[places]\nsocial = { az = "DOST", ru = "DOST", en = "DOST", source = "dost" }\n'
        'asan = { az = "ASAN Bərdə", ru = "ASAN Барда", en = "ASAN Barda", unconfirmed = true }\n'
        '[sources.dost]\nurl = "https://dost.gov.az"\nchecked = 2026-11-29\n',
        encoding="utf-8",
    )
    svc = content_copy / "services" / "id-card.toml"
    long_az = " ".join(["Vəsiqəni ASAN xidmət mərkəzində alırsınız."] * 60) + " SONSÖZ."
    svc.write_text(
        svc.read_text(encoding="utf-8").replace(
            'az = "Vəsiqəni ASAN xidmətdə və ya qeydiyyatda olduğunuz yerin polis orqanında alırsınız."',
            f'az = "{long_az}"',
        ),
        encoding="utf-8",
    )
    # A checklist longer than a page flows on instead of failing.
    text = re.sub(r'\[\[documents\]\]\n(?:\w+ = ".*"\n)+\n?', "", svc.read_text(encoding="utf-8"))
    assert "[[documents]]" not in text
    text += "".join(
        f'\n[[documents]]\naz = "Sənəd {i}"\nru = "Документ {i}"\nen = "Paper {i}"\n'
        "unconfirmed = true\n"
        for i in range(40)
    )
    svc.write_text(text, encoding="utf-8")
    bundle = load_bundle(content_copy)
    made = build_booklet(bundle, "tartar", "az", tmp_path / "t.pdf", imposition=False)
    texts = page_texts(made.path)
    assert "Tərtər" in texts[0]
    assert "SONSÖZ" in " ".join(texts)
    assert "Sənəd 0" in " ".join(texts) and "Sənəd 39" in " ".join(texts)
    assert "Mərkəzi küçə 1" in " ".join(texts)


def test_an_unconfirmed_fact_is_printed_with_whom_to_ask(bundle: Bundle, tmp_path: Path):
    """What its author marked unconfirmed is never printed as certain."""
    from kiosk.core.content.provenance import caution

    made = build_booklet(bundle, "barda", "ru", tmp_path / "b.pdf", imposition=False)
    text = " ".join(page_texts(made.path))
    marked = [
        (svc.documents[i]("ru"), svc.document_provenance(i))
        for svc in bundle.services.values()
        for i in range(len(svc.documents))
        if svc.document_provenance(i).unconfirmed
    ]
    assert marked, "the default content marks no document unconfirmed: pick another check"
    for line, mark in marked:
        assert f"{line} — {caution(bundle, mark)('ru')}" in text, line


@pytest.mark.parametrize(
    ("lang", "down", "enter"),
    [
        ("az", "2 və ya J — növbəti seçim.", "Enter — seçmək."),
        ("ru", "2 или J — следующая кнопка.", "Enter — выбрать."),
    ],
)
def test_the_key_card_prints_this_terminals_own_keys_in_words(bundle, tmp_path, lang, down, enter):
    """`kiosk booklet --config`: the key card lists the keys of this terminal's
    [access] settings, named as a resident knows them (never "numpad2")."""
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[access]\ndown_keys = ["numpad2", "j"]\nenter_keys = ["numpadenter"]\n'
        'help_keys = ["f5"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "b.pdf"
    args = [
        "booklet",
        "--site",
        "barda",
        "--lang",
        lang,
        "--out",
        str(out),
        "--config",
        str(config),
    ]
    assert kiosk_main(args) == 0
    title = bundle.string("booklet.keys_title", lang)
    (card,) = [page for page in page_texts(out) if page.startswith(title)]
    assert down in card and enter in card and "F5 — " in card
    assert "numpad" not in card and bundle.string("access.key.down", lang) not in card
    assert bundle.string("access.touch", lang) in card
