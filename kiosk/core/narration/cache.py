"""The narration audio cache: one WAV per (text, voice, rate, engine) on disk.

Clips are rendered ahead of time so a screen speaks the moment it opens. A clip
is written to a temporary name and renamed into place, so a crash or a power
cut mid-render never leaves half a WAV that would count as a hit. This module
never synthesises by itself: `render` is handed an engine by its caller, on the
engine's own thread.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from kiosk.core.narration.engines import EngineError, SpeechEngine, wav_seconds

# Raise when the file format or key recipe changes: old clips are then ignored.
CACHE_FORMAT = 1


def clip_key(text: str, voice: str, rate: int, engine_id: str) -> str:
    """Stable name of a clip: a hash of everything that changes how it sounds."""
    raw = "\x1f".join((str(CACHE_FORMAT), engine_id, voice, str(int(rate)), text))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class AudioCache:
    """Clips under `root`, spread over 256 sub-folders by the key's first byte."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, text: str, voice: str, rate: int, engine_id: str) -> Path:
        key = clip_key(text, voice, rate, engine_id)
        return self.root / key[:2] / f"{key}.wav"

    def get(self, text: str, voice: str, rate: int, engine_id: str) -> Path | None:
        """The clip's file if it is in the cache, else None."""
        path = self.path(text, voice, rate, engine_id)
        # Only finished clips are ever renamed to *.wav, so existing means whole.
        return path if path.is_file() else None

    def render(self, engine: SpeechEngine, text: str, voice: str, rate: int) -> Path:
        """Synthesise one clip into the cache (engine thread only) and return its file.

        Raises EngineError; nothing is left behind then.
        """
        final = self.path(text, voice, rate, engine.id)
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".render-", suffix=".tmp", dir=final.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            engine.synthesize(text, voice, rate, tmp)
            if wav_seconds(tmp) <= 0:
                raise EngineError(f"{engine.id} wrote no audio for {text[:40]!r}")
            os.replace(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)
        return final

    def clear_partial(self) -> int:
        """Remove temporary files a crash left behind; returns how many."""
        removed = 0
        for tmp in self.root.glob("*/.render-*.tmp"):
            tmp.unlink(missing_ok=True)
            removed += 1
        return removed
