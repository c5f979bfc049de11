"""Which camera views each check can be judged from: measured on rendered stills.

    python benchmarks/view_table.py [--jobs 2] [--sides right|both] [--azimuth-offset DEG]
                                    [--only POSE] [--json PATH] [--out DIR] [--brief]
    python benchmarks/view_table.py --load RUN1.json RUN2.json [--json PATH]

(about 4.5 minutes on 2 cores for one run: 1296 stills at 480x360.)

For every pose, its correct form and every fault form of the sample clips
(`posecheck.synth.samples`: correct = the spec's base form, fault = base with the spec's
`change`), two body variants, and a ring of cameras (azimuth every 30 degrees, two heights
suited to the pose kind), one still is rendered and run through the real detector (image
mode). For each still it records

- the TRUE verdict of every check (`scripts.judge_truth` on the posed body's 3-D joints),
- the TRUE view (`samples.true_view`: posecheck's view rule on the true landmarks) and the
  ESTIMATED view (`views.estimate_view` on the detected landmarks),
- posecheck's state of every supported check evaluated AS IF it were allowed from every view
  (the check with views=("any",), no hysteresis), with the working side fixed (as the routine
  does) and, where the pose file asks, the legs named by role, as `Judge` does.

It prints, per check and TRUE view: stills, share judged (not unknown), accuracy when judged
(truth "unclear" left out), fault recall and false-alarm rate, and a verdict (reliable:
accuracy >= 90% on n >= 10; unreliable: < 75%; else marginal; "too few" under 5 stills), beside
the views the pose file allows now, flagging disagreements. Most stills show correct form, so
accuracy can hide a check that misses faults: "misses faults" marks recall under 75% on at least
5 fault stills (such a view is not proposed even when its accuracy is high). Camera height matters
as much as the view: the main table also gives the accuracy at the low and the high camera.
Then the same by ESTIMATED view (what gating acts on), and
the true-vs-estimated view confusion. Nothing is written except --json and --out.

The 30-degree grid puts azimuths 30 and 60 exactly on the view rule's yaw limits (FRONT_YAW,
SIDE_YAW), so their true view is decided by small posture details; `--azimuth-offset 15` renders
the in-between cameras, and `--load` tabulates both runs together (every 15 degrees).

Each record keeps the detected landmarks, so `--load` judges them again with the current pose
files, view rule and truth rule (the bodies are posed again, nothing is rendered: under a
minute): a rule change is measured without the 9-minute render.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from posecheck.core import checks as ck
from posecheck.core.landmarks import Landmarks
from posecheck.core.poses import load_pose
from posecheck.core.sides import LEG_ROLES
from posecheck.core.views import estimate_view
from posecheck.synth import scripts as sc
from posecheck.synth.camera import Camera
from posecheck.synth.render import render
from posecheck.synth.samples import (
    BOTTOM_COLORS,
    BOTTOMS,
    HAIR,
    MATS,
    SPECS,
    TOP_COLORS,
    TOPS,
    true_view,
)
from posecheck.synth.scene import SKIN_TONES, Appearance, Scene
from posecheck.synth.skeleton import load_body, pose_body

SIZE = (480, 360)
FOV = 50.0
AZIMUTHS = tuple(range(0, 360, 30))
#: Camera heights (m) per pose kind: the sample clips' heights and one higher placement.
HEIGHTS = {"squat": (0.9, 1.4), "supine": (0.45, 1.2), "pigeon": (0.6, 1.1)}
VARIANTS = ("female", "male")
POSES = ("malasana", "happy-baby", "pigeon", "figure-four")
RELIABLE_ACC, UNRELIABLE_ACC, MIN_N = 0.90, 0.75, 10
MIN_FEW = 5  # fewer judged stills with a clear truth than this: no verdict ("too few")
VIEW_ORDER = ("front", "three-quarter", "side", "back", "feet", "head")


@dataclass(frozen=True)
class Task:
    pose: str
    side: str | None
    form_name: str            # "correct", "correct-<base>" or the fault clip's name
    base: tuple               # (field, value) pairs: the spec's base
    change: tuple             # (field, value) pairs: the spec's change (empty: correct)
    variant: str
    seed: int
    png_dir: str | None = None
    azimuth_offset: float = 0.0


def forms() -> list[tuple[str, str | None, str, dict, dict]]:
    """(pose, side-of-spec, name, base, change) for every distinct form the sample specs use."""
    out, seen = [], set()
    for s in SPECS:
        key = (s.pose, tuple(sorted(s.base.items())), tuple(sorted(s.change.items())))
        if key in seen:
            continue
        seen.add(key)
        if s.fault is None:
            name = "correct" if not s.base else "correct-" + "-".join(f"{k}{v:g}" for k, v in s.base.items())
        else:
            name = s.name
        out.append((s.pose, s.side, name, dict(s.base), dict(s.change)))
    return out


def tasks(sides: str, png_dir: str | None, azimuth_offset: float = 0.0) -> list[Task]:
    out = []
    for i, (pose, _, name, base, change) in enumerate(forms()):
        pose_sides = (None,) if pose in ("malasana", "happy-baby") else (
            ("right",) if sides == "right" else ("right", "left"))
        for side in pose_sides:
            for j, variant in enumerate(VARIANTS):
                out.append(Task(pose, side, name, tuple(sorted(base.items())), tuple(sorted(change.items())),
                                variant, 1000 + 10 * i + j, png_dir, azimuth_offset))
    return out


def looks(seed: int) -> tuple[Appearance, Scene]:
    rng = np.random.default_rng(seed)
    skin = list(SKIN_TONES.values())[int(rng.integers(len(SKIN_TONES)))]
    appearance = Appearance(skin=skin, top_color=TOP_COLORS[int(rng.integers(len(TOP_COLORS)))],
                            bottom_color=BOTTOM_COLORS[int(rng.integers(len(BOTTOM_COLORS)))],
                            top=TOPS[int(rng.integers(len(TOPS)))], bottom=BOTTOMS[int(rng.integers(len(BOTTOMS)))],
                            hair=HAIR[int(rng.integers(len(HAIR)))])
    scene = Scene(mat_color=MATS[int(rng.integers(len(MATS)))],
                  light_dir=(float(rng.uniform(-0.5, 0.5)), float(rng.uniform(-0.7, -0.3)), 1.0),
                  ambient=float(rng.uniform(0.38, 0.46)))
    return appearance, scene


# ----------------------------------------------------------------------------- worker

_DETECTOR = None


def _detector():
    global _DETECTOR
    if _DETECTOR is None:
        from posecheck.io.detector import Detector
        _DETECTOR = Detector(mode="image")
    return _DETECTOR


def _posed(task: Task):
    recipe, form_cls = sc.RECIPES[task.pose]
    body = load_body(task.variant)
    form = replace(form_cls(**dict(task.base)), **dict(task.change))
    return recipe, pose_body(body, recipe.build(body, form, task.side))


def _camera(posed, azimuth: float, height: float) -> Camera:
    return Camera.fit(posed.vertices, fov_deg=FOV, width=SIZE[0], height=SIZE[1],
                      azimuth_deg=float(azimuth), camera_z=height, fill=0.8)


def run_task(task: Task) -> list[dict]:
    """Render one form of one body from every camera; one record per still."""
    recipe, posed = _posed(task)
    truth = sc.judge_truth(task.pose, task.side, sc.truth_values(posed))
    lying = load_pose(task.pose).lying
    appearance, scene = looks(task.seed)
    detector = _detector()
    records = []
    for height in HEIGHTS[recipe.kind]:
        for az in (a + task.azimuth_offset for a in AZIMUTHS):
            camera = _camera(posed, az, height)
            px, depth = camera.project(posed.landmarks)
            in_frame = bool(np.all(depth > 0) and np.all((px >= 0) & (px <= SIZE)))
            frame = render(posed, camera, appearance, scene)
            lm = detector.detect(frame, 0.0)
            rec = {"pose": task.pose, "side": task.side, "form": task.form_name, "variant": task.variant,
                   "azimuth": az, "height": height, "true_view": true_view(posed, camera, lying),
                   "truth": truth, "in_frame": in_frame, "detected": lm is not None,
                   "landmarks": None if lm is None else _stored(lm)}
            judge_record(rec, lm)
            records.append(rec)
            if task.png_dir and task.form_name == "correct" and task.variant == VARIANTS[0]:
                _save_png(task, frame, lm, rec)
    return records


def true_views_again(records: list[dict]) -> None:
    """Work out each loaded still's true view with the current rule (the body is posed again,
    nothing is rendered)."""
    by_name = {(pose, name): (base, change) for pose, _, name, base, change in forms()}
    posed: dict = {}
    for r in records:
        key = (r["pose"], r["side"], r["form"], r["variant"])
        if key not in posed:
            base, change = by_name[(r["pose"], r["form"])]
            posed[key] = _posed(Task(r["pose"], r["side"], r["form"], tuple(sorted(base.items())),
                                     tuple(sorted(change.items())), r["variant"], 0))[1]
        lying = load_pose(r["pose"]).lying
        r["true_view"] = true_view(posed[key], _camera(posed[key], r["azimuth"], r["height"]), lying)


def _stored(lm) -> dict:
    """The detected landmarks, rounded, so `--load` can judge them again with newer rules."""
    return {"xyz": np.round(lm.xyz, 1).tolist(), "visibility": np.round(lm.visibility, 3).tolist(),
            "world": None if lm.world is None else np.round(lm.world, 4).tolist(),
            "size": [lm.width, lm.height]}


def _landmarks(stored: dict | None) -> Landmarks | None:
    if stored is None:
        return None
    world = None if stored["world"] is None else np.array(stored["world"], float)
    return Landmarks(np.array(stored["xyz"], float), np.array(stored["visibility"], float),
                     *stored["size"], world)


def judge_record(rec: dict, lm) -> dict:
    """Fill in a still's estimated view, recognition and check states from its landmarks
    (None: not detected), with the current pose files and rules."""
    rec.update({"est_view": None, "any_view": {}, "deployed": {}, "recognised": None})
    if lm is None:
        return rec
    spec = load_pose(rec["pose"])
    side = rec["side"]
    if spec.side_legs is not None and side is not None:
        lm = LEG_ROLES[spec.side_legs](lm, side)
    visible = ck.visible_set(lm, spec.visibility)
    est = estimate_view(lm, spec).view
    rec["est_view"] = est
    rec["recognised"] = ck.conditions_hold(spec.recognise, lm, visible, side) == ck.PASS
    for c in spec.checks:
        if not c.unsupported:
            r = ck.evaluate_check(replace(c, views=("any",)), lm, visible, side, est)
            rec["any_view"][c.id] = [r.state, None if r.value is None else round(float(r.value), 3)]
    rec["deployed"] = {k: r.state for k, r in ck.evaluate_all(spec, lm, visible, side, est).items()}
    return rec


def _save_png(task: Task, frame, lm, rec) -> None:
    import cv2
    img = frame.copy()
    if lm is not None:
        for x, y in lm.xyz[:, :2]:
            cv2.circle(img, (int(x), int(y)), 3, (0, 0, 255), -1)
    text = f"az {rec['azimuth']} h {rec['height']}  true {rec['true_view']}  est {rec['est_view']}"
    cv2.putText(img, text, (6, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (255, 255, 255), 1, cv2.LINE_AA)
    side = f"-{task.side}" if task.side else ""
    name = f"{task.pose}{side}-{rec['true_view']}-az{rec['azimuth']:05.1f}-h{rec['height']}.png"
    os.makedirs(task.png_dir, exist_ok=True)
    cv2.imwrite(os.path.join(task.png_dir, name), img)


# ----------------------------------------------------------------------------- tables


def _new():
    return {"n": 0, "judged": 0, "clear": 0, "agree": 0, "fault": 0, "fault_hit": 0, "ok": 0, "false_alarm": 0}


def aggregate(records: list[dict], view_key: str, by_height: bool = False) -> dict:
    """(pose, check) -> view -> counts; view is the record's `view_key` (None: not detected),
    or (view, camera height) with by_height."""
    table: dict = defaultdict(lambda: defaultdict(_new))
    for r in records:
        view = r[view_key] or "none"
        if by_height:
            view = (view, r["height"])
        for check_id, truth in r["truth"].items():
            key = (r["pose"], check_id)
            if r["detected"] and check_id not in r["any_view"]:
                continue  # unsupported
            if not r["detected"] and not _supported(r["pose"], check_id):
                continue
            a = table[key][view]
            a["n"] += 1
            state = r["any_view"].get(check_id, [ck.UNKNOWN])[0]
            if state == ck.UNKNOWN:
                continue
            a["judged"] += 1
            if truth == "unclear":
                continue
            a["clear"] += 1
            a["agree"] += state == truth
            if truth == "fail":
                a["fault"] += 1
                a["fault_hit"] += state == "fail"
            else:
                a["ok"] += 1
                a["false_alarm"] += state == "fail"
    return table


_SUPPORTED: dict = {}


def _supported(pose: str, check_id: str) -> bool:
    if pose not in _SUPPORTED:
        _SUPPORTED[pose] = {c.id for c in load_pose(pose).checks if not c.unsupported}
    return check_id in _SUPPORTED[pose]


def note(a: dict) -> str:
    """What accuracy hides: faults mostly missed (the stills are mostly correct form)."""
    if a["fault"] >= 5 and a["fault_hit"] / a["fault"] < UNRELIABLE_ACC:
        return "misses faults"
    return ""


def verdict(a: dict) -> str:
    if a["clear"] < MIN_FEW:
        return "too few" if a["clear"] else "-"
    acc = a["agree"] / a["clear"]
    if acc >= RELIABLE_ACC and a["clear"] >= MIN_N:
        return "reliable"
    if acc < UNRELIABLE_ACC:
        return "unreliable"
    return "marginal"


def summarise(a: dict) -> dict:
    out = dict(a)
    out["judged_share"] = a["judged"] / a["n"] if a["n"] else None
    out["accuracy"] = a["agree"] / a["clear"] if a["clear"] else None
    out["recall"] = a["fault_hit"] / a["fault"] if a["fault"] else None
    out["false_alarm_rate"] = a["false_alarm"] / a["ok"] if a["ok"] else None
    out["verdict"] = verdict(a)
    out["note"] = note(a)
    return out


def _pct(x) -> str:
    return "  -" if x is None else f"{100 * x:3.0f}"


def allowed_views(pose: str) -> dict[str, tuple[str, ...]]:
    return {c.id: c.views for c in load_pose(pose).checks if not c.unsupported}


def _by_height(heights: dict, view: str) -> str:
    """'acc%/n' at each camera height, low first."""
    cells = []
    for h in sorted(k[1] for k in heights if k[0] == view):
        a = heights[(view, h)]
        cells.append(f"{_pct(a['agree'] / a['clear'] if a['clear'] else None).strip():>3}/{a['clear']:<3}")
    return " ".join(cells)


def print_table(table: dict, title: str, detail: bool, heights: dict | None = None) -> list[dict]:
    """Print one row per (check, view); return the disagreements with the pose files."""
    print(f"\n=== {title} ===")
    if detail:
        print("(acc% when judged, truth 'unclear' left out; n_clr = stills judged with a clear truth; "
              "rec% = faults caught, fa% = correct form called a fault, of flt/ok stills; "
              "by height: acc%/n_clr at the low and the high camera)")
        print(f"{'pose':<12} {'check':<19} {'view':<14} {'n':>4} {'jdg%':>5} {'acc%':>5} {'n_clr':>5} "
              f"{'rec%':>5} {'fa%':>4} {'(flt/ok)':>9} {'by height':<15} {'verdict':<10} {'allowed':<7} flag")
    else:
        print(f"{'pose':<12} {'check':<19} {'view':<14} {'n':>4} {'jdg%':>5} {'acc%':>5} {'n_clr':>5}  "
              f"{'verdict':<10} {'allowed':<7} flag")
    flags = []
    for pose in POSES:
        allowed = allowed_views(pose)
        for check_id, views in allowed.items():
            rows = table.get((pose, check_id), {})
            for view in [*VIEW_ORDER, "none"]:
                if view not in rows:
                    continue
                s = summarise(rows[view])
                ok = "any" in views or view in views
                flag = ""
                if view != "none":
                    if ok and s["verdict"] == "unreliable":
                        flag = "ALLOWED BUT UNRELIABLE"
                    elif ok and s["verdict"] == "marginal":
                        flag = "allowed, marginal"
                    elif ok and s["verdict"] == "reliable" and s["note"]:
                        flag = "allowed, misses faults"
                    elif not ok and s["verdict"] == "reliable" and not s["note"]:
                        flag = "RELIABLE BUT NOT ALLOWED"
                    if flag:
                        flags.append({"pose": pose, "check": check_id, "view": view, "flag": flag, **s})
                if detail:
                    print(f"{pose:<12} {check_id:<19} {view:<14} {s['n']:>4} {_pct(s['judged_share']):>5} "
                          f"{_pct(s['accuracy']):>5} {s['clear']:>5} {_pct(s['recall']):>5} "
                          f"{_pct(s['false_alarm_rate']):>4} {s['fault']:>4}/{s['ok']:<4} "
                          f"{_by_height(heights.get((pose, check_id), {}), view) if heights else '':<15} "
                          f"{s['verdict']:<10} {'yes' if ok else 'no':<7} {flag or s['note']}")
                else:
                    print(f"{pose:<12} {check_id:<19} {view:<14} {s['n']:>4} {_pct(s['judged_share']):>5} "
                          f"{_pct(s['accuracy']):>5} {s['clear']:>5}  {s['verdict']:<10} "
                          f"{'yes' if ok else 'no':<7} {flag}")
            if rows:
                print()
    return flags


def confusion(records: list[dict]) -> dict:
    conf: dict = defaultdict(Counter)
    for r in records:
        conf[r["true_view"]][r["est_view"] or "none"] += 1
    return conf


def print_confusion(conf: dict, title: str) -> None:
    cols = [*VIEW_ORDER, "none"]
    print(f"\n--- {title}: true view (rows) vs estimated view (columns) ---")
    print(f"{'true':<14}" + "".join(f"{c:>14}" for c in cols) + f"{'total':>8}{'agree%':>8}")
    for v in VIEW_ORDER:
        if v not in conf:
            continue
        row = conf[v]
        total = sum(row.values())
        print(f"{v:<14}" + "".join(f"{row.get(c, 0):>14}" for c in cols)
              + f"{total:>8}{100 * row.get(v, 0) / total:>8.0f}")


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sides", choices=("right", "both"), default="right",
                        help="sides of Pigeon and Figure Four (default right)")
    parser.add_argument("--only", help="only this pose")
    parser.add_argument("--azimuth-offset", type=float, default=0.0,
                        help="turn every camera by this many degrees (15 puts them between the view "
                             "rule's boundaries: the 30-degree grid lands on yaw 30 and 60 exactly)")
    parser.add_argument("--json", help="write every still's record and the tables here")
    parser.add_argument("--out", help="save PNGs of the correct form (first body) from every camera here")
    parser.add_argument("--brief", action="store_true", help="fewer columns in the main table")
    parser.add_argument("--load", nargs="+", metavar="JSON",
                        help="render nothing: tabulate the stills of earlier --json runs together "
                             "(e.g. one with --azimuth-offset 15 and one without: every 15 degrees), "
                             "judging their stored landmarks again with the current rules")
    args = parser.parse_args(argv)
    if args.out and os.path.realpath(args.out).startswith(os.path.realpath("samples")):
        parser.error("--out must not be inside samples/")

    todo = [t for t in tasks(args.sides, args.out, args.azimuth_offset) if not args.only or t.pose == args.only]
    t0 = time.perf_counter()
    records: list[dict] = []
    if args.load:
        todo = []
        for path in args.load:
            with open(path, encoding="utf-8") as fh:
                loaded = [r for r in json.load(fh)["records"] if not args.only or r["pose"] == args.only]
            if loaded and "landmarks" in loaded[0]:  # judged again with the current rules
                true_views_again(loaded)
                loaded = [judge_record(r, _landmarks(r["landmarks"])) for r in loaded]
            records += loaded
    elif args.jobs <= 1:
        for i, t in enumerate(todo):
            records += run_task(t)
            print(f"[{i + 1}/{len(todo)}] {t.pose} {t.side or ''} {t.form_name} {t.variant}", file=sys.stderr)
    else:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            for i, recs in enumerate(pool.map(run_task, todo)):
                records += recs
                t = todo[i]
                print(f"[{i + 1}/{len(todo)}] {t.pose} {t.side or ''} {t.form_name} {t.variant} "
                      f"{time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - t0

    detected = sum(r["detected"] for r in records)
    azimuths = sorted({r["azimuth"] for r in records})
    print(f"{len(records)} stills ({len({(r['pose'], r['side'], r['form'], r['variant']) for r in records})} "
          f"form x body x side; {len(azimuths)} azimuths from {azimuths[0]:g} every {azimuths[1] - azimuths[0]:g} "
          f"degrees x 2 heights), "
          f"{detected} detected, {sum(not r['in_frame'] for r in records)} with a landmark outside the frame; "
          + (f"loaded from {', '.join(args.load)}" if args.load else f"{elapsed:.0f} s with {args.jobs} jobs"))
    by_true = aggregate(records, "true_view")
    by_est = aggregate(records, "est_view")
    flags = print_table(by_true, "each check AS IF allowed from every view, by TRUE view", not args.brief,
                        aggregate(records, "true_view", by_height=True))
    flags_est = print_table(by_est, "the same by ESTIMATED view (what the view gate acts on)", False)
    print("\n=== disagreements with the pose files (by TRUE view) ===")
    for f in flags:
        print(f"{f['pose']:<12} {f['check']:<19} {f['view']:<14} {f['flag']:<24} acc {_pct(f['accuracy'])}% "
              f"of {f['clear']}, judged {_pct(f['judged_share'])}%, recall {_pct(f['recall'])}% "
              f"({f['fault']}), false alarms {_pct(f['false_alarm_rate'])}% ({f['ok']})")
    print_confusion(confusion(records), "all poses")
    for pose in POSES:
        sub = [r for r in records if r["pose"] == pose]
        if sub:
            print_confusion(confusion(sub), pose)

    if args.json:
        def dump(table):
            return {f"{p}/{c}": {v: summarise(a) for v, a in views.items()} for (p, c), views in table.items()}
        payload = {
            "settings": {"size": SIZE, "fov_deg": FOV, "azimuths": azimuths, "heights": HEIGHTS,
                         "variants": VARIANTS, "sides": args.sides, "jobs": args.jobs, "loaded": args.load,
                         "elapsed_s": round(elapsed, 1),
                         "verdict": {"reliable_accuracy": RELIABLE_ACC, "min_n": MIN_N,
                                     "unreliable_accuracy": UNRELIABLE_ACC, "too_few": MIN_FEW}},
            "allowed": {p: {c: list(v) for c, v in allowed_views(p).items()} for p in POSES},
            "by_true_view": dump(by_true), "by_estimated_view": dump(by_est),
            "flags_true_view": flags, "flags_estimated_view": flags_est,
            "confusion": {v: dict(c) for v, c in confusion(records).items()},
            "records": records,
        }
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=1)
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
