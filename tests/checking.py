"""Helpers for the per-pose check tests (no tests here): judge a body with a bundled pose
the way `judge.Judge` does in one frame, without any state."""

from __future__ import annotations

from functools import cache

import bodies
import pytest

from posecheck.core import checks as ck
from posecheck.core.landmarks import Landmarks
from posecheck.core.poses import PoseSpec, load_pose
from posecheck.core.sides import DETECTORS
from posecheck.core.views import estimate_view

PASS, FAIL, UNKNOWN = ck.PASS, ck.FAIL, ck.UNKNOWN
AUTO = object()

#: The canonical bodies that are each pose (correct or with a fault, but recognisably it).
OWN = {
    "malasana": ("malasana_front", "malasana_feet_narrow", "malasana_side",
                 "malasana_side_folded", "malasana_side_hips_high"),
    "happy-baby": ("happy_baby_side", "happy_baby_head_lifted", "happy_baby_hands_off",
                   "happy_baby_straight_legs", "happy_baby_feet_end", "happy_baby_feet_end_high"),
    "pigeon": ("pigeon_right_upright", "pigeon_back_knee_bent", "pigeon_slumped",
               "pigeon_front", "pigeon_right_folded_hidden"),
    "figure-four": ("figure_four_right", "figure_four_ankle_off", "figure_four_feet_end"),
}

#: (pose, body) pairs where the pose's [recognise] conditions get a canonical body wrong:
#: reported to the lead as threshold problems; strict xfail, so the test flips when fixed.
KNOWN_CONFUSIONS: dict[tuple[str, str], str] = {}


@cache
def pose(name: str) -> PoseSpec:
    return load_pose(name)


def side_of(p: PoseSpec, lm: Landmarks) -> str | None:
    return DETECTORS[p.side_detect](lm) if p.asymmetric else None


def evaluate(pose_name: str, lm: Landmarks, side=AUTO, view=AUTO,
             previous: dict[str, str] | None = None) -> dict[str, ck.CheckResult]:
    p = pose(pose_name)
    side = side_of(p, lm) if side is AUTO else side
    view = estimate_view(lm, p).view if view is AUTO else view
    return ck.evaluate_all(p, lm, ck.visible_set(lm, p.visibility), side, view, previous)


def recognised(pose_name: str, lm: Landmarks, side=AUTO) -> str:
    p = pose(pose_name)
    side = side_of(p, lm) if side is AUTO else side
    return ck.conditions_hold(p.recognise, lm, ck.visible_set(lm, p.recognise_seen_from), side)


def recognition_cases(pose_name: str) -> list:
    """(body, should be recognised) for every canonical body, known confusions xfailed."""
    cases = []
    for name in bodies.CANONICAL:
        own = name in OWN[pose_name]
        reason = KNOWN_CONFUSIONS.get((pose_name, name))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        cases.append(pytest.param(name, own, marks=marks, id=name))
    return cases


def table(expected: dict[str, dict[str, str]]) -> list:
    """Flatten {body: {check: state}} into parametrize rows (body, check, state)."""
    return [pytest.param(b, c, s, id=f"{b}-{c}") for b, row in expected.items()
            for c, s in row.items()]
