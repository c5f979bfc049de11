"""Measure bone lengths (in torso lengths, from the world landmarks) on detected footage, to set
and check the plausible ranges in posecheck/proportions.py.

For every frame the model finds a person in, each bone of `proportions.measure` is recorded.
Prints, per bone kind (left and right pooled), the extremes and percentiles over all frames,
the files holding the extremes, and the spread of one body's bone around its own median in a
clip (what a personal profile's tolerance must allow), and how many frames the current ranges
would flag.

    python benchmarks/proportions.py [PATHS...] [--jobs N] [--json PATH]

Default paths: samples/ and ../shared/realdata (photos, GIFs and videos, read in place).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from posecheck.core import proportions as pr  # noqa: E402
from posecheck.io.video import IMAGE_EXTS, VIDEO_EXTS  # noqa: E402

DEFAULT = [REPO / "samples", REPO.parent / "shared" / "realdata"]


def files(paths: list[Path]) -> list[Path]:
    out = []
    for p in paths:
        found = sorted(p.rglob("*")) if p.is_dir() else [p]
        out += [f for f in found if f.suffix.lower() in VIDEO_EXTS | IMAGE_EXTS]
    return out


def measure_file(path: str) -> tuple[str, list[dict[str, float]]]:
    """The bone lengths of every frame with a person."""
    from posecheck.io.detector import Detector
    from posecheck.io.video import open_source

    rows = []
    with open_source(path) as source:
        with Detector(mode="image" if source.is_image else "video") as detector:
            for image, t in source:
                lm = detector.detect(image, t)
                if lm is not None:
                    rows.append(pr.measure(lm))
    return path, rows


def summarise(results: list[tuple[str, list[dict[str, float]]]]) -> dict:
    values, where, spread = defaultdict(list), defaultdict(list), defaultdict(list)
    flagged = 0
    frames = 0
    for path, rows in results:
        per_clip = defaultdict(list)
        for row in rows:
            frames += 1
            flagged += any(v not in pr.POPULATION[pr.kind(k)] for k, v in row.items())
            for name, v in row.items():
                values[pr.kind(name)].append(v)
                where[pr.kind(name)].append(Path(path).name)
                per_clip[pr.kind(name)].append(v)
        for bone, vs in per_clip.items():
            if len(vs) >= 10:
                median = float(np.median(vs))
                spread[bone] += [v / median - 1 for v in vs]
    out = {"frames": frames, "flagged_frames": flagged, "bones": {}}
    for bone in pr.BONES:
        v = np.array(values[bone])
        if not len(v):
            continue
        s = np.abs(np.array(spread[bone] or [0.0]))
        out["bones"][bone] = {
            "min": float(v.min()), "p1": float(np.percentile(v, 1)),
            "median": float(np.median(v)), "p99": float(np.percentile(v, 99)),
            "max": float(v.max()), "min_file": where[bone][int(v.argmin())],
            "max_file": where[bone][int(v.argmax())],
            "spread_p99": float(np.percentile(s, 99)), "spread_max": float(s.max()),
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    todo = [str(f) for f in files(args.paths or [p for p in DEFAULT if p.exists()])]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(measure_file, todo))
    out = summarise(results)
    print(f"{out['frames']} frames with a person in {len(todo)} files; "
          f"{out['flagged_frames']} outside the current ranges")
    print(f"{'bone':<10}{'min':>6}{'p1':>6}{'median':>8}{'p99':>6}{'max':>6}"
          f"{'range':>13}  {'own spread p99/max':>18}  extremes")
    for bone, b in out["bones"].items():
        r = pr.POPULATION[bone]
        print(f"{bone:<10}{b['min']:6.2f}{b['p1']:6.2f}{b['median']:8.2f}{b['p99']:6.2f}"
              f"{b['max']:6.2f}  {r.low:4.2f}-{r.high:4.2f}  {b['spread_p99']:8.2f}/"
              f"{b['spread_max']:.2f}  {b['min_file']} / {b['max_file']}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
