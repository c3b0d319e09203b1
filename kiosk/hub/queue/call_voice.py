"""The spoken call on the waiting-room display: "A on dörd, ikinci masa, sizi Aysel
gözləyir" as a WAV file the display's browser plays.

The words come from core/narration/numbers.py (the rules the terminal says its
ticket numbers by). A human voice is used where the voice studio has an approved
recording of exactly these words in that language; otherwise espeak-ng renders
the words here on the hub, through the same child-process engine and clip cache
the terminal uses (one engine, driven by one thread at a time). A site that
recorded its calls without a volunteer's name keeps that human voice (the name is
on the screen). Never reads a resident's name, phone or note: a call is a ticket,
a desk and the volunteer's display name (none when they have not set one).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.core.narration.cache import AudioCache
from kiosk.core.narration.engines import EngineError, SpeechEngine
from kiosk.core.narration.numbers import call_words
from kiosk.hub.store import HubStore
from kiosk.hub.studio.recordings import recordings_dir

log = logging.getLogger(__name__)

CACHE_SUBDIR = "call-audio"


class CallAudioMissing(Exception):
    """No audio can be made for this call (no recording and no working espeak-ng)."""


class CallVoice:
    def __init__(
        self,
        store: HubStore,
        data_dir: Path,
        settings: Mapping[str, Any],
        voices: Mapping[str, str],
        engine: SpeechEngine | None = None,
    ) -> None:
        self.store = store
        self.data_dir = Path(data_dir)
        self.rate: int = settings["hub.display_speech_rate"]
        self.voices = dict(voices)  # language -> espeak-ng voice
        self.cache = AudioCache(self.data_dir / CACHE_SUBDIR)
        self._engine = engine
        self._lock = threading.Lock()  # pyttsx3 must be driven from one thread at a time

    def engine(self) -> SpeechEngine:
        if self._engine is None:
            from kiosk.core.narration.speech_process import ProcessEngine

            self._engine = ProcessEngine()
        return self._engine

    def words(self, ticket: str, desk: int, lang: str, name: str = "") -> str:
        return call_words(ticket, desk or None, lang, name)

    def recorded(self, words: str, lang: str, site: str | None) -> Path | None:
        """The newest approved human recording of exactly these words (made at
        `site`, or for every site), if any."""
        for row in self.store.recordings(lang, site):
            if row["status"] == "approved" and row["words"].strip() == words:
                path = recordings_dir(self.data_dir) / row["file"]
                if path.is_file():
                    return path
        return None

    def audio(
        self, ticket: str, desk: int, lang: str, site: str | None = None, name: str = ""
    ) -> tuple[Path, str]:
        """(WAV file, "human" or "synthetic") for the call in `lang` (`name`: the
        volunteer's display name); renders and caches it when needed. A human
        recording of these words, else of the same call without the name, comes
        first. Raises CallAudioMissing."""
        words = self.words(ticket, desk, lang, name)
        for said in dict.fromkeys((words, self.words(ticket, desk, lang))):
            if (human := self.recorded(said, lang, site)) is not None:
                return human, "human"
        engine = self.engine()
        voice = self.voices.get(lang, lang)
        cached = self.cache.get(words, voice, self.rate, engine.id)
        if cached is not None:
            return cached, "synthetic"
        if problem := engine.available():
            raise CallAudioMissing(problem)
        with self._lock:
            try:
                return self.cache.render(engine, words, voice, self.rate), "synthetic"
            except EngineError as exc:
                log.warning("call audio for %r failed: %s", words, exc)
                raise CallAudioMissing(str(exc)) from None

    def prepare(
        self, ticket: str, desk: int, langs: list[str], site: str | None = None, name: str = ""
    ) -> None:
        """Render a call's audio in the background, so it is ready when displays ask."""

        def run() -> None:
            for lang in langs:
                try:
                    self.audio(ticket, desk, lang, site, name)
                except CallAudioMissing:
                    return

        threading.Thread(target=run, name="call-voice", daemon=True).start()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
