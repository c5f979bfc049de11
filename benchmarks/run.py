"""posecheck's speed and memory in one table, against the targets, measured in one run.

    python benchmarks/run.py [--seconds 12] [--repeat 3] [--json PATH]

A 640x480, 30 fps test clip is made from the bundled samples/malasana-front-correct.mp4 (as
benchmarks/live_speed.py does). Then, on that clip:

  detector alone   decode + detect every frame, nothing else (in this process)
  analyze          the full pipeline with every output (annotated video, CSV, JSON report):
                   time per frame of each stage, and throughput against the detector alone
  analyze --fast   about 10 judged frames a second, results carried between; with and
                   without the annotated video: speed as a multiple of real time
  live             the live loop with the clip played as a 30 fps camera: fps, latency
  start-up         a new `posecheck analyze` process on a photo: from launch to the first
                   analysed frame (median of 3)
  peak memory      a new `posecheck analyze` process on the clip with every output: its
                   maximum resident set size

Detector-alone and analyze runs alternate `--repeat` times and the best of each is kept, so
load from other users of the machine hits both alike. Figures that compare (ratios, multiples
of real time) are what to read: absolute times move with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from live_speed import FPS, SIZE, detector_alone, live_run, make_video, pct  # noqa: E402

from posecheck.app.analyze import Outputs, analyze  # noqa: E402
from posecheck.core.poses import load_pose  # noqa: E402

REPO = HERE.parent
SOURCE = REPO / "samples" / "malasana-front-correct.mp4"
POSE = "malasana"

#: stage names of `analyze` -> the rows of the table
STAGES = (("decode", "decode (wait for the decode thread)"), ("detect", "detect"),
          ("smooth", "smooth"), ("judge", "features + checks"),
          ("overlay (writer thread)", "overlay (writer thread)"),
          ("encode (writer thread)", "encode (writer thread)"),
          ("report", "CSV + JSON report"))


def run_analyze(clip: str, folder: Path, fast: bool, video: bool):
    """(wall seconds from call to return, Analysis) of one in-process analyze: the JSON
    report always, the CSV unless fast, the annotated video if asked."""
    outputs = Outputs(str(folder / "a.mp4") if video else None, str(folder / "r.json"),
                      str(folder / "f.csv") if not fast else None)
    start = time.perf_counter()
    result = analyze(clip, [load_pose(POSE)], outputs, fast=fast)
    return time.perf_counter() - start, result


STARTUP_CHILD = """
import sys, time
t0 = float(sys.argv[1])
from posecheck.app.analyze import Outputs, analyze
from posecheck.core.poses import load_all
first = []
def on_frame(result):
    if not first:
        first.append(time.time())
analyze(sys.argv[2], load_all(), Outputs(), on_frame=on_frame)
print(first[0] - t0)
"""


def startup_s(photo: Path) -> float:
    """Launch to first analysed frame of a new process (imports, model load, one photo)."""
    launched = time.time()
    out = subprocess.run([sys.executable, "-c", STARTUP_CHILD, repr(launched), str(photo)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def peak_memory_mb(clip: str, folder: Path) -> float:
    """Peak RSS of a `posecheck analyze` process with every output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-m", "posecheck", "analyze", clip, "--pose", POSE,
                    "--no-progress", "--no-history", "--out", str(folder / "m.mp4"),
                    "--report", str(folder / "m.json"), "--frames", str(folder / "m.csv")],
                   capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(after, before) / 1024  # ru_maxrss is in KiB on Linux


def _photo(folder: Path) -> Path:
    """A still of the test clip's middle frame, as a photo to start up on."""
    import cv2

    capture = cv2.VideoCapture(str(SOURCE))
    capture.set(cv2.CAP_PROP_POS_FRAMES, int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) // 2)
    ok, frame = capture.read()
    capture.release()
    path = folder / "photo.png"
    cv2.imwrite(str(path), frame)
    return path


def measure(seconds: float, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clip = folder / "clip-640x480-30fps.mp4"
        frames = make_video(str(SOURCE), clip, seconds)
        duration = frames / FPS
        det, full, plain, fast, fast_video = [], [], [], [], []
        for _ in range(repeat):
            det.append(detector_alone(str(clip)))
            full.append(run_analyze(str(clip), folder, fast=False, video=True))
            plain.append(run_analyze(str(clip), folder, fast=False, video=False))
            fast.append(run_analyze(str(clip), folder, fast=True, video=False))
            fast_video.append(run_analyze(str(clip), folder, fast=True, video=True))
        det_fps = max(d[0] for d in det)
        best_full = min(full, key=lambda r: r[0])
        live = live_run("live", str(clip), folder, record=False, mirror=True)
        photo = _photo(folder)
        starts = [startup_s(photo) for _ in range(3)]
        memory = peak_memory_mb(str(clip), folder)
    stages = best_full[1].stages.per_frame_ms()
    return {
        "clip": {"size": list(SIZE), "fps": FPS, "frames": frames, "seconds": duration},
        "stages_ms": {label: round(stages.get(key, 0.0), 2) for key, label in STAGES},
        "detector_alone_fps": round(det_fps, 1),
        "analyze_fps": round(frames / best_full[0], 1),
        "analyze_vs_detector": round(frames / best_full[0] / det_fps, 2),
        "analyze_no_video_vs_detector": round(frames / min(r[0] for r in plain) / det_fps, 2),
        "fast_x_realtime": round(duration / min(r[0] for r in fast), 2),
        "fast_video_x_realtime": round(duration / min(r[0] for r in fast_video), 2),
        "live_fps": round(live.fps, 1),
        "live_dropped_pct": round(100 * live.dropped / max(live.captured, 1), 1),
        "live_latency_ms": {"mean": round(statistics.fmean(live.latency_ms), 1),
                            "p95": round(pct(live.latency_ms, 95), 1)},
        "startup_s": round(statistics.median(starts), 2),
        "startup_runs_s": [round(s, 2) for s in starts],
        "peak_memory_mb": round(memory),
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def table(r: dict) -> str:
    c = r["clip"]
    lines = [f"clip: {c['size'][0]}x{c['size'][1]} at {c['fps']:g} fps, {c['frames']} frames "
             f"({c['seconds']:.1f} s); load average at the end {r['load_average']}",
             "", "analyze, time per analysed frame by stage (best run, every output written):"]
    lines += [f"  {label:<38}{ms:8.2f} ms" for label, ms in r["stages_ms"].items()]
    rows = [
        ("analyze vs detector alone", f"{r['analyze_vs_detector']:.2f}x "
         f"({r['analyze_fps']} vs {r['detector_alone_fps']} fps)", ">= 0.90x",
         r["analyze_vs_detector"] >= 0.9),
        ("analyze, CSV + report, no video", f"{r['analyze_no_video_vs_detector']:.2f}x of the "
         "detector alone", "", None),
        ("analyze --fast, report only", f"{r['fast_x_realtime']:.2f}x real time", ">= 3x",
         r["fast_x_realtime"] >= 3.0),
        ("analyze --fast, with video", f"{r['fast_video_x_realtime']:.2f}x real time", "",
         None),
        ("live loop, 30 fps camera", f"{r['live_fps']} fps, {r['live_dropped_pct']}% dropped",
         ">= 30 fps (0.95 x 30 counted)", r["live_fps"] >= 0.95 * FPS),
        ("live capture-to-display latency", f"mean {r['live_latency_ms']['mean']} ms, "
         f"p95 {r['live_latency_ms']['p95']} ms", "", None),
        ("start-up to first analysed frame", f"{r['startup_s']} s (runs {r['startup_runs_s']})",
         "<= 2 s", r["startup_s"] <= 2.0),
        ("peak memory, analyze with outputs", f"{r['peak_memory_mb']} MB", "", None),
    ]
    lines += ["", f"{'measure':<36}{'result':<44}{'target':<30}met"]
    lines += [f"{m:<36}{v:<44}{t:<30}{'' if ok is None else 'yes' if ok else 'NO'}"
              for m, v, t, ok in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12.0,
                        help="length of the 640x480 30 fps test clip (default 12)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="alternating runs of detector-alone and analyze (default 3)")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args(argv)
    result = measure(args.seconds, args.repeat)
    print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
