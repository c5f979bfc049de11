"""Can hips-square, shin-parallel or knee-open be judged? A sweep on rendered stills.

    python benchmarks/unjudged_sweep.py --jobs 2 --json sweep.json --plot docs/sweep.png
    python benchmarks/unjudged_sweep.py --load sweep.json --plot docs/sweep.png

(about 20 minutes on 2 cores: 4608 stills at 480x360.)

Pigeon is rendered with its pelvis turned open (hip yaw 0-45 deg, roll 3-25 deg) and with
its front shin swung from across the mat (0-55 deg); Figure Four with its crossing knee
from pressed open to pulled in. Each form is seen by four bodies, both sides, from eight
cameras around the mat (every 45 deg) at three heights (0.3, 0.7 and 1.2 m). Every still goes
through the pose model in image mode with its person mask, and every candidate signal
(`SIGNALS`, from the landmarks, their 3-D world estimate and the mask) is measured on it.

The truth of each still comes from the rendered body's joints (`scripts.judge_truth`): square
or open, parallel or not, open or closed; forms between the two bands are left out.

It prints, for each signal and camera placement, how well the signal separates the fault
from the correct form (ROC AUC, 1.0 perfect, 0.5 chance; which way the signal runs is read
off the training bodies), on the training bodies and on the validation bodies; then, for the
best signal and placement per check, the threshold fitted on the training bodies (no more
than 5 % of training faults passed) and what it gives on the validation bodies, and with
`--between` on cameras turned 20 deg off the eight placements: F1 and, for the hips, the
open hips (yaw >= 30) passed as square. `--plot` draws each signal's median against the
fault's size, per placement.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from view_table import looks  # noqa: E402

from posecheck.core import geometry as g  # noqa: E402
from posecheck.core.features import measure, mid  # noqa: E402
from posecheck.core.landmarks import other_side  # noqa: E402
from posecheck.core.poses import load_pose  # noqa: E402
from posecheck.core.views import estimate_view  # noqa: E402
from posecheck.synth import scripts as sc  # noqa: E402
from posecheck.synth.camera import Camera  # noqa: E402
from posecheck.synth.render import render  # noqa: E402
from posecheck.synth.skeleton import load_body, pose_body  # noqa: E402

SIZE = (480, 360)
FOV = 50.0
AZIMUTHS = tuple(range(0, 360, 45))
HEIGHTS = (0.3, 0.7, 1.2)
TRAIN_BODIES = ("female", "male")
VALIDATION_BODIES = ("female_heavy", "male_light")
HIP = {"left": 23, "right": 24}  # landmark indices
MAX_TRAIN_MISS = 0.05  # a threshold may pass at most this share of the training faults

#: The forms swept, per check: (pose, form field changes). Pigeon's defaults are square hips
#: (yaw 0, roll 3) with the shin 8 deg from across the mat; Figure Four's knee is pressed open.
SWEEPS = {
    "hips-square": ("pigeon", [{"hip_yaw": y} for y in (0, 5, 10, 15, 20, 25, 30, 35, 40, 45)]
                    + [{"hip_roll": r} for r in (8, 12, 16, 22, 25)]),
    "shin-parallel": ("pigeon", [{"front_shin": a} for a in (0, 10, 20, 30, 40, 55)]),
    "knee-open": ("figure-four", [{"knee_open": k} for k in (0.0, 0.25, 0.5, 0.75, 1.0)]),
}


def placement(azimuth: float, pose: str, working_near: bool | None = None) -> str:
    """The camera's place around the mat: Pigeon from its front end (0) round to its back
    end (180); Figure Four from the feet (0) round to the head (180). Off the ends, "W" when
    the working leg's side (Pigeon's front leg, Figure Four's crossing leg) faces the camera,
    "O" when the other leg's does."""
    a = abs((azimuth + 180.0) % 360.0 - 180.0)
    ends = ("front", "back") if pose == "pigeon" else ("feet", "head")
    name = {0: ends[0], 45: f"{ends[0]} 3/4", 90: "side", 135: f"{ends[1]} 3/4", 180: ends[1]}[
        round(a / 45.0) * 45]
    if name in ends or working_near is None:
        return name
    return f"{name} {'W' if working_near else 'O'}"


def placements(pose: str) -> list[str]:
    """Every placement name, in order round the mat."""
    out = []
    for a in (0, 45, 90, 135, 180):
        for near in ((None,) if a in (0, 180) else (True, False)):
            out.append(placement(a, pose, near))
    return out


# ----------------------------------------------------------------------------- signals


def _legs(side: str) -> tuple[str, str]:
    """(working, other) side names."""
    return side, other_side(side)


def _torso_px(lm) -> float:
    """The torso's length in the picture (hip midpoint to shoulder midpoint)."""
    return g.distance(mid(lm, "left_hip", "right_hip"), mid(lm, "left_shoulder", "right_shoulder")) or 1e-9


def _angle_to_line(u: np.ndarray, v: np.ndarray) -> float:
    """Angle between two directions as lines (0-90 deg)."""
    a = g.angle_between(u, v)
    return min(a, 180.0 - a)


def _mask_row(mask: np.ndarray, y: float) -> np.ndarray:
    """The columns the person's mask covers on picture row y (three rows merged)."""
    h = mask.shape[0]
    rows = mask[max(0, int(y) - 1):min(h, int(y) + 2)]
    return np.flatnonzero((rows > 0.5).any(axis=0))


def hips_back_leg_3d(lm, mask, side):
    """|90 - angle| between the hip line and the back thigh, 3-D: 0 when the pelvis is square
    to the back leg (which runs along the mat)."""
    _, o = _legs(side)
    hips = lm.p3("left_hip") - lm.p3("right_hip")
    return abs(90.0 - g.angle_between(hips, lm.p3(f"{o}_knee") - lm.p3(f"{o}_hip")))


def hips_shoulders_3d(lm, mask, side):
    """Angle between the hip line and the shoulder line, 3-D."""
    return _angle_to_line(lm.p3("left_hip") - lm.p3("right_hip"),
                          lm.p3("left_shoulder") - lm.p3("right_shoulder"))


def hips_yaw_camera_3d(lm, mask, side):
    """The hip line out of the picture plane, 3-D (posecheck's hip_line_yaw)."""
    return measure(lm, "hip_line_yaw", None)


def hips_roll_picture(lm, mask, side):
    """The hip line's tilt from horizontal in the picture (posecheck's hip_line_roll)."""
    return measure(lm, "hip_line_roll", None)


def hips_width_picture(lm, mask, side):
    """Hip line over shoulder line, picture lengths: a turned pelvis is foreshortened."""
    return (g.distance(lm.px("left_hip"), lm.px("right_hip"))
            / (g.distance(lm.px("left_shoulder"), lm.px("right_shoulder")) or 1e-9))


def back_hip_raised(lm, mask, side):
    """How much higher the back hip is than the front one in the picture, in torso lengths."""
    w, o = _legs(side)
    return float(lm.px(f"{w}_hip")[1] - lm.px(f"{o}_hip")[1]) / _torso_px(lm)


def mask_hip_width(lm, mask, side):
    """The person's width on the hip row over the width on the shoulder row (mask)."""
    hip_y = (lm.px("left_hip")[1] + lm.px("right_hip")[1]) / 2
    sh_y = (lm.px("left_shoulder")[1] + lm.px("right_shoulder")[1]) / 2
    hip, sh = _mask_row(mask, hip_y), _mask_row(mask, sh_y)
    if len(hip) == 0 or len(sh) == 0:
        return float("nan")
    return float(hip[-1] - hip[0]) / (float(sh[-1] - sh[0]) or 1.0)


def mask_hip_asymmetry(lm, mask, side):
    """On the hip row, the mask's reach on the back-leg side of the hip midpoint minus its reach
    on the front-leg side, over the shoulder width (picture): a pelvis turned open pushes
    the back hip out."""
    w, o = _legs(side)
    hip_mid = (lm.px("left_hip") + lm.px("right_hip")) / 2
    cols = _mask_row(mask, hip_mid[1])
    if len(cols) == 0:
        return float("nan")
    sign = 1.0 if lm.px(f"{o}_hip")[0] >= lm.px(f"{w}_hip")[0] else -1.0
    back = (cols[-1] - hip_mid[0]) if sign > 0 else (hip_mid[0] - cols[0])
    front = (hip_mid[0] - cols[0]) if sign > 0 else (cols[-1] - hip_mid[0])
    shoulders = g.distance(lm.px("left_shoulder"), lm.px("right_shoulder")) or 1e-9
    return float(back - front) / shoulders


def back_foot_turn(lm, mask, side):
    """The back foot (heel to toes) against the normal of the plane of the back thigh and the
    hip line (3-D): a leg rolled open turns the foot onto its inner edge."""
    _, o = _legs(side)
    foot = lm.p3(f"{o}_foot_index") - lm.p3(f"{o}_heel")
    thigh = lm.p3(f"{o}_knee") - lm.p3(f"{o}_hip")
    hips = lm.p3("left_hip") - lm.p3("right_hip")
    normal = np.cross(thigh, hips)
    return _angle_to_line(foot, normal)


def shin_back_leg_3d(lm, mask, side):
    """|90 - angle| between the front shin and the back thigh, 3-D: 0 when the shin lies
    across the mat (square to the back leg)."""
    w, o = _legs(side)
    shin = lm.p3(f"{w}_ankle") - lm.p3(f"{w}_knee")
    return abs(90.0 - g.angle_between(shin, lm.p3(f"{o}_knee") - lm.p3(f"{o}_hip")))


def shin_hip_line_3d(lm, mask, side):
    """Angle between the front shin and the hip line, 3-D: 0 when parallel."""
    w = side
    return _angle_to_line(lm.p3(f"{w}_ankle") - lm.p3(f"{w}_knee"),
                          lm.p3("left_hip") - lm.p3("right_hip"))


def shin_picture(lm, mask, side):
    """The front shin's tilt from horizontal in the picture."""
    w = side
    return g.tilt_from_horizontal(lm.px(f"{w}_knee"), lm.px(f"{w}_ankle"))


def thigh_spread_3d(lm, mask, side):
    """Angle between the two thighs, 3-D (posecheck's thigh_spread)."""
    return measure(lm, "thigh_spread", side)


def thigh_spread_picture(lm, mask, side):
    """Angle between the two thighs in the picture."""
    w, o = _legs(side)
    return g.angle_between(lm.px(f"{w}_knee") - lm.px(f"{w}_hip"),
                           lm.px(f"{o}_knee") - lm.px(f"{o}_hip"))


def knee_out_picture(lm, mask, side):
    """How far the crossing knee sits out from the supporting thigh's line in the picture,
    in torso lengths."""
    w, o = _legs(side)
    return g.point_to_segment(lm.px(f"{w}_knee"), lm.px(f"{o}_hip"), lm.px(f"{o}_knee")) / _torso_px(lm)


#: check -> signal name -> function(landmarks, mask, working side). Which way a signal runs
#: (larger for the fault, or smaller) is read off the training bodies.
SIGNALS = {
    "hips-square": {
        "hip line vs back thigh, 3-D": hips_back_leg_3d,
        "hip line vs shoulder line, 3-D": hips_shoulders_3d,
        "hip line out of the picture, 3-D": hips_yaw_camera_3d,
        "hip line tilt, picture": hips_roll_picture,
        "hip / shoulder width, picture": hips_width_picture,
        "back hip raised, picture": back_hip_raised,
        "hip / shoulder width, mask": mask_hip_width,
        "back-hip side reach, mask": mask_hip_asymmetry,
        "back foot on its edge, 3-D": back_foot_turn,
    },
    "shin-parallel": {
        "shin vs back thigh, 3-D": shin_back_leg_3d,
        "shin vs hip line, 3-D": shin_hip_line_3d,
        "shin tilt, picture": shin_picture,
    },
    "knee-open": {
        "thigh spread, 3-D": thigh_spread_3d,
        "thigh spread, picture": thigh_spread_picture,
        "knee out from the other thigh, picture": knee_out_picture,
    },
}


# ----------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Task:
    check: str
    pose: str
    change: tuple
    side: str
    variant: str
    seed: int
    offset: float = 0.0  # degrees added to every camera azimuth


def tasks(only: str | None = None, offset: float = 0.0) -> list[Task]:
    out = []
    for check, (pose, changes) in SWEEPS.items():
        if only is not None and check != only:
            continue
        for i, change in enumerate(changes):
            for side in ("right", "left"):
                for j, variant in enumerate(TRAIN_BODIES + VALIDATION_BODIES):
                    out.append(Task(check, pose, tuple(change.items()), side, variant,
                                    5000 + 100 * list(SWEEPS).index(check) + 10 * i + j, offset))
    return out


_DETECTOR = None


def _detector():
    global _DETECTOR
    if _DETECTOR is None:
        from posecheck.io.detector import Detector
        _DETECTOR = Detector(mode="image", masks=True)
    return _DETECTOR


def run_task(task: Task) -> list[dict]:
    """Render one form of one body from every camera; one record per still."""
    recipe, form_cls = sc.RECIPES[task.pose]
    body = load_body(task.variant)
    form = replace(form_cls(), **dict(task.change))
    posed = pose_body(body, recipe.build(body, form, task.side))
    values = sc.truth_values(posed)
    truth = sc.judge_truth(task.pose, task.side, values)[task.check]
    appearance, scene = looks(task.seed)
    detector = _detector()
    records = []
    for height in HEIGHTS:
        for az in (a + task.offset for a in AZIMUTHS):
            camera = Camera.fit(posed.vertices, fov_deg=FOV, width=SIZE[0], height=SIZE[1],
                                azimuth_deg=float(az), camera_z=height, fill=0.8)
            lm = detector.detect(render(posed, camera, appearance, scene), 0.0)
            depth = camera.to_camera(posed.landmarks)[:, 2]
            near = depth[HIP[task.side]] < depth[HIP["left" if task.side == "right" else "right"]]
            rec = {"check": task.check, "change": dict(task.change), "side": task.side,
                   "variant": task.variant, "azimuth": az, "height": height,
                   "placement": placement(az, task.pose, bool(near)), "truth": truth,
                   "size": _fault_size(task.check, values, task.side), "signals": {}}
            if lm is not None:
                rec["view"] = estimate_view(lm, load_pose(task.pose)).view
                for name, fn in SIGNALS[task.check].items():
                    value = fn(lm, detector.last_mask, task.side)
                    rec["signals"][name] = None if not math.isfinite(value) else round(value, 4)
            records.append(rec)
    return records


def _fault_size(check: str, values: dict, side: str) -> float:
    """The fault's true size: hip yaw (deg), shin from across (deg), thigh spread (deg)."""
    if check == "hips-square":
        return round(values["hip_yaw"], 1)
    if check == "shin-parallel":
        return round(values[f"shin_from_across_{side}"], 1)
    return round(values[f"thigh_spread_{side}"], 1)


# ----------------------------------------------------------------------------- analysis


def auc(faults: list[float], correct: list[float]) -> float | None:
    """P(a fault scores above a correct form), ties half."""
    if not faults or not correct:
        return None
    f, c = np.asarray(faults), np.asarray(correct)
    above = (f[:, None] > c[None, :]).sum() + 0.5 * (f[:, None] == c[None, :]).sum()
    return float(above) / (len(f) * len(c))


def _values(records, check, name, bodies, place, sign=1):
    """(fault values, correct values) of one signal from one placement, times `sign`."""
    out = {"fail": [], "pass": []}
    for r in records:
        if r["check"] != check or r["variant"] not in bodies or r["truth"] not in out \
                or r["placement"] != place:
            continue
        v = r["signals"].get(name)
        if v is not None:
            out[r["truth"]].append(sign * v)
    return out["fail"], out["pass"]


def fit_threshold(faults: list[float]) -> float | None:
    """The largest threshold (fault when above it) that passes at most MAX_TRAIN_MISS of the
    training faults."""
    return float(np.quantile(np.asarray(faults), MAX_TRAIN_MISS)) if faults else None


def f1_at(faults, correct, threshold) -> tuple[float, float, float]:
    tp = sum(v > threshold for v in faults)
    fp = sum(v > threshold for v in correct)
    fn = len(faults) - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, (2 * tp / (2 * tp + fp + fn) if tp else 0.0)


def _open_passed(records, name, place, sign, threshold) -> tuple[int, int]:
    """Open hips (yaw >= 30) from this placement read as square, of those seen."""
    values = [sign * r["signals"][name] for r in records
              if r["check"] == "hips-square" and r["placement"] == place
              and r["change"].get("hip_yaw", 0) >= 30 and r["signals"].get(name) is not None]
    return sum(v <= threshold for v in values), len(values)


def report(records: list[dict], between: list[dict] | None = None) -> dict:
    """Per check: each signal's AUC by placement, oriented on the training bodies (a signal
    that runs the other way there is turned round, marked "-"); then the best cell on train,
    its threshold, and what it gives on the validation bodies and, with `between` (stills
    from cameras turned off the eight placements), there too."""
    out: dict = {}
    for check, signals in SIGNALS.items():
        pose = SWEEPS[check][0]
        places = [p for p in placements(pose)
                  if any(r["check"] == check and r["placement"] == p for r in records)]
        if not places:
            continue
        print(f"\n{check}: ROC AUC by camera placement, train bodies / validation bodies "
              f"(- : the signal read the other way round)")
        print(f"  {'signal':<40}" + "".join(f"{p:>14}" for p in places))
        out[check] = {"auc": {}}
        cells = []
        for name in signals:
            row = []
            out[check]["auc"][name] = {}
            for p in places:
                tr = auc(*_values(records, check, name, TRAIN_BODIES, p))
                if tr is None:
                    row.append("-")
                    continue
                sign = 1 if tr >= 0.5 else -1
                tr = max(tr, 1.0 - tr)
                va = auc(*_values(records, check, name, VALIDATION_BODIES, p, sign))
                out[check]["auc"][name][p] = {"train": tr, "validation": va, "sign": sign}
                cells.append((tr, name, p, sign))
                row.append(f"{'-' if sign < 0 else ' '}{tr:.2f} / {va:.2f}")
            print(f"  {name:<40}" + "".join(f"{c:>14}" for c in row))
        tr, name, p, sign = max(cells)
        threshold = fit_threshold(_values(records, check, name, TRAIN_BODIES, p, sign)[0])
        best = {"signal": name, "placement": p, "sign": sign, "threshold": threshold}
        line = f"  best on train: {name!r} from {p} (AUC {tr:.2f}); fault when {'above' if sign > 0 else 'below'} {sign * threshold:.3g}"
        sets = [("validation bodies", records, VALIDATION_BODIES)]
        if between:
            sets.append(("cameras 20 deg off, all bodies", between, TRAIN_BODIES + VALIDATION_BODIES))
        for label, recs, bodies in sets:
            faults, correct = _values(recs, check, name, bodies, p, sign)
            precision, recall, f1 = f1_at(faults, correct, threshold)
            best[label] = {"auc": auc(faults, correct), "precision": precision, "recall": recall,
                           "f1": f1}
            line += (f"\n    {label}: AUC {best[label]['auc'] or 0:.2f}, precision {precision:.2f}, "
                     f"recall {recall:.2f}, F1 {f1:.2f}")
            if check == "hips-square":
                passed, seen = _open_passed([r for r in recs if r["variant"] in bodies], name, p,
                                            sign, threshold)
                best[label]["open_passed"] = [passed, seen]
                line += f"; open hips (yaw >= 30) passed as square: {passed} of {seen}"
        print(line)
        out[check]["best"] = best
    return out


def plot(records: list[dict], path: str) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(13, 9), layout="constrained")
    rows = [(check, name) for check in SIGNALS for name in SIGNALS[check]]
    cols = 3
    axes = fig.subplots(math.ceil(len(rows) / cols), cols).ravel()
    for ax, (check, name) in zip(axes, rows):
        pose = SWEEPS[check][0]
        for p in placements(pose):
            by = defaultdict(lambda: ([], []))  # swept value -> (true sizes, signal values)
            for r in records:
                v = r["signals"].get(name)
                if r["check"] == check and r["placement"] == p and v is not None \
                        and (check != "hips-square" or "hip_roll" not in r["change"]):
                    sizes, values = by[tuple(r["change"].items())]
                    sizes.append(r["size"])
                    values.append(v)
            if by:
                pts = sorted((float(np.median(a)), float(np.median(b))) for a, b in by.values())
                ax.plot(*zip(*pts), "o-", ms=3, label=p)
        ax.set_title(f"{check}: {name}", fontsize=8)
        ax.set_xlabel({"hips-square": "true hip yaw (deg)", "shin-parallel":
                       "true shin from across (deg)", "knee-open": "true thigh spread (deg)"}[check],
                      fontsize=7)
        ax.tick_params(labelsize=7)
    axes[0].legend(fontsize=6, ncol=2)
    axes[len(rows) - 1].legend(fontsize=6, ncol=2)
    for ax in axes[len(rows):]:
        ax.set_visible(False)
    fig.savefig(path, dpi=100)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", help="write every still's record here")
    parser.add_argument("--load", nargs="+", help="analyse records written by --json instead of rendering")
    parser.add_argument("--between", nargs="+",
                        help="records of a run with --azimuth-offset: check the fitted cells there")
    parser.add_argument("--plot", help="write the response curves here (.png)")
    parser.add_argument("--only", choices=sorted(SWEEPS), help="sweep this check only")
    parser.add_argument("--azimuth-offset", type=float, default=0.0,
                        help="turn every camera this many degrees round the mat (checks that a "
                             "signal holds between the eight placements)")
    args = parser.parse_args()
    if args.load:
        records = [r for f in args.load for r in json.loads(Path(f).read_text())]
    else:
        todo, records = tasks(args.only, args.azimuth_offset), []
        with ProcessPoolExecutor(args.jobs) as pool:
            for n, recs in enumerate(pool.map(run_task, todo), 1):
                records.extend(recs)
                print(f"\rrendered {n}/{len(todo)} forms", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        if args.json:
            Path(args.json).write_text(json.dumps(records))
    detected = sum(bool(r["signals"]) for r in records)
    print(f"{len(records)} stills, a person found on {detected}")
    between = [r for f in args.between or () for r in json.loads(Path(f).read_text())]
    report(records, between)
    if args.plot:
        plot(records, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
