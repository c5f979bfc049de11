"""What the body wears and the room it is in. Colours are (r, g, b), 0-255."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posecheck.synth.skeleton import Body

Color = tuple[int, int, int]

SKIN_TONES: dict[str, Color] = {
    "light": (234, 192, 168), "medium": (198, 145, 108), "tan": (168, 114, 80),
    "brown": (125, 82, 56), "dark": (84, 55, 40),
}


@dataclass(frozen=True)
class Appearance:
    """Skin and clothes.

    top: "tshirt" (short sleeves), "tank", "long" (long sleeves) or "none".
    bottom: "shorts", "capri" (to mid-shin), "leggings" (to the ankle).
    face: paint eyes, brows and lips (the detector keys on the face; a bare head also mostly works).
    hair: hair colour, or None for a bald head.
    """

    skin: Color = SKIN_TONES["medium"]
    top_color: Color = (46, 84, 150)
    bottom_color: Color = (110, 60, 80)
    top: str = "tshirt"
    bottom: str = "leggings"
    hair: Color | None = (52, 36, 26)
    face: bool = True
    lips: Color | None = None      # None: a darker, redder shade of the skin
    iris: Color = (70, 48, 30)


@dataclass(frozen=True)
class Scene:
    """A box-shaped room with a yoga mat on the floor, lit by one directional light.

    Room: floor z = 0, walls at x = +-room_half[0], y = +-room_half[1], ceiling at room_height.
    Mat: a rectangle on the floor, centred at mat_center, long side along Y turned by mat_yaw_deg.
    light_dir: direction *toward* the light (world). light, ambient: their strengths; room_fill:
    extra ambient light on the room's surfaces (bounce light). shadows: cast the body's shadow.
    """

    room_half: tuple[float, float] = (4.5, 4.5)
    room_height: float = 2.7
    floor_color: Color = (168, 132, 98)
    wall_color: Color = (206, 202, 192)
    side_wall_color: Color = (190, 196, 200)
    ceiling_color: Color = (230, 230, 228)
    mat_color: Color = (92, 150, 140)
    mat_center: tuple[float, float] = (0.0, 0.0)
    mat_size: tuple[float, float] = (0.66, 1.85)
    mat_yaw_deg: float = 0.0
    light_dir: tuple[float, float, float] = (-0.35, -0.55, 1.0)
    light: float = 0.75
    ambient: float = 0.42
    room_fill: float = 0.3
    shadows: bool = True
    shadow_resolution: int = 384


_SLEEVE = {"none": None, "tank": -10.0, "tshirt": 0.14, "long": 10.0}  # sleeve length (m) down the arm
_LEG = {"shorts": 0.22, "capri": 0.62, "leggings": 10.0}


def _linear(c) -> np.ndarray:
    return np.asarray(c, float) / 255.0


def vertex_colors(body: Body, appearance: Appearance) -> np.ndarray:
    """(V, 3) RGB in [0, 1] per vertex: skin, clothes, painted face, hair, eyes."""
    if appearance.top not in _SLEEVE:
        raise ValueError(f"top must be one of {', '.join(_SLEEVE)}, got {appearance.top!r}")
    if appearance.bottom not in _LEG:
        raise ValueError(f"bottom must be one of {', '.join(_LEG)}, got {appearance.bottom!r}")
    v = body.vertices  # neutral pose: arms and legs hang vertically
    w = body.weights
    bi = body.bone_index
    groups = {
        "arm": [b for b in body.bone_names if b.startswith(("upperarm", "lowerarm", "wrist"))],
        "leg": [b for b in body.bone_names if b.startswith(("upperleg", "lowerleg", "foot"))],
        "head": ["head", "neck03", "neck02"],
    }
    share = {k: w[:, [bi[b] for b in names]].sum(axis=1) for k, names in groups.items()}
    skin = _linear(appearance.skin)
    colors = np.tile(skin, (len(v), 1))

    j = body.heads
    shoulder_z = j[bi["upperarm01.L"], 2]
    hip_z = j[bi["upperleg01.L"], 2]
    neck_z = j[bi["neck01"], 2]
    waist_z = hip_z + 0.13
    arm = share["arm"] > 0.5
    leg = share["leg"] > 0.5
    torso = ~arm & ~leg & (share["head"] < 0.5)

    # Bottom: from the waist down the hanging legs; then the top over it (it overlaps the waist).
    ankle_z = j[bi["foot.L"], 2]
    bottom = (torso & (v[:, 2] <= waist_z)) | (leg & (v[:, 2] > hip_z - _LEG[appearance.bottom]))
    bottom &= ~(leg & (v[:, 2] < ankle_z + 0.04))
    colors[bottom] = _linear(appearance.bottom_color)
    sleeve = _SLEEVE[appearance.top]
    if sleeve is not None:
        # a round neckline: low at the front, up over the shoulders toward the neck's sides
        neckline = (neck_z - 0.035 - 0.06 * np.clip(-(v[:, 1] + 0.05) / 0.1, 0, 1)
                    + 0.09 * np.clip((np.abs(v[:, 0]) - 0.05) / 0.05, 0, 1))
        top = torso & (v[:, 2] > waist_z - 0.03) & (v[:, 2] < neckline)
        if appearance.top == "tank":  # shoulder straps: bare from the armpit up, outside the straps
            shoulder_x = abs(j[bi["upperarm01.L"], 0])
            top &= ~((np.abs(v[:, 0]) > 0.62 * shoulder_x) & (v[:, 2] > shoulder_z - 0.13))
        top |= arm & (v[:, 2] > shoulder_z - sleeve)
        colors[top] = _linear(appearance.top_color)

    eyes_mask = body.vertex_part > 0
    eye_c = {1: v[body.vertex_part == 1].mean(axis=0), 2: v[body.vertex_part == 2].mean(axis=0)}
    eye_z = (eye_c[1][2] + eye_c[2][2]) / 2
    head = share["head"] > 0.5

    if appearance.hair is not None:
        front_y = eye_c[1][1]
        hair = head & (~eyes_mask) & (
            (v[:, 2] > eye_z + 0.048 + 0.02 * np.clip((v[:, 1] - front_y) / 0.03, -1, 0))
            | ((v[:, 1] > front_y + 0.085) & (v[:, 2] > eye_z - 0.06)))
        hair &= ~body.vertex_flags["ears"]
        colors[hair] = _linear(appearance.hair)

    if appearance.face:
        brow_color = _linear(appearance.hair if appearance.hair is not None else (60, 44, 34))
        for p, sign in ((1, 1.0), (2, -1.0)):
            c = eye_c[p]
            dx = (v[:, 0] - c[0] - sign * 0.004) / 0.024
            dz = (v[:, 2] - (c[2] + 0.021 - 0.004 * ((v[:, 0] - c[0]) * sign / 0.02) ** 2)) / 0.005
            brow = head & ~eyes_mask & (dx ** 2 + dz ** 2 < 1.0) & (v[:, 1] < c[1])
            colors[brow] = brow_color
        colors[body.vertex_flags["eyelids"]] = skin * 0.45
        lips = _linear(appearance.lips) if appearance.lips is not None else skin * np.array([0.80, 0.55, 0.55])
        colors[body.vertex_flags["lips"]] = lips
        for p in (1, 2):
            idx = np.flatnonzero(body.vertex_part == p)
            d = v[idx] - eye_c[p]
            d /= np.linalg.norm(d, axis=1, keepdims=True)
            ang = np.degrees(np.arccos(np.clip(-d[:, 1], -1, 1)))  # angle from straight ahead
            col = np.tile(_linear((236, 236, 230)), (len(idx), 1))
            col[ang < 32] = _linear(appearance.iris)
            col[ang < 14] = _linear((12, 10, 10))
            colors[idx] = col
    return colors
