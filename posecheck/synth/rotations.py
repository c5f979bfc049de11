"""Small rotation helpers (3x3 matrices, angles in degrees unless the name says radians)."""

from __future__ import annotations

import numpy as np


def unit(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    n = np.linalg.norm(v)
    if n < 1e-12:
        raise ValueError("cannot normalise a zero vector")
    return v / n


def axis_angle(axis: np.ndarray, degrees: float) -> np.ndarray:
    """Rotation by `degrees` about `axis` (right-hand rule)."""
    k = unit(axis)
    a = np.radians(degrees)
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(a) * kx + (1 - np.cos(a)) * (kx @ kx)


def between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The smallest rotation turning direction a into direction b."""
    a, b = unit(a), unit(b)
    c = float(np.clip(a @ b, -1.0, 1.0))
    axis = np.cross(a, b)
    s = np.linalg.norm(axis)
    if s < 1e-12:
        if c > 0:
            return np.eye(3)
        helper = np.eye(3)[np.argmin(np.abs(a))]
        return axis_angle(np.cross(a, helper), 180.0)
    return axis_angle(axis, np.degrees(np.arctan2(s, c)))


def frame(primary: np.ndarray, secondary: np.ndarray) -> np.ndarray:
    """Orthonormal columns (p, s', p x s') from a primary direction and a secondary hint."""
    p = unit(primary)
    s = unit(secondary - (secondary @ p) * p)
    return np.column_stack([p, s, np.cross(p, s)])


def euler_xyz(rx: float, ry: float, rz: float) -> np.ndarray:
    """Rx(rx) @ Ry(ry) @ Rz(rz) about the coordinate axes, degrees."""
    return axis_angle([1, 0, 0], rx) @ axis_angle([0, 1, 0], ry) @ axis_angle([0, 0, 1], rz)


def euler_from_xyz(m: np.ndarray) -> tuple[float, float, float]:
    """Inverse of euler_xyz: (rx, ry, rz) in degrees with ry in [-90, 90]."""
    ry = np.arcsin(np.clip(m[0, 2], -1.0, 1.0))
    if abs(m[0, 2]) < 1.0 - 1e-9:
        rx = np.arctan2(-m[1, 2], m[2, 2])
        rz = np.arctan2(-m[0, 1], m[0, 0])
    else:  # gimbal lock: put everything into rx
        rx = np.arctan2(m[2, 1], m[1, 1])
        rz = 0.0
    return float(np.degrees(rx)), float(np.degrees(ry)), float(np.degrees(rz))


def root_rotation(rx: float, ry: float, rz: float) -> np.ndarray:
    """World rotation of the whole body: Rz(rz) @ Ry(ry) @ Rx(rx), degrees (X first, Z last)."""
    return axis_angle([0, 0, 1], rz) @ axis_angle([0, 1, 0], ry) @ axis_angle([1, 0, 0], rx)


def affine(rotation: np.ndarray, pivot: np.ndarray) -> np.ndarray:
    """4x4 rotation about a pivot point."""
    m = np.eye(4)
    m[:3, :3] = rotation
    m[:3, 3] = pivot - rotation @ pivot
    return m


def translation(t: np.ndarray) -> np.ndarray:
    m = np.eye(4)
    m[:3, 3] = t
    return m
