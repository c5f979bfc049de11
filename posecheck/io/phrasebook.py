"""The voice's pre-made sentences: audio bundled with the package (phrases/phrases.npz, made
by phrases/make_phrases.py), so the default install speaks every built-in cue with no speech
engine and nothing downloaded.

Stored at 16 kHz, mu-law companded to 8 bits a sample (about 1.6 MB for 79 sentences);
`PhraseBook.lookup(text)` expands a sentence to 16-bit samples, or None when it is not
pre-made (a custom pose file's own words).
"""

from __future__ import annotations

import importlib.resources
import zipfile
from pathlib import Path

import numpy as np

RATE = 16_000
MU = 255.0
FILE = "phrases.npz"


def encode(wave: np.ndarray) -> np.ndarray:
    """Samples in -1..1 -> mu-law bytes."""
    x = np.clip(wave, -1.0, 1.0)
    y = np.sign(x) * np.log1p(MU * np.abs(x)) / np.log1p(MU)
    return np.round((y + 1.0) * 127.5).astype(np.uint8)


def decode(data: np.ndarray) -> np.ndarray:
    """mu-law bytes -> int16 samples."""
    y = data.astype(np.float64) / 127.5 - 1.0
    x = np.sign(y) * np.expm1(np.abs(y) * np.log1p(MU)) / MU
    return np.round(x * 32767.0).astype(np.int16)


def book_path() -> Path:
    """phrases.npz in the installed package, or in the checkout's phrases/ folder."""
    packaged = Path(str(importlib.resources.files("posecheck"))) / "phrases" / FILE
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "phrases" / FILE


class PhraseBook:
    """Pre-made sentences by their text. An unreadable or missing book holds none."""

    def __init__(self, path: Path | None = None) -> None:
        self._index: dict[str, str] = {}
        self._data = None
        try:
            self._data = np.load(path or book_path())
            self._index = {str(t): f"a{i}" for i, t in enumerate(self._data["texts"])}
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            self._data = None

    @classmethod
    def empty(cls) -> "PhraseBook":
        return cls(Path("/nonexistent") / FILE)

    @property
    def texts(self) -> frozenset[str]:
        return frozenset(self._index)

    def lookup(self, text: str) -> tuple[np.ndarray, int] | None:
        key = self._index.get(text)
        if key is None or self._data is None:
            return None
        return decode(self._data[key]), RATE
