"""`score`: analyse many clips (in parallel processes) and measure the feedback against
their labels."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from posecheck.app.analyze import Outputs, analyze
from posecheck.core.judge import FrameResult
from posecheck.core.poses import load_all, load_pose
from posecheck.eval.labels import LABELS_FILE, ClipLabel, load_labels
from posecheck.eval.scoring import FrameRecord, judgeable, score_clip, summarise
from posecheck.io.video import IMAGE_EXTS, VIDEO_EXTS, InputError
from posecheck.report.summary import AnalysisSummary


@dataclass(frozen=True)
class ClipRun:
    path: str
    summary: AnalysisSummary
    frames: list[FrameRecord]


def find_clips(paths: list[str]) -> list[Path]:
    """Clips named, or found in folders named (videos only, sorted)."""
    clips: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            clips += sorted(f for f in p.iterdir() if f.suffix.lower() in VIDEO_EXTS)
        elif p.exists():
            clips.append(p)
        else:
            raise InputError(f"no such file or folder: {p}")
    if not clips:
        raise InputError(f"no clips found in {', '.join(paths)} (videos: "
                         f"{', '.join(sorted(VIDEO_EXTS - IMAGE_EXTS))})")
    return clips


def find_labels(clips: list[Path], explicit: str | None) -> dict[str, ClipLabel]:
    """Labels from `explicit`, else from a labels.json beside the clips (if any)."""
    if explicit:
        return load_labels(explicit)
    labels: dict[str, ClipLabel] = {}
    for folder in sorted({c.parent for c in clips}):
        if (folder / LABELS_FILE).is_file():
            labels.update(load_labels(folder / LABELS_FILE))
    return labels


def run_clip(path: str, pose_mode: str, label_pose: str | None, model: str | None) -> ClipRun:
    """Analyse one clip, keeping a light record of every frame (runs in a worker process)."""
    poses = load_all() if pose_mode == "auto" else [load_pose(label_pose or pose_mode)]
    records: list[FrameRecord] = []
    result = analyze(path, poses, Outputs(), model=model,
                     on_frame=lambda r: records.append(frame_record(r)))
    return ClipRun(path, result.summary, records)


def frame_record(r: FrameResult) -> FrameRecord:
    """The light record of one judged frame that scoring needs."""
    return FrameRecord(r.t, r.pose.name if r.pose else None, r.side, r.in_pose,
                       {k: v.state for k, v in r.results.items()},
                       r.timer.total_s if r.timer else 0.0)


def run_all(clips: list[Path], labels: dict[str, ClipLabel], pose_mode: str, engine,
            model: str | None) -> Iterator[ClipRun]:
    """Yield each clip's run as it finishes, on `engine` (`app.engine`: local worker
    processes or a Dask cluster)."""
    def label_pose(c: Path) -> str | None:
        return labels[c.name].pose if c.name in labels else None

    work = [(str(c), pose_mode, label_pose(c), model) for c in clips]
    for _, run in engine.run(_run_clip, work):
        yield run


def _run_clip(args: tuple) -> ClipRun:
    return run_clip(*args)


def metrics(runs: list[ClipRun], labels: dict[str, ClipLabel]) -> dict | None:
    """Per-check and overall accuracy over the runs that have labels, or None."""
    scores, holds = [], []
    for run in runs:
        label = labels.get(Path(run.path).name)
        if label is None:
            continue
        pose = load_pose(label.pose)
        scores.append(score_clip(label, pose, run.frames))
        if hold_judgeable(pose, label.view):
            holds.append((label.hold_error(run.summary.correct_s), label.correct_hold_s))
    return summarise(scores, holds) if scores else None


def hold_judgeable(pose, view: str) -> bool:
    """A hold can be credited only where every core check can be judged: the hold error is
    measured on clips from such views (elsewhere posecheck rightly credits nothing)."""
    return all(judgeable(c, view) for c in pose.checks if c.core)


def clip_row(run: ClipRun, label: ClipLabel | None) -> dict:
    s = run.summary
    return {
        "clip": Path(run.path).name, "pose": s.pose, "side": s.side, "score": s.score,
        "correct_s": s.correct_s,
        "true_correct_s": label.correct_hold_s if label else None,
        "true_pose": label.pose if label else None,
        "faults": s.faults,
    }


def order_runs(runs: list[ClipRun], clips: list[Path]) -> list[ClipRun]:
    """Runs in the order the clips were given (parallel runs finish in any order)."""
    rank = {str(c): i for i, c in enumerate(clips)}
    return sorted(runs, key=lambda r: rank[r.path])


def default_samples() -> Path | None:
    """The bundled samples: ./samples when run from the repository, else the checkout's."""
    for folder in (Path.cwd() / "samples", Path(__file__).resolve().parents[2] / "samples"):
        if folder.is_dir():
            return folder
    return None


def format_table(rows: list[dict]) -> str:
    head = f"{'clip':<40} {'pose found':<12} {'side':<6} {'score':>5} {'hold s':>7} {'true':>6}  faults"
    lines = [head, "-" * len(head)]
    for r in rows:
        true = "" if r["true_correct_s"] is None else f"{r['true_correct_s']:.1f}"
        lines.append(f"{r['clip'][:40]:<40} {r['pose'] or '-':<12} {r['side'] or '-':<6} "
                     f"{r['score']:>5} {r['correct_s']:>7.1f} {true:>6}  "
                     f"{', '.join(r['faults']) or '-'}")
    return "\n".join(lines)


def _pct(x: float | None) -> str:
    return "   -" if x is None else f"{100 * x:4.0f}"


def format_metrics(m: dict) -> str:
    lines = [f"{'check':<20} {'prec':>5} {'rec':>5} {'F1':>5} {'judged':>7} {'unk ok':>7}"
             f"  (%, fault = positive; frames with fault/without)"]
    for check_id, c in m["checks"].items():
        fr = c["frames"]
        lines.append(f"{check_id:<20} {_pct(c['precision']):>5} {_pct(c['recall']):>5} "
                     f"{_pct(c['f1']):>5} {_pct(c['judged_share']):>7} "
                     f"{_pct(c['unknown_correct']):>7}  ({fr['tp'] + fr['fn']}/"
                     f"{fr['fp'] + fr['tn'] + fr['unjudged']})")
    o = m["overall"]
    clips = o["false_hold_clips"]
    lines += [
        f"{'overall':<20} {_pct(o['precision']):>5} {_pct(o['recall']):>5} {_pct(o['f1']):>5} "
        f"{_pct(o['judged_share']):>7} {_pct(o['unknown_correct']):>7}",
        _recognition_line(o), _hold_error_line(o),
        f"hold credited while a fault truly failed (a false 'good form'): "
        f"{clips} clip{'s' * (clips != 1)}, {o['false_hold_s']:.1f} s",
    ]
    return "\n".join(lines)


def _recognition_line(o: dict) -> str:
    """Pose (and side) recognition, in whole percent; a part with nothing to measure (no
    clip of a pose with sides) is left out."""
    if o["pose_recognition"] is None:
        return "pose recognised: n/a (no labelled in-pose frames)"
    line = f"pose recognised on {_pct(o['pose_recognition']).strip()}% of labelled in-pose frames"
    if o["side_accuracy"] is not None:
        line += f"; side right on {_pct(o['side_accuracy']).strip()}%"
    return line


def _hold_error_line(o: dict) -> str:
    if o["hold_mae_s"] is None:
        return "correct-hold error: n/a (no clip from a view where a hold can be credited)"
    per_30 = o["hold_error_per_30s"]
    return (f"correct-hold error: {o['hold_mae_s']:.1f} s per clip on average"
            + ("" if per_30 is None else f", {per_30:.1f} s per 30 s of true hold"))
