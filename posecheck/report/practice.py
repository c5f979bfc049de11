"""What a practice session (`live`, `routine`) did, counted frame by frame, and its summary:
per step, the time held in each failing fault and in each pose seen; for the session, how
long each correction was shown. Pure: the frames' times and results are passed in."""

from __future__ import annotations

import math
from datetime import datetime, timezone

from posecheck.core import checks as ck
from posecheck.core.judge import FrameResult
from posecheck.core.plan import HOLD, Plan, StepResult
from posecheck.report.summary import AUTO, PracticeSummary, StepSummary

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
        self._prev_t: float | None = None

    def add(self, result: FrameResult, t: float) -> None:
        """One judged frame, after the plan has followed it."""
        dt = None if self._prev_t is None else min(max(t - self._prev_t, 0.0), MAX_STEP_S)
        self._count_held(result, dt or 0.0)
        self._count_cue(result, dt)
        self._prev_t = t
        self.frames += 1

    def _count_held(self, result: FrameResult, dt: float) -> None:
        """While holding in a recognised pose: seconds in each failing fault, and in each pose
        and side (an auto step is named by them)."""
        step = self.plan.current
        if step is None or self.plan.phase != HOLD or not result.in_pose or result.pose is None:
            return
        for check in result.pose.checks:
            if check.kind == "fault" and result.results[check.id].state == ck.FAIL:
                step.faults_s[check.id] = step.faults_s.get(check.id, 0.0) + dt
        key = (result.pose.name, result.side)
        step.poses_s[key] = step.poses_s.get(key, 0.0) + dt

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
            steps=[self._step_summary(r) for r in self.plan.results],
            cues_s={k: round(v, 1) for k, v in sorted(self.cues_s.items(),
                                                      key=lambda kv: -kv[1])},
        )

    def _step_summary(self, r: StepResult) -> StepSummary:
        """One step; an auto step is named by the pose (and its side) held longest."""
        outcome = r.outcome
        if not self.advance:  # live: open-ended, the target only beeps
            outcome = ("target reached" if self.hold_s and r.longest_s >= self.hold_s
                       else "target not reached")
        seen: dict[str, float] = {}
        for (name, _), seconds in r.poses_s.items():
            seen[name] = seen.get(name, 0.0) + seconds
        pose, side = r.step.pose, r.step.side
        if pose == AUTO:
            pose = max(seen, key=seen.__getitem__, default=None)
            sides = {s: seconds for (name, s), seconds in r.poses_s.items() if name == pose}
            side = max(sides, key=sides.__getitem__, default=None)
        return StepSummary(
            pose=pose, side=side,
            target_s=r.target_s if math.isfinite(r.target_s) else self.hold_s,
            correct_s=round(r.held_s, 2), longest_hold_s=round(r.longest_s, 2),
            outcome=outcome,
            started_s=None if r.started_t is None else round(r.started_t, 1),
            ended_s=None if r.ended_t is None else round(r.ended_t, 1),
            faults_s={k: round(v, 2) for k, v in sorted(r.faults_s.items())},
            poses_seen_s={k: round(v, 2) for k, v in sorted(seen.items())},
        )


def title(pose_name: str) -> str:
    return pose_name.replace("-", " ").title()


def format_summary(summary: PracticeSummary) -> str:
    """The short summary printed when a session ends."""
    lines = [f"{summary.mode.title()} session: {summary.status}, {summary.frames} frames"
             + (f" at {summary.fps:.0f} fps" if summary.fps else "")]
    for s in summary.steps:
        side = f" ({s.side})" if s.side else ""
        name = title(s.pose) if s.pose else "No pose recognised"
        faults = ", ".join(f"{k} {v:.1f} s" for k, v in s.faults_s.items() if v >= 0.5)
        target = f" of {s.target_s:g} s" if s.target_s else ""
        lines.append(f"  {name + side:<24} held {s.correct_s:5.1f} s{target}  "
                     f"{s.outcome}" + (f"  faults: {faults}" if faults else ""))
    return "\n".join(lines)
