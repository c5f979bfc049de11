"""The one frame loop of every command: frames -> detect (ahead, on its own thread) ->
smooth -> judge -> sinks.

`analyze` feeds it a video file, `live` and `routine` a camera (or a video played as one),
`calibrate` a photo, a video or a camera. What differs between them is only what goes in
(the frames, paced or not) and what comes out (the sinks: the annotated video, the CSV and
JSON report, the HTML page, the live window, the calibration's measurements).

Sinks receive each frame with its time, its landmarks and its result. Time spent in each
stage is measured, so the benchmark and `--timings` can show where a frame's time goes.
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Optional, Protocol

import numpy as np

from posecheck.core.judge import FrameResult, Judge
from posecheck.core.landmarks import Landmarks
from posecheck.core.smoothing import LandmarkSmoother
from posecheck.io.background import prefetched
from posecheck.io.interrupts import held_interrupt

#: A frame, or None where a camera has sent no new one yet (the loop then calls `idle`).
Frame = Optional[tuple[np.ndarray, float]]


class Sink(Protocol):
    name: str

    def frame(self, image: np.ndarray, t: float, lm: Landmarks | None,
              result: FrameResult | None) -> None: ...

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


@dataclass
class Judging:
    """What the loop does to each detected frame: smooth the landmarks, judge them, and name
    the legs as the judge did (for drawing and records).

    `judge` may be replaced between frames (a routine's next step). Without a judge
    (calibration), or while `paused` (live), the landmarks go to the sinks as detected,
    with no result, and no timer runs."""

    judge: Judge | None
    smoother: LandmarkSmoother | None = None
    paused: bool = False

    def __call__(self, lm: Landmarks | None, t: float, stages: StageTimes
                 ) -> tuple[Landmarks | None, FrameResult | None]:
        if self.judge is None or self.paused:
            return lm, None
        start = time.perf_counter()
        if lm is not None and self.smoother is not None:
            lm = self.smoother(lm, t)
        stages.add("smooth", time.perf_counter() - start)
        start = time.perf_counter()
        result = self.judge.update(lm, t)
        if result.landmarks is not None:
            lm = result.landmarks
        stages.add("judge", time.perf_counter() - start)
        return lm, result


def timed_frames(frames: Iterable[Frame], stages: StageTimes) -> Iterator[Frame]:
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


def detected(frames: Iterable[Frame], detect: Callable, stages: StageTimes, every: int = 1
             ) -> Iterator[tuple[np.ndarray, float, Landmarks | None, bool] | None]:
    """(image, t, landmarks, judged) for each frame (None for a frame not come yet): only
    every `every`-th frame is detected and judged (the others: landmarks None, judged
    False)."""
    index = 0
    for item in timed_frames(frames, stages):
        if item is None:
            yield None
            continue
        image, t = item
        index += 1
        if (index - 1) % every:
            yield image, t, None, False
            continue
        start = time.perf_counter()
        lm = detect(image, t)
        stages.add("detect", time.perf_counter() - start)
        yield image, t, lm, True


def run(frames: Iterable[Frame], detect: Callable, judging: Judging, sinks: list[Sink],
        stages: StageTimes | None = None,
        on_frame: Callable[[FrameResult | None], None] | None = None, every: int = 1,
        ahead: int = 0, idle: Callable[[], None] | None = None,
        stop: Callable[[], bool] | None = None) -> None:
    """Run the pipeline over `frames` ((image, seconds) pairs) until they end or `stop()`.

    `detect(image, t)` returns Landmarks or None. With `every` > 1 only every `every`-th
    frame is detected and judged; the frames between go to the sinks that take every frame
    (`every_frame = True`) with the last judged landmarks and result (the same objects). With `ahead` > 0,
    detection runs on its own thread, up to `ahead` frames ahead of judging and the sinks.
    A None in `frames` (a camera with no new frame yet) calls `idle()`. `on_frame` is told
    each judged frame's result. KeyboardInterrupt propagates after the frame in progress;
    the caller closes the sinks, so what was done is kept. The detection thread has stopped
    when this returns or raises (the caller may then close the detector and the frames).
    """
    stages = stages or StageTimes()
    items = detected(frames, detect, stages, every)
    if ahead:
        items = prefetched(items, name="posecheck-detect", ahead=ahead)
    with closing(items):
        lm = result = None
        for item in items:
            if item is None:
                if idle is not None:
                    idle()
            else:
                image, t, found, judged = item
                with held_interrupt():  # every output gets this frame, or none does
                    if judged:
                        lm, result = judging(found, t, stages)
                        stages.frames += 1
                    _deliver(image, t, lm, result, sinks, stages, every_frame_only=not judged)
                if judged and on_frame is not None:
                    on_frame(result)
            if stop is not None and stop():
                return


def _deliver(image: np.ndarray, t: float, lm: Landmarks | None, result: FrameResult | None,
             sinks: list[Sink], stages: StageTimes, every_frame_only: bool = False) -> None:
    """Hand one frame to the sinks (with `every_frame_only`, to those that draw every frame,
    for the frames between judged ones)."""
    for sink in sinks:
        if every_frame_only and not getattr(sink, "every_frame", False):
            continue
        start = time.perf_counter()
        sink.frame(image, t, lm, result)
        stages.add(sink.name, time.perf_counter() - start)
