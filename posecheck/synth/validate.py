"""Renders three poses from several cameras, runs the real detector, prints the errors.

    python -m posecheck.synth.validate [--out /tmp/synth_demo] [--size 640x480] [--variant neutral]

For every view: whether MediaPipe found the body, the mean pixel distance between its 33
landmarks and the true ones projected by the same camera, and the same over the 12 limb joints
(shoulders, elbows, wrists, hips, knees, ankles). Frames (with the true landmarks in green and the
detected ones in red) are written as PNGs to --out.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from posecheck.core.landmarks import INDEX, NAMES
from posecheck.synth import rotations as rot
from posecheck.synth.camera import Camera
from posecheck.synth.render import render
from posecheck.synth.scene import Appearance, Scene
from posecheck.synth.skeleton import (
    FORWARD,
    UP,
    Body,
    Pose,
    aim_hand,
    ik_two_bone,
    load_body,
    on_floor,
    orient_joint,
    pose_body,
)

LIMB_JOINTS = [INDEX[f"{s}_{j}"] for j in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
               for s in ("left", "right")]


# ----------------------------------------------------------------------------- demo poses


def standing(body: Body) -> Pose:
    """Relaxed standing: arms a little away from the thighs."""
    pose = Pose().with_joints(left_shoulder=(0, 9, 0), right_shoulder=(0, 9, 0),
                              left_elbow=(8, 0, 0), right_elbow=(8, 0, 0))
    return on_floor(body, pose)


def malasana(body: Body, knee_angle: float = 60.0, feet_apart: float = 0.46, toe_out: float = 25.0,
             lean: float = 15.0, hips_below_knees: float = 0.03) -> Pose:
    """Deep squat: heels down, feet a bit wider than the shoulders (ankle centres feet_apart
    metres apart), toes and knees turned out, hips hips_below_knees metres below the knees, trunk
    near upright (lean = degrees forward), palms together in front of the chest."""
    l_thigh = body.segment_length("left_hip")
    l_shin = body.segment_length("left_knee")
    hip_ankle = np.sqrt(l_thigh ** 2 + l_shin ** 2 - 2 * l_thigh * l_shin * np.cos(np.radians(knee_angle)))
    ankle_z = body.chain["left_ankle"][0][2]
    side = feet_apart / 2 - abs(body.chain["left_hip"][0][0])

    def legs(back: float) -> Pose:
        hip_z = ankle_z + np.sqrt(max(hip_ankle ** 2 - back ** 2 - side ** 2, 1e-6))
        pose = Pose(root_position=(0.0, back, hip_z), root_rotation=(lean * 0.6, 0, 0),
                    joints={"spine_lower": (lean * 0.4, 0, 0), "neck": (-lean * 0.5, 0, 0)})
        for s, sign in (("left", 1.0), ("right", -1.0)):
            ankle = np.array([sign * feet_apart / 2, 0.0, ankle_z])
            knee_dir = np.array([sign * np.sin(np.radians(toe_out + 12)), -np.cos(np.radians(toe_out + 12)), 0.3])
            pose = ik_two_bone(body, pose, f"{s}_leg", ankle, ankle + knee_dir)
            pose = orient_joint(body, pose, f"{s}_ankle", rot.axis_angle([0, 0, 1], sign * toe_out))
        return pose

    for back in np.arange(0.05, 0.40, 0.01):  # hips further behind the heels sink lower
        pose = legs(float(back))
        j = pose_body(body, pose).joints
        if j["left_hip"][2] <= j["left_knee"][2] - hips_below_knees:
            break
    j = pose_body(body, pose).joints
    chest = (j["left_shoulder"] + j["right_shoulder"]) / 2
    forward = rot.root_rotation(*pose.root_rotation) @ FORWARD
    forward = rot.unit(forward - forward[2] * UP)
    for s, sign in (("left", 1.0), ("right", -1.0)):
        lateral = np.array([sign, 0, 0])
        wrist = chest + 0.22 * forward - 0.22 * UP + 0.035 * lateral
        pose = ik_two_bone(body, pose, f"{s}_arm", wrist, wrist + 0.6 * lateral - 0.1 * forward - 0.1 * UP)
        pose = aim_hand(body, pose, s, fingers=rot.unit(UP + 0.3 * forward), palm=-lateral)
    return on_floor(body, pose)


def happy_baby(body: Body, knee_angle: float = 90.0, knees_out: float = 40.0, thigh_rise: float = 12.0,
               tilt: float = 20.0, grip: str = "inside") -> Pose:
    """Supine, head toward +Y: pelvis tilted back (lumbar flexion), thighs drawn up beside the
    chest, knees bent at knee_angle, shins near vertical (tilted toward the feet by thigh_rise
    when knee_angle is 90; soles to the ceiling), hands holding the feet: grip "inside" (inner
    arches, arms inside the knees), "outside" (outer edges) or "ankles". Head and shoulders on
    the mat."""
    pose = Pose(root_position=(0.0, 0.0, 0.12), root_rotation=(-90.0 - tilt, 0, 0),
                joints={"spine_lower": (tilt, 0, 0), "neck": (8.0, 0, 0),
                        "left_clavicle": (20.0, 0, 0), "right_clavicle": (20.0, 0, 0)})
    posed = pose_body(body, pose)
    up = np.array([0, 0, 1.0])
    headward = np.array([0, 1.0, 0])
    l_thigh = body.segment_length("left_hip")
    l_shin = body.segment_length("left_knee")
    for s, sign in (("left", 1.0), ("right", -1.0)):
        hip = posed.joints[f"{s}_hip"]
        lateral = np.array([sign, 0, 0])
        a, e = np.radians(knees_out), np.radians(thigh_rise)
        thigh = np.cos(e) * (np.cos(a) * headward + np.sin(a) * lateral) + np.sin(e) * up
        knee = hip + l_thigh * thigh
        # the shin in the plane of the thigh and the vertical, knee_angle away from the thigh
        ref = rot.unit(up - (up @ thigh) * thigh)
        k = np.radians(knee_angle)
        ankle = knee + l_shin * (np.cos(k) * -thigh + np.sin(k) * ref)
        pose = ik_two_bone(body, pose, f"{s}_leg", ankle, knee + 0.3 * (knee - hip))
    pose = on_floor(body, pose)
    posed = pose_body(body, pose)
    for s, sign in (("left", 1.0), ("right", -1.0)):
        heel, toe = posed.landmark(f"{s}_heel"), posed.landmark(f"{s}_foot_index")
        foot_mid = (heel + toe) / 2
        lateral = np.array([sign, 0, 0])
        if grip == "inside":
            hold, pole_dir = foot_mid - 0.045 * lateral, 0.4 * lateral
        elif grip == "outside":
            hold, pole_dir = foot_mid + 0.055 * lateral, 0.8 * lateral
        elif grip == "ankles":
            hold, pole_dir = posed.joints[f"{s}_ankle"] + 0.04 * lateral, 0.8 * lateral
        else:
            raise ValueError(f"grip must be inside, outside or ankles, got {grip!r}")
        shoulder = posed.joints[f"{s}_shoulder"]
        wrist = hold - 0.06 * rot.unit(hold - shoulder)  # the palm on the foot, the wrist below it
        pole = (shoulder + wrist) / 2 + pole_dir + np.array([0, 0, -0.3])
        pose = ik_two_bone(body, pose, f"{s}_arm", wrist, pole)
    return pose


# ----------------------------------------------------------------------------- views


@dataclass(frozen=True)
class View:
    name: str
    azimuth: float
    camera_z: float
    fill: float = 0.8   # share of the frame the body spans


VIEWS = {
    "standing": [View("front", 0, 1.1), View("front-left 3/4", 45, 1.1), View("left side", 90, 1.1),
                 View("back-left 3/4", 135, 1.1), View("back", 180, 1.1), View("right side", -90, 1.1),
                 View("front-right 3/4", -45, 1.1)],
    "malasana": [View("front", 0, 0.8), View("front-left 3/4", 45, 0.8), View("left side", 90, 0.8),
                 View("right side", -90, 0.8), View("front-right 3/4", -45, 0.8),
                 View("front, high", 0, 1.5), View("back-left 3/4", 135, 0.8)],
    "happy_baby": [View("left side", 90, 0.5), View("right side", -90, 0.5),
                   View("feet end", 0, 1.2), View("feet-left 3/4", 60, 0.8),
                   View("feet-right 3/4", -60, 0.8), View("left side, high", 90, 1.4),
                   View("head-left 3/4", 120, 1.2)],
}
POSES = {"standing": standing, "malasana": malasana, "happy_baby": happy_baby}


def camera_for(posed, view: View, width: int, height: int) -> Camera:
    return Camera.fit(posed.vertices, view.azimuth, camera_z=view.camera_z, fill=view.fill, fov_deg=50.0,
                      width=width, height=height)


def draw(img: np.ndarray, true_px: np.ndarray, found_px: np.ndarray | None) -> np.ndarray:
    out = img.copy()
    for p in true_px:
        cv2.circle(out, (int(round(p[0])), int(round(p[1]))), 3, (0, 200, 0), -1)
    if found_px is not None:
        for p in found_px:
            cv2.circle(out, (int(round(p[0])), int(round(p[1]))), 2, (0, 0, 255), -1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/synth_demo"))
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--variant", default="neutral")
    parser.add_argument("--poses", default=",".join(POSES))
    parser.add_argument("--supersample", type=int, default=1)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    from posecheck.io.detector import Detector

    body = load_body(args.variant)
    appearance = Appearance()
    scene = Scene()
    times = []
    print(f"{'pose':<11} {'view':<17} {'found':<5} {'mean px (33)':>12} {'limbs px (12)':>13} {'worst limb':>18}")
    with Detector(mode="image") as detector:
        for pose_name in args.poses.split(","):
            posed = pose_body(body, POSES[pose_name](body))
            for view in VIEWS[pose_name]:
                cam = camera_for(posed, view, width, height)
                t0 = time.perf_counter()
                img = render(posed, cam, appearance, scene, supersample=args.supersample)
                times.append(time.perf_counter() - t0)
                true_px, _ = cam.project(posed.landmarks)
                lm = detector.detect(img, 0.0)
                slug = f"{pose_name}_{view.name.replace(' ', '_').replace(',', '').replace('/', '')}"
                cv2.imwrite(str(args.out / f"{slug}.png"), img)
                found_px = None if lm is None else lm.xyz[:, :2]
                cv2.imwrite(str(args.out / f"{slug}_marked.png"), draw(img, true_px, found_px))
                if lm is None:
                    print(f"{pose_name:<11} {view.name:<17} {'no':<5} {'-':>12} {'-':>13}")
                    continue
                err = np.linalg.norm(lm.xyz[:, :2] - true_px, axis=1)
                worst = LIMB_JOINTS[int(np.argmax(err[LIMB_JOINTS]))]
                print(f"{pose_name:<11} {view.name:<17} {'yes':<5} {err.mean():>12.1f} "
                      f"{err[LIMB_JOINTS].mean():>13.1f} {NAMES[worst]:>12} {err[worst]:>4.0f}")
    print(f"render time per frame at {width}x{height}: median {np.median(times):.3f} s, max {max(times):.3f} s")


if __name__ == "__main__":
    main()
