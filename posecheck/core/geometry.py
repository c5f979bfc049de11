"""Plain geometry on points in pixels (y down) or metres. No landmark names here."""

from __future__ import annotations

import math

import numpy as np


def angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """The angle ABC at vertex b, in degrees (0-180); NaN if a or c coincides with b."""
    u = np.asarray(a, float) - np.asarray(b, float)
    v = np.asarray(c, float) - np.asarray(b, float)
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        return math.nan
    cos = float(np.dot(u, v) / (nu * nv))
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def tilt_from_vertical(a: np.ndarray, b: np.ndarray) -> float:
    """How far the line a->b leans from vertical, in degrees (0-90), in the image plane."""
    dx, dy = float(b[0] - a[0]), float(b[1] - a[1])
    if dx == 0 and dy == 0:
        return math.nan
    return math.degrees(math.atan2(abs(dx), abs(dy)))


def tilt_from_horizontal(a: np.ndarray, b: np.ndarray) -> float:
    """How far the line a->b leans from horizontal, in degrees (0-90), in the image plane."""
    t = tilt_from_vertical(a, b)
    return math.nan if math.isnan(t) else 90.0 - t


def elevation(a: np.ndarray, b: np.ndarray) -> float:
    """Signed angle of a->b above the horizontal in the image, degrees (-90..90); y is down."""
    dx, dy = float(b[0] - a[0]), float(b[1] - a[1])
    if dx == 0 and dy == 0:
        return math.nan
    return math.degrees(math.atan2(-dy, abs(dx)))


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Euclidean distance."""
    return float(np.linalg.norm(np.asarray(a, float) - np.asarray(b, float)))


def midpoint(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (np.asarray(a, float) + np.asarray(b, float)) / 2.0


def point_to_segment(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Distance from point p to the segment a-b."""
    p, a, b = (np.asarray(x, float) for x in (p, a, b))
    ab = b - a
    denom = float(np.dot(ab, ab))
    t = 0.0 if denom == 0 else max(0.0, min(1.0, float(np.dot(p - a, ab)) / denom))
    return float(np.linalg.norm(p - (a + t * ab)))


def angle_between(u: np.ndarray, v: np.ndarray) -> float:
    """Angle between two vectors in degrees (0-180); NaN for a zero vector."""
    return angle(np.asarray(u, float), np.zeros(len(u)), np.asarray(v, float))
