"""Where many clips are analysed: local worker processes, or a Dask cluster.

Both engines take a top-level function and its tasks, and yield (task, result) as each one
finishes, in any order. The function must catch its own errors (a clip that cannot be read
is a result, not an exception): what reaches the caller as an exception is the engine
failing (a local worker killed, a cluster that lost a task more often than it allows).

- `LocalEngine(workers)`: a process pool on this machine. Worker processes live for the
  whole run, so mediapipe and the pose model are loaded once per worker, not per clip.
- `DaskEngine(address)`: the same work on a `dask.distributed` cluster (the optional extra
  `pip install 'posecheck[cluster]'`). A task is a few paths and options; the model is
  read by the worker from its own installed package, once per worker process. A worker
  that dies mid-clip has its clip run again on another (dask's own rescheduling, up to
  `retries` more times); outputs are written atomically, so a rerun replaces, never
  duplicates.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Callable, Iterable, Iterator

INSTALL_HINT = "pip install 'posecheck[cluster]'"


class EngineError(RuntimeError):
    """The engine could not run the work (no cluster at the address, dask missing)."""


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers at once (shutdown() would wait for the work running): Python
    3.14's terminate_workers(), else each process by its handle."""
    if hasattr(pool, "terminate_workers"):
        pool.terminate_workers()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


class LocalEngine:
    """Worker processes on this machine (`workers` of them; 1 runs in this process)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.name = f"{workers} local worker{'s' * (workers != 1)}"

    def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        tasks = list(tasks)
        if self.workers <= 1:
            for task in tasks:
                yield task, fn(task)
            return
        # Ctrl-C is the parent's to handle: the workers ignore it, and leaving the run early
        # stops them at once (a clip cut short leaves no report marked done).
        pool = ProcessPoolExecutor(min(self.workers, max(1, len(tasks))),
                                   initializer=_ignore_ctrl_c)
        try:
            pending = {pool.submit(fn, task): task for task in tasks}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield pending.pop(future), future.result()
        except BaseException:
            stop_pool(pool)
            raise
        pool.shutdown(wait=True)

    def close(self) -> None:
        """Nothing held between runs."""


class DaskEngine:
    """A `dask.distributed` scheduler at `address` (tcp://host:8786), or a `client` given."""

    def __init__(self, address: str | None = None, client: Any = None, retries: int = 2) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise EngineError(f"--scheduler needs dask.distributed: {INSTALL_HINT}") from None
        if client is None:
            try:
                client = Client(address, timeout="5s")
            except (OSError, TimeoutError) as exc:
                raise EngineError(f"cannot reach the Dask scheduler at {address} ({exc}): "
                                  "start it with `dask scheduler`, or check the address") \
                    from None
        self.client, self.retries, self._own = client, retries, address is not None
        workers = len(client.scheduler_info().get("workers", {}))
        self.name = f"Dask at {client.scheduler.address} ({workers} workers)"

    def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        from distributed import as_completed

        futures = {}
        for task in tasks:
            future = self.client.submit(fn, task, pure=False, retries=self.retries)
            futures[future.key] = (future, task)
        try:
            for future in as_completed([f for f, _ in futures.values()]):
                yield futures[future.key][1], future.result()
        finally:
            self.client.cancel([f for f, _ in futures.values()])

    def close(self) -> None:
        if self._own:
            self.client.close()


def engine_for(workers: int | None, scheduler: str | None) -> LocalEngine | DaskEngine:
    """`--scheduler ADDRESS` picks Dask; else `--workers N` local processes (default: one
    per core)."""
    if scheduler:
        return DaskEngine(scheduler)
    return LocalEngine(workers or default_workers())
