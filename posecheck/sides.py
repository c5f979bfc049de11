"""Working-side detectors for asymmetric poses, chosen by name in a pose file.

Each returns "left", "right", or None when the landmarks do not decide it. Sides are the
person's own (MediaPipe names landmarks after the person's anatomy, not the picture).
"""

from __future__ import annotations

from typing import Callable

from .features import measure
from .landmarks import Landmarks

MARGIN_DEG = 15.0  # the knees must differ by this much to name a side
MARGIN_TORSO = 0.1


def more_bent_knee(lm: Landmarks) -> str | None:
    """The leg with the more bent knee works (Pigeon: the front leg is bent, the back one long)."""
    left, right = measure(lm, "knee_angle", "left"), measure(lm, "knee_angle", "right")
    if abs(left - right) < MARGIN_DEG:
        return None
    return "left" if left < right else "right"


def ankle_on_other_knee(lm: Landmarks) -> str | None:
    """The leg whose ankle rests nearer the other knee works (Figure Four: the crossing leg)."""
    left = measure(lm, "ankle_to_other_knee", "left")
    right = measure(lm, "ankle_to_other_knee", "right")
    if abs(left - right) < MARGIN_TORSO:
        return None
    return "left" if left < right else "right"


DETECTORS: dict[str, Callable[[Landmarks], str | None]] = {
    "more_bent_knee": more_bent_knee,
    "ankle_on_other_knee": ankle_on_other_knee,
}


class SideTracker:
    """Keeps the detected side steady: a change must be seen for `settle_s` seconds."""

    def __init__(self, settle_s: float = 1.0, fixed: str | None = None) -> None:
        self.settle_s = settle_s
        self.fixed = fixed
        self.side: str | None = fixed
        self._candidate: str | None = None
        self._since = 0.0

    def update(self, seen: str | None, t: float) -> str | None:
        if self.fixed or seen is None:
            return self.side
        if self.side is None or seen == self.side:
            self.side, self._candidate = seen, None
        elif seen != self._candidate:
            self._candidate, self._since = seen, t
        elif t - self._since >= self.settle_s:
            self.side, self._candidate = seen, None
        return self.side

    def reset(self) -> None:
        self.side, self._candidate = self.fixed, None
