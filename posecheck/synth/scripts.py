"""Pose recipes for the sample clips: the four poses as functions of their form.

Every pose is built from a small frozen dataclass of *form* parameters (knee angle, trunk lean,
how far the heels are lifted, where the hands are ...), so a fault is one parameter changed and
a clip can blend smoothly between the correct form and a faulty one. The same module measures
the **truth** on a posed body: the 3-D values of what each check of docs/poses.md is about
(knee angle, trunk from vertical, heel height, ankle gap over shoulder width ...), computed on
the body's true joints and landmarks, and judges them against docs/poses.md's criteria with a
margin: every check is "pass", "fail" or "unclear" (too near the limit to be ground truth).

World frame as in `posecheck.synth`: metres, Z up, X = the body's left in the neutral stance,
the neutral body faces -Y, the mat lies along Y. Standing poses (Malasana) face -Y; supine
poses (Happy Baby, Figure Four) lie head toward +Y; Pigeon faces -Y (the front knee toward -Y).

Recipes (each returns a `Pose` on the floor):

    malasana(body, MalasanaForm(...))          standing_for_malasana(body, form)
    happy_baby(body, HappyBabyForm(...))        supine_start(body)
    figure_four(body, FigureFourForm(...), side)
    pigeon(body, PigeonForm(...), side)         all_fours(body, side)

`Transition(body, recipe, start, end, form, side).at(u)` moves between a start pose and a pose
(u from 0 to 1) by interpolating joint angles in stages, keeping planted feet (Malasana) and
hands, knees and feet (Pigeon) on the floor with IK in every frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

import numpy as np

from posecheck.synth import rotations as rot
from posecheck.synth.skeleton import (
    JOINTS,
    Body,
    Pose,
    PosedBody,
    aim_hand,
    ik_two_bone,
    on_floor,
    orient_joint,
    pose_body,
)

UP = np.array([0.0, 0.0, 1.0])
X = np.array([1.0, 0.0, 0.0])
Y = np.array([0.0, 1.0, 0.0])
SIDES = ("left", "right")
SIGN = {"left": 1.0, "right": -1.0}  # the body's left is +X (in the neutral frame)


def other(side: str) -> str:
    return "right" if side == "left" else "left"


def smoothstep(x: float) -> float:
    """0 below 0, 1 above 1, a smooth S between (zero slope at both ends)."""
    x = min(max(float(x), 0.0), 1.0)
    return x * x * (3.0 - 2.0 * x)


def _unit(v) -> np.ndarray:
    return rot.unit(np.asarray(v, float))


def _angle(u, v) -> float:
    """Angle between two vectors, degrees."""
    u, v = _unit(u), _unit(v)
    return math.degrees(math.acos(float(np.clip(u @ v, -1.0, 1.0))))


def _joint_angle(a, b, c) -> float:
    """Angle a-b-c at b, degrees."""
    return _angle(np.asarray(a) - b, np.asarray(c) - b)


def _solve(fn, target: float, x0: float, x1: float, iterations: int = 6) -> float:
    """x with fn(x) = target by the secant method (fn smooth and monotonic near x0, x1)."""
    f0, f1 = fn(x0) - target, fn(x1) - target
    for _ in range(iterations):
        if abs(f1) < 1e-3 or f1 == f0:
            break
        x0, x1, f0 = x1, x1 - f1 * (x1 - x0) / (f1 - f0), f1
        f1 = fn(x1) - target
    return x1


# ----------------------------------------------------------------------------- forms


@dataclass(frozen=True)
class Form:
    """Form parameters: floats only, so two forms blend field by field."""

    def blend(self, other: "Form", w: float) -> "Form":
        if w <= 0.0:
            return self
        if w >= 1.0:
            return other
        return type(self)(**{f.name: (1 - w) * getattr(self, f.name) + w * getattr(other, f.name)
                             for f in fields(self)})


@dataclass(frozen=True)
class MalasanaForm(Form):
    knee_angle: float = 45.0     # knee angle (hip-knee-ankle), degrees: the squat depth
    back: float = 0.42           # pelvis behind the ankles, in thigh lengths
    lean: float = 20.0           # trunk (hip centre to shoulder centre) from vertical, degrees
    feet_ratio: float = 1.4      # ankle centres apart, in shoulder widths (joint centres)
    toe_out: float = 25.0        # feet turned out, degrees
    heel_lift: float = 0.0       # heels above the floor, metres (the foot pivots on its ball)
    hands_on_knees: float = 0.0  # 0: palms together at the chest; 1: hands resting on the knees
    elbows_in: float = 1.0       # 1: elbows pressing the insides of the knees; 0: lifted out


@dataclass(frozen=True)
class HappyBabyForm(Form):
    knee_angle: float = 90.0     # knee angle, degrees
    knees_out: float = 40.0      # thighs turned out from the body's long axis, degrees
    thigh_rise: float = 12.0     # thighs above the horizontal, degrees
    tilt: float = 20.0           # pelvis tilted back (tailbone up), degrees
    hold: float = 0.0            # where the hands hold: 0 the arch, 1 the ankle, 2 the shin by the knee, 3 the thigh
    grip_outside: float = 0.0    # 0 hands on the insides of the legs, 1 on the outsides
    hands_off: float = 0.0       # 0 holding; 1 hands resting on the mat beside the hips
    head_lift: float = 0.0       # head and shoulders curled up: line hips -> ears above the mat, degrees


@dataclass(frozen=True)
class FigureFourForm(Form):
    support_hip: float = 78.0    # supporting thigh above the mat toward the head, degrees (90: vertical)
    support_knee: float = 90.0   # supporting knee angle, degrees
    ankle_on_shin: float = 0.0   # crossing ankle moved over the knee and down the supporting shin toward
                                 # the foot: 0 at the knee, SHIN_ARC over the knee cap, then shin lengths
    knee_open: float = 1.0       # crossing knee: 1 pressed away (open), 0 pulled toward the chest
    tilt: float = 10.0           # pelvis tilted back, degrees
    hands_off: float = 0.0       # 0 holding behind the supporting thigh; 1 resting on the mat
    head_lift: float = 0.0       # as HappyBabyForm.head_lift


@dataclass(frozen=True)
class PigeonForm(Form):
    trunk: float = 12.0          # trunk from vertical, degrees (upright 0-35; folded 75+)
    front_thigh: float = 12.0    # front thigh turned out from straight ahead, degrees
    front_shin: float = 8.0      # front shin from across the mat, degrees (foot swung back toward the groin > 0)
    back_knee: float = 172.0     # back knee angle, degrees
    hip_yaw: float = 0.0         # pelvis turned open (back-leg hip back and up), degrees about vertical
    hip_roll: float = 3.0        # pelvis rolled toward the front-leg side, degrees
    hip_height: float = 0.17     # hip joints above the floor, metres


# ----------------------------------------------------------------------------- helpers


def _lengths(body: Body, limb: str) -> tuple[float, float]:
    if limb == "leg":
        return body.segment_length("left_hip"), body.segment_length("left_knee")
    return body.segment_length("left_shoulder"), body.segment_length("left_elbow")


def shoulder_width(body: Body) -> float:
    return float(abs(body.chain["left_shoulder"][0][0] - body.chain["right_shoulder"][0][0]))


def _foot_points(body: Body) -> dict[str, np.ndarray]:
    """The left foot's ankle, heel and toe tip, neutral."""
    neutral = pose_body(body, Pose())
    heel, toe = neutral.landmark("left_heel"), neutral.landmark("left_foot_index")
    return {"ankle": body.chain["left_ankle"][0].copy(), "heel": heel, "toe": toe}


def _mirror_x(v: np.ndarray, side: str) -> np.ndarray:
    return v * np.array([SIGN[side], 1.0, 1.0])


def _trunk_axes(posed: PosedBody) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Chest point (shoulder centre), trunk axis (hips to shoulders), forward (chest side), left."""
    j = posed.joints
    chest = (j["left_shoulder"] + j["right_shoulder"]) / 2
    hips = (j["left_hip"] + j["right_hip"]) / 2
    t = _unit(chest - hips)
    left = _unit(j["left_shoulder"] - j["right_shoulder"])
    fwd = _unit(np.cross(left, t))  # left x t: for the neutral body (left=X, t=Z) that is -Y
    return chest, t, fwd, left


def _lerp(a, b, w):
    return (1 - w) * np.asarray(a, float) + w * np.asarray(b, float)


def lerp_pose(body: Body, a: Pose, b: Pose, w: float, joint_w=None, root_w=None) -> Pose:
    """Joint angles, root position and root rotation interpolated (w = 0: a, 1: b).

    joint_w(name) and root_w ("position" / "rotation") give other weights per joint or root
    part (a movement done in stages); by default every part moves with w."""
    joint_w = joint_w or (lambda name: w)
    root_w = root_w or (lambda part: w)
    pa = body.pelvis if a.root_position is None else np.asarray(a.root_position, float)
    pb = body.pelvis if b.root_position is None else np.asarray(b.root_position, float)
    joints = {}
    for name in JOINTS:
        if name in a.joints or name in b.joints:
            joints[name] = tuple(_lerp(a.angles(name), b.angles(name), joint_w(name)))
    return Pose(root_position=tuple(_lerp(pa, pb, root_w("position"))),
                root_rotation=tuple(_lerp(a.root_rotation, b.root_rotation, root_w("rotation"))),
                joints=joints)


# ----------------------------------------------------------------------------- Malasana


def _malasana_feet(body: Body, form: MalasanaForm) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per side: (ankle joint target, world rotation of the foot)."""
    pts = _foot_points(body)
    half = form.feet_ratio * shoulder_width(body) / 2
    pitch = 0.0
    heel_to_toe = float(pts["heel"][1] - pts["toe"][1])
    if form.heel_lift > 0:  # on tiptoe: the foot pivots on its toes (the rig's foot is rigid)
        pitch = math.degrees(math.asin(min(form.heel_lift / heel_to_toe, 0.9)))
    out = {}
    for s in SIDES:
        sign = SIGN[s]
        spin = rot.axis_angle(UP, sign * form.toe_out)
        foot = spin @ rot.axis_angle(X, pitch)
        # the flat foot's ankle at (+-half, 0): its toes stay put while the heel rises
        ankle_flat = np.array([sign * half, 0.0, pts["ankle"][2]])
        toe = ankle_flat + spin @ (_mirror_x(pts["toe"], s) - _mirror_x(pts["ankle"], s))
        ankle = toe + foot @ (_mirror_x(pts["ankle"], s) - _mirror_x(pts["toe"], s))
        out[s] = (ankle, foot)
    return out


def _malasana_legs(body: Body, pose: Pose, form: MalasanaForm) -> Pose:
    """Legs by IK to the planted feet, knees toward the toes, feet flat or on their balls."""
    for s, (ankle, foot) in _malasana_feet(body, form).items():
        sign = SIGN[s]
        k = math.radians(form.toe_out + 10)
        knee_dir = np.array([sign * math.sin(k), -math.cos(k), 0.35])
        pose = ik_two_bone(body, pose, f"{s}_leg", ankle, ankle + knee_dir)
        pose = orient_joint(body, pose, f"{s}_ankle", foot)
    return pose


def _malasana_trunk(body: Body, pose: Pose, lean: float) -> Pose:
    """Trunk `lean` degrees from vertical: pelvis, lumbar and thoracic share it; the neck keeps
    the face forward."""
    def build(k: float) -> Pose:
        return replace(pose, root_rotation=(0.55 * k, 0.0, 0.0)).with_joints(
            spine_lower=(0.3 * k, 0, 0), spine_upper=(0.15 * k, 0, 0), neck=(-0.45 * k, 0, 0),
            head=(-0.1 * k, 0, 0))

    def trunk(k: float) -> float:
        j = pose_body(body, build(k)).joints
        v = (j["left_shoulder"] + j["right_shoulder"] - j["left_hip"] - j["right_hip"]) / 2
        return _angle(v, UP) * (1 if v[1] <= 0 else -1)

    return build(_solve(trunk, lean, lean, lean + 2))


def malasana(body: Body, form: MalasanaForm = MalasanaForm()) -> Pose:
    """Deep squat facing -Y: feet planted form.feet_ratio shoulder widths apart and turned out,
    knees over the toes, hips form.back thigh lengths behind the ankles and as low as the knee
    angle puts them, trunk form.lean from vertical, palms together at the chest with the elbows
    in the knees (or the hands on the knees)."""
    l1, l2 = _lengths(body, "leg")
    feet = _malasana_feet(body, form)
    ankle_l = feet["left"][0]
    hip_ankle = math.sqrt(l1 ** 2 + l2 ** 2 - 2 * l1 * l2 * math.cos(math.radians(form.knee_angle)))
    back = form.back * l1
    side = ankle_l[0] - abs(body.chain["left_hip"][0][0])
    hip_z = ankle_l[2] + math.sqrt(max(hip_ankle ** 2 - back ** 2 - side ** 2, 1e-6))
    pose = Pose(root_position=(0.0, ankle_l[1] + back, hip_z))
    pose = _malasana_trunk(body, pose, form.lean)
    pose = _malasana_legs(body, pose, form)
    pose = on_floor(body, pose)
    return _malasana_arms(body, pose, form)


def _malasana_arms(body: Body, pose: Pose, form: MalasanaForm) -> Pose:
    """Palms together in front of the chest with the elbows pressing the insides of the knees
    (elbows_in 1) or lifted out to the sides (0); or the hands resting on the knees."""
    posed = pose_body(body, pose)
    j = posed.joints
    chest, t, fwd, _ = _trunk_axes(posed)
    l1, l2 = _lengths(body, "arm")
    # elbows in: each elbow as near the inside of its knee as the upper arm reaches; the hands
    # meet where both forearms reach, a little above the elbows
    e_in = {}
    for s in SIDES:
        lateral = np.array([SIGN[s], 0.0, 0.0])
        inner_knee = j[f"{s}_knee"] - 0.07 * lateral + 0.03 * UP
        e_in[s] = j[f"{s}_shoulder"] + l1 * _unit(inner_knee - j[f"{s}_shoulder"])
    # the hands meet in front of the elbows' midpoint, as far forward as the forearms reach
    mid = (e_in["left"] + e_in["right"]) / 2 + 0.02 * UP
    fwd_h = _unit(fwd - (fwd @ UP) * UP)
    d0 = mid + 0.035 * X - e_in["left"]
    b = float(d0 @ fwd_h)
    disc = b * b - float(d0 @ d0) + l2 ** 2
    prayer_in = mid + (-b + math.sqrt(max(disc, 0.0))) * fwd_h
    prayer_free = chest + 0.2 * fwd - 0.1 * t
    for s in SIDES:
        sign = SIGN[s]
        lateral = np.array([sign, 0.0, 0.0])
        shoulder, knee = j[f"{s}_shoulder"], j[f"{s}_knee"]
        w_in = prayer_in + 0.035 * lateral
        w_free = prayer_free + 0.035 * lateral
        e_free = (shoulder + w_free) / 2 + 0.3 * lateral + 0.3 * UP  # elbows lifted out
        # hands on the knees: wrists on top of the knees, elbows out to the side
        w_knee = knee + 0.075 * UP + 0.03 * fwd
        e_knee = (shoulder + w_knee) / 2 + 0.3 * lateral + 0.05 * UP
        wrist = _lerp(_lerp(w_free, w_in, form.elbows_in), w_knee, form.hands_on_knees)
        pole = _lerp(_lerp(e_free, e_in[s] + 0.1 * (e_in[s] - (shoulder + w_in) / 2), form.elbows_in),
                     e_knee, form.hands_on_knees)
        pose = ik_two_bone(body, pose, f"{s}_arm", wrist, pole)
        fingers = _lerp(_unit(t + 0.3 * fwd), _unit(fwd - 0.8 * UP), form.hands_on_knees)
        palm = _lerp(-lateral, -UP, form.hands_on_knees)
        pose = aim_hand(body, pose, s, fingers=_unit(fingers), palm=_unit(palm))
    return pose


def standing_for_malasana(body: Body, form: MalasanaForm = MalasanaForm()) -> Pose:
    """Standing tall, feet where the squat will put them, arms hanging relaxed."""
    flat = replace(form, heel_lift=0.0)
    l1, l2 = _lengths(body, "leg")
    ankle_l = _malasana_feet(body, flat)["left"][0]
    side = ankle_l[0] - abs(body.chain["left_hip"][0][0])
    hip_z = ankle_l[2] + math.sqrt((l1 + l2 - 0.004) ** 2 - side ** 2)
    pose = Pose(root_position=(0.0, ankle_l[1] + 0.01, hip_z)).with_joints(
        left_shoulder=(0, 9, 0), right_shoulder=(0, 9, 0), left_elbow=(8, 0, 0), right_elbow=(8, 0, 0))
    pose = _malasana_legs(body, pose, flat)
    return on_floor(body, pose)


# ----------------------------------------------------------------------------- truth


def _point_to_segment(p, a, b) -> float:
    p, a, b = (np.asarray(v, float) for v in (p, a, b))
    ab = b - a
    t = float(np.clip((p - a) @ ab / (ab @ ab), 0.0, 1.0))
    return float(np.linalg.norm(p - (a + t * ab)))


def truth_values(posed: PosedBody) -> dict[str, float]:
    """The true 3-D values behind every check, on the body's true joints and landmarks.

    Lengths in torso lengths (shoulder centre to hip centre, joint centres) unless named _m;
    angles in degrees; 'gap' ratios over the shoulder width (shoulder joint centres). Per side:
    the name ends in _left / _right (the person's own side)."""
    lm = posed.landmark_dict()
    j = posed.joints
    sm = (j["left_shoulder"] + j["right_shoulder"]) / 2
    hm = (j["left_hip"] + j["right_hip"]) / 2
    torso = float(np.linalg.norm(sm - hm))
    shoulders = float(np.linalg.norm(j["left_shoulder"] - j["right_shoulder"]))
    v: dict[str, float] = {"torso_m": torso}
    trunk = sm - hm
    v["trunk_from_vertical"] = _angle(trunk, UP)
    v["ankle_gap"] = float(np.linalg.norm(j["left_ankle"] - j["right_ankle"])) / shoulders
    v["knee_gap"] = float(np.linalg.norm(j["left_knee"] - j["right_knee"])) / shoulders
    v["wrist_gap"] = float(np.linalg.norm(j["left_wrist"] - j["right_wrist"])) / torso
    wm = (j["left_wrist"] + j["right_wrist"]) / 2
    v["wrists_along_torso"] = float((sm[2] - wm[2]) / (sm[2] - hm[2]))  # by height: 0 shoulders, 1 hips
    ears = (lm["left_ear"] + lm["right_ear"]) / 2
    d = ears - hm
    v["head_lift"] = math.degrees(math.atan2(float(d[2]), float(np.hypot(d[0], d[1]))))
    hip_line = j["left_hip"] - j["right_hip"]
    v["hip_yaw"] = abs(math.degrees(math.atan2(float(hip_line[1]), abs(float(hip_line[0])))))
    v["hip_roll"] = abs(math.degrees(math.atan2(float(hip_line[2]), float(np.hypot(hip_line[0], hip_line[1])))))
    for s in SIDES:
        o = other(s)
        hip, knee, ankle = j[f"{s}_hip"], j[f"{s}_knee"], j[f"{s}_ankle"]
        v[f"knee_angle_{s}"] = _joint_angle(hip, knee, ankle)
        v[f"hip_angle_{s}"] = _joint_angle(j[f"{s}_shoulder"], hip, knee)
        v[f"hip_above_knee_m_{s}"] = float(hip[2] - knee[2])
        v[f"shin_from_vertical_{s}"] = _angle(ankle - knee, UP) if ankle[2] >= knee[2] else 180 - _angle(ankle - knee, UP)
        shin = ankle - knee
        flat = np.array([abs(shin[0]), abs(shin[1]), 0.0])
        v[f"shin_from_across_{s}"] = _angle(flat, X) if np.linalg.norm(flat) > 1e-6 else 90.0
        v[f"heel_lift_m_{s}"] = float(lm[f"{s}_heel"][2] - lm[f"{s}_foot_index"][2])
        v[f"elbow_to_knee_{s}"] = float(np.linalg.norm(j[f"{s}_elbow"] - knee)) / torso
        w = j[f"{s}_wrist"]
        v[f"wrist_to_foot_{s}"] = min(_point_to_segment(w, knee, ankle),
                                      _point_to_segment(w, ankle, lm[f"{s}_foot_index"])) / torso
        v[f"wrists_to_thigh_{s}"] = max(_point_to_segment(j[f"{k}_wrist"], hip, knee) for k in SIDES) / torso
        v[f"ankle_to_other_knee_{s}"] = float(np.linalg.norm(ankle - j[f"{o}_knee"])) / torso
        v[f"thigh_spread_{s}"] = _angle(knee - hip, j[f"{o}_knee"] - j[f"{o}_hip"])
    return v


# Each check's truth: (value names, pass test, fail test). A value in neither zone is "unclear":
# too near docs/poses.md's limit to count as ground truth either way.
def _both(prefix):
    return [f"{prefix}_left", f"{prefix}_right"]


def criteria(pose: str, side: str | None):
    w, o = (side, other(side)) if side else (None, None)
    if pose == "malasana":
        return {
            "feet-wide": (["ankle_gap"], lambda g: 1.1 <= g <= 1.9, lambda g: g <= 0.85 or g >= 2.25),
            "deep-squat": (_both("hip_above_knee_m") + _both("knee_angle"),
                           lambda hl, hr, kl, kr: max(hl, hr) <= 0.0 and max(kl, kr) <= 80,
                           lambda hl, hr, kl, kr: max(hl, hr) >= 0.08 or max(kl, kr) >= 100),
            "heels-down": (_both("heel_lift_m"), lambda l, r: max(l, r) <= 0.02, lambda l, r: max(l, r) >= 0.045),
            "spine-upright": (["trunk_from_vertical"], lambda a: a <= 28, lambda a: a >= 45),
            "palms-together": (["wrist_gap", "wrists_along_torso"],
                               lambda g, a: g <= 0.2 and -0.1 <= a <= 0.75,
                               lambda g, a: g >= 0.5 or not -0.3 <= a <= 1.1),
            "elbows-in-knees": (_both("elbow_to_knee"), lambda l, r: max(l, r) <= 0.38,
                                lambda l, r: max(l, r) >= 0.52),
        }
    if pose == "happy-baby":
        return {
            "knees-90": (_both("knee_angle"), lambda l, r: 75 <= min(l, r) and max(l, r) <= 115,
                         lambda l, r: min(l, r) <= 55 or max(l, r) >= 135),
            "soles-up": (_both("shin_from_vertical"), lambda l, r: max(l, r) <= 22, lambda l, r: max(l, r) >= 42),
            "knees-to-armpits": (_both("hip_angle"), lambda l, r: max(l, r) <= 80, lambda l, r: max(l, r) >= 100),
            "knees-wide": (["knee_gap"], lambda g: g >= 1.3, lambda g: g <= 0.8),
            "hands-on-feet": (_both("wrist_to_foot"), lambda l, r: max(l, r) <= 0.24, lambda l, r: max(l, r) >= 0.45),
            "head-down": (["head_lift"], lambda a: a <= 12, lambda a: a >= 28),
        }
    if pose == "pigeon":
        return {
            "back-leg-long": ([f"knee_angle_{o}"], lambda k: k >= 160, lambda k: k <= 130),
            "front-knee-bent": ([f"knee_angle_{w}"], lambda k: 50 <= k <= 110, lambda k: k >= 135 or k <= 35),
            "hips-square": (["hip_yaw", "hip_roll"], lambda y, r: y <= 12 and r <= 8,
                            lambda y, r: y >= 35 or r >= 22),
            "shin-parallel": ([f"shin_from_across_{w}"], lambda a: a <= 20, lambda a: a >= 40),
            "torso-supported": (["trunk_from_vertical"], lambda a: a <= 35 or a >= 72,
                                lambda a: 50 <= a <= 60),
        }
    if pose == "figure-four":
        return {
            "ankle-on-knee": ([f"ankle_to_other_knee_{w}"], lambda d: d <= 0.25, lambda d: d >= 0.45),
            "thigh-to-chest": ([f"hip_angle_{o}"], lambda a: a <= 85, lambda a: a >= 110),
            "hands-behind-thigh": ([f"wrists_to_thigh_{o}"], lambda d: d <= 0.24, lambda d: d >= 0.45),
            "knee-open": ([f"thigh_spread_{w}"], lambda a: a >= 52, lambda a: a <= 38),
            "head-down": (["head_lift"], lambda a: a <= 12, lambda a: a >= 28),
        }
    raise ValueError(f"unknown pose {pose!r}")


def judge_truth(pose: str, side: str | None, values: dict[str, float]) -> dict[str, str]:
    """Each check of the pose: "pass", "fail" or "unclear" on these true values."""
    out = {}
    for check_id, (names, ok, bad) in criteria(pose, side).items():
        args = [values[n] for n in names]
        out[check_id] = "pass" if ok(*args) else "fail" if bad(*args) else "unclear"
    return out



# ----------------------------------------------------------------------------- supine poses


def _curl(body: Body, pose: Pose, head_lift: float) -> Pose:
    """Head and shoulders curled up off the mat (thoracic spine and neck flexed) until the line
    from the hips to the ears is `head_lift` degrees above the mat; 0 leaves them down."""
    if head_lift <= 0.0:
        return pose
    base = pose_body(body, pose)
    base_lift = _head_lift(base)

    def build(k: float) -> Pose:
        f, a, r = pose.angles("spine_upper")
        nf, na, nr = pose.angles("neck")
        return pose.with_joints(spine_upper=(f + 0.65 * k, a, r), neck=(nf + 0.35 * k, na, nr))

    def lift(k: float) -> float:
        return _head_lift(pose_body(body, build(k)))

    return build(_solve(lift, base_lift + head_lift if base_lift < 0 else head_lift, head_lift, head_lift + 5))


def _head_lift(posed: PosedBody) -> float:
    j = posed.joints
    hips = (j["left_hip"] + j["right_hip"]) / 2
    ears = (posed.landmark("left_ear") + posed.landmark("right_ear")) / 2
    d = ears - hips
    return math.degrees(math.atan2(float(d[2]), float(np.hypot(d[0], d[1]))))


def _arms_up(pose: Pose) -> Pose:
    """Arms raised toward the ceiling (lying on the back) until IK places them: hanging arms
    would swing into the floor when the shoulders curl up and so decide where the floor is."""
    return pose.with_joints(left_shoulder=(90.0, 0, 0), right_shoulder=(90.0, 0, 0))


def _rest_arm(body: Body, pose: Pose, s: str, posed: PosedBody) -> tuple[np.ndarray, np.ndarray]:
    """Wrist target and elbow pole for an arm resting on the mat beside the hips."""
    lateral = np.array([SIGN[s], 0.0, 0.0])
    hip = posed.joints[f"{s}_hip"]
    wrist = np.array([hip[0] + SIGN[s] * 0.16, hip[1] + 0.04, 0.035])
    shoulder = posed.joints[f"{s}_shoulder"]
    return wrist, (shoulder + wrist) / 2 + 0.3 * lateral - 0.1 * UP


def supine_start(body: Body) -> Pose:
    """Lying on the back, head toward +Y, knees bent with the feet flat on the mat hip-width
    apart, arms resting beside the body."""
    l1, l2 = _lengths(body, "leg")
    pose = Pose(root_position=(0.0, 0.0, 0.12), root_rotation=(-90.0, 0.0, 0.0),
                joints={"neck": (6.0, 0, 0)})
    posed = pose_body(body, pose)
    for s in SIDES:
        hip = posed.joints[f"{s}_hip"]
        ankle = np.array([hip[0] + SIGN[s] * 0.03, hip[1] - 0.62 * (l1 + l2), 0.075])
        pose = ik_two_bone(body, pose, f"{s}_leg", ankle, ankle + np.array([0, 0.3, 1.0]))
        pose = orient_joint(body, pose, f"{s}_ankle", np.eye(3))
    pose = on_floor(body, pose)
    posed = pose_body(body, pose)
    for s in SIDES:
        pose = ik_two_bone(body, pose, f"{s}_arm", *_rest_arm(body, pose, s, posed))
    return pose


def happy_baby(body: Body, form: HappyBabyForm = HappyBabyForm()) -> Pose:
    """Supine, head toward +Y: pelvis tilted back, thighs drawn up beside the chest (knees_out
    from the long axis, thigh_rise above the horizontal), knees bent to knee_angle with the shin
    in the plane of the thigh and the vertical, hands holding the feet (or resting on the mat),
    head and shoulders down (or curled up by head_lift degrees)."""
    pose = Pose(root_position=(0.0, 0.0, 0.12), root_rotation=(-90.0 - form.tilt, 0, 0),
                joints={"spine_lower": (form.tilt, 0, 0), "neck": (8.0, 0, 0),
                        "left_clavicle": (20.0, 0, 0), "right_clavicle": (20.0, 0, 0)})
    posed = pose_body(body, pose)
    l1, l2 = _lengths(body, "leg")
    for s in SIDES:
        hip = posed.joints[f"{s}_hip"]
        lateral = np.array([SIGN[s], 0.0, 0.0])
        a, e = math.radians(form.knees_out), math.radians(form.thigh_rise)
        # raised by thigh_rise in the sagittal plane (past 90: beyond vertical), turned out by knees_out
        thigh = math.cos(a) * (math.cos(e) * Y + math.sin(e) * UP) + math.sin(a) * lateral
        knee = hip + l1 * thigh
        ref = UP - (UP @ thigh) * thigh
        ref = _unit(ref) if np.linalg.norm(ref) > 1e-6 else -Y
        k = math.radians(form.knee_angle)
        ankle = knee + l2 * (math.cos(k) * -thigh + math.sin(k) * ref)
        pose = ik_two_bone(body, pose, f"{s}_leg", ankle, knee + 0.3 * (knee - hip))
        # the sole toward the ceiling: foot flexed to about a right angle with the shin
        pose = pose.with_joint(f"{s}_ankle", flex=5.0, abd=0.0, rot=0.0)
    pose = on_floor(body, _curl(body, _arms_up(pose), form.head_lift))
    return _hold_feet(body, pose, form.hold, form.grip_outside, form.hands_off)


def _hold_point(posed: PosedBody, s: str, hold: float, outside: float) -> np.ndarray:
    """Where a hand holds its own leg: 0 the arch, 1 the ankle, 2 the shin just below the knee,
    3 the back of the thigh near the hip (continuous between); from the inside of the leg, or
    from the outside (outside = 1)."""
    side_dir = (2.0 * outside - 1.0) * np.array([SIGN[s], 0.0, 0.0])
    heel, toe = posed.landmark(f"{s}_heel"), posed.landmark(f"{s}_foot_index")
    hip, ankle, knee = posed.joints[f"{s}_hip"], posed.joints[f"{s}_ankle"], posed.joints[f"{s}_knee"]
    back_of_thigh = _unit(np.cross(_unit(knee - hip), np.array([SIGN[s], 0.0, 0.0])))
    if back_of_thigh[2] > 0:  # the back of a raised thigh faces down
        back_of_thigh = -back_of_thigh
    points = [(heel + toe) / 2 + 0.045 * side_dir, ankle + 0.05 * side_dir,
              knee + 0.22 * (ankle - knee) + 0.055 * side_dir,
              hip + 0.38 * (knee - hip) + 0.07 * back_of_thigh]
    i = min(int(hold), len(points) - 2)
    return _lerp(points[i], points[i + 1], hold - i)


def _hold_feet(body: Body, pose: Pose, hold: float, outside: float, hands_off: float) -> Pose:
    posed = pose_body(body, pose)
    for s in SIDES:
        lateral = np.array([SIGN[s], 0.0, 0.0])
        shoulder = posed.joints[f"{s}_shoulder"]
        grip = _hold_point(posed, s, hold, outside)
        wrist = grip - 0.06 * _unit(grip - shoulder)  # the palm on the leg, the wrist just short of it
        pole = (shoulder + wrist) / 2 + 0.4 * lateral - 0.3 * UP
        pose = _reach(body, pose, posed, s, wrist, pole, hands_off)
    return pose


def _reach(body: Body, pose: Pose, posed, s: str, wrist, pole, hands_off: float) -> Pose:
    """Put side s's wrist at `wrist` by IK; with hands_off > 0, move it that share of the
    way to the arm's resting place on the mat, arcing out to the side."""
    if hands_off > 0:
        lateral = np.array([SIGN[s], 0.0, 0.0])
        rest, rest_pole = _rest_arm(body, pose, s, posed)
        wrist = _lerp(wrist, rest, hands_off) + 0.15 * math.sin(math.pi * hands_off) * lateral
        pole = _lerp(pole, rest_pole, hands_off)
    return ik_two_bone(body, pose, f"{s}_arm", wrist, pole)


def figure_four(body: Body, form: FigureFourForm, side: str) -> Pose:
    """Supine, head toward +Y: the supporting (other) thigh drawn toward the chest, its knee
    bent; the crossing (side) ankle resting on the supporting thigh just below the knee, the
    crossing knee pressed out (knee_open 1) or pulled in; hands clasped behind the supporting
    thigh (or resting on the mat); head and shoulders down (or curled up)."""
    o = other(side)
    pose = Pose(root_position=(0.0, 0.0, 0.12), root_rotation=(-90.0 - form.tilt, 0, 0),
                joints={"spine_lower": (form.tilt, 0, 0), "neck": (8.0, 0, 0),
                        "left_clavicle": (15.0, 0, 0), "right_clavicle": (15.0, 0, 0)})
    posed = pose_body(body, pose)
    l1, l2 = _lengths(body, "leg")
    # supporting leg: thigh in the sagittal plane, support_hip degrees from the trunk axis
    hip = posed.joints[f"{o}_hip"]
    e = math.radians(form.support_hip)
    thigh = math.cos(e) * Y + math.sin(e) * UP
    knee = hip + l1 * thigh
    k = math.radians(form.support_knee)
    front = _unit(np.cross(X, thigh))  # the thigh's anterior side (toward the head when vertical)
    if front @ Y < 0:
        front = -front
    ankle = knee + l2 * (math.cos(k) * -thigh - math.sin(k) * front)
    pose = ik_two_bone(body, pose, f"{o}_leg", ankle, knee + 0.3 * thigh)
    pose = pose.with_joint(f"{o}_ankle", flex=10.0, abd=0.0, rot=0.0)
    # crossing leg: its ankle on the front of the supporting thigh (or slid off it: see
    # _crossing_ankle); its knee out to the side (open) or toward the chest
    rest = _crossing_ankle(knee, ankle, thigh, front, l1, l2, form)
    w_hip = posed.joints[f"{side}_hip"]
    lateral = np.array([SIGN[side], 0.0, 0.0])
    pole_open = w_hip + 0.5 * (lateral + Y - 0.4 * UP)
    pole_closed = w_hip + 0.5 * (UP + 0.35 * Y + 0.2 * lateral)
    pose = ik_two_bone(body, pose, f"{side}_leg", rest, _lerp(pole_closed, pole_open, form.knee_open))
    pose = pose.with_joint(f"{side}_ankle", flex=15.0, abd=0.0, rot=0.0)
    pose = on_floor(body, _curl(body, _arms_up(pose), form.head_lift))
    return _hold_thigh(body, pose, o, form.hands_off)


SHIN_ARC = 0.2  # FigureFourForm.ankle_on_shin: the share spent rounding the knee cap


def _crossing_ankle(knee, ankle, thigh, front, l1: float, l2: float, form: FigureFourForm) -> np.ndarray:
    """Where the crossing ankle rests: on the front of the supporting thigh just below the
    knee; or, with ankle_on_shin, rounded
    over the knee cap (the first SHIN_ARC of it) and on down the top of the supporting shin
    toward its foot (the rest, in shin lengths), as a person who crossed too far."""
    if form.ankle_on_shin <= 0.0:
        return knee - 0.07 * l1 * thigh + 0.09 * front
    shin = _unit(ankle - knee)
    shin_top = _unit(thigh - (thigh @ shin) * shin)  # the shin's front (up when the thigh is vertical)
    u = min(form.ankle_on_shin / SHIN_ARC, 1.0)
    a = u * math.pi / 2
    p = knee - 0.07 * (1.0 - u) * l1 * thigh + 0.09 * (math.cos(a) * front + math.sin(a) * shin_top)
    return p + max(form.ankle_on_shin - SHIN_ARC, 0.0) * l2 * shin


def _hold_thigh(body: Body, pose: Pose, support: str, hands_off: float) -> Pose:
    """Hands clasped behind the supporting thigh near the knee: the crossing side's hand
    through the gap between the legs, the other around the outside."""
    posed = pose_body(body, pose)
    j = posed.joints
    hip, knee = j[f"{support}_hip"], j[f"{support}_knee"]
    thigh = _unit(knee - hip)
    back = _unit(np.cross(thigh, X))  # posterior side of the thigh (faces the feet end / floor)
    if back @ Y > 0:
        back = -back
    reach = body.segment_length("left_shoulder") + body.segment_length("left_elbow") - 0.01
    shoulders = [j[f"{s}_shoulder"] for s in SIDES]
    for frac in np.arange(0.62, 0.2, -0.02):  # as near the knee as both hands reach
        clasp = hip + frac * (knee - hip) + 0.075 * back
        if max(np.linalg.norm(clasp - sh) for sh in shoulders) <= reach:
            break
    for s in SIDES:
        lateral = np.array([SIGN[s], 0.0, 0.0])
        shoulder = j[f"{s}_shoulder"]
        wrist = clasp + 0.035 * lateral
        wrist = wrist - 0.02 * _unit(wrist - shoulder)
        pole = (shoulder + wrist) / 2 + 0.4 * lateral - 0.2 * UP
        pose = _reach(body, pose, posed, s, wrist, pole, hands_off)
    return pose


# ----------------------------------------------------------------------------- Pigeon

KNEE_Z = 0.055   # a knee resting on the mat: its joint centre this high
ANKLE_Z = 0.05   # an ankle whose foot lies on the mat


def pigeon(body: Body, form: PigeonForm, side: str) -> Pose:
    """Pigeon facing -Y with the `side` knee forward: the front thigh forward along the mat
    (turned out front_thigh degrees), the front shin across the mat (front_shin degrees from
    across, the foot swung back toward the groin when positive), the back leg behind with its
    knee on the mat (back_knee: its angle; below about 165 the foot rises off the mat), hips
    hip_height above the mat, turned open by hip_yaw / hip_roll; trunk `trunk` degrees from
    vertical: upright with the fingertips on the mat, half-way with the hands walked forward,
    or folded onto the forearms."""
    o = other(side)
    sign = SIGN[side]
    # pelvis: the back-leg hip turned back (yaw) and up (roll); the chest turns back half-way
    yaw = -sign * form.hip_yaw       # about +Z: the front-leg side comes forward
    roll = -sign * form.hip_roll     # about +Y: the front-leg side goes down

    def build(k: float) -> Pose:
        return Pose(root_position=(0.0, 0.0, form.hip_height), root_rotation=(0.7 * k, roll, yaw),
                    joints={"spine_lower": (0.2 * k, -0.5 * roll, -0.5 * yaw),
                            "spine_upper": (0.1 * k, 0.0, 0.0),
                            "neck": (-0.45 * k, 0.0, 0.0), "head": (-0.15 * k, 0.0, 0.0)})

    def trunk(k: float) -> float:
        j = pose_body(body, build(k)).joints
        v = (j["left_shoulder"] + j["right_shoulder"] - j["left_hip"] - j["right_hip"]) / 2
        return _angle(v, UP)

    pose = build(_solve(trunk, form.trunk, form.trunk, form.trunk + 3))
    posed = pose_body(body, pose)
    l1, l2 = _lengths(body, "leg")
    # front leg
    hip = posed.joints[f"{side}_hip"]
    t = math.radians(form.front_thigh)
    drop = hip[2] - KNEE_Z
    flat = math.sqrt(max(l1 ** 2 - drop ** 2, 1e-6))
    knee = hip + np.array([sign * flat * math.sin(t), -flat * math.cos(t), -drop])
    p = math.radians(form.front_shin)
    ankle = knee + l2 * np.array([-sign * math.cos(p), math.sin(p), 0.0])
    ankle[2] = ANKLE_Z + 0.01
    pose = ik_two_bone(body, pose, f"{side}_leg", ankle, knee + 0.2 * (knee - hip) + 0.05 * UP)
    pose = pose.with_joint(f"{side}_ankle", flex=-25.0, abd=0.0, rot=0.0)
    # back leg: thigh back to the knee on the mat, shin rising by what the knee bend leaves
    hip = posed.joints[f"{o}_hip"]
    drop = hip[2] - KNEE_Z
    slope = math.asin(min(drop / l1, 0.99))
    back_dir = _unit(np.array([sign * 0.06, 1.0, 0.0]))  # a little toward the midline
    knee = hip + l1 * (math.cos(slope) * back_dir - math.sin(slope) * UP)
    rise = math.radians(180.0 - form.back_knee) - slope
    ankle = knee + l2 * (math.cos(rise) * back_dir + math.sin(rise) * UP)
    pose = ik_two_bone(body, pose, f"{o}_leg", ankle, knee - 0.3 * UP)
    pose = pose.with_joint(f"{o}_ankle", flex=-40.0, abd=0.0, rot=0.0)
    pose = on_floor(body, pose)
    return _pigeon_arms(body, pose, form)


def _pigeon_arms(body: Body, pose: Pose, form: PigeonForm) -> Pose:
    """Upright: fingertips on the mat beside the hips; half-way: hands on the mat ahead of the
    shoulders; folded: forearms on the mat, hands under the forehead."""
    posed = pose_body(body, pose)
    j = posed.joints
    l_arm = body.segment_length("left_shoulder") + body.segment_length("left_elbow")
    fold = smoothstep((form.trunk - 45.0) / 35.0)  # 0 upright ... 1 folded
    for s in SIDES:
        lateral = np.array([SIGN[s], 0.0, 0.0])
        shoulder = j[f"{s}_shoulder"]
        # straight arm down to the mat beside the hip / ahead of the shoulder
        below = np.array([shoulder[0] + SIGN[s] * 0.06, shoulder[1], 0.13])
        ahead = math.sqrt(max((l_arm - 0.01) ** 2 - (shoulder[2] - below[2]) ** 2, 0.0))
        hand_down = below + min(ahead, 0.45) * np.array([0, -1.0, 0])
        elbow_down = (shoulder + hand_down) / 2 + 0.3 * lateral + 0.2 * Y
        # folded: elbows on the mat under the shoulders, wrists meeting under the forehead
        elbow_fold = np.array([shoulder[0] + SIGN[s] * 0.05, shoulder[1] - 0.05, 0.05])
        wrist_fold = np.array([SIGN[s] * 0.05, elbow_fold[1] - 0.2, 0.05])
        wrist = _lerp(hand_down, wrist_fold, fold)
        pole = _lerp(elbow_down, elbow_fold + 0.1 * lateral - 0.1 * UP, fold)
        pose = ik_two_bone(body, pose, f"{s}_arm", wrist, pole)
        fingers = _unit(_lerp(-UP + 0.15 * lateral - 0.2 * Y, -Y - 0.2 * lateral, fold))
        palm = _unit(_lerp(-Y + 0.2 * UP, -UP, fold))
        pose = aim_hand(body, pose, s, fingers=fingers, palm=palm)
    return pose


def all_fours(body: Body) -> Pose:
    """Hands and knees facing -Y: knees under the hips, hands under the shoulders, back flat."""
    l1, _ = _lengths(body, "leg")
    pose = Pose(root_position=(0.0, 0.0, KNEE_Z + l1), root_rotation=(90.0, 0.0, 0.0),
                joints={"neck": (-25.0, 0, 0), "head": (-10.0, 0, 0),
                        "left_hip": (90.0, 0, 0), "right_hip": (90.0, 0, 0),
                        "left_knee": (90.0, 0, 0), "right_knee": (90.0, 0, 0),
                        "left_ankle": (-40.0, 0, 0), "right_ankle": (-40.0, 0, 0)})
    pose = on_floor(body, pose)
    posed = pose_body(body, pose)
    for s in SIDES:
        shoulder = posed.joints[f"{s}_shoulder"]
        lateral = np.array([SIGN[s], 0.0, 0.0])
        wrist = np.array([shoulder[0] + SIGN[s] * 0.02, shoulder[1] - 0.02, 0.06])
        pose = ik_two_bone(body, pose, f"{s}_arm", wrist, (shoulder + wrist) / 2 + 0.3 * Y + 0.1 * lateral)
        pose = aim_hand(body, pose, s, fingers=-Y, palm=-UP)
    return pose


# ----------------------------------------------------------------------------- movement


@dataclass(frozen=True)
class Recipe:
    """How one pose is built, where its movement starts, and how a transition keeps it
    planted on the floor."""

    pose: str   # posecheck pose name
    kind: str   # "squat", "supine" or "pigeon"

    def build(self, body: Body, form: Form, side: str | None) -> Pose:
        if self.pose == "malasana":
            return malasana(body, form)
        if self.pose == "happy-baby":
            return happy_baby(body, form)
        if self.pose == "figure-four":
            return figure_four(body, form, side)
        return pigeon(body, form, side)

    def start(self, body: Body, form: Form) -> Pose:
        if self.kind == "squat":
            return standing_for_malasana(body, form)
        if self.kind == "supine":
            return supine_start(body)
        return all_fours(body)


RECIPES = {
    "malasana": (Recipe("malasana", "squat"), MalasanaForm),
    "happy-baby": (Recipe("happy-baby", "supine"), HappyBabyForm),
    "figure-four": (Recipe("figure-four", "supine"), FigureFourForm),
    "pigeon": (Recipe("pigeon", "pigeon"), PigeonForm),
}


#: When each part of the body moves during an entry (shares of the movement): Malasana squats,
#: then brings the hands together; supine poses lift the legs, then reach; Pigeon brings the
#: front knee forward, slides the back leg back and lowers the hips, then lifts the chest.
STAGES = {
    "squat": {"legs": (0.0, 0.85), "root": (0.0, 0.85), "trunk": (0.1, 0.9), "arms": (0.35, 1.0)},
    "supine": {"legs": (0.0, 0.75), "root": (0.0, 0.75), "trunk": (0.0, 0.75), "arms": (0.3, 1.0)},
    "pigeon": {"front": (0.0, 0.55), "legs": (0.2, 0.8), "root": (0.2, 0.8), "trunk": (0.4, 1.0),
               "arms": (0.4, 1.0)},
}


def _group(kind: str, joint: str, side: str | None) -> str:
    if joint.endswith(("_hip", "_knee", "_ankle")):
        return "front" if kind == "pigeon" and joint.startswith(f"{side}_") else "legs"
    if joint.endswith(("_shoulder", "_elbow", "_wrist", "_clavicle")):
        return "arms"
    return "trunk"


class Transition:
    """Movement from pose `a` to pose `b` as u goes from 0 to 1: joint angles and the root
    interpolated, part by part (STAGES; reverse=True for the way out, which runs the stages
    backwards); a squat keeps its feet planted (legs by IK every frame), Pigeon its hands on
    the mat (arms by IK to targets moving between the two poses' hands)."""

    def __init__(self, body: Body, recipe: Recipe, a: Pose, b: Pose, form: Form, side: str | None = None,
                 reverse: bool = False):
        self.body, self.recipe, self.a, self.b, self.form = body, recipe, a, b, form
        self.side, self.reverse = side, reverse
        if recipe.kind == "pigeon":
            ja, jb = pose_body(body, a).joints, pose_body(body, b).joints
            self.ends = {(s, part): (ja[f"{s}_{part}"], jb[f"{s}_{part}"])
                         for s in SIDES for part in ("wrist", "elbow", "knee", "ankle")}

    def weight(self, group: str, u: float) -> float:
        lo, hi = STAGES[self.recipe.kind][group]
        if self.reverse:
            return 1.0 - smoothstep(((1.0 - u) - lo) / (hi - lo))
        return smoothstep((u - lo) / (hi - lo))

    def at(self, u: float) -> Pose:
        body, kind = self.body, self.recipe.kind
        if u <= 0.0:
            return self.a
        if u >= 1.0:
            return self.b
        pose = lerp_pose(body, self.a, self.b, u,
                         joint_w=lambda name: self.weight(_group(kind, name, self.side), u),
                         root_w=lambda part: self.weight("root" if part == "position" else "trunk", u))
        if kind == "squat":
            return on_floor(body, _malasana_legs(body, pose, replace(self.form, heel_lift=0.0)))
        if kind != "pigeon":
            return on_floor(body, pose)
        # Pigeon: knees and feet slide along the mat (the front knee lifted as it comes
        # forward), hands walk on it: every limb by IK to a target between its two ends
        posed = pose_body(body, pose)
        for s in SIDES:
            front = s == self.side
            w = self.weight("front" if front else "legs", u)
            lift = 0.12 * math.sin(math.pi * w) if front else 0.0
            knee = _lerp(*self.ends[(s, "knee")], w) + lift * UP
            ankle = _lerp(*self.ends[(s, "ankle")], w) + 0.6 * lift * UP
            pose = self._limb(pose, posed, f"{s}_leg", f"{s}_hip", ankle, knee)
            w = self.weight("arms", u)
            wrist = _lerp(*self.ends[(s, "wrist")], w)
            wrist[2] = max(wrist[2], 0.06) + 0.03 * math.sin(math.pi * w)
            pose = self._limb(pose, posed, f"{s}_arm", f"{s}_shoulder", wrist, _lerp(*self.ends[(s, "elbow")], w))
        return on_floor(body, pose)

    def _limb(self, pose: Pose, posed: PosedBody, limb: str, root: str, end, middle) -> Pose:
        """IK: the limb's end at `end`, bent toward `middle` (its wanted elbow / knee)."""
        base = posed.joints[root]
        pole = middle + 0.5 * (middle - (base + end) / 2)
        if np.linalg.norm(np.cross(pole - base, end - base)) < 1e-6:
            pole = pole + 0.1 * UP
        return ik_two_bone(self.body, pose, limb, end, pole)
