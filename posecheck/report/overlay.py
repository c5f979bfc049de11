"""Drawing the judgement onto a frame: skeleton coloured by check state, the cue, the check
list and the hold timer. OpenCV only.

Nothing here decides anything: the `Judge` has already chosen each check's state, the cue
and the timer state; this module only maps them to colours, shapes and words.

Every size (line width, font scale, panel height) is derived from the frame, so a 240p
preview, a 640x480 recording, a 1080p window and a portrait phone frame all look alike:
one "unit" is the frame height / 480, capped by the width on portrait frames.

`draw_skeleton` and `draw_panel` draw *in place* and return the same array; `annotate`
draws on a copy and leaves its input untouched.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass, replace
from typing import Iterable

import cv2
import numpy as np

from posecheck.core import checks as ck
from posecheck.core.features import REGISTRY, body_scale
from posecheck.core.judge import FrameResult
from posecheck.core.landmarks import INDEX, SEEN_VISIBILITY, Landmarks
from posecheck.core.poses import Check
from posecheck.report import goal, layout
from posecheck.report.layout import Box

# --- colours (BGR) ------------------------------------------------------------------------

RED = (40, 40, 225)
ORANGE = (0, 140, 255)
AMBER = (0, 190, 255)
GREEN = (70, 200, 60)
BLUE = (200, 120, 0)
GREY = (190, 190, 190)
DIM = (120, 120, 120)
WHITE = (255, 255, 255)
DARK = (20, 20, 20)

#: Skeleton colour for each bone/joint status, from the worst check that uses it.
STATUS_COLOUR = {"fault": RED, "tip": ORANGE, "pass": GREEN, "unknown": GREY}
#: Draw order and precedence: a bone used by a failing fault check is red, whatever else.
STATUS_RANK = {"unknown": 0, "pass": 1, "tip": 2, "fault": 3}

#: Cue band fill and text colour for each cue kind.
CUE_STYLE = {
    "fault": (RED, WHITE),
    "unknown": (AMBER, DARK),
    "tip": (BLUE, WHITE),
    "good": ((60, 150, 40), WHITE),
    "setup": ((60, 60, 60), WHITE),
}

TIMER_COLOUR = {"holding": GREEN, "settling": AMBER, "grace": AMBER, "idle": DIM}
TIMER_WORD = {"settling": "starting", "grace": "not counting"}

# --- the body -----------------------------------------------------------------------------

BONES: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"),
    ("left_shoulder", "left_hip"), ("right_shoulder", "right_hip"),
    ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"),
    ("left_hip", "left_knee"), ("left_knee", "left_ankle"),
    ("right_hip", "right_knee"), ("right_knee", "right_ankle"),
    ("left_ankle", "left_heel"), ("left_heel", "left_foot_index"),
    ("left_ankle", "left_foot_index"),
    ("right_ankle", "right_heel"), ("right_heel", "right_foot_index"),
    ("right_ankle", "right_foot_index"),
)
JOINTS: tuple[str, ...] = tuple(dict.fromkeys(n for bone in BONES for n in bone))
HEAD = ("nose", "left_ear", "right_ear")

# --- sizes, in units of (frame height / 480) ----------------------------------------------

SIZE = {
    "bone": 4.0, "outline": 1.5, "joint": 5.0, "pad": 8.0,
    "header_font": 0.6, "cue_font": 1.15, "list_font": 0.5, "timer_font": 0.6,
    "icon": 7.0, "timer_h": 34.0, "min_font": 0.33,
}
SIMPLEX, DUPLEX = cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX
CUE_MAX_LINES = 3
#: The check list shrinks to fit the free space down to this share of its size; names
#: still too long end in "...".
LIST_FLOOR = 0.75
PANEL_ALPHA = 0.6
CUE_ALPHA = 0.9
#: Skeleton widths at most these shares of the torso length (features.body_scale).
BODY_CAP = {"bone": 0.07, "joint": 0.08}
#: Heels and toes get smaller dots: the foot has three joints close together.
MINOR_SUFFIXES = ("_heel", "_foot_index")
MINOR_JOINT = 0.7
#: The head ring's radius, in torso lengths (at least the ear span allows).
HEAD_RADIUS = 0.16

_CORNERS = ((-1, -1), (1, -1), (-1, 1), (1, 1))

#: Hershey fonts are ASCII only.
_REPLACE = {"\u2014": "-", "\u2013": "-", "\u2212": "-", "\u00b0": " deg", "\u2018": "'",
            "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00d7": "x", "\u2026": "...",
            "\u2192": "->", "\u00a0": " ", "\u2713": "OK", "\u2717": "X"}


# --- small helpers --------------------------------------------------------------------------

def ascii_text(text: str) -> str:
    """Text a Hershey font can draw: dashes, degrees, quotes and accents made ASCII."""
    for old, new in _REPLACE.items():
        text = text.replace(old, new)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if 32 <= ord(c) < 127)


def unit(frame: np.ndarray) -> float:
    """Pixels per layout unit: the height / 480, capped by the width on portrait frames."""
    h, w = frame.shape[:2]
    return min(h, w * 4 / 3) / 480.0


def _px(u: float, key: str) -> int:
    return max(1, round(SIZE[key] * u))


def _font(u: float, key: str) -> float:
    return max(SIZE["min_font"], SIZE[key] * u)


def _thick(scale: float, bold: bool = False) -> int:
    return max(1, round(scale * (2.2 if bold else 1.6)))


def _shade(frame: np.ndarray, x0: int, y0: int, x1: int, y1: int, colour, alpha: float) -> None:
    """Blend a filled rectangle into the frame (clipped to it)."""
    h, w = frame.shape[:2]
    x0, x1, y0, y1 = max(0, x0), min(w, x1), max(0, y0), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return
    roi = frame[y0:y1, x0:x1]
    dimmed = cv2.convertScaleAbs(roi, alpha=1 - alpha)
    roi[:] = cv2.add(dimmed, tuple(c * alpha for c in colour) + (0,))


@functools.lru_cache(maxsize=4096)  # the same texts are measured every frame
def _text_size(text: str, font: int, scale: float, thick: int) -> tuple[int, int, int]:
    (w, h), base = cv2.getTextSize(text, font, scale, thick)
    return w, h, base


def _put(frame, text: str, org: tuple[int, int], font: int, scale: float, colour,
         thick: int, outline=DARK) -> None:
    """Text with a dark outline (or none) so it reads on any background."""
    x, y = int(org[0]), int(org[1])
    if outline is not None:  # the same glyphs shifted to four corners (a wider stroke would
        d = max(1, round(scale * 1.6))  # change the advance and misplace the letters)
        for dx, dy in _CORNERS:
            cv2.putText(frame, text, (x + dx * d, y + dy * d), font, scale, outline, thick,
                        cv2.LINE_AA)
    cv2.putText(frame, text, (x, y), font, scale, colour, thick, cv2.LINE_AA)


# --- wrapping -------------------------------------------------------------------------------

def _split_word(word: str, font, scale, thick, max_w) -> list[str]:
    """Break a single word too long for the line into pieces that fit."""
    pieces, piece = [], ""
    for ch in word:
        if piece and _text_size(piece + ch, font, scale, thick)[0] > max_w:
            pieces.append(piece)
            piece = ""
        piece += ch
    return pieces + [piece] if piece else pieces


def wrap_text(text: str, font: int, scale: float, thick: int, max_w: int) -> list[str]:
    """Greedy word wrap so that every line is at most `max_w` pixels wide."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if _text_size(candidate, font, scale, thick)[0] <= max_w:
            line = candidate
            continue
        if line:
            lines.append(line)
        parts = _split_word(word, font, scale, thick, max_w)
        lines.extend(parts[:-1])
        line = parts[-1] if parts else ""
    return lines + [line] if line else lines


def fit_text(text: str, font: int, scale: float, bold: bool, max_w: int, max_lines: int,
             min_scale: float) -> tuple[list[str], float, int]:
    """Wrap `text` into at most `max_lines` lines, shrinking the font down to `min_scale`
    if needed and ending with '...' as a last resort. Returns (lines, scale, thickness)."""
    while True:
        thick = _thick(scale, bold)
        lines = wrap_text(text, font, scale, thick, max_w)
        if len(lines) <= max_lines or scale * 0.9 < min_scale:
            break
        scale *= 0.9
    if len(lines) > max_lines:
        last = " ".join(lines[max_lines - 1:])
        while last and _text_size(last + "...", font, scale, thick)[0] > max_w:
            last = last[:-1]
        lines = lines[:max_lines - 1] + [last.rstrip() + "..."]
    return lines, scale, thick


# --- which bones belong to which checks -----------------------------------------------------

def _condition_parts(feature: str, limb: str | None) -> tuple[set, set]:
    """(bones, joints) that a feature measured on one limb looks at: the landmarks it
    measures (not its ruler); a bone when both its ends are among them."""
    shown = set(REGISTRY[feature].measures(limb))
    bones = {b for b in BONES if b[0] in shown and b[1] in shown}
    return bones, shown


def check_parts(check: Check, side: str | None) -> tuple[set, set]:
    """The bones (both ends needed by the check) and joints a check looks at, for the
    working `side` (conditions on 'working'/'other' limbs are skipped when it is unknown)."""
    bones: set = set()
    joints: set = set()
    for cond in check.conditions:
        for limb in ck.limbs_for(cond.limb, side) or ():
            b, j = _condition_parts(cond.feature, limb)
            bones |= b
            joints |= j
    return bones, joints


def check_status(check: Check, result: FrameResult) -> str:
    """fault | tip | pass | unknown: how the skeleton shows this check's state."""
    r = result.results.get(check.id)
    if r is None or r.state == ck.UNKNOWN:
        return "unknown"
    if r.state == ck.PASS:
        return "pass"
    return "fault" if check.kind == "fault" else "tip"


def skeleton_status(result: FrameResult) -> tuple[dict, dict]:
    """({bone: status}, {joint: status}): each part takes the worst status of its checks;
    parts no check uses are 'unknown'."""
    bones = {b: "unknown" for b in BONES}
    joints = {j: "unknown" for j in JOINTS}
    for check in result.pose.checks if result.pose else ():
        status = check_status(check, result)
        b_used, j_used = check_parts(check, result.side)
        _raise(bones, b_used, status)
        _raise(joints, j_used, status)
    return bones, joints


def _raise(table: dict, keys: Iterable, status: str) -> None:
    for key in keys:
        if key in table and STATUS_RANK[status] > STATUS_RANK[table[key]]:
            table[key] = status


# --- skeleton -------------------------------------------------------------------------------

def _point(lm: Landmarks, name: str) -> tuple[int, int] | None:
    x, y = lm.xyz[INDEX[name], :2]
    if not (math.isfinite(x) and math.isfinite(y)):
        return None
    limit = 1e5
    return int(round(min(max(x, -limit), limit))), int(round(min(max(y, -limit), limit)))


def _skeleton_sizes(frame: np.ndarray, lm: Landmarks) -> tuple[int, int, int]:
    """(bone width, outline width, joint radius): from the frame, but no fatter than the
    body's own size allows, so a small far-away body is not buried under its dots."""
    u = unit(frame)
    torso = body_scale(lm)
    torso = torso if math.isfinite(torso) else 1e9
    bone = max(2, min(_px(u, "bone"), round(torso * BODY_CAP["bone"])))
    joint = max(2, min(_px(u, "joint"), round(torso * BODY_CAP["joint"])))
    return bone, _px(u, "outline"), joint


def _draw_bone(frame, a, b, colour, visible: bool, sizes) -> None:
    t, o, _ = sizes
    if not visible:
        t = max(1, t // 2)
        colour = DIM
    cv2.line(frame, a, b, DARK, t + 2 * o, cv2.LINE_AA)
    cv2.line(frame, a, b, colour, t, cv2.LINE_AA)


def _draw_joint(frame, p, colour, visible: bool, sizes, minor: bool) -> None:
    _, o, r = sizes
    r = max(2, round(r * MINOR_JOINT)) if minor else r
    if visible:
        cv2.circle(frame, p, r + o, DARK, -1, cv2.LINE_AA)
        cv2.circle(frame, p, r, colour, -1, cv2.LINE_AA)
    else:  # hollow: the camera cannot see this one
        cv2.circle(frame, p, r, DARK, o + 2, cv2.LINE_AA)
        cv2.circle(frame, p, r, DIM, max(1, o), cv2.LINE_AA)


def _draw_head(frame, lm: Landmarks, visible: frozenset[str], sizes) -> None:
    """A thin ring around the head (the face landmarks are not judged)."""
    pts = [p for n in HEAD if n in visible and (p := _point(lm, n)) is not None]
    if not pts:
        return
    centre = np.mean(np.array(pts, float), axis=0)
    ears = [lm.px(n) for n in ("left_ear", "right_ear") if n in visible]
    span = float(np.linalg.norm(ears[0] - ears[1])) if len(ears) == 2 else 0.0
    bone, _, joint = sizes
    torso = body_scale(lm)
    by_body = round(torso * HEAD_RADIUS) if math.isfinite(torso) else 0
    r = max(2 * joint, round(span * 0.7), by_body)
    c = (int(centre[0]), int(centre[1]))
    t = max(1, bone // 2)
    cv2.circle(frame, c, r, DARK, t + 2, cv2.LINE_AA)
    cv2.circle(frame, c, r, WHITE, t, cv2.LINE_AA)


def draw_skeleton(frame: np.ndarray, lm: Landmarks, result: FrameResult) -> np.ndarray:
    """Draw bones coloured by the state of the checks that use them (red: a fault fails,
    orange: a tip fails, green: its checks pass, grey: unknown or unchecked), and joints as
    filled dots, hollow when the camera cannot see them. Draws in place; returns `frame`."""
    sizes = _skeleton_sizes(frame, lm)
    visible = result.visible
    if visible is None:  # a result made without a Judge
        visible = ck.visible_set(lm, result.pose.visibility if result.pose else SEEN_VISIBILITY)
    bone_status, joint_status = skeleton_status(result)
    order = sorted(BONES, key=lambda b: (b[0] in visible and b[1] in visible,
                                         STATUS_RANK[bone_status[b]]))
    for a, b in order:
        pa, pb = _point(lm, a), _point(lm, b)
        if pa is not None and pb is not None:
            seen = a in visible and b in visible
            _draw_bone(frame, pa, pb, STATUS_COLOUR[bone_status[(a, b)]], seen, sizes)
    _draw_head(frame, lm, visible, sizes)
    for name in sorted(JOINTS, key=lambda n: (n in visible, STATUS_RANK[joint_status[n]])):
        p = _point(lm, name)
        if p is not None:
            colour = STATUS_COLOUR[joint_status[name]]
            _draw_joint(frame, p, WHITE if colour == GREY else colour, name in visible, sizes,
                        name.endswith(MINOR_SUFFIXES))
    return frame


# --- panel: header and cue ------------------------------------------------------------------

def title_text(result: FrameResult) -> str:
    """'Pigeon - right - upright', or '' when no pose is being judged."""
    if result.pose is None:
        return ""
    parts = [result.pose.title, result.side, result.phase]
    return ascii_text(" - ".join(p for p in parts if p))


#: How the screen names a view where "<view> view" reads badly.
VIEW_WORDS = {"three-quarter": "3/4 view", "feet": "feet end", "head": "head end"}


def view_words(view: str) -> str:
    """'side view', '3/4 view', 'feet end': a camera view in the header and the check list."""
    return VIEW_WORDS.get(view, f"{view} view")


def screen_text(text: str) -> str:
    """Words as the screen draws them: ASCII, and an aside in parentheses after a comma
    (the Hershey fonts space parentheses oddly: "Pigeon ( camera at your side )")."""
    return ascii_text(text).replace(" (", ", ").replace("(", "").replace(")", "")


def _header_text(result: FrameResult) -> str:
    """'Pigeon - right - upright   side view' (what is judged, and from where)."""
    title = title_text(result)
    view = view_words(result.view) if result.view and result.person else ""
    return ascii_text(" - ".join(p for p in (title, view) if p))


@dataclass(frozen=True)
class _Block:
    """The header and cue, fitted to a width: what to draw and how tall it is."""

    header: str
    lines: list[str]
    scale: float
    thick: int
    height: int
    fill: tuple
    ink: tuple


def _fit_cue(text: str, kind: str, header: str, width: int, u: float, max_lines: int) -> _Block:
    pad = _px(u, "pad")
    fill, ink = CUE_STYLE.get(kind, CUE_STYLE["setup"])
    lines, scale, thick = fit_text(screen_text(text), DUPLEX, _font(u, "cue_font"), True,
                                   width - 4 * pad, max_lines, SIZE["min_font"])
    _, th, base = _text_size("Ag", DUPLEX, scale, thick)
    hs = _font(u, "header_font")
    _, hh, hb = _text_size("Ag", SIMPLEX, hs, _thick(hs))
    height = 2 * pad + (th + base + pad // 2) * len(lines) + (hh + hb + pad // 2 if header else 0)
    return _Block(header, lines, scale, thick, height, fill, ink)


def _draw_block(frame, block: _Block, x0: int, y0: int, width: int, u: float,
                alpha: float) -> None:
    """The header (small, grey) over the cue (large), on a band coloured by the cue's kind."""
    pad = _px(u, "pad")
    _shade(frame, x0, y0, x0 + width, y0 + block.height, block.fill, alpha)
    y = y0 + pad
    if block.header:
        hs = _font(u, "header_font")
        lines, hs, ht = fit_text(block.header, SIMPLEX, hs, False, width - 4 * pad, 1,
                                 SIZE["min_font"])
        _, hh, hb = _text_size("Ag", SIMPLEX, hs, ht)
        _put(frame, lines[0], (x0 + 2 * pad, y + hh), SIMPLEX, hs, WHITE, ht)
        y += hh + hb + pad // 2
    _, th, base = _text_size("Ag", DUPLEX, block.scale, block.thick)
    outline = DARK if block.ink == WHITE else None
    for i, line in enumerate(block.lines):
        _put(frame, line, (x0 + 2 * pad, y + th + i * (th + base + pad // 2)), DUPLEX,
             block.scale, block.ink, block.thick, outline)


# --- panel: check list ----------------------------------------------------------------------

def _icon(frame, centre, r: int, status: str) -> None:
    """A coloured disc with a tick (pass), a cross (fail) or a question mark (unknown)."""
    x, y = centre
    cv2.circle(frame, centre, r + 1, DARK, -1, cv2.LINE_AA)
    cv2.circle(frame, centre, r, STATUS_COLOUR[status] if status != "unknown" else DIM, -1,
               cv2.LINE_AA)
    t = max(1, r // 3)
    k = r * 0.5
    if status == "pass":
        pts = np.array([[x - k, y], [x - k * 0.25, y + k * 0.7], [x + k, y - k * 0.7]], np.int32)
        cv2.polylines(frame, [pts], False, WHITE, t, cv2.LINE_AA)
    elif status in ("fault", "tip"):
        cv2.line(frame, (int(x - k), int(y - k)), (int(x + k), int(y + k)), WHITE, t, cv2.LINE_AA)
        cv2.line(frame, (int(x - k), int(y + k)), (int(x + k), int(y - k)), WHITE, t, cv2.LINE_AA)
    else:
        scale = r / 14.0
        tw, th, _ = _text_size("?", SIMPLEX, scale, t)
        cv2.putText(frame, "?", (x - tw // 2, y + th // 2), SIMPLEX, scale, WHITE, t, cv2.LINE_AA)


def check_hint(check: Check, result: FrameResult) -> str:
    """A few words after an unknown check's name: the view that would judge it, or that no
    view can yet (instead of a bare question mark)."""
    r = result.results.get(check.id)
    if r is None or r.state != ck.UNKNOWN:
        return ""
    if check.unsupported:
        return "no view yet"
    if r.wrong_view and check.views and check.views[0] != "any":
        return view_words(check.views[0])
    return ""


def check_names(result: FrameResult) -> list[str]:
    """Each check's name as the list shows it: its title, and for an unknown one the view
    that would judge it ("Heels down - side view")."""
    names = []
    for c in result.pose.checks if result.pose else ():
        hint = check_hint(c, result)
        names.append(screen_text(f"{c.name} - {hint}" if hint else c.name))
    return names


def _fit_list(names: list[str], width: int, height: int, u: float
              ) -> tuple[float, int, int, int, bool]:
    """(font scale, thickness, icon radius, row height, fits) for the list to fit `width`
    and `height`: the font shrinks down to its smallest; `fits` says whether it did (its
    rows in the height, and each name, or at least half of the longest, in the width:
    longer names end in "...")."""
    pad = _px(u, "pad")
    scale = _font(u, "list_font")
    while True:
        thick = _thick(scale)
        r = max(3, round(_px(u, "icon") * scale / _font(u, "list_font")))
        _, th, base = _text_size("Ag", SIMPLEX, scale, thick)
        row = max(2 * r + 2, th + base) + pad // 2
        widest = max(_text_size(n, SIMPLEX, scale, thick)[0] for n in names)
        tall = pad + row * len(names) <= height
        if tall and widest + 2 * r + 3 * pad <= width:
            return scale, thick, r, row, True
        if scale * 0.92 < max(SIZE["min_font"], LIST_FLOOR * _font(u, "list_font")):
            return scale, thick, r, row, tall and widest // 2 + 2 * r + 3 * pad <= width
        scale *= 0.92


def _draw_check_list(frame, result: FrameResult, col: Box, y0: int, u: float,
                     alpha: float, right: bool) -> int:
    """One small row per check in the side column from y0. Returns the list's bottom."""
    checks = result.pose.checks if result.pose else ()
    if not checks:
        return y0
    names = check_names(result)
    pad = _px(u, "pad")
    scale, thick, r, row, _ = _fit_list(names, col.w, col.y1 - y0, u)
    _, th, _ = _text_size("Ag", SIMPLEX, scale, thick)
    width = min(col.w, max(_text_size(n, SIMPLEX, scale, thick)[0] for n in names)
                + 2 * r + 3 * pad)
    x0 = col.x1 - width if right else col.x0
    bottom = y0 + pad + row * len(checks)
    _shade(frame, x0, y0, x0 + width, bottom, DARK, alpha)
    for i, (check, name) in enumerate(zip(checks, names)):
        cy = y0 + pad // 2 + row * i + row // 2
        status = check_status(check, result)
        _icon(frame, (x0 + pad + r, cy), r, status)
        ink = WHITE if status != "unknown" else GREY
        fitted, s2, t2 = fit_text(name, SIMPLEX, scale, False, width - 2 * r - 3 * pad, 1,
                                  SIZE["min_font"])
        _put(frame, fitted[0], (x0 + 2 * pad + 2 * r, cy + th // 2), SIMPLEX, s2, ink, t2)
    return bottom


# --- panel: hold timer ----------------------------------------------------------------------

def timer_text(result: FrameResult) -> str:
    """'Hold 12.3 s / 30 s', with 'starting', 'paused' or 'done' when it applies."""
    if result.pose is None:
        return ""
    snap, target = result.timer, result.pose.hold_s
    current = snap.current_s if snap else 0.0
    text = f"Hold {current:.1f} s / {target:g} s"
    word = "done" if current >= target else TIMER_WORD.get(snap.state if snap else "", "")
    return f"{text}  ({word})" if word else text


def _draw_timer(frame, result: FrameResult, col: Box, y0: int, u: float, alpha: float,
                right: bool) -> int:
    """The hold time as text over a progress bar to the pose's target, in the side column
    from y0; nothing when there is no timer (a photo has no hold). Returns its bottom."""
    if result.pose is None or result.timer is None:
        return y0
    pad = _px(u, "pad")
    lines, scale, thick = fit_text(screen_text(timer_text(result)), DUPLEX,
                                   _font(u, "timer_font"), False, col.w - 2 * pad, 1,
                                   SIZE["min_font"])
    tw, th, base = _text_size(lines[0], DUPLEX, scale, thick)
    width = min(col.w, max(tw + 2 * pad, _px(u, "timer_h") * 6))
    x0 = col.x1 - width if right else col.x0
    bar = max(4, _px(u, "timer_h") // 3)
    bottom = y0 + 3 * pad + th + base + bar
    _shade(frame, x0, y0, x0 + width, bottom, DARK, alpha)
    _put(frame, lines[0], (x0 + pad, y0 + pad + th), DUPLEX, scale, WHITE, thick)
    state = result.timer.state
    share = min(1.0, result.timer.current_s / result.pose.hold_s)
    bx0, by0, bx1, by1 = x0 + pad, bottom - pad - bar, x0 + width - pad, bottom - pad
    cv2.rectangle(frame, (bx0, by0), (bx1, by1), (70, 70, 70), -1)
    if share > 0:
        cv2.rectangle(frame, (bx0, by0), (bx0 + round((bx1 - bx0) * share), by1),
                      TIMER_COLOUR.get(state, DIM), -1)
    cv2.rectangle(frame, (bx0, by0), (bx1, by1), GREY, 1, cv2.LINE_AA)
    return bottom


def _draw_lines(frame, lines: list[str], col: Box, y0: int, u: float, alpha: float,
                right: bool) -> int:
    """Short lines (the countdown, the routine's step, the camera hint, the frame rate)
    stacked in the side column from y0. Returns their bottom."""
    pad, scale = _px(u, "pad"), _font(u, "header_font")
    y = y0
    for text in lines:
        fitted, s2, t2 = fit_text(screen_text(text), SIMPLEX, scale, False, col.w - 2 * pad,
                                  1, SIZE["min_font"])
        tw, th, base = _text_size(fitted[0], SIMPLEX, s2, t2)
        if y + th + base + pad > col.y1:
            break  # no room left: the rest (the frame rate last) is not shown
        x0 = col.x1 - tw - 2 * pad if right else col.x0
        _shade(frame, x0, y, x0 + tw + 2 * pad, y + th + base + pad, DARK, alpha)
        colour = GREY if text.endswith("fps") else WHITE
        _put(frame, fitted[0], (x0 + pad, y + pad // 2 + th), SIMPLEX, s2, colour, t2)
        y += th + base + pad + pad // 2
    return y


# --- panel: no person -----------------------------------------------------------------------

def draw_centred_message(frame, text: str, u: float, big: bool = False) -> None:
    """A large message in a dark box in the middle of the frame (`big`: twice as large)."""
    h, w = frame.shape[:2]
    pad = _px(u, "pad")
    size = _font(u, "cue_font") * (2.2 if big else 1.1)
    lines, scale, thick = fit_text(screen_text(text), DUPLEX, size, True,
                                   w - 8 * pad, CUE_MAX_LINES, SIZE["min_font"])
    _, th, base = _text_size("Ag", DUPLEX, scale, thick)
    step = th + base + pad
    widths = [_text_size(line, DUPLEX, scale, thick)[0] for line in lines]
    box_w, box_h = max(widths) + 4 * pad, step * len(lines) + 2 * pad
    x0, y0 = (w - box_w) // 2, (h - box_h) // 2
    _shade(frame, x0, y0, x0 + box_w, y0 + box_h, DARK, 0.75)
    for i, (line, lw) in enumerate(zip(lines, widths)):
        y = y0 + 2 * pad + th + i * step - base // 2
        _put(frame, line, ((w - lw) // 2, y), DUPLEX, scale, WHITE, thick)


def shown_cue(result: FrameResult, countdown_s: float = 0.0) -> tuple[str, str]:
    """The cue's words and kind as the screen shows them: during the get-ready countdown
    good form reads "Get ready: 3" (the hold has not started); a photo, which has no hold,
    says only "Good form"."""
    text, kind = result.cue.text, result.cue.kind
    if kind == "good" and countdown_s > 0:
        return f"Get ready: {math.ceil(countdown_s)}", "setup"
    if kind == "good" and result.timer is None:
        return "Good form", kind
    return text, kind


def _plan(frame: np.ndarray, result: FrameResult, lm: Landmarks | None, text: str, kind: str,
          header: str) -> tuple[layout.Layout, _Block]:
    """Where the panels go (`layout.plan`), and the cue fitted as a band across the frame."""
    h, w = frame.shape[:2]
    u = unit(frame)
    pad = _px(u, "pad")
    band = _fit_cue(text, kind, header, w, u, 2)
    body = layout.body_box(lm, w, h) if lm is not None else None
    keys = layout.key_boxes(lm, w, h) if lm is not None else []
    names = check_names(result)

    def fit(box: Box) -> float:  # the font the list would have there (0: it does not fit)
        if not names or box.h <= 0:
            return float(box.w * box.h > 0)
        scale, *_, fits = _fit_list(names, box.w, box.h - pad, u)  # drawn from a pad down
        return scale if fits else 0.0

    return layout.plan(w, h, body, keys, band.height, 2 * pad, fit), band


def layout_of(frame: np.ndarray, result: FrameResult, lm: Landmarks | None,
              countdown_s: float = 0.0) -> layout.Layout:
    """The layout `draw_panel` uses for this frame."""
    text, kind = shown_cue(result, countdown_s)
    return _plan(frame, result, lm, text, kind, _header_text(result))[0]


def draw_panel(frame: np.ndarray, result: FrameResult, lm: Landmarks | None = None,
               extras: Iterable[str] = (), countdown_s: float = 0.0,
               figure: np.ndarray | None = None, mirror: bool = False) -> np.ndarray:
    """The header (pose, side, phase, view) and the cue, the check list, the hold timer,
    `extras` (short lines) and the goal `figure` (BGRA, `goal`; drawn mirrored for a
    mirrored picture) when there is room for it, placed where the body (`lm`, in this
    frame's pixels) is not (`layout`); a centred message when there is no person. Draws in
    place; returns `frame`."""
    u = unit(frame)
    h, w = frame.shape[:2]
    pad = _px(u, "pad")
    if not result.person:
        draw_centred_message(frame, result.cue.text, u)
        return frame
    text, kind = shown_cue(result, countdown_s)
    extras = list(extras)
    if countdown_s > 0 and text == result.cue.text:  # a correction keeps the cue's place
        extras.insert(0, f"Get ready: {math.ceil(countdown_s)}")
    timed = replace(result, timer=None) if countdown_s > 0 else result
    header = _header_text(result)
    plan, band = _plan(frame, result, lm, text, kind, header)
    alpha = layout.FADED if plan.faded else PANEL_ALPHA
    col, right = plan.side, plan.side.x0 > 0
    y = col.y0 + pad
    if plan.cue == "side":
        block = _fit_cue(text, kind, header, col.w, u, 4)
        _draw_block(frame, block, col.x1 - col.w, col.y0, col.w, u, CUE_ALPHA)
        y = col.y0 + block.height + pad
    else:
        top = 0 if plan.cue == "top" else h - band.height
        _draw_block(frame, band, 0, top, w, u, 0.6 if plan.faded else CUE_ALPHA)
    y = _draw_check_list(frame, timed, col, y, u, alpha, right) + pad
    below = 3 * _px(u, "timer_h") + 2 * len(extras) * _px(u, "timer_h") // 2
    if col.y1 - y < below and plan.spare is not None and plan.spare.h > col.y1 - y:
        col, right, y = plan.spare, plan.spare.x0 > 0, plan.spare.y0 + pad  # no room left
    y = _draw_timer(frame, timed, col, y, u, alpha, right) + pad
    y = _draw_lines(frame, extras, col, y, u, alpha, right)
    if figure is not None:
        spare = plan.spare if plan.spare is not None and col is not plan.spare else None
        _draw_goal(frame, figure, col, y, spare, right, mirror, u)
    return frame


#: The goal figure is drawn only where it can be at least this share of the frame's height
#: (smaller, it says nothing), and at most GOAL_MAX.
GOAL_MIN, GOAL_MAX = 0.16, 0.3


def _draw_goal(frame, figure: np.ndarray, col: Box, y0: int, spare: Box | None,
               right: bool, mirror: bool, u: float) -> None:
    """The goal figure under the column's panels, or in the spare box, if either has room."""
    h = frame.shape[0]
    pad = _px(u, "pad")
    for box, top, at_right in ((col, y0, right), (spare, None, None)):
        if box is None:
            continue
        top = box.y0 + pad if top is None else top
        at_right = box.x0 > 0 if at_right is None else at_right
        room_h = box.y1 - top - pad
        height = min(room_h, int(GOAL_MAX * h),
                     int((box.w - 2 * pad) * figure.shape[0] / figure.shape[1]))
        if height >= GOAL_MIN * h:
            width = round(figure.shape[1] * height / figure.shape[0])
            x = box.x1 - width - pad if at_right else box.x0 + pad
            goal.overlay_figure(frame, figure, x, top, height, mirror=mirror)
            return


def annotate(frame_bgr: np.ndarray, lm: Landmarks | None, result: FrameResult) -> np.ndarray:
    """The annotated picture: skeleton (when there is a person) and panel, drawn on a copy
    of `frame_bgr` (uint8, H x W x 3 BGR; a grey H x W frame is converted)."""
    out = frame_bgr.copy() if frame_bgr.ndim == 3 else cv2.cvtColor(frame_bgr, cv2.COLOR_GRAY2BGR)
    if lm is not None:
        draw_skeleton(out, lm, result)
    return draw_panel(out, result, lm)
