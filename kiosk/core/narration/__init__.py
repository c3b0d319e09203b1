"""Narration: what each screen says, and the engines, cache and narrator that say it.

Nothing here imports Kivy; the UI hands the narrator a player and a way to run
a callable on its own thread (see kiosk/ui/audio.py).
"""

from kiosk.core.narration.cache import AudioCache
from kiosk.core.narration.engines import (
    EngineError,
    FakeEngine,
    Pyttsx3Engine,
    SilentEngine,
    SpeechEngine,
)
from kiosk.core.narration.narrator import Narrator, cache_dir, make_engine, make_narrator
from kiosk.core.narration.player import FakePlayer, Player
from kiosk.core.narration.script import Line, all_lines

__all__ = [
    "AudioCache",
    "EngineError",
    "FakeEngine",
    "FakePlayer",
    "Line",
    "Narrator",
    "Player",
    "Pyttsx3Engine",
    "SilentEngine",
    "SpeechEngine",
    "all_lines",
    "cache_dir",
    "make_engine",
    "make_narrator",
]
