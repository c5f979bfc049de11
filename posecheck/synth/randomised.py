"""Randomised clip sets: how posecheck fares on cameras, bodies and faults it was not tuned on.

    python -m posecheck.synth.randomised --set train --out heldout/train --jobs 2
    python -m posecheck.synth.randomised --set test --out heldout/test --jobs 2
    posecheck score heldout/test --jobs 2

Each clip draws, from its own seed: the pose and side; one of the pose's recommended camera
views, with the camera anywhere within +/-25 deg of it and 0.25-1.6 m high; a laptop (16:9)
or a phone held upright (9:16), each with its own field of view, at 480p, 720p or 1080p and
10-30 fps; a body; correct form or one fault, its size anywhere from just past the limit of
docs/poses.md to severe; a hold of 8-30 s; and entries and exits at different speeds.

The sets are split by seed: `train` and `validation` are for tuning and checking the tuning;
`test` is rendered once and only reported on. The seeds are fixed here, so a set is the same
on every machine (the clips are not committed: this command makes them again). A draw whose
truth cannot be verified (a landmark outside the picture, a view that changes during the
hold) is drawn again from the next sub-seed, so every clip's labels are verified as the
samples' are (`samples.render_clip`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from posecheck.eval.labels import LABELS_FILE
from posecheck.synth.samples import CAMERAS, ClipSpec, Timing, TruthError, render_clip, write_labels
from posecheck.synth.scripts import RECIPES
from posecheck.synth.skeleton import VARIANTS

#: name: (first seed, default number of clips). The seed ranges never overlap.
SETS = {"train": (100_000, 120), "validation": (200_000, 80), "test": (300_000, 200)}
SUB_SEEDS = 1000  # a draw that cannot be verified is drawn again: seed * SUB_SEEDS + attempt
ATTEMPTS = 8

#: The views each pose's camera set-up recommends (README, docs/poses.md), as `CAMERAS` names.
VIEWS = {
    "malasana": ("front", "side-left", "side-right", "three-quarter"),
    "happy-baby": ("side-left", "side-right", "feet"),
    "pigeon": ("side-left", "side-right", "front"),
    "figure-four": ("side-left", "side-right", "feet-working"),
}
AZIMUTH_SPREAD = 25.0  # degrees either way of the recommended view
HEIGHT_M = (0.25, 1.6)


@dataclass(frozen=True)
class Device:
    sizes: tuple[tuple[int, int], ...]  # 480p, 720p, 1080p
    fov_deg: tuple[float, float]  # vertical field of view


DEVICES = {
    "laptop": Device(((854, 480), (1280, 720), (1920, 1080)), (40.0, 50.0)),
    "phone": Device(((480, 854), (720, 1280), (1080, 1920)), (60.0, 70.0)),
}
FPS_CHOICES = (10, 15, 24, 25, 30)


@dataclass(frozen=True)
class Fault:
    """A fault a body can show: the check, the form change from just past its limit (size 0)
    to severe (size 1), the other checks the change necessarily breaks, and fixed changes
    that come with it."""

    check: str
    ranges: dict[str, tuple[float, float]]
    also: tuple[str, ...] = ()
    fixed: tuple[tuple[str, float], ...] = ()

    def change(self, size: float) -> dict[str, float]:
        out = {k: a + size * (b - a) for k, (a, b) in self.ranges.items()}
        return out | dict(self.fixed)


#: Per pose, the faults drawn. Limits: the truth criteria of `scripts.criteria`.
FAULTS: dict[str, tuple[Fault, ...]] = {
    "malasana": (
        Fault("heels-down", {"heel_lift": (0.055, 0.13)}),
        Fault("spine-upright", {"lean": (48.0, 62.0)}),
        Fault("feet-wide", {"feet_ratio": (0.8, 0.6)}, fixed=(("back", 0.5),)),
        Fault("deep-squat", {"knee_angle": (84.0, 95.0)}, also=("elbows-in-knees",),
              fixed=(("back", 0.35),)),
        Fault("palms-together", {"hands_on_knees": (0.9, 1.0)}, also=("elbows-in-knees",)),
        Fault("elbows-in-knees", {"elbows_in": (0.15, 0.0)}),
    ),
    "happy-baby": (
        Fault("head-down", {"head_lift": (30.0, 45.0)}),
        Fault("hands-on-feet", {"hands_off": (0.8, 1.0)}),
        Fault("knees-90", {"knee_angle": (138.0, 146.0)},
              fixed=(("thigh_rise", 52.0), ("hold", 2.0))),
        Fault("soles-up", {"thigh_rise": (55.0, 62.0)},
              fixed=(("knees_out", 22.0), ("knee_angle", 90.0), ("hold", 2.0))),
        Fault("knees-wide", {"knees_out": (-2.0, -8.0)},
              fixed=(("thigh_rise", 30.0), ("knee_angle", 108.0), ("tilt", 15.0), ("hold", 1.0),
                     ("grip_outside", 1.0))),
    ),
    "pigeon": (
        Fault("back-leg-long", {"back_knee": (125.0, 100.0)}),
        Fault("torso-supported", {"trunk": (52.0, 58.0)}),
        Fault("front-knee-bent", {"front_shin": (-60.0, -70.0)}, also=("shin-parallel",),
              fixed=(("front_thigh", 10.0),)),
    ),
    "figure-four": (
        Fault("ankle-on-knee", {"ankle_on_shin": (0.65, 0.9)}, also=("knee-open",)),
        Fault("thigh-to-chest", {"support_hip": (115.0, 125.0)}),
        Fault("hands-behind-thigh", {"hands_off": (0.8, 1.0)}),
        Fault("head-down", {"head_lift": (29.0, 38.0)}),
    ),
}
CORRECT_SHARE = 0.35  # of the clips show correct form throughout


@dataclass(frozen=True)
class Draw:
    """One clip as drawn: what the spec, the timing, the size and the frame rate are."""

    spec: ClipSpec
    timing: Timing
    size: tuple[int, int]
    fps: int
    device: str
    fault_size: float | None


def preset_azimuth(pose: str, view: str, side: str | None) -> float:
    """The recommended view's camera azimuth (`CAMERAS`; a "-working" view on the working
    leg's side)."""
    azimuth, _ = CAMERAS[(RECIPES[pose][0].kind, view)]
    return -azimuth if view.endswith("-working") and side == "right" else azimuth


def draw(set_name: str, index: int, attempt: int = 0) -> Draw:
    """Clip `index` of a set, from its seed alone (`attempt` > 0: a redraw)."""
    first, _ = SETS[set_name]
    seed = (first + index) * SUB_SEEDS + attempt
    rng = np.random.default_rng(seed)
    pose = str(rng.choice(sorted(VIEWS)))
    side = str(rng.choice(["left", "right"])) if pose in ("pigeon", "figure-four") else None
    view = str(rng.choice(VIEWS[pose]))
    azimuth = preset_azimuth(pose, view, side)
    azimuth += float(rng.uniform(-AZIMUTH_SPREAD, AZIMUTH_SPREAD))
    height = float(rng.uniform(*HEIGHT_M))
    device = str(rng.choice(sorted(DEVICES)))
    size = DEVICES[device].sizes[int(rng.integers(3))]
    fov = float(rng.uniform(*DEVICES[device].fov_deg))
    fps = int(rng.choice(FPS_CHOICES))
    variant = str(rng.choice(sorted(VARIANTS)))
    fault, fault_size = None, None
    if rng.uniform() >= CORRECT_SHARE:
        fault = FAULTS[pose][int(rng.integers(len(FAULTS[pose])))]
        fault_size = float(rng.uniform())
    hold = float(rng.uniform(8.0, 30.0))
    start = float(rng.uniform(0.2, 0.45))
    timing = Timing(rest=float(rng.uniform(0.4, 1.5)), entry=float(rng.uniform(0.8, 3.0)),
                    hold=hold, exit=float(rng.uniform(0.8, 3.0)),
                    rest_end=float(rng.uniform(0.4, 1.5)),
                    fault=(start, start + float(rng.uniform(0.25, 0.45))))
    fill = float(rng.uniform(0.6, 0.88))
    name = "-".join(p for p in (f"{set_name}-{index:04d}", pose, side, view,
                                fault.check if fault else "correct") if p)
    spec = ClipSpec(name, pose, side, view, variant, seed % (2**31),
                    fault.check if fault else None, fault.change(fault_size) if fault else {},
                    fault.also if fault else (), camera_at=(azimuth, height), fov_deg=fov,
                    fill=fill, note=f"{device} {size[0]}x{size[1]} at {fps} fps")
    return Draw(spec, timing, size, fps, device, fault_size)


def render_one(set_name: str, index: int, out_dir: Path) -> dict:
    """Render clip `index` (redrawn until its truth is verified); its label entry."""
    for attempt in range(ATTEMPTS):
        d = draw(set_name, index, attempt)
        try:
            entry = render_clip(d.spec, out_dir, d.timing, d.size, d.fps)
        except TruthError:
            continue
        entry["draw"] = {"attempt": attempt, "device": d.device,
                         "size": list(d.size), "fps": d.fps,
                         "fov_deg": round(d.spec.fov_deg, 1),
                         "fault_size": None if d.fault_size is None else round(d.fault_size, 2),
                         "change": {k: round(v, 3) for k, v in d.spec.change.items()}}
        return entry
    raise TruthError(f"{set_name} clip {index}: no verifiable draw in {ATTEMPTS} attempts")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int,
                        help="clips: the first COUNT of the set (default: all of it)")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    count = args.count or SETS[args.set][1]
    args.out.mkdir(parents=True, exist_ok=True)
    entries = _made(args.out)  # clips already made are kept: a stopped run goes on from there
    todo = [i for i in range(count) if i not in entries]
    t0 = time.perf_counter()
    print(f"{count - len(todo)} of {count} clips already made in {args.out}", flush=True)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(render_one, args.set, i, args.out): i for i in todo}
        for n, future in enumerate(as_completed(futures), 1):
            entry = entries[futures[future]] = future.result()
            _write(args.out, entries)  # the labels are written as each clip is done
            left = (time.perf_counter() - t0) / n * (len(todo) - n)
            print(f"[{count - len(todo) + n}/{count}] {entry['file']:<60} {entry['view']:<13} "
                  f"{entry['_stats']['frames']} frames  (about {math.ceil(left / 60)} min left)",
                  flush=True)
    print(f"{len(todo)} clips made in {time.perf_counter() - t0:.0f} s; labels: "
          f"{args.out / LABELS_FILE}")
    return 0


def _made(out: Path) -> dict[int, dict]:
    """The clips of labels.json in `out` whose video is there, by index."""
    path = out / LABELS_FILE
    if not path.is_file():
        return {}
    clips = json.loads(path.read_text(encoding="utf-8"))["clips"]
    return {int(c["file"].split("-")[1]): c for c in clips if (out / c["file"]).is_file()}


def _write(out: Path, entries: dict[int, dict]) -> None:
    ordered = [entries[i] for i in sorted(entries)]
    write_labels(out, {e["file"]: e for e in ordered}, [e["file"] for e in ordered])


if __name__ == "__main__":
    sys.exit(main())
