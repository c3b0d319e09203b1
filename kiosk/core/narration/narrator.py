"""The narrator: speaks a screen's lines, in order, and stops when the resident moves on.

Every public method runs on the UI thread and returns at once. For each line a
recorded human voice in the bundle wins; else a clip from the audio cache plays
immediately; else the worker synthesises it and it plays when ready, unless the
resident has moved on (each say() or stop() starts a new generation, and
results of an older one are thrown away). The narrator never imports Kivy: it
is handed a player and a `schedule` that runs a callable on the UI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from kiosk.core.content.model import Bundle
from kiosk.core.narration.cache import AudioCache
from kiosk.core.narration.engines import SilentEngine, SpeechEngine
from kiosk.core.narration.player import Player
from kiosk.core.narration.script import Line
from kiosk.core.narration.worker import Job, SpeechWorker
from kiosk.core.settings import Settings

log = logging.getLogger(__name__)

Schedule = Callable[[Callable[[], None]], Any]
Progress = Callable[[int, int], None]

VOLUME_STEP = 0.1
VOLUME_MIN = 0.2
RATE_MIN, RATE_MAX = (
    60,
    300,
)  # words per minute the rate keys stay within  # "softer" never goes silent: a resident who cannot read could not undo it

_PENDING = "pending"  # the worker is making this clip
_SKIP = "skip"  # nothing to play for this line (no speech, failed)


class Narrator:
    def __init__(
        self,
        settings: Settings,
        bundle: Bundle,
        engine: SpeechEngine,
        cache: AudioCache,
        player: Player,
        schedule: Schedule,
    ) -> None:
        self._settings = settings
        self._bundle = bundle
        self._engine = engine
        self._cache = cache
        self._player = player
        self._schedule = schedule
        self._worker = SpeechWorker(engine, cache)
        self._enabled = bool(settings["narration.enabled"])
        self._problem = engine.available() if self._enabled else None
        self._engine_id = engine.id
        self._default_volume = float(settings["narration.volume"])
        self._volume = self._default_volume
        self._slow = False
        self._rate_change = 0  # words per minute the resident added with the rate keys
        self._gen = 0
        self._lines: list[Line] = []
        self._clips: list[Path | str] = []
        self._index = 0
        self._playing = False
        self._closed = False
        self._human: list[bool] = []  # per line of the screen: a recorded voice
        self._counts_lock = threading.Lock()
        self._counts: dict[str, tuple[int, int]] = {}  # lang -> (human, all) lines played
        self._player.set_volume(self._volume)

    # What the UI shows ----------------------------------------------------

    @property
    def available(self) -> bool:
        """True when synthesised speech works (recorded audio plays regardless)."""
        return self._enabled and self._problem is None

    @property
    def problem(self) -> str | None:
        """Why narration is silent, for the small notice and the log; None when fine
        or when narration was switched off in settings on purpose."""
        return self._problem

    @property
    def speaking(self) -> bool:
        """A clip is playing, or the next one is being made."""
        return self._playing or (self._index < len(self._clips))

    def voice_counts(self) -> dict[str, tuple[int, int]]:
        """Lines played since start, per language: (by a human voice, in all).
        For the heartbeat (any thread)."""
        with self._counts_lock:
            return dict(self._counts)

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def slow(self) -> bool:
        return self._slow

    @property
    def rate(self) -> int:
        key = "narration.slow_rate" if self._slow else "narration.rate"
        return min(RATE_MAX, max(RATE_MIN, int(self._settings[key]) + self._rate_change))

    # Speaking -------------------------------------------------------------

    def say(self, lines: Sequence[Line]) -> None:
        """Stop what plays and speak `lines` in order (a screen opened, or a choice touched)."""
        self._cut()
        self._lines = list(lines)
        if not self._enabled or self._closed:
            return
        gen = self._gen
        rate = self.rate
        self._clips = [self._find(line, rate) for line in self._lines]
        # A recorded voice is a file in the bundle; synthetic clips live in the cache.
        root = self._bundle.root
        self._human = [isinstance(c, Path) and c.is_relative_to(root) for c in self._clips]
        for i, clip in enumerate(self._clips):
            if clip == _PENDING:
                line = self._lines[i]
                self._worker.submit(self._job(gen, i, line.words, self._voice(line.lang), rate))
        self._advance()

    def stop(self) -> None:
        """Silence now (the resident touched something, or the session ended)."""
        self._cut()

    def repeat(self) -> None:
        """The speaker button: the screen's lines again from the start."""
        self.say(self._lines)

    def louder(self) -> float:
        return self._set_volume(self._volume + VOLUME_STEP)

    def softer(self) -> float:
        return self._set_volume(self._volume - VOLUME_STEP)

    def set_slow(self, slow: bool) -> None:
        """Slower speech; what was being said starts again at the new rate."""
        if slow == self._slow:
            return
        self._slow = slow
        if self._lines:
            self.repeat()

    def change_rate(self, step: int) -> int:
        """The rate keys: speech `step` words per minute faster (or slower, when
        negative), within RATE_MIN..RATE_MAX; returns the rate now. What is said next
        is at the new rate."""
        base = self.rate - self._rate_change
        self._rate_change = min(RATE_MAX, max(RATE_MIN, self.rate + step)) - base
        return self.rate

    def reset_for_new_resident(self) -> None:
        """Idle reset: silence, and the default volume and rate for whoever comes next."""
        self._cut()
        self._lines = []
        self._slow = False
        self._rate_change = 0
        self._volume = self._default_volume
        self._player.set_volume(self._volume)

    def set_bundle(self, bundle: Bundle) -> None:
        """A new content bundle was switched in: its texts, voices and recordings."""
        self._cut()
        self._lines = []
        self._bundle = bundle

    def prerender(
        self,
        lines: Iterable[Line],
        rates: Iterable[int] | None = None,
        on_progress: Progress | None = None,
        bundle: Bundle | None = None,
    ) -> int:
        """Fill the cache in the background (after what screens are waiting for).

        `bundle` gives voices and recordings when preparing a bundle that is not
        yet switched in. `on_progress(done, total)` runs on the UI thread after
        each clip. Returns how many clips will be made (0: all there already).
        """
        if not self.available or self._closed:
            return 0
        source = bundle or self._bundle
        rates = tuple(
            rates or (self._settings["narration.rate"], self._settings["narration.slow_rate"])
        )
        wanted = [line for line in lines if line.words.strip() and not _recording(source, line)]
        todo: list[tuple[str, str, int]] = []
        # Every text at the normal rate first: that is what the next resident hears.
        for rate in rates:
            for line in wanted:
                voice = voice_for(source, line.lang)
                if self._cache.get(line.words, voice, rate, self._engine_id) is None:
                    todo.append((line.words, voice, rate))
        total = len(todo)
        done = [0]

        def finished(clip: Path | None, why: str | None) -> None:
            done[0] += 1
            count = done[0]
            if why:
                self._schedule(lambda: self._failed(why))
            if on_progress is not None:
                self._schedule(lambda: on_progress(count, total))

        for text, voice, rate in todo:
            self._worker.submit(
                Job(text, voice, rate, lambda: not self._closed, finished), background=True
            )
        return total

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Silence and end the worker thread (joined); False if it would not end."""
        self._cut()
        self._closed = True
        return self._worker.shutdown(timeout)

    # Inside ---------------------------------------------------------------

    def _cut(self) -> None:
        self._gen += 1
        self._worker.drop_waiting()
        self._player.stop()
        self._playing = False
        self._clips = []
        self._index = 0

    def _voice(self, lang: str) -> str:
        return voice_for(self._bundle, lang)

    def _find(self, line: Line, rate: int) -> Path | str:
        if not line.words.strip():
            return _SKIP
        recorded = _recording(self._bundle, line)
        if recorded is not None:
            return recorded
        if self._problem is not None:
            return _SKIP
        hit = self._cache.get(line.words, self._voice(line.lang), rate, self._engine_id)
        return hit if hit is not None else _PENDING

    def _job(self, gen: int, index: int, text: str, voice: str, rate: int) -> Job:
        def done(clip: Path | None, why: str | None) -> None:
            self._schedule(lambda: self._made(gen, index, clip, why))

        return Job(text, voice, rate, lambda: self._gen == gen and not self._closed, done)

    def _failed(self, why: str) -> None:
        if self._problem is not None:
            return  # already silent and said why; no log line per clip
        problem = self._engine.available()
        if problem:
            # The engine itself broke (espeak-ng data missing, espeak hung): go
            # silent, and say why once.
            self._problem = problem
            log.warning("narration: %s", problem)
        else:
            log.warning("narration: could not make a clip: %s", why)

    def _made(self, gen: int, index: int, clip: Path | None, why: str | None) -> None:
        if why:
            self._failed(why)
        if gen != self._gen:
            return  # the resident has moved on
        self._clips[index] = clip if clip is not None else _SKIP
        if not self._playing:
            self._advance()

    def _advance(self) -> None:
        gen = self._gen
        while self._index < len(self._clips):
            clip = self._clips[self._index]
            if clip == _PENDING:
                return  # _made() comes back here when the worker has it
            if clip == _SKIP:
                self._index += 1
                continue
            index = self._index
            self._count(self._lines[index].lang, self._human[index])
            self._playing = True
            self._player.play(Path(clip), partial(self._ended, gen, index))
            return
        self._playing = False

    def _count(self, lang: str, human: bool) -> None:
        with self._counts_lock:
            h, n = self._counts.get(lang, (0, 0))
            self._counts[lang] = (h + int(human), n + 1)

    def _ended(self, gen: int, index: int) -> None:
        if gen != self._gen or index != self._index:
            return
        self._playing = False
        self._index += 1
        self._advance()

    def _set_volume(self, volume: float) -> float:
        self._volume = round(min(1.0, max(VOLUME_MIN, volume)), 2)
        self._player.set_volume(self._volume)
        if not self.speaking and self._lines:
            self.repeat()  # so the resident hears the new level
        return self._volume


def voice_for(bundle: Bundle, lang: str) -> str:
    for language in bundle.languages:
        if language.code == lang:
            return language.espeak_voice
    return lang


def _recording(bundle: Bundle, line: Line) -> Path | None:
    rel = line.recorded
    if not rel:
        return None
    path = bundle.root / rel
    if not path.is_file():
        # The validator checked it; a file removed since must not stop narration.
        log.warning("narration: recorded audio %s is missing; synthesising instead", rel)
        return None
    return path


def make_engine(settings: Settings) -> SpeechEngine:
    """The speech engine the settings ask for. pyttsx3 runs in a child process,
    so a crash inside espeak costs one clip, never the kiosk (speech_process.py)."""
    if settings["narration.engine"] == "silent":
        return SilentEngine("narration.engine is set to silent")
    from kiosk.core.narration.speech_process import ProcessEngine

    return ProcessEngine()


def cache_dir(settings: Settings) -> Path:
    return settings.path("kiosk.data_dir") / "narration"


def make_narrator(
    settings: Settings,
    bundle: Bundle,
    player: Player,
    schedule: Schedule,
    engine: SpeechEngine | None = None,
    cache: AudioCache | None = None,
) -> Narrator:
    """The narrator for a terminal: engine from settings, cache under the data folder.

    A missing espeak-ng is logged here, once, at start.
    """
    engine = engine or make_engine(settings)
    cache = cache or AudioCache(cache_dir(settings))
    narrator = Narrator(settings, bundle, engine, cache, player, schedule)
    if narrator.problem:
        log.warning("narration: %s", narrator.problem)
    return narrator
