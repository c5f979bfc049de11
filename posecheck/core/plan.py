"""A practice plan: steps (a pose, a side, a hold target) taken in order, each opened by a
get-ready countdown and closed when its hold is done or it is skipped. Pure logic: times are
passed in; the live loop reads the hold from the judge and draws what this says.

`ROUTINE` is the article's four-step hip-mobility routine (docs/poses.md#the-routine).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from posecheck.core.timer import TimerSnapshot

GET_READY, HOLD, DONE = "get-ready", "hold", "done"


@dataclass(frozen=True)
class Step:
    pose: str
    side: str | None = None
    hold_s: float | None = None  # None: the pose file's hold_s


ROUTINE: tuple[Step, ...] = (
    Step("happy-baby"),
    Step("pigeon", "right"), Step("pigeon", "left"),
    Step("figure-four", "right"), Step("figure-four", "left"),
    Step("malasana"),
)


@dataclass
class StepResult:
    step: Step
    target_s: float
    held_s: float = 0.0  # credited correct-form time
    longest_s: float = 0.0
    started_t: float | None = None  # when its hold phase began
    ended_t: float | None = None
    outcome: str = "not reached"  # completed | skipped | stopped | not reached
    #: seconds holding in each recognised (pose, side): what an auto live step practised
    poses_s: dict[tuple[str, str | None], float] = field(default_factory=dict)
    #: per pose, the sum of frame quality x seconds while holding in it (its form score)
    quality_s: dict[str, float] = field(default_factory=dict)


class Plan:
    """Where a practice session is: which step, and whether it is getting ready, holding, or
    over."""

    def __init__(self, steps: list[tuple[Step, float]], countdown_s: float = 5.0) -> None:
        if not steps:
            raise ValueError("a plan needs at least one step")
        self.results = [StepResult(step, target) for step, target in steps]
        self.countdown_s = countdown_s
        self.index = 0
        self.phase = GET_READY
        self._ready_at: float | None = None

    @property
    def current(self) -> StepResult | None:
        return self.results[self.index] if self.phase != DONE else None

    def countdown_left(self, t: float) -> float:
        """Seconds of get-ready countdown left (0 when holding)."""
        if self.phase != GET_READY:
            return 0.0
        if self._ready_at is None:
            self._ready_at = t + self.countdown_s
        return max(0.0, self._ready_at - t)

    def update(self, t: float, timer: TimerSnapshot | None) -> bool:
        """Advance the clock with the step's hold timer; returns True when the current step's
        hold just completed (an unbroken hold of its target)."""
        if self.phase == DONE:
            return False
        if self.phase == GET_READY:
            if self.countdown_left(t) > 0:
                return False
            self.phase = HOLD
            self.results[self.index].started_t = t
            return False
        result = self.results[self.index]
        if timer is None:
            return False
        result.held_s, result.longest_s = timer.total_s, timer.longest_s
        if timer.current_s >= result.target_s:
            self._close(t, "completed")
            return True
        return False

    def skip(self, t: float) -> None:
        if self.phase != DONE:
            self._close(t, "skipped")

    def stop(self, t: float) -> None:
        """The session ends here (quit, camera lost, end of the video)."""
        if self.phase == HOLD:
            self.results[self.index].outcome = "stopped"
            self.results[self.index].ended_t = t
        self.phase = DONE

    def _close(self, t: float, outcome: str) -> None:
        result = self.results[self.index]
        result.outcome, result.ended_t = outcome, t
        if self.index + 1 < len(self.results):
            self.index += 1
            self.phase, self._ready_at = GET_READY, None
        else:
            self.phase = DONE

    @property
    def finished(self) -> bool:
        return self.phase == DONE
