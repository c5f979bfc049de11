"""Frames for live practice: a camera, or a video file played as if it were one.

A `Grabber` reads frames on a background thread and keeps only the newest, so a slow
consumer (detection, drawing) always gets the latest picture and never a queue of stale
ones: frames it had no time for are dropped and counted. Times are seconds on the
monotonic clock from the start of capture.

Readers: `CameraReader(index)` (an OpenCV camera) and `FileReader(path, realtime)` (a video
file; `realtime` paces it at its own frame rate, as a camera would deliver it, else frames
come as fast as they are asked for and none is dropped: for scripted runs and tests).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Protocol

import cv2
import numpy as np

from posecheck.io.video import InputError, StderrTrap, open_source

#: A camera that delivers no frame for this long is lost.
LOST_AFTER_S = 2.0
CAMERA_SIZE = (640, 480)


@dataclass(frozen=True)
class Captured:
    image: np.ndarray
    t: float  # seconds since capture started (or the file's own time, not paced)
    seq: int  # 1, 2, 3 ... in capture order


class Reader(Protocol):
    """One frame per call: (image, t or None to stamp it now), or None when there is none now
    (a camera hiccup) ; raises EOFError when the source has ended."""

    def read(self) -> tuple[np.ndarray, float | None] | None: ...

    def close(self) -> None: ...


class CameraReader:
    """An OpenCV camera. No camera at `index` is an InputError that ends with `instead`: what
    the command can use in its place."""

    def __init__(self, index: int, size: tuple[int, int] = CAMERA_SIZE,
                 instead: str = "practise on a video with --source FILE") -> None:
        self.index = index
        trap = StderrTrap()
        with trap:
            self._capture = cv2.VideoCapture(index)
            ok = self._capture.isOpened()
            if ok:
                self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, size[0])
                self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, size[1])
                ok, first = self._capture.read()
        trap.close()
        if not ok:
            self._capture.release()
            raise InputError(f"no camera at index {index}: connect one, try another index "
                             f"(--camera {index + 1}), or {instead}")
        self._first: np.ndarray | None = first

    def read(self) -> tuple[np.ndarray, float | None] | None:
        if self._first is not None:
            first, self._first = self._first, None
            return first, None
        ok, frame = self._capture.read()
        return (frame, None) if ok and frame is not None else None

    def close(self) -> None:
        self._capture.release()


class FileReader:
    """A video file as a camera. realtime: each frame is released at its own time (waiting
    as needed); otherwise every frame is handed over at once with the file's timestamps."""

    def __init__(self, path: str | Path, realtime: bool = True,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.source = open_source(path)
        if self.source.is_image:
            self.source.close()
            raise InputError(f"{path} is a still image: --source needs a video (for a photo use "
                             "posecheck analyze)")
        self.realtime, self._clock, self._sleep = realtime, clock, sleep
        self._frames = iter(self.source)
        self._start: float | None = None

    @property
    def fps(self) -> float:
        return self.source.fps

    def read(self) -> tuple[np.ndarray, float | None] | None:
        item = next(self._frames, None)
        if item is None:
            raise EOFError
        frame, t = item
        if not self.realtime:
            return frame, t
        if self._start is None:
            self._start = self._clock() - t
        wait = self._start + t - self._clock()
        if wait > 0:
            self._sleep(wait)
        return frame, None

    def close(self) -> None:
        self.source.close()


class Grabber:
    """Keeps the newest frame of a reader, read on a background thread.

    `next_frame(timeout)` waits for a frame newer than the last one handed out and returns it
    (None on timeout or once the source has ended and every frame was handed out). In
    `keep_all` mode no frame is ever dropped: the reader waits for the consumer."""

    def __init__(self, reader: Reader, keep_all: bool = False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.reader, self.keep_all, self.clock = reader, keep_all, clock
        self.dropped = 0
        self.captured = 0
        self.ended = False
        self.lost = False
        self.error: BaseException | None = None
        self._latest: Captured | None = None
        self._taken = 0
        self._cond = threading.Condition()
        self._stop = False
        self._t0 = clock()
        self._thread = threading.Thread(target=self._run, name="posecheck-capture", daemon=True)

    def start(self) -> "Grabber":
        self._thread.start()
        return self

    def _run(self) -> None:
        last_frame = self.clock()
        try:
            while not self._stop:
                item = self.reader.read()
                now = self.clock()
                if item is None:
                    if now - last_frame > LOST_AFTER_S:
                        with self._cond:
                            self.lost = True
                            self._cond.notify_all()
                        return
                    time.sleep(0.005)
                    continue
                last_frame = now
                image, t = item
                self._put(image, now - self._t0 if t is None else t)
        except EOFError:
            pass
        except BaseException as exc:  # a reader failing mid-stream ends the session, kept
            self.error = exc
        with self._cond:
            self.ended = True
            self._cond.notify_all()

    def _put(self, image: np.ndarray, t: float) -> None:
        with self._cond:
            if self.keep_all:
                while self._latest is not None and self._latest.seq > self._taken and not self._stop:
                    self._cond.wait(0.05)
            if self._latest is not None and self._latest.seq > self._taken:
                self.dropped += 1
            self.captured += 1
            self._latest = Captured(image, t, self.captured)
            self._cond.notify_all()

    def next_frame(self, timeout: float = 1.0) -> Captured | None:
        deadline = self.clock() + timeout
        with self._cond:
            while self._latest is None or self._latest.seq <= self._taken:
                if self.ended or self.lost:
                    return None
                left = deadline - self.clock()
                if left <= 0:
                    return None
                self._cond.wait(left)
            self._taken = self._latest.seq
            self._cond.notify_all()
            return self._latest

    def frames(self, timeout: float) -> Iterator[tuple[np.ndarray, float] | None]:
        """(image, t) for each frame handed out, None after `timeout` seconds with no new
        one (so the consumer can keep its window responsive), until the source has ended
        or was lost and its last frame was handed out."""
        while True:
            captured = self.next_frame(timeout)
            if captured is not None:
                yield captured.image, captured.t
            elif self.finished:
                return
            else:
                yield None

    @property
    def finished(self) -> bool:
        """The source has ended (or was lost) and its last frame was handed out."""
        with self._cond:
            newer = self._latest is not None and self._latest.seq > self._taken
            return (self.ended or self.lost) and not newer

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        self._thread.join(timeout=2.0)
        self.reader.close()
