"""`posecheck batch`: many clips, a report each and one table, resumable, on local workers or
a Dask cluster that loses a worker mid-batch."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from clirun import invoke, one_line_error

from posecheck.app import batch
from posecheck.app.engine import DaskEngine

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def clips(folder: Path, names=("malasana-side-correct", "pigeon-right-side-back-knee-bent"),
          corrupt: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SAMPLES / f"{name}.mp4", folder / f"{name}.mp4")
    if corrupt:
        (folder / "corrupt.mp4").write_bytes((SAMPLES / "malasana-side-correct.mp4")
                                             .read_bytes()[:4000])
    return folder


def rows(out: Path) -> dict[str, dict]:
    with open(out / "summary.csv", newline="") as f:
        return {Path(r["file"]).stem: r for r in csv.DictReader(f)}


def test_a_batch_with_a_corrupt_clip_reports_the_rest_and_says_which_failed(tmp_path):
    folder, out = clips(tmp_path / "in"), tmp_path / "out"
    result = invoke("batch", folder, "--out", out, "--workers", 2, "--no-progress")
    assert result.exit_code == 1, result.output
    assert "2 of 3 clips analysed" in result.output
    assert "failed:" in result.output and "corrupt.mp4" in result.output
    table = rows(out)
    assert list(table) == ["corrupt", "malasana-side-correct", "pigeon-right-side-back-knee-bent"]
    assert table["corrupt"]["status"] == "error" and "moov" in table["corrupt"]["error"]
    assert table["malasana-side-correct"]["pose"] == "malasana"
    assert float(table["malasana-side-correct"]["correct_s"]) > 7.0
    bent = table["pigeon-right-side-back-knee-bent"]
    assert (bent["pose"], bent["side"], bent["faults"]) == ("pigeon", "right", "back-leg-long")
    reports = sorted(p.name for p in out.glob("[!.]*.json"))
    assert reports == ["malasana-side-correct.json", "pigeon-right-side-back-knee-bent.json"]
    assert json.loads((out / reports[0]).read_text())["status"] == "done"


def test_a_rerun_skips_what_is_done_and_redoes_what_changed(tmp_path):
    folder, out = clips(tmp_path / "in", corrupt=False), tmp_path / "out"
    assert invoke("batch", folder, "--out", out, "--workers", 1, "--no-progress").exit_code == 0
    report = out / "malasana-side-correct.json"
    first = report.stat().st_mtime_ns
    again = invoke("batch", folder, "--out", out, "--no-progress")
    assert again.exit_code == 0 and "(2 already done)" in again.output
    assert report.stat().st_mtime_ns == first and len(rows(out)) == 2
    os.utime(folder / "malasana-side-correct.mp4")  # the input changed
    third = invoke("batch", folder, "--out", out, "--workers", 1, "--html", "--no-progress")
    assert third.exit_code == 0 and "(0 already done)" not in third.output
    assert report.stat().st_mtime_ns > first
    assert (out / "malasana-side-correct.html").is_file()  # asked for now: both redone
    assert (out / "pigeon-right-side-back-knee-bent.html").is_file()


def test_folders_lists_and_clashing_names(tmp_path):
    a = clips(tmp_path / "a", names=("malasana-side-correct",), corrupt=False)
    b = clips(tmp_path / "b", names=("malasana-side-correct",), corrupt=False)
    listed = tmp_path / "clips.txt"
    listed.write_text(f"# two clips of the same name\n{a}/malasana-side-correct.mp4\n"
                      "b/malasana-side-correct.mp4\n")
    found = batch.find_clips([str(listed)])
    tasks = batch.plan(found, tmp_path / "out", False, False, "auto", None, None, False)
    assert [Path(t.report).name for t in tasks] == ["malasana-side-correct.json",
                                                    "malasana-side-correct-2.json"]
    nested = batch.plan(batch.find_clips([str(tmp_path)]), tmp_path / "o", False, False,
                        "auto", None, None, False)
    assert sorted(Path(t.report).relative_to(tmp_path / "o").as_posix() for t in nested) == \
        ["a/malasana-side-correct.json", "b/malasana-side-correct.json"]
    assert b.is_dir()
    inside = batch.plan(batch.find_clips([str(tmp_path)]), a / "out", False, True, "auto",
                        None, None, False)
    (a / "out").mkdir()
    (a / "out" / "malasana-side-correct.mp4").write_bytes(b"")  # a batch's annotated video
    again = batch.plan(batch.find_clips([str(tmp_path)]), a / "out", False, True, "auto",
                       None, None, False)
    assert [t.clip for t in again] == [t.clip for t in inside]  # not taken for a clip


@pytest.mark.parametrize("args, problem", [
    (("nowhere/", "--out", "{out}"), "nowhere/: no such file or folder"),
    (("{in}", "--out", "{out}", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"),
     "--workers and --scheduler: choose one"),
    (("{in}", "--out", "{out}", "--pose", "malasna"), "did you mean malasana?"),
    (("{in}", "--out", "{out}", "--scheduler", "tcp://127.0.0.1:9"),
     "cannot reach the Dask scheduler at tcp://127.0.0.1:9"),
])
def test_bad_input_is_one_line_before_any_work(tmp_path, args, problem):
    folder = clips(tmp_path / "in", names=(), corrupt=True)
    args = [str(a).replace("{in}", str(folder)).replace("{out}", str(tmp_path / "out"))
            for a in args]
    assert problem in one_line_error(invoke("batch", *args))


def test_a_dask_worker_killed_mid_clip_loses_nothing(tmp_path):
    """A cluster of two worker processes; one is killed while it analyses a clip. Dask runs
    that clip again on the other: every clip ends with exactly one complete report."""
    distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")
    names = ("malasana-side-correct", "pigeon-right-side-back-knee-bent",
             "happy-baby-side-correct", "figure-four-right-side-correct")
    folder, out = clips(tmp_path / "in", names=names, corrupt=False), tmp_path / "out"
    tasks = batch.plan(batch.find_clips([str(folder)]), out, False, False, "auto", None, None,
                       False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        client.wait_for_workers(2)
        killed = []

        def kill_one_busy_worker():
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not killed:
                busy = [w for w, keys in client.processing().items() if keys]
                if busy:
                    time.sleep(1.0)  # well into the clip
                    pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(busy[0])
                time.sleep(0.05)

        watcher = threading.Thread(target=kill_one_busy_worker)
        watcher.start()
        outcome = batch.run_batch(tasks, out, DaskEngine(client=client, retries=2))
        watcher.join()
    assert killed, "no worker was busy to kill"
    assert outcome.failed == 0 and len(outcome.rows) == len(names)
    reports = sorted(p.name for p in out.glob("[!.]*.json"))
    assert reports == sorted(f"{n}.json" for n in names)
    assert all(json.loads((out / r).read_text())["status"] == "done" for r in reports)
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != batch.STATE]


def test_ctrl_c_keeps_every_finished_clip_and_a_rerun_goes_on(tmp_path):
    import subprocess
    import sys

    names = ("malasana-side-correct", "pigeon-right-side-correct", "happy-baby-side-correct")
    folder, out = clips(tmp_path / "in", names=names, corrupt=False), tmp_path / "out"
    cmd = [sys.executable, "-m", "posecheck", "batch", str(folder), "--out", str(out),
           "--workers", "1", "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / "summary.csv").is_file() and len(rows(out)) >= 1:
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Interrupted" in err and "Traceback" not in err
    finished = rows(out)
    assert 1 <= len(finished) < 3 and all(r["status"] == "done" for r in finished.values())
    again = invoke("batch", folder, "--out", out, "--workers", 1, "--no-progress")
    assert again.exit_code == 0 and f"({len(finished)} already done)" in again.output
    assert len(rows(out)) == 3
