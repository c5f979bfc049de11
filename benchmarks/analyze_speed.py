"""Throughput of `analyze` against the detector alone, on the same clip, in one run.

Machines here are shared and noisy, so the figure that matters is the ratio measured in the
same run, not the absolute frames per second.

    python benchmarks/analyze_speed.py [CLIP] [--repeat N]

CLIP defaults to a real clip from ../shared/realdata. Prints per-stage time per frame for
analyze (with the annotated video, CSV and JSON report written) and the throughput ratio.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from posecheck.analysis import Outputs, analyze
from posecheck.detector import Detector
from posecheck.poses import load_pose
from posecheck.video import open_source

DEFAULT_CLIP = (Path(__file__).resolve().parents[2] / "shared" / "realdata" / "malasana"
                / "flawed" / "mi-rutina-saludable__deep-squat.mov")


def detector_alone(clip: str) -> tuple[float, int]:
    """Decode and detect every frame; nothing else."""
    start = time.perf_counter()
    n = 0
    with open_source(clip) as source, Detector() as detector:
        for frame, t in source:
            detector.detect(frame, t)
            n += 1
    return time.perf_counter() - start, n


def full_analyze(clip: str, out: Path):
    start = time.perf_counter()
    result = analyze(clip, [load_pose("malasana")],
                     Outputs(str(out / "a.mp4"), str(out / "r.json"), str(out / "f.csv")))
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", default=str(DEFAULT_CLIP))
    parser.add_argument("--repeat", type=int, default=2, help="alternate runs of each (default 2)")
    args = parser.parse_args()
    det_times, ana_times, result, frames = [], [], None, 0
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):  # interleaved, so load on the machine hits both alike
            seconds, frames = detector_alone(args.clip)
            det_times.append(seconds)
            seconds, result = full_analyze(args.clip, Path(tmp))
            ana_times.append(seconds)
    det, ana = min(det_times), min(ana_times)
    print(f"clip: {args.clip} ({frames} frames)")
    print("analyze, time per frame by stage:")
    for stage, ms in result.stages.per_frame_ms().items():
        print(f"  {stage:<16}{ms:7.2f} ms")
    print(f"detector alone (decode+detect): {frames / det:6.1f} fps  ({det:.2f} s, best of "
          f"{args.repeat})")
    print(f"analyze (all outputs):          {frames / ana:6.1f} fps  ({ana:.2f} s, best of "
          f"{args.repeat}, incl. model load)")
    print(f"analyze / detector-alone throughput: {det / ana:.2f}x")


if __name__ == "__main__":
    main()
