"""Which way the camera sees the body: front, back, three-quarter, side, or end-on from the
feet or the head (for poses lying on the floor).

The estimate uses the body's 3-D orientation (world landmarks when the model gives them):
the across-the-body direction (shoulder and hip lines) against the picture plane, and the
trunk direction against the line of sight; shoulders one behind the other in the picture
make it a side view whatever the depth says. `ViewTracker` keeps the estimate steady.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import geometry as g
from .features import body_scale
from .landmarks import Landmarks

VIEWS = ("front", "back", "three-quarter", "side", "feet", "head")

#: How to place the camera for each view, in words for the user.
PLACEMENT = {
    "front": "facing you",
    "back": "behind you",
    "three-quarter": "at an angle to you",
    "side": "at your side",
    "feet": "at your feet",
    "head": "beyond your head",
}

SIDE_YAW = 60.0  # across-body line turned at least this far out of the picture: side view
FRONT_YAW = 30.0  # at most this far: front (or back) view
END_PITCH = 55.0  # trunk pointing at least this far into the picture: end-on view
#: Shoulders this close in the picture (share of the torso length) are one behind the other:
#: a side view, whatever the model's depth says (it collapses when a lying head lifts).
SIDE_SHOULDER_GAP = 0.2


@dataclass(frozen=True)
class ViewEstimate:
    view: str
    yaw_deg: float  # across-body line out of the picture plane, 0-90
    pitch_deg: float  # trunk out of the picture plane, 0-90


def _out_of_plane(v: np.ndarray) -> float:
    return math.degrees(math.atan2(abs(float(v[2])), float(np.hypot(v[0], v[1])) or 1e-9))


def estimate_view(lm: Landmarks) -> ViewEstimate:
    """Estimate the camera view of this body in this frame."""
    p = lm.p3
    across = (p("left_shoulder") - p("right_shoulder")) + (p("left_hip") - p("right_hip"))
    trunk = (p("left_shoulder") + p("right_shoulder")) - (p("left_hip") + p("right_hip"))
    yaw, pitch = _out_of_plane(across), _out_of_plane(trunk)
    if pitch >= END_PITCH:
        view = "feet" if trunk[2] > 0 else "head"
    elif yaw >= SIDE_YAW:
        view = "side"
    elif yaw <= FRONT_YAW:
        view = "back" if _facing_away(lm) else "front"
    else:
        view = "three-quarter"
    if view != "side" and _shoulder_gap(lm) < SIDE_SHOULDER_GAP:
        view = "side"
    return ViewEstimate(view, yaw, pitch)


def _shoulder_gap(lm: Landmarks) -> float:
    """The shoulders' distance apart in the picture, in torso lengths (`body_scale`)."""
    return g.distance(lm.px("left_shoulder"), lm.px("right_shoulder")) / body_scale(lm)


def _facing_away(lm: Landmarks) -> bool:
    """True when the nose is farther from the camera than the ears (seen from behind)."""
    ears = (lm.p3("left_ear")[2] + lm.p3("right_ear")[2]) / 2
    return bool(lm.p3("nose")[2] > ears)


class ViewTracker:
    """Holds the current view steady: a new view replaces it only after it has been seen
    for `settle_s` seconds in a row. Timestamps are passed in."""

    def __init__(self, settle_s: float = 0.4) -> None:
        self.settle_s = settle_s
        self.view: str | None = None
        self._candidate: str | None = None
        self._since = 0.0

    def update(self, estimate: str | None, t: float) -> str | None:
        if estimate is None or self.view is None:
            if self.view is None:
                self.view = estimate
            return self.view
        if estimate == self.view:
            self._candidate = None
        elif estimate != self._candidate:
            self._candidate, self._since = estimate, t
        elif t - self._since >= self.settle_s:
            self.view, self._candidate = estimate, None
        return self.view
