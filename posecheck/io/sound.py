"""Short beeps (a hold starts, a target is reached) through the system's own player, when
there is one and a sound device: silently nothing otherwise. Standard library only: the tone
is written once as a WAV file and handed to `paplay`, `aplay` or `afplay` without waiting."""

from __future__ import annotations

import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

PLAYERS = ("paplay", "aplay", "afplay")
RATE = 22050
#: a hold starts; a target is reached; a correction with no voice to say it
TONES = {"start": ((880.0, 0.12),), "done": ((660.0, 0.12), (990.0, 0.25)),
         "cue": ((520.0, 0.1), (520.0, 0.1))}


def tone_wav(path: Path, notes: tuple[tuple[float, float], ...], volume: float = 0.4) -> None:
    """Write notes (hertz, seconds) as a 16-bit mono WAV with soft edges."""
    samples = []
    for freq, seconds in notes:
        n = int(RATE * seconds)
        fade = max(1, int(0.01 * RATE))
        for i in range(n):
            edge = min(1.0, i / fade, (n - 1 - i) / fade)
            samples.append(int(32767 * volume * edge * math.sin(2 * math.pi * freq * i / RATE)))
    write_wav(path, struct.pack(f"<{len(samples)}h", *samples), RATE)


def write_wav(path: Path, frames: bytes, rate: int) -> None:
    """Mono 16-bit little-endian samples as a WAV file."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)


def find_player() -> str | None:
    """The first of PLAYERS on this machine, or None."""
    return next((p for p in PLAYERS if shutil.which(p)), None)


def has_device() -> bool:
    if sys.platform == "darwin":
        return True
    if os.environ.get("PULSE_SERVER"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and (Path(runtime) / "pulse" / "native").exists():
        return True
    snd = Path("/dev/snd")
    return snd.is_dir() and any(p.name.startswith("pcmC") for p in snd.iterdir())


class Beeper:
    """`beep("start")` / `beep("done")` / `beep("cue")`; `available` says whether anything will be heard."""

    def __init__(self, enabled: bool = True) -> None:
        self.player = find_player()
        self.available = bool(enabled and self.player and has_device())
        self._files: dict[str, Path] = {}
        self._dir: tempfile.TemporaryDirectory | None = None

    def beep(self, name: str) -> None:
        if not self.available:
            return
        try:
            if name not in self._files:
                if self._dir is None:
                    self._dir = tempfile.TemporaryDirectory(prefix="posecheck-sound-")
                path = Path(self._dir.name) / f"{name}.wav"
                tone_wav(path, TONES[name])
                self._files[name] = path
            subprocess.Popen([self.player, str(self._files[name])], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            self.available = False  # no way to play after all: stay quiet

    def close(self) -> None:
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
