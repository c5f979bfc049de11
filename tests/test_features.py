"""Named measurements on hand-made bodies give the values a person would read off them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from bodies import body, make_body, moved, points_of, turned

from posecheck.core import features as F
from posecheck.core import sides
from posecheck.core.landmarks import NAMES, Landmarks

LIMB_FEATURES = sorted(n for n, f in F.REGISTRY.items() if f.limb)
BODY_FEATURES = sorted(n for n, f in F.REGISTRY.items() if not f.limb)


def m(lm: Landmarks, name: str, side: str | None = None) -> float:
    return F.measure(lm, name, side)


@pytest.mark.parametrize("name, feature, side, low, high", [
    # knees
    ("standing", "knee_angle", "left", 179, 180),  # straight leg
    ("malasana_side", "knee_angle", "right", 30, 45),  # deep squat: well under 90
    ("malasana_front", "knee_angle", "left", 60, 75),
    ("malasana_side_hips_high", "knee_angle", "left", 93, 103),  # half squat: over 90
    ("happy_baby_side", "knee_angle", "left", 98, 102),  # built as 90 + 30 - 20
    ("pigeon_right_upright", "knee_angle", "left", 168, 176),  # back leg long
    ("pigeon_back_knee_bent", "knee_angle", "left", 117, 123),
    # hips
    ("happy_baby_side", "hip_angle", "right", 28, 32),  # thigh drawn 30 deg from the trunk
    ("figure_four_right", "hip_angle", "left", 68, 72),
    ("standing", "hip_angle", "left", 165, 180),
    # shins
    ("standing", "shin_from_vertical", "left", 0, 0.5),
    ("malasana_side", "shin_from_vertical", "left", 28, 32),
    ("happy_baby_side", "shin_from_vertical", "left", 18, 22),
    ("pigeon_right_upright", "shin_from_horizontal", "right", 5, 10),  # front shin on the mat
    # hands and feet, in torso lengths
    ("happy_baby_side", "wrist_to_foot", "left", 0, 0.05),  # holding the foot
    ("happy_baby_hands_off", "wrist_to_foot", "left", 0.5, 0.7),
    ("happy_baby_side", "ankle_above_knee", "left", 0.7, 0.8),  # soles up: 89 px over 120
    ("standing", "ankle_above_knee", "left", -0.85, -0.75),
    ("figure_four_right", "ankle_to_other_knee", "right", 0.05, 0.15),  # right ankle on left knee
    ("figure_four_right", "ankle_to_other_knee", "left", 0.7, 0.85),
    # along the left shin: 0 at the knee, 1 at its ankle
    ("figure_four_right", "ankle_past_other_knee", "right", -0.05, 0.05),  # on the thigh
    ("figure_four_ankle_on_shin", "ankle_past_other_knee", "right", 0.45, 0.55),  # half-way
    ("figure_four_right", "wrist_to_supporting_thigh", "left", 0, 0.05),  # behind the left thigh
    ("figure_four_right", "wrist_to_supporting_thigh", "right", 0, 0.05),
    ("malasana_front", "elbow_to_knee", "left", 0.15, 0.25),
    # the front-view squat's knees point out and toward the camera: thighs ~90 deg apart in 3-D
    ("malasana_front", "thigh_spread", "left", 85, 95),
    ("standing", "thigh_spread", "left", 0, 1),
])
def test_limb_feature_values(name, feature, side, low, high):
    assert low <= m(body(name), feature, side) <= high


@pytest.mark.parametrize("name, feature, low, high", [
    ("standing", "torso_from_vertical", 0, 0.5),  # standing straight
    ("malasana_side", "torso_from_vertical", 19, 21),  # built 20 deg forward
    ("malasana_side_folded", "torso_from_vertical", 59, 61),
    ("pigeon_slumped", "torso_from_vertical", 54, 56),
    ("standing", "torso_incline", 0, 0.5),
    ("happy_baby_side", "torso_incline", 89, 90),  # lying down
    ("malasana_side", "torso_incline", 19, 21),
    ("standing", "torso_recline", 0, 0.5),
    ("malasana_side", "torso_recline", 19, 21),
    ("happy_baby_side", "torso_recline", 89, 90),
    # the model's depth says upright, the picture shows the trunk at 40 of its 120 px
    ("happy_baby_feet_end_high", "torso_incline", 0, 0.5),
    ("happy_baby_feet_end_high", "torso_recline", 70, 71),
    ("happy_baby_side", "head_lift", 0, 3),  # head on the mat
    ("happy_baby_head_lifted", "head_lift", 28, 32),
    ("malasana_front", "ankle_gap", 1.4, 1.5),  # 130 px over 90 px shoulders
    ("malasana_feet_narrow", "ankle_gap", 0.6, 0.7),
    ("malasana_front", "knee_gap", 1.95, 2.05),
    ("happy_baby_feet_end", "knee_gap_shins", 1.3, 1.4),  # 120 px over 89 px shins
    ("malasana_front", "wrist_gap", 0, 0.1),  # palms together
    ("standing", "wrist_gap", 0.85, 1.0),
    ("malasana_front", "wrists_along_torso", 0.2, 0.3),  # at the chest
    ("standing", "wrists_along_torso", 1.05, 1.2),  # hanging beside the hips
    ("malasana_front", "hip_line_yaw", 0, 0.5),  # hips face the camera
    ("malasana_side", "hip_line_yaw", 89, 90),
    ("standing", "hip_line_roll", 0, 0.5),
])
def test_body_feature_values(name, feature, low, high):
    assert low <= m(body(name), feature) <= high


@pytest.mark.parametrize("name, low, high", [
    ("standing", 0.8, 0.87),  # hips a thigh above the knees
    ("malasana_side", -0.35, -0.25),  # hips below the knees
    ("malasana_side_hips_high", 0.3, 0.36),
])
def test_hip_above_knee_per_leg(name, low, high):
    for side in ("left", "right"):
        assert low <= m(body(name), "hip_above_knee", side) <= high


@pytest.mark.parametrize("name, side, low, high", [
    ("standing", "left", 1.5, 1.7),
    ("standing", "right", 1.5, 1.7),
    ("pigeon_right_upright", "left", 0.1, 0.4),  # hips low over the mat
    ("pigeon_right_upright", "right", 0.1, 0.4),
])
def test_hip_height_per_leg(name, side, low, high):
    assert low <= m(body(name), "hip_height", side) <= high


def test_hip_above_knee_sign_follows_the_hips():
    assert m(body("standing"), "hip_above_knee", "left") > 0
    assert m(body("malasana_side"), "hip_above_knee", "left") < 0


@pytest.mark.parametrize("heel_y, toe_y, sign", [
    (428.0, 428.0, 0),  # flat foot
    (405.0, 428.0, 1),  # heel raised above the toes
    (428.0, 415.0, -1),  # toes raised (heel down)
])
def test_heel_lift_sign(heel_y, toe_y, sign):
    lm = moved(body("malasana_side"), left_heel=(322, heel_y, 40), left_foot_index=(355, toe_y, 40))
    value = m(lm, "heel_lift", "left")
    assert (value > 0.05) - (value < -0.05) == sign


def test_hip_line_roll_and_yaw():
    tilted = moved(body("standing"), left_hip=(350, 230 - 60 * math.tan(math.radians(20))))
    assert m(tilted, "hip_line_roll") == pytest.approx(20, abs=0.5)
    assert m(turned(body("standing"), 40), "hip_line_yaw") == pytest.approx(40, abs=0.5)


def test_torso_units_survive_a_foreshortened_torso():
    """Seen end-on from the feet, the trunk is a few pixels long in the picture; the body's
    scale comes from the thighs and shins instead, so distances do not blow up."""
    side, end_on = body("happy_baby_side"), turned(body("happy_baby_side"), -90)
    assert F.body_scale(end_on) == pytest.approx(F.body_scale(side), rel=0.2)


@pytest.mark.parametrize("name, feature", [
    (name, feature) for name in ("malasana_front", "pigeon_right_upright")
    for feature in sorted(F.REGISTRY)
    # knee_gap and ankle_gap are over the shoulder width: meaningless in a side view, where
    # the shoulders coincide in the picture (they then fall back to pixels).
    if not (name.startswith("pigeon") and feature in ("knee_gap", "ankle_gap"))])
def test_a_bigger_frame_changes_no_feature(name, feature):
    """Angles, ratios and torso units do not depend on the resolution."""
    lm = body(name)
    pts = {n: tuple(2 * v for v in p) for n, p in points_of(lm).items()}
    big = make_body(pts, 1280, 960)
    for side in (("left", "right") if F.REGISTRY[feature].limb else (None,)):
        assert m(big, feature, side) == pytest.approx(m(lm, feature, side), abs=1e-6,
                                                       nan_ok=True)


# --- what a feature says it needs ----------------------------------------------------------

@pytest.mark.parametrize("feature", sorted(F.REGISTRY))
@pytest.mark.parametrize("name", ["figure_four_right"])
def test_a_feature_uses_only_the_landmarks_it_declares(feature, name):
    """So a check can say exactly what the camera cannot see: moving a landmark a feature
    does not declare (what it measures, plus its ruler) never changes it."""
    lm = body(name)
    rng = np.random.default_rng(1)
    for side in (("left", "right") if F.REGISTRY[feature].limb else (None,)):
        needs = set(F.REGISTRY[feature].needs(side))
        before = m(lm, feature, side)
        for other in (n for n in NAMES if n not in needs):
            x, y, z = points_of(lm)[other]
            dx, dy, dz = rng.uniform(-40, 40, 3)
            after = m(moved(lm, **{other: (x + dx, y + dy, z + dz)}), feature, side)
            assert after == pytest.approx(before, abs=1e-9, nan_ok=True), other


# --- mirror ----------------------------------------------------------------------------

MIRROR_BODIES = ["pigeon_right_upright", "figure_four_right", "figure_four_ankle_off",
                 "malasana_front", "standing"]


@pytest.mark.parametrize("feature", LIMB_FEATURES)
@pytest.mark.parametrize("name", MIRROR_BODIES)
def test_mirror_swaps_left_and_right_limb_features(feature, name):
    lm = body(name)
    mirror = lm.mirrored()
    for side, other in (("left", "right"), ("right", "left")):
        assert m(mirror, feature, side) == pytest.approx(m(lm, feature, other), abs=1e-6,
                                                         nan_ok=True)


@pytest.mark.parametrize("feature", BODY_FEATURES)
@pytest.mark.parametrize("name", MIRROR_BODIES)
def test_mirror_keeps_body_features(feature, name):
    lm = body(name)
    assert m(lm.mirrored(), feature) == pytest.approx(m(lm, feature), abs=1e-6, nan_ok=True)


def test_mirrored_twice_is_the_same_body():
    lm = body("figure_four_right")
    twice = lm.mirrored().mirrored()
    assert np.allclose(twice.xyz, lm.xyz) and np.allclose(twice.world, lm.world)
    assert np.array_equal(twice.visibility, lm.visibility)


def test_mirror_swaps_visibility_with_the_names():
    lm = make_body(points_of(body("standing")), hidden=("left_ankle",))
    mirror = lm.mirrored()
    assert mirror.visibility[NAMES.index("right_ankle")] < 0.5
    assert mirror.visibility[NAMES.index("left_ankle")] > 0.5


@pytest.mark.parametrize("detector, name, side", [
    (sides.more_bent_knee, "pigeon_right_upright", "right"),
    (sides.more_bent_knee, "pigeon_back_knee_bent", "right"),  # 19 vs 120 deg
    (sides.more_bent_knee, "malasana_side", None),  # both knees alike: undecided
    (sides.ankle_on_other_knee, "figure_four_right", "right"),
    (sides.ankle_on_other_knee, "figure_four_ankle_off", "right"),
    (sides.ankle_on_other_knee, "happy_baby_side", None),
    (sides.front_shin_across, "pigeon_right_upright", "right"),
    (sides.front_shin_across, "pigeon_front", "right"),
    (sides.front_shin_across, "pigeon_right_legs_swapped", "right"),  # names do not matter
    (sides.front_shin_across, "malasana_side", None),
    (sides.front_shin_across, "pigeon_right_folded_hidden", "right"),  # the far leg is hidden
])
def test_side_detectors_and_their_mirror_image(detector, name, side):
    lm = body(name)
    assert detector(lm) == side
    assert detector(lm.mirrored()) == ({"left": "right", "right": "left"}.get(side))


@pytest.mark.parametrize("hidden", [("right_knee",), ("right_ankle",), ("right_knee", "right_ankle")])
def test_pigeon_side_is_not_named_while_the_front_leg_is_hidden(hidden):
    """Folded forward, the front leg is under the chest: where the model puts it is a guess,
    so no side is named from it (the tracked or given side stands)."""
    lm = moved(body("pigeon_right_upright"), hidden=hidden)
    assert sides.front_shin_across(lm) is None
    assert sides.front_shin_across(lm.mirrored()) is None


@pytest.mark.parametrize("change", [
    {"left_shoulder": (185, 395, 45), "right_shoulder": (185, 395, -45)},  # depth disagrees
    {"left_shoulder": (185, 395, -5), "right_shoulder": (185, 395, 5)},  # depth too slight
    {"left_shoulder": (250, 270, -45), "right_shoulder": (250, 270, 45)},  # trunk upright
])
def test_folded_pigeon_names_no_side_from_a_hidden_leg_when_unsure(change):
    lm = moved(body("pigeon_right_folded_hidden"), **change)
    assert sides.front_shin_across(lm) is None
    assert sides.front_shin_across(lm.mirrored()) is None


def test_folded_pigeon_names_no_side_when_the_back_leg_is_hidden_too():
    lm = moved(body("pigeon_right_folded_hidden"), hidden=("left_knee",))
    assert sides.front_shin_across(lm) is None


def test_mirror_swaps_the_mouth_corners_too():
    from posecheck.core.landmarks import INDEX, MIRROR

    assert MIRROR[INDEX["mouth_left"]] == INDEX["mouth_right"]
    assert MIRROR[INDEX["nose"]] == INDEX["nose"]


def test_legs_named_by_bend_undo_a_swap_of_the_leg_names():
    right = body("pigeon_right_upright")
    swapped = body("pigeon_right_legs_swapped")
    assert m(swapped, "knee_angle", "right") > 150  # the model's names: wrong leg bent
    named = sides.legs_by_bend(swapped, "right")
    assert np.allclose(named.xyz, right.xyz) and np.allclose(named.world, right.world)
    assert sides.legs_by_bend(right, "right") is right  # already right: untouched


def test_the_3d_knee_angle_reads_a_bent_knee_the_picture_shows_straight():
    """A knee bent to 90 degrees with the shin pointing at the camera: hip, knee and ankle lie
    on one line in the picture (180), but the 3-D landmarks give the true 90."""
    xyz, world = np.zeros((33, 3)), np.zeros((33, 3))
    index = {n: i for i, n in enumerate(NAMES)}
    for name, px, metres in (("left_hip", (100, 100), (0, 0, 0)),
                             ("left_knee", (100, 200), (0, 0.4, 0)),
                             ("left_ankle", (100, 250), (0, 0.4, -0.4))):
        xyz[index[name], :2], world[index[name]] = px, metres
    lm = Landmarks(xyz, np.ones(33), 640, 480, world)
    assert m(lm, "knee_angle", "left") == pytest.approx(180)
    assert m(lm, "knee_angle_3d", "left") == pytest.approx(90)
