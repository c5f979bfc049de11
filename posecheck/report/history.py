"""The history: every live, routine and analyze run's summary in a local SQLite database.

The database is `$POSECHECK_HISTORY`, else `$XDG_DATA_HOME/posecheck/history.sqlite3`
(default `~/.local/share/posecheck/history.sqlite3`). Runs going on at the same time may
record at once: the journal is WAL, a writer waits up to `BUSY_TIMEOUT_S` for another, and
each run is recorded in one transaction. The schema version is SQLite's `user_version`;
`MIGRATIONS` raise it one step at a time, each step in its own transaction.

`Run` and `PoseResult` are what one run recorded; `from_practice` and `from_analysis` make
them from the summaries of live/routine and of analyze (posecheck.report.summary); a run's
summary is stored as its JSON (`from_json` of its class reads it back typed). Every
failure to open, read or write the database is a `HistoryError` with a one-line message.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from posecheck.report.summary import AnalysisSummary, PracticeSummary

BUSY_TIMEOUT_S = 10.0
FILE_NAME = "history.sqlite3"

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # v1: the sessions, each pose (or routine step) judged in them, time in each fault
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,  -- UTC, ISO 8601
            ended_at TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('live', 'routine', 'analyze')),
            source TEXT NOT NULL,
            status TEXT NOT NULL,
            summary TEXT NOT NULL  -- the run's JSON summary, as printed and saved
        )""",
        """CREATE TABLE pose_results (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            pose TEXT NOT NULL,
            side TEXT,
            correct_hold_s REAL NOT NULL,
            longest_hold_s REAL NOT NULL,
            target_s REAL,
            score INTEGER  -- analyze only
        )""",
        """CREATE TABLE faults (
            result_id INTEGER NOT NULL REFERENCES pose_results(id) ON DELETE CASCADE,
            check_id TEXT NOT NULL,
            seconds REAL NOT NULL
        )""",
    ),
    (  # v2: each routine step's outcome; indexes for listing by date and progress by pose
        "ALTER TABLE pose_results ADD COLUMN outcome TEXT",
        "CREATE INDEX sessions_by_start ON sessions(started_at)",
        "CREATE INDEX results_by_pose ON pose_results(pose, session_id)",
        "CREATE INDEX faults_by_result ON faults(result_id)",
    ),
)
VERSION = len(MIGRATIONS)


class HistoryError(Exception):
    """The history cannot be opened, read or written (a one-line message)."""


@dataclass(frozen=True)
class PoseResult:
    """One pose judged in a run (a routine has one per step)."""

    pose: str
    side: str | None
    correct_hold_s: float
    longest_hold_s: float
    target_s: float | None = None
    score: int | None = None  # the form score; None when the pose was never held
    outcome: str | None = None
    faults: dict[str, float] = field(default_factory=dict)  # check id -> seconds failing


@dataclass(frozen=True)
class Run:
    """One recorded run: `kind` live, routine or analyze; times are UTC ISO 8601; `summary`
    the run's summary as JSON (a dict)."""

    kind: str
    started_at: str
    ended_at: str
    source: str
    status: str
    summary: dict
    results: tuple[PoseResult, ...] = ()
    id: int | None = None


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_path(env: Mapping[str, str] = os.environ) -> Path:
    """$POSECHECK_HISTORY, else the history file in the user's data folder."""
    if env.get("POSECHECK_HISTORY"):
        return Path(env["POSECHECK_HISTORY"])
    base = env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "posecheck" / FILE_NAME


# -- summaries to runs (pure) ---------------------------------------------------------------

def from_practice(summary: PracticeSummary, ended_at: str) -> Run:
    """A live session or routine, from its summary (posecheck.app.live.Session.summary):
    each step as the pose (and side) practised, with its form score. A step with no pose
    (an auto live session that recognised none) records no result."""
    results = tuple(
        PoseResult(s.pose, s.side, s.correct_s, s.longest_hold_s, s.target_s, s.score,
                   outcome=s.outcome, faults={k: v for k, v in s.faults_s.items() if v > 0})
        for s in summary.steps if s.pose is not None)
    return Run(summary.mode, summary.started_at, ended_at, summary.source, summary.status,
               summary.to_json(), results)


def from_analysis(summary: AnalysisSummary, started_at: str, ended_at: str) -> Run:
    """An analysis, from its summary (posecheck.report.builder.ReportBuilder.summary)."""
    results: tuple[PoseResult, ...] = ()
    if summary.pose:
        faults = {cid: c.fail_s for cid, c in summary.checks.items()
                  if c.kind == "fault" and c.fail_s > 0}
        results = (PoseResult(summary.pose, summary.side, summary.correct_s,
                              summary.longest_hold_s, summary.target_s, summary.score,
                              faults=faults),)
    return Run("analyze", started_at, ended_at, summary.source, summary.status,
               summary.to_json(), results)


# -- the database -----------------------------------------------------------------------------

def save(run: Run, path: str | Path | None = None) -> int:
    """Record one run in the history at `path` (default: `default_path()`); its id."""
    path = Path(path) if path else default_path()
    with closing(connect(path)) as conn, _translated(path):
        return record(conn, run)


def read(path: str | Path, pose: str | None = None, limit: int | None = None) -> list[Run]:
    """The runs recorded at `path` (none when it does not exist yet), newest first."""
    path = Path(path)
    if not path.exists():
        return []
    with closing(connect(path)) as conn, _translated(path):
        return load(conn, pose, limit)


def recorded_poses(path: str | Path) -> list[str]:
    """The poses recorded at `path` (none when it does not exist yet), sorted."""
    path = Path(path)
    if not path.exists():
        return []
    with closing(connect(path)) as conn, _translated(path):
        return [row[0] for row in conn.execute("SELECT DISTINCT pose FROM pose_results "
                                               "ORDER BY pose")]


def connect(path: str | Path) -> sqlite3.Connection:
    """Open the history, creating and migrating it to `VERSION` as needed."""
    path = Path(path)
    with _translated(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        with _translated(path):
            _use_wal(conn, BUSY_TIMEOUT_S)
            conn.execute("PRAGMA foreign_keys=ON")
            migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _use_wal(conn: sqlite3.Connection, timeout_s: float) -> None:
    """Switch the journal to WAL (once per database; then it stays). SQLite does not wait
    for another connection switching a new database at the same moment, so retry a while."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def migrate(conn: sqlite3.Connection, path: Path, target: int = VERSION) -> None:
    """Apply the migrations from the database's version up to `target`, in order."""
    version = _version(conn)
    if version > VERSION:
        raise HistoryError(f"{path} was written by a newer posecheck (history version "
                           f"{version}; this one reads up to {VERSION}): upgrade posecheck")
    if version == 0 and _has_other_tables(conn):
        raise HistoryError(f"{path} is not a posecheck history database (it holds other "
                           "tables)")
    for number in range(version + 1, target + 1):
        with transaction(conn):
            if _version(conn) < number:  # another run may have applied it meanwhile
                for sql in MIGRATIONS[number - 1]:
                    conn.execute(sql)
                conn.execute(f"PRAGMA user_version = {number}")


def record(conn: sqlite3.Connection, run: Run) -> int:
    """Insert one run, all of it or nothing; its session id."""
    with transaction(conn):
        session_id = conn.execute(
            "INSERT INTO sessions (started_at, ended_at, kind, source, status, summary) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (run.started_at, run.ended_at, run.kind, run.source, run.status,
             json.dumps(run.summary))).lastrowid
        for r in run.results:
            result_id = conn.execute(
                "INSERT INTO pose_results (session_id, pose, side, correct_hold_s, "
                "longest_hold_s, target_s, score, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, r.pose, r.side, r.correct_hold_s, r.longest_hold_s, r.target_s,
                 r.score, r.outcome)).lastrowid
            conn.executemany("INSERT INTO faults (result_id, check_id, seconds) VALUES (?, ?, ?)",
                             [(result_id, check, s) for check, s in r.faults.items()])
    return session_id


def load(conn: sqlite3.Connection, pose: str | None = None,
         limit: int | None = None) -> list[Run]:
    """Runs newest first; with `pose`, only those that judged it; at most `limit`."""
    where = " WHERE id IN (SELECT session_id FROM pose_results WHERE pose = ?)" if pose else ""
    params: list = [pose] if pose else []
    sql = ("SELECT id, kind, started_at, ended_at, source, status, summary FROM sessions"
           f"{where} ORDER BY started_at DESC, id DESC LIMIT ?")
    rows = conn.execute(sql, [*params, -1 if limit is None else limit]).fetchall()
    results = _results(conn, [row[0] for row in rows])
    return [Run(kind, started, ended, source, status, json.loads(summary),
                tuple(results.get(sid, ())), sid)
            for sid, kind, started, ended, source, status, summary in rows]


def _results(conn: sqlite3.Connection, session_ids: list[int]) -> dict[int, list[PoseResult]]:
    ids = json.dumps(session_ids)
    faults: dict[int, dict[str, float]] = {}
    for result_id, check, seconds in conn.execute(
            "SELECT f.result_id, f.check_id, f.seconds FROM faults f JOIN pose_results r "
            "ON r.id = f.result_id WHERE r.session_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY f.rowid", (ids,)):
        faults.setdefault(result_id, {})[check] = seconds
    out: dict[int, list[PoseResult]] = {}
    for rid, sid, *values in conn.execute(
            "SELECT id, session_id, pose, side, correct_hold_s, longest_hold_s, target_s, "
            "score, outcome FROM pose_results WHERE session_id IN "
            "(SELECT value FROM json_each(?)) ORDER BY id", (ids,)):
        out.setdefault(sid, []).append(PoseResult(*values, faults=faults.get(rid, {})))
    return out


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE (waiting for another writer up to the busy timeout) ... COMMIT."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _has_other_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                        ).fetchone()[0] > 0


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    """SQLite and file errors as a HistoryError naming the database."""
    try:
        yield
    except sqlite3.OperationalError as exc:  # locked, read-only, cannot open, ...
        raise HistoryError(f"cannot use the history {path}: {exc}") from None
    except sqlite3.DatabaseError as exc:  # not a database, or a damaged one
        raise HistoryError(f"{path} is not a posecheck history database ({exc})") from None
    except (FileExistsError, NotADirectoryError):  # from making its folder
        raise HistoryError(f"cannot use the history {path}: {path.parent} is not a folder"
                           ) from None
    except OSError as exc:
        raise HistoryError(f"cannot use the history {path}: {exc.strerror or exc}") from None
