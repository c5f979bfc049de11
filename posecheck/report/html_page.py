"""`analyze --html`: one self-contained page a person reads after an analysis: the summary
in plain words, the cues for the faults seen and when, a timeline of each check, its
measurements over time, and key frames with the overlay. Pictures are inline (base64) and
the style is in the page, so it is one file that opens anywhere, offline.

`HtmlSink` collects what the page needs while frames pass (a `Timeline`, and small JPEGs of
the few frames it asks for); the page is written, atomically, when the sink is closed,
which the analysis does however it ends (done, failed or interrupted).
"""

from __future__ import annotations

import base64
import html
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from posecheck import __version__
from posecheck.core import checks as ck
from posecheck.core.judge import FrameResult
from posecheck.core.landmarks import Landmarks
from posecheck.core.poses import PoseSpec
from posecheck.core.spoken import side_words
from posecheck.core.views import PLACEMENT
from posecheck.io.files import write_text_atomically
from posecheck.report.builder import ReportBuilder, photo_unseen
from posecheck.report.charts import clock, timeline_png, values_png
from posecheck.report.goal import SEEN_FROM, goal_choice, goal_for, png_bytes
from posecheck.report.overlay import annotate
from posecheck.report.summary import AnalysisSummary, CheckSummary
from posecheck.report.timeline import (
    Episode,
    KeyFrame,
    PoseTimeline,
    Timeline,
    key_frames,
)

JPEG_WIDTH = 560  # key frames are downscaled to this width at most
JPEG_QUALITY = 80
MAX_RANGES = 4  # episodes listed by time under one cue
PHOTO_NOTE = "Judged from this one photo; hold times need a video."
VERDICTS = {"good": "Your form was correct.", "mixed": "Your form was correct most of the time.",
            "bad": "Your form needs work.",
            "unseen": "Most of the time, posecheck could not judge your form."}
UNSEEN_PHOTO = "posecheck could not judge your form in this photo."


class HtmlSink:
    """Collects a video's timeline (or a photo's picture) and writes the page on close."""

    name = "html"

    def __init__(self, path: str, builder: ReportBuilder, poses: list[PoseSpec], fps: float,
                 is_image: bool):
        self.path, self.builder = path, builder
        self.timeline = None if is_image else Timeline(poses, fps)
        self.photo: bytes | None = None
        self.view: str | None = None

    def frame(self, image: np.ndarray, t: float, lm: Landmarks | None,
              result: FrameResult) -> None:
        if self.timeline is None:
            self.photo = jpeg(annotate(image, lm, replace(result, timer=None)))
            self.view = result.view if result.in_pose else None
            return
        self.timeline.add(result, lambda: jpeg(annotate(image, lm, result)))

    def close(self) -> None:
        summary = self.builder.summary()
        pose = self.builder.main_pose() if summary.pose else None
        pt = self.timeline.finish(pose.name) if self.timeline and pose else None
        write_text_atomically(self.path, render_page(summary, pose, pt, self.photo, self.view))


def jpeg(image: np.ndarray) -> bytes:
    """A small JPEG of a BGR picture: at most JPEG_WIDTH wide."""
    h, w = image.shape[:2]
    if w > JPEG_WIDTH:
        image = cv2.resize(image, (JPEG_WIDTH, round(h * JPEG_WIDTH / w)),
                           interpolation=cv2.INTER_AREA)
    return cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])[1].tobytes()


# --- the page ---------------------------------------------------------------------------------

def render_page(summary: AnalysisSummary, pose: PoseSpec | None, pt: PoseTimeline | None,
                photo: bytes | None = None, view: str | None = None) -> str:
    """The whole page for an analysis `summary` (the JSON report's), of `pose` (None when no
    pose was found), with a video's timeline `pt` or a photo's picture."""
    view = pt.view if pt is not None else view
    judged = summary.judged
    parts = [_header(summary, view), _verdict(summary, pose, pt), _goal(summary, pose, view),
             _notes(summary)]
    if pose is not None and judged:
        parts += [_cues(summary, pose, pt), _check_table(summary, pose)]
    if pt is not None and judged:
        parts += [_charts(pt), _key_frames(pt, summary)]
    if photo is not None:
        picture = _figure(photo, "image/jpeg", "The photo with the skeleton and checks on it")
        parts.append(_section("The photo", picture))
    title = summary.pose_title or "No pose recognised"
    return PAGE.format(title=_e(f"{title} - posecheck report"), style=STYLE,
                       body="\n".join(p for p in parts if p), version=__version__)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _section(title: str, body: str) -> str:
    return f"<section><h2>{_e(title)}</h2>\n{body}\n</section>"


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _figure(data: bytes, mime: str, alt: str, caption: str = "", cls: str = "") -> str:
    """An inline picture; `caption` is HTML."""
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return (f'<figure class="{cls}"><img src="{_data_uri(data, mime)}" alt="{_e(alt)}">'
            f"{cap}</figure>")


def _header(s: AnalysisSummary, view: str | None) -> str:
    title = s.pose_title or "No pose recognised"
    facts = [f"File: {Path(s.source).name}"]
    if s.side:
        facts.append(f"Side: {s.side}")
    if view:
        facts.append(f"Camera {PLACEMENT.get(view, view)}")
    facts.append("A photo" if s.is_photo else f"Length: {s.duration_s:.1f} s")
    items = "".join(f"<li>{_e(f)}</li>" for f in facts)
    return f'<header><p class="kicker">posecheck report</p><h1>{_e(title)}</h1>' \
           f'<ul class="facts">{items}</ul></header>'


def _goal(s: AnalysisSummary, pose: PoseSpec | None, view: str | None) -> str:
    """The figure of the correct form for the pose and side, seen from the clip's view."""
    figure = goal_for(pose, s.side, view) if pose is not None else None
    if figure is None:
        return ""
    side, shown = goal_choice(pose.name, s.side, view)
    words = ", ".join(w for w in (pose.title, side_words(pose, side), SEEN_FROM[shown]) if w)
    caption = f"The goal: {words}"
    return _figure(png_bytes(figure), "image/png", f"The correct form: {words}",
                   _e(caption), "goal")


def _verdict(s: AnalysisSummary, pose: PoseSpec | None, pt: PoseTimeline | None) -> str:
    if pose is None or not s.judged:
        return f'<section class="verdict none"><p class="big">{_e(s.message)}</p></section>'
    main = _main_fault(s, pose, pt)
    unseen = None if s.correct else _mostly_unseen(s, pose, pt)
    level = ("mixed" if main else "good") if s.correct else "unseen" if unseen else "bad"
    lines = [PHOTO_NOTE] if s.is_photo else _hold_lines(s)
    if main is not None:
        lines.insert(0, f"The main thing to work on: {ck.fill_cue(main.cue, s.side)}.")
    if unseen is not None:
        lines.insert(0, f"{_named(pose, unseen[0], unseen[1])}.")
    body = "".join(f"<p>{_e(line)}</p>" for line in lines)
    return (f'<section class="verdict {level}">'
            f'<div class="score"><b>{s.score}</b><span>form score / 100</span></div>'
            f'<div><p class="big">{_headline(level, s)}</p>{body}</div></section>')


def _headline(level: str, s: AnalysisSummary) -> str:
    return UNSEEN_PHOTO if level == "unseen" and s.is_photo else VERDICTS[level]


def _mostly_unseen(s: AnalysisSummary, pose: PoseSpec,
                   pt: PoseTimeline | None) -> tuple[str, str] | None:
    """(check id, why) of the core check that went unjudged longest, when that kept the form
    from being judged correct more than any fault did (a photo: no fault failed); else None.
    A form the camera could not see is never said to need work."""
    if pt is None:
        return photo_unseen(s)
    core = [c for c in pose.checks if c.core and s.checks[c.id].unknown_because]
    if not core:
        return None
    worst = max(core, key=lambda c: s.checks[c.id].unknown_s)
    unseen_s = s.checks[worst.id].unknown_s
    if unseen_s <= max((_failed_s(pt, c.id) for c in pose.checks if c.kind == "fault"),
                       default=0.0):
        return None
    reasons = s.checks[worst.id].unknown_because
    return worst.id, next(iter(reasons))


def _main_fault(s: AnalysisSummary, pose: PoseSpec, pt: PoseTimeline | None):
    """The fault check whose episodes lasted longest (in a photo: the first failing, core
    first); None when no fault was seen."""
    faults = [c for c in pose.checks if c.kind == "fault"]
    if pt is None:
        failing = [c for c in faults if s.checks[c.id].state == ck.FAIL]
        return min(failing, key=lambda c: not c.core, default=None)
    worst = max(faults, key=lambda c: _failed_s(pt, c.id), default=None)
    return worst if worst is not None and _failed_s(pt, worst.id) > 0 else None


def _hold_lines(s: AnalysisSummary) -> list[str]:
    target = s.target_s or 0.0
    lines = [f"You held correct form for {s.correct_s:.1f} s of the {target:.0f} s target"
             + (" - target reached!" if target and s.correct_s >= target else "."),
             f"Your longest unbroken hold was {s.longest_hold_s:.1f} s.",
             f"You were in the pose for {s.in_pose_s:.1f} s of {s.duration_s:.1f} s."]
    sides = s.by_side or {}
    if len(sides) > 1:
        lines.append("By side: " + "; ".join(
            f"{side} {v.correct_s:.1f} s held" for side, v in sorted(sides.items())) + ".")
    return lines


def _notes(s: AnalysisSummary) -> str:
    notes = list(s.warnings)
    if s.status == "interrupted":
        notes.insert(0, "The analysis was stopped before the end: this report covers the "
                        f"first {s.duration_s:.1f} s.")
    if s.message and s.judged:
        notes.append(s.message)
    items = "".join(f"<li>{_e(n)}</li>" for n in notes)
    return f'<ul class="notes">{items}</ul>' if notes else ""


def _cues(s: AnalysisSummary, pose: PoseSpec, pt: PoseTimeline | None) -> str:
    """Each fault and tip seen, longest first, with its cue and when; the checks that could
    not be judged."""
    faults, tips = [], []
    for check in sorted(pose.checks, key=lambda c: -_failed_s(pt, c.id)):
        failed = bool(pt.episodes[check.id]) if pt else s.checks[check.id].state == ck.FAIL
        if failed:
            cue = _e(ck.fill_cue(check.cue, s.side))
            when = f" &mdash; {_e(_when(pt.episodes[check.id]))}" if pt else ""
            (tips if check.kind == "tip" else faults).append(f"<li><b>{cue}</b>{when}</li>")
    body = (f'<ul class="cues fault">{"".join(faults)}</ul>' if faults else
            '<p class="ok">No faults seen: well done.</p>')
    if tips:
        body += f'<h3>Tips</h3><ul class="cues tip">{"".join(tips)}</ul>'
    unknown = _unknown_items(s, pose)
    if unknown:
        body += f'<h3>What the camera could not judge</h3><ul class="cues unseen">{unknown}</ul>'
    return _section("What to work on", body)


def _failed_s(pt: PoseTimeline | None, check_id: str) -> float:
    """How long a check's fault episodes lasted in all (0 for a photo)."""
    return sum(e.duration for e in pt.episodes[check_id]) if pt else 0.0


def _when(episodes: list[Episode]) -> str:
    """'3.0 s, from 0:04 to 0:07', or '2 times, 4.1 s in all: 0:02-0:04, 0:07-0:09'."""
    if not episodes:
        return ""
    if len(episodes) == 1:
        e = episodes[0]
        return f"{e.duration:.1f} s, from {clock(e.start)} to {clock(e.end)}"
    total = sum(e.duration for e in episodes)
    ranges = ", ".join(f"{clock(e.start)}-{clock(e.end)}" for e in episodes[:MAX_RANGES])
    more = ", ..." if len(episodes) > MAX_RANGES else ""
    return f"{len(episodes)} times, {total:.1f} s in all: {ranges}{more}"


def _named(pose: PoseSpec, check_id: str, reason: str) -> str:
    """'Palms together at your chest: Can't see your right wrist'; a reason that already
    names the check ("To check heels down, place the camera ...") stands alone."""
    name = next(c.name for c in pose.checks if c.id == check_id)
    return reason if name.lower() in reason.lower() else f"{name}: {reason}"


def _unknown_items(s: AnalysisSummary, pose: PoseSpec) -> str:
    items = []
    for check in pose.checks:
        c = s.checks[check.id]
        reasons = c.unknown_because
        if isinstance(reasons, str):
            items.append(f"<li>{_e(_named(pose, check.id, reasons))}</li>")
        elif reasons and c.unknown_s > 0:
            reason = next(iter(reasons))
            items.append(f"<li>{_e(_named(pose, check.id, reason))} "
                         f"({c.unknown_s:.1f} s)</li>")
    return "".join(items)


def _check_table(s: AnalysisSummary, pose: PoseSpec) -> str:
    photo = s.is_photo
    head = "<th>Result</th>" if photo else "<th>Correct / fault / not judged</th>"
    rows = "".join(_check_row(s.checks[c.id], c, photo) for c in pose.checks)
    table = (f'<table class="checks"><thead><tr><th>Check</th><th>What it looks for</th>'
             f"{head}</tr></thead><tbody>{rows}</tbody></table>")
    return _section("Check by check", table)


def _check_row(c: CheckSummary, check, photo: bool) -> str:
    kind = "tip" if check.kind == "tip" else ("must pass" if check.core else "fault")
    name = f'{_e(check.name)}<small>{kind}</small>'
    return f"<tr><td>{name}</td><td>{_e(check.what)}</td>" \
           f"<td>{_photo_state(c, check) if photo else _time_bar(c, check)}</td></tr>"


def _photo_state(c: CheckSummary, check) -> str:
    words = {ck.PASS: "correct", ck.FAIL: "tip" if check.kind == "tip" else "fault",
             ck.UNKNOWN: "not judged"}[c.state]
    return f'<span class="tag {c.state} {check.kind}">{words}</span>'


def _time_bar(c: CheckSummary, check) -> str:
    total = c.pass_s + c.fail_s + c.unknown_s
    parts = [(ck.PASS, c.pass_s), (ck.FAIL, c.fail_s), (ck.UNKNOWN, c.unknown_s)]
    bar = "".join(f'<i class="{state} {check.kind}" style="width:{100 * v / total:.1f}%"></i>'
                  for state, v in parts if total and v)
    text = f"{c.pass_s:.1f} s / {c.fail_s:.1f} s / {c.unknown_s:.1f} s"
    return f'<div class="bar">{bar}</div><small>{text}</small>'


def _charts(pt: PoseTimeline) -> str:
    body = ('<p class="help">Each band shows a check over time: green when correct, red for '
            "a fault, orange for a tip not followed, grey when the camera could not judge it, "
            "pale when you were not in the pose.</p>")
    body += _figure(timeline_png(pt), "image/png", "Each check's state over time", cls="chart")
    values = values_png(pt)
    if values is not None:
        body += ('<h3>Measurements</h3><p class="help">What each check measured; it passes '
                 "inside the green band. A red strip along the bottom marks the time it "
                 "failed.</p>")
        body += _figure(values, "image/png", "Each check's measurement over time", cls="chart")
    return _section("Over time", body)


def _key_frames(pt: PoseTimeline, s: AnalysisSummary) -> str:
    frames = key_frames(pt)
    if not frames:
        return ""
    checks = {c.id: c for c in pt.pose.checks}
    figures = "".join(_figure(f.image, "image/jpeg", f"The picture at {clock(f.t)}",
                              _caption(f, checks, pt, s), f.kind) for f in frames)
    return _section("Moments", f'<div class="frames">{figures}</div>')


def _caption(f: KeyFrame, checks: dict, pt: PoseTimeline, s: AnalysisSummary) -> str:
    lines = [f"During your longest correct hold ({pt.best_hold.length:.1f} s)"] \
        if f.kind == "hold" else []
    lines += [("Tip: " if checks[c].kind == "tip" else "") + ck.fill_cue(checks[c].cue, s.side)
              for c in f.checks]
    return f"<b>{clock(f.t)}</b> " + "<br>".join(_e(line) for line in lines)


STYLE = """
body{margin:0;background:#f4f5f7;color:#1d232b;font:16px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:1040px;margin:0 auto;padding:24px 20px 40px}
header h1{margin:0 0 6px;font-size:2.1em}
.kicker{margin:0;color:#5d6875;text-transform:uppercase;letter-spacing:.08em;font-size:.8em}
.facts{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:6px 18px;color:#3d4652}
section{background:#fff;border-radius:10px;padding:16px 22px;margin:18px 0;
box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{margin:0 0 10px;font-size:1.3em}
h3{margin:16px 0 6px;font-size:1.05em}
.verdict{display:flex;gap:24px;align-items:center;border-left:8px solid #aab1b9}
.verdict.good{border-color:#2e9d4f}.verdict.mixed{border-color:#f0a01e}
.verdict.bad{border-color:#d64541}.verdict.unseen{border-color:#7a8591}
.verdict p{margin:2px 0}.verdict .big{font-size:1.35em;font-weight:600}
.score{text-align:center;min-width:110px}
.score b{display:block;font-size:3em;line-height:1}
.score span{font-size:.8em;color:#5d6875}
.notes{background:#fff6db;border-radius:8px;padding:10px 30px;margin:12px 0}
.cues{padding-left:22px}.cues li{margin:6px 0}
.cues.fault li::marker{color:#d64541}.cues.tip li::marker{color:#f0a01e}
.cues.unseen{color:#3d4652}
.ok{color:#2e9d4f;font-weight:600}
.help{color:#5d6875;margin:4px 0 8px;font-size:.92em}
table.checks{border-collapse:collapse;width:100%}
.checks th,.checks td{text-align:left;padding:8px;border-bottom:1px solid #e3e6ea;
vertical-align:top}
.checks td:first-child{white-space:nowrap;font-weight:600}
.checks td small{display:block;font-weight:400;color:#5d6875}
.checks td:last-child{width:230px}
.bar{display:flex;height:12px;border-radius:6px;overflow:hidden;background:#eef0f3;margin-top:5px}
.bar i,.tag{display:block}
.pass{background:#2e9d4f}.fail{background:#d64541}.fail.tip{background:#f0a01e}
.unknown{background:#aab1b9}
.tag{display:inline-block;color:#fff;border-radius:5px;padding:1px 8px;font-weight:600}
figure{margin:0}
img{max-width:100%;height:auto;display:block}
.chart img{margin:6px auto}
figure.goal{background:#fff;border-radius:10px;padding:12px 22px;margin:18px 0;
box-shadow:0 1px 3px rgba(0,0,0,.08);display:flex;align-items:center;gap:18px}
.goal img{max-height:160px;width:auto}
.goal figcaption{color:#3d4652}
.frames{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:14px}
.frames figure{background:#f4f5f7;border-radius:8px;overflow:hidden;border-top:5px solid #aab1b9}
.frames figure.fault{border-color:#d64541}.frames figure.tip{border-color:#f0a01e}
.frames figure.hold{border-color:#2e9d4f}
.frames figcaption{padding:6px 10px}
footer{color:#5d6875;font-size:.85em;text-align:center}
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<main>
{body}
<footer>Made by posecheck {version}. This page is one file: it opens offline.</footer>
</main>
</body>
</html>
"""
