"""How right posecheck is on a randomised clip set, by camera height and azimuth band.

    python -m posecheck.synth.randomised --set train --out heldout/train --jobs 2
    python benchmarks/heldout.py heldout/train --jobs 2 --json train.json --plot train.png

The pose model runs once per clip: its landmarks are kept beside the clips
(`SET/landmarks/CLIP.npz`), so a later run (a rule or threshold changed) judges them again
in seconds. Judging goes through the same frame loop, smoothing, judge and report as
`posecheck analyze`, so the figures are `posecheck score`'s (checked: `--check-against`).

Prints the overall and per-check figures (`posecheck score`'s), then the same by camera
height band, by how far the camera is from the recommended view's azimuth, by device and by
pose; with `--plot`, F1 and the false "good form" seconds by band.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.app import loop  # noqa: E402
from posecheck.app.analyze import ReportSink  # noqa: E402
from posecheck.app.calibrate import Bodies  # noqa: E402
from posecheck.core.judge import Judge  # noqa: E402
from posecheck.core.landmarks import Landmarks  # noqa: E402
from posecheck.core.poses import load_pose  # noqa: E402
from posecheck.core.smoothing import LandmarkSmoother  # noqa: E402
from posecheck.eval import evaluate as ev  # noqa: E402
from posecheck.eval.labels import LABELS_FILE, load_labels  # noqa: E402
from posecheck.eval.scoring import FrameRecord  # noqa: E402
from posecheck.io.detector import Detector  # noqa: E402
from posecheck.io.video import open_source  # noqa: E402
from posecheck.report.builder import ReportBuilder  # noqa: E402
from posecheck.synth.randomised import draw, preset_azimuth  # noqa: E402

HEIGHT_BANDS = ((0.25, 0.6), (0.6, 1.0), (1.0, 1.6))
AZIMUTH_BANDS = ((0.0, 8.0), (8.0, 16.0), (16.0, 25.0))


# ----------------------------------------------------------------------------- landmarks


def landmarks_path(clip: Path) -> Path:
    return clip.parent / "landmarks" / f"{clip.stem}.npz"


def detect_clip(clip: str) -> str:
    """Run the pose model over one clip and keep its landmarks (once per clip)."""
    out = landmarks_path(Path(clip))
    if out.is_file():
        return clip
    kept = Bodies()
    with open_source(clip) as source, Detector(mode="video") as detector:
        loop.run(source, detector.detect, loop.Judging(None), [kept])
        size, fps = (source.width, source.height), source.fps
    seen = np.array([lm is not None for lm in kept.found])
    blank = np.full((33, 3), np.nan)
    out.parent.mkdir(exist_ok=True)
    np.savez_compressed(
        out, t=np.array(kept.t), seen=seen, size=np.array(size), fps=np.array(fps),
        xyz=np.stack([lm.xyz if lm is not None else blank for lm in kept.found]),
        visibility=np.stack([lm.visibility if lm is not None else np.zeros(33)
                             for lm in kept.found]),
        world=np.stack([lm.world if lm is not None and lm.world is not None else blank
                        for lm in kept.found]))
    return clip


def stored_frames(clip: Path) -> tuple[list[tuple[None, float]], list[Landmarks | None], float]:
    d = np.load(landmarks_path(clip))
    w, h = (int(v) for v in d["size"])
    found = [Landmarks(d["xyz"][i], d["visibility"][i], w, h,
                       None if np.isnan(d["world"][i]).all() else d["world"][i])
             if d["seen"][i] else None for i in range(len(d["t"]))]
    return [(None, float(t)) for t in d["t"]], found, float(d["fps"])


# ----------------------------------------------------------------------------- judging


def judge_clip(clip: Path, pose_name: str) -> ev.ClipRun:
    """`posecheck analyze CLIP --pose POSE` on the stored landmarks: the same loop,
    smoothing, judge and report."""
    frames, found, fps = stored_frames(clip)
    poses = [load_pose(pose_name)]
    builder = ReportBuilder(poses, str(clip), False, fps)
    records: list[FrameRecord] = []
    index = iter(range(len(found)))
    judging = loop.Judging(Judge(poses, settle_s=0.5), LandmarkSmoother())
    loop.run(frames, lambda image, t: found[next(index)], judging, [ReportSink(builder, None)],
             on_frame=lambda r: records.append(ev.frame_record(r)))
    builder.status = "done"
    return ev.ClipRun(str(clip), builder.summary(), records)


# ----------------------------------------------------------------------------- bands


def camera_of(entry: dict) -> tuple[float, float]:
    """(height m, degrees from the recommended view's azimuth) of a labelled clip."""
    d = draw(*_set_and_index(entry["file"]), entry["draw"]["attempt"])
    azimuth, height = d.spec.camera_at
    return height, abs(azimuth - preset_azimuth(d.spec.pose, d.spec.camera, d.spec.side))


def _set_and_index(file: str) -> tuple[str, int]:
    name, index = file.split("-")[:2]
    return name, int(index)


def band_name(lo: float, hi: float, unit: str) -> str:
    return f"{lo:g}-{hi:g} {unit}"


def groups(entries: dict[str, dict]) -> dict[str, dict[str, list[str]]]:
    """Clip files by height band, azimuth band, device and pose."""
    out: dict[str, dict[str, list[str]]] = {"height": {}, "azimuth": {}, "device": {},
                                            "pose": {}}
    for file, e in entries.items():
        height, off = camera_of(e)
        h = next(b for b in HEIGHT_BANDS if b[0] <= height <= b[1])
        a = next(b for b in AZIMUTH_BANDS if b[0] <= off <= b[1])
        out["height"].setdefault(band_name(*h, "m"), []).append(file)
        out["azimuth"].setdefault(band_name(*a, "deg off"), []).append(file)
        out["device"].setdefault(e["draw"]["device"], []).append(file)
        out["pose"].setdefault(e["pose"], []).append(file)
    return out


def _band_order(name: str) -> tuple:
    """Bands by their lower bound ("8-16 deg off" before "16-25 deg off"), other names by name."""
    head = name.split("-")[0]
    return (0, float(head), name) if head.replace(".", "").isdigit() else (1, 0.0, name)


def row(name: str, m: dict | None, n: int) -> str:
    if m is None:
        return f"  {name:<18} {n:>3} clips  (no labelled frames)"
    o = m["overall"]

    def pct(x):
        return "   -" if x is None else f"{100 * x:4.0f}"

    worst = min(((c["f1"], k) for k, c in m["checks"].items() if c["f1"] is not None),
                default=(None, "-"))
    return (f"  {name:<18} {n:>3} clips  F1 {pct(o['f1'])}  prec {pct(o['precision'])}  "
            f"rec {pct(o['recall'])}  hold err {o['hold_error_per_30s'] or 0:4.1f} s/30 s  "
            f"side {pct(o['side_accuracy'])}  false good form {o['false_hold_clips']} clips "
            f"({o['false_hold_s'] or 0:.1f} s)  worst {worst[1]} {pct(worst[0])}")


def plot(by: dict[str, dict[str, dict | None]], path: str) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 3.6), layout="constrained")
    axes = fig.subplots(1, 2)
    for ax, key, title in ((axes[0], "height", "camera height"),
                           (axes[1], "azimuth", "camera off the recommended view")):
        names = sorted(by[key], key=_band_order)
        f1 = [100 * (by[key][n]["overall"]["f1"] or 0) if by[key][n] else 0 for n in names]
        false = [by[key][n]["overall"]["false_hold_s"] or 0 if by[key][n] else 0 for n in names]
        ax.bar(names, f1, color="#4a7")
        ax.set_ylim(0, 100)
        ax.set_ylabel("F1 (%)")
        ax.set_title(title)
        twin = ax.twinx()
        twin.plot(names, false, "o-", color="#c33")
        twin.set_ylabel("false 'good form' (s)", color="#c33")
        twin.set_ylim(bottom=0)
    fig.savefig(path, dpi=110)


# ----------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a randomised set (with labels.json)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--plot", help="write F1 by band here (.png)")
    parser.add_argument("--check-against", metavar="SCORE_JSON",
                        help="a `posecheck score --json` of the same set: its overall figures "
                             "must equal these")
    args = parser.parse_args()
    entries = {c["file"]: c for c in json.loads(
        (args.folder / LABELS_FILE).read_text())["clips"]}
    labels = load_labels(args.folder / LABELS_FILE)
    clips = [args.folder / f for f in entries if (args.folder / f).is_file()]
    with ProcessPoolExecutor(args.jobs) as pool:
        for n, clip in enumerate(pool.map(detect_clip, map(str, clips)), 1):
            print(f"\rdetected {n}/{len(clips)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    runs = {c.name: judge_clip(c, labels[c.name].pose) for c in clips}
    overall = ev.metrics(list(runs.values()), labels)
    print(ev.format_metrics(overall))
    by: dict[str, dict[str, dict | None]] = {}
    for key, bands in groups({c.name: entries[c.name] for c in clips}).items():
        print(f"\nby {key}:")
        by[key] = {}
        for name in sorted(bands, key=_band_order):
            files = bands[name]
            m = ev.metrics([runs[f] for f in files], labels)
            by[key][name] = m
            print(row(name, m, len(files)))
    if args.json:
        Path(args.json).write_text(json.dumps({"overall": overall, "by": by}, indent=1))
    if args.plot:
        plot(by, args.plot)
    if args.check_against:
        want = json.loads(Path(args.check_against).read_text())["overall"]
        same = {k: (want.get(k), overall["overall"].get(k)) for k in ("f1", "precision",
                "recall", "hold_error_per_30s", "side_accuracy")}
        print("\nagainst posecheck score:", "same" if all(a == b for a, b in same.values())
              else f"DIFFERENT {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
