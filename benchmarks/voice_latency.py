"""How soon after a cue appears does the coach start speaking? In one run.

    python benchmarks/voice_latency.py [--repeat 3]

Every sentence the built-in poses can make the voice say (`core.spoken.built_in_sentences`)
goes through the real `Voice`: its worker thread, the audio, a WAV file handed to a player.
The player here is a script that notes the moment it starts, which stands for the sound
starting, so no sound device is needed. Printed: from `say()` to the player starting, per
sentence (median, 95th percentile, worst), for the default install (the pre-made phrase
book) and, when the `voice` extra is installed, for piper synthesising the same sentences,
beside piper's synthesis time alone, measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.core.poses import load_all
from posecheck.core.spoken import built_in_sentences
from posecheck.io.phrasebook import PhraseBook
from posecheck.io.voice import Voice, piper_engine


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def said_to_started(voice: Voice, texts: list[str], repeat: int, stamp: Path) -> list[float]:
    latency = []
    for _ in range(repeat):
        for text in texts:
            stamp.unlink(missing_ok=True)
            start = time.time()
            voice.say(0.0, text)
            while not stamp.exists() or not stamp.read_text().strip():
                time.sleep(0.002)
            latency.append(float(stamp.read_text()) - start)
    voice.close()
    return latency


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="times each sentence is said")
    args = parser.parse_args()
    texts = built_in_sentences({p.name: p for p in load_all()})
    engine = piper_engine()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        stamp = Path(tmp) / "started"
        player = Path(tmp) / "player"
        player.write_text(f"#!/bin/sh\ndate +%s.%N > {stamp}\n")
        player.chmod(0o755)
        made = Voice(player=str(player), device=True)
        rows.append(("pre-made: say() -> player", said_to_started(made, texts, args.repeat, stamp)))
        if engine is not None:
            synth = []
            for text in texts:
                start = time.perf_counter()
                engine(text)
                synth.append(time.perf_counter() - start)
            rows.append(("piper synthesis alone", synth))
            piper = Voice(engine=engine, player=str(player), device=True,
                          book=PhraseBook.empty())
            rows.append(("piper: say() -> player", said_to_started(piper, texts, args.repeat,
                                                                    stamp)))
    print(f"{len(texts)} sentences, each said {args.repeat} times")
    print(f"{'':<28}{'median':>9}{'p95':>9}{'worst':>9}")
    for name, values in rows:
        print(f"{name:<28}{statistics.median(values):8.3f}s{pct(values, 95):8.3f}s"
              f"{max(values):8.3f}s")
    if engine is None:
        print("(piper rows: pip install '.[voice]')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
