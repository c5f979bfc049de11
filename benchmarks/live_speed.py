"""Can the live practice loop keep up with a 30 fps camera? Achieved fps and latency, in one run.

    python benchmarks/live_speed.py [--seconds 20] [--source CLIP]

A 640x480, 30 fps test video is made in a temp folder from CLIP (default: the bundled
samples/malasana-front-correct.mp4, 480x360 at 10 fps: upscaled, each frame repeated to reach
30 fps, played forwards then backwards as needed so the person stays in view). It is then
played as a camera would deliver it (`FileReader(realtime=True)` + `Grabber`, which keeps the
newest frame and drops stale ones) through the real live loop (`Detector` + `Session` with a
one-pose `live_plan`, countdown 0) with a display that shows nothing but notes when each
picture reached it. Rows:

  detector alone   decode + detect every frame, no pacing: the most the model can do here
  detector + mask  the same with the person's mask asked for too (`Detector(masks=True)`):
                   what a silhouette signal would cost
  live             the live loop as `posecheck live --source VIDEO --no-window` (mirror on)
  live + record    the same with `--record FILE` (a Recorder to a temp .mp4)
  live+voice+record  and with the voice on: its sentences found, written as WAV, handed to
                   a player (`true`: no sound card here) and laid on the recording's sound
  live, no mirror  the same with `--no-mirror`

Per live row: achieved fps (frames judged / wall time of the source), frames the grabber
dropped, and capture-to-display latency per frame: from when the grabber stamped the frame
(`Captured.t` on its clock) to when the display's show() was called with its picture. Below
the table, where the loop's time goes per frame (detect on its own thread; judge, compose,
show and the rest on the main one) and how long frames waited in the grabber before the loop
took them.

Machines here are shared and noisy: compare rows of one run (live fps against the detector
alone) rather than absolute figures across runs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import cv2
import numpy as np

import posecheck.app.live as live_module
from posecheck.app.live import Options, Session, live_plan
from posecheck.core.judge import Judge
from posecheck.core.plan import Step
from posecheck.core.poses import load_pose
from posecheck.io.capture import FileReader, Grabber
from posecheck.io.detector import Detector
from posecheck.io.recorder import Recorder
from posecheck.io.video import open_source
from posecheck.io.voice import Voice

DEFAULT_SOURCE = Path(__file__).resolve().parents[1] / "samples" / "malasana-front-correct.mp4"
POSE = "malasana"
SIZE = (640, 480)
FPS = 30.0


def make_video(source: str, out: Path, seconds: float, size: tuple[int, int] = SIZE,
               fit: Callable[[np.ndarray], np.ndarray] | None = None) -> int:
    """A `size`, FPS mp4v video of `seconds` from `source`, played forwards then backwards
    as needed, each frame repeated to reach FPS; returns its frame count. `fit` turns a
    source frame into a `size` picture (default: stretched to it)."""
    capture = cv2.VideoCapture(source)
    src_fps = capture.get(cv2.CAP_PROP_FPS) or FPS
    fit = fit or (lambda frame: cv2.resize(frame, size, interpolation=cv2.INTER_LINEAR))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(fit(frame))
    capture.release()
    if not frames:
        raise SystemExit(f"cannot read any frame from {source}")
    repeat = max(1, round(FPS / src_fps))
    cycle = frames + frames[-2:0:-1] if len(frames) > 2 else frames  # ping-pong, no jump
    total = round(seconds * FPS)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), FPS, size)
    written = 0
    while written < total:
        for frame in cycle:
            for _ in range(repeat):
                if written == total:
                    break
                writer.write(frame)
                written += 1
    writer.release()
    return written


def detector_alone(video: str, masks: bool = False) -> tuple[float, int, float]:
    """Decode and detect every frame as fast as possible: (fps, frames, mean detect ms)."""
    detect_s, n = 0.0, 0
    with open_source(video) as source, Detector(masks=masks) as detector:
        for frame, t in source:  # the first detection (graph warm-up) is left out
            if n == 0:
                detector.detect(frame, t)
                start = time.perf_counter()
                n = 1
                continue
            d0 = time.perf_counter()
            detector.detect(frame, t)
            detect_s += time.perf_counter() - d0
            n += 1
        wall = time.perf_counter() - start
    return (n - 1) / wall, n, 1000 * detect_s / max(n - 1, 1)


class Stopwatch:
    """Total seconds spent in wrapped calls, per stage."""

    def __init__(self) -> None:
        self.s: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def wrap(self, stage: str, fn):
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.s[stage] = self.s.get(stage, 0.0) + time.perf_counter() - t0
                self.calls[stage] = self.calls.get(stage, 0) + 1
        return timed


class TimingDisplay:
    """NoWindow that notes, for each newly captured frame, when its picture was shown."""

    def __init__(self, grabber: Grabber) -> None:
        self.grabber = grabber
        self.pending: tuple[float, float] | None = None  # (captured at, taken at), monotonic
        self.latency_ms: list[float] = []
        self.waited_ms: list[float] = []  # captured -> taken by the loop
        self.loop_ms: list[float] = []  # taken -> shown
        self.show_s = 0.0

    def frame_taken(self, captured) -> None:
        now = time.monotonic()
        # Grabber stamps frames t = clock() - _t0 (clock = time.monotonic) right after read().
        self.pending = (self.grabber._t0 + captured.t, now)

    def show(self, picture: np.ndarray) -> str | None:
        now = time.monotonic()
        if self.pending is not None:
            at, taken = self.pending
            self.latency_ms.append(1000 * (now - at))
            self.waited_ms.append(1000 * (taken - at))
            self.loop_ms.append(1000 * (now - taken))
            self.pending = None
        self.show_s += time.monotonic() - now
        return None

    def close(self) -> None:
        pass


@dataclass
class LiveRun:
    name: str
    fps: float
    frames: int
    captured: int
    dropped: int
    wall_s: float
    latency_ms: list[float]
    waited_ms: list[float]
    loop_ms: list[float]
    stages_ms: dict[str, float] = field(default_factory=dict)  # per judged frame
    status: str = ""
    said: int = 0  # sentences the voice said


def live_run(name: str, video: str, folder: Path, record: bool, mirror: bool,
             voice: bool = False) -> LiveRun:
    pose = load_pose(POSE)
    plan = live_plan(Step(pose.name, None), 0.0)
    watch = Stopwatch()

    def judge(step: Step) -> Judge:
        j = Judge([pose], side=step.side)
        j.update = watch.wrap("judge", j.update)
        return j

    options = Options(mirror=mirror, countdown_s=0.0, advance=False, source_name=video,
                      mode="live", hold_s=pose.hold_s)
    reader = FileReader(video, realtime=True)
    compose = live_module.compose
    live_module.compose = watch.wrap("compose", compose)  # Session calls live.compose
    try:
        with Detector(mode="video") as detector:
            detector.detect(np.zeros((SIZE[1], SIZE[0], 3), np.uint8), 0.0)  # warm-up, not timed
            recorder = Recorder(str(folder / f"{name.replace(' ', '-')}.mp4")) if record else None
            grabber = Grabber(reader)
            display = TimingDisplay(grabber)
            taken = grabber.next_frame

            def next_frame(timeout: float = 1.0):
                captured = taken(timeout)
                if captured is not None:
                    display.frame_taken(captured)
                return captured

            grabber.next_frame = next_frame
            # the voice's real work (find the audio, write its WAV, start a player, give the
            # recording its sound), with `true` as the player: there is no sound card here
            speaker = Voice(player="true", device=True,
                            sink=recorder.add_sound if recorder else None) if voice else None
            session = Session(grabber, watch.wrap("detect", detector.detect), plan, judge,
                              display, options, recorder, voice=speaker)
            session.frame = watch.wrap("frame", session.frame)  # the loop hands it each frame
            grabber.start()
            start = time.monotonic()
            try:
                summary = session.run()
            finally:
                wall = time.monotonic() - start
                grabber.stop()
                if recorder is not None:
                    recorder.close()
    finally:
        live_module.compose = compose
        reader.close()
    frames = summary.frames
    stages = {k: 1000 * v / max(frames, 1) for k, v in watch.s.items()}
    stages["show"] = 1000 * display.show_s / max(frames, 1)
    # the main thread's work on a frame: the loop's judging, then the session drawing it
    stages["frame"] = stages.get("frame", 0.0) + stages.get("judge", 0.0)
    return LiveRun(name, frames / wall, frames, grabber.captured, grabber.dropped, wall,
                   display.latency_ms, display.waited_ms, display.loop_ms, stages,
                   summary.status, len(summary.spoken or []))


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def busy(run: LiveRun, stage: str) -> float:
    """Percent of the wall time one thread spent on `stage` (100%: no headroom left). The
    loop runs on two threads: detection ("detect") and judging + drawing + showing ("frame")."""
    return 100 * run.stages_ms.get(stage, 0.0) * run.frames / 1000 / run.wall_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0,
                        help="length of the 30 fps test video (default 20)")
    parser.add_argument("--source", default=str(DEFAULT_SOURCE),
                        help="clip the test video is made from (default: the bundled "
                             "malasana-front-correct.mp4)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        video = folder / "live-640x480-30fps.mp4"
        n = make_video(args.source, video, args.seconds)
        det_fps, _, det_ms = detector_alone(str(video))
        mask_fps, _, mask_ms = detector_alone(str(video), masks=True)
        runs = [live_run("live", str(video), folder, record=False, mirror=True),
                live_run("live + record", str(video), folder, record=True, mirror=True),
                live_run("live+voice+record", str(video), folder, record=True, mirror=True,
                         voice=True),
                live_run("live, no mirror", str(video), folder, record=False, mirror=False)]

    print(f"source: {args.source} -> {SIZE[0]}x{SIZE[1]} at {FPS:g} fps, {n} frames "
          f"({n / FPS:.1f} s)")
    head = (f"{'stage / variant':<18}{'fps':>7}{'of 30':>7}{'of det':>8}{'dropped':>9}"
            f"{'lat mean':>10}{'median':>8}{'p95':>8}")
    print(head)
    print("-" * len(head))
    print(f"{'source':<18}{FPS:7.1f}{1.0:7.2f}{FPS / det_fps:8.2f}{'':>9}")
    print(f"{'detector alone':<18}{det_fps:7.1f}{det_fps / FPS:7.2f}{1.0:8.2f}{'':>9}"
          f"{'':>10}{'':>8}{'':>8}   ({det_ms:.1f} ms/detect)")
    print(f"{'detector + mask':<18}{mask_fps:7.1f}{mask_fps / FPS:7.2f}{mask_fps / det_fps:8.2f}"
          f"{'':>9}{'':>10}{'':>8}{'':>8}   ({mask_ms:.1f} ms/detect)")
    for r in runs:
        drop = 100 * r.dropped / max(r.captured, 1)
        lat = r.latency_ms
        print(f"{r.name:<18}{r.fps:7.1f}{r.fps / FPS:7.2f}{r.fps / det_fps:8.2f}{drop:8.1f}%"
              f"{statistics.fmean(lat):8.1f}ms{statistics.median(lat):6.1f}ms"
              f"{pct(lat, 95):6.1f}ms")
    print("\nlatency = frame captured -> its picture handed to the display; split into the wait "
          "in the grabber\nbefore the loop took it, and the loop's own work on it (mean / p95 ms). "
          "Loop time per judged frame:")
    names = ("judge", "compose", "show")
    print(f"{'variant':<18}{'waited':>14}{'loop':>14}{'detect':>9}{'busy':>6}"
          + "".join(f"{s:>9}" for s in names) + f"{'other':>8}{'frame':>8}{'busy':>6}")
    for r in runs:
        st = r.stages_ms
        other = st.get("frame", 0.0) - sum(st.get(s, 0.0) for s in names)
        print(f"{r.name:<18}{statistics.fmean(r.waited_ms):7.1f}/{pct(r.waited_ms, 95):5.1f}ms"
              f"{statistics.fmean(r.loop_ms):7.1f}/{pct(r.loop_ms, 95):5.1f}ms"
              f"{st.get('detect', 0.0):7.1f}ms{busy(r, 'detect'):5.0f}%"
              + "".join(f"{st.get(s, 0.0):7.1f}ms" for s in names)
              + f"{other:6.1f}ms{st.get('frame', 0.0):6.1f}ms{busy(r, 'frame'):5.0f}%")
    print(f"(detection runs on its own thread, one frame ahead of judging + drawing ('frame'); "
          f"busy = share of the\n"
          f"wall time each thread worked; the budget at {FPS:g} fps is "
          f"{1000 / FPS:.1f} ms a frame per thread)")
    for r in runs:
        if r.said:
            print(f"{r.name}: the voice said {r.said} sentences while it ran")
    worst = min(r.fps for r in runs)
    worst_drop = 100 * max(r.dropped / max(r.captured, 1) for r in runs)
    keeps = worst >= 0.95 * FPS and worst_drop <= 5.0
    print(f"\nverdict: the live loop {'keeps up' if keeps else 'does NOT keep up'} with a "
          f"{FPS:g} fps source ({worst:.1f} fps and {worst_drop:.1f}% of frames dropped at "
          f"worst, busiest thread {max(max(busy(r, 'detect'), busy(r, 'frame')) for r in runs):.0f}% "
          f"at worst; detector alone "
          f"{det_fps:.1f} fps)")


if __name__ == "__main__":
    main()
