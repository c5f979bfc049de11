"""Work on a second thread, so `analyze` keeps the detector busy: frames decoded ahead
(`prefetched`) and the annotated video drawn and encoded behind (`Worker`).

Both keep order and drop nothing; their queues are bounded, so memory stays a few frames.
An error on the worker thread is raised on the caller's thread at the next call or at
`close()`.
"""

from __future__ import annotations

import queue
import threading
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")

_END = object()


class Worker:
    """Calls `fn(item)` for each `put(item)`, in order, on its own thread."""

    def __init__(self, fn: Callable[[object], None], name: str, maxsize: int = 8) -> None:
        self._fn = fn
        self._queue: queue.Queue = queue.Queue(maxsize=maxsize)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def put(self, item: object) -> None:
        self._raise()
        while self._thread.is_alive():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        self._raise()

    def _run(self) -> None:
        while (item := self._queue.get()) is not _END:
            if self._error is None:
                try:
                    self._fn(item)
                except BaseException as exc:  # handed to the caller's thread
                    self._error = exc

    def close(self) -> None:
        """Waits for the queued items to be done; raises the worker's error, if any."""
        if self._thread.is_alive():
            self._queue.put(_END)
            self._thread.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error


def prefetched(items: Iterable[T], name: str = "posecheck-decode", ahead: int = 4) -> Iterator[T]:
    """The items of `items`, produced `ahead` at most in advance on another thread.
    Closing the generator (`close()`, or `contextlib.closing`) stops the producer and waits
    for it: leaving a loop over it, by `break` or an exception, does not close it while
    anything (a traceback, say) still refers to it, and until then the producer may still be
    reading from `items`."""
    out: queue.Queue = queue.Queue(maxsize=ahead)
    stop = threading.Event()
    failure: list[BaseException] = []

    def offer(item: object) -> bool:
        """Put `item` once there is room; False if the consumer stopped first."""
        while not stop.is_set():
            try:
                out.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
        except BaseException as exc:  # handed to the consumer
            failure.append(exc)
        finally:
            offer(_END)

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while (item := out.get()) is not _END:
            yield item
        if failure:
            raise failure[0]
    finally:
        stop.set()
        thread.join()
