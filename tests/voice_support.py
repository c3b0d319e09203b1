"""Speech-like audio for the voice studio's tests: a voiced, syllable-paced
signal between stretches of room quiet, at a chosen level, as WAV or encoded
with PyAV (WebM/Opus, MP4/AAC, OGG/Vorbis), and a loudness meter to compare."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np

RATE = 48_000


def speech_like(seconds: float = 1.6, peak: float = 0.05, pad: float = 0.6) -> np.ndarray:
    """Quiet, a voiced 'sentence' (harmonics of 140 Hz, four syllables a second), quiet."""
    t = np.arange(int(seconds * RATE)) / RATE
    voiced = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 8))
    syllables = 0.55 + 0.45 * np.sin(2 * np.pi * 4 * t)
    words = voiced * syllables
    words = words / np.max(np.abs(words)) * peak
    rng = np.random.default_rng(7)
    quiet = int(pad * RATE)
    floor = 0.0005
    return np.concatenate(
        [
            rng.normal(0, floor, quiet),
            words + rng.normal(0, floor, words.size),
            rng.normal(0, floor, quiet),
        ]
    )


def wav_bytes(samples: np.ndarray, rate: int = RATE) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.round(np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buf.getvalue()


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    path.write_bytes(wav_bytes(samples, rate))
    return path


def encoded(samples: np.ndarray, container: str, codec: str) -> bytes:
    """The samples as a browser or a phone app would send them (PyAV's encoders)."""
    import av

    buf = io.BytesIO()
    with av.open(buf, mode="w", format=container) as out:
        stream = out.add_stream(codec, rate=RATE, layout="mono")
        frame_size = 960
        pcm = samples.astype(np.float32)
        fmt = stream.codec_context.format.name if stream.codec_context.format else "fltp"
        for start in range(0, pcm.size, frame_size):
            chunk = pcm[start : start + frame_size]
            if chunk.size < frame_size:
                chunk = np.pad(chunk, (0, frame_size - chunk.size))
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="fltp", layout="mono")
            frame.rate = RATE
            frame.pts = start
            if fmt != "fltp":
                frame = av.AudioResampler(format=fmt, layout="mono", rate=RATE).resample(frame)[0]
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def lufs(wav: bytes) -> float:
    """Integrated loudness of a WAV, read back with the standard library."""
    import pyloudnorm

    with wave.open(io.BytesIO(wav)) as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768
    return float(pyloudnorm.Meter(rate).integrated_loudness(pcm))
