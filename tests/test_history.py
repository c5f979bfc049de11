"""The history: schema and migrations, recording and reading, progress, exports, the plot,
two runs writing at once, and `posecheck history` as a user meets it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, timedelta, timezone
from pathlib import Path

import cv2
import numpy as np
import pytest
from clirun import invoke, one_line_error

from posecheck.report import history as h
from posecheck.report.progress import (
    Day,
    daily,
    format_progress,
    format_sessions,
    only_pose,
    to_csv,
    to_json,
    top_faults,
)
from posecheck.report.progress_plot import plot_progress
from posecheck.report.summary import AnalysisSummary, CheckSummary, PracticeSummary, StepSummary

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
UTC = timezone.utc


def analysis_summary(pose="malasana", status="done") -> AnalysisSummary:
    return AnalysisSummary(
        source="clip.mp4", status=status, kind="video", pose=pose,
        pose_title="Malasana" if pose else None, side=None, frames=900, person_found=True,
        person_frames=900, message="", warnings=[], poses_seen_s={pose: 20.0} if pose else {},
        sides_s={}, duration_s=30.0, in_pose_s=20.0, correct_s=12.5, correct_form_s=13.0,
        longest_hold_s=9.0, target_s=30.0, score=87, correct=True, by_side={},
        checks={"spine-upright": CheckSummary("fault", True, 16.0, 4.0, 0.0),
                "heels-down": CheckSummary("fault", False, 20.0, 0.0, 0.0),
                "palms-together": CheckSummary("tip", False, 17.0, 3.0, 0.0)})


def practice_summary(mode="routine", status="interrupted") -> PracticeSummary:
    return PracticeSummary(
        mode=mode, source="camera 0", status=status, started_at="2024-05-02T07:00:00+00:00",
        frames=900, dropped_frames=0, fps=30.0, cues_s={}, steps=[
            StepSummary("happy-baby", None, 30.0, correct_s=31.0, longest_hold_s=30.0,
                        outcome="completed", started_s=1.0, ended_s=40.0, faults_s={}),
            StepSummary("pigeon", "right", 30.0, correct_s=6.0, longest_hold_s=4.5,
                        outcome="stopped", started_s=1.0, ended_s=40.0,
                        faults_s={"back-leg-long": 7.5, "torso-supported": 0.0})])


def made_up_runs() -> list[h.Run]:
    """Three runs on two days, oldest first, as recorded."""
    return [
        h.from_analysis(analysis_summary(), "2024-05-01T09:00:00+00:00",
                        "2024-05-01T09:01:00+00:00"),
        h.from_practice(practice_summary(), "2024-05-02T07:10:00+00:00"),
        h.from_analysis(replace(analysis_summary(), correct_s=20.0, longest_hold_s=15.0,
                                score=93),
                        "2024-05-02T18:30:00+00:00", "2024-05-02T18:31:00+00:00"),
    ]


@pytest.fixture
def db(tmp_path) -> Path:
    """A history holding the made-up runs."""
    path = tmp_path / "history.sqlite3"
    for run in made_up_runs():
        h.save(run, path)
    return path


@pytest.fixture
def utc():
    """The machine's time zone set to UTC, for exact dates in the CLI's output."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


# --- schema and migrations ------------------------------------------------------------------

def test_a_new_history_has_the_current_schema_in_wal_mode(tmp_path):
    path = tmp_path / "sub" / "history.sqlite3"
    conn = h.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    columns = [r[1] for r in conn.execute("PRAGMA table_info(pose_results)")]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == h.VERSION == 2
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert tables == {"sessions", "pose_results", "faults"}
    assert columns[-1] == "outcome"
    conn.close()


@pytest.mark.parametrize("env, expected", [
    ({"POSECHECK_HISTORY": "/x/h.db", "XDG_DATA_HOME": "/data"}, "/x/h.db"),
    ({"XDG_DATA_HOME": "/data"}, "/data/posecheck/history.sqlite3"),
    ({}, str(Path.home() / ".local/share/posecheck/history.sqlite3")),
])
def test_where_the_history_is(env, expected):
    assert h.default_path(env) == Path(expected)


def test_a_v1_history_is_migrated_to_v2_keeping_its_rows(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    h.migrate(conn, path, target=1)
    conn.execute("INSERT INTO sessions VALUES (1, '2024-01-01T10:00:00+00:00', "
                 "'2024-01-01T10:05:00+00:00', 'live', 'camera 0', 'done', '{}')")
    conn.execute("INSERT INTO pose_results VALUES (1, 1, 'malasana', NULL, 20.0, 15.0, 30.0, "
                 "NULL)")
    conn.execute("INSERT INTO faults VALUES (1, 'spine-upright', 2.5)")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()

    conn = h.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert h.load(conn) == [h.Run("live", "2024-01-01T10:00:00+00:00",
                                  "2024-01-01T10:05:00+00:00", "camera 0", "done", {},
                                  (h.PoseResult("malasana", None, 20.0, 15.0, 30.0, None, None,
                                                {"spine-upright": 2.5}),), 1)]
    conn.close()


def test_a_history_from_a_newer_posecheck_is_refused_in_one_line(tmp_path):
    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 3")
    with pytest.raises(h.HistoryError) as caught:
        h.connect(path)
    assert str(caught.value) == (f"{path} was written by a newer posecheck (history version 3; "
                                 "this one reads up to 2): upgrade posecheck")


@pytest.mark.parametrize("content, why", [
    (b"this is not sqlite at all, just some text" * 50, "file is not a database"),
    (None, "it holds other tables"),
])
def test_other_files_are_not_a_history(tmp_path, content, why):
    path = tmp_path / "other.sqlite3"
    if content is None:
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE notes (text TEXT)")
    else:
        path.write_bytes(content)
    with pytest.raises(h.HistoryError) as caught:
        h.read(path)
    assert str(caught.value) == f"{path} is not a posecheck history database ({why})"


def test_a_history_that_cannot_be_created_is_a_history_error(tmp_path):
    (tmp_path / "file").write_text("")
    path = tmp_path / "file" / "h.sqlite3"
    with pytest.raises(h.HistoryError) as caught:
        h.save(made_up_runs()[0], path)
    assert str(caught.value) == f"cannot use the history {path}: {path.parent} is not a folder"


# --- summaries to runs ----------------------------------------------------------------------

def test_an_analysis_becomes_one_pose_result_with_its_failing_faults():
    run = h.from_analysis(analysis_summary(status="interrupted"), "T0", "T1")
    assert run == h.Run("analyze", "T0", "T1", "clip.mp4", "interrupted",
                        analysis_summary(status="interrupted").to_json(),
                        (h.PoseResult("malasana", None, 12.5, 9.0, 30.0, 87, None,
                                      {"spine-upright": 4.0}),))


def test_an_analysis_without_a_pose_has_no_pose_result():
    assert h.from_analysis(analysis_summary(pose=None), "T0", "T1").results == ()


def test_a_routine_becomes_one_pose_result_per_step():
    run = h.from_practice(practice_summary(status="camera lost"), "T1")
    assert (run.kind, run.started_at, run.ended_at, run.status) == (
        "routine", "2024-05-02T07:00:00+00:00", "T1", "camera lost")
    assert run.results == (
        h.PoseResult("happy-baby", None, 31.0, 30.0, 30.0, None, "completed", {}),
        h.PoseResult("pigeon", "right", 6.0, 4.5, 30.0, None, "stopped",
                     {"back-leg-long": 7.5}))


def auto_session(pose: str | None, side: str | None = None) -> PracticeSummary:
    """A live session with --pose auto, its step named by the pose it saw (None: none)."""
    seen = {pose: 9.1} if pose else {}
    return PracticeSummary(
        mode="live", source="camera 0", status="done", started_at="2024-05-03T07:00:00+00:00",
        frames=300, dropped_frames=0, fps=30.0, cues_s={}, steps=[
            StepSummary(pose, side, None, correct_s=8.1 if pose else 0.0,
                        longest_hold_s=8.1 if pose else 0.0, outcome="target not reached",
                        started_s=1.0, ended_s=11.7, faults_s={}, poses_seen_s=seen)])


def test_an_auto_session_is_recorded_under_the_pose_it_saw(tmp_path):
    path = tmp_path / "h.sqlite3"
    saw = h.from_practice(auto_session("pigeon", "right"), "2024-05-03T07:10:00+00:00")
    assert saw.results == (h.PoseResult("pigeon", "right", 8.1, 8.1, None, None,
                                        "target not reached", {}),)
    nothing = h.from_practice(auto_session(None), "2024-05-03T07:20:00+00:00")
    assert nothing.results == ()  # no pose seen: no pose result (never a pose "auto")
    first, second = h.save(saw, path), h.save(nothing, path)
    assert [r.id for r in h.read(path, pose="pigeon")] == [first]
    assert h.read(path, pose="auto") == []
    assert [r.id for r in h.read(path)] == [second, first]


def test_a_practice_step_is_recorded_with_its_form_score(tmp_path):
    step = replace(auto_session("malasana").steps[0], score=88)
    run = h.from_practice(replace(auto_session("malasana"), steps=[step]), "T1")
    assert run.results[0].score == 88
    h.save(run, tmp_path / "h.sqlite3")
    [back] = h.read(tmp_path / "h.sqlite3")
    assert back.results[0].score == 88
    assert format_sessions([back]).splitlines()[1].split()[4:7] == ["8.1", "s", "88"]


def test_stored_summaries_read_back_typed(db):
    def typed(r: h.Run):
        return (AnalysisSummary if r.kind == "analyze" else PracticeSummary).from_json(r.summary)

    assert [typed(r) for r in h.read(db)] == [
        replace(analysis_summary(), correct_s=20.0, longest_hold_s=15.0, score=93),
        practice_summary(), analysis_summary()]


# --- recording and reading ------------------------------------------------------------------

def test_runs_read_back_newest_first_with_ids(db):
    runs = made_up_runs()
    assert h.read(db) == [replace(runs[i], id=i + 1) for i in (2, 1, 0)]


def test_read_by_pose_and_limit(db):
    assert [r.id for r in h.read(db, pose="pigeon")] == [2]
    assert [r.id for r in h.read(db, pose="malasana", limit=1)] == [3]
    assert h.read(db, pose="figure-four") == []


def test_a_missing_history_reads_as_empty_and_is_not_created(tmp_path):
    assert h.read(tmp_path / "none.sqlite3") == []
    assert not (tmp_path / "none.sqlite3").exists()


def test_a_failed_recording_leaves_nothing_half_written(db):
    broken = h.Run("live", "2024-05-03T08:00:00+00:00", "x", "camera 0", "done", {},
                   (h.PoseResult("malasana", None, 1.0, 1.0, faults={"a": 1.0}),
                    h.PoseResult("malasana", None, 1.0, 1.0, faults={"b": ["not a number"]})))
    conn = h.connect(db)
    with pytest.raises(sqlite3.Error):  # on the last insert
        h.record(conn, broken)
    assert [r.id for r in h.load(conn)] == [3, 2, 1]
    assert conn.execute("SELECT count(*) FROM pose_results").fetchone()[0] == 4
    assert conn.execute("SELECT count(*) FROM faults").fetchone()[0] == 3
    conn.close()


# --- progress, list and exports (pure) ------------------------------------------------------

def test_correct_hold_per_day_and_top_faults():
    runs = made_up_runs()
    assert daily(runs, "malasana", UTC) == [Day(date(2024, 5, 1), 12.5, 9.0, 1),
                                            Day(date(2024, 5, 2), 20.0, 15.0, 1)]
    assert top_faults(runs, "malasana") == [("spine-upright", 8.0)]
    assert top_faults(runs, "pigeon") == [("back-leg-long", 7.5)]


def test_days_are_local_days():
    late = h.from_analysis(analysis_summary(), "2024-05-01T23:30:00+00:00", "x")
    assert daily([late], "malasana", timezone(timedelta(hours=2)))[0].day == date(2024, 5, 2)


def test_the_session_list():
    runs = [replace(r, id=i + 1) for i, r in enumerate(made_up_runs())]
    assert format_sessions(runs[::-1], UTC) == "\n".join([
        "  id  started           kind     correct hold  score  status       poses",
        "   3  2024-05-02 18:30  analyze        20.0 s     93  done         malasana",
        "   2  2024-05-02 07:00  routine        37.0 s      -  interrupted  happy-baby, pigeon",
        "   1  2024-05-01 09:00  analyze        12.5 s     87  done         malasana",
    ])


def test_a_pose_progress_with_its_cues():
    runs = made_up_runs()
    text = format_progress("Malasana", daily(runs, "malasana", UTC), top_faults(runs, "malasana"),
                           {"spine-upright": "Lift your chest"})
    assert text == "\n".join([
        "Malasana: 2 sessions on 2 days, best unbroken hold 15.0 s",
        "  day         correct hold  best hold  sessions",
        "  2024-05-01        12.5 s      9.0 s         1",
        "  2024-05-02        20.0 s     15.0 s         1",
        "Most frequent faults (total time in the fault):",
        '  spine-upright      8.0 s  "Lift your chest"',
    ])


def test_csv_export_has_one_row_per_pose():
    runs = [replace(r, id=i + 1) for i, r in enumerate(made_up_runs())]
    assert to_csv(runs[1:2]) == (
        "session_id,started_at,ended_at,kind,source,status,pose,side,correct_hold_s,"
        "longest_hold_s,target_s,score,outcome,faults\n"
        "2,2024-05-02T07:00:00+00:00,2024-05-02T07:10:00+00:00,routine,camera 0,interrupted,"
        "happy-baby,,31.0,30.0,30.0,,completed,\n"
        "2,2024-05-02T07:00:00+00:00,2024-05-02T07:10:00+00:00,routine,camera 0,interrupted,"
        "pigeon,right,6.0,4.5,30.0,,stopped,back-leg-long=7.5\n")


def test_json_export_of_one_pose_keeps_only_that_pose():
    runs = only_pose(made_up_runs(), "pigeon")
    data = json.loads(to_json(runs))
    assert [(d["kind"], [p["pose"] for p in d["results"]]) for d in data] == [
        ("routine", ["pigeon"])]
    assert list(data[0]) == ["id", "kind", "started_at", "ended_at", "source", "status",
                             "results", "summary"]
    assert data[0]["summary"] == practice_summary().to_json()


def test_the_plot_is_a_png(tmp_path):
    path = tmp_path / "p.png"
    plot_progress(made_up_runs(), path, {"malasana": "Malasana"}, UTC)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- two runs recording at once -------------------------------------------------------------

WRITER = """
import sys
from posecheck.report.history import Run, PoseResult, save
path, tag = sys.argv[1], sys.argv[2]
print("ready", flush=True)
sys.stdin.readline()
for i in range(50):
    save(Run("live", f"2024-05-01T10:{i:02d}:00+00:00", "x", f"{tag}-{i}", "done", {"i": i},
             (PoseResult("malasana", None, float(i), 1.0, faults={"spine-upright": 1.0}),)),
         path)
"""


def test_two_writers_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shared.sqlite3"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
               for tag in ("a", "b")]
    for w in writers:  # both started and waiting (neither has created the database yet)
        assert w.stdout.readline() == "ready\n"
    for w in writers:
        w.stdin.write("go\n")
        w.stdin.flush()
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    runs = h.read(path)
    assert sorted(r.source for r in runs) == sorted(f"{t}-{i}" for t in "ab" for i in range(50))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM faults").fetchone()[0] == 100


# --- posecheck history ----------------------------------------------------------------------

def test_an_empty_history_says_so(tmp_path):
    result = invoke("history", "--db", tmp_path / "none.sqlite3")
    assert (result.exit_code, result.output) == (
        0, "No sessions in the history yet: live, routine and analyze record theirs.\n")


def test_history_lists_the_sessions_newest_first(db, utc):
    result = invoke("history", "--db", db, "--limit", 2)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "  id  started           kind     correct hold  score  status       poses",
        "   3  2024-05-02 18:30  analyze        20.0 s     93  done         malasana",
        "   2  2024-05-02 07:00  routine        37.0 s      -  interrupted  happy-baby, pigeon",
    ]


def test_history_uses_posecheck_history_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("POSECHECK_HISTORY", str(db))
    assert len(invoke("history").output.splitlines()) == 4


def test_history_of_a_pose_gives_progress_and_cues_from_the_pose_file(db, utc):
    result = invoke("history", "--db", db, "--pose", "pigeon")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Pigeon: 1 session on 1 day, best unbroken hold 4.5 s",
        "  day         correct hold  best hold  sessions",
        "  2024-05-02         6.0 s      4.5 s         1",
        "Most frequent faults (total time in the fault):",
        '  Back leg long behind you      7.5 s  "Straighten your leg behind you"',
    ]


def test_history_of_a_pose_never_recorded(db):
    result = invoke("history", "--db", db, "--pose", "figure-four")
    assert (result.exit_code, result.output) == (
        0, "No sessions of figure-four in the history yet.\n")


def test_history_plot(db, tmp_path):
    result = invoke("history", "--db", db, "--plot", tmp_path / "p.png")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"Plot saved: {tmp_path / 'p.png'}"
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"


def test_history_export_csv_to_stdout_and_json_to_a_file(db, tmp_path):
    csv_out = invoke("history", "--db", db, "--export", "csv")
    assert csv_out.exit_code == 0
    assert csv_out.output == to_csv(h.read(db))
    result = invoke("history", "--db", db, "--export", "json", "--output", tmp_path / "h.json")
    assert result.output == f"Exported 3 sessions to {tmp_path / 'h.json'}\n"
    assert [d["id"] for d in json.loads((tmp_path / "h.json").read_text())] == [3, 2, 1]


@pytest.mark.parametrize("args, expected", [
    (["--export", "xml"], "Error: --export must be csv or json, not 'xml'"),
    (["--output", "x.csv"], "Error: --output needs --export csv or json"),
    (["--plot", "p.pdf"], "Error: --plot needs a .png file name, not p.pdf"),
    (["--plot", "/no/such/folder/p.png"],
     "Error: cannot write /no/such/folder/p.png: folder /no/such/folder does not exist "
     "(choose another path)"),
])
def test_history_bad_options_are_one_line(db, args, expected):
    assert one_line_error(invoke("history", "--db", db, *args)) == expected


def test_history_of_a_corrupt_file_is_one_line(tmp_path):
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"\x00garbage" * 200)
    assert one_line_error(invoke("history", "--db", path)) == (
        f"Error: {path} is not a posecheck history database (file is not a database)")


def test_history_from_a_newer_posecheck_is_one_line(tmp_path):
    path = tmp_path / "h.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 7")
    assert one_line_error(invoke("history", "--db", path)) == (
        f"Error: {path} was written by a newer posecheck (history version 7; this one reads "
        "up to 2): upgrade posecheck")


# --- runs record themselves -----------------------------------------------------------------

def blank_photo(tmp_path) -> Path:
    path = tmp_path / "empty.png"
    cv2.imwrite(str(path), np.full((120, 160, 3), 90, np.uint8))
    return path


def test_analyze_records_the_run_unless_no_history(tmp_path):
    photo = blank_photo(tmp_path)
    assert invoke("analyze", photo, "--pose", "malasana", "--no-history").exit_code == 0
    assert h.read(h.default_path()) == []
    assert invoke("analyze", photo, "--pose", "malasana").exit_code == 0
    [run] = h.read(h.default_path())
    assert (run.kind, run.source, run.status, run.results[0].pose) == (
        "analyze", str(photo), "done", "malasana")


def test_an_interrupted_analysis_is_recorded_as_interrupted(tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr("posecheck.app.analyze.run", interrupted)
    result = invoke("analyze", blank_photo(tmp_path), "--pose", "malasana")
    assert result.exit_code == 130
    assert [r.status for r in h.read(h.default_path())] == ["interrupted"]


def locked(path: Path, monkeypatch):
    """Another run holds the write lock for longer than the (shortened) busy timeout; the
    lock lasts as long as the returned connection is kept."""
    monkeypatch.setattr(h, "BUSY_TIMEOUT_S", 0.2)
    conn = h.connect(path)
    conn.execute("BEGIN IMMEDIATE")
    return conn


@pytest.mark.parametrize("problem, reason", [
    ("folder is a file", "cannot use the history {path}: {path.parent} is not a folder"),
    ("corrupt", "{path} is not a posecheck history database (file is not a database)"),
    ("locked", "cannot use the history {path}: database is locked"),
])
def test_a_history_that_cannot_be_written_warns_and_the_run_goes_on(tmp_path, monkeypatch,
                                                                     problem, reason):
    path, holder = tmp_path / "h.sqlite3", None
    if problem == "folder is a file":
        (tmp_path / "file").write_text("")
        path = tmp_path / "file" / "h.sqlite3"
    elif problem == "corrupt":
        path.write_bytes(b"\x00garbage" * 200)
    else:
        holder = locked(path, monkeypatch)
    monkeypatch.setenv("POSECHECK_HISTORY", str(path))
    result = invoke("analyze", blank_photo(tmp_path), "--pose", "malasana")
    if holder is not None:
        holder.close()
    assert result.exit_code == 0, result.output
    assert "Malasana - " in result.output
    assert [ln for ln in result.output.splitlines() if ln.startswith("warning:")] == [
        "warning: this run was not added to the history: " + reason.format(path=path)]


def test_live_records_its_session(tmp_path):
    result = invoke("live", "--pose", "malasana", "--source",
                    SAMPLES / "malasana-front-correct.mp4", "--no-window", "--every-frame",
                    "--countdown", 1, "--no-sound", "--report", tmp_path / "s.json")
    assert result.exit_code == 0, result.output
    [run] = h.read(h.default_path())
    summary = json.loads((tmp_path / "s.json").read_text())
    assert (run.kind, run.status, run.summary) == ("live", "done", summary)
    assert run.results[0].correct_hold_s == summary["steps"][0]["held_s"] > 0


def test_a_live_auto_session_is_in_the_history_of_the_pose_it_saw(tmp_path, utc):
    result = invoke("live", "--pose", "auto", "--source",
                    SAMPLES / "pigeon-right-side-correct.mp4", "--no-window", "--every-frame",
                    "--countdown", 1, "--no-sound", "--report", tmp_path / "s.json")
    assert result.exit_code == 0, result.output
    assert "  Pigeon (right)           held " in result.output
    [run] = h.read(h.default_path(), pose="pigeon")
    [step] = PracticeSummary.from_json(run.summary).steps
    assert (step.pose, step.side) == ("pigeon", "right") and step.poses_seen_s["pigeon"] > 5
    assert run.results[0].pose == "pigeon" and run.results[0].correct_hold_s == step.correct_s
    assert (run.results[0].side, run.results[0].target_s) == ("right", 30)
    assert 0 < run.results[0].score == step.score <= 100  # scored as analyze scores
    assert f"held {step.correct_s:5.1f} s of 30 s  score {step.score}  " in result.output
    listed = invoke("history", "--pose", "pigeon")
    assert listed.exit_code == 0, listed.output
    assert listed.output.startswith("Pigeon: 1 session on 1 day, best unbroken hold ")
    row = invoke("history").output.splitlines()[1]
    assert row.split()[6:] == [str(step.score), "done", "pigeon", "(right)"]


def test_analyze_a_sample_then_history_shows_it():
    clip = SAMPLES / "malasana-front-correct.mp4"
    analysed = invoke("analyze", clip, "--no-progress")
    assert analysed.exit_code == 0, analysed.output
    listed = invoke("history")
    [run] = h.read(h.default_path())
    assert (run.kind, run.status, run.source, run.results[0].pose) == (
        "analyze", "done", str(clip), "malasana")
    assert run.results[0].correct_hold_s > 0
    assert (listed.exit_code, listed.output) == (0, format_sessions([run]) + "\n")
