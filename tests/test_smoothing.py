"""One-Euro smoothing: still points stop jittering, moving ones are followed."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from bodies import body

from posecheck.core.landmarks import INDEX
from posecheck.core.smoothing import LandmarkSmoother, OneEuro

FPS = 30
KNEE = INDEX["left_knee"]


def jittered(lm, rng, sd=2.0):
    return replace(lm, xyz=lm.xyz + rng.normal(0, sd, lm.xyz.shape),
                   world=lm.world + rng.normal(0, sd / 240, lm.world.shape))


def test_still_point_jitter_drops_a_lot():
    rng = np.random.default_rng(0)
    lm, smoother = body("standing"), LandmarkSmoother()
    raw, out = [], []
    for i in range(150):
        noisy = jittered(lm, rng)
        raw.append(noisy.xyz[KNEE, :2])
        out.append(smoother(noisy, i / FPS).xyz[KNEE, :2])
    raw_sd, out_sd = np.std(raw[30:], axis=0), np.std(out[30:], axis=0)
    assert np.all(out_sd < 0.5 * raw_sd)
    # and it stays where the point really is
    assert np.allclose(np.mean(out[30:], axis=0), lm.xyz[KNEE, :2], atol=1.0)


def test_world_landmarks_are_smoothed_too():
    rng = np.random.default_rng(1)
    lm, smoother = body("standing"), LandmarkSmoother()
    raw, out = [], []
    for i in range(150):
        noisy = jittered(lm, rng)
        raw.append(noisy.world[KNEE])
        out.append(smoother(noisy, i / FPS).world[KNEE])
    assert np.all(np.std(out[30:], axis=0) < 0.5 * np.std(raw[30:], axis=0))


@pytest.mark.parametrize("step_px", [20, 60, 150])
def test_follows_a_step_within_a_few_frames(step_px):
    lm, smoother = body("standing"), LandmarkSmoother()
    moved = replace(lm, xyz=lm.xyz + np.array([step_px, 0.0, 0.0]))
    for i in range(30):
        smoother(lm, i / FPS)
    lag = []
    for i in range(30, 40):
        lag.append(moved.xyz[KNEE, 0] - smoother(moved, i / FPS).xyz[KNEE, 0])
    assert lag[0] < step_px  # moves at once
    assert lag[5] < 0.1 * step_px  # nearly there after 6 frames (0.2 s)
    assert abs(lag[-1]) < 0.02 * step_px


def test_first_frame_passes_through():
    lm = body("malasana_side")
    out = LandmarkSmoother()(lm, 0.0)
    assert np.array_equal(out.xyz, lm.xyz) and np.array_equal(out.world, lm.world)
    assert np.array_equal(out.visibility, lm.visibility)


def test_restarts_after_a_gap():
    """After the person leaves for longer than reset_gap_s, the new body is taken as it is,
    not dragged from where the old one was."""
    smoother = LandmarkSmoother(reset_gap_s=0.5)
    a, b = body("standing"), body("malasana_side")
    for i in range(30):
        smoother(a, i / FPS)
    soon = LandmarkSmoother(reset_gap_s=0.5)
    for i in range(30):
        soon(a, i / FPS)
    after_gap = smoother(b, 29 / FPS + 1.0)
    no_gap = soon(b, 30 / FPS)
    assert np.array_equal(after_gap.xyz, b.xyz)
    assert not np.allclose(no_gap.xyz, b.xyz, atol=1.0)


def test_same_timestamp_restarts_the_filter():
    f = OneEuro()
    f(np.array([0.0]), 1.0)
    assert f(np.array([5.0]), 1.0).tolist() == [5.0]


def test_output_is_a_copy():
    f = OneEuro()
    x = np.array([1.0, 2.0])
    y = f(x, 0.0)
    y[0] = 99
    assert f(np.array([1.0, 2.0]), 1 / FPS)[0] == pytest.approx(1.0)


def test_a_one_frame_swap_of_the_leg_names_is_undone_before_smoothing():
    """Side-on the model sometimes names the legs the other way round for a frame; smoothing
    across that would blend the bent and the straight leg into two half-bent ones."""
    right, swapped = body("pigeon_right_upright"), body("pigeon_right_legs_swapped")
    smooth = LandmarkSmoother()
    frames = [right] * 10 + [swapped] * 2 + [right] * 3
    out = [smooth(lm, i / FPS) for i, lm in enumerate(frames)]
    for lm in out[10:]:
        assert np.allclose(lm.xyz, right.xyz, atol=0.5)


def test_legs_that_really_move_keep_their_names():
    """A leg moving a little is not mistaken for a swap."""
    lm = body("pigeon_right_upright")
    moved_knee = lm.xyz.copy()
    moved_knee[INDEX["right_knee"], 0] += 15
    smooth = LandmarkSmoother()
    smooth(lm, 0.0)
    out = smooth(replace(lm, xyz=moved_knee), 1 / FPS)
    assert out.xyz[INDEX["right_knee"], 0] > lm.xyz[INDEX["right_knee"], 0]
    assert abs(out.xyz[INDEX["left_knee"], 0] - lm.xyz[INDEX["left_knee"], 0]) < 1


def test_a_body_named_the_other_way_round_is_renamed_whole():
    """Now and then the model names the whole body the other way round for a frame: then
    the arms are renamed with the legs, so each wrist stays with its own foot."""
    from posecheck.core.landmarks import MIRROR

    lm = body("happy_baby_feet_end")
    flipped_names = lm.renamed(MIRROR)
    smooth = LandmarkSmoother()
    for i in range(5):
        smooth(lm, i / FPS)
    out = smooth(flipped_names, 5 / FPS)
    assert np.allclose(out.xyz, lm.xyz, atol=0.5)
