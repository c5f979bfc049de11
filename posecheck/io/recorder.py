"""The live session's recording: the pictures shown, written as a video in real time, and the
coach's spoken sentences as its sound track (`io.soundtrack`), added when it closes."""

from __future__ import annotations

import queue
import threading

import numpy as np

from posecheck.io import soundtrack
from posecheck.io.video import VideoWriter

RECORD_FPS = 15.0


class Recorder:
    """Writes the live pictures to a video on its own thread, at RECORD_FPS in real time
    (a picture is repeated until the next one is due), dropping pictures rather than
    slowing the session down."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.frames_written = 0
        self._queue: queue.Queue = queue.Queue(maxsize=8)
        self._thread = threading.Thread(target=self._run, name="posecheck-record", daemon=True)
        self._thread.start()
        self.error: BaseException | None = None
        self.sound_error = ""  # why the coaching could not be added as the sound track
        self._start: float | None = None  # the first picture's time: the video's 0
        self._sentences: list[tuple[float, np.ndarray, int]] = []

    def add_sound(self, t: float, samples: np.ndarray, rate: int) -> None:
        """A sentence said at session time t (any thread)."""
        self._sentences.append((t, samples, rate))

    def add(self, picture: np.ndarray, t: float) -> None:
        try:
            self._queue.put_nowait((picture, t))
        except queue.Full:
            pass

    def _run(self) -> None:
        writer, start, last = None, 0.0, None
        try:
            while (item := self._queue.get()) is not None:
                picture, t = item
                if writer is None:
                    writer = VideoWriter(self.path, RECORD_FPS, (picture.shape[1], picture.shape[0]))
                    start = self._start = t
                due = int((t - start) * RECORD_FPS) + 1 - writer.frames_written
                for _ in range(max(due, 1) if last is None else max(due, 0)):
                    writer.write(picture)
                last = picture
        except BaseException as exc:
            self.error = exc
        finally:
            if writer is not None:
                self.frames_written = writer.frames_written
                writer.close()

    def close(self) -> None:
        try:  # a writer that failed has stopped reading: do not wait on a full queue
            self._queue.put(None, timeout=10.0 if self._thread.is_alive() else 0.0)
        except queue.Full:
            pass
        self._thread.join(timeout=10.0)
        if self._sentences and self.frames_written and self.error is None:
            self._add_sound_track()

    def _add_sound_track(self) -> None:
        start = self._start or 0.0
        track = soundtrack.lay([(t - start, s, r) for t, s, r in self._sentences],
                               soundtrack.RATE, self.frames_written / RECORD_FPS)
        try:
            soundtrack.mux(self.path, track, soundtrack.RATE)
        except Exception as exc:  # av's errors have no common base: the silent video stays
            self.sound_error = f"the recording has no sound: the coaching could not be added ({exc})"
