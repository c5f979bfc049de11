"""The live session's recording: the pictures shown, written as a video in real time."""

from __future__ import annotations

import queue
import threading

import numpy as np

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
                    start = t
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
