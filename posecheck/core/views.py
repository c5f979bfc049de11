"""Which way the camera sees the body: front, back, three-quarter, side, or end-on from the
feet or the head (for poses lying on the floor).

The estimate uses the body's 3-D orientation (world landmarks when the model gives them):
the across-the-body direction (shoulder and hip lines) against the picture plane, and the
trunk direction against the line of sight; shoulders one behind the other in the picture
make it a side view whatever the depth says.

A body lying on the mat (a pose file's `lying`) is placed from the picture instead: seen
end-on, the model's depth flattens it (on rendered stills a feet-end camera read as feet 4 %
of the time). Its trunk and shoulder line both lie on the floor, so their two picture vectors
fix where the camera stands around the body (`lying_angle`); the camera's height no longer
matters. `ViewTracker` keeps the estimate steady.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from posecheck.core import geometry as g
from posecheck.core.features import SHOULDER_SHARE, body_scale, trunk_3d
from posecheck.core.landmarks import Landmarks

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
#: Lying bodies: the camera's angle around the body from the trunk's line (0: at the feet or
#: the head, 90: square to the side) up to which the view is end-on, and from which it is side.
LYING_END_DEG = 45.0
LYING_SIDE_DEG = 72.0
#: ... and a trunk this near vertical in the picture (sine of its tilt), and at most this
#: long against the shoulder width, is seen from an end whatever the angle says (the legs
#: raised toward a feet-end camera can hide the shoulders' width).
LYING_UPRIGHT = 0.6
LYING_SHORT = 2.0


@dataclass(frozen=True)
class ViewEstimate:
    view: str
    yaw_deg: float  # across-body line out of the picture plane, 0-90 (lying: `lying_angle`)
    pitch_deg: float  # trunk out of the picture plane, 0-90


def _out_of_plane(v: np.ndarray) -> float:
    return math.degrees(math.atan2(abs(float(v[2])), float(np.hypot(v[0], v[1])) or 1e-9))


def estimate_view(lm: Landmarks, pose=None) -> ViewEstimate:
    """Estimate the camera view of this body in this frame; `pose` (a PoseSpec) tells
    whether the body lies on the mat."""
    p = lm.p3
    across = (p("left_shoulder") - p("right_shoulder")) + (p("left_hip") - p("right_hip"))
    trunk = trunk_3d(lm)
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
    if pose is not None and pose.lying:
        return _lying_view(lm, view, trunk)
    return ViewEstimate(view, yaw, pitch)


def lying_angle(lm: Landmarks) -> tuple[float, float]:
    """For a body lying on the mat: the camera's angle around it from the trunk's line
    (0: end-on, 90: square to the side) and its elevation above the mat, degrees, from the
    picture alone. The trunk T (hips to shoulders) and the shoulder line A (over its usual
    share of the torso) are two perpendicular vectors of equal length on the floor. Seen from
    angle a around the body and elevation e, with picture scale k: |T|^2 + |A|^2 = k^2 (1 +
    sin^2 e), the area they span is k^2 sin e, and |T|^2 = k^2 (sin^2 a + cos^2 a sin^2 e)."""
    t, a = _trunk_and_across(lm)
    total = float(t @ t + a @ a)
    area = abs(float(t[0] * a[1] - t[1] * a[0]))
    if total <= 0.0:
        return 0.0, 0.0
    ratio = area / total  # = s / (1 + s^2), s = sin e, at most 1/2
    s = (1.0 - math.sqrt(max(0.0, 1.0 - 4.0 * ratio * ratio))) / (2.0 * ratio) if ratio > 1e-9 else 0.0
    k2 = area / s if s > 1e-6 else total
    sin2_a = (float(t @ t) / k2 - s * s) / (1.0 - s * s) if s * s < 0.999 else 0.5
    return (math.degrees(math.asin(math.sqrt(min(1.0, max(0.0, sin2_a))))),
            math.degrees(math.asin(min(1.0, s))))


def _trunk_and_across(lm: Landmarks) -> tuple[np.ndarray, np.ndarray]:
    """In the picture: the trunk (hip midpoint to shoulder midpoint) and the shoulder line
    over its usual share of the torso length (as long as the trunk, on a typical body)."""
    t = (lm.px("left_shoulder") + lm.px("right_shoulder") - lm.px("left_hip") - lm.px("right_hip")) / 2
    return t, (lm.px("left_shoulder") - lm.px("right_shoulder")) / SHOULDER_SHARE


def _lying_view(lm: Landmarks, seen: str, trunk: np.ndarray) -> ViewEstimate:
    """The view of a body lying on the mat: end-on when the picture says so (`lying_angle`,
    or a short trunk upright in the picture); otherwise side when the picture or the 3-D
    estimate `seen` says so, else three-quarter. End-on, the hips lower in the picture than
    the shoulders put the camera at the feet (a camera above the mat sees the nearer end
    lower); with the trunk level in the picture, the model's depth says which end."""
    angle, elevation = lying_angle(lm)
    t, across = _trunk_and_across(lm)
    torso, shoulders = float(np.hypot(*t)), float(np.hypot(*across))
    upright = -t[1] / torso if torso else 0.0  # +1: shoulders straight above the hips
    if angle < LYING_END_DEG or abs(upright) >= LYING_UPRIGHT and torso <= LYING_SHORT * shoulders:
        if abs(upright) >= 0.1:
            view = "feet" if upright > 0 else "head"
        else:
            view = "feet" if trunk[2] > 0 else "head"
    elif angle >= LYING_SIDE_DEG or seen == "side":
        view = "side"
    else:
        view = "three-quarter"
    a, e = math.radians(angle), math.radians(elevation)
    shown = math.sqrt(math.sin(a) ** 2 + (math.cos(a) * math.sin(e)) ** 2)  # the trunk's share seen
    return ViewEstimate(view, angle, math.degrees(math.acos(min(1.0, shown))))


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
