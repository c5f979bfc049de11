"""A pinhole camera in the synth world frame (metres, Z up; see skeleton.py).

Image coordinates follow MediaPipe's pixel convention: x to the right, y down, (0, 0) the top-left
corner of the top-left pixel, so pixel (i, j) covers [i, i+1) x [j, j+1) and its centre is
(i + 0.5, j + 0.5). Depth is the distance along the viewing axis (camera z), positive in front.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posecheck.synth import rotations as rot


@dataclass(frozen=True)
class Camera:
    """position and target in world metres; fov_deg is the vertical field of view."""

    position: tuple[float, float, float]
    target: tuple[float, float, float]
    fov_deg: float = 55.0
    width: int = 640
    height: int = 480
    up: tuple[float, float, float] = (0.0, 0.0, 1.0)

    @classmethod
    def orbit(cls, target, distance: float, azimuth_deg: float, elevation_deg: float = 0.0,
              camera_z: float | None = None, **kwargs) -> "Camera":
        """A camera `distance` metres from `target`, around it.

        azimuth 0 = in front of the neutral body (on the -Y side), 90 = on the body's left (+X),
        180 = behind, -90 / 270 = on its right. elevation > 0 looks down on the target. When
        `camera_z` is given the camera is put at that height instead (same horizontal distance)
        and still looks at the target. Other keywords (fov_deg, width, height) go to Camera.
        """
        target = np.asarray(target, float)
        az, el = np.radians(azimuth_deg), np.radians(elevation_deg)
        offset = distance * np.array([np.sin(az) * np.cos(el), -np.cos(az) * np.cos(el), np.sin(el)])
        position = target + offset
        if camera_z is not None:
            position[2] = camera_z
        return cls(tuple(map(float, position)), tuple(map(float, target)), **kwargs)

    @classmethod
    def fit(cls, points, azimuth_deg: float, elevation_deg: float = 0.0, camera_z: float | None = None,
            fill: float = 0.8, **kwargs) -> "Camera":
        """A camera around `points` (e.g. a posed body's vertices) that frames them all.

        It looks at the centre of their bounding box from the given azimuth (see orbit) and
        elevation or camera height, at the distance where the points span `fill` of the frame's
        width or height (whichever is tighter).
        """
        pts = np.asarray(points, float).reshape(-1, 3)
        centre = (pts.min(axis=0) + pts.max(axis=0)) / 2
        distance = 3.0
        for _ in range(8):
            cam = cls.orbit(centre, distance, azimuth_deg, elevation_deg, camera_z=camera_z, **kwargs)
            px, _ = cam.project(pts)
            span = np.nanmax(np.abs(px - [cam.width / 2, cam.height / 2]) / [cam.width / 2, cam.height / 2])
            distance *= span / fill
        return cls.orbit(centre, distance, azimuth_deg, elevation_deg, camera_z=camera_z, **kwargs)

    @property
    def focal(self) -> float:
        """Focal length in pixels."""
        return (self.height / 2.0) / np.tan(np.radians(self.fov_deg) / 2.0)

    @property
    def rotation(self) -> np.ndarray:
        """World -> camera rotation; camera axes: x right, y down, z forward."""
        forward = rot.unit(np.asarray(self.target, float) - np.asarray(self.position, float))
        up = np.asarray(self.up, float)
        right = np.cross(forward, up)
        if np.linalg.norm(right) < 1e-9:  # looking straight up or down: pick any right
            right = np.cross(forward, [0.0, 1.0, 0.0])
        right = rot.unit(right)
        down = np.cross(forward, right)
        return np.stack([right, down, forward])

    def to_camera(self, points) -> np.ndarray:
        p = np.asarray(points, float).reshape(-1, 3)
        return (p - np.asarray(self.position, float)) @ self.rotation.T

    def project(self, points) -> tuple[np.ndarray, np.ndarray]:
        """World points (N, 3) -> (pixels (N, 2), depth (N,)). Points behind the camera get nan."""
        c = self.to_camera(points)
        z = c[:, 2]
        with np.errstate(divide="ignore", invalid="ignore"):
            safe = np.where(z > 1e-9, z, np.nan)
            px = np.stack([self.focal * c[:, 0] / safe + self.width / 2.0,
                           self.focal * c[:, 1] / safe + self.height / 2.0], axis=1)
        return px, z

    def rays(self, scale: int = 1) -> np.ndarray:
        """World direction (unit) through every pixel centre, (H*scale, W*scale, 3)."""
        w, h, f = self.width * scale, self.height * scale, self.focal * scale
        xs = (np.arange(w) + 0.5 - w / 2.0) / f
        ys = (np.arange(h) + 0.5 - h / 2.0) / f
        d = np.empty((h, w, 3))
        d[:, :, 0] = xs[None, :]
        d[:, :, 1] = ys[:, None]
        d[:, :, 2] = 1.0
        d = d @ self.rotation  # camera -> world (rows of rotation are the camera axes)
        return d / np.linalg.norm(d, axis=2, keepdims=True)
