"""The loop shared by every command: frames -> detector -> smoothing -> judge -> sinks.

Sinks receive each frame with its landmarks and result (the annotated-video writer, the
per-frame CSV, the report). Time spent in each stage is measured, so the benchmark and
`--timings` can show where a frame's time goes.
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import closing
from typing import Callable, Iterable, Iterator, Protocol

import numpy as np

from posecheck.io.background import prefetched
from posecheck.io.interrupts import held_interrupt
from posecheck.core.judge import FrameResult, Judge
from posecheck.core.landmarks import Landmarks
from posecheck.core.smoothing import LandmarkSmoother


class Sink(Protocol):
    name: str

    def frame(self, image: np.ndarray, lm: Landmarks | None, result: FrameResult) -> None: ...

    def close(self) -> None: ...


class StageTimes:
    """Wall time spent per stage, summed over frames."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.frames = 0

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds

    def per_frame_ms(self) -> dict[str, float]:
        n = max(self.frames, 1)
        return {k: 1000.0 * v / n for k, v in self.seconds.items()}


def timed_frames(frames: Iterable[tuple[np.ndarray, float]], stages: StageTimes
                 ) -> Iterator[tuple[np.ndarray, float]]:
    """Pass frames through, adding the time spent decoding them to stage 'decode'."""
    it = iter(frames)
    while True:
        start = time.perf_counter()
        try:
            item = next(it)
        except StopIteration:
            return
        stages.add("decode", time.perf_counter() - start)
        yield item


def detected(frames: Iterable[tuple[np.ndarray, float]], detect: Callable, stages: StageTimes,
             every: int = 1) -> Iterator[tuple[np.ndarray, float, Landmarks | None, bool]]:
    """(image, t, landmarks, judged) for each frame: only every `every`-th frame is detected
    and judged (the others: landmarks None, judged False)."""
    for index, (image, t) in enumerate(timed_frames(frames, stages)):
        if index % every:
            yield image, t, None, False
            continue
        start = time.perf_counter()
        lm = detect(image, t)
        stages.add("detect", time.perf_counter() - start)
        yield image, t, lm, True


def run(frames: Iterable[tuple[np.ndarray, float]], detect: Callable, judge: Judge,
        sinks: list[Sink], smoother: LandmarkSmoother | None = None,
        stages: StageTimes | None = None,
        on_frame: Callable[[FrameResult], None] | None = None, every: int = 1,
        ahead: bool = False) -> None:
    """Run the pipeline over `frames` ((image, seconds) pairs) until they end.

    `detect(image, t)` returns Landmarks or None. With `every` > 1 only every `every`-th
    frame is detected and judged; the frames between go to the sinks that draw every frame
    (`every_frame = True`) with the last judged landmarks and result. With `ahead`,
    detection runs on its own thread, a frame or two ahead of judging and the sinks.
    KeyboardInterrupt propagates after the frame in progress; the caller closes the sinks,
    so what was done is kept. The detection thread has stopped when this returns or raises
    (the caller may then close the detector and the frames).
    """
    stages = stages or StageTimes()
    items = detected(frames, detect, stages, every)
    if ahead:
        items = prefetched(items, name="posecheck-detect", ahead=2)
    with closing(items):
        _judge_all(items, judge, sinks, smoother, stages, on_frame)


def _judge_all(items, judge: Judge, sinks: list[Sink], smoother: LandmarkSmoother | None,
               stages: StageTimes, on_frame: Callable[[FrameResult], None] | None) -> None:
    lm = result = None
    for image, t, found, judged in items:
        with held_interrupt():  # every output gets this frame, or none does
            if not judged:
                _deliver(image, lm, result, sinks, stages, every_frame_only=True)
                continue
            lm = found
            start = time.perf_counter()
            if lm is not None and smoother is not None:
                lm = smoother(lm, t)
            stages.add("smooth", time.perf_counter() - start)
            start = time.perf_counter()
            result = judge.update(lm, t)
            if result.landmarks is not None:
                lm = result.landmarks  # the legs named as judged, for drawing and records
            stages.add("judge", time.perf_counter() - start)
            _deliver(image, lm, result, sinks, stages)
            stages.frames += 1
        if on_frame is not None:
            on_frame(result)


def _deliver(image, lm: Landmarks | None, result: FrameResult | None, sinks: list[Sink],
             stages: StageTimes, every_frame_only: bool = False) -> None:
    """Hand one frame to the sinks (with `every_frame_only`, to those that draw every frame,
    for the frames between judged ones)."""
    for sink in sinks:
        if every_frame_only and not getattr(sink, "every_frame", False):
            continue
        start = time.perf_counter()
        sink.frame(image, lm, result)
        stages.add(sink.name, time.perf_counter() - start)
