"""The hold timer: counts time only while the form is correct.

A hold is confirmed after `debounce_s` of continuously correct form, and only then is that
time credited (so passing through the pose while getting into it earns nothing, and a
confirmed hold is not short-changed by the wait), survives dropouts shorter than `grace_s` without
breaking the hold (the dropout itself is not credited, unless it lasted at most `forgive_s`
with the person seen throughout: a blip that short is the model's, not the person's), and
never credits a gap between
frames longer than `max_gap_s` (stale or missing landmarks). Timestamps are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

IDLE, SETTLING, HOLDING, GRACE = "idle", "settling", "holding", "grace"


@dataclass(frozen=True)
class TimerSnapshot:
    state: str
    total_s: float  # all credited time
    current_s: float  # the current unbroken hold
    longest_s: float  # the longest unbroken hold so far


class HoldTimer:
    def __init__(self, debounce_s: float = 0.5, grace_s: float = 1.0, max_gap_s: float = 0.5,
                 forgive_s: float = 0.3):
        self.debounce_s, self.grace_s, self.max_gap_s = debounce_s, grace_s, max_gap_s
        self.forgive_s = min(forgive_s, max_gap_s)
        self.reset()

    def reset(self) -> None:
        self.state = IDLE
        self.total_s = self.current_s = self.longest_s = 0.0
        self._since = 0.0  # when settling or grace began
        self._pending = 0.0  # correct time seen while settling, credited once confirmed
        self._last_t: float | None = None
        self._last_correct_t: float | None = None
        self._blind = False  # a frame without landmarks during this grace period

    def break_hold(self) -> None:
        """End the current hold (e.g. the side changed); totals are kept."""
        self.state, self.current_s = IDLE, 0.0

    def update(self, correct: bool, t: float, seen: bool = True) -> TimerSnapshot:
        """Feed one frame: was the form judged correct at time `t` (seconds)? `seen`: were
        there landmarks at all (time without them is never credited)?"""
        dt = 0.0 if self._last_t is None else t - self._last_t
        self._last_t = t
        fresh = 0.0 < dt <= self.max_gap_s
        if correct:
            self._on_correct(t, dt if fresh else 0.0)
            self._last_correct_t = t
        else:
            self._on_incorrect(t)
            self._blind |= not seen
        return self.snapshot()

    def _on_correct(self, t: float, dt: float) -> None:
        if self.state == IDLE:
            self.state, self._since, self._pending = SETTLING, t, 0.0
        elif self.state == SETTLING:
            self._pending += dt
            if t - self._since >= self.debounce_s:
                self.state = HOLDING
                self._credit(self._pending)
        elif self.state == GRACE:
            self.state = HOLDING
            if t - self._since <= self.forgive_s and not self._blind:  # from the first wrong frame
                self._credit(t - self._last_correct_t)
        elif self.state == HOLDING:
            self._credit(dt)

    def _credit(self, dt: float) -> None:
        self.total_s += dt
        self.current_s += dt
        self.longest_s = max(self.longest_s, self.current_s)

    def _on_incorrect(self, t: float) -> None:
        if self.state == HOLDING:
            self.state, self._since, self._blind = GRACE, t, False
        elif self.state == SETTLING:
            self.state = IDLE
        elif self.state == GRACE and t - self._since > self.grace_s:
            self.break_hold()

    def snapshot(self) -> TimerSnapshot:
        return TimerSnapshot(self.state, self.total_s, self.current_s, self.longest_s)
