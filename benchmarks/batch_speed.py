"""How fast does `posecheck batch` get through a clinic's clips? Clips per minute with one and
two local workers, the engine's overhead per clip (Dask against local processes), and what
10,000 clips would take on ten eight-core machines. In one run.

    pip install '.[cluster]' && python benchmarks/batch_speed.py [--clips 8]

The clips are bundled samples (about 12 s of 480x360 video each), copied into a temp folder.
Rows, each a fresh batch into its own output folder:
  1 local worker    the work in this process, one clip after another
  2 local workers   two worker processes (`--workers 2`)
  Dask, 2 workers   a dask.distributed LocalCluster of two worker processes
                    (`--scheduler`), started before the clock
The estimate divides the single-worker cost per clip by the cores, scaled by the two-worker
efficiency measured here (shared machines: compare rows of one run).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.app import batch
from posecheck.app.engine import DaskEngine, LocalEngine

SAMPLES = ROOT / "samples"


def timed(tasks_of, engine) -> tuple[float, int]:
    out, tasks = tasks_of()
    start = time.perf_counter()
    outcome = batch.run_batch(tasks, out, engine)
    return time.perf_counter() - start, outcome.failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=8, help="clips per batch (default 8)")
    args = parser.parse_args()
    names = sorted(SAMPLES.glob("*.mp4"))[: args.clips]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "clips"
        folder.mkdir()
        for clip in names:
            shutil.copy(clip, folder / clip.name)
        found = batch.find_clips([str(folder)])
        runs = iter(range(100))

        def tasks_of():
            out = Path(tmp) / f"out-{next(runs)}"
            return out, batch.plan(found, out, False, False, "auto", None, None, False)

        rows = [("1 local worker", *timed(tasks_of, LocalEngine(1))),
                ("2 local workers", *timed(tasks_of, LocalEngine(2)))]
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            print("(Dask row: pip install '.[cluster]')")
        else:
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                client.wait_for_workers(2)
                rows.append(("Dask, 2 workers", *timed(tasks_of, DaskEngine(client=client))))
    n = len(names)
    print(f"{n} clips (bundled samples, about 12 s of 480x360 video each)")
    print(f"{'engine':<18}{'wall s':>8}{'clips/min':>11}{'vs 1':>7}{'failed':>8}")
    single = rows[0][1]
    for name, wall, failed in rows:
        print(f"{name:<18}{wall:8.1f}{60 * n / wall:11.1f}{single / wall:7.2f}{failed:8d}")
    local2 = rows[1][1]
    if len(rows) > 2:
        print(f"Dask overhead per clip against local processes: "
              f"{(rows[2][1] - local2) / n * 1000:.0f} ms")
    per_clip = single / n
    efficiency = (single / local2) / 2
    cores, machines, clips = 8, 10, 10_000
    hours = clips * per_clip / (machines * cores * efficiency) / 3600
    print(f"estimate: {clips:,} such clips on {machines} machines of {cores} cores: "
          f"{hours:.2f} h ({per_clip:.2f} s per clip on one core, "
          f"{100 * efficiency:.0f}% efficiency per core as measured with 2 workers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
