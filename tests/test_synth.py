"""The synthetic-body renderer: posing, IK, projection, rendering, and the real detector on it."""

from __future__ import annotations

import numpy as np
import pytest

from posecheck.core.landmarks import INDEX, MIRROR
from posecheck.synth import (
    Appearance,
    Camera,
    Pose,
    Scene,
    aim_hand,
    ik_two_bone,
    load_body,
    on_floor,
    palm_normal,
    pose_body,
    render,
)
from posecheck.synth import scripts as sc
from posecheck.synth.samples import true_view
from posecheck.synth.skeleton import JOINTS, skin
from posecheck.synth.validate import LIMB_JOINTS, standing

SMALL = dict(width=160, height=120)


@pytest.fixture(scope="module")
def body():
    return load_body("neutral")


def test_render_is_deterministic(body):
    posed = pose_body(body, standing(body))
    cam = Camera.fit(posed.vertices, 30, camera_z=1.1, **SMALL)
    a = render(posed, cam, Appearance(), Scene())
    b = render(pose_body(body, standing(body)), Camera.fit(posed.vertices, 30, camera_z=1.1, **SMALL))
    assert a.shape == (120, 160, 3) and a.dtype == np.uint8
    assert a.tobytes() == b.tobytes()


def test_render_shows_body_room_and_shadow(body):
    posed = pose_body(body, standing(body))
    cam = Camera.fit(posed.vertices, 0, camera_z=1.1, **SMALL)
    img = render(posed, cam).astype(int)
    empty = render(pose_body(body, Pose(root_position=(0, 0, -5.0))), cam).astype(int)  # body under the floor
    changed = np.abs(img - empty).sum(axis=2) > 30
    assert 0.05 < changed.mean() < 0.6       # the body covers part of the frame
    no_shadow = render(posed, cam, scene=Scene(shadows=False)).astype(int)
    assert (no_shadow.sum(axis=2) >= img.sum(axis=2) - 1).all()   # shadows only darken
    assert (no_shadow.sum(axis=2) > img.sum(axis=2) + 20).sum() > 20


def test_rest_pose_reproduces_the_rest_mesh(body):
    posed = pose_body(body, Pose())
    assert np.abs(posed.vertices - body.vertices).max() < 1e-9
    inverse = np.linalg.inv(body.rest_to_neutral)
    assert np.abs(skin(body, inverse) - body.rest_vertices).max() < 1e-9
    # neutral stance: soles on the floor, pelvis centre over the origin, arms and legs vertical
    assert abs(posed.vertices[:, 2].min()) < 1e-9
    assert np.allclose(posed.joints["pelvis"][:2], 0.0, atol=1e-9)
    for a, b in (("left_shoulder", "left_wrist"), ("left_hip", "left_ankle")):
        d = posed.landmark(b) - posed.landmark(a)
        assert np.allclose(d[:2], 0.0, atol=1e-9) and d[2] < 0


def test_knee_flexion_90_puts_the_ankle_behind_the_knee(body):
    posed = pose_body(body, Pose().with_joint("left_knee", flex=90))
    knee, ankle = posed.landmark("left_knee"), posed.landmark("left_ankle")
    shin = body.segment_length("left_knee")
    assert np.allclose(ankle, knee + [0, shin, 0], atol=1e-9)   # +Y is the body's back
    assert np.allclose(posed.landmark("right_ankle"), pose_body(body).landmark("right_ankle"))


def test_sign_conventions_are_anatomical(body):
    neutral = pose_body(body)

    def moved(joint, angles, landmark):
        p = pose_body(body, Pose().with_joints(**{joint: angles}))
        return p.landmark(landmark) - neutral.landmark(landmark)

    assert moved("left_hip", (30, 0, 0), "left_knee")[1] < -0.1       # thigh forward (-Y)
    assert moved("right_hip", (0, 30, 0), "right_knee")[0] < -0.1     # right leg out to the right (-X)
    assert moved("left_shoulder", (0, 30, 0), "left_elbow")[0] > 0.05  # left arm out to the left (+X)
    assert moved("left_shoulder", (60, 0, 0), "left_wrist")[1] < -0.2  # arm raised forward
    assert moved("left_elbow", (90, 0, 0), "left_wrist")[1] < -0.2     # forearm forward
    assert moved("left_ankle", (20, 0, 0), "left_foot_index")[2] > 0.02  # toes up
    assert moved("spine_lower", (30, 0, 0), "nose")[1] < -0.1         # bend forward
    assert moved("neck", (0, 20, 0), "nose")[0] > 0.02                # tilt to the left
    turn = moved("spine_upper", (0, 0, 30), "left_shoulder")
    assert turn[1] > 0.02                                             # turn left: left shoulder back


def test_mirrored_pose_gives_mirrored_landmarks(body):
    pose = Pose(root_position=(0.1, 0.2, 0.9), root_rotation=(10, 5, 20)).with_joints(
        left_hip=(40, 20, 10), left_knee=(60, 0, 5), right_shoulder=(30, 40, -20), spine_lower=(10, 8, 15))
    a = pose_body(body, pose).landmarks
    b = pose_body(body, pose.mirrored()).landmarks
    twin = list(MIRROR)
    twin[INDEX["mouth_left"]], twin[INDEX["mouth_right"]] = INDEX["mouth_right"], INDEX["mouth_left"]
    flipped = b[twin] * [-1, 1, 1]
    assert np.abs(a - flipped).max() < 2e-3   # the mesh is symmetric to a millimetre


@pytest.mark.parametrize("limb", ["left_arm", "right_arm", "left_leg", "right_leg"])
def test_ik_reaches_reachable_targets(body, limb):
    rng = np.random.default_rng(7)
    base = Pose(root_position=(0.0, 0.0, 1.0), root_rotation=(15, 0, 30)).with_joints(spine_upper=(10, 5, 20))
    posed = pose_body(body, base)
    side = limb.split("_")[0]
    root_joint, end = ((f"{side}_shoulder", f"{side}_wrist") if limb.endswith("arm")
                       else (f"{side}_hip", f"{side}_ankle"))
    upper = body.segment_length(f"{side}_{'shoulder' if limb.endswith('arm') else 'hip'}")
    lower = body.segment_length(f"{side}_{'elbow' if limb.endswith('arm') else 'knee'}")
    start = posed.landmark(root_joint)
    for _ in range(5):
        direction = rng.normal(size=3)
        direction /= np.linalg.norm(direction)
        reach = rng.uniform(abs(upper - lower) + 0.05, upper + lower - 0.02)
        target = start + reach * direction
        pole = target + rng.normal(size=3)
        pose = ik_two_bone(body, base, limb, target, pole)
        result = pose_body(body, pose)
        assert np.linalg.norm(result.landmark(end) - target) < 1e-3
        # the middle joint bends toward the pole
        mid = result.landmark(f"{side}_{'elbow' if limb.endswith('arm') else 'knee'}")
        axis = (target - start) / np.linalg.norm(target - start)
        off = mid - start - ((mid - start) @ axis) * axis
        to_pole = pole - start - ((pole - start) @ axis) * axis
        assert off @ to_pole > 0
        # the rest of the body did not move
        assert np.allclose(result.landmark("nose"), posed.landmark("nose"))


def test_aim_hand_turns_the_palm(body):
    pose = ik_two_bone(body, Pose(), "left_arm", [0.05, -0.25, 1.15], [0.6, 0.0, 1.0])
    pose = aim_hand(body, pose, "left", fingers=[0, 0, 1], palm=[-1, 0, 0])
    posed = pose_body(body, pose)
    assert np.allclose(palm_normal(posed, "left"), [-1, 0, 0], atol=1e-9)
    fingers = posed.landmark("left_index") - posed.landmark("left_wrist")
    assert fingers[2] > 0.05


def test_true_landmarks_project_inside_the_frame(body):
    posed = pose_body(body, on_floor(body, Pose().with_joints(left_hip=(70, 10, 0), left_knee=(90, 0, 0))))
    for azimuth in (0, 45, 90, 180, -90):
        cam = Camera.fit(posed.vertices, azimuth, camera_z=1.0, fill=0.8, **SMALL)
        px, depth = cam.project(posed.landmarks)
        assert (depth > 0).all()
        assert ((px >= 0) & (px <= [160, 120])).all()


def test_camera_projects_its_target_to_the_centre():
    cam = Camera((2.0, -3.0, 1.5), (0.1, 0.2, 0.9), fov_deg=50, width=640, height=480)
    px, depth = cam.project([cam.target, [0.1, 0.2, 1.9]])
    assert np.allclose(px[0], [320, 240])
    assert px[1, 1] < 240                       # higher in the world is higher in the image


def test_unknown_joint_and_variant_are_errors(body):
    with pytest.raises(ValueError, match="unknown joints"):
        Pose(joints={"left_toe": (1, 2, 3)})
    with pytest.raises(ValueError, match="unknown variant"):
        load_body("giant")
    assert set(JOINTS) >= {"left_hip", "right_knee", "spine_lower", "head"}


def test_shape_variants_differ(body):
    male, female = load_body("male"), load_body("female")
    assert male.height > female.height + 0.05
    heavy, light = load_body("male_heavy"), load_body("male_light")

    def belly_depth(b):  # front-to-back depth of the trunk just above the hips
        z = b.vertices[:, 2]
        trunk = (z > b.pelvis[2] + 0.05) & (z < b.pelvis[2] + 0.25)
        return np.ptp(b.vertices[trunk, 1])

    assert belly_depth(heavy) > belly_depth(light) + 0.01


def test_detector_finds_the_standing_body():
    from posecheck.io.detector import Detector

    body = load_body("neutral")
    posed = pose_body(body, standing(body))
    cam = Camera.fit(posed.vertices, 20, camera_z=1.1, fill=0.8, width=640, height=480)
    frame = render(posed, cam)
    true_px, _ = cam.project(posed.landmarks)
    with Detector(mode="image") as detector:
        found = detector.detect(frame, 0.0)
    assert found is not None
    err = np.linalg.norm(found.xyz[:, :2] - true_px, axis=1)
    assert err[LIMB_JOINTS].mean() < 15.0
    assert err[INDEX["nose"]] < 15.0


@pytest.mark.parametrize("azimuth, view", [
    (0, "feet"), (30, "feet"), (-45, "three-quarter"), (60, "three-quarter"), (75, "side"),
    (-90, "side"), (120, "three-quarter"), (150, "head"), (180, "head"),
])
@pytest.mark.parametrize("height", [0.45, 1.2])
def test_a_lying_body_is_seen_from_where_the_camera_stands_whatever_its_height(
        body, azimuth, view, height):
    """The true view of Happy Baby: end-on within 35 deg of the body's line, side within 25
    deg of square, three-quarter between; the camera's height does not change it."""
    recipe, form_cls = sc.RECIPES["happy-baby"]
    posed = pose_body(body, recipe.build(body, form_cls(), None))
    camera = Camera.fit(posed.vertices, azimuth_deg=azimuth, camera_z=height, fov_deg=50,
                        width=480, height=360)
    assert true_view(posed, camera, lying=True) == view
