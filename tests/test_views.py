"""Which way the camera sees the body, and keeping that estimate steady."""

from __future__ import annotations

import pytest
from bodies import body, make_body, points_of, tilted, turned

from posecheck.core.poses import load_pose
from posecheck.core.views import ViewTracker, estimate_view, lying_angle


def standing_back():
    """The standing person from behind: turned half round, the nose now farther than the ears."""
    return turned(body("standing"), 180)


@pytest.mark.parametrize("make, view", [
    (lambda: body("standing"), "front"),
    (lambda: body("malasana_front"), "front"),
    (lambda: body("malasana_side"), "side"),  # shoulders and hips differ in depth only
    (lambda: body("pigeon_right_upright"), "side"),
    (lambda: body("happy_baby_side"), "side"),
    (lambda: body("figure_four_right"), "side"),
    (lambda: turned(body("standing"), 20), "front"),  # a little turned: still front
    (lambda: turned(body("standing"), 45), "three-quarter"),
    (lambda: turned(body("standing"), -45), "three-quarter"),
    (lambda: turned(body("standing"), 75), "side"),
    (lambda: turned(body("standing"), 90), "side"),
    (lambda: standing_back(), "back"),
    (lambda: turned(body("happy_baby_side"), -90), "feet"),  # lying, seen from the feet end
    (lambda: turned(body("happy_baby_side"), 90), "head"),  # ... and from beyond the head
    (lambda: turned(body("figure_four_right"), -90), "feet"),
])
def test_estimate_view(make, view):
    assert estimate_view(make()).view == view


@pytest.mark.parametrize("make", [
    lambda: body("malasana_side"), lambda: body("standing"), standing_back,
    lambda: turned(body("happy_baby_side"), -90), lambda: turned(body("standing"), 45),
])
def test_a_mirror_image_is_seen_from_the_same_view(make):
    lm = make()
    assert estimate_view(lm.mirrored()).view == estimate_view(lm).view


def test_view_from_pixels_when_there_are_no_world_landmarks():
    lm = make_body(points_of(body("malasana_side")), world_from_pixels=False)
    assert lm.world is None and estimate_view(lm).view == "side"


def test_estimate_reports_its_angles():
    e = estimate_view(turned(body("standing"), 45))
    assert e.yaw_deg == pytest.approx(45, abs=0.5) and e.pitch_deg == pytest.approx(0, abs=0.5)


LYING = [("happy-baby", "happy_baby_side"), ("figure-four", "figure_four_right")]


@pytest.mark.parametrize("pose_name, name", LYING)
@pytest.mark.parametrize("turn, raised, view", [
    (0, 0, "side"), (0, 40, "side"),  # a camera high at the side looks down on the body
    (-90, 5, "feet"), (-90, 35, "feet"), (90, 5, "head"), (90, 35, "head"),
    (-70, 35, "feet"), (70, 35, "head"),  # within 45 deg of the body's line: end-on
    (30, 5, "three-quarter"), (-30, 35, "three-quarter"),
    (-90, 0, "feet"), (90, 0, "head"),  # camera on the mat: the trunk's depth says which end
])
def test_a_lying_body_is_placed_from_the_picture(pose_name, name, turn, raised, view):
    lm = tilted(turned(body(name), turn), raised)
    assert estimate_view(lm, load_pose(pose_name)).view == view
    assert estimate_view(lm.mirrored(), load_pose(pose_name)).view == view


@pytest.mark.parametrize("turn, raised", [(0, 0), (-60, 20), (-30, 45), (-80, 10)])
def test_lying_angle_recovers_where_the_camera_stands(turn, raised):
    """Around the body from its line (90: square to the side) and above the mat. A body whose
    shoulders are 0.75 of its torso long and which lies flat gives the angles back exactly."""
    flat = make_body({
        "nose": (160, 380, 0), "left_shoulder": (200, 380, 45), "right_shoulder": (200, 380, -45),
        "left_elbow": (260, 380, 60), "right_elbow": (260, 380, -60),
        "left_wrist": (310, 380, 60), "right_wrist": (310, 380, -60),
        "left_hip": (320, 380, 40), "right_hip": (320, 380, -40),
        "left_knee": (420, 380, 40), "right_knee": (420, 380, -40),
        "left_ankle": (515, 380, 40), "right_ankle": (515, 380, -40)})
    angle, elevation = lying_angle(tilted(turned(flat, turn), raised))
    assert angle == pytest.approx(90 - abs(turn), abs=0.5)
    assert elevation == pytest.approx(raised, abs=0.5)


FPS = 30


def run(tracker: ViewTracker, estimates: list[str | None]) -> list[str | None]:
    return [tracker.update(e, i / FPS) for i, e in enumerate(estimates)]


def test_tracker_takes_the_first_view_at_once():
    assert run(ViewTracker(settle_s=0.4), ["side"]) == ["side"]


def test_tracker_switches_only_after_the_new_view_persists():
    # 12 frames of side = 0.4 s after the first one: the switch comes on the 13th.
    seq = ["front"] * 5 + ["side"] * 20
    out = run(ViewTracker(settle_s=0.4), seq)
    first_side = out.index("side")
    assert out[:first_side] == ["front"] * first_side
    assert (first_side - 5) / FPS == pytest.approx(0.4, abs=1.5 / FPS)
    assert out[first_side:] == ["side"] * (len(seq) - first_side)


@pytest.mark.parametrize("blip", [
    ["side"] * 6,  # 0.2 s of something else: not enough
    ["side"] * 6 + ["three-quarter"] * 6 + ["side"] * 6,  # never one view long enough
    ["side", "front"] * 10,  # flicker
])
def test_tracker_ignores_short_blips(blip):
    out = run(ViewTracker(settle_s=0.4), ["front"] * 5 + blip + ["front"] * 5)
    assert set(out) == {"front"}


def test_tracker_blip_restarts_the_wait():
    # side for 0.3 s, one front frame, then side again: the wait starts over.
    seq = ["front"] + ["side"] * 9 + ["front"] + ["side"] * 20
    out = run(ViewTracker(settle_s=0.4), seq)
    switch = out.index("side")
    assert switch >= 11 + 12


def test_tracker_keeps_the_view_when_nobody_is_seen():
    assert run(ViewTracker(), ["side", None, None, None]) == ["side"] * 4
    assert run(ViewTracker(), [None, None]) == [None, None]
