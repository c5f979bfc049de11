"""The camera's elevation over the floor, and the checks a steep camera cannot judge."""

from __future__ import annotations

import pytest
from bodies import body, tilted

from posecheck.core import checks as ck
from posecheck.core.elevation import ElevationTracker, camera_elevation
from posecheck.core.judge import Judge
from posecheck.core.poses import load_pose
from posecheck.core.views import estimate_view


@pytest.mark.parametrize("raised", [0, 10, 20])
def test_a_squat_seen_side_on_gives_the_cameras_elevation_from_the_feet(raised):
    lm = tilted(body("malasana_side"), raised)
    assert camera_elevation(lm, False, estimate_view(lm).view) == pytest.approx(raised, abs=2.5)


def test_a_steeper_camera_reads_steeper():
    values = [camera_elevation(tilted(body("malasana_side"), d), False, "side")
              for d in (0, 10, 20, 30, 40)]
    assert values == sorted(values) and values[-1] > 35


@pytest.mark.parametrize("raised", [0, 15, 30])
def test_a_body_lying_on_the_mat_gives_it_from_the_trunk(raised):
    lm = tilted(body("happy_baby_side"), raised)
    assert camera_elevation(lm, True, "side") == pytest.approx(raised, abs=1.0)


def test_from_the_front_the_feet_say_nothing():
    assert camera_elevation(body("malasana_front"), False, "front") is None


def test_the_tracker_keeps_the_median_and_ignores_frames_without_an_estimate():
    tracker = ElevationTracker(frames=5)
    assert tracker.update(None) is None
    for value in (20, 21, 19, 60, None, 20):  # one wild frame, one frame with no estimate
        out = tracker.update(value)
    assert out == 20
    tracker.reset()
    assert tracker.update(None) is None


def heels():
    return next(c for c in load_pose("malasana").checks if c.id == "heels-down")


def test_heels_from_a_camera_steeper_than_the_pose_file_allows_are_unsure_and_say_why():
    lm = body("malasana_side")
    visible = ck.visible_set(lm, 0.5)
    steep = heels().max_elevation + 5
    result = ck.evaluate_check(heels(), lm, visible, None, "side", elevation=steep)
    assert (result.state, result.unsure, result.too_high) == (ck.UNKNOWN, True, True)
    assert "too steeply" in ck.unknown_reason(heels(), result)
    judged = ck.evaluate_check(heels(), lm, visible, None, "side", elevation=10.0)
    assert judged.state == ck.PASS
    unknown_height = ck.evaluate_check(heels(), lm, visible, None, "side", elevation=None)
    assert unknown_height.state == ck.PASS


def test_a_steep_side_camera_never_credits_the_hold():
    """A correct squat filmed side-on from low is credited; from steeply above, the heels
    cannot be judged, so nothing is credited and the cue says to lower the camera."""
    for raised, credited in ((10, True), (28, False)):
        judge = Judge([load_pose("malasana")])
        for i in range(90):
            r = judge.update(tilted(body("malasana_side"), raised), i / 30)
        assert r.view == "side"
        assert (r.timer.total_s > 2.0) is credited
        if not credited:
            assert r.cue.kind == "unknown" and "lower it" in r.cue.text
