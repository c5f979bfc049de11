"""`analyze`: one video or photo through the pipeline, with the annotated video, the
per-frame CSV and the JSON report written as the work goes."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np

from posecheck.app.loop import Judging, StageTimes, run
from posecheck.app.split import SplitDetection, Splitting, plan
from posecheck.core.judge import FrameResult, Judge
from posecheck.core.landmarks import Landmarks
from posecheck.core.poses import PoseSpec
from posecheck.core.proportions import POPULATION, Range
from posecheck.core.smoothing import LandmarkSmoother
from posecheck.io.background import Worker, prefetched
from posecheck.io.detector import Detector
from posecheck.io.video import (
    PICTURE_EXTS,
    FrameSource,
    InputError,
    VideoWriter,
    check_video_path,
    check_writable,
    open_source,
    write_image,
)
from posecheck.report.builder import FrameCsv, ReportBuilder, write_json
from posecheck.report.overlay import annotate
from posecheck.report.summary import AnalysisSummary

REPORT_EVERY_S = 2.0  # rewrite the JSON report this often during a run
FAST_FPS = 10.0  # --fast: frames judged per second of video (the others carry the result)
DETECT_AHEAD = 2  # frames detected ahead of judging and the outputs


def fast_every(fps: float) -> int:
    """--fast judges every n-th frame: n for about FAST_FPS judged frames per second."""
    return max(1, round(fps / FAST_FPS))


@dataclass
class Outputs:
    video: str | None = None
    report: str | None = None
    frames: str | None = None
    html: str | None = None


@dataclass
class Analysis:
    summary: AnalysisSummary
    stages: StageTimes
    truncated: bool = False


class VideoSink:
    """The annotated video, drawn and encoded on a writer thread (the detector keeps the main
    one busy). `busy_s`: that thread's seconds in each of "overlay" and "encode"."""

    name = "video (queue)"
    every_frame = True  # with --fast, the frames between judged ones are drawn too

    def __init__(self, path: str, fps: float, size: tuple[int, int]):
        self.writer = VideoWriter(path, fps, size)
        self.busy_s = {"overlay": 0.0, "encode": 0.0}
        self._worker = Worker(self._write, name="posecheck-video")

    def frame(self, image: np.ndarray, t: float, lm: Landmarks | None,
              result: FrameResult) -> None:
        self._worker.put((image, lm, result))

    def _write(self, item) -> None:
        start = time.perf_counter()
        picture = annotate(*item)
        drawn = time.perf_counter()
        self.writer.write(picture)
        self.busy_s["overlay"] += drawn - start
        self.busy_s["encode"] += time.perf_counter() - drawn

    def close(self) -> None:
        try:
            self._worker.close()
        finally:
            self.writer.close()


class ImageSink:
    """For a photo: the annotated picture itself."""

    name = "overlay+encode"

    def __init__(self, path: str):
        self.path = path

    def frame(self, image: np.ndarray, t: float, lm: Landmarks | None,
              result: FrameResult) -> None:
        write_image(self.path, annotate(image, lm, replace(result, timer=None)))

    def close(self) -> None:
        pass


class CsvSink:
    name = "report"

    def __init__(self, path: str, poses: list[PoseSpec]):
        self.csv = FrameCsv(path, poses)

    def frame(self, image, t, lm, result) -> None:
        self.csv.write(result)

    def close(self) -> None:
        self.csv.close()


class ReportSink:
    """Feeds the report builder; rewrites the JSON report every few seconds of work. It takes
    every frame, to count them: a frame between judged ones (`--fast`) comes with the last
    judged result again, and is counted without being judged twice."""

    name = "report"
    every_frame = True

    def __init__(self, builder: ReportBuilder, path: str | None,
                 clock: Callable[[], float] = time.monotonic):
        self.builder, self.path, self.clock = builder, path, clock
        self._written = clock()
        self._last: FrameResult | None = None

    def frame(self, image, t, lm, result) -> None:
        if result is self._last:
            self.builder.carried += 1
            return
        self._last = result
        self.builder.add(result)
        if self.path and self.clock() - self._written >= REPORT_EVERY_S:
            write_json(self.path, self.builder.summary().to_json())
            self._written = self.clock()

    def close(self) -> None:
        if self.path:
            write_json(self.path, self.builder.summary().to_json())


def check_outputs(outputs: Outputs, photo: bool = False) -> None:
    """Fail before any work if an output cannot be written, or its name is of the wrong
    kind (the video: .mp4 or .avi, or for a `photo` also .png or .jpg; the page: .html)."""
    if outputs.video:
        check_video_path(outputs.video, photo)
    if outputs.html and Path(outputs.html).suffix.lower() not in (".html", ".htm"):
        raise InputError(f"cannot write the report page to {outputs.html}: use a .html file "
                         "name")
    for path in (outputs.report, outputs.frames, outputs.html):
        if path:
            check_writable(path)


def analyze(path: str, poses: list[PoseSpec], outputs: Outputs, side: str | None = None,
            model: str | None = None, on_start: Callable[[FrameSource], None] | None = None,
            on_frame: Callable[[FrameResult], None] | None = None, fast: bool = False,
            ranges: dict[str, Range] = POPULATION,
            on_end: Callable[[AnalysisSummary], None] | None = None,
            split: Splitting | None = None) -> Analysis:
    """Analyse a video or photo. Outputs are closed (and the report finalised) however the
    run ends; on Ctrl-C the report says 'interrupted' and KeyboardInterrupt is re-raised.
    `on_end`: given the final summary when the run is done or interrupted (e.g. the history).
    `ranges`: the plausible bone lengths (a personal profile's, else the population's).
    `fast`: judge about FAST_FPS frames per second, carrying each result to the frames
    between (the annotated video still has every frame). `split`: detect a video in
    segments on several processes (`posecheck.app.split`; not with `fast`), the same report
    to within the detector's own variation; a photo or a short clip is read as usual."""
    if fast and split is not None:
        raise ValueError("fast and split do not combine")
    with open_source(path) as source:
        check_outputs(outputs, source.is_image)
        builder = ReportBuilder(poses, str(path), source.is_image, source.fps)
        with _detector(source, model, split) as detector:
            sinks = _sinks(outputs, source, poses, builder)
            judging = Judging(Judge(poses, side=side, settle_s=0.0 if source.is_image else 0.5,
                                    ranges=ranges),
                              None if source.is_image else LandmarkSmoother())
            stages = StageTimes()
            if on_start:
                on_start(source)
            frames = source if source.is_image else prefetched(source)
            # split: the detection is done elsewhere; waiting for it here keeps Ctrl-C prompt
            ahead = 0 if source.is_image or isinstance(detector, SplitDetection) else DETECT_AHEAD
            try:
                run(frames, detector.detect, judging, sinks, stages, on_frame,
                    every=fast_every(source.fps) if fast else 1, ahead=ahead)
                builder.status = "done"
            except KeyboardInterrupt:
                builder.status = "interrupted"
                raise
            finally:
                if frames is not source:  # the decoding thread stops before the file closes
                    frames.close()
                if source.truncated:
                    builder.warnings.append(_truncated_note(source))
                builder.crowd = detector.crowd  # several people: the report says so
                _close_all(sinks, stages)
                if on_end and builder.status != "running":  # not after an error
                    on_end(builder.summary())
        return Analysis(builder.summary(), stages, source.truncated)


def _detector(source: FrameSource, model: str | None, split: Splitting | None
              ) -> Detector | SplitDetection:
    """The detector in this process, or for a video worth splitting, the split detection."""
    segments = plan(source, split) if split is not None else []
    if segments:
        return SplitDetection(source, model, segments, split)
    return Detector(model, mode="image" if source.is_image else "video")


def _close_all(sinks: list, stages: StageTimes) -> None:
    """Close every sink, even when one fails (a full disk under the video must not cost the
    report); the first failure is raised after all are closed."""
    failure: BaseException | None = None
    for sink in sinks:
        try:
            sink.close()
        except Exception as exc:  # raised below, once the others are closed
            failure = failure or exc
        for stage, seconds in getattr(sink, "busy_s", {}).items():
            stages.add(f"{stage} (writer thread)", seconds)
    if failure is not None:
        raise failure


def _sinks(outputs: Outputs, source: FrameSource, poses: list[PoseSpec],
           builder: ReportBuilder) -> list:
    sinks: list = []
    if outputs.video:
        if source.is_image and Path(outputs.video).suffix.lower() in PICTURE_EXTS:
            sinks.append(ImageSink(outputs.video))
        else:
            sinks.append(VideoSink(outputs.video, source.fps, (source.width, source.height)))
    if outputs.frames:
        sinks.append(CsvSink(outputs.frames, poses))
    sinks.append(ReportSink(builder, outputs.report))
    if outputs.html:
        from posecheck.report.html_page import (
            HtmlSink,  # matplotlib loads only when a page is asked for
        )

        sinks.append(HtmlSink(outputs.html, builder, poses, source.fps, source.is_image))
    return sinks


def _truncated_note(source: FrameSource) -> str:
    return (f"the video ended early: {source.frames_read} of {source.frame_count} frames "
            "decoded (truncated or corrupt file); results cover the decoded part")
