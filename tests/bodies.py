"""Hand-made bodies for tests: build `Landmarks` from a few joint coordinates.

No tests here. `make_body` fills all 33 landmarks from the joints a test gives (face points
from the nose and ears, hand points from the wrists, heels and toes from the ankles), and
derives world coordinates (metres) from the pixel ones, so `views.estimate_view` and the
3-D features see the same body as the 2-D ones.

Conventions (the same as MediaPipe's and `landmarks.py`):
  x right and y *down* in pixels; z is depth in pixels at the scale of x, *smaller is nearer*
  the camera. Frame 640 x 480. Side names are the person's own: facing the camera, the
  person's left is on the image's right; facing image-right (+x), the person's left is the
  far side (+z); lying on the back with the head at image-left, the left side is far (+z).
  A torso (shoulder midpoint to hip midpoint) is 120 px, a thigh about 100 px, a shin about
  95 px, the shoulders 90 px apart, so `features.body_scale` is close to 120 px.

The canonical bodies below were worked out by hand (trigonometry in the comments) and each
is checked against its pose's checks in tests/test_checks_<pose>.py.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cache
from typing import Mapping, Sequence

import numpy as np

from posecheck.core.landmarks import INDEX, LEGS_SWAPPED, NAMES, Landmarks

Point = tuple[float, float] | tuple[float, float, float]

METRES_PER_PX = 1.0 / 240.0  # a 120 px torso is half a metre

JOINTS = (
    "nose",
    "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
    "left_wrist", "right_wrist", "left_hip", "right_hip",
    "left_knee", "right_knee", "left_ankle", "right_ankle",
)


def _p(v: Point) -> np.ndarray:
    a = np.asarray(v, float)
    return a if a.shape == (3,) else np.array([a[0], a[1], 0.0])


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n else v


def make_body(points: Mapping[str, Point], width: int = 640, height: int = 480,
              hidden: Sequence[str] = (), world_from_pixels: bool = True,
              toes: Point | Mapping[str, Point] = (1.0, 0.0, 0.0)) -> Landmarks:
    """A `Landmarks` with all 33 points.

    points: the joints in `JOINTS` at least (x, y) or (x, y, z) in pixels; any other
        landmark may be given too and is then used as is.
    hidden: names whose visibility is 0.1 (all others 0.99).
    world_from_pixels: world = (xyz - hip midpoint) in metres (1/240 m per pixel);
        False leaves world None (features then use pixel x, y, z).
    toes: the direction the toes point (picture x, y, z), one for both feet or a dict per
        side ("left"/"right"). The heel lies a little behind and the toes ahead of the ankle
        along it, both shifted down the shin, so heel_lift is exactly d_y / |d_xy|: a
        horizontal direction gives a flat foot.
    """
    missing = [n for n in JOINTS if n not in points]
    if missing:
        raise ValueError(f"make_body needs {missing}")
    unknown = [n for n in points if n not in INDEX]
    if unknown:
        raise ValueError(f"unknown landmark names {unknown}")
    pts = {name: _p(v) for name, v in points.items()}
    _fill_face(pts)
    for side in ("left", "right"):
        _fill_hand(pts, side)
        d = toes[side] if isinstance(toes, Mapping) else toes
        _fill_foot(pts, side, _unit(_p(d)))
    xyz = np.array([pts[n] for n in NAMES], float)
    vis = np.array([0.1 if n in hidden else 0.99 for n in NAMES])
    world = None
    if world_from_pixels:
        hip_mid = (xyz[INDEX["left_hip"]] + xyz[INDEX["right_hip"]]) / 2
        world = (xyz - hip_mid) * METRES_PER_PX
    return Landmarks(xyz, vis, width, height, world)


def _fill_face(pts: dict[str, np.ndarray]) -> None:
    nose = pts["nose"]
    # Ears default to a face looking at the camera: either side of the nose, a bit behind.
    pts.setdefault("left_ear", nose + np.array([12.0, 4.0, 12.0]))
    pts.setdefault("right_ear", nose + np.array([-12.0, 4.0, 12.0]))
    neck = (pts["left_shoulder"] + pts["right_shoulder"]) / 2
    toward_neck = _unit(neck - nose) * 8.0
    for side in ("left", "right"):
        ear = pts[f"{side}_ear"]
        for name, share in (("eye_inner", 0.25), ("eye", 0.4), ("eye_outer", 0.55)):
            pts.setdefault(f"{side}_{name}", nose + share * (ear - nose) - 0.5 * toward_neck)
        pts.setdefault(f"mouth_{side}", nose + 0.2 * (ear - nose) + toward_neck)


def _fill_hand(pts: dict[str, np.ndarray], side: str) -> None:
    wrist, elbow = pts[f"{side}_wrist"], pts[f"{side}_elbow"]
    along = 0.15 * (wrist - elbow)
    across = np.array([-along[1], along[0], 0.0]) * 0.4
    pts.setdefault(f"{side}_pinky", wrist + along - across)
    pts.setdefault(f"{side}_index", wrist + along * 1.2)
    pts.setdefault(f"{side}_thumb", wrist + along * 0.6 + across)


def _fill_foot(pts: dict[str, np.ndarray], side: str, d: np.ndarray) -> None:
    ankle, knee = pts[f"{side}_ankle"], pts[f"{side}_knee"]
    shin = ankle - knee
    length = float(np.linalg.norm(shin)) or 95.0
    down = 0.08 * shin  # heel and toes lie a little below the ankle, along the shin
    pts.setdefault(f"{side}_heel", ankle + down - 0.06 * length * d)
    pts.setdefault(f"{side}_foot_index", ankle + down + 0.24 * length * d)


def points_of(lm: Landmarks) -> dict[str, tuple[float, float, float]]:
    """All 33 pixel points of a body, to copy and change one or two."""
    return {n: tuple(float(v) for v in lm.xyz[i]) for i, n in enumerate(NAMES)}


def moved(lm: Landmarks, hidden: Sequence[str] = (), **points: Point) -> Landmarks:
    """A copy of `lm` with some points moved (world recomputed) and some names hidden."""
    pts = points_of(lm)
    pts.update({k: tuple(_p(v)) for k, v in points.items()})
    hidden = tuple(hidden) + tuple(n for i, n in enumerate(NAMES) if lm.visibility[i] < 0.5)
    return make_body(pts, lm.width, lm.height, hidden, lm.world is not None)


def turned(lm: Landmarks, degrees: float) -> Landmarks:
    """The body turned about the vertical line through its hip midpoint, as a camera walking
    around the person would see it (positive: the body's +x side turns away, to +z)."""
    return _rotated(lm, degrees, 0)


def tilted(lm: Landmarks, degrees: float) -> Landmarks:
    """The body as a camera raised to look down on it by `degrees` sees it (about the
    horizontal picture line through the hip midpoint): the farther a point, the higher it
    shows."""
    return _rotated(lm, degrees, 1)


def _rotated(lm: Landmarks, degrees: float, axis: int) -> Landmarks:
    """Pixel coordinate `axis` (0: x, 1: y) and depth rotated by `degrees` about the hip
    midpoint; world recomputed."""
    xyz = lm.xyz.copy()
    c = (xyz[INDEX["left_hip"]] + xyz[INDEX["right_hip"]]) / 2
    a = math.radians(degrees)
    du, dz = xyz[:, axis] - c[axis], xyz[:, 2] - c[2]
    xyz[:, axis] = c[axis] + du * math.cos(a) - dz * math.sin(a)
    xyz[:, 2] = c[2] + du * math.sin(a) + dz * math.cos(a)
    world = None if lm.world is None else (xyz - c) * METRES_PER_PX
    return Landmarks(xyz, lm.visibility.copy(), lm.width, lm.height, world)


# =========================================================================================
# Canonical bodies. Coordinates are pixels (x, y, z) in a 640 x 480 frame.
# =========================================================================================

def standing() -> Landmarks:
    """A person standing straight, facing the camera, arms hanging. Front view.
    Torso vertical (shoulder mid (320,110) over hip mid (320,230)), legs straight:
    knee angles 180, hips 1.0 torso above the knees."""
    return make_body({
        "nose": (320, 62, -10), "left_ear": (334, 66, 8), "right_ear": (306, 66, 8),
        "left_shoulder": (365, 110), "right_shoulder": (275, 110),
        "left_elbow": (372, 180), "right_elbow": (268, 180),
        "left_wrist": (376, 245), "right_wrist": (264, 245),
        "left_hip": (350, 230), "right_hip": (290, 230),
        "left_knee": (350, 330), "right_knee": (290, 330),
        "left_ankle": (350, 425), "right_ankle": (290, 425),
    }, toes=(0, 0, -1))


# --- Malasana ----------------------------------------------------------------------------

def malasana_front() -> Landmarks:
    """Correct Malasana seen from the front. Hips (290/350, 330) sit 10 px below the knees
    (230/410, 320), which point out and toward the camera (z -60); ankles (255/385, 420)
    are 130 px apart = 1.44 shoulder widths (90 px). Knee angle: knee->hip (60, 10),
    knee->ankle (25, 100) -> 66 deg. Shins 14 deg from vertical. Trunk vertical: shoulder
    mid (320, 210) over hip mid (320, 330). Palms together at the chest (wrists 8 px apart,
    30 px below the shoulders = 0.25 of the way down the trunk); elbows (245/395, 300) about
    25 px inside the knees."""
    return make_body({
        "nose": (320, 160, -12), "left_ear": (334, 164, 6), "right_ear": (306, 164, 6),
        "left_shoulder": (365, 210), "right_shoulder": (275, 210),
        "left_elbow": (395, 300, -30), "right_elbow": (245, 300, -30),
        "left_wrist": (324, 240, -40), "right_wrist": (316, 240, -40),
        "left_hip": (350, 330), "right_hip": (290, 330),
        "left_knee": (410, 320, -60), "right_knee": (230, 320, -60),
        "left_ankle": (385, 420, -40), "right_ankle": (255, 420, -40),
    }, toes={"left": (0.5, 0, -1), "right": (-0.5, 0, -1)})


def malasana_feet_narrow() -> Landmarks:
    """Malasana from the front with the feet too close: ankles (290/350, 420) only 60 px
    apart = 0.67 shoulder widths. Knees still out (knee angle 50 deg, shins 31 deg from
    vertical), hips below the knees: still a deep squat."""
    return moved(malasana_front(), left_ankle=(350, 420, -40), right_ankle=(290, 420, -40),
                 left_heel=(350, 428, -34), right_heel=(290, 428, -34),
                 left_foot_index=(362, 428, -64), right_foot_index=(278, 428, -64))


def _malasana_side(hip: tuple[float, float], knee: tuple[float, float],
                   shoulder_mid: tuple[float, float], arms: dict[str, tuple[float, float]],
                   head: dict[str, tuple[float, float]]) -> Landmarks:
    """A squat seen from the person's right side (facing image-right, left side far: +z).
    Both legs share x, y; the left is 40 px farther, the right 40 px nearer."""
    ankle = (330, 410)
    sx, sy = shoulder_mid
    return make_body({
        "nose": (*head["nose"], 0),
        "left_ear": (*head["ear"], 30), "right_ear": (*head["ear"], -30),
        "left_shoulder": (sx, sy, 45), "right_shoulder": (sx, sy, -45),
        "left_elbow": (*arms["elbow"], 30), "right_elbow": (*arms["elbow"], -30),
        "left_wrist": (*arms["wrist"], 5), "right_wrist": (*arms["wrist"], -5),
        "left_hip": (*hip, 40), "right_hip": (*hip, -40),
        "left_knee": (*knee, 45), "right_knee": (*knee, -45),
        "left_ankle": (*ankle, 40), "right_ankle": (*ankle, -40),
    }, toes=(1, 0, 0))


def malasana_side() -> Landmarks:
    """Correct Malasana from the side. Ankle (330, 410), heel and toes level (flat foot).
    Shin 30 deg forward: knee = ankle + 95 (sin 30, -cos 30) = (377, 328). Thigh 99 px back
    to the hip (285, 365), which is 37 px *below* the knee. Knee angle: knee->hip (-92, 37),
    knee->ankle (-47, 82) -> 38 deg. Trunk 20 deg forward of vertical: shoulder mid =
    hip + 120 (sin 20, -cos 20) = (326, 252). Wrists together at (350, 280), 0.15 of the
    way down the trunk."""
    return _malasana_side(hip=(285, 365), knee=(377, 328), shoulder_mid=(326, 252),
                          arms={"elbow": (365, 318), "wrist": (350, 280)},
                          head={"nose": (352, 222), "ear": (330, 218)})


def malasana_side_folded() -> Landmarks:
    """Malasana from the side with the spine folded: legs as in `malasana_side`, trunk
    60 deg forward: shoulder mid = (285, 365) + 120 (sin 60, -cos 60) = (389, 305); head
    low and forward, hands hanging toward the feet."""
    return _malasana_side(hip=(285, 365), knee=(377, 328), shoulder_mid=(389, 305),
                          arms={"elbow": (420, 360), "wrist": (405, 400)},
                          head={"nose": (432, 302), "ear": (420, 285)})


def malasana_side_hips_high() -> Landmarks:
    """A half squat from the side: shin 15 deg forward, knee = (330, 410) + 95 (sin 15,
    -cos 15) = (355, 318); thigh 100 px to a hip (263, 278) 40 px *above* the knee
    (hip_above_knee about 0.33 torso). Knee angle: knee->hip (-92, -40), knee->ankle
    (-25, 92) -> 98 deg. Trunk 30 deg forward: shoulder mid = hip + 120 (sin 30, -cos 30)
    = (323, 174)."""
    return _malasana_side(hip=(263, 278), knee=(355, 318), shoulder_mid=(323, 174),
                          arms={"elbow": (350, 225), "wrist": (340, 195)},
                          head={"nose": (352, 140), "ear": (328, 138)})


# --- Happy Baby --------------------------------------------------------------------------
# Lying on the back on a mat at y = 390, head at image-left, seen from the person's right
# side (left side 40-45 px farther). Hip mid (400, 390), shoulder mid (280, 390): torso
# horizontal. In the side view a thigh raised theta above the mat toward the head gives a
# hip angle of theta; a shin leaning phi from vertical toward the feet end gives a knee
# angle of 90 + theta - phi.

def _supine(legs: dict[str, Point], arms: dict[str, Point], head: dict[str, Point],
            shoulder_mid: tuple[float, float] = (280, 390),
            toes: Point | Mapping[str, Point] = (-1, 0, 0)) -> Landmarks:
    sx, sy = shoulder_mid
    pts = {
        "left_shoulder": (sx, sy, 45), "right_shoulder": (sx, sy, -45),
        "left_hip": (400, 390, 40), "right_hip": (400, 390, -40),
        **legs, **arms, **head,
    }
    return make_body(pts, toes=toes)


def _happy_baby_legs(knee: tuple[float, float], ankle: tuple[float, float]
                     ) -> dict[str, Point]:
    """Both legs at the same picture position, the left one 55-60 px farther."""
    return {"left_knee": (*knee, 60), "right_knee": (*knee, -60),
            "left_ankle": (*ankle, 55), "right_ankle": (*ankle, -55)}


# theta 30, phi 20: knee = (400 - 100 cos 30, 390 - 100 sin 30) = (313.4, 340.0),
# ankle = knee + 95 (sin 20, -cos 20) = (345.9, 250.7); knee angle 100, hip angle 30.
_HB_BENT = _happy_baby_legs((313.4, 340.0), (345.9, 250.7))
# theta 60, phi 10: knee = (400 - 100 cos 60, 390 - 100 sin 60) = (350.0, 303.4),
# ankle = knee + 95 (sin 10, -cos 10) = (366.5, 209.8); knee angle 140, hip angle 60.
_HB_STRAIGHTER = _happy_baby_legs((350.0, 303.4), (333.5, 209.8))

_HB_HEAD = {"nose": (226, 372, 0), "left_ear": (232, 386, 28), "right_ear": (232, 386, -28)}


def happy_baby_side() -> Landmarks:
    """Correct Happy Baby from the side: thighs 30 deg up toward the head (hip angle 30),
    shins 20 deg from vertical (knee angle 100): knee (313.4, 340.0), ankle (345.9, 250.7).
    Hands hold the feet: wrists (344, 262), 11 px from the ankle along the shin. Head on
    the mat: hip mid -> ear mid (232, 386) rises 1.4 deg."""
    return _supine(_HB_BENT,
                   {"left_elbow": (300, 320, 50), "right_elbow": (300, 320, -50),
                    "left_wrist": (344, 262, 55), "right_wrist": (344, 262, -55)},
                   _HB_HEAD, toes=(-0.94, -0.34, 0))


def happy_baby_head_lifted() -> Landmarks:
    """Happy Baby with head and shoulders curled up off the mat: shoulder mid 15 deg up,
    (400, 390) + 120 (-cos 15, -sin 15) = (284, 359); ears 30 deg up from the hip mid,
    (400, 390) + 175 (-cos 30, -sin 30) = (248, 302). Legs and hands as in the correct one."""
    return _supine(_HB_BENT,
                   {"left_elbow": (305, 300, 50), "right_elbow": (305, 300, -50),
                    "left_wrist": (344, 262, 55), "right_wrist": (344, 262, -55)},
                   {"nose": (240, 286, 0), "left_ear": (248, 302, 28),
                    "right_ear": (248, 302, -28)},
                   shoulder_mid=(284, 359), toes=(-0.94, -0.34, 0))


def happy_baby_hands_off() -> Landmarks:
    """Happy Baby with the arms lying on the mat beside the body: wrists (355, 396), 0.6
    torso from the knee, nowhere near the feet or shins."""
    return _supine(_HB_BENT,
                   {"left_elbow": (318, 394, 55), "right_elbow": (318, 394, -55),
                    "left_wrist": (355, 396, 55), "right_wrist": (355, 396, -55)},
                   _HB_HEAD, toes=(-0.94, -0.34, 0))


def happy_baby_straight_legs() -> Landmarks:
    """Happy Baby with the legs too straight: thighs 60 deg up (hip angle 60), shins 10 deg
    from vertical toward the feet end, so knee angle 90 + 60 + 10 = 160 (155 in 3-D, past the
    check's 150: the limit allows for the pose model reading a true 90-115 degree knee as up
    to 148): knee (350, 303.4), ankle (333.5, 209.8). Hands still at the ankles (332, 220).
    (Fully straight legs, 170 deg, are not recognised as Happy Baby at all.)"""
    return _supine(_HB_STRAIGHTER,
                   {"left_elbow": (310, 300, 50), "right_elbow": (310, 300, -50),
                    "left_wrist": (332, 220, 55), "right_wrist": (332, 220, -55)},
                   _HB_HEAD, toes=(-0.98, -0.17, 0))


def happy_baby_feet_end() -> Landmarks:
    """Correct Happy Baby seen from the feet end of the mat (camera low, looking along the
    body toward the head): `happy_baby_side` turned a quarter round. The knees (340/460,
    340) are 120 px apart, wider than the 90 px shoulders; shins near vertical."""
    return turned(happy_baby_side(), -90)


def happy_baby_feet_end_high() -> Landmarks:
    """Correct Happy Baby from the feet end, camera above the mat, as the model reads it: the
    lying trunk shows only 40 px long (shoulder mid (400, 350) above the hip mid (400, 390)),
    but every depth is flat, so in 3-D the trunk stands upright (torso_incline 0) and the
    model's depth alone would call the view "front" (the picture says feet end). Its
    foreshortening against the 90 px shoulders says it points
    acos(40 / 120) = 70.5 deg out of the picture (torso_recline). Knees (325/475, 330) 150
    px apart; ankles (345/455, 250) above them; knee angle in the picture 136, hip angle 23,
    shins 14 deg from vertical; hands at the ankles."""
    return make_body({
        "nose": (400, 330, 0), "left_ear": (415, 335, 0), "right_ear": (385, 335, 0),
        "left_shoulder": (445, 350, 0), "right_shoulder": (355, 350, 0),
        "left_elbow": (450, 300, 0), "right_elbow": (350, 300, 0),
        "left_wrist": (452, 258, 0), "right_wrist": (348, 258, 0),
        "left_hip": (440, 390, 0), "right_hip": (360, 390, 0),
        "left_knee": (475, 330, 0), "right_knee": (325, 330, 0),
        "left_ankle": (455, 250, 0), "right_ankle": (345, 250, 0),
    }, toes=(0, -0.3, -1))


# --- Pigeon ------------------------------------------------------------------------------
# Seen from the person's right side, facing image-right (+x), left side far (+z). Mat at
# y = 410. Hips (300, 380) low over the mat.

def _pigeon(shoulder_mid: tuple[float, float], left_ankle: Point,
            arms: dict[str, Point], head: dict[str, Point]) -> Landmarks:
    sx, sy = shoulder_mid
    return make_body({
        "left_shoulder": (sx, sy, 45), "right_shoulder": (sx, sy, -45),
        "left_hip": (300, 380, 40), "right_hip": (300, 380, -40),
        # Right (front) leg: thigh forward along the mat to the knee, shin across the mat
        # toward the left hip: in the picture the shin runs back and away (z -60 -> +60).
        "right_knee": (395, 398, -60), "right_ankle": (345, 405, 60),
        # Left (back) leg: long behind, knee and ankle on the mat.
        "left_knee": (200, 402, 40), "left_ankle": left_ankle,
        **arms, **head,
    }, toes={"right": (0, 0, 1), "left": (-1, 0, 0)})


_PIGEON_UPRIGHT_ARMS = {"left_elbow": (318, 330, 55), "right_elbow": (318, 330, -55),
                        "left_wrist": (315, 400, 60), "right_wrist": (315, 400, -60)}
_PIGEON_UPRIGHT_HEAD = {"nose": (346, 234, 0), "left_ear": (322, 230, 28),
                        "right_ear": (322, 230, -28)}


def pigeon_right_upright() -> Landmarks:
    """Correct right Pigeon (right knee forward), upright phase, from the side.
    Front (right) knee angle in the picture: knee->hip (-95, -18), knee->ankle (-50, 7)
    -> 19 deg (the shin crossing the mat is foreshortened); shin 82 deg from vertical.
    Back (left) knee: knee->hip (100, -22), knee->ankle (-95, 8) -> 172 deg. Trunk 10 deg
    from vertical: shoulder mid = (300, 380) + 120 (sin 10, -cos 10) = (321, 262). Hands
    on the mat beside the hips."""
    return _pigeon((321, 262), (105, 410, 40), _PIGEON_UPRIGHT_ARMS, _PIGEON_UPRIGHT_HEAD)


def pigeon_right_legs_swapped() -> Landmarks:
    """`pigeon_right_upright` with the legs' names swapped (knee, ankle, heel, toes), as the
    model does side-on now and then: the bent front leg is called the left one."""
    return pigeon_right_upright().renamed(LEGS_SWAPPED)


def pigeon_back_knee_bent() -> Landmarks:
    """Right Pigeon with the back (left) knee bent to 120 deg: the left shin rises from the
    knee (200, 402) at 120 deg to the thigh: ankle = knee + 95 (cos -132.4, sin -132.4) =
    (136, 332)."""
    return _pigeon((321, 262), (136, 332, 40), _PIGEON_UPRIGHT_ARMS, _PIGEON_UPRIGHT_HEAD)


def pigeon_slumped() -> Landmarks:
    """Right Pigeon half-way down, neither upright nor folded: trunk 55 deg from vertical,
    shoulder mid = (300, 380) + 120 (sin 55, -cos 55) = (398, 311). Hands on the mat ahead."""
    return _pigeon((398, 311), (105, 410, 40),
                   {"left_elbow": (420, 365, 55), "right_elbow": (420, 365, -55),
                    "left_wrist": (440, 405, 60), "right_wrist": (440, 405, -60)},
                   {"nose": (440, 300, 0), "left_ear": (424, 284, 28),
                    "right_ear": (424, 284, -28)})


def pigeon_right_folded_hidden() -> Landmarks:
    """Right Pigeon folded forward, seen from the person's left side as in the real photos:
    head toward image-left, chest on the front shin (trunk 83 deg from vertical), forearms on
    the mat ahead. The front (right) leg is the far one, under the chest and poorly seen
    (visibility 0.3, as the model gave it there): knee (215, 400, +50), shin across toward
    the near hip. The back (left) leg, near the camera, is long behind: knee->hip (-100,
    -22), knee->ankle (95, 8), 170 deg."""
    hidden = ("right_knee", "right_ankle", "right_heel", "right_foot_index")
    lm = make_body({
        "left_shoulder": (185, 395, -45), "right_shoulder": (185, 395, 45),
        "left_hip": (300, 380, -40), "right_hip": (300, 380, 40),
        "right_knee": (215, 400, 50), "right_ankle": (290, 405, -30),
        "left_knee": (400, 402, -40), "left_ankle": (495, 410, -40),
        "left_elbow": (200, 405, -55), "right_elbow": (200, 405, 55),
        "left_wrist": (160, 410, -60), "right_wrist": (160, 410, 60),
        "nose": (150, 405, 0), "left_ear": (165, 395, -28), "right_ear": (165, 395, 28),
    }, toes={"right": (0, 0, -1), "left": (1, 0, 0)})
    return replace(lm, visibility=np.where(np.isin(NAMES, hidden), 0.3, lm.visibility))


def pigeon_front() -> Landmarks:
    """Correct right Pigeon seen from the front end of the mat: `pigeon_right_upright`
    turned a quarter round (the person now faces the camera, left side on image-right).
    Hips (260/340, 380) level and square to the camera; the front shin, across the mat,
    now lies across the picture: right knee (240, 398), ankle (360, 405), 3 deg from
    horizontal; the back leg points straight away from the camera."""
    return turned(pigeon_right_upright(), -90)


# --- Figure Four -------------------------------------------------------------------------
# Lying on the back as for Happy Baby (head at image-left, left side far). Right figure
# four: the right ankle crosses onto the left thigh just below the left knee.
# Left (supporting) thigh 70 deg up toward the head (hip angle 70): knee = (400, 390) +
# 100 (-cos 70, -sin 70) = (366, 296); left shin 90 deg to the thigh, toward the feet end:
# ankle = knee + 95 (cos -20, sin -20) = (455, 264). Right (crossing) thigh turned out
# toward the camera (-z); its knee solves |knee - hip| = 100, |knee - ankle| = 95 in 3-D.

_F4_LEFT_LEG = {"left_knee": (366, 296, 40), "left_ankle": (455, 264, 45)}
_F4_ARMS = {"left_elbow": (325, 330, 60), "right_elbow": (325, 330, -60),
            "left_wrist": (378, 318, 45), "right_wrist": (378, 318, 25)}


def figure_four_right() -> Landmarks:
    """Correct right Figure Four from the side. Right ankle (370.1, 307.3, 30) rests on the
    left thigh 12 px below the left knee (0.1 torso), toward the hip (0.0 of the left shin
    past the knee: the thigh is square to the shin); right knee (367, 298.8, -64.6) out toward the camera (the farthest
    solution of the two lengths), though the thighs are only 14 deg apart in 3-D. Both
    wrists (378, 318) hold behind the left thigh, 4 px from it. Head down."""
    return _supine({**_F4_LEFT_LEG, "right_knee": (367, 298.8, -64.6),
                    "right_ankle": (370.1, 307.3, 30)},
                   _F4_ARMS, _HB_HEAD, toes={"left": (0.34, 0.94, 0), "right": (0, 0, 1)})


def figure_four_ankle_on_shin() -> Landmarks:
    """Right Figure Four crossed too far: the right ankle (410.5, 280, 30) rests half-way
    down the left shin (0.5 of it past the left knee), 47 px = 0.39 torso from the knee, near
    enough for the distance alone; right knee (409.2, 293.4, -64) solved as in
    `figure_four_right`. The ankles are then about equally near the other knees, so the
    working side is not detected in this frame alone (a clip keeps the one seen before)."""
    return _supine({**_F4_LEFT_LEG, "right_knee": (409.2, 293.4, -64),
                    "right_ankle": (410.5, 280, 30)},
                   _F4_ARMS, _HB_HEAD, toes={"left": (0.34, 0.94, 0), "right": (0, 0, 1)})


def figure_four_feet_end() -> Landmarks:
    """Correct right Figure Four seen from the feet end: `figure_four_right` turned a
    quarter round."""
    return turned(figure_four_right(), -90)


def figure_four_ankle_off() -> Landmarks:
    """Right Figure Four with the crossing ankle slid down the thigh toward the hip:
    right ankle (389, 347, 30) is 56 px = 0.47 torso from the left knee: near enough to be
    recognised (0.5) but not resting at the knee (0.45). The left ankle is 0.64 torso from
    the right knee (383.5, 291.6, -47), so the working side is still right."""
    return _supine({**_F4_LEFT_LEG, "right_knee": (383.5, 291.6, -47),
                    "right_ankle": (389, 347, 30)},
                   _F4_ARMS, _HB_HEAD, toes={"left": (0.34, 0.94, 0), "right": (0, 0, 1)})


CANONICAL = {
    "standing": standing,
    "malasana_front": malasana_front,
    "malasana_feet_narrow": malasana_feet_narrow,
    "malasana_side": malasana_side,
    "malasana_side_folded": malasana_side_folded,
    "malasana_side_hips_high": malasana_side_hips_high,
    "happy_baby_side": happy_baby_side,
    "happy_baby_head_lifted": happy_baby_head_lifted,
    "happy_baby_hands_off": happy_baby_hands_off,
    "happy_baby_straight_legs": happy_baby_straight_legs,
    "happy_baby_feet_end": happy_baby_feet_end,
    "happy_baby_feet_end_high": happy_baby_feet_end_high,
    "pigeon_right_upright": pigeon_right_upright,
    "pigeon_right_legs_swapped": pigeon_right_legs_swapped,
    "pigeon_back_knee_bent": pigeon_back_knee_bent,
    "pigeon_slumped": pigeon_slumped,
    "pigeon_front": pigeon_front,
    "pigeon_right_folded_hidden": pigeon_right_folded_hidden,
    "figure_four_right": figure_four_right,
    "figure_four_ankle_off": figure_four_ankle_off,
    "figure_four_ankle_on_shin": figure_four_ankle_on_shin,
    "figure_four_feet_end": figure_four_feet_end,
}


@cache
def body(name: str) -> Landmarks:
    """A canonical body by name (built once; `Landmarks` is frozen, do not edit its arrays)."""
    return CANONICAL[name]()
