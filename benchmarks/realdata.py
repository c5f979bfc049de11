"""Evaluate posecheck on the real footage in ../shared/realdata against our own labels.

Every labelled photo is analysed with `--pose auto` as it is and mirrored left-right (the
expected side flips; the pose and the checks stay). Labelled clips (GIFs, videos) are analysed
whole, unless `--images-only`. Prints pose recognition accuracy, side accuracy, per-check
agreement with the clearly visible checks, the camera view against the labelled one, how many
flawed items were judged correct, and every disagreement; the annotated picture of each
disagreement is written to `--out` for a person to look at. The footage is read in place and never copied into the repository.

    python benchmarks/realdata.py [--data DIR] [--labels FILE] [--out DIR] [--json PATH]
                                  [--images-only]

Labels: benchmarks/realdata_labels.json (made by looking at each picture; see its "about").
Exit 0 after a run (the figures say how good it was); 2 when the data folder or labels are
missing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "realdata"
DEFAULT_LABELS = Path(__file__).resolve().with_name("realdata_labels.json")
SIDED = ("pigeon", "figure-four")
FLIP = {"left": "right", "right": "left", None: None}


class SetupError(Exception):
    """Missing data folder or labels: one line, exit 2."""


def load_labels(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SetupError(f"cannot read labels {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise SetupError(f"labels {path} are not valid JSON: {exc}") from None


def _run(path: Path, poses, overlay: Path | None):
    """Analyse one file; returns the summary and what each frame said."""
    from posecheck.app.analyze import Outputs, analyze

    frames: list[dict] = []

    def on_frame(r) -> None:
        frames.append({"t": r.t, "person": r.person, "pose": r.pose.name if r.pose and r.in_pose else None,
                       "side": r.side, "view": r.view, "correct": bool(r.in_pose and r.correct)})

    result = analyze(str(path), poses, Outputs(video=str(overlay) if overlay else None),
                     on_frame=on_frame)
    return result.summary, frames


def _image_item(label: dict, src: Path, mirrored: bool, poses, tmp: Path) -> dict:
    import cv2

    stem = label["file"].replace("/", "__").rsplit(".", 1)[0] + ("__mirrored" if mirrored else "")
    path = src
    if mirrored:
        image = cv2.imread(str(src))
        if image is None:
            raise SetupError(f"cannot read {src}")
        path = tmp / f"{stem}.png"
        cv2.imwrite(str(path), cv2.flip(image, 1))
    overlay = tmp / f"{stem}.overlay.png"
    summary, frames = _run(path, poses, overlay)
    recognised = summary.pose if summary.in_pose else None
    view = frames[-1]["view"] if frames else None
    expected_side = FLIP[label.get("side")] if mirrored else label.get("side")
    item = {
        "file": label["file"], "mirrored": mirrored, "kind": "image",
        "form": label["form"], "expected_pose": label["pose"], "pose": recognised,
        "pose_ok": recognised == label["pose"],
        "expected_side": expected_side, "side": summary.side if recognised else None,
        "view": view if recognised else None, "expected_view": label.get("view"),
        "person_found": summary.person_found,
        "correct": bool(summary.correct), "score": summary.score,
        "checks": {}, "overlay": str(overlay),
    }
    got = summary.checks if recognised == label["pose"] else {}
    for cid, want in label.get("checks", {}).items():
        if recognised != label["pose"]:
            item["checks"][cid] = {"expected": want, "state": "pose not recognised", "value": None}
            continue
        entry = got.get(cid)
        if entry is None:
            raise SetupError(f"{label['file']}: label names check '{cid}', which {label['pose']} has not")
        item["checks"][cid] = {"expected": want, "state": entry.state, "value": entry.value,
                               "unknown_because": entry.unknown_because}
    return item


def _clip_item(label: dict, src: Path, poses) -> dict:
    summary, frames = _run(src, poses, None)
    pose_ok = label.get("pose_ok", [label["pose"]])
    seen = Counter(f["pose"] for f in frames if f["pose"])
    return {
        "file": label["file"], "mirrored": False, "kind": "clip", "form": label["form"],
        "expected_pose": label["pose"], "accepted_poses": pose_ok,
        "pose": summary.pose, "pose_ok": summary.pose in pose_ok,
        "frames": len(frames), "frames_in_pose": dict(seen),
        "any_frame_correct": any(f["correct"] for f in frames),
        "expected_any_frame_correct": label.get("any_frame_correct"),
        "correct": bool(summary.correct), "correct_s": summary.correct_s,
        "person_found": summary.person_found,
    }


def _ratio(n: int, d: int) -> float | None:
    return round(n / d, 3) if d else None


def _fmt(n: int, d: int) -> str:
    return f"{n}/{d} = {100 * n / d:.0f}%" if d else "n/a"


def figures(items: list[dict]) -> dict:
    """All the numbers from the per-item results."""
    images = [i for i in items if i["kind"] == "image"]
    out: dict = {}
    for name, group in (("originals", [i for i in images if not i["mirrored"]]),
                        ("mirrored", [i for i in images if i["mirrored"]]),
                        ("all_images", images),
                        ("clips", [i for i in items if i["kind"] == "clip"]),
                        ("all_items", items)):
        ok = sum(i["pose_ok"] for i in group)
        out.setdefault("recognition", {})[name] = {"right": ok, "total": len(group),
                                                   "accuracy": _ratio(ok, len(group))}
    for name, group in (("originals", [i for i in images if not i["mirrored"]]),
                        ("mirrored", [i for i in images if i["mirrored"]]),
                        ("all_images", images)):
        sided = [i for i in group if i["pose_ok"] and i["expected_pose"] in SIDED and i["expected_side"]]
        ok = sum(i["side"] == i["expected_side"] for i in sided)
        named = [i for i in sided if i["side"] is not None]
        out.setdefault("side", {})[name] = {
            "right": ok, "total": len(sided), "accuracy": _ratio(ok, len(sided)),
            "named": len(named), "accuracy_when_named": _ratio(ok, len(named)),
            "wrong": len(named) - ok}
    viewed = [i for i in images if i["pose_ok"] and i["expected_pose"] and i.get("expected_view")]
    ok = sum(i["view"] in i["expected_view"] for i in viewed)
    out["view"] = {"right": ok, "total": len(viewed), "accuracy": _ratio(ok, len(viewed)),
                   "estimated": dict(Counter(str(i["view"]) for i in viewed))}
    tally: Counter = Counter()
    per_check: dict[str, Counter] = {}
    for i in images:
        for cid, c in i["checks"].items():
            key = f"{i['expected_pose']}/{cid}"
            state = c["state"]
            outcome = ("agree" if state == c["expected"] else
                       "not judged" if state == "unknown" else
                       "pose not recognised" if state == "pose not recognised" else "disagree")
            tally[outcome] += 1
            per_check.setdefault(key, Counter())[outcome] += 1
    total = sum(tally.values())
    judged = tally["agree"] + tally["disagree"]
    recognised = total - tally["pose not recognised"]
    out["checks"] = {
        "labelled": total, "agree": tally["agree"], "disagree": tally["disagree"],
        "not_judged": tally["not judged"], "pose_not_recognised": tally["pose not recognised"],
        "agreement": _ratio(tally["agree"], total),
        "agreement_when_judged": _ratio(tally["agree"], judged),
        "agreement_when_recognised": _ratio(tally["agree"], recognised),
        "per_check": {k: dict(v) for k, v in sorted(per_check.items())},
    }
    flawed = [i for i in items if i["form"] == "flawed"]
    bad = [i for i in flawed if i["correct"] or i.get("any_frame_correct")]
    out["flawed_judged_correct"] = {"count": len(bad), "flawed_items": len(flawed),
                                    "items": [_name(i) for i in bad]}
    return out


def _name(i: dict) -> str:
    return i["file"] + (" (mirrored)" if i["mirrored"] else "")


def disagreements(items: list[dict]) -> list[dict]:
    rows = []
    for i in items:
        base = {"file": i["file"], "mirrored": i["mirrored"], "view": i.get("view")}
        if not i["pose_ok"]:
            want = i.get("accepted_poses", [i["expected_pose"]])
            rows.append(base | {"what": "pose", "expected": " or ".join(str(p) for p in want)
                                if len(want) > 1 else str(i["expected_pose"]), "got": str(i["pose"]),
                                "value": None})
        if i["kind"] == "clip":
            want = i["expected_any_frame_correct"]
            if want is not None and want != i["any_frame_correct"]:
                rows.append(base | {"what": "any frame correct", "expected": want,
                                    "got": i["any_frame_correct"], "value": i["frames_in_pose"]})
            continue
        if i["pose_ok"] and i["expected_pose"] and i.get("expected_view") \
                and i["view"] not in i["expected_view"]:
            rows.append(base | {"what": "view", "expected": " or ".join(i["expected_view"]),
                                "got": str(i["view"]), "value": None})
        if i["pose_ok"] and i["expected_pose"] in SIDED and i["expected_side"] \
                and i["side"] != i["expected_side"]:
            rows.append(base | {"what": "side", "expected": i["expected_side"], "got": i["side"],
                                "value": None})
        for cid, c in i["checks"].items():
            if c["state"] != c["expected"] and c["state"] != "pose not recognised":
                rows.append(base | {"what": f"check {cid}", "expected": c["expected"],
                                    "got": c["state"], "value": c["value"],
                                    "because": c.get("unknown_because")})
        if i["form"] == "flawed" and i["correct"]:
            rows.append(base | {"what": "flawed judged correct", "expected": "not correct",
                                "got": "correct", "value": i.get("score")})
    return rows


def evaluate(data: Path, labels_path: Path = DEFAULT_LABELS, out: Path | None = None,
             images_only: bool = False, progress=sys.stderr) -> dict:
    """Run the whole evaluation; returns figures, items and disagreements."""
    from posecheck.core.poses import load_all

    data = Path(data)
    if not data.is_dir():
        raise SetupError(f"real-data folder not found: {data} (point --data at it)")
    labels = load_labels(labels_path)
    poses = load_all()
    todo = [(lab, m) for lab in labels["images"] for m in (False, True)]
    if not images_only:
        todo += [(lab, None) for lab in labels.get("clips", [])]
    items: list[dict] = []
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="posecheck-realdata-") as tmpdir:
        tmp = Path(tmpdir)
        for n, (lab, mirrored) in enumerate(todo, 1):
            src = data / lab["file"]
            if not src.is_file():
                raise SetupError(f"labelled file missing from the data folder: {src}")
            t0 = time.monotonic()
            if mirrored is None:
                item = _clip_item(lab, src, poses)
            else:
                item = _image_item(lab, src, mirrored, poses, tmp)
            items.append(item)
            if progress:
                mark = "ok " if item["pose_ok"] else "BAD"
                extra = f" side={item.get('side')}" if item.get("side") else ""
                print(f"[{n}/{len(todo)}] {mark} {_name(item)}: pose={item['pose']}{extra} "
                      f"correct={item['correct']} ({time.monotonic() - t0:.1f}s)",
                      file=progress, flush=True)
        rows = disagreements(items)
        if out is not None:
            out = Path(out)
            out.mkdir(parents=True, exist_ok=True)
            by_item = {(i["file"], i["mirrored"]): i for i in items}
            for row in rows:
                overlay = by_item[(row["file"], row["mirrored"])].get("overlay")
                if overlay and Path(overlay).is_file():
                    dest = out / Path(overlay).name
                    shutil.copyfile(overlay, dest)
                    row["overlay"] = str(dest)
    for i in items:
        i.pop("overlay", None)
    return {"data": str(data), "labels": str(labels_path), "seconds": round(time.monotonic() - start, 1),
            "figures": figures(items), "disagreements": rows, "items": items}


def print_report(result: dict, stream=sys.stdout) -> None:
    f = result["figures"]
    p = lambda *a: print(*a, file=stream)  # noqa: E731
    p(f"Real-data evaluation: {result['data']}  ({result['seconds']} s)")
    p("(a) pose recognition (near misses right only when no pose is recognised)")
    for k, v in f["recognition"].items():
        if v["total"]:
            p(f"    {k:<11} {_fmt(v['right'], v['total'])}")
    p("(b) side on recognised Pigeon / Figure Four with a labelled side (not named: the working")
    p("    leg hidden, so posecheck says it cannot tell the side)")
    for k, v in f["side"].items():
        p(f"    {k:<11} {_fmt(v['right'], v['total'])}; named {v['named']}, right when named "
          f"{_fmt(v['right'], v['named'])}, wrong {v['wrong']}")
    c = f["checks"]
    p("(c) check agreement with the clearly visible labelled checks")
    p(f"    agree {_fmt(c['agree'], c['labelled'])}; disagree {c['disagree']}, not judged "
      f"(unknown) {c['not_judged']}, pose not recognised {c['pose_not_recognised']}; "
      f"when judged {_fmt(c['agree'], c['agree'] + c['disagree'])}; on recognised items "
      f"{_fmt(c['agree'], c['labelled'] - c['pose_not_recognised'])} (not judged counts as a miss)")
    for key, v in c["per_check"].items():
        p(f"    {key:<32} " + ", ".join(f"{k} {n}" for k, n in sorted(v.items())))
    v = f["view"]
    p(f"(d) camera view on recognised photos: {_fmt(v['right'], v['total'])} within the labelled "
      f"views (estimated: {', '.join(f'{k} {n}' for k, n in sorted(v['estimated'].items()))})")
    fl = f["flawed_judged_correct"]
    p(f"(e) flawed items judged correct: {fl['count']} of {fl['flawed_items']}"
      + (f" ({', '.join(fl['items'])})" if fl["items"] else ""))
    rows = result["disagreements"]
    p(f"(f) disagreements: {len(rows)}")
    for r in rows:
        value = "" if r.get("value") is None else f" value={r['value']}"
        because = f" [{r['because']}]" if r.get("because") else ""
        view = f" view={r['view']}" if r.get("view") else ""
        p(f"    {r['file']}{' (mirrored)' if r['mirrored'] else ''}: {r['what']}: expected "
          f"{r['expected']}, got {r['got']}{value}{view}{because}")
    if any(r.get("overlay") for r in rows):
        p(f"    annotated pictures: {Path(next(r['overlay'] for r in rows if r.get('overlay'))).parent}/")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help=f"real-footage folder (default: {DEFAULT_DATA})")
    ap.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="labels JSON")
    ap.add_argument("--out", type=Path, default=Path("realdata-eval"),
                    help="folder for the annotated pictures of disagreements (default: realdata-eval/)")
    ap.add_argument("--json", type=Path, help="write all figures and items here")
    ap.add_argument("--images-only", action="store_true", help="skip the GIFs and videos")
    args = ap.parse_args(argv)
    try:
        result = evaluate(args.data, args.labels, args.out, args.images_only)
    except SetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
