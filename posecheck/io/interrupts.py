"""Ctrl-C between frames, never in the middle of one.

A frame goes to several outputs (the per-frame CSV, the report, the video). If Ctrl-C
landed between two of them, the CSV would hold a frame the report does not count.
`held_interrupt` keeps SIGINT waiting while a frame is handed out, then delivers it.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def held_interrupt() -> Iterator[None]:
    """Run the block with SIGINT held; one that arrived meanwhile is delivered on leaving
    (to whatever handler was there before: usually KeyboardInterrupt). Off the main thread,
    where Python cannot change signal handlers, or under a handler installed outside Python,
    the block runs as it is."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is None):  # a handler Python cannot put back
        yield
        return
    pending: list[int] = []
    before = signal.signal(signal.SIGINT, lambda signum, _frame: pending.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
        if pending:
            signal.raise_signal(signal.SIGINT)
