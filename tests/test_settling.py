"""Getting into a pose and out of it are phases, not faults (core/settling.py)."""

from __future__ import annotations

from posecheck.core.settling import FaultTime, is_settling

FPS = 10


def feed(frames) -> dict[str, float]:
    """frames: (seconds, in pose, failing checks) stretches at 10 fps -> fault seconds."""
    faults, t = FaultTime(), 0.0
    for seconds, in_pose, failing in frames:
        for _ in range(round(seconds * FPS)):
            faults.add(t, 1 / FPS, in_pose, failing)
            t += 1 / FPS
    return {k: round(v, 1) for k, v in faults.totals().items()}


def test_standing_up_out_of_the_pose_is_not_a_fault():
    # held 8 s, then the hips rise for 0.8 s and the pose is gone for good
    assert feed([(8, True, []), (0.8, True, ["deep-squat"]), (3, False, [])]) == {}


def test_settling_in_is_not_a_fault():
    assert feed([(1, False, []), (0.9, True, ["palms-together"]), (6, True, [])]) == {}


def test_a_fault_during_the_hold_counts_in_full():
    assert feed([(3, True, []), (0.8, True, ["heels-down"]), (4, True, [])]) == \
        {"heels-down": 0.8}
    assert feed([(3, True, []), (2.5, True, ["heels-down"]), (1, False, [])]) == \
        {"heels-down": 2.5}  # long enough to be a fault, whatever came after


def test_a_fault_that_hides_the_pose_counts_when_the_person_comes_back():
    # hips so high the pose is not recognised for 2 s, then back into it
    assert feed([(3, True, []), (0.6, True, ["deep-squat"]), (2, False, []),
                 (3, True, [])]) == {"deep-squat": 0.6}


def test_a_blip_never_reached_the_screen():
    assert feed([(3, True, []), (0.2, True, ["soles-up"]), (3, True, [])]) == {}


def test_the_rule_for_a_run_seen_whole():
    assert is_settling(10.0, 10.8, 2.0, left=True)
    assert not is_settling(10.0, 10.8, 2.0, left=False)
    assert is_settling(2.3, 3.0, 2.0, left=False)  # began 0.3 s after getting in
    assert not is_settling(2.0, 4.0, 2.0, left=True)  # 2 s: a fault
