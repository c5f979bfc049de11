"""Getting into a pose and out of it are phases, not faults.

As a person settles into Malasana, or stands up out of it, the hips are high for a moment
and "Sink your hips lower" fails for 0.3-1.4 s. That is not a fault to work on. A run of
failing frames of one check is not counted as a fault when it is short (under `settle_s`)
and either:
- began within `entry_s` of the person getting into the pose, or
- was still failing when the person left the pose and did not come back into it within
  `return_s` (getting out; a fault so large the pose is no longer recognised, such as hips
  high in Malasana, is followed by the person coming back into the pose);
or when it lasted under `blip_s` (shorter than a cue takes to show).

`FaultTime` counts fault seconds per check as frames come (live summaries, reports); a run
counts once it has lasted `settle_s`, when it ends in the pose in a way that is not
settling, or when the person comes back within `return_s` of leaving. `is_settling` is the
same rule for a run seen whole (a report's timeline).
Pure logic: times are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

SETTLE_S = 1.5  # a run this long is a fault, however it began or ended
ENTRY_S = 1.0  # a run beginning this soon after getting into the pose may be settling in
BLIP_S = 0.3  # a run shorter than this never reached the screen as a cue
RETURN_S = 3.0  # back in the pose this soon after leaving it: the leaving was a fault


def is_settling(start: float, end: float, entered: float, left: bool,
                settle_s: float = SETTLE_S, entry_s: float = ENTRY_S,
                blip_s: float = BLIP_S) -> bool:
    """Whether a run of failing from `start` to `end` is part of getting into or out of the
    pose, not a fault: `entered` is when the person got into the pose, `left` whether they
    left it while the run was still failing and did not come back within RETURN_S."""
    length = end - start
    if length < blip_s:
        return True
    return length < settle_s and (left or start - entered <= entry_s)


@dataclass
class _Run:
    check: str
    start: float
    seconds: float = 0.0
    counted: bool = False  # lasted settle_s: its seconds count as they come


@dataclass
class FaultTime:
    """Seconds each check has failed in the pose, settling left out (see the module doc)."""

    settle_s: float = SETTLE_S
    entry_s: float = ENTRY_S
    blip_s: float = BLIP_S
    return_s: float = RETURN_S
    seconds: dict[str, float] = field(default_factory=dict)
    _runs: dict[str, _Run] = field(default_factory=dict)
    _entered: float | None = None
    _left: list[_Run] = field(default_factory=list)  # short runs that were failing on leaving
    _left_t: float | None = None

    def add(self, t: float, dt: float, in_pose: bool, failing: Iterable[str]) -> None:
        """One frame at time t, lasting dt: in the pose or not, and the checks failing."""
        if not in_pose:
            if self._runs:
                self._left_t = t
            for run in self._runs.values():  # counted already, settling in, or maybe leaving
                if not run.counted and not self._settling(run, left=False):
                    self._left.append(run)  # a fault, if the person comes back soon
            self._runs.clear()
            self._entered = None
            if self._left and t - self._left_t > self.return_s:
                self._left.clear()  # they got out of the pose: it was leaving
            return
        if self._entered is None:
            self._entered = t
            for run in self._left:  # back in the pose soon: what failed on leaving was a fault
                self._count(run.check, run.seconds)
            self._left.clear()
        failing = set(failing)
        for check in [c for c in self._runs if c not in failing]:
            self._end(self._runs.pop(check))
        for check in failing:
            run = self._runs.setdefault(check, _Run(check, t))
            run.seconds += dt
            if run.counted:
                self._count(check, dt)
            elif run.seconds >= self.settle_s:
                run.counted = True
                self._count(check, run.seconds)

    def totals(self) -> dict[str, float]:
        """Fault seconds per check so far, as if the video or session ended now: runs still
        open end here, in the pose; a run failing when the person left, who has not come
        back, was leaving."""
        out = dict(self.seconds)
        for run in self._runs.values():
            if not run.counted and not self._settling(run, left=False):
                out[run.check] = out.get(run.check, 0.0) + run.seconds
        return out

    def _settling(self, run: _Run, left: bool) -> bool:
        return is_settling(run.start, run.start + run.seconds, self._entered, left,
                           self.settle_s, self.entry_s, self.blip_s)

    def _end(self, run: _Run) -> None:
        if not run.counted and not self._settling(run, left=False):
            self._count(run.check, run.seconds)

    def _count(self, check: str, seconds: float) -> None:
        self.seconds[check] = self.seconds.get(check, 0.0) + seconds
