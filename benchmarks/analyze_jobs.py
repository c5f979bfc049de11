"""Does `analyze --jobs 2` beat the detector alone on a long video? Frame rates and the
holds, in one run.

    python benchmarks/analyze_jobs.py [--frames 1400] [--jobs 2] [--repeat 2]

A 640x360, 30 fps test clip of 1,400 frames is made in a temp folder from the bundled
samples/malasana-side-correct.mp4 (480x360 at 10 fps: widened to 16:9 by repeating its
edge columns, so the body keeps its shape; each frame three times to reach 30 fps; played
forwards then backwards as needed, so the squat is held, left and taken again). Rows:

  detector alone   decode + detect every frame in one process, the model loaded before
                   the clock starts: the most one process can do here
  analyze -j 1     the whole pipeline in one process (`analyze(...)`, as `posecheck
                   analyze CLIP --report R --frames F`): model load, decode, detect, smooth,
                   judge, the CSV and the JSON report
  analyze -j N     the same with `--jobs N`: the video detected in segments by N worker
                   processes (started, and their models loaded, on the clock), judged here

Each analyze row is timed from the call to its return (the report written). The rows
alternate `--repeat` times and the best of each is kept, so load from other users of the
machine hits them alike; read the ratios (one run), not the absolute rates. Below: the
holds of both reports (credited and longest), and the largest difference in any check's
pass / fail / unknown seconds. The target is analyze -j 2 at 1.5x the detector alone or
more; the holds should agree within 0.2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from live_speed import detector_alone, make_video  # noqa: E402

from posecheck.app.analyze import Outputs, analyze  # noqa: E402
from posecheck.app.split import Splitting  # noqa: E402
from posecheck.core.poses import load_pose  # noqa: E402

SOURCE = HERE.parent / "samples" / "malasana-side-correct.mp4"
POSE = "malasana"
SIZE = (640, 360)
FPS = 30.0


def _widen(frame: np.ndarray) -> np.ndarray:
    """The frame at SIZE: scaled to its height, then its edge columns repeated to its width."""
    height, width = frame.shape[:2]
    scaled = cv2.resize(frame, (round(width * SIZE[1] / height), SIZE[1]))
    extra = SIZE[0] - scaled.shape[1]
    if extra < 0:
        return scaled[:, -extra // 2: -extra // 2 + SIZE[0]]
    return cv2.copyMakeBorder(scaled, 0, 0, extra // 2, extra - extra // 2, cv2.BORDER_REPLICATE)


def run_analyze(clip: str, folder: Path, split: Splitting | None, video: bool
                ) -> tuple[float, dict]:
    """(wall seconds from call to return, the JSON report) of one in-process analyze with
    the CSV and the JSON report, and the annotated video if asked."""
    name = f"j{split.jobs if split else 1}"
    outputs = Outputs(video=str(folder / f"{name}.mp4") if video else None,
                      report=str(folder / f"{name}.json"), frames=str(folder / f"{name}.csv"))
    start = time.perf_counter()
    analyze(clip, [load_pose(POSE)], outputs, split=split)
    seconds = time.perf_counter() - start
    return seconds, json.loads((folder / f"{name}.json").read_text())


def worst_check_s(a: dict, b: dict) -> float:
    """The largest difference in any check's pass, fail or unknown seconds."""
    return max(abs(a["checks"][c][k] - b["checks"][c][k])
               for c in a["checks"] for k in ("pass_s", "fail_s", "unknown_s"))


def measure(frames: int, split: Splitting, repeat: int, video: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clip = folder / "clip-640x360-30fps.mp4"
        frames = make_video(str(SOURCE), clip, frames / FPS, size=SIZE, fit=_widen)
        det, one, many = [], [], []
        for _ in range(repeat):
            det.append(detector_alone(str(clip))[0])
            one.append(run_analyze(str(clip), folder, None, video))
            many.append(run_analyze(str(clip), folder, split, video))
    det_fps = max(det)
    one_s, one_report = min(one, key=lambda r: r[0])
    many_s, many_report = min(many, key=lambda r: r[0])
    return {
        "clip": {"size": list(SIZE), "fps": FPS, "frames": frames},
        "annotated_video": video,
        "split": {"jobs": split.jobs,
                  "segments": min(split.jobs * split.per_job, frames // split.min_frames),
                  "warmup_frames": split.warmup},
        "detector_alone_fps": round(det_fps, 1),
        "jobs1_fps": round(frames / one_s, 1),
        "jobsN_fps": round(frames / many_s, 1),
        "jobsN_vs_detector": round(frames / many_s / det_fps, 2),
        "jobsN_vs_jobs1": round(one_s / many_s, 2),
        "jobs1_vs_detector": round(frames / one_s / det_fps, 2),
        "holds_s": {"jobs1": [one_report["correct_s"], one_report["longest_hold_s"]],
                    "jobsN": [many_report["correct_s"], many_report["longest_hold_s"]]},
        "hold_difference_s": round(max(
            abs(one_report["correct_s"] - many_report["correct_s"]),
            abs(one_report["longest_hold_s"] - many_report["longest_hold_s"])), 3),
        "worst_check_difference_s": round(worst_check_s(one_report, many_report), 3),
        "same_frames": one_report["frames"] == many_report["frames"] == frames,
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def table(r: dict) -> str:
    n = r["split"]["jobs"]
    c = r["clip"]
    rows = [
        ("detector alone", f"{r['detector_alone_fps']:6.1f} fps", "1.00x"),
        ("analyze --jobs 1", f"{r['jobs1_fps']:6.1f} fps", f"{r['jobs1_vs_detector']:.2f}x"),
        (f"analyze --jobs {n}", f"{r['jobsN_fps']:6.1f} fps", f"{r['jobsN_vs_detector']:.2f}x"),
    ]
    met = "met" if r["jobsN_vs_detector"] >= 1.5 else "NOT met"
    if r["annotated_video"]:
        met = "set for the CSV and report only"
    holds = r["holds_s"]
    return "\n".join([
        f"clip: {c['size'][0]}x{c['size'][1]} at {c['fps']:g} fps, {c['frames']} frames; "
        f"--jobs {n}: {r['split']['segments']} segments, {r['split']['warmup_frames']} "
        f"warm-up frames each; load average at the end {r['load_average']}",
        "analyze writes the CSV and the JSON report"
        + (" and the annotated video" if r["annotated_video"] else ""), "",
        f"{'':<20}{'rate':>12}{'vs detector alone':>20}",
        *[f"{name:<20}{rate:>12}{ratio:>20}" for name, rate, ratio in rows], "",
        f"analyze --jobs {n} against --jobs 1: {r['jobsN_vs_jobs1']:.2f}x; against the "
        f"detector alone: {r['jobsN_vs_detector']:.2f}x (target >= 1.5x: {met})",
        f"holds (credited, longest): --jobs 1 {holds['jobs1'][0]:.2f} s, "
        f"{holds['jobs1'][1]:.2f} s; --jobs {n} {holds['jobsN'][0]:.2f} s, "
        f"{holds['jobsN'][1]:.2f} s: worst difference {r['hold_difference_s']:.2f} s "
        "(target <= 0.2 s)",
        f"largest difference in a check's pass/fail/unknown seconds: "
        f"{r['worst_check_difference_s']:.2f} s; every frame in both: {r['same_frames']}",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=1400, help="clip length (default 1400)")
    parser.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--per-job", type=int, default=Splitting(2).per_job,
                        help="segments per process (default: analyze's)")
    parser.add_argument("--warmup", type=int, default=Splitting(2).warmup,
                        help="warm-up frames per segment (default: analyze's)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="alternating rounds of the three rows (default 2)")
    parser.add_argument("--video", action="store_true",
                        help="analyze also writes the annotated video (--out)")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args(argv)
    split = Splitting(args.jobs, per_job=args.per_job, warmup=args.warmup)
    result = measure(args.frames, split, args.repeat, args.video)
    print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
