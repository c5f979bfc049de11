"""Plain geometry: the angles every check is built on. Pixels, y down."""

from __future__ import annotations

import math

import numpy as np
import pytest

from posecheck.core import geometry as g

P = np.array


@pytest.mark.parametrize("a, b, c, expected", [
    ((0, 0), (1, 0), (2, 0), 180.0),  # straight limb
    ((0, 0), (1, 0), (1, 1), 90.0),  # right angle
    ((1, 0), (0, 0), (1, 1), 45.0),
    ((2, 0), (0, 0), (1, 0), 0.0),  # fully folded
    ((0, 0, 0), (0, 0, 1), (1, 0, 1), 90.0),  # 3-D
    ((3, 0), (0, 0), (-3, 1e-9), 180.0),  # rounding never leaves acos's domain
])
def test_angle(a, b, c, expected):
    assert g.angle(P(a), P(b), P(c)) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("a, b, vertical, horizontal", [
    ((0, 0), (0, 10), 0.0, 90.0),  # straight down
    ((0, 10), (0, 0), 0.0, 90.0),  # straight up: direction does not matter
    ((0, 0), (10, 0), 90.0, 0.0),
    ((0, 0), (10, 10), 45.0, 45.0),
    ((0, 0), (-10, 10), 45.0, 45.0),  # leaning the other way: same tilt
    ((0, 0), (1, math.sqrt(3)), 30.0, 60.0),
])
def test_tilt(a, b, vertical, horizontal):
    assert g.tilt_from_vertical(P(a), P(b)) == pytest.approx(vertical)
    assert g.tilt_from_horizontal(P(a), P(b)) == pytest.approx(horizontal)


@pytest.mark.parametrize("b, expected", [
    ((10, 0), 0.0),
    ((10, -10), 45.0),  # up in the picture (y smaller) is above the horizontal
    ((10, 10), -45.0),  # down in the picture is below it
    ((-10, -10), 45.0),  # left or right does not matter
    ((0, -5), 90.0),
    ((0, 5), -90.0),
])
def test_elevation_sign_y_is_down(b, expected):
    assert g.elevation(P((0, 0)), P(b)) == pytest.approx(expected)


@pytest.mark.parametrize("p, expected", [
    ((5, 3), 3.0),  # above the middle
    ((-4, 3), 5.0),  # beyond end a: distance to a
    ((13, -4), 5.0),  # beyond end b: distance to b
    ((7, 0), 0.0),  # on it
])
def test_point_to_segment(p, expected):
    assert g.point_to_segment(P(p), P((0, 0)), P((10, 0))) == pytest.approx(expected)


def test_point_to_degenerate_segment_is_distance_to_the_point():
    assert g.point_to_segment(P((3, 4)), P((0, 0)), P((0, 0))) == pytest.approx(5.0)


@pytest.mark.parametrize("fn, args", [
    (g.angle, ((1, 1), (1, 1), (2, 3))),  # a on the vertex
    (g.angle, ((0, 0), (1, 1), (1, 1))),  # c on the vertex
    (g.tilt_from_vertical, ((2, 2), (2, 2))),
    (g.tilt_from_horizontal, ((2, 2), (2, 2))),
    (g.elevation, ((2, 2), (2, 2))),
    (g.angle_between, ((0, 0, 0), (1, 0, 0))),
])
def test_degenerate_input_is_nan_not_a_number(fn, args):
    assert math.isnan(fn(*(P(a, float) for a in args)))


def test_distance_midpoint_angle_between():
    assert g.distance(P((0, 0)), P((3, 4))) == pytest.approx(5.0)
    assert g.midpoint(P((0, 0)), P((4, 2))).tolist() == [2.0, 1.0]
    assert g.angle_between(P((1.0, 0, 0)), P((0, 2.0, 0))) == pytest.approx(90.0)
