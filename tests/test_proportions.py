"""Plausibility of a body's bone lengths: an implausible limb's far end counts as not seen."""

from __future__ import annotations

import bodies
import pytest
from checking import evaluate, pose

from posecheck.core import checks as ck
from posecheck.core import proportions as pr
from posecheck.core.judge import Judge


@pytest.mark.parametrize("name", list(bodies.CANONICAL))
def test_every_canonical_body_is_plausible(name):
    assert pr.implausible(bodies.body(name)) == ()


def test_standing_body_measures_in_torso_lengths():
    sizes = pr.measure(bodies.body("standing"))
    assert sizes["left_thigh"] == pytest.approx(100 / 120)
    assert sizes["shoulders"] == pytest.approx(90 / 120)
    assert set(map(pr.kind, sizes)) == set(pr.BONES)


def test_no_world_landmarks_measures_nothing():
    lm = bodies.make_body(bodies.points_of(bodies.body("standing")), world_from_pixels=False)
    assert pr.measure(lm) == {} and pr.unseen(lm) == frozenset()


def _long_right_shin():
    """Malasana from the front with the right ankle pushed far out of the picture plane: the
    shin is 3 torso lengths, three times the thigh, while the ankle stays inside the frame."""
    return bodies.moved(bodies.body("malasana_front"), right_ankle=(255, 420, 300))


@pytest.mark.parametrize("bone, guessed", [
    ("right_shin", {"right_ankle", "right_heel", "right_foot_index"}),
    ("left_thigh", {"left_knee", "left_ankle", "left_heel", "left_foot_index"}),
    ("right_forearm", {"right_wrist", "right_pinky", "right_index", "right_thumb"}),
    ("hips", {"left_hip", "right_hip"}),
])
def test_guessed_landmarks_are_the_far_end(bone, guessed):
    assert pr.guessed((bone,)) == guessed


def test_absurd_shin_is_implausible():
    lm = _long_right_shin()
    assert pr.implausible(lm) == ("right_shin",)
    assert "right_ankle" not in ck.visible_set(lm, 0.5)


@pytest.mark.parametrize("lm, state", [
    (bodies.body("malasana_front"), ck.PASS),
    (_long_right_shin(), ck.UNKNOWN),
], ids=["plausible", "absurd-shin"])
def test_a_check_needing_the_guessed_ankle_is_unknown(lm, state):
    assert evaluate("malasana", lm)["feet-wide"].state == state


def test_judge_says_it_cannot_see_the_ankle():
    frame = Judge([pose("malasana")]).update(_long_right_shin(), 0.0)
    result = frame.results["feet-wide"]
    check = next(c for c in pose("malasana").checks if c.id == "feet-wide")
    assert ck.unknown_reason(check, result) == "Can't see your right ankle"
    assert not frame.correct


@pytest.mark.parametrize("shin, state", [(0.8, ck.PASS), (0.3, ck.UNKNOWN)])
def test_personal_ranges_judge_against_the_persons_own_shin(shin, state):
    """A person whose shin measured 0.3 torso lengths cannot show one of 0.86."""
    ranges = pr.personal_ranges({"shin": shin, "thigh": 0.8})
    frame = Judge([pose("malasana")], ranges=ranges).update(bodies.body("malasana_front"), 0.0)
    assert frame.results["feet-wide"].state == state
    # the overlay draws what the judge saw: the ankles are hollow when they were not judged
    assert ("left_ankle" in frame.visible) is (state == ck.PASS)


def test_personal_ranges_keep_the_population_widths():
    ranges = pr.personal_ranges({"shin": 0.8, "hips": 0.1})
    assert ranges["hips"] == pr.POPULATION["hips"]
    assert ranges["shin"] == pr.Range(pr.POPULATION["shin"].low, 0.8 * pr.PERSONAL_FACTOR)
