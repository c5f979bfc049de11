"""`calibrate`: the detected bodies of a photo, a video or a few seconds of camera, through
the one frame loop, for `core.calibration` to measure."""

from __future__ import annotations

from typing import Iterable, Iterator

import numpy as np

from posecheck.app import loop
from posecheck.core.calibration import MIN_VIDEO_FRAMES, CalibrationError, measure_frames
from posecheck.core.landmarks import Landmarks
from posecheck.io.capture import CameraReader, Grabber
from posecheck.io.detector import Detector
from posecheck.io.video import open_source

__all__ = ["CalibrationError", "detect_frames", "measure_frames"]

#: What to do without a camera: calibrate takes a photo or a video instead.
NO_CAMERA = "calibrate from a photo or video of you standing: posecheck calibrate PHOTO|VIDEO"


class Bodies:
    """The loop's sink: each frame's time and detected body (or None), in order."""

    name = "bodies"

    def __init__(self) -> None:
        self.t: list[float] = []
        self.found: list[Landmarks | None] = []

    def frame(self, image: np.ndarray, t: float, lm: Landmarks | None, result) -> None:
        self.t.append(t)
        self.found.append(lm)

    def close(self) -> None:
        pass


def detect_frames(source: str | None, camera: int | None, seconds: float,
                  model: str | None) -> tuple[list[Landmarks | None], int]:
    """The detected bodies in the first `seconds` of a photo, video or camera, and the good
    frames needed (1 for a photo)."""
    bodies = Bodies()
    if source is None:
        reader = CameraReader(camera, instead=NO_CAMERA)  # found before the model loads
        try:
            with Detector(model, mode="video") as detector:
                grabber = Grabber(reader, keep_all=True).start()
                try:
                    _detect(grabber.frames(timeout=1.0), detector, seconds, bodies)
                finally:
                    grabber.stop()
        finally:
            reader.close()  # also when the model fails (closing twice is harmless)
        return bodies.found, MIN_VIDEO_FRAMES
    with open_source(source) as frames, \
            Detector(model, mode="image" if frames.is_image else "video") as detector:
        _detect(frames, detector, seconds, bodies)
        return bodies.found, 1 if frames.is_image else MIN_VIDEO_FRAMES


def _detect(frames: Iterable, detector: Detector, seconds: float, bodies: Bodies) -> None:
    loop.run(_first_seconds(frames, seconds), detector.detect, loop.Judging(None), [bodies])


def _first_seconds(frames: Iterable, seconds: float) -> Iterator:
    for item in frames:
        if item is not None and item[1] > seconds:
            return
        yield item
