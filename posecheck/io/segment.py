"""One stretch of a video file, read on its own: for detecting a long video in pieces, each
in its own process (`posecheck.app.split`).

    for frame, pos_ms, kept in read_segment("long.mp4", 30_000.0, 60_000.0, 10, fps=30.0):
        ...   # the 10 frames before 30 s (kept False), then every frame up to 60 s (kept True)

A segment is given by container times (milliseconds, CAP_PROP_POS_MSEC after each read),
not frame numbers: a seek by frame number is exact only on constant-frame-rate files, while
each frame's container time is the same however the file was reached. A frame belongs to
the segment whose [start_ms, stop_ms) holds its time, so consecutive segments meet without
a frame lost or read twice. The seek goes to a frame a little before the warm-up and is
checked by the time of the frame it reaches: past the start (the seek overshot, or the file
has fewer frames per second than it claims), it goes back further, and after a few tries
reads from the beginning. Times that do not increase from frame to frame make the file
unsplittable (`SegmentError`): `analyze` then detects the rest of it in one process.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from posecheck.io.video import StderrTrap

#: Seeks tried before reading from the beginning; each starts farther before the segment.
SEEK_TRIES = 3


class SegmentError(Exception):
    """The file's frames cannot be read in segments (their times do not increase)."""


def read_segment(path: str | Path, start_ms: float | None, stop_ms: float | None,
                 warmup: int, fps: float) -> Iterator[tuple[np.ndarray, float, bool]]:
    """(frame_bgr, pos_ms, kept) for the frames with start_ms <= pos_ms < stop_ms (None: from
    the first frame, to the last), each `kept`, after up to `warmup` frames just before
    `start_ms` (not kept). `fps` (the container's claim) only places the seek."""
    trap = StderrTrap()
    try:
        if start_ms is None:
            capture = _open(path, trap)
            frames = _timed(capture, trap)
        else:
            capture, frames = _seek_before(path, start_ms, warmup, fps, trap)
        try:
            yield from _span(frames, start_ms, stop_ms, warmup)
        finally:
            with trap:
                capture.release()
    finally:
        trap.close()


def _open(path: str | Path, trap: StderrTrap) -> cv2.VideoCapture:
    with trap:
        capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise SegmentError(f"cannot open {path} again to read a segment")
    return capture


def _timed(capture: cv2.VideoCapture, trap: StderrTrap) -> Iterator[tuple[np.ndarray, float]]:
    """(frame, pos_ms) until the file ends; raises SegmentError where times do not increase."""
    last = -math.inf
    while True:
        with trap:
            ok, frame = capture.read()
            pos_ms = capture.get(cv2.CAP_PROP_POS_MSEC) if ok else math.nan
        if not ok or frame is None:
            return
        if not (math.isfinite(pos_ms) and pos_ms > last):
            raise SegmentError(f"frame times do not increase ({last:.1f} ms, then "
                               f"{pos_ms:.1f} ms)")
        last = pos_ms
        yield frame, pos_ms


def _seek_before(path: str | Path, start_ms: float, warmup: int, fps: float,
                 trap: StderrTrap) -> tuple[cv2.VideoCapture, Iterator]:
    """A capture and its frames from a frame about `warmup` frames (at `fps`) or more before
    `start_ms`, checked by its time; else from the first frame."""
    target = math.floor(start_ms * fps / 1000.0)
    back = warmup + 2
    for _ in range(SEEK_TRIES):
        index = target - back
        if index <= 0:
            break
        capture = _open(path, trap)
        with trap:
            moved = capture.set(cv2.CAP_PROP_POS_FRAMES, index)
        frames = _timed(capture, trap)
        first = next(frames, None) if moved else None
        if first is not None and first[1] < start_ms - warmup * 1000.0 / fps:
            return capture, _chain(first, frames)
        with trap:
            capture.release()
        back = 2 * back + int(fps)  # overshot (or could not seek): from farther back
    capture = _open(path, trap)
    return capture, _timed(capture, trap)


def _chain(first: tuple[np.ndarray, float], rest: Iterator) -> Iterator:
    yield first
    yield from rest


def _span(frames: Iterator[tuple[np.ndarray, float]], start_ms: float | None,
          stop_ms: float | None, warmup: int) -> Iterator[tuple[np.ndarray, float, bool]]:
    """The last `warmup` frames before start_ms (not kept), then those up to stop_ms (kept)."""
    before: deque = deque(maxlen=max(warmup, 1))
    started = start_ms is None
    for frame, pos_ms in frames:
        if stop_ms is not None and pos_ms >= stop_ms:
            break
        if not started:
            if pos_ms < start_ms:
                if warmup > 0:
                    before.append((frame, pos_ms))
                continue
            started = True
            for early, early_ms in before:
                yield early, early_ms, False
            before.clear()
        yield frame, pos_ms, True
