"""What a practice session (`live`, `routine`) did, counted frame by frame, and its summary:
per step, the time held in each failing fault and in each pose seen; for the session, how
long each correction was shown. Pure: the frames' times and results are passed in."""

from __future__ import annotations

import math
from datetime import datetime, timezone

from posecheck.core import checks as ck
from posecheck.core.judge import FrameResult
from posecheck.core.plan import HOLD, Plan, StepResult
from posecheck.core.poses import PoseFileError, load_pose
from posecheck.core.settling import FaultTime
from posecheck.report.summary import (
    AUTO,
    FAULT_LISTED_S,
    PracticeSummary,
    StepSummary,
    form_score,
)

MAX_STEP_S = 0.5  # a longer gap between frames counts as this much (a stall is not held)


class PracticeRecord:
    """Counts what a session over `plan` did; `summary()` says it. `advance`: a routine (steps
    move on when done); else live practice, whose open-ended step reaches `hold_s` or not."""

    def __init__(self, plan: Plan, mode: str, source: str, advance: bool,
                 hold_s: float | None) -> None:
        self.plan, self.mode, self.source = plan, mode, source
        self.advance, self.hold_s = advance, hold_s
        self.started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.frames = 0
        self.cues_s: dict[str, float] = {}
        self.targets_s: dict[str, float] = {}  # each pose's own hold target, as it was judged
        self._faults: dict[tuple[int, str], FaultTime] = {}  # (step index, pose) -> faults
        self._prev_t: float | None = None

    def add(self, result: FrameResult, t: float) -> None:
        """One judged frame, after the plan has followed it."""
        dt = None if self._prev_t is None else min(max(t - self._prev_t, 0.0), MAX_STEP_S)
        self._count_held(result, dt or 0.0)
        self._count_cue(result, dt)
        self._prev_t = t
        self.frames += 1

    def _count_held(self, result: FrameResult, dt: float) -> None:
        """While holding: seconds in each pose and side (an auto step is named by them), each
        pose's form quality (its score) and target, and seconds in each failing fault,
        getting into and out of the pose left out (core.settling)."""
        step = self.plan.current
        if step is None or self.plan.phase != HOLD:
            return
        here = result.pose.name if result.in_pose and result.pose is not None else None
        if here is not None:
            self._faults.setdefault((self.plan.index, here), FaultTime())
            key = (here, result.side)
            step.poses_s[key] = step.poses_s.get(key, 0.0) + dt
            step.quality_s[here] = step.quality_s.get(here, 0.0) + dt * result.quality
            self.targets_s[here] = result.pose.hold_s
        for (index, name), faults in self._faults.items():
            if index == self.plan.index:
                failing = [c.id for c in result.pose.checks if c.kind == "fault"
                           and result.results[c.id].state == ck.FAIL] if name == here else []
                faults.add(result.t, dt, name == here, failing)

    def _count_cue(self, result: FrameResult, dt: float | None) -> None:
        """How long each correction was on screen (what the person was told)."""
        if dt is None or result.cue.kind not in ("fault", "tip", "unknown"):
            return
        self.cues_s[result.cue.text] = self.cues_s.get(result.cue.text, 0.0) + dt

    def summary(self, status: str, dropped_frames: int, fps: float | None) -> PracticeSummary:
        return PracticeSummary(
            mode=self.mode, source=self.source, status=status, started_at=self.started_at,
            frames=self.frames, dropped_frames=dropped_frames,
            fps=round(fps, 1) if fps else None,
            steps=[self._step_summary(i, r) for i, r in enumerate(self.plan.results)],
            cues_s={k: round(v, 1) for k, v in sorted(self.cues_s.items(),
                                                      key=lambda kv: -kv[1])},
            countdown_s=self.plan.countdown_s,
        )

    def _step_faults(self, index: int) -> dict[str, float]:
        out: dict[str, float] = {}
        for (i, _), faults in self._faults.items():
            for check, seconds in faults.totals().items() if i == index else ():
                out[check] = out.get(check, 0.0) + seconds
        return out

    def _step_summary(self, index: int, r: StepResult) -> StepSummary:
        """One step; an auto step is named by the pose (and its side) held longest, and its
        target is that pose's (or --hold)."""
        seen: dict[str, float] = {}
        for (name, _), seconds in r.poses_s.items():
            seen[name] = seen.get(name, 0.0) + seconds
        pose, side = r.step.pose, r.step.side
        if pose == AUTO:
            pose = max(seen, key=seen.__getitem__, default=None)
            sides = {s: seconds for (name, s), seconds in r.poses_s.items() if name == pose}
            side = max(sides, key=sides.__getitem__, default=None)
        target = r.target_s if math.isfinite(r.target_s) else (
            self.hold_s or self.targets_s.get(pose or ""))
        outcome = r.outcome
        if not self.advance:  # live: open-ended, the target only beeps
            outcome = ("target reached" if target and r.longest_s >= target
                       else "target not reached")
        return StepSummary(
            pose=pose, side=side, target_s=target,
            correct_s=round(r.held_s, 2), longest_hold_s=round(r.longest_s, 2),
            outcome=outcome,
            started_s=None if r.started_t is None else round(r.started_t, 1),
            ended_s=None if r.ended_t is None else round(r.ended_t, 1),
            faults_s={k: round(v, 2) for k, v in sorted(self._step_faults(index).items())},
            poses_seen_s={k: round(v, 2) for k, v in sorted(seen.items())},
            score=form_score(r.quality_s.get(pose or "", 0.0), seen.get(pose or "", 0.0)),
        )


def title(pose_name: str) -> str:
    return pose_name.replace("-", " ").title()


def format_summary(summary: PracticeSummary) -> str:
    """The short summary printed when a session ends."""
    lines = [f"{summary.mode.title()} session: {summary.status}, {summary.frames} frames"
             + (f" at {summary.fps:.0f} fps" if summary.fps else "")]
    lines += [_step_line(s) for s in summary.steps]
    if summary.countdown_s:
        before = "each step" if summary.mode == "routine" else "the hold"
        lines.append(f"  (the {summary.countdown_s:g} s get-ready countdown before {before} "
                     "is not counted)")
    return "\n".join(lines)


def check_names(pose_name: str) -> dict[str, str]:
    """A bundled pose's checks by id -> their titles ("Heels down"); {} for another pose."""
    try:
        return {c.id: c.name for c in load_pose(pose_name).checks}
    except PoseFileError:
        return {}


def _step_line(s: StepSummary) -> str:
    if s.pose is None:
        return "  No pose recognised: nothing was held, and there was no hold target"
    side = f" ({s.side})" if s.side else ""
    names = check_names(s.pose)
    faults = ", ".join(f"{names.get(k, k)} {v:.1f} s" for k, v in s.faults_s.items()
                       if v >= FAULT_LISTED_S)
    target = f" of {s.target_s:g} s" if s.target_s else ""
    score = f"  score {s.score}" if s.score is not None else ""
    return (f"  {title(s.pose) + side:<24} held {s.correct_s:5.1f} s{target}{score}  "
            f"{s.outcome}" + (f"  faults: {faults}" if faults else ""))
