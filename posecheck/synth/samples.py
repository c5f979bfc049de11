"""Ground-truth sample clips: rendered bodies doing the four poses with KNOWN form.

    python -m posecheck.synth.samples --out samples/ [--only PATTERN] [--jobs 2]

Every clip starts in a neutral position (standing, lying on the back with the knees bent, or
on all fours), moves into the pose, holds it, comes out and rests. A fault clip holds the
correct form, then changes one thing (heels lifted, spine folded ...) for the middle of the
hold, blending in and out, and goes back to the correct form. The labels (`labels.json`, the
format of `posecheck.eval.labels`) say when the pose is held and when each check truly fails; they
come from the design and are verified on the rendered body's true 3-D joints in every frame
(`scripts.truth_values` / `scripts.judge_truth`): a correct span must clearly meet
docs/poses.md's criterion, a fault span must clearly break it, or generation stops.

The same spec and seed give the same bytes (rendering, MPEG-4 encoding and the labels are
deterministic). `--jobs 2` renders clips in parallel processes.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

from posecheck.core.landmarks import Landmarks
from posecheck.core.poses import load_pose
from posecheck.core.views import estimate_view
from posecheck.eval.labels import LABELS_FILE
from posecheck.io.files import write_text_atomically
from posecheck.synth import scripts as sc
from posecheck.synth.camera import Camera
from posecheck.synth.render import render
from posecheck.synth.scene import SKIN_TONES, Appearance, Scene
from posecheck.synth.skeleton import load_body, pose_body

FPS = 10
SIZE = (480, 360)
BLEND_S = 0.4  # a fault blends in (and out) over this long, centred on the labelled edge


@dataclass(frozen=True)
class Timing:
    """Seconds: rest, entry movement, hold, exit movement, rest. The fault is present from
    fault[0] to fault[1] of the hold (shares of it, at the blends' midpoints)."""

    rest: float = 0.6
    entry: float = 1.5
    hold: float = 7.5
    exit: float = 1.5
    rest_end: float = 0.7
    fault: tuple[float, float] = (0.28, 0.68)

    @property
    def duration(self) -> float:
        return self.rest + self.entry + self.hold + self.exit + self.rest_end

    @property
    def hold_span(self) -> tuple[float, float]:
        a = self.rest + self.entry
        return a, a + self.hold

    @property
    def fault_span(self) -> tuple[float, float]:
        a, _ = self.hold_span
        return a + self.fault[0] * self.hold, a + self.fault[1] * self.hold


# Camera placement per view name: azimuth (degrees, see Camera.orbit: 0 = in front of the
# neutral body, i.e. at the -Y end) and height (m). Supine bodies lie head toward +Y, so 0 is
# the feet end; Pigeon and Malasana face -Y, so 0 is their front. "-working": on the side of the
# working leg (mirrored for a right-side pose).
CAMERAS = {
    ("squat", "front"): (0.0, 0.95), ("squat", "side-left"): (90.0, 0.9), ("squat", "side-right"): (-90.0, 0.9),
    ("squat", "three-quarter"): (-42.0, 0.95),
    ("supine", "side-left"): (90.0, 0.45), ("supine", "side-right"): (-90.0, 0.45),
    ("supine", "feet"): (0.0, 1.2), ("supine", "feet-working"): (50.0, 0.95),
    ("pigeon", "side-left"): (90.0, 0.6), ("pigeon", "side-right"): (-90.0, 0.6), ("pigeon", "front"): (0.0, 0.65),
}

TOPS = ("tshirt", "tank", "long")
BOTTOMS = ("leggings", "capri", "shorts")
TOP_COLORS = ((46, 84, 150), (170, 40, 50), (40, 110, 70), (220, 220, 215), (30, 30, 35), (200, 120, 40),
              (110, 70, 150), (60, 140, 170))
BOTTOM_COLORS = ((110, 60, 80), (35, 35, 45), (60, 70, 110), (90, 90, 95), (70, 50, 40), (40, 80, 60))
HAIR = ((52, 36, 26), (20, 16, 14), (120, 80, 40), (170, 130, 80), (80, 40, 25))
MATS = ((92, 150, 140), (120, 90, 150), (70, 110, 170), (150, 80, 90), (90, 130, 80))


@dataclass(frozen=True)
class ClipSpec:
    """One sample clip. `fault` is the check whose fault the clip shows (None: correct form);
    `change` the form parameters that make it; `also` the other checks the same change
    necessarily breaks (labelled too)."""

    name: str
    pose: str
    side: str | None
    camera: str                  # a view name of CAMERAS for the pose's kind
    variant: str                 # body shape (posecheck.synth.VARIANTS)
    seed: int
    fault: str | None = None
    change: dict = field(default_factory=dict)
    also: tuple[str, ...] = ()
    base: dict = field(default_factory=dict)  # changes to the correct form for the whole clip
    note: str = ""
    #: (azimuth degrees, height metres) used as given, instead of `camera`'s placement drawn
    #: near its preset (the randomised sets place their cameras themselves)
    camera_at: tuple[float, float] | None = None
    fov_deg: float = 50.0  # vertical field of view
    fill: float | None = None  # share of the frame the movement spans (None: drawn)

    @property
    def file(self) -> str:
        return f"{self.name}.mp4"


def _specs() -> list[ClipSpec]:
    s = []
    M, H, P, F = "malasana", "happy-baby", "pigeon", "figure-four"
    add = s.append
    # --- Malasana (front: feet, elbows; side: heels, spine) ---
    add(ClipSpec("malasana-front-correct", M, None, "front", "female", 101))
    add(ClipSpec("malasana-side-correct", M, None, "side-left", "male", 102,
                 note="feet-wide and elbows-in-knees cannot be judged side-on: expected unknown"))
    add(ClipSpec("malasana-threequarter-correct", M, None, "three-quarter", "male_heavy", 103))
    add(ClipSpec("malasana-side-heels-lifted", M, None, "side-right", "female_light", 104,
                 "heels-down", {"heel_lift": 0.11}))
    add(ClipSpec("malasana-side-spine-folded", M, None, "side-left", "male_tall", 105,
                 "spine-upright", {"lean": 55.0}))
    add(ClipSpec("malasana-front-spine-folded", M, None, "front", "neutral", 106,
                 "spine-upright", {"lean": 55.0}))
    add(ClipSpec("malasana-front-feet-narrow", M, None, "front", "male_light", 107,
                 "feet-wide", {"feet_ratio": 0.7, "back": 0.5}))
    add(ClipSpec("malasana-side-hips-high", M, None, "side-right", "female_short", 108,
                 "deep-squat", {"knee_angle": 88.0, "back": 0.35}, also=("elbows-in-knees",)))
    add(ClipSpec("malasana-front-hips-high", M, None, "front", "female", 109,
                 "deep-squat", {"knee_angle": 88.0, "back": 0.35}, also=("elbows-in-knees",)))
    add(ClipSpec("malasana-front-palms-apart", M, None, "front", "male", 110,
                 "palms-together", {"hands_on_knees": 1.0}, also=("elbows-in-knees",)))
    add(ClipSpec("malasana-front-elbows-out", M, None, "front", "female_heavy", 111,
                 "elbows-in-knees", {"elbows_in": 0.0}))
    # --- Happy Baby (side; feet end for the knee width) ---
    add(ClipSpec("happy-baby-side-correct", H, None, "side-left", "female", 201))
    add(ClipSpec("happy-baby-side-correct-2", H, None, "side-right", "male_heavy", 202))
    add(ClipSpec("happy-baby-feet-correct", H, None, "feet", "neutral", 203,
                 note="knees-90, knees-to-armpits and head-down cannot be judged from the feet end"))
    add(ClipSpec("happy-baby-side-head-lifted", H, None, "side-left", "male_light", 204,
                 "head-down", {"head_lift": 30.0}))
    add(ClipSpec("happy-baby-side-hands-off", H, None, "side-right", "female_short", 205,
                 "hands-on-feet", {"hands_off": 1.0}))
    add(ClipSpec("happy-baby-side-knees-straight", H, None, "side-left", "male_tall", 206,
                 "knees-90", {"knee_angle": 142.0, "thigh_rise": 52.0, "hold": 2.0}))
    add(ClipSpec("happy-baby-side-shins-slanted", H, None, "side-right", "female_heavy", 207,
                 "soles-up", {"thigh_rise": 55.0, "knees_out": 22.0, "knee_angle": 90.0, "hold": 2.0},
                 note="knees lifted over the hips with the knees still at 90: the shins lean toward the "
                      "feet end, ankles past the knees (a lean a side camera sees; a sideways one it cannot)"))
    add(ClipSpec("happy-baby-side-thighs-away", H, None, "side-left", "male", 208,
                 "knees-to-armpits", {"thigh_rise": 118.0, "knees_out": 20.0, "knee_angle": 160.0, "tilt": 0.0,
                                      "hold": 3.0},
                 also=("knees-90", "hands-on-feet"),
                 note="thighs not drawn in cannot be shown alone: with the knees near 90 and the shins "
                      "vertical the thighs are drawn in; here the legs go up, nearly straight, hands on the thighs"))
    add(ClipSpec("happy-baby-feet-knees-narrow", H, None, "feet", "female_light", 209,
                 "knees-wide", {"knees_out": -4.0, "thigh_rise": 30.0, "knee_angle": 108.0, "tilt": 15.0,
                                "hold": 1.0, "grip_outside": 1.0}))
    # --- Pigeon (side; front for the hips and shin) ---
    add(ClipSpec("pigeon-right-side-correct", P, "right", "side-right", "male", 301))
    add(ClipSpec("pigeon-left-side-correct", P, "left", "side-left", "female", 302))
    add(ClipSpec("pigeon-right-front-correct", P, "right", "front", "female_light", 303,
                 note="back-leg-long cannot be judged from the front"))
    add(ClipSpec("pigeon-right-side-correct-far", P, "right", "side-left", "female", 310,
                 note="camera on the back-leg side: the front shin, across the mat, is seen end-on"))
    add(ClipSpec("pigeon-left-side-folded", P, "left", "side-left", "male_light", 304,
                 base={"trunk": 80.0}, note="correct, folded phase"))
    add(ClipSpec("pigeon-right-side-back-knee-bent", P, "right", "side-right", "female_short", 305,
                 "back-leg-long", {"back_knee": 118.0}))
    add(ClipSpec("pigeon-left-front-hips-open", P, "left", "front", "male_tall", 306,
                 "hips-square", {"hip_yaw": 38.0, "hip_roll": 24.0}))
    add(ClipSpec("pigeon-right-side-slumped", P, "right", "side-right", "neutral", 307,
                 "torso-supported", {"trunk": 55.0}))
    add(ClipSpec("pigeon-left-front-shin-angled", P, "left", "front", "female_heavy", 308,
                 "shin-parallel", {"front_thigh": -10.0, "front_shin": 48.0}))
    add(ClipSpec("pigeon-right-side-front-knee-open", P, "right", "side-right", "male_heavy", 309,
                 "front-knee-bent", {"front_thigh": 10.0, "front_shin": -62.0}, also=("shin-parallel",)))
    # --- Figure Four (side; feet end for the open knee) ---
    add(ClipSpec("figure-four-right-side-correct", F, "right", "side-left", "female", 401))
    add(ClipSpec("figure-four-left-side-correct", F, "left", "side-left", "male_light", 402))
    add(ClipSpec("figure-four-right-side-ankle-off", F, "right", "side-right", "male", 403,
                 "ankle-on-knee", {"ankle_on_shin": 0.7}, also=("knee-open",),
                 note="crossed too far: the ankle rests half-way down the supporting shin, which "
                      "brings the crossing knee in too (knee-open, a tip not judged side-on)"))
    add(ClipSpec("figure-four-left-side-thigh-away", F, "left", "side-left", "female_short", 404,
                 "thigh-to-chest", {"support_hip": 118.0}))
    add(ClipSpec("figure-four-right-side-hands-off", F, "right", "side-right", "male_tall", 405,
                 "hands-behind-thigh", {"hands_off": 1.0}))
    add(ClipSpec("figure-four-left-side-head-lifted", F, "left", "side-left", "female_heavy", 406,
                 "head-down", {"head_lift": 30.0}))
    add(ClipSpec("figure-four-right-feet34-knee-closed", F, "right", "feet-working", "neutral", 407,
                 "knee-open", {"knee_open": 0.0},
                 note="camera toward the feet on the crossing leg's side (straight from the feet end the "
                      "knees hide the face and the model misplaces the body)"))
    add(ClipSpec("figure-four-left-feet34-correct", F, "left", "feet-working", "male", 408,
                 note="head-down cannot be judged from a three-quarter view"))
    return s


SPECS: list[ClipSpec] = _specs()

#: Checks of docs/poses.md that no body can fault on its own, with the reason (none at
#: present: knees-to-armpits is shown, but only together with other faults; see its clip's note).
NOT_FAKEABLE: dict[str, str] = {}


# ----------------------------------------------------------------------------- schedule


def fault_weight(t: float, span: tuple[float, float], blend: float = BLEND_S) -> float:
    """How far the fault is blended in at time t: 0 outside, 1 inside, smooth in between."""
    a, b = span
    return sc.smoothstep((t - a) / blend + 0.5) - sc.smoothstep((t - b) / blend + 0.5)


def _form_at(spec: ClipSpec, base, faulty, timing: Timing, t: float):
    if spec.fault is None:
        return base, 0.0
    w = fault_weight(t, timing.fault_span)
    return base.blend(faulty, w), w


@dataclass
class Frame:
    t: float
    phase: str          # rest, entry, hold, exit
    pose: object        # skeleton.Pose
    weight: float       # fault blend weight (hold frames)


def script(spec: ClipSpec, body, timing: Timing, fps: int = FPS) -> list[Frame]:
    """Every frame's pose."""
    recipe, form_cls = sc.RECIPES[spec.pose]
    base = form_cls(**spec.base)
    faulty = replace(base, **spec.change)
    start = recipe.start(body, base)
    h0, h1 = timing.hold_span
    cache: dict = {}

    def hold_pose(t: float):
        form, w = _form_at(spec, base, faulty, timing, t)
        key = round(w, 6)
        if key not in cache:
            cache[key] = recipe.build(body, form, spec.side)
        return cache[key], w

    enter = sc.Transition(body, recipe, start, hold_pose(h0)[0], base, spec.side)
    leave = sc.Transition(body, recipe, hold_pose(h1)[0], start, base, spec.side, reverse=True)
    frames = []
    n = int(round(timing.duration * fps))
    for i in range(n):
        t = i / fps
        if t < timing.rest:
            frames.append(Frame(t, "rest", start, 0.0))
        elif t < h0:
            frames.append(Frame(t, "entry", enter.at((t - timing.rest) / timing.entry), 0.0))
        elif t < h1:
            pose, w = hold_pose(t)
            frames.append(Frame(t, "hold", pose, w))
        elif t < h1 + timing.exit:
            frames.append(Frame(t, "exit", leave.at((t - h1) / timing.exit), 0.0))
        else:
            frames.append(Frame(t, "rest", start, 0.0))
    return frames


# ----------------------------------------------------------------------------- looks


def _looks(spec: ClipSpec, kind: str, width: int, height: int):
    """Appearance, scene and camera placement drawn from the clip's seed."""
    rng = np.random.default_rng(spec.seed)
    skin = list(SKIN_TONES.values())[int(rng.integers(len(SKIN_TONES)))]
    appearance = Appearance(
        skin=skin,
        top_color=TOP_COLORS[int(rng.integers(len(TOP_COLORS)))],
        bottom_color=BOTTOM_COLORS[int(rng.integers(len(BOTTOM_COLORS)))],
        top=TOPS[int(rng.integers(len(TOPS)))],
        bottom=BOTTOMS[int(rng.integers(len(BOTTOMS)))],
        hair=HAIR[int(rng.integers(len(HAIR)))],
    )
    scene = Scene(mat_color=MATS[int(rng.integers(len(MATS)))],
                  light_dir=(float(rng.uniform(-0.5, 0.5)), float(rng.uniform(-0.7, -0.3)), 1.0),
                  ambient=float(rng.uniform(0.38, 0.46)))
    azimuth, camera_z = CAMERAS[(kind, spec.camera)]
    if spec.camera.endswith("-working") and spec.side == "right":
        azimuth = -azimuth  # on the working leg's side
    azimuth += float(rng.uniform(-6.0, 6.0))
    camera_z += float(rng.uniform(-0.08, 0.08))
    fill = float(rng.uniform(0.74, 0.84))
    if spec.camera_at is not None:
        azimuth, camera_z = spec.camera_at
    if spec.fill is not None:
        fill = spec.fill
    return appearance, scene, dict(azimuth_deg=azimuth, camera_z=camera_z, fill=fill)


# ----------------------------------------------------------------------------- truth


#: The truth for a body lying on the mat: seen end-on with the camera within this many
#: degrees of its line (around it, seen from above), and from the side within
#: `90 - TRUE_LYING_SIDE_DEG` of square. (posecheck's estimate has its own limits, in views.)
TRUE_LYING_END_DEG = 35.0
TRUE_LYING_SIDE_DEG = 65.0


def true_view(posed, camera: Camera, lying: bool = False) -> str:
    """posecheck's own view rule (views.estimate_view) applied to the true landmarks in camera
    coordinates (x right, y down, z forward, origin between the hips, as MediaPipe's world).
    A lying body's view is where the camera stands around it, whatever its height: the
    angle, seen from above, between the line of sight and the trunk (hips to shoulders)."""
    if lying:
        return _lying_view(posed, camera)
    c = camera.to_camera(posed.landmarks)
    px, _ = camera.project(posed.landmarks)
    hips = (c[23] + c[24]) / 2
    lm = Landmarks(xyz=np.column_stack([px, c[:, 2]]), visibility=np.ones(33),
                   width=camera.width, height=camera.height, world=c - hips)
    return estimate_view(lm).view


def _lying_view(posed, camera: Camera) -> str:
    p = posed.landmarks
    trunk = ((p[11] + p[12]) - (p[23] + p[24]))[:2]
    sight = (np.asarray(camera.target, float) - np.asarray(camera.position, float))[:2]
    cos = float(trunk @ sight) / (float(np.linalg.norm(trunk) * np.linalg.norm(sight)) or 1.0)
    angle = math.degrees(math.acos(max(-1.0, min(1.0, cos))))  # 0: from beyond the feet
    if angle <= TRUE_LYING_END_DEG:
        return "feet"
    if angle >= 180.0 - TRUE_LYING_END_DEG:
        return "head"
    return "side" if TRUE_LYING_SIDE_DEG <= angle <= 180.0 - TRUE_LYING_SIDE_DEG else "three-quarter"


class TruthError(AssertionError):
    """A frame whose true form does not match its label."""


def check_truth(spec: ClipSpec, frame: Frame, values: dict, failing: set[str]) -> dict[str, str]:
    """The verdicts of every check on a hold frame; raises TruthError when a check that should
    clearly pass (or clearly fail) does not. Frames inside a blend are not checked."""
    verdicts = sc.judge_truth(spec.pose, spec.side, values)
    if 0.0 < frame.weight < 1.0:
        return verdicts
    for check_id, verdict in verdicts.items():
        want = "fail" if check_id in failing and frame.weight == 1.0 else "pass"
        if verdict != want:
            raise TruthError(f"{spec.name} t={frame.t:.1f}s: {check_id} is {verdict}, designed {want} "
                             f"(values: {_relevant(spec, check_id, values)})")
    return verdicts


def _relevant(spec: ClipSpec, check_id: str, values: dict) -> dict:
    names = sc.criteria(spec.pose, spec.side)[check_id][0]
    return {n: round(values[n], 3) for n in names}


def held_span(frames: list[Frame], verdicts: list[dict[str, str]], fps: int) -> tuple[float, float]:
    """When the body truly holds the pose: the scripted hold, widened into the entry and exit
    movements over the frames whose true verdicts already (or still) equal those at the hold's
    first (last) frame, none of them unclear. Edges fall midway between frames."""
    hold = [i for i, f in enumerate(frames) if f.phase == "hold"]
    first, last = hold[0], hold[-1]

    def same(i: int, ref: dict[str, str]) -> bool:
        return verdicts[i] == ref and "unclear" not in ref.values()

    while first > 0 and frames[first - 1].phase == "entry" and same(first - 1, verdicts[hold[0]]):
        first -= 1
    while last + 1 < len(frames) and frames[last + 1].phase == "exit" and same(last + 1, verdicts[hold[-1]]):
        last += 1
    return (frames[first].t - 0.5 / fps, frames[last].t + 0.5 / fps)


def hold_range(frames: list[Frame], verdicts: list[dict[str, str]], kinds: dict[str, str],
               span: tuple[float, float], fps: int) -> tuple[float, float]:
    """Seconds of truly correct hold within the held span, as a range: the frames where every
    fault check truly passes, and those plus the frames where one is unclear (its true value
    between its pass and fail bands) and none fails. Time credited on an unclear frame is
    neither right nor wrong."""
    sure = maybe = 0
    for f, v in zip(frames, verdicts):
        if not span[0] <= f.t < span[1]:
            continue
        states = {v[c] for c, kind in kinds.items() if kind == "fault"}
        sure += states == {"pass"}
        maybe += "fail" not in states
    return sure / fps, maybe / fps


# ----------------------------------------------------------------------------- one clip


@dataclass
class Clip:
    spec: ClipSpec
    frames: list[Frame]
    posed: list            # skeleton.PosedBody per frame
    camera: Camera
    camera_args: dict
    appearance: Appearance
    scene: Scene


def build(spec: ClipSpec, timing: Timing = Timing(), size=SIZE, fps: int = FPS) -> Clip:
    """Every frame's posed body, and the clip's fixed camera (framing the whole movement)."""
    recipe, _ = sc.RECIPES[spec.pose]
    body = load_body(spec.variant)
    frames = script(spec, body, timing, fps)
    posed = [pose_body(body, f.pose) for f in frames]
    appearance, scene, cam_args = _looks(spec, recipe.kind, *size)
    points = np.concatenate([p.vertices[::7] for p in posed])
    camera = Camera.fit(points, fov_deg=spec.fov_deg, width=size[0], height=size[1], **cam_args)
    return Clip(spec, frames, posed, camera, cam_args, appearance, scene)


def render_clip(spec: ClipSpec, out_dir: str | Path, timing: Timing = Timing(), size=SIZE,
                fps: int = FPS, video: bool = True) -> dict:
    """Render one clip to out_dir/spec.file and return its label entry (plus extra keys the
    labels loader ignores: seed, body, camera, fault, truth, timing). With video=False only
    the label is worked out (for a change of the truth rules; the clip must be current)."""
    t_start = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clip = build(spec, timing, size, fps)
    frames, posed, camera, cam_args = clip.frames, clip.posed, clip.camera, clip.camera_args

    failing = {spec.fault, *spec.also} - {None}
    checks = {c.id: c for c in load_pose(spec.pose).checks}
    unknown = failing - set(checks)
    if unknown:
        raise ValueError(f"{spec.name}: {sorted(unknown)} are not checks of {spec.pose}")
    views, fault_views, truth, verdicts = [], [], {}, []
    lying = load_pose(spec.pose).lying
    for f, p in zip(frames, posed):
        values = sc.truth_values(p)
        verdicts.append(sc.judge_truth(spec.pose, spec.side, values))
        if f.phase != "hold":
            continue
        check_truth(spec, f, values, failing)
        (fault_views if f.weight > 0 else views).append(true_view(p, camera, lying))
        state = "fault" if f.weight == 1.0 else "correct" if f.weight == 0.0 else None
        if state and state not in truth:
            truth[state] = {c: _relevant(spec, c, values) for c in sorted(failing or checks)}
    # the clip's view: the one of the correct hold (a fault may turn the body: see "fault_view")
    view = views[0]
    if set(views) != {view}:
        raise TruthError(f"{spec.name}: the true view changes during the correct hold: "
                         f"{ {v: views.count(v) for v in set(views)} }")
    fault_view = max(set(fault_views), key=fault_views.count) if fault_views else view
    for p in posed:
        px, depth = camera.project(p.landmarks)
        if not (np.all(depth > 0) and np.all((px >= 0) & (px <= [size[0], size[1]]))):
            raise TruthError(f"{spec.name}: a landmark falls outside the frame")

    t_render = time.perf_counter()
    if video:
        _write_video(out_dir / spec.file, clip, size, fps)
    render_s = time.perf_counter() - t_render

    h0, h1 = held_span(frames, verdicts, fps)
    fails = {}
    if failing:
        a, b = timing.fault_span
        fails = {c: [[round(a, 3), round(b, 3)]] for c in sorted(failing)}
    # correct hold: in the pose with no fault-kind check failing (tips do not count)
    faulted = timing.fault_span[1] - timing.fault_span[0] if any(
        checks[c].kind == "fault" for c in failing) else 0.0
    return {
        "file": spec.file, "pose": spec.pose, "side": spec.side, "view": view,
        "duration_s": round(len(frames) / fps, 3),
        "in_pose": [[round(h0, 3), round(h1, 3)]],
        "fails": fails,
        "correct_hold_s": round(h1 - h0 - faulted, 3),
        "correct_hold_range_s": [round(x, 3) for x in hold_range(
            frames, verdicts, {c.id: c.kind for c in checks.values()}, (h0, h1), fps)],
        "fault": spec.fault, "also": list(spec.also), "note": spec.note,
        **({"fault_view": fault_view} if fault_view != view else {}),
        "seed": spec.seed, "body": spec.variant,
        "camera": {"placement": spec.camera, "azimuth_deg": round(cam_args["azimuth_deg"], 1),
                   "height_m": round(camera.position[2], 2),
                   "distance_m": round(float(np.linalg.norm(np.subtract(camera.position, camera.target))), 2)},
        "truth": truth,
        "_stats": {"frames": len(frames), "render_s_per_frame": round(render_s / len(frames), 3),
                   "total_s": round(time.perf_counter() - t_start, 1)},
    }


def _write_video(path: Path, clip: Clip, size, fps: int) -> None:
    """Every frame rendered; a still body (a rest, a steady hold) is rendered once."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), float(fps), tuple(size))
    if not writer.isOpened():
        raise OSError(f"cannot write {path}")
    pictures: dict[int, np.ndarray] = {}  # by the frame's Pose object: script() reuses them
    for f, p in zip(clip.frames, clip.posed):
        if id(f.pose) not in pictures:
            pictures[id(f.pose)] = render(p, clip.camera, clip.appearance, clip.scene)
        writer.write(pictures[id(f.pose)])
    writer.release()


# ----------------------------------------------------------------------------- many clips


def select(pattern: str | None) -> list[ClipSpec]:
    if not pattern:
        return list(SPECS)
    return [s for s in SPECS if fnmatch.fnmatch(s.name, pattern) or pattern in s.name]


def write_labels(out_dir: Path, entries: dict[str, dict], files: list[str] | None = None) -> None:
    """labels.json: the clips in the order of `files` (default: SPECS), existing entries kept
    for clips not re-rendered."""
    path = out_dir / LABELS_FILE
    old = {}
    if path.is_file():
        old = {c["file"]: c for c in json.loads(path.read_text(encoding="utf-8")).get("clips", [])}
    merged = {**old, **entries}
    known = files if files is not None else [s.file for s in SPECS]
    clips = [{k: v for k, v in merged[f].items() if not k.startswith("_")} for f in known if f in merged]
    body = ",\n".join("  " + json.dumps(c, separators=(", ", ": ")) for c in clips)
    write_text_atomically(path, '{"version": 1, "clips": [\n' + body + "\n]}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("samples"))
    parser.add_argument("--only", help="render only clips whose name matches (glob or substring)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--list", action="store_true", help="list the clips and exit")
    parser.add_argument("--labels-only", action="store_true",
                        help="work out the labels again without rendering (clips must be current)")
    args = parser.parse_args(argv)
    specs = select(args.only)
    if args.list:
        for s in specs:
            print(f"{s.name:<40} {s.pose:<12} {s.side or '-':<6} {s.camera:<14} {s.fault or 'correct'}")
        return 0
    if not specs:
        print(f"no clip matches {args.only!r}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    entries: dict[str, dict] = {}

    def report(entry: dict) -> None:
        entries[entry["file"]] = entry
        st = entry["_stats"]
        print(f"[{len(entries)}/{len(specs)}] {entry['file']:<44} {entry['view']:<13} "
              f"{st['frames']} frames, render {st['render_s_per_frame']:.3f} s/frame, {st['total_s']:.1f} s",
              flush=True)

    video = not args.labels_only
    if args.jobs <= 1:
        for s in specs:
            report(render_clip(s, args.out, video=video))
    else:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(render_clip, s, args.out, video=video) for s in specs]
            for fut in as_completed(futures):
                report(fut.result())
    write_labels(args.out, entries)
    print(f"{len(entries)} clips in {time.perf_counter() - t0:.0f} s; labels: {args.out / LABELS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
