"""Turns what a browser or a phone's recorder app sends into a clip a terminal
plays: decode (PyAV, FFmpeg's libraries), mix to mono, trim the silence before
and after the words, normalise the loudness to about -16 LUFS (EBU R128, measured with pyloudnorm) without letting peaks
clip, and write 16-bit mono WAV (the format the terminal's player is tested with).

Only the formats meant are taken, known by their first bytes (never by the file
name or by FFmpeg's guessing): WAV, and what browsers' MediaRecorder makes:
WebM/Opus (Chrome, Firefox, Android), Ogg/Opus (Firefox), MP4/AAC (Safari on
iPhone and Mac; also phone recorder apps' .m4a), plus MP3 from recorder apps.
The demuxer is forced to that format, and any other file or URL it would open
(a playlist's entries, an MP4's external references) is refused, so a concat
list, an HLS playlist or any text file never makes the hub read anything else.

Anything that is not a spoken text is refused with a reason a volunteer can act
on (AudioRefused): not audio, silent, too short, over a minute, clipped.
Nothing here touches the database or the file system beyond the paths given.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

RATE = 24_000  # Hz: plenty for speech, half the size of 48 kHz
TARGET_LUFS = -16.0
PEAK_LIMIT = 0.891  # -1 dBFS: the normalised clip never clips
MAX_GAIN_DB = 35.0  # a whisper is raised, noise is not made into a roar
MAX_SECONDS = 60.0  # after trimming
DECODE_LIMIT_SECONDS = 120.0  # stop decoding a far too long file early
MIN_SECONDS = 0.5  # after trimming; also what the loudness meter needs
SILENT_PEAK = 10 ** (-50 / 20)  # peak below -50 dBFS: nothing was recorded
CLIP_LEVEL = 0.999
CLIP_SHARE = 0.001  # more than 0.1 % of samples at full scale is distortion
FRAME = RATE // 100  # 10 ms, for finding where the words start and end
LEAD_IN, TAIL = 0.15, 0.3  # seconds of quiet kept before and after the words


class AudioRefused(Exception):
    """An upload that is not a usable recording; the message says why, for people."""


@dataclass(frozen=True)
class Clip:
    wav: bytes  # 16-bit mono WAV at RATE
    seconds: float
    loudness_in: float  # LUFS of the words as recorded
    loudness_out: float  # LUFS of the clip written


# First bytes -> FFmpeg demuxer. Nothing else is ever opened.
FORMATS = {
    "wav": "WAV",
    "matroska": "WebM",
    "ogg": "Ogg",
    "mp4": "MP4/M4A",
    "mp3": "MP3",
}


def sniff(head: bytes) -> str | None:
    """The demuxer for a recording starting with `head` (16 bytes are plenty), or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: WebM (Matroska)
        return "matroska"
    if head[:4] == b"OggS":
        return "ogg"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def _no_other_file(url: str, flags: int, options: dict[str, str]) -> Any:
    raise PermissionError("a recording may not open other files")


def _refuse_kind(head: bytes) -> AudioRefused:
    start = head.lstrip()[:16].lower()
    if start.startswith((b"ffconcat", b"#extm3u", b"#ext", b"file ", b"[playlist]")):
        return AudioRefused(
            "this is a playlist or a list of files, not a recording: the hub takes only "
            "the recording itself (WAV, WebM, Ogg, MP4/M4A or MP3)"
        )
    return AudioRefused(
        "this is not a recording the hub can read: send the file your recorder made "
        "(WAV, WebM, Ogg, MP4/M4A or MP3), as it is"
    )


def decode(data: bytes | BinaryIO) -> np.ndarray:
    """Mono float samples at RATE from a recording in one of FORMATS (bytes, or a
    binary file open for reading); AudioRefused if it is none or has no sound."""
    import av

    source: BinaryIO = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    source.seek(0)
    head = source.read(16)
    source.seek(0)
    if not head:
        raise AudioRefused("the recording is empty: nothing was recorded")
    kind = sniff(head)
    if kind is None:
        raise _refuse_kind(head)
    chunks: list[np.ndarray] = []
    total = 0
    try:
        with av.open(
            source,
            mode="r",
            format=kind,
            io_open=_no_other_file,
            options={"protocol_whitelist": "none", "enable_drefs": "0"},
        ) as container:
            if not container.streams.audio:
                raise AudioRefused("this file has no sound in it (no audio track)")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.size
                if total > DECODE_LIMIT_SECONDS * RATE:
                    raise AudioRefused(_too_long(total / RATE, at_least=True))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except AudioRefused:
        raise
    except Exception as exc:  # FFmpeg's many errors: all mean "cannot read this"
        raise AudioRefused(
            f"this is not a recording the hub can read (a damaged {FORMATS[kind]} file: "
            f"{type(exc).__name__}); send the file your recorder made, as it is"
        ) from None
    if not chunks:
        raise AudioRefused("the recording is empty: nothing was recorded")
    return np.concatenate(chunks).astype(np.float64)


def _too_long(seconds: float, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"the recording is {more}{seconds:.0f} seconds long; a text takes seconds to say "
        f"(at most {MAX_SECONDS:.0f}): record only the words"
    )


def trim(samples: np.ndarray) -> np.ndarray:
    """The words with a little quiet around them: frames louder than 35 dB below the
    loudest frame (and above -55 dBFS) count as speech."""
    n = samples.size // FRAME
    if n == 0:
        return samples
    frames = samples[: n * FRAME].reshape(n, FRAME)
    rms = np.sqrt(np.mean(frames**2, axis=1)) + 1e-12
    level = 20 * np.log10(rms)
    threshold = max(level.max() - 35.0, -55.0)
    loud = np.flatnonzero(level > threshold)
    if loud.size == 0:
        return samples[:0]
    start = max(0, loud[0] * FRAME - int(LEAD_IN * RATE))
    end = min(samples.size, (loud[-1] + 1) * FRAME + int(TAIL * RATE))
    return samples[start:end]


def loudness(samples: np.ndarray) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770 / EBU R128)."""
    import pyloudnorm

    return float(pyloudnorm.Meter(RATE).integrated_loudness(samples))


def process(data: bytes | BinaryIO) -> Clip:
    """A normalised WAV clip from an upload, or AudioRefused saying why not."""
    samples = decode(data)
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    if peak < SILENT_PEAK:
        raise AudioRefused(
            "the recording is silent: check that the microphone is allowed and not muted"
        )
    clipped = int(np.count_nonzero(np.abs(samples) >= CLIP_LEVEL))
    if clipped > max(20, CLIP_SHARE * samples.size):
        raise AudioRefused(
            "the recording is too loud and distorted (clipped): hold the phone a little "
            "further away and record again"
        )
    words = trim(samples)
    seconds = words.size / RATE
    if seconds > MAX_SECONDS:
        raise AudioRefused(_too_long(seconds))
    if seconds < MIN_SECONDS:
        raise AudioRefused("the recording is too short to be the text: record all the words")
    before = loudness(words)
    if not np.isfinite(before):
        raise AudioRefused("the recording is too quiet to hear any words: record again closer")
    gain_db = min(TARGET_LUFS - before, MAX_GAIN_DB)
    gain = 10 ** (gain_db / 20)
    top = float(np.max(np.abs(words)))
    if top * gain > PEAK_LIMIT:
        gain = PEAK_LIMIT / top
    out = np.clip(words * gain, -1.0, 1.0)
    return Clip(_wav(out), round(seconds, 2), round(before, 1), round(loudness(out), 1))


def _wav(samples: np.ndarray) -> bytes:
    pcm = np.round(samples * 32767).astype("<i2").tobytes()
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm)
    return buf.getvalue()
