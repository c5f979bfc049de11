"""What `posecheck history` shows, from recorded runs (pure): the list of sessions, a pose's
progress (correct-hold time per day, best hold, most frequent faults), and the CSV and JSON
exports. Days are the user's local days: `tz` (None: this machine's time zone)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, tzinfo

from posecheck.report.history import Run

CSV_COLUMNS = ("session_id", "started_at", "ended_at", "kind", "source", "status", "pose",
               "side", "correct_hold_s", "longest_hold_s", "target_s", "score", "outcome",
               "faults")


@dataclass(frozen=True)
class Day:
    day: date
    correct_s: float  # correct-hold time credited that day, all sessions together
    best_s: float  # longest unbroken hold that day
    sessions: int


def local(iso: str, tz: tzinfo | None) -> datetime:
    return datetime.fromisoformat(iso).astimezone(tz)


def only_pose(runs: list[Run], pose: str) -> list[Run]:
    """The runs that judged `pose`, with only that pose's results."""
    out = [replace(r, results=tuple(p for p in r.results if p.pose == pose)) for r in runs]
    return [r for r in out if r.results]


def pose_names(runs: list[Run]) -> list[str]:
    """The poses in `runs`, in the order first recorded."""
    return list(dict.fromkeys(p.pose for r in sorted(runs, key=lambda r: r.started_at)
                              for p in r.results))


def daily(runs: list[Run], pose: str, tz: tzinfo | None = None) -> list[Day]:
    """Correct-hold time, best hold and sessions per day for `pose`, oldest day first."""
    correct: Counter[date] = Counter()
    best: dict[date, float] = {}
    sessions: Counter[date] = Counter()
    for run in only_pose(runs, pose):
        day = local(run.started_at, tz).date()
        sessions[day] += 1
        for p in run.results:
            correct[day] += p.correct_hold_s
            best[day] = max(best.get(day, 0.0), p.longest_hold_s)
    return [Day(d, round(correct[d], 2), best[d], sessions[d]) for d in sorted(sessions)]


def top_faults(runs: list[Run], pose: str, n: int = 5) -> list[tuple[str, float]]:
    """`pose`'s faults by total time failing, most first (ties by name)."""
    total: Counter[str] = Counter()
    for run in only_pose(runs, pose):
        for p in run.results:
            total.update(p.faults)
    return sorted(((c, round(s, 2)) for c, s in total.items()), key=lambda cs: (-cs[1], cs[0]))[:n]


# -- text -------------------------------------------------------------------------------------

def format_sessions(runs: list[Run], tz: tzinfo | None = None) -> str:
    """One line per session, as given (newest first)."""
    lines = [f"{'id':>4}  {'started':<16}  {'kind':<7}  {'correct hold':>12}  {'score':>5}  "
             f"{'status':<11}  poses"]
    for r in runs:
        hold = sum(p.correct_hold_s for p in r.results)
        scores = [p.score for p in r.results if p.score is not None]
        score = str(round(sum(scores) / len(scores))) if scores else "-"
        lines.append(f"{r.id:>4}  {local(r.started_at, tz):%Y-%m-%d %H:%M}  {r.kind:<7}  "
                     f"{hold:10.1f} s  {score:>5}  {r.status:<11}  {_poses_cell(r)}")
    return "\n".join(lines)


def _poses_cell(run: Run) -> str:
    if len(run.results) == 1 and run.results[0].side:
        return f"{run.results[0].pose} ({run.results[0].side})"
    return ", ".join(dict.fromkeys(p.pose for p in run.results)) or "no pose recognised"


def format_progress(title: str, days: list[Day], faults: list[tuple[str, float]],
                    cues: dict[str, str], names: dict[str, str] | None = None) -> str:
    """A pose's progress: per day, then its most frequent faults (by `names`: check id ->
    title) with their cues."""
    sessions = sum(d.sessions for d in days)
    best = max(d.best_s for d in days)
    lines = [f"{title}: {sessions} session{'s' * (sessions != 1)} on {len(days)} "
             f"day{'s' * (len(days) != 1)}, best unbroken hold {best:.1f} s",
             f"  {'day':<10}  {'correct hold':>12}  {'best hold':>9}  sessions"]
    lines += [f"  {d.day:%Y-%m-%d}  {d.correct_s:10.1f} s  {d.best_s:7.1f} s  {d.sessions:8d}"
              for d in days]
    if not faults:
        return "\n".join([*lines, "No faults recorded."])
    names = names or {}
    width = max(len(names.get(c, c)) for c, _ in faults)
    lines.append("Most frequent faults (total time in the fault):")
    lines += [f"  {names.get(c, c):<{width}}  {s:7.1f} s" + (f'  "{cues[c]}"' if c in cues else "")
              for c, s in faults]
    return "\n".join(lines)


# -- exports ----------------------------------------------------------------------------------

def to_json(runs: list[Run]) -> str:
    """Every session with its poses, faults and full summary."""
    return json.dumps([_run_dict(r) for r in runs], indent=2) + "\n"


def _run_dict(run: Run) -> dict:
    d = asdict(run)
    summary = d.pop("summary")
    return {"id": d.pop("id"), **d, "summary": summary}


def to_csv(runs: list[Run]) -> str:
    """One row per pose judged (a session with none: one row without a pose); faults as
    `check=seconds` separated by `;`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in runs:
        head = [r.id, r.started_at, r.ended_at, r.kind, r.source, r.status]
        for p in r.results:
            faults = ";".join(f"{c}={s:g}" for c, s in p.faults.items())
            writer.writerow([*head, p.pose, p.side or "", p.correct_hold_s, p.longest_hold_s,
                             _blank(p.target_s), _blank(p.score), p.outcome or "", faults])
        if not r.results:
            writer.writerow([*head, *[""] * 8])
    return out.getvalue()


def _blank(value) -> object:
    return "" if value is None else value
