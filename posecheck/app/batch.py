"""`posecheck batch`: every clip of a clinic's folders analysed, a report per clip and one
table for all, resumable, on local workers or a Dask cluster (`engine`).

- Inputs: folders (searched for videos, recursively), video files, or list files (`.txt`,
  `.lst`, `.list`: one path a line, relative to the list's folder, `#` for comments).
- Outputs under OUT: each clip's JSON report (and `--html` page, `--video` annotated video)
  at its path relative to its input folder, with the suffix changed; OUT/summary.csv with
  one row per clip.
- Resumable: OUT/.posecheck-batch.json remembers each clip's size and modification time
  when its report was finished; a rerun skips a clip whose report is complete and whose
  input has not changed. Every file is written atomically (a temporary name, then renamed),
  so an interrupted clip leaves no half report, and a clip run twice (a worker lost and its
  clip retried) replaces, never duplicates.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from posecheck.core.poses import PoseSpec, load_all, load_pose
from posecheck.io.files import write_text_atomically
from posecheck.io.video import VIDEO_EXTS, InputError

LIST_EXTS = (".txt", ".lst", ".list")
STATE = ".posecheck-batch.json"
COLUMNS = ("file", "pose", "side", "duration_s", "in_pose_s", "correct_s", "score", "faults",
           "status", "error")


@dataclass(frozen=True)
class Task:
    """One clip's work: where it is, where its outputs go, how to judge it."""

    clip: str
    report: str
    html: str | None = None
    video: str | None = None
    pose: str = "auto"
    side: str | None = None
    model: str | None = None
    fast: bool = False


def find_clips(inputs: Iterable[str]) -> list[tuple[Path, Path]]:
    """(clip, the folder its output path is relative to) for every input, in order, each
    clip once. Raises InputError for an input that does not exist or is not a video."""
    found: dict[Path, Path] = {}
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            for clip in sorted(p for p in path.rglob("*") if p.suffix.lower() in VIDEO_EXTS
                               and p.is_file() and not p.name.startswith(".")):
                found.setdefault(clip.resolve(), path.resolve())
        elif path.suffix.lower() in LIST_EXTS and path.is_file():
            for clip in _listed(path):
                found.setdefault(clip.resolve(), clip.resolve().parent)
        elif path.is_file():
            found.setdefault(path.resolve(), path.resolve().parent)
        else:
            raise InputError(f"{name}: no such file or folder")
    return list(found.items())


def _listed(path: Path) -> list[Path]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the list of clips ({exc})") from None
    clips = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            clip = Path(line) if Path(line).is_absolute() else path.parent / line
            clips.append(clip)  # a missing one is an error row, the batch goes on
    return clips


def plan(clips: list[tuple[Path, Path]], out: Path, html: bool, video: bool, pose: str,
         side: str | None, model: str | None, fast: bool) -> list[Task]:
    """A task per clip; outputs mirror each clip's path under its input folder (a clash
    between two inputs gets -2, -3, ... added). Videos inside `out` (a batch's own
    annotated videos, when --out is inside an input folder) are not clips."""
    tasks, taken = [], set()
    for clip, root in clips:
        if clip.is_relative_to(out.resolve()):
            continue
        rel = clip.relative_to(root) if clip.is_relative_to(root) else Path(clip.name)
        stem, n = out / rel.with_suffix(""), 1
        while str(stem) in taken:
            n += 1
            stem = out / rel.with_name(f"{rel.stem}-{n}")
        taken.add(str(stem))
        tasks.append(Task(str(clip), f"{stem}.json", f"{stem}.html" if html else None,
                          f"{stem}.mp4" if video else None, pose, side, model, fast))
    return tasks


def stamp(path: str) -> list[int] | None:
    """(size, modification time in ns) of a clip, or None when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


class State:
    """OUT/.posecheck-batch.json: the clips finished, with the input's stamp when they were."""

    def __init__(self, out: Path) -> None:
        self.path = out / STATE
        try:
            self.done: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.done = {}

    def finished(self, task: Task) -> dict | None:
        """The row of a clip whose report is complete and whose input has not changed."""
        entry = self.done.get(task.clip)
        if not entry or entry.get("report") != task.report \
                or entry.get("stamp") != stamp(task.clip):
            return None
        if not all(Path(p).is_file() for p in (task.html, task.video) if p):
            return None  # asked for an output it did not make
        try:
            report = json.loads(Path(task.report).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return entry["row"] if report.get("status") == "done" else None

    def record(self, task: Task, row: dict) -> None:
        if row["status"] == "done":
            self.done[task.clip] = {"stamp": stamp(task.clip), "report": task.report, "row": row}
        else:
            self.done.pop(task.clip, None)
        write_text_atomically(self.path, json.dumps(self.done, indent=1))


def poses_for(name: str) -> list[PoseSpec]:
    return load_all() if name == "auto" else [load_pose(name)]


def run_task(task: Task) -> dict:
    """Analyse one clip (in a worker): its row for summary.csv. Never raises for a bad clip:
    the row says what went wrong."""
    from posecheck.app.analyze import Outputs, analyze

    row = {"file": task.clip, "status": "error", "error": ""}
    try:
        Path(task.report).parent.mkdir(parents=True, exist_ok=True)
        video_tmp = _temporary(task.video) if task.video else None
        result = analyze(task.clip, poses_for(task.pose),
                         Outputs(video=video_tmp, report=task.report, html=task.html),
                         side=task.side, model=task.model, fast=task.fast)
        if video_tmp:
            os.replace(video_tmp, task.video)
        return summary_row(task.clip, result.summary)
    except Exception as exc:  # noqa: BLE001 - a clip's failure is its row; the batch goes on
        row["error"] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return row


def _temporary(path: str) -> str:
    p = Path(path)
    return str(p.with_name(f".{p.stem}.part{p.suffix}"))


def summary_row(clip: str, s) -> dict:
    faults = sorted(s.faults)
    return {"file": clip, "pose": s.pose or "", "side": s.side or "",
            "duration_s": round(s.duration_s, 2), "in_pose_s": round(s.in_pose_s, 2),
            "correct_s": round(s.correct_s, 2), "score": s.score if s.pose else "",
            "faults": ";".join(faults), "status": s.status, "error": ""}


def write_summary(out: Path, rows: list[dict]) -> None:
    text = io.StringIO()
    writer = csv.DictWriter(text, COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text_atomically(out / "summary.csv", text.getvalue())


@dataclass
class Outcome:
    rows: list[dict]
    skipped: int
    failed: int


def run_batch(tasks: list[Task], out: Path, engine, on_row: Callable[[dict, bool], None]
              = lambda row, skipped: None) -> Outcome:
    """Run every task not already finished on `engine`, keeping summary.csv and the state
    file up to date after each clip (so Ctrl-C keeps all that finished)."""
    out.mkdir(parents=True, exist_ok=True)
    state = State(out)
    rows: dict[str, dict] = {}
    todo = []
    for task in tasks:
        row = state.finished(task)
        if row is None:
            todo.append(task)
        else:
            rows[task.clip] = row
            on_row(row, True)
    order = [t.clip for t in tasks]

    def ordered() -> list[dict]:
        return [rows[c] for c in order if c in rows]

    write_summary(out, ordered())
    skipped = len(rows)
    for task, row in engine.run(run_task, todo):
        rows[task.clip] = row
        state.record(task, row)
        write_summary(out, ordered())
        on_row(row, False)
    failed = sum(1 for r in rows.values() if r["status"] != "done")
    return Outcome(ordered(), skipped, failed)
