"""The HTML report's charts, drawn with matplotlib (Agg, no display) into PNG bytes: a
timeline of each check's state, and each check's deciding measurement with its pass band."""

from __future__ import annotations

import io
import math

from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from posecheck.core import checks as ck
from posecheck.core.features import REGISTRY
from posecheck.core.timer import GRACE, HOLDING
from posecheck.report.timeline import (
    IN,
    NOBODY,
    OFF,
    OUT,
    PoseTimeline,
    Span,
    value_bands,
)

COLOURS = {ck.PASS: "#2e9d4f", ck.FAIL: "#d64541", "tip": "#f0a01e", ck.UNKNOWN: "#aab1b9",
           OUT: "#eef0f3", IN: "#3b7dd8", NOBODY: "#ffffff", HOLDING: "#2e9d4f",
           GRACE: "#a8dcb6", OFF: "#eef0f3"}
UNITS = {"deg": "degrees", "torso": "torso lengths", "ratio": "ratio"}
DPI = 100


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _time_axis(ax, end: float) -> None:
    ax.set_xlim(0, end)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=10, steps=[1, 2, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: clock(x)))


def _bars(ax, row: int, spans: list[Span], colour_of) -> None:
    for span in spans:
        ax.broken_barh([(span.start, span.end - span.start)], (row - 0.38, 0.76),
                       facecolors=colour_of(span.state), edgecolor="none")


def timeline_png(pt: PoseTimeline) -> bytes:
    """One band per check (pass, fault, tip, not judged, not in the pose) under the bands of
    being in the pose and of the hold timer counting."""
    rows = [("In the pose", pt.presence, COLOURS.get), ("Hold counting", pt.hold, COLOURS.get)]
    for check in pt.pose.checks:
        failed = COLOURS["tip"] if check.kind == "tip" else COLOURS[ck.FAIL]
        tip = " (tip)" if check.kind == "tip" else ""
        rows.append((check.name + tip, pt.checks[check.id],
                     lambda s, failed=failed: failed if s == ck.FAIL else COLOURS[s]))
    fig = Figure(figsize=(10, 0.42 * len(rows) + 1.3), layout="constrained")
    ax = fig.add_subplot()
    for i, (_label, spans, colour_of) in enumerate(rows):
        _bars(ax, i, spans, colour_of)
    ax.set_yticks(range(len(rows)), [label for label, _, _ in rows], fontsize=10)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.axhline(1.5, color="#8a9099", linewidth=0.8)
    _time_axis(ax, pt.end)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.legend(handles=_legend(), loc="upper center", bbox_to_anchor=(0.5, -0.18 * 6 / len(rows)),
              ncols=4, frameon=False, fontsize=9)
    return _png(fig)


def _legend() -> list[Patch]:
    entries = [(IN, "in the pose"), (HOLDING, "pass / hold counting"), (ck.FAIL, "fault"),
               ("tip", "tip not followed"), (ck.UNKNOWN, "not judged"),
               (GRACE, "hold paused (grace)"), (OUT, "not in the pose"),
               (NOBODY, "nobody in view")]
    return [Patch(facecolor=COLOURS[k], edgecolor="#c5cad1", label=label)
            for k, label in entries]


def values_png(pt: PoseTimeline) -> bytes | None:
    """A small plot per check with any measurement: its value over time, the pass band
    shaded green, the time it failed marked by a red strip. None when nothing was measured."""
    checks = [c for c in pt.pose.checks
              if any(not math.isnan(v) for v in pt.values[c.id])]
    if not checks:
        return None
    cols = 2 if len(checks) > 2 else 1
    rows = math.ceil(len(checks) / cols)
    fig = Figure(figsize=(10, 2.3 * rows + 0.2), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, check in zip(axes, checks):
        _value_panel(ax, pt, check)
    for ax in axes[len(checks):]:
        ax.set_visible(False)
    return _png(fig)


def _value_panel(ax, pt: PoseTimeline, check) -> None:
    feature, bands = value_bands(check)
    values = pt.values[check.id]
    finite = [v for v in values if not math.isnan(v)]
    bounds = [b for band in bands for b in band if b is not None]
    low, high = min(finite + bounds), max(finite + bounds)
    pad = 0.12 * (high - low or 1.0)
    low, high = low - pad, high + pad
    for span in pt.checks[check.id]:
        if span.state == ck.FAIL:
            ax.axvspan(span.start, span.end, ymax=0.05, color=COLOURS[ck.FAIL], linewidth=0)
    for lo, hi in bands:
        ax.axhspan(low if lo is None else lo, high if hi is None else hi,
                   color=COLOURS[ck.PASS], alpha=0.16, linewidth=0)
    ax.plot(pt.times, values, color="#1f3b63", linewidth=1.6)
    ax.set_ylim(low, high)
    _time_axis(ax, pt.end)
    ax.set_title(f"{check.name}: {feature.replace('_', ' ')}", fontsize=10,
                 loc="left")
    ax.set_ylabel(UNITS[REGISTRY[feature].unit], fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", color="#e3e6ea", linewidth=0.6)
