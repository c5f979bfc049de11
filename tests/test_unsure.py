"""A value just past a bound, within the condition's margin, is unsure: no fault is shown,
and no hold is credited (a wrong "good form" is worse than silence)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from bodies import body

from posecheck.core import checks as ck
from posecheck.core.features import measure
from posecheck.core.judge import Cue, Judge
from posecheck.core.poses import load_pose

LM = body("malasana_side")
VISIBLE = ck.visible_set(LM, 0.5)
VALUE = measure(LM, "torso_incline", None)


def spine(max_deg: float, margin: float):
    check = next(c for c in load_pose("malasana").checks if c.id == "spine-upright")
    return replace(check, conditions=(replace(check.conditions[0], max=max_deg, margin=margin),))


def judged(check, previous=None):
    return ck.evaluate_check(check, LM, VISIBLE, None, "side", previous)


def test_within_the_bound_passes_within_the_margin_is_unsure_beyond_fails():
    assert judged(spine(VALUE + 1, 2)).state == ck.PASS
    unsure = judged(spine(VALUE - 1, 2))
    assert (unsure.state, unsure.unsure) == (ck.UNKNOWN, True)
    assert unsure.value == pytest.approx(VALUE)
    assert judged(spine(VALUE - 3, 2)).state == ck.FAIL
    assert judged(spine(VALUE - 1, 0)).state == ck.FAIL  # no margin: as before


def test_hysteresis_widens_the_bound_before_the_margin_starts():
    """A check that passed keeps passing within its tolerance (5 degrees), and only then
    turns unsure."""
    assert judged(spine(VALUE - 4, 2), previous=ck.PASS).state == ck.PASS
    assert judged(spine(VALUE - 6, 2), previous=ck.PASS).unsure


def test_an_unsure_fault_check_blocks_the_hold_and_says_it_is_not_sure():
    pose = load_pose("malasana")
    checks = tuple(replace(spine(VALUE - 1, 2), core=False) if c.id == "spine-upright" else c
                   for c in pose.checks)
    judge = Judge([replace(pose, checks=checks)])
    for i in range(90):
        r = judge.update(LM, i / 30)
    assert r.in_pose and not r.correct and r.timer.total_s == 0
    assert r.results["spine-upright"].unsure
    assert r.cue == Cue("Not sure from here: lift your chest and lengthen your spine?", "unknown",
                        "")  # and the voice stays quiet: a doubt is not a correction


