"""The decode-ahead and write-behind threads of `analyze`: order kept, nothing dropped,
errors raised on the caller's thread, and an early stop leaves no thread behind."""

from __future__ import annotations

import threading
import time

import pytest

from posecheck.io.background import Worker, prefetched


def test_worker_does_every_item_in_order():
    done = []
    worker = Worker(done.append, name="t", maxsize=2)
    for i in range(50):
        worker.put(i)
    worker.close()
    assert done == list(range(50))


def test_worker_error_is_raised_on_the_callers_thread():
    def fail_on_3(i):
        if i == 3:
            raise OSError(28, "No space left on device")

    worker = Worker(fail_on_3, name="t", maxsize=2)
    with pytest.raises(OSError, match="No space left"):
        for i in range(100):
            worker.put(i)
        worker.close()


def test_prefetched_keeps_order_and_runs_ahead_on_another_thread():
    threads = set()

    def items():
        for i in range(20):
            threads.add(threading.current_thread().name)
            yield i

    assert list(prefetched(items(), name="ahead")) == list(range(20))
    assert threads == {"ahead"}


def test_prefetched_error_reaches_the_consumer_after_the_items_before_it():
    def items():
        yield 1
        yield 2
        raise ValueError("corrupt frame")

    got = []
    with pytest.raises(ValueError, match="corrupt frame"):
        for item in prefetched(items()):
            got.append(item)
    assert got == [1, 2]


def test_leaving_early_stops_the_producer():
    produced = []

    def endless():
        i = 0
        while True:
            produced.append(i)
            yield i
            i += 1

    for item in prefetched(endless(), name="endless", ahead=3):
        if item == 5:
            break
    time.sleep(0.3)
    count = len(produced)
    time.sleep(0.3)
    assert len(produced) == count <= 5 + 3 + 2
    assert "endless" not in {t.name for t in threading.enumerate()}
