"""`analyze --jobs N`: the detection of one long video spread over N processes.

Detection is most of a frame's cost (about 20 ms of 21 on a 640x360 clip); smoothing,
judging and the outputs take one or two. So only detection is split. The video is cut into
segments (`per_job` for each process, so this process judges the early ones while the later
ones are still being detected, and waits only for the last), and each segment is detected
in a worker process by a fresh VIDEO-mode landmarker that starts `warmup` frames early: its
tracking and its own smoothing settle there, and those frames' landmarks are dropped.

This process reads the video as `--jobs 1` does and runs the one frame loop over it, with
`SplitDetection.detect` standing in for the detector: it hands out the landmarks found for
each frame, in order. Smoothing, the judge and the hold timer therefore see one continuous
run, with nothing to join. Each frame is matched by its time: the landmarks a worker found
carry the container time of the frame it read, turned into seconds by the same rule
(`FrameClock`) as this process's own reading. Where they disagree (a file a seek reads
differently), or a worker cannot read its segment (frame times that do not increase) or
dies, this process detects the rest of the video itself (first the last `warmup` frames
again, for its tracking): slower, never wrong. The model is loaded here once too, while the
workers start, so a bad model fails before any output is written, as with `--jobs 1`.

A fresh landmarker does not find exactly what one running since the first frame finds: the
model's tracking feeds on its own output, and the two stay a few pixels apart. So a check
near its limit may flip at another frame: the report is that of `--jobs 1` within the
detector's own variation (README, "Commands").
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from posecheck.app.engine import stop_pool
from posecheck.core.landmarks import Landmarks
from posecheck.io.detector import Detector, check_model_file, default_model_path
from posecheck.io.segment import SegmentError, read_segment
from posecheck.io.video import FrameClock, FrameSource

#: Workers are started fresh ("spawn"), not forked from this process and its threads.
START_METHOD = "spawn"


@dataclass(frozen=True)
class Splitting:
    """How to split a video: over `jobs` processes, in `per_job` segments each, none shorter
    than `min_frames`, each detected from `warmup` frames before its start."""

    jobs: int
    per_job: int = 3
    warmup: int = 10
    min_frames: int = 60


@dataclass(frozen=True)
class Segment:
    """The frames with start_ms <= container time < stop_ms (None: from the first frame, to
    the last)."""

    start_ms: float | None
    stop_ms: float | None


@dataclass(frozen=True)
class Task:
    path: str
    model: str
    segment: Segment
    warmup: int
    fps: float


@dataclass
class Found:
    """One segment's detections, frame by frame: container time, landmarks (None: nobody),
    and how many people the model found."""

    pos_ms: list[float] = field(default_factory=list)
    landmarks: list[Landmarks | None] = field(default_factory=list)
    people: list[int] = field(default_factory=list)


def plan(source: FrameSource, splitting: Splitting) -> list[Segment]:
    """Segments of about equal length for `source`, their boundaries half-way between two
    frames' times; [] when the video is not worth splitting (a photo, a GIF shown at a
    resampled rate, an unknown length, or too short for two segments)."""
    count = source.frame_count
    if source.is_image or getattr(source, "resampled", False) or not count:
        return []
    pieces = min(splitting.jobs * splitting.per_job, count // max(splitting.min_frames, 1))
    if pieces < 2:
        return []
    frame_ms = 1000.0 / source.fps
    bounds = [(round(k * count / pieces) - 0.5) * frame_ms for k in range(1, pieces)]
    return [Segment(start, stop) for start, stop in zip([None, *bounds], [*bounds, None])]


def detect_segment(task: Task) -> Found:
    """Detect one segment with a fresh landmarker (runs in a worker process)."""
    found = Found()
    with Detector(task.model, mode="video") as detector:
        for frame, pos_ms, kept in read_segment(task.path, task.segment.start_ms,
                                                task.segment.stop_ms, task.warmup, task.fps):
            landmarks = detector.detect(frame, pos_ms / 1000.0)
            if kept:
                found.pos_ms.append(pos_ms)
                found.landmarks.append(landmarks)
                found.people.append(detector.last_count)
    return found


def _ignore_ctrl_c() -> None:
    """Ctrl-C is the main process's to handle: it stops the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class SplitDetection:
    """The detector of the frame loop, for a video detected in segments by worker processes.

    `detect(image, t)` is called for every frame in order, as the loop reads them; `crowd`
    is as `Detector.crowd`. Use as a context manager: leaving it stops the workers (at once,
    when work is left: Ctrl-C, an error)."""

    def __init__(self, source: FrameSource, model: str | None, segments: list[Segment],
                 splitting: Splitting) -> None:
        self.model = str(model) if model is not None else str(default_model_path())
        check_model_file(Path(self.model))
        self.warmup = splitting.warmup
        self.crowd = (0, 0)
        self.fell_back: str | None = None  # why this process took over the detection
        self._clock = FrameClock(source.fps)
        self._recent: deque = deque(maxlen=max(self.warmup, 1))
        self._local: Detector | None = None
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            min(splitting.jobs, len(segments)), multiprocessing.get_context(START_METHOD),
            initializer=_ignore_ctrl_c)
        self._futures: list[Future] = []
        try:
            for segment in segments:
                task = Task(str(source.path), self.model, segment, self.warmup, source.fps)
                self._futures.append(self._pool.submit(detect_segment, task))
            Detector(self.model, mode="video").close()  # a bad model fails now, as --jobs 1
        except BaseException:
            self._stop_workers()
            raise
        self._entries = self._found()

    def _found(self) -> Iterator[tuple[float, Landmarks | None, int]]:
        """Every detected frame, segment after segment, each segment as soon as it is done."""
        for future in self._futures:
            found = future.result()
            yield from zip(found.pos_ms, found.landmarks, found.people)

    def detect(self, image: np.ndarray, t: float) -> Landmarks | None:
        """The landmarks of the frame at `t` (the next one): the workers', or found here."""
        if self._local is None:
            entry = self._next()
            if entry is not None and self._clock(entry[0]) == t:
                self._recent.append((image, t))
                self._count(entry[2])
                return entry[1]
            self._take_over(entry)
        landmarks = self._local.detect(image, t)
        self._count(self._local.last_count)
        return landmarks

    def _next(self) -> tuple[float, Landmarks | None, int] | None:
        """The next frame the workers detected; None when they have none, or failed."""
        try:
            return next(self._entries, None)
        except (SegmentError, BrokenProcessPool) as exc:
            self.fell_back = f"{type(exc).__name__}: {exc}"
            return None

    def _take_over(self, entry) -> None:
        """Detect the rest here: stop the workers, warm a landmarker up on the last frames."""
        if self.fell_back is None:
            self.fell_back = ("the workers' frames ran out" if entry is None else
                              f"frame times differ ({entry[0]:.1f} ms)")
        self._stop_workers()
        self._local = Detector(self.model, mode="video")
        for image, t in self._recent:
            self._local.detect(image, t)

    def _count(self, people: int) -> None:
        if people > 1:
            self.crowd = (max(self.crowd[0], people), self.crowd[1] + 1)

    def _stop_workers(self) -> None:
        """At once when work is left (`engine.stop_pool`); else the workers just exit."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        if all(future.done() for future in self._futures):
            pool.shutdown(wait=True)
        else:
            stop_pool(pool)

    def close(self) -> None:
        self._entries.close()
        self._stop_workers()
        if self._local is not None:
            self._local.close()

    def __enter__(self) -> "SplitDetection":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
