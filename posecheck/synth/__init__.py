"""Synthetic bodies with known joints: pose a CC0 MakeHuman body, render it, know the truth.

    from posecheck.synth import load_body, Pose, pose_body, Camera, render

    body = load_body("female")
    pose = Pose().with_joints(left_hip=(90, 0, 0), left_knee=(90, 0, 0))
    posed = pose_body(body, on_floor(body, pose))
    camera = Camera.fit(posed.vertices, azimuth_deg=90, camera_z=0.8)
    frame = render(posed, camera, Appearance(top="tank"), Scene())     # (H, W, 3) uint8 BGR
    true_px, _ = camera.project(posed.landmarks)                       # (33, 2) MediaPipe order

numpy and OpenCV only; the body data ships in data/body.npz (see docs/synth.md).
"""

from posecheck.synth.camera import Camera
from posecheck.synth.render import render
from posecheck.synth.scene import SKIN_TONES, Appearance, Scene
from posecheck.synth.skeleton import (
    JOINT_DOC,
    JOINTS,
    VARIANTS,
    Body,
    Pose,
    PosedBody,
    aim_hand,
    ik_two_bone,
    load_body,
    on_floor,
    orient_joint,
    palm_normal,
    pose_body,
)

__all__ = [
    "JOINT_DOC", "JOINTS", "SKIN_TONES", "VARIANTS", "Appearance", "Body", "Camera", "Pose", "PosedBody",
    "Scene", "aim_hand", "ik_two_bone", "load_body", "on_floor", "orient_joint", "palm_normal", "pose_body",
    "render",
]
