"""A posable human body with known joint positions: shapes, pose angles, FK, skinning, IK.

World frame (metres, right-handed, Blender's): X = the body's left in the neutral stance,
Y = the body's back (the neutral body faces -Y), Z = up, the floor is z = 0.

Neutral pose (all angles zero): standing on the floor, pelvis centre (midpoint of the two hip
joints) at x = y = 0, legs vertical (feet under the hips), arms hanging straight down at the
sides, elbows and knees straight, feet flat as in the source mesh, spine and neck in the mesh's
natural standing curve. Every joint angle is measured from that pose.

Joint angles, `(flex, abd, rot)` in degrees, are rotations about three axes fixed to the
parent segment, defined in the neutral pose:

- flex about the body's left-right axis (X, made perpendicular to the segment),
- abd  about the axis perpendicular to that and to the segment (front-back for a vertical one),
- rot  about the segment's own long axis,

applied as R = R_flex @ R_abd @ R_rot (rot first, then abd, then flex, all about parent axes).
Signs are anatomical (see JOINT_DOC): flex > 0 is flexion (hip/shoulder/spine/neck/elbow
forward, knee heel-to-buttock, ankle toes-up, wrist toward the palm), abd > 0 moves the segment
away from the midline (spine/neck/head: bend to the body's left), rot > 0 is internal/medial
rotation (forearm: pronation; spine/neck/head: turn to the body's left; ankle: inversion).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

import numpy as np

from posecheck.core.landmarks import INDEX, NAMES
from posecheck.synth import rotations as rot

DATA_FILE = Path(__file__).resolve().parent / "data" / "body.npz"

FORWARD = np.array([0.0, -1.0, 0.0])
BACK = -FORWARD
UP = np.array([0.0, 0.0, 1.0])
DOWN = -UP
LEFT = np.array([1.0, 0.0, 0.0])

#: Shape presets for load_body: MakeHuman macro values in [0, 1] (0.5 = average). Heights:
#: neutral 1.66 m, male 1.74, female 1.60, male_tall 1.88, female_short 1.49 (the height
#: target is strong: height=1.0 makes a 2.46 m man, so stay within about 0.3-0.7).
VARIANTS: dict[str, dict[str, float]] = {
    "neutral": dict(gender=0.5),
    "male": dict(gender=1.0),
    "female": dict(gender=0.0),
    "male_heavy": dict(gender=1.0, weight=1.0),
    "female_heavy": dict(gender=0.0, weight=1.0),
    "male_light": dict(gender=1.0, weight=0.0),
    "female_light": dict(gender=0.0, weight=0.0),
    "male_tall": dict(gender=1.0, height=0.6),
    "female_short": dict(gender=0.0, height=0.35),
    "male_muscular": dict(gender=1.0, muscle=1.0),
}

#: Which MediaPipe hand landmark is which marker (finger joints from the rig's joint cubes).
HAND_MARKERS = {"pinky": "pinky_mcp", "index": "index_mcp", "thumb": "thumb_ip"}


@dataclass(frozen=True)
class JointSpec:
    name: str
    bones: tuple[str, ...]   # internal rig bones, proximal first
    split: str               # "single", "twist" (two collinear bones) or "even" (spread evenly)
    end: tuple[str, str]     # ("head", bone) | ("tail", bone) | ("marker", name): segment end
    flex_ref: str            # "x", "z" or "palm": reference for the flex axis
    probes: tuple[str, str, str, str]  # flex probe, abd probe, rot reference, rot probe


def _side_specs(side: str) -> list[JointSpec]:
    s = side[0].upper()
    lat = "lateral"
    return [
        JointSpec(f"{side}_clavicle", (f"clavicle.{s}",), "single", ("head", f"upperarm01.{s}"), "z",
                  ("forward", "up", "forward", "up")),
        JointSpec(f"{side}_shoulder", (f"upperarm01.{s}", f"upperarm02.{s}"), "twist",
                  ("head", f"lowerarm01.{s}"), "x", ("forward", lat, "forward", "medial")),
        JointSpec(f"{side}_elbow", (f"lowerarm01.{s}", f"lowerarm02.{s}"), "twist",
                  ("head", f"wrist.{s}"), "x", ("forward", lat, "forward", "medial")),
        JointSpec(f"{side}_wrist", (f"wrist.{s}",), "single", ("marker", f"middle_mcp.{s}"), "palm",
                  ("palm", "thumb", "palm", "back")),
        JointSpec(f"{side}_hip", (f"upperleg01.{s}", f"upperleg02.{s}"), "twist",
                  ("head", f"lowerleg01.{s}"), "x", ("forward", lat, "forward", "medial")),
        JointSpec(f"{side}_knee", (f"lowerleg01.{s}", f"lowerleg02.{s}"), "twist",
                  ("head", f"foot.{s}"), "x", ("back", lat, "forward", "medial")),
        JointSpec(f"{side}_ankle", (f"foot.{s}",), "single", ("tail", f"foot.{s}"), "x",
                  ("up", lat, "up", lat)),
    ]


JOINT_SPECS: tuple[JointSpec, ...] = tuple(
    [
        JointSpec("spine_lower", ("spine05", "spine04", "spine03"), "even", ("head", "spine02"), "x",
                  ("forward", "left", "forward", "left")),
        JointSpec("spine_upper", ("spine02", "spine01"), "even", ("head", "neck01"), "x",
                  ("forward", "left", "forward", "left")),
        JointSpec("neck", ("neck01", "neck02", "neck03"), "even", ("head", "head"), "x",
                  ("forward", "left", "forward", "left")),
        JointSpec("head", ("head",), "single", ("tail", "head"), "x", ("forward", "left", "forward", "left")),
    ]
    + _side_specs("left")
    + _side_specs("right")
)
JOINTS: tuple[str, ...] = tuple(spec.name for spec in JOINT_SPECS)
SPECS: dict[str, JointSpec] = {spec.name: spec for spec in JOINT_SPECS}

#: What (flex, abd, rot) > 0 mean, per joint (left and right alike; see docs/synth.md).
JOINT_DOC = {
    "spine_lower": "lumbar (3 bones, angles split evenly): bend forward / bend to the left / turn to the left",
    "spine_upper": "thoracic (2 bones, split evenly): bend forward / bend to the left / turn to the left",
    "neck": "neck (3 bones, split evenly): chin down / tilt to the left / turn to the left",
    "head": "head on the neck: nod down / tilt to the left / turn to the left",
    "clavicle": "shoulder girdle: protraction (shoulder forward) / elevation (shrug) / roll",
    "shoulder": "arm: flexion (raise forward) / abduction (raise sideways) / internal rotation",
    "elbow": "forearm: flexion / (keep 0) / pronation",
    "wrist": "hand: flexion toward the palm / radial deviation (toward the thumb) / pronation sense",
    "hip": "thigh: flexion (knee forward/up) / abduction (out to the side) / internal rotation",
    "knee": "shin: flexion (heel toward buttock) / (keep 0) / internal rotation",
    "ankle": "foot: dorsiflexion (toes up) / toe-out / inversion (sole turns inward)",
}

_TWIST_CHAINS = (("upperarm01", "upperarm02", "lowerarm01"), ("lowerarm01", "lowerarm02", "wrist"),
                 ("upperleg01", "upperleg02", "lowerleg01"), ("lowerleg01", "lowerleg02", "foot"))


@dataclass(frozen=True)
class Pose:
    """A body pose: where the pelvis is, how the body is turned, and the joint angles.

    root_position: world position of the pelvis centre (midpoint of the hip joints), metres;
                   None = the neutral standing height at x = y = 0.
    root_rotation: (rx, ry, rz) degrees, the whole body turned about the pelvis centre by
                   Rz(rz) @ Ry(ry) @ Rx(rx) (X first). rx = -90 lies the body on its back, head
                   toward +Y; rz turns it on the floor (rz = 90: the neutral body faces +X).
    joints:        joint name (see JOINTS) -> (flex, abd, rot) degrees; missing joints are 0.
    """

    root_position: tuple[float, float, float] | None = None
    root_rotation: tuple[float, float, float] = (0.0, 0.0, 0.0)
    joints: Mapping[str, tuple[float, float, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.joints) - set(JOINTS)
        if unknown:
            raise ValueError(f"unknown joints {sorted(unknown)}; known: {', '.join(JOINTS)}")

    def angles(self, joint: str) -> tuple[float, float, float]:
        return tuple(float(a) for a in self.joints.get(joint, (0.0, 0.0, 0.0)))  # type: ignore[return-value]

    def with_joint(self, joint: str, flex: float | None = None, abd: float | None = None,
                   rot: float | None = None) -> "Pose":
        """A copy with some of one joint's angles replaced (None keeps the current value)."""
        if joint not in SPECS:
            raise ValueError(f"unknown joint {joint!r}; known: {', '.join(JOINTS)}")
        old = self.angles(joint)
        new = tuple(old[i] if v is None else float(v) for i, v in enumerate((flex, abd, rot)))
        return replace(self, joints={**self.joints, joint: new})

    def with_joints(self, **angles: tuple[float, float, float]) -> "Pose":
        """A copy with whole joints replaced: pose.with_joints(left_knee=(90, 0, 0), ...)."""
        return replace(self, joints={**self.joints, **{k: tuple(map(float, v)) for k, v in angles.items()}})

    def mirrored(self) -> "Pose":
        """The left/right mirror image (about the body's sagittal plane in the neutral frame)."""
        joints = {}
        for name, (f, a, r) in self.joints.items():
            if name.startswith("left_"):
                joints["right_" + name[5:]] = (f, a, r)
            elif name.startswith("right_"):
                joints["left_" + name[6:]] = (f, a, r)
            else:
                joints[name] = (f, -a, -r)
        rx, ry, rz = self.root_rotation
        pos = None if self.root_position is None else (-self.root_position[0], *self.root_position[1:])
        return Pose(root_position=pos, root_rotation=(rx, -ry, -rz), joints=joints)


@dataclass(frozen=True)
class _Frame:
    basis: np.ndarray   # columns f0, a0, t0 (right-handed), neutral world coordinates
    signs: np.ndarray   # +-1 for flex, abd, rot

    def matrix(self, flex: float, abd: float, twist: float) -> np.ndarray:
        s = self.signs
        return self.basis @ rot.euler_xyz(s[0] * flex, s[1] * abd, s[2] * twist) @ self.basis.T

    def angles(self, m: np.ndarray) -> tuple[float, float, float]:
        a = rot.euler_from_xyz(self.basis.T @ m @ self.basis)
        return tuple(float(v * s) for v, s in zip(a, self.signs))  # type: ignore[return-value]

    def twist(self, degrees: float) -> np.ndarray:
        return rot.axis_angle(self.basis[:, 2], self.signs[2] * degrees)


@dataclass(eq=False)
class Body:
    """A shaped body in its neutral pose, ready to pose (see load_body)."""

    name: str
    shape: dict[str, float]
    rest_vertices: np.ndarray      # (V, 3) A-pose mesh as modelled (source frame, metres)
    faces: np.ndarray              # (F, 3) int32 triangles, counter-clockwise seen from outside
    face_part: np.ndarray          # (F,) 0 body, 1 left eyeball, 2 right eyeball
    vertex_part: np.ndarray        # (V,)
    vertex_flags: dict[str, np.ndarray]  # "lips", "ears", "eyelids" -> (V,) bool
    weights: np.ndarray            # (V, B) skin weights, rows sum to 1
    bone_names: tuple[str, ...]
    bone_parent: np.ndarray        # (B,)
    rest_to_neutral: np.ndarray    # (B, 4, 4) per-bone transform of the rest mesh into neutral
    heads: np.ndarray              # (B, 3) neutral bone heads (rotation centres)
    markers: dict[str, tuple[int, np.ndarray]]  # name -> (bone index, neutral position)
    frames: dict[str, _Frame]
    chain: dict[str, tuple[np.ndarray, np.ndarray]]  # joint -> neutral (start, end) of its segment
    vertices: np.ndarray           # (V, 3) neutral mesh
    pelvis: np.ndarray             # neutral pelvis centre
    landmark_vertices: dict[str, tuple[np.ndarray, np.ndarray]]  # name -> (indices, weights)
    bone_index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.bone_index = {n: i for i, n in enumerate(self.bone_names)}

    @property
    def height(self) -> float:
        return float(self.vertices[:, 2].max() - self.vertices[:, 2].min())

    def segment_length(self, joint: str) -> float:
        start, end = self.chain[joint]
        return float(np.linalg.norm(end - start))


@dataclass(eq=False)
class PosedBody:
    """A body in a pose: posed mesh, true joints and MediaPipe landmarks, world metres."""

    body: Body
    pose: Pose
    vertices: np.ndarray           # (V, 3)
    bone_matrices: np.ndarray      # (B, 4, 4) neutral -> world, per bone
    landmarks: np.ndarray          # (33, 3) in posecheck.core.landmarks.NAMES order
    joints: dict[str, np.ndarray]  # joint centres (see joint_positions)

    @property
    def faces(self) -> np.ndarray:
        return self.body.faces

    def landmark(self, name: str) -> np.ndarray:
        return self.landmarks[INDEX[name]]

    def landmark_dict(self) -> dict[str, np.ndarray]:
        return {name: self.landmarks[i] for i, name in enumerate(NAMES)}


# ----------------------------------------------------------------------------- loading


def _probe(name: str, side: str, palm: np.ndarray | None, thumb: np.ndarray | None) -> np.ndarray:
    lateral = LEFT if side == "left" else -LEFT
    table = {"forward": FORWARD, "back": BACK, "up": UP, "left": LEFT,
             "lateral": lateral, "medial": -lateral, "palm": palm, "thumb": thumb}
    return table[name]


def _make_frame(spec: JointSpec, start: np.ndarray, end: np.ndarray,
                palm: np.ndarray | None, thumb: np.ndarray | None) -> _Frame:
    side = "left" if spec.name.startswith("left_") else "right"
    t0 = rot.unit(end - start)
    ref = {"x": LEFT, "z": UP}.get(spec.flex_ref)
    if ref is None:  # palm: flex moves the fingers toward the palm
        ref = np.cross(t0, palm)
    f0 = rot.unit(ref - (ref @ t0) * t0)
    a0 = np.cross(t0, f0)
    basis = np.column_stack([f0, a0, t0])
    flex_p, abd_p, rot_ref, rot_p = (_probe(n, side, palm, thumb) for n in spec.probes)
    r = rot_ref - (rot_ref @ t0) * t0
    signs = np.array([np.sign(np.cross(f0, t0) @ flex_p), np.sign(np.cross(a0, t0) @ abd_p),
                      np.sign(np.cross(t0, r) @ rot_p)])
    if (signs == 0).any():
        raise ValueError(f"degenerate frame for {spec.name}")
    return _Frame(basis, signs)


@functools.lru_cache(maxsize=1)
def _data() -> dict[str, np.ndarray]:
    with np.load(DATA_FILE) as npz:
        return {k: npz[k] for k in npz.files}


def _shape_factors(gender: float, weight: float, muscle: float, height: float) -> dict[str, float]:
    """MakeHuman-style macro mixing of the stored young-adult targets."""
    g = {"male": gender, "female": 1.0 - gender}
    factors: dict[str, float] = dict(g)
    for macro, value in (("weight", weight), ("muscle", muscle), ("height", height)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{macro} must be in [0, 1], got {value}")
        level, amount = ("max", (value - 0.5) * 2) if value >= 0.5 else ("min", (0.5 - value) * 2)
        for sex, share in g.items():
            factors[f"{sex}-{level}{macro}"] = amount * share
    return factors


def load_body(variant: str = "neutral", *, gender: float | None = None, weight: float | None = None,
              muscle: float | None = None, height: float | None = None) -> Body:
    """A body shape: a preset from VARIANTS, optionally overridden (each value in [0, 1])."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; known: {', '.join(VARIANTS)}")
    shape = {"gender": 0.5, "weight": 0.5, "muscle": 0.5, "height": 0.5, **VARIANTS[variant]}
    for key, value in (("gender", gender), ("weight", weight), ("muscle", muscle), ("height", height)):
        if value is not None:
            shape[key] = float(value)
    if not 0.0 <= shape["gender"] <= 1.0:
        raise ValueError(f"gender must be in [0, 1], got {shape['gender']}")
    return _load(variant, tuple(sorted(shape.items())))


@functools.lru_cache(maxsize=16)
def _load(variant: str, shape_items: tuple) -> Body:
    shape = dict(shape_items)
    d = _data()
    names = [str(n) for n in d["target_names"]]
    factors = _shape_factors(shape["gender"], shape["weight"], shape["muscle"], shape["height"])
    verts = d["vertices"].astype(float)
    heads = d["bone_head"].astype(float)
    tails = d["bone_tail"].astype(float)
    markers = d["marker_pos"].astype(float)
    off = d["target_offsets"]
    unit_m = float(d["target_delta_unit"])
    for name, f in factors.items():
        if f == 0.0:
            continue
        t = names.index(name)
        idx = d["target_vertex"][off[t]:off[t + 1]].astype(int)
        verts[idx] += f * unit_m * d["target_delta"][off[t]:off[t + 1]].astype(float)
        heads += f * d["target_bone_head"][t]
        tails += f * d["target_bone_tail"][t]
        markers += f * d["target_marker"][t]

    bone_names = tuple(str(n) for n in d["bone_names"])
    bi = {n: i for i, n in enumerate(bone_names)}
    parent = d["bone_parent"].astype(int)
    nb = len(bone_names)
    weights = np.zeros((len(verts), nb))
    weights[d["weight_vertex"].astype(int), d["weight_bone"].astype(int)] = d["weight_value"] / 65535.0
    weights /= weights.sum(axis=1, keepdims=True)
    marker_names = [str(n) for n in d["marker_names"]]
    marker_bone = d["marker_bone"].astype(int)

    # Twist bones onto their chain's axis, so twisting never moves the chain's end.
    for s in "LR":
        for a, b, c in _TWIST_CHAINS:
            ia, ib, ic = bi[f"{a}.{s}"], bi[f"{b}.{s}"], bi[f"{c}.{s}"]
            axis = rot.unit(heads[ic] - heads[ia])
            heads[ib] = heads[ia] + ((heads[ib] - heads[ia]) @ axis) * axis

    def marker_rest(name: str) -> np.ndarray:
        return markers[marker_names.index(name)]

    # Neutral pose: per-bone local rotations of the rest (A-pose) skeleton.
    local = [np.eye(3) for _ in range(nb)]
    world = [np.eye(4) for _ in range(nb)]
    for i, name in enumerate(bone_names):
        p = parent[i]
        pw = world[p] if p >= 0 else np.eye(4)
        base, _, s = name.partition(".")
        target = None
        if base in ("upperarm01", "lowerarm01", "upperleg01", "lowerleg01"):
            end = {"upperarm01": "lowerarm01", "lowerarm01": "wrist",
                   "upperleg01": "lowerleg01", "lowerleg01": "foot"}[base]
            target = (heads[bi[f"{end}.{s}"]] - heads[i], DOWN)
        elif base == "wrist":
            target = (marker_rest(f"middle_mcp.{s}") - heads[i], DOWN)
        if target is not None:
            local[i] = rot.between(target[0], pw[:3, :3].T @ target[1])
        elif base == "foot":
            local[i] = pw[:3, :3].T  # keep the foot as it is in the rest mesh (sole flat)
        world[i] = pw @ rot.affine(local[i], heads[i])
    a = np.array(world)

    # Shift: soles on the floor, pelvis centre above the origin.
    skin = np.einsum("vb,bij->vij", weights, a[:, :3, :])
    neutral = np.einsum("vij,vj->vi", skin[:, :, :3], verts) + skin[:, :, 3]
    nheads = np.einsum("bij,bj->bi", a[:, :3, :3], heads) + a[:, :3, 3]
    hips = nheads[[bi["upperleg01.L"], bi["upperleg01.R"]]].mean(axis=0)
    shift = np.array([-hips[0], -hips[1], -neutral[:, 2].min()])
    a[:, :3, 3] += shift
    neutral += shift
    nheads += shift
    pelvis = hips + shift

    nmarkers = {}
    for name, b, pos in zip(marker_names, marker_bone, markers):
        nmarkers[name] = (int(b), a[b, :3, :3] @ pos + a[b, :3, 3])

    # Joint frames.
    def end_point(kind: str, ref: str) -> np.ndarray:
        if kind == "head":
            return nheads[bi[ref]]
        if kind == "marker":
            return nmarkers[ref][1]
        i = bi[ref]
        return a[i, :3, :3] @ tails[i] + a[i, :3, 3]

    frames, chain = {}, {}
    for spec in JOINT_SPECS:
        start = nheads[bi[spec.bones[0]]]
        end = end_point(*spec.end)
        palm = thumb = None
        if spec.flex_ref == "palm":
            s = spec.bones[0][-1]
            palm, thumb = _palm_axes(nmarkers, s, start, end)
        frames[spec.name] = _make_frame(spec, start, end, palm, thumb)
        chain[spec.name] = (start, end)

    vpart = d["vertex_part"].astype(int)
    flags = {str(n): ((d["vertex_flags"] >> k) & 1).astype(bool) for k, n in enumerate(d["flag_names"])}
    body = Body(
        name=variant, shape=shape, rest_vertices=verts, faces=d["faces"].astype(np.int32),
        face_part=d["face_part"].astype(int), vertex_part=vpart, vertex_flags=flags, weights=weights,
        bone_names=bone_names, bone_parent=parent, rest_to_neutral=a, heads=nheads, markers=nmarkers,
        frames=frames, chain=chain, vertices=neutral, pelvis=pelvis, landmark_vertices={},
    )
    body.landmark_vertices.update(_landmark_vertices(body))
    return body


def _palm_axes(nmarkers, s: str, wrist: np.ndarray, tip: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Neutral palm normal (palm side) and thumb-side direction of one hand."""
    t0 = rot.unit(tip - wrist)
    index = nmarkers[f"index_mcp.{s}"][1]
    pinky = nmarkers[f"pinky_mcp.{s}"][1]
    thumb_tip = nmarkers[f"thumb_tip.{s}"][1]
    across = index - pinky                       # toward the thumb side, across the knuckles
    across = rot.unit(across - (across @ t0) * t0)
    palm = np.cross(t0, across)
    mid = (index + pinky) / 2
    if (thumb_tip - mid) @ palm < 0:             # the opposed thumb sits on the palm side
        palm = -palm
    return palm, across


def _landmark_vertices(body: Body) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Mesh points that define the face and foot landmarks (indices and weights)."""
    v = body.vertices
    part = body.vertex_part
    dominant = np.argmax(body.weights, axis=1)
    head = dominant == body.bone_index["head"]
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def one(i: int) -> tuple[np.ndarray, np.ndarray]:
        return np.array([int(i)]), np.array([1.0])

    eyes_z = v[part > 0, 2].mean()
    nose_zone = head & (part == 0) & (np.abs(v[:, 0]) < 0.006) & (v[:, 2] < eyes_z) & (v[:, 2] > eyes_z - 0.08)
    out["nose"] = one(np.flatnonzero(nose_zone)[np.argmin(v[nose_zone, 1])])
    eye = np.flatnonzero(part == 1)  # the body's left eye (+X)
    out["left_eye"] = one(eye[np.argmin(v[eye, 1])])  # front of the eyeball
    lids = np.flatnonzero(body.vertex_flags["eyelids"] & (v[:, 0] > 0))
    out["left_eye_inner"] = one(lids[np.argmin(v[lids, 0])])
    out["left_eye_outer"] = one(lids[np.argmax(v[lids, 0])])
    ear = np.flatnonzero(body.vertex_flags["ears"] & (v[:, 0] > 0))
    out["left_ear"] = (ear, np.full(len(ear), 1.0 / len(ear)))
    lips = np.flatnonzero(body.vertex_flags["lips"] & (v[:, 0] > 0))
    out["mouth_left"] = one(lips[np.argmax(v[lips, 0])])
    foot = np.flatnonzero(dominant == body.bone_index["foot.L"])
    low = foot[v[foot, 2] < v[foot, 2].min() + 0.025]
    out["left_heel"] = one(low[np.argmax(v[low, 1])])  # back of the heel, near the sole
    out["left_foot_index"] = one(foot[np.argmin(v[foot, 1])])  # front tip of the toes
    # The right side: the mirror images of the left side's vertices (the mesh is symmetric).
    for name in [n for n in out if "left" in n]:
        idx, w = out[name]
        mirrored = v[idx] * [-1.0, 1.0, 1.0]
        same_part = np.flatnonzero(np.isin(part, [2 if p == 1 else p for p in part[idx]]))
        d = np.linalg.norm(v[same_part][None, :, :] - mirrored[:, None, :], axis=2)
        out[name.replace("left", "right")] = (same_part[np.argmin(d, axis=1)], w)
    return out


# ----------------------------------------------------------------------------- posing


def local_rotations(body: Body, pose: Pose) -> list[np.ndarray]:
    """Per-bone 3x3 rotations (neutral frame, about each bone's head) for a pose."""
    local = [np.eye(3) for _ in body.bone_names]
    for spec in JOINT_SPECS:
        if spec.name not in pose.joints:
            continue
        flex, abd, tw = pose.angles(spec.name)
        fr = body.frames[spec.name]
        idx = [body.bone_index[b] for b in spec.bones]
        if spec.split == "single":
            local[idx[0]] = fr.matrix(flex, abd, tw)
        elif spec.split == "twist":
            local[idx[0]] = fr.matrix(flex, abd, tw / 2)
            local[idx[1]] = fr.twist(tw / 2)
        else:
            n = len(idx)
            for i in idx:
                local[i] = fr.matrix(flex / n, abd / n, tw / n)
    return local


def bone_matrices(body: Body, pose: Pose) -> np.ndarray:
    """(B, 4, 4) neutral -> world transform of every bone (forward kinematics)."""
    local = local_rotations(body, pose)
    root_pos = body.pelvis if pose.root_position is None else np.asarray(pose.root_position, float)
    root = rot.translation(root_pos) @ rot.affine(rot.root_rotation(*pose.root_rotation), np.zeros(3)) \
        @ rot.translation(-body.pelvis)
    out = np.empty((len(body.bone_names), 4, 4))
    for i, p in enumerate(body.bone_parent):
        parent = root if p < 0 else out[p]
        out[i] = parent @ rot.affine(local[i], body.heads[i])
    return out


def joint_positions(body: Body, mats: np.ndarray) -> dict[str, np.ndarray]:
    """True joint centres in world metres."""
    def head(bone: str) -> np.ndarray:
        i = body.bone_index[bone]
        return mats[i, :3, :3] @ body.heads[i] + mats[i, :3, 3]

    out: dict[str, np.ndarray] = {}
    for side, s in (("left", "L"), ("right", "R")):
        out[f"{side}_shoulder"] = head(f"upperarm01.{s}")
        out[f"{side}_elbow"] = head(f"lowerarm01.{s}")
        out[f"{side}_wrist"] = head(f"wrist.{s}")
        out[f"{side}_hip"] = head(f"upperleg01.{s}")
        out[f"{side}_knee"] = head(f"lowerleg01.{s}")
        out[f"{side}_ankle"] = head(f"foot.{s}")
        out[f"{side}_clavicle"] = head(f"clavicle.{s}")
    out["pelvis"] = (out["left_hip"] + out["right_hip"]) / 2
    for bone, name in (("spine05", "spine_lower"), ("spine02", "spine_upper"), ("neck01", "neck"),
                       ("head", "head")):
        out[name] = head(bone)
    i = body.bone_index["head"]
    out["head_top"] = mats[i, :3, :3] @ body.chain["head"][1] + mats[i, :3, 3]
    return out


def skin(body: Body, mats: np.ndarray) -> np.ndarray:
    """Linear blend skinning of the rest mesh with per-bone neutral -> world transforms."""
    total = mats @ body.rest_to_neutral                      # (B, 4, 4) rest -> world
    blend = (body.weights @ total[:, :3, :].reshape(len(total), 12)).reshape(-1, 3, 4)
    return np.einsum("vij,vj->vi", blend[:, :, :3], body.rest_vertices) + blend[:, :, 3]


def pose_body(body: Body, pose: Pose | None = None) -> PosedBody:
    """Poses the body: mesh vertices, true joints and the 33 MediaPipe landmarks (world metres)."""
    pose = pose or Pose()
    mats = bone_matrices(body, pose)
    verts = skin(body, mats)
    joints = joint_positions(body, mats)
    lm = np.zeros((len(NAMES), 3))
    for name in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle"):
        for side in ("left", "right"):
            lm[INDEX[f"{side}_{name}"]] = joints[f"{side}_{name}"]
    for side, s in (("left", "L"), ("right", "R")):
        for mp_name, marker in HAND_MARKERS.items():
            b, pos = body.markers[f"{marker}.{s}"]
            lm[INDEX[f"{side}_{mp_name}"]] = mats[b, :3, :3] @ pos + mats[b, :3, 3]
    for name, (idx, w) in body.landmark_vertices.items():
        lm[INDEX[name]] = w @ verts[idx]
    return PosedBody(body=body, pose=pose, vertices=verts, bone_matrices=mats, landmarks=lm, joints=joints)


def on_floor(body: Body, pose: Pose, floor_z: float = 0.0) -> Pose:
    """The pose moved up or down so that its lowest mesh point touches z = floor_z."""
    posed = pose_body(body, pose)
    root = posed.joints["pelvis"]
    dz = floor_z - posed.vertices[:, 2].min()
    return replace(pose, root_position=(float(root[0]), float(root[1]), float(root[2] + dz)))


# ----------------------------------------------------------------------------- inverse kinematics

LIMBS = {
    "left_arm": ("left_shoulder", "left_elbow"), "right_arm": ("right_shoulder", "right_elbow"),
    "left_leg": ("left_hip", "left_knee"), "right_leg": ("right_hip", "right_knee"),
}


def _parent_rotation(body: Body, mats: np.ndarray, joint: str) -> tuple[np.ndarray, np.ndarray]:
    """World rotation of a joint's parent bone and the joint's world position."""
    i = body.bone_index[SPECS[joint].bones[0]]
    p = body.bone_parent[i]
    pos = mats[i, :3, :3] @ body.heads[i] + mats[i, :3, 3]
    return mats[p, :3, :3], pos


def ik_two_bone(body: Body, pose: Pose, limb: str, target, pole) -> Pose:
    """Bends a limb so its end (wrist or ankle) is at `target`, the elbow/knee toward `pole`.

    limb: "left_arm", "right_arm", "left_leg" or "right_leg". target and pole are world points.
    Sets the shoulder/hip (flex, abd, rot) and the elbow/knee flex (abd = 0, rot kept). When the
    target is out of reach, the limb points straight at it. Everything above the limb is kept.
    """
    if limb not in LIMBS:
        raise ValueError(f"limb must be one of {', '.join(LIMBS)}, got {limb!r}")
    upper, lower = LIMBS[limb]
    target = np.asarray(target, float)
    pole = np.asarray(pole, float)
    mats = bone_matrices(body, pose)
    g, shoulder = _parent_rotation(body, mats, upper)
    s0, e0 = body.chain[upper]
    _, w0 = body.chain[lower]
    l1, l2 = np.linalg.norm(e0 - s0), np.linalg.norm(w0 - e0)
    u0 = rot.unit(e0 - s0)
    fr_u, fr_l = body.frames[upper], body.frames[lower]
    twist_l = pose.angles(lower)[2]

    to_target = target - shoulder
    dist = float(np.clip(np.linalg.norm(to_target), abs(l1 - l2) + 1e-9, l1 + l2 - 1e-9))
    bend = np.degrees(np.arccos(np.clip((l1 ** 2 + l2 ** 2 - dist ** 2) / (2 * l1 * l2), -1, 1)))
    flex_l = 180.0 - bend
    lower_dir = fr_l.matrix(max(flex_l, 1.0), 0.0, twist_l) @ u0
    h0 = rot.unit(np.cross(u0, lower_dir))

    d = rot.unit(to_target)
    n = pole - shoulder
    n = n - (n @ d) * d
    if np.linalg.norm(n) < 1e-9:
        raise ValueError("pole lies on the line from the joint to the target")
    n = rot.unit(n)
    beta = np.arccos(np.clip((l1 ** 2 + dist ** 2 - l2 ** 2) / (2 * l1 * dist), -1, 1))
    u1 = np.cos(beta) * d + np.sin(beta) * n
    h1 = rot.unit(np.cross(n, d))
    world_upper = rot.frame(u1, h1) @ rot.frame(u0, h0).T
    f, a, t = fr_u.angles(g.T @ world_upper)
    return pose.with_joint(upper, f, a, t).with_joint(lower, flex_l, 0.0, twist_l)


def orient_joint(body: Body, pose: Pose, joint: str, world_rotation) -> Pose:
    """Sets a joint's angles so its segment has this world rotation (relative to neutral).

    For single-bone and two-bone (twist) joints; everything above the joint is kept.
    """
    spec = SPECS[joint]
    if spec.split == "even":
        raise ValueError(f"orient_joint does not support {joint} (angles spread over several bones)")
    mats = bone_matrices(body, pose)
    g, _ = _parent_rotation(body, mats, joint)
    f, a, t = body.frames[joint].angles(g.T @ np.asarray(world_rotation, float))
    return pose.with_joint(joint, f, a, t)


def aim_hand(body: Body, pose: Pose, side: str, fingers, palm, forearm_twist: bool = True) -> Pose:
    """Turns a hand so its fingers point along `fingers` and its palm faces `palm` (world).

    With forearm_twist the twist about the forearm's axis is carried by the forearm (elbow rot,
    pronation) rather than the wrist, as in a real arm; the hand ends up the same either way.
    """
    joint = f"{side}_wrist"
    elbow = f"{side}_elbow"
    start, end = body.chain[joint]
    t0 = rot.unit(end - start)
    palm0 = body.frames[joint].signs[0] * np.cross(body.frames[joint].basis[:, 0], t0)
    world = rot.frame(np.asarray(fingers, float), np.asarray(palm, float)) @ rot.frame(t0, palm0).T
    world = np.asarray(world)
    if forearm_twist:
        # world = G @ Tw(c) @ R_wrist: pick the forearm twist c (1-degree steps) that leaves the
        # wrist the least deviation and twist of its own, preferring little pronation.
        mats = bone_matrices(body, pose)
        g, _ = _parent_rotation(body, mats, joint)
        fr = body.frames[joint]
        m = g.T @ world
        axis = fr.basis[:, 2]
        best, best_cost = 0.0, np.inf
        for c in np.arange(-180.0, 180.0, 1.0):
            _, dev, tw = fr.angles(rot.axis_angle(axis, -c) @ m)
            cost = dev ** 2 + tw ** 2 + 0.2 * c ** 2
            if cost < best_cost:
                best, best_cost = c, cost
        elbow_frame = body.frames[elbow]
        same_axis = float(np.sign(elbow_frame.basis[:, 2] @ axis))
        pose = pose.with_joint(elbow, rot=pose.angles(elbow)[2] + best * elbow_frame.signs[2] * same_axis)
    return orient_joint(body, pose, joint, world)


def palm_normal(posed: PosedBody, side: str) -> np.ndarray:
    """World direction the palm faces (unit), for checks and tests."""
    body = posed.body
    joint = f"{side}_wrist"
    start, end = body.chain[joint]
    fr = body.frames[joint]
    palm0 = fr.signs[0] * np.cross(fr.basis[:, 0], rot.unit(end - start))
    i = body.bone_index[SPECS[joint].bones[0]]
    return posed.bone_matrices[i, :3, :3] @ palm0
