"""What the coach says, and when: the spoken side of the screen's cue, for a person who
cannot see the screen (lying on the back, or folded forward with the face on the mat).

`SpeechPlanner.update` is called once per judged frame with the cue the screen shows (already
steadied: it has held before it is shown), the hold timer's state and the seconds left to the
target. It returns at most one sentence to say now:

- a correction when it appears on screen, and again only while it persists, every `repeat_s`;
- "That's it" when a fault the person was told about is gone and the form is right;
- "Holding" when the hold starts, "10 seconds left" near the target, "Done" at the target;
- announcements given with `announce` (the routine's steps), in order;
- the get-ready countdown's last seconds ("3", "2", "1"), given with `countdown`.

Never two at once and never more than one sentence every `gap_s` seconds (a count is short:
`count_gap_s` before and after it; while the countdown runs, corrections wait): a sentence that must wait is said when the gap allows, if
it is still true then. Pure logic: timestamps are passed in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from posecheck.core.timer import HOLDING

#: Cue kinds spoken as corrections: faults, tips, what cannot be seen, how to set up.
SPOKEN_KINDS = ("fault", "tip", "unknown", "setup")


@dataclass(frozen=True)
class Utterance:
    t: float
    text: str
    kind: str  # cue | fixed | hold | left | done | announce | count


@dataclass
class SpeechPlanner:
    gap_s: float = 3.0  # at most one sentence in this many seconds
    repeat_s: float = 8.0  # a correction still shown is said again after this long
    left_s: float = 10.0  # "10 seconds left" this long before the target
    count_gap_s: float = 0.8  # the countdown's numbers come a second apart
    count_from: int = 3  # the countdown says its last seconds from this one
    _last_t: float | None = None
    _said_cue: dict[str, float] = field(default_factory=dict)  # cue text -> when last said
    _told_fault: bool = False  # a fault was said and has not been fixed since
    _pending: list[tuple[str, str]] = field(default_factory=list)  # (kind, text), in order
    _holding: bool = False
    _left_said: bool = False
    _done_said: bool = False
    _last_kind: str = ""
    _count: int | None = None  # the countdown's number last queued

    def announce(self, text: str) -> None:
        """Say this (a routine step, a countdown, "switch sides") as soon as the gap allows."""
        self._pending.append(("announce", text))

    def countdown(self, left_s: float) -> None:
        """The get-ready countdown has `left_s` seconds to go (0 when it is not running)."""
        n = math.ceil(left_s) if left_s > 0 else None
        if n is not None and n <= self.count_from and n != self._count:
            self._pending = [p for p in self._pending if p[0] != "count"]
            at = next((i for i, p in enumerate(self._pending) if p[0] != "announce"),
                      len(self._pending))
            self._pending.insert(at, ("count", str(n)))  # after the step's name, before cues
        self._count = n

    def update(self, t: float, cue_text: str, cue_kind: str, timer_state: str | None,
               left_s: float | None) -> Utterance | None:
        """The sentence to say at time t, or None. `cue_text`: the cue's spoken words ("" to
        say nothing for it). `left_s`: seconds of hold still to go to the target (None when
        there is no target)."""
        if self._timer_events(timer_state, left_s):
            self._told_fault = False  # "Holding" says it already
        if cue_kind == "good" and self._told_fault:
            self._told_fault = False
            self._pending.append(("fixed", "That's it"))
        self._pending = [(k, x) for k, x in self._pending if k != "cue" or x == cue_text]
        if cue_kind in SPOKEN_KINDS and cue_text and self._cue_due(cue_text, t) \
                and ("cue", cue_text) not in self._pending:
            self._pending.append(("cue", cue_text))
        # while the countdown runs it has the floor: corrections wait for it to end
        ready = [i for i, p in enumerate(self._pending) if p[0] != "cue" or self._count is None]
        if not ready or not self._gap_over(t, self._pending[ready[0]][0]):
            return None
        kind, text = self._pending.pop(ready[0])
        self._last_t, self._last_kind = t, kind
        if kind == "cue":
            self._said_cue[text] = t
            self._told_fault = self._told_fault or cue_kind == "fault"
        return Utterance(t, text, kind)

    def _gap_over(self, t: float, kind: str) -> bool:
        if self._last_t is None:
            return True
        short = "count" in (self._last_kind, kind)
        return t - self._last_t >= (self.count_gap_s if short else self.gap_s)

    def _cue_due(self, text: str, t: float) -> bool:
        said = self._said_cue.get(text)
        return said is None or t - said >= self.repeat_s

    def _timer_events(self, state: str | None, left_s: float | None) -> bool:
        """Queue the hold's milestones; True when the hold starts in this frame."""
        holding = state == HOLDING
        started = holding and not self._holding
        if started:
            self._pending = [p for p in self._pending if p[0] != "fixed"]
            self._pending.append(("hold", "Holding"))
        self._holding = holding
        if left_s is None:
            return started
        if holding and 0.0 < left_s <= self.left_s and not self._left_said:
            self._left_said = True
            self._pending.append(("left", f"{self.left_s:g} seconds left"))
        if left_s <= 0.0 and not self._done_said:
            self._done_said = True
            self._pending = [p for p in self._pending if p[0] not in ("left", "hold")]
            self._pending.append(("done", "Done"))
        if left_s > self.left_s:
            self._left_said = self._done_said = False  # a new hold toward the target
        return started
