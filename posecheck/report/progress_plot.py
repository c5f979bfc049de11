"""The progress picture: correct-hold time per day of each pose, over time (a PNG)."""

from __future__ import annotations

from datetime import date, timedelta, tzinfo
from pathlib import Path

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from posecheck.report.history import Run
from posecheck.report.progress import daily, pose_names

MIN_DAYS = 7  # the shortest span shown on the date axis


def plot_progress(runs: list[Run], path: str | Path, titles: dict[str, str],
                  tz: tzinfo | None = None) -> None:
    """Draw one line per pose (named by `titles`, else its name) into the PNG at `path`."""
    fig = Figure(figsize=(8, 4.5), dpi=120, layout="constrained")
    ax = fig.add_subplot()
    days = set()
    for pose in sorted(pose_names(runs), key=lambda name: titles.get(name, name)):
        points = daily(runs, pose, tz)
        days.update(d.day for d in points)
        ax.plot([d.day for d in points], [d.correct_s for d in points], marker="o",
                linewidth=1, label=titles.get(pose, pose))
    _date_axis(ax, min(days), max(days))
    ax.set_ylim(bottom=0)
    ax.set_ylabel("correct hold per day (seconds)")
    ax.set_title("Correct-hold time per day (days without practice have no point)")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best")
    fig.savefig(path, format="png")


def _date_axis(ax, first: date, last: date) -> None:
    """Days as '05 May' (months as 'Mar', with the year in January), the year once at
    the end; a week at least, so that the ticks are days."""
    pad = timedelta(days=max(1.0, (MIN_DAYS - (last - first).days) / 2))
    locator = AutoDateLocator(minticks=3, maxticks=8)
    formatter = ConciseDateFormatter(locator)
    formatter.formats = ["%Y", "%b", "%d %b", "%H:%M", "%H:%M", "%S"]
    formatter.zero_formats = ["", "%b %Y", "%d %b", "%d %b", "%H:%M", "%H:%M"]
    formatter.offset_formats = ["", "", "%Y", "%d %b %Y", "%d %b %Y", "%d %b %Y"]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)
    ax.set_xlim(first - pad, last + pad)
    ax.set_xlabel("day")
