"""The voice's words (core/spoken.py): one short sentence the person can act on, from the
pose file's `say` when it has one, and silence rather than a sentence that would not help."""

from __future__ import annotations

from dataclasses import replace

from posecheck.core.checks import CheckResult
from posecheck.core.poses import load_pose
from posecheck.core.spoken import check_sentence, step_sentence, unknown_sentence

PIGEON = load_pose("pigeon")
BACK_LEG = next(c for c in PIGEON.checks if c.id == "back-leg-long")


def unknown(**why) -> CheckResult:
    return CheckResult(BACK_LEG.id, "unknown", None, **why)


def test_a_check_that_cannot_be_judged_asks_for_the_one_thing_that_helps():
    assert unknown_sentence(BACK_LEG, unknown(wrong_view=True), None, "right", False) == \
        "Move the camera to your side"
    assert unknown_sentence(BACK_LEG, unknown(missing=("left_ankle", "left_heel")), None,
                            "right", False) == "I can't see your left ankle"
    assert unknown_sentence(BACK_LEG, unknown(missing=("left_ear",)), None, "right",
                            False) == "I can't see your head"
    assert unknown_sentence(BACK_LEG, unknown(too_high=True, unsure=True), None, "right",
                            False) == "Lower the camera to hip height"


def test_silence_where_no_move_would_help():
    hips = next(c for c in PIGEON.checks if c.id == "hips-square")  # no camera judges it
    assert unknown_sentence(hips, unknown(), None, "right", False) == ""
    # a leg the pose itself hides (folded Pigeon), or a value only near its bound
    assert unknown_sentence(BACK_LEG, unknown(missing=("left_ankle",)), None, "right", True) == ""
    assert unknown_sentence(BACK_LEG, unknown(unsure=True), None, "right", False) == ""


def test_a_pose_files_say_replaces_the_cue_and_can_silence_it():
    assert check_sentence(BACK_LEG, "right") == "Straighten your left leg behind you"
    assert check_sentence(replace(BACK_LEG, say="Long back {other} leg"), "left") == \
        "Long back right leg"
    assert check_sentence(replace(BACK_LEG, say=""), "left") == ""


def test_routine_steps_name_the_side_in_the_pose_files_words():
    assert step_sentence(PIGEON, "right") == "Next: Pigeon, right leg forward"
    assert step_sentence(PIGEON, "left", switch=True) == "Switch sides: left leg forward"
    assert step_sentence(load_pose("figure-four"), "right") == \
        "Next: Figure Four, right ankle over your left knee"
    assert step_sentence(replace(PIGEON, side_say=""), "left") == "Next: Pigeon, left side"
    assert step_sentence(load_pose("malasana"), None) == "Next: Malasana"
