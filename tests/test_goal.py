"""The picture of the goal: a figure of every built-in pose and side from each of its best
views (goals/, made by goals/make_goals.py), the fallbacks, and laying one over a picture."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from posecheck.core.poses import load_all, load_pose
from posecheck.report.goal import (
    goal_choice,
    goal_figure,
    goal_for,
    goals_dir,
    overlay_figure,
)

POSES = load_all()
CASES = [(p.name, side, view) for p in POSES for side in (("left", "right") if p.asymmetric else (None,))
         for view in p.best_views]


@pytest.mark.parametrize("pose, side, view", CASES)
def test_every_built_in_pose_and_side_has_a_figure_from_each_best_view(pose, side, view):
    assert goal_choice(pose, side, view) == (side, view)
    figure = goal_figure(pose, side, view)
    assert figure.dtype == np.uint8 and figure.ndim == 3 and figure.shape[2] == 4
    alpha = figure[..., 3]
    assert 0.15 < (alpha > 128).mean() < 0.9  # a body, and transparent around it
    edges = np.concatenate([alpha[0], alpha[-1], alpha[:, 0], alpha[:, -1]])
    assert edges.max() < 255  # cropped to the body with a margin: none of it cut off
    assert not figure.flags.writeable  # shared by every caller


@pytest.mark.parametrize("pose", [p.name for p in POSES if p.asymmetric])
def test_the_right_side_figure_is_the_left_ones_mirror_image_not_the_same(pose):
    left, right = (goal_figure(pose, s, "side").astype(int) for s in ("left", "right"))
    assert left.shape == right.shape and np.abs(left - right).mean() > 5
    assert np.abs(left - right[:, ::-1]).mean() < np.abs(left - right).mean() / 3


@pytest.mark.parametrize("args, chosen", [
    (("malasana", None, "three-quarter"), (None, "three-quarter")),
    (("malasana", "left", "feet"), (None, "front")),  # no figure from there: the best view's
    (("pigeon", None, "side"), ("right", "side")),  # side not known yet: the routine's first
    (("happy-baby", None, None), (None, "side")),
])
def test_fallbacks(args, chosen):
    assert goal_choice(*args) == chosen
    assert goal_figure(*args) is not None


@pytest.mark.parametrize("name", ["my-pose", "figure", "happy"])  # "figure": not figure-four's
def test_an_unknown_pose_has_no_figure(name):
    assert goal_figure(name, None, "side") is None and goal_choice(name, "left", "side") is None


def test_a_custom_pose_file_named_like_a_built_in_one_has_no_figure(tmp_path):
    pigeon = load_pose("pigeon")
    assert goal_for(pigeon, "left", "side") is not None
    assert goal_for(replace(pigeon, path=str(tmp_path / "pigeon.toml")), "left", "side") is None


def test_figures_stay_small():
    total = sum(p.stat().st_size for p in goals_dir().glob("*.png"))
    assert total < 1_500_000


def test_overlay_blends_by_alpha_scales_and_clips():
    figure = np.zeros((20, 10, 4), np.uint8)
    figure[:, :5] = (0, 0, 255, 255)  # opaque red left half, transparent right half
    picture = np.full((30, 30, 3), 100, np.uint8)
    out = overlay_figure(picture, figure, 2, 3, height=10)
    assert out is picture
    assert tuple(picture[5, 3]) == (0, 0, 255) and tuple(picture[5, 5]) == (100, 100, 100)
    assert tuple(picture[14, 3]) == (100, 100, 100)  # below the figure (10 pixels tall)
    overlay_figure(picture, figure, 2, 3, height=10, mirror=True)
    assert tuple(picture[5, 6]) == (0, 0, 255)
    overlay_figure(picture, figure, 25, 25, height=20)  # cut off at the edges
    overlay_figure(picture, figure, -50, -50, height=20)  # wholly outside: nothing
    assert tuple(picture[29, 29]) == (0, 0, 255)


def test_overlay_of_a_real_figure_changes_only_where_the_body_is():
    figure = goal_figure("malasana", None, "front")
    picture = np.zeros((240, 320, 3), np.uint8)
    overlay_figure(picture, figure, 10, 20, 200)
    drawn = picture.any(axis=2)
    assert drawn[20:220, 10:10 + figure.shape[1]].mean() > 0.2 and not drawn[:20].any()
