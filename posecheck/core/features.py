"""Named measurements of a body, computed from `Landmarks`.

Every feature declares the landmarks it needs, so a check can say exactly what the camera
cannot see instead of guessing. Limb features take a side ("left" or "right"); body
features take none. Lengths are in *torso units*: the estimated torso length (shoulder
midpoint to hip midpoint), robust to foreshortening (see `body_scale`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from posecheck.core import geometry as g
from posecheck.core.landmarks import Landmarks, other_side

TORSO = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")


@dataclass(frozen=True)
class Feature:
    """A named measurement: the landmarks it measures, the ones it uses only as a ruler
    (to express a length in torso lengths or shoulder widths), and how to compute it."""

    name: str
    unit: str  # "deg" or "torso" (torso lengths) or "ratio"
    limb: bool  # True: takes a side
    measures: Callable[[str | None], tuple[str, ...]]
    ruler: tuple[str, ...]
    compute: Callable[[Landmarks, str | None], float]
    doc: str

    def needs(self, side: str | None) -> tuple[str, ...]:
        """Every landmark the feature reads: what it measures, then its ruler."""
        own = self.measures(side)
        return own + tuple(n for n in self.ruler if n not in own)


REGISTRY: dict[str, Feature] = {}


def _feature(unit: str, measures: Callable[[str | None], tuple[str, ...]], limb: bool = False,
             ruler: tuple[str, ...] | None = None):
    """Register a feature; lengths in torso units use the torso as their ruler."""
    if ruler is None:
        ruler = TORSO if unit == "torso" else ()

    def register(fn: Callable[[Landmarks, str | None], float]) -> Callable:
        REGISTRY[fn.__name__] = Feature(
            fn.__name__, unit, limb, measures, ruler, fn, (fn.__doc__ or "").strip()
        )
        return fn

    return register


def _leg(side, *parts):
    return tuple(f"{side}_{p}" for p in parts)


def mid(lm: Landmarks, a: str, b: str) -> np.ndarray:
    return g.midpoint(lm.px(a), lm.px(b))


#: The shoulder width's usual share of the torso length (shoulder midpoint to hip midpoint).
SHOULDER_SHARE = 0.75


def body_scale(lm: Landmarks) -> float:
    """The torso length in pixels (shoulder midpoint to hip midpoint), or the shoulder width
    over its usual share of the torso length when that is larger (a torso seen end-on is
    foreshortened). Reads only the four torso landmarks, the ruler every length declares."""
    torso = g.distance(mid(lm, "left_shoulder", "right_shoulder"), mid(lm, "left_hip", "right_hip"))
    shoulders = g.distance(lm.px("left_shoulder"), lm.px("right_shoulder")) / SHOULDER_SHARE
    return max(torso, shoulders) or 1.0


def _shoulder_width(lm: Landmarks) -> float:
    """The shoulder width in pixels, or NaN when the shoulders are nearly one behind the
    other (a side view), where a ratio to it would be meaningless."""
    width = g.distance(lm.px("left_shoulder"), lm.px("right_shoulder"))
    return width if width >= MIN_SHOULDER_SHARE * body_scale(lm) else math.nan


MIN_SHOULDER_SHARE = 0.25  # of the torso length: narrower shoulders are seen side-on


# --- limb features -----------------------------------------------------------------------

@_feature("deg", lambda s: _leg(s, "hip", "knee", "ankle"), limb=True)
def knee_angle(lm, side):
    """Knee angle hip-knee-ankle in degrees: 180 is a straight leg."""
    return g.angle(*(lm.px(n) for n in _leg(side, "hip", "knee", "ankle")))


@_feature("deg", lambda s: _leg(s, "hip", "knee", "ankle"), limb=True)
def knee_angle_3d(lm, side):
    """Knee angle hip-knee-ankle in degrees from the model's 3-D world landmarks (the picture
    when there are none): unlike the picture's angle, it does not change with where the
    camera stands, as much as the model's depth is right."""
    return g.angle(*(lm.p3(n) for n in _leg(side, "hip", "knee", "ankle")))


@_feature("deg", lambda s: (f"{s}_shoulder", *_leg(s, "hip", "knee")), limb=True)
def hip_angle(lm, side):
    """Hip angle shoulder-hip-knee in degrees: small when the thigh is drawn to the chest."""
    return g.angle(lm.px(f"{side}_shoulder"), lm.px(f"{side}_hip"), lm.px(f"{side}_knee"))


@_feature("deg", lambda s: _leg(s, "knee", "ankle"), limb=True)
def shin_from_vertical(lm, side):
    """How far the shin (knee to ankle) leans from vertical in the picture, degrees."""
    return g.tilt_from_vertical(lm.px(f"{side}_knee"), lm.px(f"{side}_ankle"))


@_feature("deg", lambda s: _leg(s, "knee", "ankle"), limb=True)
def shin_from_horizontal(lm, side):
    """How far the shin (knee to ankle) leans from horizontal in the picture, degrees."""
    return g.tilt_from_horizontal(lm.px(f"{side}_knee"), lm.px(f"{side}_ankle"))


@_feature("torso", lambda s: (f"{s}_wrist", *_leg(s, "knee", "ankle", "foot_index")), limb=True)
def wrist_to_foot(lm, side):
    """Distance from this side's wrist to its own foot, ankle or shin, in torso lengths."""
    w = lm.px(f"{side}_wrist")
    knee, ankle, toe = (lm.px(n) for n in _leg(side, "knee", "ankle", "foot_index"))
    d = min(g.point_to_segment(w, knee, ankle), g.point_to_segment(w, ankle, toe))
    return d / body_scale(lm)


@_feature("torso", lambda s: (f"{s}_ankle", f"{other_side(s)}_knee"), limb=True)
def ankle_to_other_knee(lm, side):
    """Distance from this side's ankle to the other leg's knee, in torso lengths."""
    return g.distance(lm.px(f"{side}_ankle"), lm.px(f"{other_side(side)}_knee")) / body_scale(lm)


MIN_SHIN_SHARE = 0.2  # of the torso length: a shorter shin is seen end-on


@_feature("ratio", lambda s: (f"{s}_ankle", *_leg(other_side(s), "knee", "ankle")), limb=True)
def ankle_past_other_knee(lm, side):
    """Where this side's ankle lies along the other leg's shin, in lengths of that shin as
    seen: 0 at its knee, 1 at its ankle, negative on the thigh side of the knee (Figure
    Four: the crossing ankle rests below the knee, not on the shin). NaN when the shin is
    seen nearly end-on."""
    knee, ankle = lm.px(f"{other_side(side)}_knee"), lm.px(f"{other_side(side)}_ankle")
    shin = ankle - knee
    length2 = float(np.dot(shin, shin))
    if length2 < (MIN_SHIN_SHARE * body_scale(lm)) ** 2:
        return math.nan
    return float(np.dot(lm.px(f"{side}_ankle") - knee, shin)) / length2


def _supporting(lm: Landmarks) -> tuple[str, ...]:
    """The leg whose knee the other ankle rests nearer (Figure Four's supporting leg); both
    legs when the two are equally near."""
    left = g.distance(lm.px("right_ankle"), lm.px("left_knee"))
    right = g.distance(lm.px("left_ankle"), lm.px("right_knee"))
    return ("left",) if left < right else ("right",) if right < left else ("left", "right")


@_feature("torso", lambda s: (f"{s}_wrist", *_leg("left", "hip", "knee", "ankle"),
                              *_leg("right", "hip", "knee", "ankle")), limb=True)
def wrist_to_supporting_thigh(lm, side):
    """Distance from this side's wrist to the outer three quarters of the supporting thigh
    (the one whose knee the other ankle rests on), in torso lengths: small when the hand
    holds behind it, large when it rests on the mat (side-on, a hand on the mat beside the
    hip would be near the thigh's hip end). One wrist, so a side view judges the hand it sees."""
    def outer(s: str) -> tuple[np.ndarray, np.ndarray]:
        hip, knee = lm.px(f"{s}_hip"), lm.px(f"{s}_knee")
        return hip + 0.25 * (knee - hip), knee

    wrist = lm.px(f"{side}_wrist")
    return min(g.point_to_segment(wrist, *outer(s)) for s in _supporting(lm)) / body_scale(lm)


@_feature("torso", lambda s: (f"{s}_elbow", f"{s}_knee"), limb=True)
def elbow_to_knee(lm, side):
    """Distance from this side's elbow to its knee, in torso lengths."""
    return g.distance(lm.px(f"{side}_elbow"), lm.px(f"{side}_knee")) / body_scale(lm)


@_feature("torso", lambda s: _leg(s, "hip", "knee"), limb=True)
def knee_above_hip(lm, side):
    """Height of this side's knee above its hip in the picture, in torso lengths: positive
    when the knee is raised (Happy Baby, knee to chest), negative when it is down on the mat
    below the hip (Pigeon's front knee)."""
    return float(lm.px(f"{side}_hip")[1] - lm.px(f"{side}_knee")[1]) / body_scale(lm)


@_feature("torso", lambda s: _leg(s, "knee", "ankle"), limb=True)
def ankle_above_knee(lm, side):
    """Height of this side's ankle above its knee in the picture, in torso lengths: positive
    when the foot is raised over the knee (soles up, Happy Baby), negative when it hangs
    below it (a knee hug seen from the feet end, whose shins point at the camera)."""
    return float(lm.px(f"{side}_knee")[1] - lm.px(f"{side}_ankle")[1]) / body_scale(lm)


@_feature("ratio", lambda s: _leg(s, "heel", "foot_index"), limb=True)
def heel_lift(lm, side):
    """Height of the heel above the toes, in foot lengths (side view): 0 is a flat foot."""
    heel, toe = lm.px(f"{side}_heel"), lm.px(f"{side}_foot_index")
    return float(toe[1] - heel[1]) / (g.distance(heel, toe) or 1.0)


@_feature("deg", lambda s: (*_leg(s, "hip", "knee"), *_leg(other_side(s), "hip", "knee")),
          limb=True)
def thigh_spread(lm, side):
    """Angle between this side's thigh and the other thigh in 3-D, degrees: large when this
    knee is pressed out to the side."""
    u = lm.p3(f"{side}_knee") - lm.p3(f"{side}_hip")
    v = lm.p3(f"{other_side(side)}_knee") - lm.p3(f"{other_side(side)}_hip")
    return g.angle_between(u, v)


# --- body features -----------------------------------------------------------------------

@_feature("deg", lambda s: TORSO)
def torso_from_vertical(lm, side):
    """How far the trunk (hip midpoint to shoulder midpoint) leans from vertical in the
    picture, degrees."""
    return g.tilt_from_vertical(mid(lm, "left_hip", "right_hip"),
                                mid(lm, "left_shoulder", "right_shoulder"))


def trunk_3d(lm: Landmarks) -> np.ndarray:
    """The trunk in 3-D (world metres when known): the shoulders' sum minus the hips' sum,
    twice the vector from the hip midpoint to the shoulder midpoint."""
    p = lm.p3
    return p("left_shoulder") + p("right_shoulder") - p("left_hip") - p("right_hip")


@_feature("deg", lambda s: TORSO)
def torso_incline(lm, side):
    """How far the trunk leans from vertical in 3-D (camera assumed level), degrees:
    0 upright, 90 lying down. Seen end-on it still tells lying from upright."""
    return g.angle_between(np.abs(trunk_3d(lm)), np.array([0.0, 1.0, 0.0]))


@_feature("deg", lambda s: TORSO)
def torso_recline(lm, side):
    """How far the trunk leans from vertical, degrees (0 upright, 90 lying): the larger of
    torso_incline and the tilt out of the picture that the trunk's foreshortening implies
    (its picture length against the shoulder width's usual share of it, as in body_scale).
    Seen end-on from the feet end the model's depth puts a lying trunk only 35-50 degrees
    from vertical while the picture shows it at about half its length. A trunk leaning
    toward the camera is foreshortened too, so this tells lying from upright only together
    with the legs (hips below raised knees and feet)."""
    torso = g.distance(mid(lm, "left_shoulder", "right_shoulder"), mid(lm, "left_hip", "right_hip"))
    full = g.distance(lm.px("left_shoulder"), lm.px("right_shoulder")) / SHOULDER_SHARE
    out_of_picture = math.degrees(math.acos(min(torso / full, 1.0))) if full else 0.0
    return max(torso_incline(lm, side), out_of_picture)


@_feature("deg", lambda s: ("left_hip", "right_hip", "left_ear", "right_ear"))
def head_lift(lm, side):
    """Elevation of the line hip midpoint -> ear midpoint above the horizontal, degrees
    (side view of a body lying down): 0 when head and shoulders rest on the mat."""
    return g.elevation(mid(lm, "left_hip", "right_hip"), mid(lm, "left_ear", "right_ear"))


@_feature("ratio", lambda s: ("left_knee", "right_knee"), ruler=TORSO)
def knee_gap(lm, side):
    """Distance between the knees over the shoulder width (front or end view; not
    measurable side-on)."""
    return g.distance(lm.px("left_knee"), lm.px("right_knee")) / _shoulder_width(lm)


@_feature("ratio", lambda s: ("left_knee", "right_knee", "left_ankle", "right_ankle"))
def knee_gap_shins(lm, side):
    """Distance between the knees over the mean shin length (knee to ankle) in the picture,
    for shins standing upright (Happy Baby) seen from an end or the front: there the raised
    legs can hide the shoulders, which the model then puts almost together, while upright
    shins show their full length. A shoulder width is about 0.83 shin lengths."""
    shins = (g.distance(lm.px("left_knee"), lm.px("left_ankle"))
             + g.distance(lm.px("right_knee"), lm.px("right_ankle"))) / 2
    return g.distance(lm.px("left_knee"), lm.px("right_knee")) / shins if shins else math.nan


@_feature("ratio", lambda s: ("left_ankle", "right_ankle"), ruler=TORSO)
def ankle_gap(lm, side):
    """Distance between the ankles over the shoulder width (front view; not measurable
    side-on)."""
    return g.distance(lm.px("left_ankle"), lm.px("right_ankle")) / _shoulder_width(lm)


@_feature("torso", lambda s: ("left_wrist", "right_wrist"))
def wrist_gap(lm, side):
    """Distance between the wrists, in torso lengths."""
    return g.distance(lm.px("left_wrist"), lm.px("right_wrist")) / body_scale(lm)


@_feature("ratio", lambda s: (*TORSO, "left_wrist", "right_wrist"))
def wrists_along_torso(lm, side):
    """Where the wrists' midpoint lies along the trunk: 0 at the shoulders, 1 at the hips."""
    top, bottom = mid(lm, "left_shoulder", "right_shoulder"), mid(lm, "left_hip", "right_hip")
    axis = bottom - top
    denom = float(np.dot(axis, axis)) or 1.0
    return float(np.dot(mid(lm, "left_wrist", "right_wrist") - top, axis)) / denom


@_feature("torso", lambda s: _leg(s, "hip", "knee"), limb=True)
def hip_above_knee(lm, side):
    """Height of this side's hip above its knee, in torso lengths (negative when the hip is
    below the knee)."""
    return float(lm.px(f"{side}_knee")[1] - lm.px(f"{side}_hip")[1]) / body_scale(lm)


@_feature("torso", lambda s: _leg(s, "hip", "knee", "ankle"), limb=True)
def hip_height(lm, side):
    """Height of this side's hip above the lower of its knee and ankle, in torso lengths:
    about 0 or below when the hips are down on the mat, high when standing."""
    lowest = max(lm.px(f"{side}_knee")[1], lm.px(f"{side}_ankle")[1])
    return float(lowest - lm.px(f"{side}_hip")[1]) / body_scale(lm)


@_feature("deg", lambda s: ("left_hip", "right_hip"))
def hip_line_roll(lm, side):
    """How far the line between the hips leans from horizontal in the picture, degrees."""
    return g.tilt_from_horizontal(lm.px("left_hip"), lm.px("right_hip"))


@_feature("deg", lambda s: ("left_hip", "right_hip"))
def hip_line_yaw(lm, side):
    """How far the line between the hips turns out of the picture plane (3-D), degrees:
    0 when both hip points face the camera."""
    v = lm.p3("left_hip") - lm.p3("right_hip")
    return math.degrees(math.atan2(abs(float(v[2])), float(np.hypot(v[0], v[1])) or 1e-9))


def measure(lm: Landmarks, name: str, side: str | None) -> float:
    """Compute feature `name` (for `side` if it is a limb feature)."""
    return float(REGISTRY[name].compute(lm, side))
