"""Reports: per-frame CSV rows written as work goes, and the JSON summary.

`ReportBuilder` accumulates what happened (pure); `FrameCsv` and `write_json` put it on disk.
The JSON is replaced atomically (written beside, then renamed), so a reader never sees a
half-written report, and it can be rewritten during a long run so an interruption keeps
what was done.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from posecheck.core import checks as ck
from posecheck.core.judge import FrameResult
from posecheck.core.poses import PoseSpec
from posecheck.core.settling import FaultTime
from posecheck.io.files import unwritable, write_text_atomically
from posecheck.io.video import InputError
from posecheck.report.summary import AnalysisSummary, CheckSummary, SideHold, form_score


class ReportBuilder:
    """Accumulates frame results into the summary a person reads."""

    def __init__(self, poses: list[PoseSpec], source: str, is_image: bool, fps: float,
                 max_gap_s: float = 0.5):
        self.poses = {p.name: p for p in poses}
        self.auto = len(poses) > 1
        self.source, self.is_image, self.fps = source, is_image, fps
        self.max_gap_s = max_gap_s
        self.frames = self.person_frames = 0  # frames judged, and of those with a person
        self.carried = 0  # frames read between judged ones (`analyze --fast`), not judged
        self.duration_s = 0.0
        self.pose_s: Counter[str] = Counter()
        self.side_s: Counter[str] = Counter()
        self.correct_form_s: Counter[str] = Counter()
        self.quality_s: Counter[str] = Counter()
        self.checks: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        #: per pose: fault seconds, getting into and out of the pose left out (core.settling)
        self.fault_time = {name: FaultTime() for name in self.poses}
        self.reasons: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        self.hold: dict[tuple[str, str | None], tuple[float, float]] = {}
        self.last: FrameResult | None = None
        self.status = "running"
        self.warnings: list[str] = []
        #: (most people the detector found in one frame, frames with more than one)
        self.crowd: tuple[int, int] = (0, 0)
        self._t: float | None = None

    def add(self, r: FrameResult) -> None:
        dt = 0.0 if self.is_image else self._dt(r.t)
        self.frames += 1
        self.duration_s += dt
        self.last = r
        if r.person:
            self.person_frames += 1
        if r.pose is not None and r.timer is not None:
            self.hold[(r.pose.name, r.side)] = (r.timer.total_s, r.timer.longest_s)
        self._count_faults(r, dt)
        if not r.in_pose or r.pose is None:
            return
        name = r.pose.name
        self.pose_s[name] += dt
        if r.side:
            self.side_s[r.side] += dt
        self.correct_form_s[name] += dt * r.correct
        self.quality_s[name] += dt * r.quality
        for check in r.pose.checks:
            result = r.results[check.id]
            self.checks[name][check.id][result.state] += dt
            if result.state == ck.UNKNOWN:
                why = ck.unknown_reason(check, result, r.pose.phase_named(r.phase), r.side)
                self.reasons[name][check.id][why] += dt

    def _dt(self, t: float) -> float:
        previous, self._t = self._t, t
        if previous is None:
            return 1.0 / self.fps
        return min(max(t - previous, 0.0), self.max_gap_s)

    def main_pose(self) -> PoseSpec | None:
        if self.pose_s:
            return self.poses[self.pose_s.most_common(1)[0][0]]
        return None if self.auto else next(iter(self.poses.values()))

    def summary(self) -> AnalysisSummary:
        """The summary so far (seconds rounded to 3 decimals, as the JSON report has them)."""
        pose = self.main_pose()
        if self.is_image:
            return self._image_summary(pose)
        name = pose.name if pose else None
        in_pose = self.pose_s[name] if name else 0.0
        holds = {side: v for (n, side), v in self.hold.items() if n == name}
        total = sum(v[0] for v in holds.values())
        longest = max((v[1] for v in holds.values()), default=0.0)
        by_side = {side: SideHold(round(v[0], 3), round(v[1], 3))
                   for side, v in holds.items() if side is not None}
        return AnalysisSummary(
            **self._common(pose),
            duration_s=round(self.duration_s, 3),
            in_pose_s=round(in_pose, 3),
            correct_s=round(total, 3),
            correct_form_s=round(self.correct_form_s[name], 3) if name else 0.0,
            longest_hold_s=round(longest, 3),
            target_s=pose.hold_s if pose else None,
            score=form_score(self.quality_s[name], in_pose) or 0,
            correct=bool(in_pose and self.correct_form_s[name] > 0.5 * in_pose),
            by_side=by_side,
            checks=self._checks(pose),
            judged_frames=self.frames,
        )

    def _image_summary(self, pose: PoseSpec | None) -> AnalysisSummary:
        r = self.last
        judged = r is not None and r.in_pose and pose is not None and r.pose is pose
        checks = self._checks(pose)
        for check in pose.checks if pose else ():
            result = r.results.get(check.id) if judged else None
            because = None
            if result and result.state == ck.UNKNOWN:
                because = ck.unknown_reason(check, result, pose.phase_named(r.phase), r.side)
            checks[check.id] = replace(checks[check.id],
                                       state=result.state if result else ck.UNKNOWN,
                                       value=_round(result.value) if result else None,
                                       unknown_because=because)
        return AnalysisSummary(
            **self._common(pose),
            duration_s=0.0, in_pose_s=0.0, correct_s=0.0, correct_form_s=0.0,
            longest_hold_s=0.0, target_s=pose.hold_s if pose else None,
            in_pose=bool(judged),
            score=round(100 * r.quality) if judged else 0,
            correct=bool(judged and r.correct),
            checks=checks,
        )

    def _common(self, pose: PoseSpec | None) -> dict[str, Any]:
        """The fields a video's summary and a photo's share."""
        side = self.side_s.most_common(1)[0][0] if self.side_s else None
        if side is None and self.is_image and self.last is not None and self.last.in_pose:
            side = self.last.side
        return {
            "source": self.source,
            "status": self.status,
            "kind": "image" if self.is_image else "video",
            "pose": pose.name if pose else None,
            "pose_title": pose.title if pose else None,
            "side": side,
            "frames": self.frames + self.carried,
            "person_found": self.person_frames > 0,
            "person_frames": self.person_frames,
            "message": self._message(pose),
            "warnings": [*self.warnings, *self._crowd_note()],
            "poses_seen_s": {k: round(v, 3) for k, v in self.pose_s.items()},
            "sides_s": {k: round(v, 3) for k, v in self.side_s.items()},
        }

    def _crowd_note(self) -> list[str]:
        most, frames = self.crowd
        if most < 2:
            return []
        return [f"{most} people in view in {frames} frame{'s' * (frames != 1)}: "
                "judged the largest"]

    def _message(self, pose: PoseSpec | None) -> str:
        if self.frames and not self.person_frames:
            return "No person was found: is the whole body in the picture, and well lit?"
        if pose is None or not self.pose_s:
            wanted = "any of the poses" if self.auto else (pose.title if pose else "the pose")
            return f"A person was found, but not in {wanted}."
        return ""

    def _count_faults(self, r: FrameResult, dt: float) -> None:
        for name, faults in self.fault_time.items():
            here = r.in_pose and r.pose is not None and r.pose.name == name
            failing = [k for k, v in r.results.items() if v.state == ck.FAIL] if here else []
            faults.add(r.t, dt, here, failing)

    def _checks(self, pose: PoseSpec | None) -> dict[str, CheckSummary]:
        if pose is None:
            return {}
        out = {}
        faults = self.fault_time[pose.name].totals() if not self.is_image else {}
        for c in pose.checks:
            times = self.checks[pose.name][c.id]
            reasons = self.reasons[pose.name][c.id].most_common(3)
            fail = times[ck.FAIL] if self.is_image else min(faults.get(c.id, 0.0), times[ck.FAIL])
            out[c.id] = CheckSummary(
                c.kind, c.core,
                pass_s=round(times[ck.PASS], 3),
                fail_s=round(fail, 3),
                unknown_s=round(times[ck.UNKNOWN], 3),
                settling_s=round(times[ck.FAIL] - fail, 3),
                title=c.name,
                unknown_because={k: round(v, 3) for k, v in reasons}
                if reasons and not self.is_image else None,
            )
        return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


class HasJson(Protocol):
    """A typed summary (posecheck.report.summary): its JSON is `to_json()`."""

    def to_json(self) -> dict: ...


def write_json(path: str | Path, data: dict | HasJson) -> None:
    """Write JSON atomically: a temporary file in the same folder, then a rename, so `path`
    holds the old report or the new one, never half of one. `data`: a dict, or a summary
    written as its `to_json()`. NaN and infinities (not JSON) are written as null. A value
    JSON cannot hold is a TypeError or ValueError, raised before any file is touched; a disk
    that is full or gone is an InputError naming the path."""
    path = Path(path)
    if not isinstance(data, dict):
        data = data.to_json()
    text = json.dumps(_finite(data), indent=2, allow_nan=False) + "\n"
    if path.exists() and not path.is_file():  # /dev/stdout, a pipe: nothing to replace
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as exc:
            raise _write_error(path, exc) from None
        return
    try:
        write_text_atomically(path, text)
    except OSError as exc:
        raise _write_error(path, exc) from None


def _finite(value):
    """`value` with every NaN or infinite float inside it replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _write_error(path: str | Path, exc: OSError) -> InputError:
    """The one-line message for a report that could not be written: what went wrong (a full
    disk, no permission, a folder that takes no files, ...) and what to do."""
    return InputError(f"cannot write {path}: {unwritable(Path(path), exc)}")


class FrameCsv:
    """One row per frame: time, pose, side, view, phase, verdict, hold, each check's state
    and value. Rows are flushed as they are written, so an interrupted run keeps them."""

    BASE = ("frame", "time_s", "person", "pose", "side", "view", "phase", "in_pose",
            "correct", "hold_s", "cue")

    def __init__(self, path: str | Path, poses: list[PoseSpec]):
        self.auto = len(poses) > 1
        self.columns = [self._column(p, c.id) for p in poses for c in p.checks]
        self.path = path
        try:
            self._file = open(path, "w", newline="", encoding="utf-8")
        except OSError as exc:
            raise _write_error(path, exc) from None
        self._csv = csv.writer(self._file)
        self._n = 0
        self._write([*self.BASE, *(x for c in self.columns for x in (c, f"{c}_value"))])

    def _write(self, row: list) -> None:
        """Writes and flushes one row; a full disk is an InputError (the file is closed)."""
        try:
            self._csv.writerow(row)
            self._file.flush()
        except OSError as exc:
            self._close_quietly()
            raise _write_error(self.path, exc) from None

    def _close_quietly(self) -> None:
        try:
            self._file.close()
        except OSError:  # the unwritten rest of the buffer: the error was already raised
            pass

    def _column(self, pose: PoseSpec, check_id: str) -> str:
        return f"{pose.name}/{check_id}" if self.auto else check_id

    def write(self, r: FrameResult) -> None:
        states: dict[str, tuple[str, str]] = {}
        if r.pose is not None:
            for check_id, res in r.results.items():
                value = "" if res.value is None else f"{res.value:.3f}"
                states[self._column(r.pose, check_id)] = (res.state, value)
        row = [self._n, f"{r.t:.3f}", int(r.person), r.pose.name if r.pose else "",
               r.side or "", r.view or "", r.phase or "", int(r.in_pose), int(r.correct),
               f"{r.timer.total_s:.3f}" if r.timer else "0", r.cue.text]
        for c in self.columns:
            row.extend(states.get(c, ("", "")))
        if self._file.closed:
            return  # a write already failed and said so
        self._write(row)
        self._n += 1

    def close(self) -> None:
        if not self._file.closed:
            self._close_quietly()


def format_summary(s: AnalysisSummary) -> str:
    """The short summary printed at the end of an analysis."""
    title = s.pose_title or "No pose recognised"
    if s.side:
        title += f" ({s.side})"
    lines = [f"{title} - {s.source}"]
    if s.message:
        lines.append(f"  {s.message}")
    for w in s.warnings:
        lines.append(f"  warning: {w}")
    if s.is_photo:
        lines.append(f"  verdict       {_photo_verdict(s)}   score {s.score}/100")
    elif s.pose is None:
        lines += [f"  duration      {s.duration_s:.1f} s ({_frames(s)})",
                  "  correct hold  none: no pose was recognised, so there was no hold target"]
    else:
        lines += [
            f"  duration      {s.duration_s:.1f} s ({_frames(s)})",
            f"  in pose       {s.in_pose_s:.1f} s",
            f"  correct hold  {s.correct_s:.1f} s of {s.target_s or 0:.0f} s target"
            f"   (longest unbroken {s.longest_hold_s:.1f} s)",
            f"  score         {s.score}/100",
        ]
    lines.extend(_check_lines(s))
    return "\n".join(lines)


def _frames(s: AnalysisSummary) -> str:
    """"118 frames", or with `--fast` "354 frames, 118 of them judged"."""
    judged = s.judged_frames
    if judged is None or judged == s.frames:
        return f"{s.frames} frames"
    return f"{s.frames} frames, {judged} of them judged"


def _photo_verdict(s: AnalysisSummary) -> str:
    """Correct, a fault to fix, or (nothing failing) which core check could not be judged:
    "form needs work" is never said of a form posecheck could not see."""
    if s.correct:
        return "correct form"
    if not s.in_pose:
        return "not in the pose"
    unseen = photo_unseen(s)
    return f"not judged: {unseen[1]}" if unseen else "form needs work"


def photo_unseen(s: AnalysisSummary) -> tuple[str, str] | None:
    """For a photo's summary judged not correct: (check id, why) of the first core check
    that could not be judged, when no fault check failed; else None."""
    checks = s.checks
    if any(c.kind == "fault" and c.state == "fail" for c in checks.values()):
        return None
    return next(((i, c.unknown_because) for i, c in checks.items()
                 if c.core and c.state == "unknown"), None)


def _check_lines(s: AnalysisSummary) -> list[str]:
    if not s.judged:
        return []
    out = []
    for check_id, c in s.checks.items():
        name = c.title or check_id
        if s.is_photo:
            mark = {"pass": "ok", "fail": "FIX", "unknown": "?"}[c.state]
            out.append(f"    {mark:>4}  {name} ({c.kind})")
            continue
        in_pose = c.pass_s + c.fail_s + c.unknown_s + c.settling_s
        judged = (in_pose - c.unknown_s) / in_pose if in_pose else 0.0
        out.append(f"    {name:<38} {c.kind:<5} fault {c.fail_s:5.1f} s"
                   f"   judged {100 * judged:3.0f}% of the time in pose")
    if out:
        out.insert(0, "  checks:")
    return out
