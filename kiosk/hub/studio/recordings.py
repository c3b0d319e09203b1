"""Human-voice recordings on the hub: adding one (from the studio or a file),
approving, each text's state, and exporting the approved ones into a content
bundle folder. The studio's API and `kiosk hub recordings` both use this.

A recording is for one text (its key, see kiosk/core/narration/voices.py) in one
language and keeps the exact words it was made for, who made it, when, and the
consent they gave. Its audio is processed (kiosk/hub/audio.py) and written in
full under <data_dir>/recordings/ before its row is stored, so a refused or
failed upload leaves nothing behind.

States of a text in a language: synthetic (no human voice), recorded (waiting
for an admin), approved, stale (the words changed after recording).
"""

from __future__ import annotations

import os
import shutil
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from kiosk.core.content import Bundle, check_bundle, load_bundle
from kiosk.core.content.publish import write_atomic
from kiosk.core.narration.voices import Spoken, spoken_texts
from kiosk.hub.store import HubStore, StoreError, quota_message
from kiosk.hub.studio.audio import AudioRefused, process

MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # a minute of uncompressed 48 kHz stereo is 11 MB
SUBDIR = "recordings"

# What a volunteer agrees to before sending; stored with the recording, in the
# words they were shown.
CONSENT = {
    "az": "Razıyam ki, səsimin bu yazısı Kömək terminallarında hamının yanında səsləndirilsin.",
    "ru": "Я согласен(на), чтобы эта запись моего голоса звучала публично на терминалах Kömək.",
    "en": "I agree that this recording of my voice is played in public on Kömək terminals.",
}


class RecordingRefused(Exception):
    """A recording that cannot be taken; `code` is the HTTP status for the API."""

    def __init__(self, message: str, code: int = 422):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class TextState:
    spoken: Spoken
    lang: str
    state: str  # synthetic, recorded, approved, stale
    recording: dict[str, Any] | None  # the one that decides the state


def recordings_dir(data_dir: Path) -> Path:
    return Path(data_dir) / SUBDIR


def find_text(bundle: Bundle, key: str, lang: str) -> Spoken:
    """The text under `key` that residents hear in `lang`, or RecordingRefused."""
    if lang not in bundle.language_codes:
        raise RecordingRefused(
            f"the content has no language {lang!r} (it has {', '.join(bundle.language_codes)})"
        )
    for s in spoken_texts(bundle):
        if s.key == key:
            if not s.text.has(lang):
                raise RecordingRefused(f"text {key!r} has no words in {lang}")
            return s
    raise RecordingRefused(
        f"no text {key!r} in the content: it was removed or renamed; reload the list", 404
    )


def add_recording(
    store: HubStore,
    data_dir: Path,
    bundle: Bundle,
    *,
    audio: bytes | BinaryIO,
    key: str,
    lang: str,
    by: str,
    consent: str,
    source: str,
    now: datetime,
    words: str | None = None,
    site: str = "",
    quota_bytes: int | None = None,
) -> dict[str, Any]:
    """Check, process and store one recording of `site` ("" for every site);
    returns its row. RecordingRefused (nothing stored) for an unknown text,
    changed words, missing consent, audio that is not a spoken text, or one
    over the recorder's quota (`quota_bytes` of recordings in all)."""
    spoken = find_text(bundle, key, lang)
    current = spoken.words(lang)
    if words is not None and words != current:
        raise RecordingRefused(
            "the text changed while you were recording; reload the list and record the new words",
            409,
        )
    if not consent.strip():
        raise RecordingRefused("a recording is only kept with the speaker's consent", 400)
    size = len(audio) if isinstance(audio, bytes) else audio.seek(0, os.SEEK_END)
    if size > MAX_UPLOAD_BYTES:
        raise RecordingRefused(
            f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; "
            "a text takes seconds to say",
            413,
        )
    if quota_bytes is not None and (used := store.recording_bytes(by)) >= quota_bytes:
        raise RecordingRefused(quota_message(used, quota_bytes), 413)
    try:
        clip = process(audio)
    except AudioRefused as exc:
        raise RecordingRefused(str(exc)) from None
    name = f"{now.strftime('%Y%m%dT%H%M%S')}-{os.urandom(4).hex()}-{lang}-{key}.wav"
    path = recordings_dir(data_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, clip.wav)
    try:
        return store.add_recording(
            {
                "text_key": key,
                "lang": lang,
                "words": current,
                "file": name,
                "by": by,
                "consent": consent,
                "source": source,
                "seconds": clip.seconds,
                "loudness_in": clip.loudness_in,
                "loudness_out": clip.loudness_out,
                "site": site,
                "bytes": len(clip.wav),
            },
            now,
            quota_bytes,
        )
    except StoreError as exc:
        path.unlink(missing_ok=True)
        raise RecordingRefused(str(exc), exc.code) from None
    except BaseException:
        path.unlink(missing_ok=True)  # no file without its row
        raise


def text_states(
    store: HubStore,
    bundle: Bundle,
    lang: str,
    opened: Mapping[str, int] | None = None,
    site: str | None = None,
) -> list[TextState]:
    """Every text heard in `lang`, most heard first, with its state. The newest
    recording that is not rejected decides (with `site`: of that site's and
    every site's); a voice already in the bundle with no recording here counts
    as approved."""
    latest: dict[str, dict[str, Any]] = {}
    for row in store.recordings(lang, site):  # newest first
        if row["status"] != "rejected":
            latest.setdefault(row["text_key"], row)
    out = []
    for s in spoken_texts(bundle, opened):
        if not s.text.has(lang):
            continue
        row = latest.get(s.key)
        if row is None:
            state = "approved" if s.text.audio.get(lang) else "synthetic"
        elif row["words"] != s.words(lang):
            state = "stale"
        else:
            state = row["status"]
        out.append(TextState(s, lang, state, row))
    return out


def approve(
    store: HubStore, ids: Iterable[int] | None, by: str, now: datetime
) -> list[dict[str, Any]]:
    """Approve these recordings (None: every one waiting); returns the rows approved."""
    if ids is None:
        ids = [r["id"] for r in store.recordings() if r["status"] == "recorded"]
    return [store.review_recording(i, "approved", by, now) for i in ids]


# ---- export into a bundle --------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    written: list[str]  # "az home.say -> audio/az/home.say.wav"
    skipped: list[str]  # why an approved recording was left out


def export(
    store: HubStore,
    data_dir: Path,
    bundle_dir: Path,
    write_text: Callable[[str, str], None] | None = None,
    check: bool = True,
) -> ExportResult:
    """Copy the newest approved recording of every text into `bundle_dir`
    (audio/<lang>/<key>.wav) and name it in the bundle's TOML files, keeping their
    comments and layout. Recordings whose words no longer match the bundle's text
    are skipped (stale). The bundle must load before and (with `check`) after.

    `write_text(path, text)` writes a changed TOML file instead of writing it
    directly (the studios' draft records it in its history); an unchanged file
    and an unchanged recording are not written again."""
    import tomlkit

    bundle = load_bundle(bundle_dir)
    texts = {s.key: s for s in spoken_texts(bundle)}
    newest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in store.recordings():  # newest first
        if row["status"] == "approved":
            newest.setdefault((row["text_key"], row["lang"]), row)
    written: list[str] = []
    skipped: list[str] = []
    docs: dict[str, Any] = {}
    copies: list[tuple[Path, Path]] = []
    for (key, lang), row in sorted(newest.items()):
        spoken = texts.get(key)
        if spoken is None:
            skipped.append(f"{lang} {key}: no such text in this bundle")
            continue
        if spoken.words(lang) != row["words"]:
            skipped.append(f"{lang} {key}: stale, the text changed after it was recorded")
            continue
        source = recordings_dir(data_dir) / row["file"]
        if not source.is_file():
            skipped.append(f"{lang} {key}: the hub's file {row['file']} is missing")
            continue
        rel = f"audio/{lang}/{key}.wav"
        if spoken.file not in docs:
            docs[spoken.file] = tomlkit.parse((bundle_dir / spoken.file).read_text("utf-8"))
        _name_recording(docs[spoken.file], spoken, lang, rel)
        copies.append((source, bundle_dir / rel))
        written.append(f"{lang} {key} -> {rel}")
    for source, dest in copies:
        if dest.is_file() and dest.read_bytes() == source.read_bytes():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.part")
        shutil.copyfile(source, tmp)
        os.replace(tmp, dest)
    for rel, doc in docs.items():
        text = tomlkit.dumps(doc)
        tomllib.loads(text)  # never write a file the loader cannot read
        if text == (bundle_dir / rel).read_text("utf-8"):
            continue
        if write_text is not None:
            write_text(rel, text)
        else:
            write_atomic(bundle_dir / rel, text.encode("utf-8"))
    if check:
        _, problems = check_bundle(bundle_dir)
        if problems:
            raise RecordingRefused(
                "the bundle does not load after export: " + str(problems[0]), 500
            )
    return ExportResult(written, skipped)


def withdraw(
    store: HubStore,
    data_dir: Path,
    bundle_dir: Path,
    row: Mapping[str, Any],
    write_text: Callable[[str, str], None],
) -> bool:
    """After `row` was rejected: when the bundle plays exactly that recording and no
    other approved one of the text is left, unname it in the TOML (the file goes
    too), so the next release says that text in the synthetic voice again. With
    another approved recording left, `export` puts that one in instead. True when
    the bundle changed."""
    import tomlkit

    rel = f"audio/{row['lang']}/{row['text_key']}.wav"
    path = Path(bundle_dir) / rel
    source = recordings_dir(data_dir) / row["file"]
    if not path.is_file() or not source.is_file() or path.read_bytes() != source.read_bytes():
        return False  # the bundle plays another recording (or none): nothing to take back
    others = [
        r
        for r in store.recordings(row["lang"])
        if r["text_key"] == row["text_key"] and r["status"] == "approved" and r["id"] != row["id"]
    ]
    if others:
        return False
    bundle = load_bundle(bundle_dir)
    spoken = next((s for s in spoken_texts(bundle) if s.key == row["text_key"]), None)
    if spoken is None:
        return False
    doc = tomlkit.parse((Path(bundle_dir) / spoken.file).read_text("utf-8"))
    table = doc
    for part in spoken.place:
        table = table[part]
    for key in [k for k in table if k == "audio" or str(k).endswith("_audio")]:
        audio = table[key]
        if isinstance(audio, dict) and audio.get(row["lang"]) == rel:
            del audio[row["lang"]]
            if not audio:
                del table[key]
    text = tomlkit.dumps(doc)
    tomllib.loads(text)
    write_text(spoken.file, text)
    path.unlink()
    return True


def _name_recording(doc: Any, spoken: Spoken, lang: str, rel: str) -> None:
    """Set the recording of `spoken` in `lang` in a parsed TOML document."""
    import tomlkit

    table = doc
    for part in spoken.place:
        table = table[part]
    names = spoken.names
    if names == ("",):  # a UI string or a document: its own table keeps `audio`
        audio_key = "audio"
    else:
        name = next((n for n in names if n in table), names[-1])
        audio_key = f"{name}_audio"
    if audio_key in table:
        table[audio_key][lang] = rel
    else:
        inline = tomlkit.inline_table()
        inline[lang] = rel
        table[audio_key] = inline
